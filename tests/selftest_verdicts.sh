#!/bin/bash
# Each self-test case names the verdict it must get (selftest_hang_is_ERROR),
# or the verdicts it may get (selftest_lkdtm_kasan_report_is_FAIL_or_SKIP:
# FAIL on a kernel that can raise the report, SKIP with the reason on one that
# cannot; tests/sanitize_check.sh demands the FAIL on the sanitizer kernel):
# check a self-test run's terminal log against the names.
#   tests/selftest_verdicts.sh LOG
# Prints one line per case with the wrong verdict, then "N cases"; exit 0
# when every case of ./run.sh --selftest --list has its named verdict.
set -u
cd "$(dirname "$0")/.." || exit 2
n=0 wrong=0
# (a guest's console turns each newline into CR LF)
while read -r verdict _ name _; do
	want=${name##*_is_}
	want=${want%_once}
	n=$((n + 1))
	case _or_${want}_or_ in
	*"_or_${verdict}_or_"*) ;;
	*) wrong=1; echo "self-test $name: expected ${want//_or_/ or }, got $verdict" ;;
	esac
done < <(tr -d '\r' <"${1:?usage: selftest_verdicts.sh LOG}" | grep -E '^(PASS|FAIL|SKIP|XFAIL|XPASS|BROKEN|ERROR|CHANGED) ')
want_n=$(./run.sh --selftest --list | wc -l)
echo "$n cases (expected $want_n)"
[ "$n" -eq "$want_n" ] && [ "$wrong" -eq 0 ]
