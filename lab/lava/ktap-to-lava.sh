#!/bin/sh
# Turn the suite's results.ktap into LAVA results: one test set per KTAP suite,
# one lava-test-case per case. POSIX sh and awk only (LAVA devices may lack bash).
#   lab/lava/ktap-to-lava.sh [--dry-run] reports/results.ktap
# Verdicts: "ok" -> pass; "ok ... # SKIP" -> skip; "ok ... # XFAIL" (an expected,
# referenced deviation) -> pass; "not ok" -> fail, except a case whose diagnostic
# says BROKEN (its setup failed: no verdict on the kernel) -> unknown. A changed
# reference behaviour ("# CHANGED") is "not ok" (fail) under the run's default
# gate and "ok" (pass) under --gate requirements: as the run judged it.
# LAVA test case names allow [-_a-zA-Z0-9.] only: "case/variant" becomes
# "case.variant", any other character "_".
# --dry-run prints the lava-test-set / lava-test-case command lines instead.
# Exit 0 when the file was read, 2 on usage error or an unreadable/empty KTAP.
set -u
dry=
if [ "${1:-}" = "--dry-run" ]; then
	dry=1
	shift
fi
if [ $# -ne 1 ]; then
	echo "usage: ktap-to-lava.sh [--dry-run] results.ktap" >&2
	exit 2
fi
ktap=$1
if [ ! -r "$ktap" ] || ! head -n 1 "$ktap" | grep -q '^KTAP version 1$'; then
	echo "ktap-to-lava.sh: $ktap: not a readable KTAP version 1 file" >&2
	exit 2
fi

# Records on stdout: "start SET", "case NAME RESULT", "stop".
parse() {
	awk '
	function clean(s) { gsub("/", ".", s); gsub(/[^-_a-zA-Z0-9.]/, "_", s); return s }
	function flush() { if (pending != "") print "case " pending " " presult; pending = "" }
	# A result line: [indent](not )?ok N name[ # DIRECTIVE reason]
	function result(line, depth,    ok, rest, name, dir) {
		ok = (line !~ /^not ok /)
		rest = line; sub(/^(not )?ok [0-9]+ ?/, "", rest)
		name = rest; sub(/ # .*$/, "", name)
		dir = ""; if (index(rest, " # ")) { dir = substr(rest, index(rest, " # ") + 3); sub(/ .*$/, "", dir) }
		if (depth == 0 && inset) { flush(); print "stop"; inset = 0; return }
		flush()
		pending = clean(name)
		presult = (dir == "SKIP") ? "skip" : (ok ? "pass" : "fail")
	}
	{
		line = $0; indent = match(line, /[^ ]/) - 1; body = substr(line, indent + 1)
		depth = (indent >= 4) ? 1 : 0
		if (body ~ /^# Subtest: /) {
			flush(); sub(/^# Subtest: /, "", body); print "start " clean(body); inset = 1
		} else if (body ~ /^(not )?ok [0-9]+/) {
			result(body, depth)
		} else if (body ~ /^# BROKEN:/ && pending != "" && presult == "fail") {
			presult = "unknown"
		}
	}
	END { flush(); if (inset) print "stop" }
	' "$ktap"
}

run() {
	if [ -n "$dry" ]; then
		echo "$*"
	else
		"$@"
	fi
}

n=0
parse | {
	while read -r kind a b; do
		case $kind in
		start) run lava-test-set start "$a" ;;
		stop) run lava-test-set stop ;;
		case) run lava-test-case "$a" --result "$b"; n=$((n + 1)) ;;
		esac
	done
	if [ "$n" -eq 0 ]; then
		echo "ktap-to-lava.sh: $ktap: no test case lines" >&2
		exit 2
	fi
}
