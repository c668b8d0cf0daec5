#!/bin/bash
# run.sh's options over several runs, end to end (make check; about a dozen
# small UML runs): bad input, --baseline with --gate new-failures (a fault shim
# makes new failures), --bisect-case's exit statuses, --kernels over two UML
# kernels and over one that cannot run.
set -u
cd "$(dirname "$0")/.." || exit 2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pst-multirun-check.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP
fails=0 passes=0
ok() { echo "ok   $1"; passes=$((passes + 1)); }
bad() { echo "FAIL $1"; fails=$((fails + 1)); }
# $1 what, $2 expected status, then the command; its output in $tmp/out.
expect() {
	local what=$1 want=$2 st
	shift 2
	"$@" >"$tmp/out" 2>&1
	st=$?
	if [ "$st" -eq "$want" ]; then
		ok "$what: exit $st"
	else
		bad "$what: expected exit $want, got $st: $(tail -2 "$tmp/out" | tr '\n' ' ')"
	fi
}
suite=(--suite peeloff_flags --case '*SOCK_NONBLOCK*') # a few cases, some of which the shim breaks
bcase=peeloff_flags_SOCK_NONBLOCK_sets_O_NONBLOCK_only
make -s build/faults/flags_nonblock_ignored.so || exit 2
shim=$PWD/build/faults/flags_nonblock_ignored.so # breaks SOCK_NONBLOCK: the cases above fail

# 1. Bad input: one line, exit 2, nothing run.
bad_input() {
	local want=$1
	shift
	"$@" >"$tmp/out" 2>&1
	local st=$? lines
	lines=$(wc -l <"$tmp/out")
	if [ "$st" -eq 2 ] && [ "$lines" -eq 1 ] && grep -q "$want" "$tmp/out"; then
		ok "bad input ${*:2}: exit 2, '$(cat "$tmp/out")'"
	else
		bad "bad input ${*:2}: expected exit 2 and one line with '$want', got $st: $(head -3 "$tmp/out")"
	fi
}
bad_input "unknown kernel spec 'vmware'" ./run.sh --kernels uml,vmware
bad_input "no such kernel /nonexistent" ./run.sh --kernels uml:/nonexistent
bad_input "drop --target" ./run.sh --kernels uml --target uml
bad_input "only qemu-deb:FILE.deb" ./run.sh --kernels uml --lava
bad_input "no such directory" ./run.sh --baseline "$tmp/none"
bad_input "needs --baseline" ./run.sh --gate new-failures
bad_input "must be requirements, changes or new-failures" ./run.sh --gate all --baseline "$tmp"
bad_input "results.tsv" ./run.sh --baseline "$tmp"
bad_input "matches no case" ./run.sh --bisect-case no_such_case
bad_input "drop --suite" ./run.sh --bisect-case "$bcase" --suite peeloff_flags
# The Debian line options (harness/guests/line-args.sh): refused before anything is fetched.
bad_input "unknown kernel line 'woody'" ./run.sh --kernel-line woody
bad_input "unknown kernel line 'woody'" ./run.sh --kernels line:woody
bad_input "drop --kernel-line" ./run.sh --kernels lines --kernel-line sid
bad_input "drop --kernel" ./run.sh --kernel-line sid --kernel /nonexistent
bad_input "needs a line name" ./run.sh --libsctp-line

# 2. --baseline and --gate new-failures.
./run.sh "${suite[@]}" --reports "$tmp/a" >"$tmp/a.log" 2>&1
[ -f "$tmp/a/results.tsv" ] && ok "a run writes results.tsv and environment.tsv" || bad "no results.tsv after a run"
expect "new failures (fault shim) against a clean baseline, --gate new-failures" 1 \
	env LD_PRELOAD="$shim" ./run.sh "${suite[@]}" --reports "$tmp/b" --baseline "$tmp/a" --gate new-failures
if grep -q "^new-fail .*$bcase" "$tmp/out" && grep -q '"change": "new-fail"' "$tmp/b/baseline.json" &&
	grep -q '^## new-fail' "$tmp/b/baseline.md"; then
	ok "the new failures are on the terminal, in baseline.md and baseline.json"
