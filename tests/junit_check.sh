#!/bin/bash
# The JUnit contract holds both ways: the project's schema (tests/schemas/junit.xsd)
# and a real JUnit consumer (tests/junit_consumer.py, junitparser) accept a report of
# the suite's shape and refuse each broken one in tests/junit-samples/. Each sample's
# first comment says who must refuse it ("refused by: schema consumer", or "nobody").
# No kernel needed. Exit 0 when every sample is treated as it says, 1 otherwise.
set -u
cd "$(dirname "$0")/.." || exit 2
xsd=${PST_JUNIT_XSD:-tests/schemas/junit.xsd}
st=0
for f in tests/junit-samples/*.xml; do
	want=$(sed -n 's/.*refused by: \([a-z ]*\)\..*/\1/p' "$f" | head -n 1)
	[ -n "$want" ] || { echo "FAIL $f: no 'refused by:' comment"; st=1; continue; }
	got=
	xmllint --nonet --noout --schema "$xsd" "$f" >/dev/null 2>&1 || got="schema"
	tests/junit_consumer.py "$f" >/dev/null 2>&1 || got="${got:+$got }consumer"
	[ -n "$got" ] || got=nobody
	if [ "$got" = "$want" ]; then
		echo "ok   $(basename "$f"): refused by $got"
	else
		echo "FAIL $(basename "$f"): expected it refused by $want, got refused by $got"
		st=1
	fi
done
exit $st
