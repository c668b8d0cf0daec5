#!/bin/bash
# The live kernel bugs a run must show, exactly: tests/stock-kernel-failures.tsv
# lists the cases that fail on a kernel without the fixes (the stock UML kernel of
# ./run.sh, Debian's 6.1.176, among them), each with its verdict and fix. Every check
# that runs these cases on such a kernel compares the run's failing rows with it.
#   tests/expected_failures.sh check DIR [STATUS]
#       DIR/results.tsv (one kernel's run; its release from DIR/environment.tsv)
#       against the list: each listed case that ran must have one of its listed
#       verdicts (an ERROR only where the kernel died), and no other case may
#       fail (FAIL, ERROR, BROKEN, XPASS, CHANGED); with STATUS, run.sh's exit
#       status must be the one those failures give (see status). Prints one
#       "ok"/"FAIL" line per finding, by case name.
#   tests/expected_failures.sh cases RELEASE
#       the cases expected to fail on a kernel of that release, one a line.
#   tests/expected_failures.sh status DIR
#       the exit status run.sh gives on DIR's kernel for the cases DIR ran
#       (failures a --gate new-failures accepted fail no run).
# Exit 0 all held (or the list printed), 1 a difference, 2 usage error.
set -u
cd "$(dirname "$0")/.." || exit 2
list=${PST_EXPECTED_FAILURES:-tests/stock-kernel-failures.tsv}
known=suites/known-bugs.tsv
conformance_failure=1 # run.sh: a requirement failed (an ERROR too)

usage() { sed -n '6,18s/^# \{0,1\}//p' "$0" >&2; exit 2; }

# The rows of the list that apply to kernel release $1: those whose fix is in no
# release of the same major.minor line at or below it (suites/known-bugs.tsv,
# "releases that carry the fix"; a "vX.Y" release is mainline: every later one).
expected_rows() {
	awk -F'\t' -v rel="$1" '
	function ver(s, v,    n) {
		sub(/^v/, "", s)
		n = split(s, v, /[^0-9]+/)
		return n
	}
	function fixed_in(fixes,    f, i, n, r, a, b, na) {
		ver(rel, r)
		n = split(fixes, f, /, */)
		for (i = 1; i <= n; i++) {
			na = ver(f[i], a)
			if (na == 2 && (r[1] > a[1] || (r[1] == a[1] && r[2] >= a[2])))
				return 1 # mainline: every later release has it
			if (na >= 3 && r[1] == a[1] && r[2] == a[2] && r[3] + 0 >= a[3] + 0)
				return 1 # stable: that line, from that release on
		}
		return 0
	}
	FNR == NR { if ($0 !~ /^#/) fixes[$1] = $5; next }
	/^#/ || NF < 4 { next }
	!($4 in fixes) { print "tests/expected_failures.sh: " $4 " is not in suites/known-bugs.tsv" > "/dev/stderr"; exit 2 }
	!fixed_in(fixes[$4]) { print }' "$known" "$list"
}

release_of() { awk -F'\t' '$1 == "kernel_release" { print $2 }' "$1/environment.tsv" 2>/dev/null; }

# suite/case/variant<TAB>verdict<TAB>message<TAB>accepted of every row of a results.tsv
# (accepted: 1 for a failure --gate new-failures accepted; its message without that prefix).
verdicts() {
	awk -F'\t' 'NR > 1 {
		m = $4; a = 0
		if (sub(/^accepted \(the baseline failed it too, --gate new-failures\): [A-Z]+: /, "", m)) a = 1
		print $1 "/" $2 "\t" $3 "\t" m "\t" a }' "$1/results.tsv"
}

# The exit status run.sh gives for the rows of $1 (it fails on nothing but the
# expected rows once check holds): 1 a failure (FAIL, ERROR, BROKEN, XPASS), else
# 4 a CHANGED, else 0; failures a --gate new-failures accepted fail no run.
status_of() {
	verdicts "$1" | awk -F'\t' -v ff="$conformance_failure" '
		$4 { next }
		$2 ~ /^(FAIL|ERROR|BROKEN|XPASS)$/ { st = ff }
		$2 == "CHANGED" && !st { st = 4 }
		END { print st + 0 }'
}

case ${1:-} in
cases)
	[ $# -eq 2 ] || usage
	expected_rows "$2" | cut -f1
	;;
status)
	if [ $# -ne 2 ] || [ ! -f "$2/results.tsv" ]; then usage; fi
	status_of "$2"
	;;
check)
	if [ $# -lt 2 ] || [ $# -gt 3 ]; then usage; fi
	dir=$2
	[ -f "$dir/results.tsv" ] || { echo "FAIL expected failures: no $dir/results.tsv"; exit 1; }
	rel=$(release_of "$dir")
	[ -n "$rel" ] || { echo "FAIL expected failures: no kernel_release in $dir/environment.tsv"; exit 1; }
	rows=$(expected_rows "$rel") || exit 2
	# Each finding on a line: a listed case with another verdict, an unlisted failure.
	findings=$(awk -F'\t' '
		FNR == NR { want[$1] = $2; fix[$1] = $5; next }
		{ ran[$1] = 1 }
		# (an ERROR is the bug only when the kernel died, not a timeout or a crash of the case)
		($1 in want) && (index("|" want[$1] "|", "|" $2 "|") == 0 ||
				 ($2 == "ERROR" && $3 !~ /^the kernel under test died/)) {
			print "FAIL " $1 ": expected " want[$1] " (the live bug \"" fix[$1] "\"), got " $2 \
				($2 == "ERROR" ? ": " substr($3, 1, 80) : "")
			bad++; next }
		($1 in want) { n++; next }
		$2 ~ /^(FAIL|ERROR|BROKEN|XPASS|CHANGED)$/ {
			print "FAIL " $1 ": expected no failure (not a known live bug), got " $2; bad++ }
		END {
			for (c in want) if (c in ran) listed++
			print "n " n + 0 " " listed + 0 " " bad + 0 }' <(printf '%s\n' "$rows" | sed '/^$/d') <(verdicts "$dir"))
	summary=${findings##*$'\n'}
	read -r _ n listed nbad <<<"$summary"
	[ "$nbad" -eq 0 ] || printf '%s\n' "$findings" | sed '$d'
	fails=$nbad
	if [ "$nbad" -eq 0 ]; then
		echo "ok   $dir on $rel: the failing rows are exactly the $n expected live-bug failures of the cases run ($(basename "$list"))"
	fi
	if [ $# -eq 3 ]; then
		want=$(status_of "$dir")
		if [ "$3" -eq "$want" ]; then
			echo "ok   $dir: run.sh exit $3, as the expected failures give"
		else
			echo "FAIL $dir: expected run.sh exit $want (the $listed expected failures of the cases run), got $3"
			fails=$((fails + 1))
		fi
	fi
	[ "$fails" -eq 0 ]
	;;
*) usage ;;
esac