else
	bad "new failures not reported: $(grep baseline: "$tmp/out")"
fi
expect "the same failures against a baseline that has them, --gate new-failures" 0 \
	env LD_PRELOAD="$shim" ./run.sh "${suite[@]}" --reports "$tmp/c" --baseline "$tmp/b" --gate new-failures
# What CI reads agrees with the gate's exit 0: the accepted failures are skipped in
# junit.xml and KTAP with why, still FAIL in results.tsv, and junitparser agrees.
nfail=$(awk -F'\t' 'NR > 1 && $3 == "FAIL"' "$tmp/c/results.tsv" | wc -l)
if [ "$nfail" -gt 0 ] && grep -q '<testsuites [^>]*failures="0"' "$tmp/c/junit.xml" &&
	[ "$(grep -c '<skipped message="accepted (the baseline failed it too' "$tmp/c/junit.xml")" -eq "$nfail" ] &&
	[ "$(grep -c '^    ok [0-9]* .* # SKIP accepted (the baseline failed it too' "$tmp/c/results.ktap")" -eq "$nfail" ] &&
	tests/junit_consumer.py "$tmp/c/junit.xml" "$tmp/c/results.tsv" >/dev/null &&
	grep -q "^($nfail failures\? accepted" "$tmp/out"; then
	ok "--gate new-failures, exit 0: the $nfail accepted failures are skipped in junit.xml and KTAP, FAIL in results.tsv"
else
	bad "--gate new-failures, exit 0: expected the $nfail FAIL rows skipped as accepted in junit.xml and KTAP, got $(grep -o '<testsuites [^>]*>' "$tmp/c/junit.xml")"
fi
expect "... and without --gate the run's own status (conformance failure)" 1 \
	env LD_PRELOAD="$shim" ./run.sh "${suite[@]}" --reports "$tmp/c" --baseline "$tmp/b"
expect "fixed again: new passes only, --gate new-failures" 0 \
	./run.sh "${suite[@]}" --reports "$tmp/d" --baseline "$tmp/b" --gate new-failures
grep -q '"change": "new-pass"' "$tmp/d/baseline.json" && ok "baseline.json lists the new passes" ||
	bad "baseline.json lists no new pass"

# 3. --bisect-case: 0 good, 1 bad, 125 cannot test.
expect "--bisect-case on the stock kernel (good)" 0 ./run.sh --bisect-case "$bcase" --reports "$tmp/e"
n=$(($(wc -l <"$tmp/e/results.tsv") - 1))
[ "$n" -eq "$(build/peeloff-runner --list | grep -c "/$bcase/")" ] && ok "--bisect-case ran that case's $n variants only" ||
	bad "--bisect-case ran $n cases"
expect "--bisect-case with the fault (bad)" 1 env LD_PRELOAD="$shim" ./run.sh --bisect-case "$bcase" --reports "$tmp/e"
expect "--bisect-case on a kernel that does not boot (cannot test)" 125 \
	./run.sh --bisect-case "$bcase" --kernel /bin/false --reports "$tmp/e"

# 4. --kernels: two kernels agree; one that cannot run gives 3 and a column saying so.
#    Each run owns its reports: what an earlier run left there goes (a green 2-case
#    junit.xml of an earlier run must not stand beside a red run), what the user
#    keeps there stays; the top-level junit.xml and results.tsv hold every kernel.
stale() { # DIR: an earlier run's reports, and a file of the user's
	mkdir -p "$1/kernels/7-old" "$1/coverage"
	printf '<testsuites tests="2" failures="0" errors="0" time="0.100">\n</testsuites>\n' >"$1/junit.xml"
	for f in results.ktap results.tsv environment.tsv matrix.md index.html baseline.md compare.json \
		flakes.md uml-console.log certification-6.1-20261201T000000Z.tar.gz kernels/7-old/junit.xml \
		coverage/index.html coverage/gcov.css .journal; do
		echo old >"$1/$f"
	done
	echo mine >"$1/keep.txt"
}
no_stale() { # DIR WHAT: nothing of stale() is left but the user's file
	local left
	left=$(cd "$1" && ls -d baseline.md flakes.md certification-* kernels/7-old coverage .journal 2>/dev/null)
	if [ -z "$left" ] && [ "$(cat "$1/keep.txt" 2>/dev/null)" = mine ] && ! grep -q 'tests="2"' "$1/junit.xml" 2>/dev/null; then
		ok "$2: no report of an earlier run left, the user's file kept"
	else
		bad "$2: left of an earlier run: ${left:-junit.xml}; the user's file: $(cat "$1/keep.txt" 2>&1)"
	fi
}
# junit.xml DIR WHAT KERNELS: the schema and a JUnit consumer accept DIR/junit.xml with
# its counts equal to DIR/results.tsv's, a <testsuite> per kernel, named by its label.
junit_kernels() {
	local dir=$1 what=$2 msg names
	shift 2
	names=$(sed -n 's/^  <testsuite name="\([^"]*\)".*/\1/p' "$dir/junit.xml" | paste -sd' ')
	if xmllint --noout --schema "${PST_JUNIT_XSD:-tests/schemas/junit.xsd}" "$dir/junit.xml" 2>"$tmp/xmllint" &&
		msg=$(tests/junit_consumer.py "$dir/junit.xml" "$dir/results.tsv" 2>&1) && [ "$names" = "$*" ] &&
		[ "$(head -c 7 "$dir/results.tsv")" = "kernel$(printf '\t')" ]; then
		ok "$what: junit.xml valid, one testsuite per kernel ($names), $msg"
	else
		bad "$what: junit.xml: suites '$names' (want '$*'); $(head -2 "$tmp/xmllint") ${msg:-}; results.tsv: $(head -1 "$dir/results.tsv")"
	fi
}
stale "$tmp/k"
expect "--kernels over two UML kernels" 0 ./run.sh --kernels stock=uml,again=uml:/usr/bin/linux.uml \
	--suite peeloff_success --reports "$tmp/k"
no_stale "$tmp/k" "--kernels"
junit_kernels "$tmp/k" "--kernels" 1-stock 2-again
bad_input "is a --kernels run's" ./run.sh --baseline "$tmp/k"
if [ -f "$tmp/k/kernels/1-stock/results.tsv" ] && [ -f "$tmp/k/kernels/2-again/results.tsv" ] &&
	grep -q '"differing": 0' "$tmp/k/compare.json" && grep -q '^| case | `1-stock`<br>' "$tmp/k/compare.md"; then
	ok "compare.md/.json: a column per kernel (release, config, libsctp), no differences"
else
	bad "compare.md/.json not as expected"
fi
expect "--kernels with a kernel that cannot boot" 3 ./run.sh --kernels uml,dead=uml:/bin/false \
	--suite libsctp --reports "$tmp/k2"
grep -q 'could not run (run.sh exit 3)' "$tmp/k2/compare.md" && ok "compare.md says which kernel could not run" ||
	bad "compare.md does not say the kernel could not run"
junit_kernels "$tmp/k2" "--kernels, one cannot run" 1-uml 2-dead
grep -q '<error type="ERROR" message="the kernel could not run: run.sh exit 3' "$tmp/k2/junit.xml" &&
	ok "junit.xml: the kernel that could not run is an error" || bad "junit.xml: no error for the kernel that could not run"
# 5. One run over another's reports: the --kernels run's are gone, the user's file stays.
stale "$tmp/k2"
expect "a run over an earlier --kernels run's reports" 0 ./run.sh --suite libsctp --reports "$tmp/k2"
no_stale "$tmp/k2" "one run"
left=$(cd "$tmp/k2" && ls -d compare.md compare.json kernels 2>/dev/null)
[ -z "$left" ] && ok "one run: the --kernels run's compare.md, compare.json and kernels/ gone" ||
	bad "one run: left of the --kernels run: $left"

echo "multirun check: $passes ok, $fails failed"
[ "$fails" -eq 0 ]
