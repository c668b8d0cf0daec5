#!/bin/bash
# The sanitizer kernel's quick part (make sanitize-check, in make kernel-check when
# that kernel is cached): on the 6.1 sanitizer UML of kernel/build.sh --sanitize,
#   - a real KASAN, refcount_t and list corruption report, raised on purpose by
#     the kernel's crash-test driver (LKDTM) in a self-test case, is that case's
#     FAIL, and its message names the report's kind; so is a WARNING;
#   - the blocked-sender cases, which read /proc/PID/wchan to prove that a thread
#     sleeps, raise no report (UML's __get_wchan walks another task's stack: the
#     sanitizer build reads it unchecked, kernel/sanitize-patches/);
#   - no case of those leaves an SCTP object behind (the kernel's own counts).
#   tests/sanitize_check.sh [--build] [--reports DIR]
# Without --build, a kernel that is not cached is a note and exit 0 (CI builds it
# once, kernel/build.sh --sanitize: see kernel/README.md for the time it takes).
# Exit 0 all held, 1 one did not, 2/3 as run.sh (cannot run at all).
set -u
cd "$(dirname "$0")/.." || exit 2
reports=reports/sanitize-check build=0
while [ $# -gt 0 ]; do
	case $1 in
	--reports) reports=${2:?}; shift ;;
	--reports=*) reports=${1#*=} ;;
	--build) build=1 ;;
	*) echo "sanitize-check: unknown option '$1'" >&2; exit 2 ;;
	esac
	shift
done
fails=0
ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; fails=$((fails + 1)); }

entry=$(kernel/build.sh --sanitize --print-entry) || exit 2
if [ "$build" = 0 ] && [ ! -x "$entry/src/linux" ]; then
	echo "sanitize-check: the sanitizer kernel is not cached ($entry): not checked" \
		"(kernel/build.sh --sanitize builds it, or tests/sanitize_check.sh --build)"
	exit 0
fi
# shellcheck source=kernel/lock.sh
. kernel/lock.sh
pst_kernel_lock sanitize-check sanitize || exit 2
linux=$(kernel/build.sh --sanitize | tail -n 1)
[ "${PIPESTATUS[0]}" -eq 0 ] && [ -x "$linux" ] || exit 3
mkdir -p "$reports" || exit 2

# The verdict and message of suite/case in a results.tsv.
row() { awk -F'\t' -v c="$2" 'NR > 1 && $1 "/" $2 == c { print $3 "\t" $4 }' "$1/results.tsv"; }

start=$SECONDS
./run.sh --selftest --kernel "$linux" --case 'selftest_lkdtm_*,selftest_kernel_warning_is_FAIL' \
	--reports "$reports/selftest" >"$reports/selftest.log" 2>&1
st=$?
echo "sanitize-check: the LKDTM self-tests: exit $st in $((SECONDS - start)) s (log: $reports/selftest.log)"
[ "$st" -le 1 ] || { tail -n 5 "$reports/selftest.log"; exit "$st"; }
for want in selftest_lkdtm_kasan_report_is_FAIL_or_SKIP:KASAN \
	selftest_lkdtm_refcount_report_is_FAIL_or_SKIP:refcount_t \
	selftest_lkdtm_list_corruption_is_FAIL_or_SKIP:'list corruption' \
	selftest_kernel_warning_is_FAIL:WARNING; do
	name=${want%%:*} kind=${want#*:}
	got=$(row "$reports/selftest" "selftest/$name")
	case $got in
	FAIL$'\t'"kernel report: expected none during the case, got "*"$kind"*)
		ok "$name: FAIL, the message names $kind (${got#*got })" ;;
	*) bad "$name: expected FAIL naming a $kind report, got '${got:-no row}'" ;;
	esac
done

start=$SECONDS
./run.sh --kernel "$linux" --suite peeloff_blocked_sender --reports "$reports/blocked" \
	>"$reports/blocked.log" 2>&1
st=$?
echo "sanitize-check: --suite peeloff_blocked_sender: exit $st in $((SECONDS - start)) s (log: $reports/blocked.log)"
[ "$st" -le 1 ] || { tail -n 5 "$reports/blocked.log"; exit "$st"; }
reported=$(awk -F'\t' 'NR > 1 && $4 ~ /kernel report: |leak: / { print $1 "/" $2 ": " $4 }' \
	"$reports/blocked/results.tsv")
if [ "$st" -eq 0 ] && [ -z "$reported" ]; then
	ok "peeloff_blocked_sender passes on the sanitizer kernel: no report, no object left"
else
	bad "peeloff_blocked_sender on the sanitizer kernel: exit $st; ${reported:-no report: see $reports/blocked/results.tsv}"
fi

echo "sanitize-check: $fails failed"
[ "$fails" -eq 0 ]
