#!/bin/bash
# Kernel line and branch coverage of the peeloff code: run the suite on the
# gcov-instrumented UML kernel of kernel/build.sh, then lcov and genhtml.
#   kernel/coverage.sh [--line NAME] [run.sh args]   (any but --target, --kernel, --modules,
#   --coverage); ./run.sh --kernel-coverage [--kernel-line NAME] [run.sh args] runs it
# --line NAME (or PST_KERNEL_LINE): the kernel built from another Debian line's
# source (kernel/build.sh --line); its reasons are kernel/unreachable-<suite>.tsv
# (kernel/unreachable.tsv: bookworm's 6.1, the default).
# Writes under the run's reports directory (--reports DIR, default reports/):
#   kernel-coverage.info         lcov tracefile of net/sctp (branch coverage on)
#   kernel-coverage/             its HTML (genhtml --branch-coverage)
#   kernel-coverage-functions.md, .json, .tsv   the peeloff functions, with what was
#                                not reached and why (kernel/coverage-table.sh); the
#                                table also goes into junit.xml and index.html
#                                (build/kcov-annotate)
#   kernel-gcda/, kernel-lcov.log         the guest's .gcda files; lcov's output
#   kernel-coverage-live/, .log  the rows of the live kernel bugs this kernel carries
#                                (tests/stock-kernel-failures.tsv), run apart:
#                                they may kill the kernel, and the gcov counts with it
# Exit status: the suite's (0 passed, 1 conformance failure; the live-bug rows apart,
# 1 when they fail otherwise than the list says); 1 also when a line
# or branch of the four peeloff functions is not reached and kernel/unreachable.tsv
# gives no reason; 2 usage error or missing package, 3 the guest or lcov failed.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
cd "$root" || exit 2
# The guest's deadline, computed as run.sh does: boot allowance + every case at its timeout.
boot_allowance=120 # seconds
case_slack=2       # seconds per case beyond its timeout
timeout=10         # run.sh's default per-case timeout
no_verdict=75      # harness/guests/uml-run.sh: the guest died or hung

die() { echo "kernel/coverage.sh: $1" >&2; exit "${2:-3}"; }

args=()
for a in "$@"; do
	case ${line_next:-} in 1) export PST_KERNEL_LINE=$a; line_next=; continue ;; esac
	case $a in
	--line) line_next=1 ;;
	--line=*) export PST_KERNEL_LINE=${a#*=} ;;
	*) args+=("$a") ;;
	esac
done
set -- "${args[@]}"
# The line's own reasons for what no case reaches (the code differs between lines).
suite=bookworm
if [ -n "${PST_KERNEL_LINE:-}" ]; then
	suite=$(harness/guests/debian-line.sh suite "$PST_KERNEL_LINE") || exit 2
fi
if [ "$suite" != bookworm ] && [ -z "${PST_KERNEL_UNREACHABLE:-}" ]; then
	export PST_KERNEL_UNREACHABLE=$here/unreachable-$suite.tsv
	[ -f "$PST_KERNEL_UNREACHABLE" ] || die "no $PST_KERNEL_UNREACHABLE: the reasons of line $suite (start from kernel/unreachable.tsv)" 2
fi
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
./run.sh --list "${args[@]}" >"$reports/kernel-coverage-cases.txt" || exit $?
ncases=$(wc -l <"$reports/kernel-coverage-cases.txt")

# The cache lock for the whole run: no mutant may be built into the tree meanwhile.
# shellcheck source=kernel/lock.sh
. "$here/lock.sh"
pst_kernel_lock kernel/coverage.sh || exit 2
linux=$("$here/build.sh" | tail -n 1)
build_status=${PIPESTATUS[0]}
[ "$build_status" -eq 0 ] || exit "$build_status"
tree=$(dirname "$linux")

