#!/bin/bash
# Kernel line and branch coverage of the peeloff code: run the suite on the
# gcov-instrumented UML kernel of kernel/build.sh, then lcov and genhtml.
#   kernel/coverage.sh [run.sh args]   (any but --target, --kernel, --modules, --coverage)
# Writes under the run's reports directory (--reports DIR, default reports/):
#   kernel-coverage.info         lcov tracefile of net/sctp (branch coverage on)
#   kernel-coverage/             its HTML (genhtml --branch-coverage)
#   kernel-coverage-functions.md, .json   the peeloff functions, with what was not reached
#   kernel-gcda/, kernel-lcov.log         the guest's .gcda files; lcov's output
# Exit status: the suite's (0 passed, 1 conformance failure), 2 usage error or
# missing package, 3 the guest or lcov failed.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
cd "$root" || exit 2
# The guest's deadline, computed as run.sh does: boot allowance + every case at its timeout.
boot_allowance=120 # seconds
case_slack=2       # seconds per case beyond its timeout
timeout=10         # run.sh's default per-case timeout
no_verdict=75      # harness/uml-run.sh: the guest died or hung
functions=(sctp_do_peeloff sctp_getsockopt_peeloff_common sctp_getsockopt_peeloff
	sctp_getsockopt_peeloff_flags sctp_sock_migrate)
source_file=net/sctp/socket.c

die() { echo "kernel/coverage.sh: $1" >&2; exit "${2:-3}"; }

args=("$@")
reports=reports
while [ $# -gt 0 ]; do
	case $1 in
	--target | --target=* | --kernel | --kernel=* | --modules | --modules=* | --coverage)
		die "$1: not with kernel/coverage.sh (it runs its own kernel in UML)" 2 ;;
	--reports) reports=${2:?--reports needs a directory}; shift ;;
	--reports=*) reports=${1#*=} ;;
	--timeout) timeout=${2:?--timeout needs seconds}; shift ;;
	--timeout=*) timeout=${1#*=} ;;
	--help | -h | --list) exec ./run.sh "${args[@]}" ;;
	esac
	shift
done

# run.sh installs and builds what the suite needs and rejects bad options (exit 2).
mkdir -p "$reports" || die "cannot create $reports" 2
reports=$(cd "$reports" && pwd)
./run.sh "${args[@]}" --list >"$reports/kernel-coverage-cases.txt" || exit $?
ncases=$(wc -l <"$reports/kernel-coverage-cases.txt")
rm -f "$reports/kernel-coverage-cases.txt"

# The cache lock for the whole run: no mutant may be built into the tree meanwhile.
cache=${PST_KERNEL_CACHE:-$HOME/.cache/pst-kernel}
mkdir -p "$cache" || die "cannot create $cache" 2
exec {lock_fd}>"$cache/lock"
if ! flock -n "$lock_fd"; then
	echo "kernel/coverage.sh: waiting for $cache/lock (a kernel build or mutant run)" >&2
	flock "$lock_fd"
fi
linux=$(PST_KERNEL_LOCK_HELD=1 "$here/build.sh" | tail -n 1)
build_status=${PIPESTATUS[0]}
[ "$build_status" -eq 0 ] || exit "$build_status"
tree=$(dirname "$linux")

gcda=$reports/kernel-gcda
rm -rf "$gcda" "$reports/kernel-coverage"
mkdir -p "$gcda"
: >"$reports/uml-console.log"
deadline=$((boot_allowance + ncases * (timeout + case_slack)))
start=$SECONDS
harness/uml-run.sh --kernel "$linux" --deadline "$deadline" --console "$reports/uml-console.log" \
	-- "$here/guest-coverage.sh" "$gcda" "${args[@]}"
status=$?
echo "kernel/coverage.sh: the suite ran in $((SECONDS - start)) s (status $status)" >&2
case $status in
0 | 1) ;;
"$no_verdict") die "the guest died or hung: no coverage (see $reports/uml-console.log)" ;;
*) exit "$status" ;;
esac

