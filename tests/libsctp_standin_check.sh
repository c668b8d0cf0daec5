#!/bin/bash
# A libsctp that exports a correct sctp_peeloff_flags, given with --libsctp: every
# sctp_peeloff_flags variant runs (none SKIP) and passes, from that library (not from
# a static archive's code), and the export case passes. The stand-in is the shared
# object make all links from libsctp-dev's libsctp.a (build/libsctp-archive.so: it
# exports sctp_peeloff and sctp_peeloff_flags, the archive's own code).
# The run exits 0: the waiver of Debian's missing export (suites/deviations/libsctp.tsv)
# holds for libsctp 1.0.18-1.0.21 only, and the stand-in's version is none of them.
set -u
cd "$(dirname "$0")/.." || exit 2
lib=build/libsctp-archive.so
dir=${PST_CHECK_REPORTS:-build/check-reports}/libsctp-standin # (make check leaves reports/ alone)
export_case=libsctp/libsctp_exports_sctp_peeloff_flags
fails=0 passes=0
ok() { echo "ok   $1"; passes=$((passes + 1)); }
bad() { echo "FAIL $1"; fails=$((fails + 1)); }

make -s "$lib" || exit 2
mkdir -p "$dir"
# Every sctp_peeloff_flags variant and the export case (the glob matches both).
./run.sh --libsctp "$lib" --case '*sctp_peeloff_flags' --reports "$dir" >"$dir.log" 2>&1
st=$?
want=$(./run.sh --case '*sctp_peeloff_flags' --list | grep -c '/sctp_peeloff_flags$')
tsv=$dir/results.tsv
# results.tsv: suite, case (with its variant), verdict, message, tags
ran=$(awk -F'\t' 'NR > 1 && $2 ~ /\/sctp_peeloff_flags$/' "$tsv" 2>/dev/null | wc -l)
# (skipped for want of the function; the two-thread race skips where it cannot race: one CPU)
skipped=$(awk -F'\t' 'NR > 1 && $2 ~ /\/sctp_peeloff_flags$/ && $3 == "SKIP" && $4 ~ /does not export sctp_peeloff_flags/' "$tsv" 2>/dev/null | wc -l)
failed=$(awk -F'\t' 'NR > 1 && $2 ~ /\/sctp_peeloff_flags$/ && $3 != "PASS" && $3 != "XFAIL" && $3 != "SKIP" { print $1 "/" $2 " " $3 }' "$tsv" 2>/dev/null)
if [ "$want" -gt 0 ] && [ "$ran" -eq "$want" ] && [ "$skipped" -eq 0 ] && [ -z "$failed" ]; then
	ok "--libsctp $lib: the $want sctp_peeloff_flags variants ran, none skipped for want of the function, none failing (PASS, XFAIL; the race SKIPs on one CPU)"
else
	bad "--libsctp $lib: expected $want sctp_peeloff_flags variants, none SKIP, all PASS or XFAIL; got $ran, $skipped SKIP, failing: ${failed:-none} ($dir.log)"
fi
source=$(awk -F'\t' '$1 == "libsctp_flags_source" { print $2 }' "$dir/environment.tsv" 2>/dev/null)
if [[ $source == "the shared library: "*"/$lib exports it" ]] &&
	grep -q "sctp_peeloff_flags from the shared library: " "$dir/junit.xml"; then
	ok "environment.tsv and the cases' logs: sctp_peeloff_flags from the library under test"
else
	bad "expected libsctp_flags_source 'the shared library: .../$lib exports it' and the cases' logs to say so, got '$source'"
fi
verdict=$(awk -F'\t' -v c="${export_case#*/}" 'NR > 1 && $2 == c { print $3 }' "$tsv" 2>/dev/null)
others=$(tr -d '\r' <"$dir.log" | sed -n -E 's/^(FAIL|ERROR|BROKEN|XPASS) +[0-9.]+s  ([^ ]+).*/\2/p' | grep -v -x "$export_case")
if [ "$st" -eq 0 ] && [ "$verdict" = PASS ] && [ -z "$others" ]; then
	ok "exit 0: $export_case is PASS (the waiver's libsctp range leaves the stand-in out)"
else
	bad "expected exit 0 with $export_case PASS and nothing failing; got exit $st, $export_case ${verdict:-absent}, other failures: ${others:-none}"
fi
echo "libsctp-standin-check: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
