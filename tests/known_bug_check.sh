#!/bin/bash
# A failure that is a known kernel bug says so in every report of one plain run
# (make check; one UML boot, ~10 s): under faults/getpeername_zeroed.c (the
# getpeername() bug fixed by linux-git:8467dda0c265, loaded into the guest's test
# processes through LD_PRELOAD as tests/fault_guest.sh does) the getpeername
# cases FAIL, and each failing row names "known bug, fixed by linux-git:8467dda0c265"
# with the fix's subject and releases (suites/known-bugs.tsv) on its terminal line,
# in junit.xml (its <failure> message; the report still valid and read by
# tests/junit_consumer.py), results.ktap (a diagnostic line), results.tsv,
# index.html and the matrix; the message gives the address seen in full.
#   tests/known_bug_check.sh      (PST_RUNNER=... to check another runner build)
set -u
cd "$(dirname "$0")/.." || exit 2
base=${PST_CHECK_REPORTS:-build/check-reports}
out=$base/known-bug
mkdir -p "$out" || exit 2
fails=0 passes=0
ok() { echo "ok   $1"; passes=$((passes + 1)); }
bad() { echo "FAIL $1"; fails=$((fails + 1)); }
fix=linux-git:8467dda0c265
subject=$(awk -F'\t' -v t="$fix" '$1 == t { print $3 }' suites/known-bugs.tsv)
[ -n "$subject" ] || { echo "known-bug check: $fix is not in suites/known-bugs.tsv" >&2; exit 2; }
note="known bug, fixed by $fix ($subject"

make -s build/faults/getpeername_zeroed.so || exit 2
LD_PRELOAD=$PWD/build/faults/getpeername_zeroed.so ./run.sh --reports "$out" \
	--case 'peeled_getpeername_is_primary_peer_address/*,peeloff_v4_mapped_peer_on_ipv6_socket/*' \
	>"$out/run.log" 2>&1
st=$?
mapfile -t failing < <(sed -n -E 's/^FAIL +[0-9.]+s  ([^ ]+).*/\1/p' "$out/run.log")
if [ "$st" -eq 1 ] && [ "${#failing[@]}" -eq 6 ]; then
	ok "under the getpeername shim: exit 1, the 6 getpeername rows FAIL"
else
	bad "under the getpeername shim: expected exit 1 and 6 FAIL rows, got exit $st and ${#failing[@]}: $(tail -3 "$out/run.log")"
	echo "known-bug check: $passes ok, $fails failed"
	exit 1
fi

# Terminal: the line of each failing row, after its message.
n=$(grep -E '^FAIL ' "$out/run.log" | grep -cF "; $note")
[ "$n" -eq 6 ] && ok "terminal: every FAIL line ends with '$note; in ...)'" ||
	bad "terminal: expected 6 FAIL lines naming the known bug, got $n: $(grep -m1 '^FAIL ' "$out/run.log")"
# The message gives the address getpeername() returned, in full.
if grep -E '^FAIL .*peeloff_v4_mapped_peer_on_ipv6_socket' "$out/run.log" | grep -q 'got family 10 \[::\]:0' &&
	grep -E '^FAIL .*peeled_getpeername_is_primary_peer_address/ipv4' "$out/run.log" | grep -q 'got family 2 \[0.0.0.0\]:0'; then
	ok "the FAIL messages give the address seen (family 10 [::]:0, family 2 [0.0.0.0]:0)"
else
	bad "a FAIL message does not give the address seen: $(grep -m1 '^FAIL .*v4_mapped' "$out/run.log")"
fi

# JUnit: each <failure> message names it; the report is valid and read back.
n=$(grep -c "<failure type=\"FAIL\" message=\"[^\"]*; known bug, fixed by $fix" "$out/junit.xml")
[ "$n" -eq 6 ] && ok "junit.xml: 6 <failure> messages name the known bug" ||
	bad "junit.xml: expected 6 <failure> messages naming $fix, got $n"
if xmllint --nonet --noout --schema "${PST_JUNIT_XSD:-tests/schemas/junit.xsd}" "$out/junit.xml" 2>"$out/xmllint.log" &&
	msg=$(tests/junit_consumer.py "$out/junit.xml" "$out/results.tsv" 2>&1); then
	ok "junit.xml validates against tests/schemas/junit.xsd and junitparser agrees with results.tsv"
else
	bad "junit.xml: $(head -2 "$out/xmllint.log") ${msg:-}"
fi
# KTAP: a diagnostic line after each failing result.
n=$(grep -cF "    # $note" "$out/results.ktap")
[ "$n" -eq 6 ] && ok "results.ktap: 6 diagnostic lines name the known bug" ||
	bad "results.ktap: expected 6 '# $note' lines, got $n"
# results.tsv (in the message: its readers need no new column), index.html, the matrix.
n=$(awk -F'\t' -v n="$note" '$3 == "FAIL" && index($4, "; " n)' "$out/results.tsv" | wc -l)
[ "$n" -eq 6 ] && ok "results.tsv: 6 FAIL messages name the known bug" ||
	bad "results.tsv: expected 6 FAIL messages naming it, got $n"
# (index.html links the fix: its text, tags taken out, is the note)
n=$(grep -F '<b class="known">' "$out/index.html" | sed 's/<[^>]*>//g' | grep -cF "$note")
links=$(grep -F '<b class="known">' "$out/index.html" |
	grep -cF "<a href=\"https://git.kernel.org/linus/${fix#linux-git:}\">$fix</a>")
[ "$n" -eq 6 ] && [ "$links" -eq 6 ] && ok "index.html: 6 failing cases name the known bug, its fix linked" ||
	bad "index.html: expected 6 cases naming it with the fix linked, got $n naming it, $links linked"
if grep -F 'peeled_getpeername_is_primary_peer_address/ipv4 FAIL (known bug, fixed by' "$out/matrix.md" >/dev/null &&
	grep -qF "\"known_bug\": \"$note" "$out/matrix.json"; then
	ok "matrix.md and matrix.json name the known bug beside the failing cases"
else
	bad "matrix.md / matrix.json do not name the known bug beside the failing cases"
fi

echo "known-bug check: $passes ok, $fails failed"
[ "$fails" -eq 0 ]