shopt -s nullglob
found=("$gcda"/*.gcda)
[ ${#found[@]} -gt 0 ] || die "the guest copied no .gcda files to $gcda (see $reports/uml-console.log)"
# gcov wants each .gcno beside its .gcda: link the build tree's.
for f in "${found[@]}"; do
	base=$(basename "$f" .gcda)
	ln -sf "$tree/net/sctp/$base.gcno" "$gcda/$base.gcno"
done

# Debian's lcov 1.16 prints "Subroutine ... redefined" perl warnings: all to the log.
info=$reports/kernel-coverage.info
lcov_rc=(--rc lcov_branch_coverage=1)
{
	lcov --capture "${lcov_rc[@]}" --directory "$gcda" --base-directory "$tree" \
		--output-file "$info.all" &&
		lcov --extract "$info.all" '*/net/sctp/*' "${lcov_rc[@]}" --output-file "$info" &&
		genhtml --branch-coverage --title "net/sctp under the sctp_peeloff suite" \
			--output-directory "$reports/kernel-coverage" "$info"
} >"$reports/kernel-lcov.log" 2>&1 || die "lcov/genhtml failed: see $reports/kernel-lcov.log"
rm -f "$info.all"

# ---- the per-function table ----
# Each function's line span comes from the source: from its definition line
# (a prototype ends in ';' and is skipped) to the '}' that closes its body.
spans=$reports/kernel-coverage-spans.txt
awk -v names="${functions[*]}" '
BEGIN { n = split(names, list, " "); for (i = 1; i <= n; i++) wanted[list[i]] = 1 }
state == 0 {
	for (f in wanted)
		if (!(f in done) && $0 ~ ("^[a-z].*[ *]" f "\\(")) { cand = f; first = NR; state = 1; break }
}
state == 1 && /;[ \t]*$/ { state = 0 }
state == 1 && $0 == "{" { state = 2; next }
state == 2 && $0 == "}" { print cand, first, NR; done[cand] = 1; state = 0 }
' "$tree/$source_file" >"$spans"

# From the .info records within each span: DA (line, count), BRDA (line, block,
# branch, taken: "-" when its block never ran), FNDA (calls, name).
md=$reports/kernel-coverage-functions.md
json=$reports/kernel-coverage-functions.json
awk -v suffix="/$source_file" -v md="$md" -v json="$json" -v kernel="$linux" \
	-v when="$(date -u +%FT%TZ)" -v status="$status" -v order="${functions[*]}" '
function pct(h, t) { return t ? sprintf("%.1f %%", 100 * h / t) : "-" }
FNR == 1 { file++ }
file == 1 { text[FNR] = $0; next }
file == 2 { first[$1] = $2; last[$1] = $3; next }
/^SF:/ { in_src = (substr($0, length($0) - length(suffix) + 1) == suffix); next }
!in_src { next }
/^FNDA:/ { split(substr($0, 6), a, ","); if (a[2] in first) calls[a[2]] = a[1]; next }
/^DA:/ {
	split(substr($0, 4), a, ",")
	for (f in first) if (a[1] >= first[f] && a[1] <= last[f]) {
		lt[f]++
		if (a[2] > 0) lh[f]++; else mline[f] = mline[f] " " a[1]
	}
	next
}
/^BRDA:/ {
	split(substr($0, 6), a, ",")
	for (f in first) if (a[1] >= first[f] && a[1] <= last[f]) {
		bt[f]++
		if (a[4] != "-" && a[4] > 0) bh[f]++; else mbr[f] = mbr[f] " " a[1] ":" a[2] ":" a[3] ":" a[4]
	}
	next
}
END {
	n = split(order, names, " ")
	print "# Kernel coverage of the peeloff code\n" >md
	printf "Kernel `%s` (gcov on net/sctp), %s, suite exit status %s. Lines and branches from lcov (branch coverage on), within each function'"'"'s span in `%s`.\n\n", kernel, when, status, substr(suffix, 2) >md
	print "| function | lines | branches | calls |" >md
	print "| --- | --- | --- | --- |" >md
	printf "{\"kernel\": \"%s\", \"date\": \"%s\", \"suite_status\": %s, \"file\": \"%s\", \"functions\": [", kernel, when, status, substr(suffix, 2) >json
	for (i = 1; i <= n; i++) {
		f = names[i]
		if (!(f in first)) { printf "| `%s` | not found in the source | | |\n", f >md; continue }
		printf "| `%s` (%d-%d) | %d/%d (%s) | %d/%d (%s) | %d |\n", f, first[f], last[f], lh[f], lt[f], pct(lh[f], lt[f]), bh[f], bt[f], pct(bh[f], bt[f]), calls[f] >md
		printf "%s\n    {\"name\": \"%s\", \"first_line\": %d, \"last_line\": %d, \"calls\": %d, \"lines_hit\": %d, \"lines_total\": %d, \"branches_hit\": %d, \"branches_total\": %d, \"lines_not_hit\": [", (i > 1 ? "," : ""), f, first[f], last[f], calls[f], lh[f], lt[f], bh[f], bt[f] >json
		m = split(mline[f], l, " ")
		for (k = 1; k <= m; k++) printf "%s%d", (k > 1 ? ", " : ""), l[k] >json
		printf "], \"branches_not_hit\": [" >json
		m = split(mbr[f], b, " ")
		for (k = 1; k <= m; k++) {
			split(b[k], p, ":")
			printf "%s{\"line\": %d, \"block\": %d, \"branch\": %d, \"taken\": \"%s\"}", (k > 1 ? ", " : ""), p[1], p[2], p[3], p[4] >json
		}
		printf "]}" >json
	}
	print "\n]}" >json
	print "\n## Not reached\n" >md
	print "At -O2 an early `return` right after an `if` often has no line record of its own: read the branch on the `if`. A line with several conditions (`a && b`, a macro such as `put_user`) has two branches per condition, numbered in evaluation order.\n" >md
	for (i = 1; i <= n; i++) {
		f = names[i]
		if (!(f in first) || (mline[f] == "" && mbr[f] == "")) continue
		printf "### %s\n\n", f >md
		m = split(mline[f], l, " ")
		for (k = 1; k <= m; k++) printf "- line %d not run: `%s`\n", l[k], text[l[k]] >md
		m = split(mbr[f], b, " ")
		for (k = 1; k <= m; k++) {
			split(b[k], p, ":")
			printf "- line %d, block %d branch %d %s: `%s`\n", p[1], p[2], p[3], (p[4] == "-" ? "never evaluated" : "never taken"), text[p[1]] >md
		}
		print "" >md
	}
}' "$tree/$source_file" "$spans" "$info" || die "the function table failed"
rm -f "$spans"

sed -n '/^| function/,/^$/p' "$md"
lcov --summary "$info" "${lcov_rc[@]}" 2>&1 | sed -n 's/^ *\(lines\|functions\|branches\)/net\/sctp \1/p'
echo "report: $md, $json, $reports/kernel-coverage/index.html"
exit "$status"
