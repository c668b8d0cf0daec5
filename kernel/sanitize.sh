#!/bin/bash
# The whole suite on the sanitizer kernels (make sanitize): for each Debian line
# named, kernel/build.sh --sanitize --line NAME (built once, cached), then the
# suite on it in UML under KASAN, lockdep, kmemleak, ... (kernel/sanitize.config);
# with two or more lines one ./run.sh --kernels run and its reports/compare.md.
#   kernel/sanitize.sh [--lines NAME,NAME] [run.sh options: --reports DIR, --suite ...]
#   --lines (or PST_SANITIZE_LINES): the lines, default bookworm (6.1); e.g.
#            bookworm,trixie for 6.1 and 6.12
# Every kernel report is its case's FAIL (no_kernel_report: the report's first lines
# and the case's tags); at the end the reports are listed, one line each
# (also in REPORTS/sanitizer-reports.txt), with the time the run took.
# Holds the sanitizer entries' lock for the whole run, so no sanitizer mutant is in
# the tree meanwhile. Exit status: run.sh's (0 passed, 1 a failure, a report
# included), 2 usage error, 3 a kernel did not build or could not run.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$here/.." || exit 2
lines=${PST_SANITIZE_LINES:-bookworm}
reports=reports
args=()
while [ $# -gt 0 ]; do
	case $1 in
	--lines) lines=${2:?--lines needs NAME,NAME}; shift ;;
	--lines=*) lines=${1#*=} ;;
	--reports) reports=${2:?--reports needs a directory}; args+=("$1" "$2"); shift ;;
	--reports=*) reports=${1#*=}; args+=("$1") ;;
	--kernel | --kernel=* | --kernels | --kernels=* | --modules | --modules=* | --target | --target=* | \
		--kernel-line | --kernel-line=* | --kernel-coverage)
		echo "kernel/sanitize.sh: $1: not with the sanitizer run (it chooses its kernels: --lines)" >&2
		exit 2
		;;
	*) args+=("$1") ;;
	esac
	shift
done

# shellcheck source=kernel/lock.sh
. "$here/lock.sh"
pst_kernel_lock kernel/sanitize.sh sanitize || exit 2
specs=() kernels=()
IFS=, read -r -a names <<<"$lines"
for name in "${names[@]}"; do
	suite=$(harness/guests/debian-line.sh suite "$name") || exit 2
	start=$SECONDS
	linux=$(kernel/build.sh --sanitize --line "$name" | tail -n 1)
	[ "${PIPESTATUS[0]}" -eq 0 ] && [ -x "$linux" ] || exit 3
	echo "kernel/sanitize.sh: $suite's sanitizer kernel: $linux ($((SECONDS - start)) s)"
	kernels+=("$linux")
	specs+=("sanitize-$suite=uml:$linux")
done
[ ${#kernels[@]} -gt 0 ] || { echo "kernel/sanitize.sh: --lines names no line" >&2; exit 2; }

start=$SECONDS
if [ ${#kernels[@]} -eq 1 ]; then
	./run.sh --kernel "${kernels[0]}" "${args[@]}"
else
	./run.sh --kernels "$(IFS=,; echo "${specs[*]}")" "${args[@]}"
fi
status=$?
took=$((SECONDS - start))

# The reports, case by case, from every kernel's results.tsv (one kernel: the top one).
mapfile -t results < <(ls "$reports"/results.tsv "$reports"/kernels/*/results.tsv 2>/dev/null)
list=$reports/sanitizer-reports.txt
mkdir -p "$reports" &&
	for r in "${results[@]}"; do
		case $r in "$reports"/results.tsv) [ ${#kernels[@]} -eq 1 ] || continue ;; esac
		awk -F'\t' -v k="$(basename "$(dirname "$r")")" \
			'NR > 1 && $4 ~ /kernel report: / { print k "\t" $1 "/" $2 "\t" $4 }' "$r"
	done >"$list"
n=$(wc -l <"$list")
echo "kernel/sanitize.sh: the suite on ${#kernels[@]} sanitizer kernel(s) in $((took / 60)) min $((took % 60)) s, exit $status; $n case(s) with a kernel report ($list)"
cut -f2- "$list" | sed 's/^/  /'
exit "$status"