# The live kernel bugs this kernel carries (tests/stock-kernel-failures.tsv)
# can kill it, and a dead guest takes every case's counts with it: their rows run
# apart, after the coverage guest, in a run of their own (a fresh guest after each
# death, no coverage), which must fail exactly as the list says. The coverage guest
# runs every other case selected.
release=$(cat "$tree/include/config/kernel.release" 2>/dev/null)
live_reports=$reports/kernel-coverage-live
rm -rf "$live_reports"
mapfile -t live < <(tests/expected_failures.sh cases "${release:-unknown}" |
	grep -xF -f "$reports/kernel-coverage-cases.txt")
if [ ${#live[@]} -gt 0 ]; then
	# The rest as --case globs: a suite without a live row whole, else its rows one by one.
	rest=$(awk -v live="$(printf '%s\n' "${live[@]}")" '
		BEGIN { n = split(live, l, "\n"); for (i = 1; i <= n; i++) { is[l[i]] = 1; split(l[i], p, "/"); hit[p[1]] = 1 } }
		{ split($0, p, "/") }
		!(p[1] in hit) { if (!(p[1] in said)) print p[1] "/*"; said[p[1]] = 1; next }
		!($0 in is) { print }' "$reports/kernel-coverage-cases.txt" | paste -sd, -)
	# The run's options but what it selects (cov_args), and but where its reports go (live_args).
	cov_args=() live_args=() skip=''
	for a in "${args[@]}"; do
		case $skip in
		select) skip=''; continue ;;
		reports) skip=''; cov_args+=("$a"); continue ;;
		esac
		case $a in
		--suite | --case) skip=select ;;
		--suite=* | --case=*) ;;
		--reports) skip=reports; cov_args+=("$a") ;;
		--reports=*) cov_args+=("$a") ;;
		*) cov_args+=("$a"); live_args+=("$a") ;;
		esac
	done
	args=("${cov_args[@]}" --case "$rest")
	echo "kernel/coverage.sh: ${#live[@]} rows of live kernel bugs of $release run apart, without coverage ($live_reports)" >&2
fi
rm -f "$reports/kernel-coverage-cases.txt"

gcda=$reports/kernel-gcda
rm -rf "$gcda" "$reports/kernel-coverage"
mkdir -p "$gcda"
: >"$reports/uml-console.log"
deadline=$((boot_allowance + ncases * (timeout + case_slack)))
start=$SECONDS
harness/guests/uml-run.sh --kernel "$linux" --deadline "$deadline" --console "$reports/uml-console.log" \
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

# ---- the per-function table, and every gap explained ----
"$here/coverage-table.sh" "$info" "$tree" "$reports" "$status" "$linux"
table_status=$?
# junit.xml and index.html were written in the guest, before this table existed.
if [ "$table_status" -le 1 ]; then
	build/kcov-annotate "$reports/kernel-coverage-functions.tsv" "$reports" ||
		die "could not put the table into $reports/junit.xml and index.html"
fi
lcov --summary "$info" "${lcov_rc[@]}" 2>&1 | sed -n 's/^ *\(lines\|functions\|branches\)/net\/sctp \1/p'
echo "report: $reports/kernel-coverage-functions.md, .json, $reports/kernel-coverage/index.html"

live_status=0
if [ ${#live[@]} -gt 0 ]; then
	./run.sh --target uml --kernel "$linux" "${live_args[@]}" --case "$(printf '%s\n' "${live[@]}" | paste -sd, -)" \
		--reports "$live_reports" >"$live_reports.log" 2>&1
	st=$?
	if lines=$(tests/expected_failures.sh check "$live_reports" "$st"); then
		echo "kernel/coverage.sh: the live-bug rows: ${lines%%$'\n'*}" >&2
	else
		echo "kernel/coverage.sh: the live-bug rows failed otherwise than tests/stock-kernel-failures.tsv says ($live_reports.log):" >&2
		grep '^FAIL' <<<"$lines" >&2
		live_status=1
	fi
fi
[ "$table_status" -eq 0 ] || exit "$table_status"
[ "$live_status" -eq 0 ] || exit 1
exit "$status"
