#!/bin/bash
# The kernel matrix on two real kernels (make kernels-compare): the stock
# linux.uml (Debian's user-mode-linux, SCTP as a module) and the UML kernel
# kernel/build.sh builds from linux-source-6.1 (SCTP built in, gcov on
# net/sctp), the whole suite on each, then reports/compare.md and .json.
#   tests/kernels_compare.sh [run.sh options, e.g. --reports DIR --suite NAME]
# Holds the kernel cache lock for the whole run, so no mutant is built into
# the tree while the suite runs on it. Both kernels carry the live bugs of
# tests/stock-kernel-failures.tsv: each kernel's failing rows must be
# exactly those (tests/expected_failures.sh). Exit status: 0 they are, 1 a
# kernel failed otherwise, else run.sh --kernels's (2 usage, 3 could not run).
set -u
cd "$(dirname "$0")/.." || exit 2
reports=reports
args=("$@")
while [ $# -gt 0 ]; do
	case $1 in
	--reports) reports=${2:-}; shift ;;
	--reports=*) reports=${1#*=} ;;
	esac
	shift
done
# shellcheck source=kernel/lock.sh
. kernel/lock.sh
pst_kernel_lock kernels-compare || exit 2
linux=$(kernel/build.sh | tail -n 1)
[ "${PIPESTATUS[0]}" -eq 0 ] && [ -x "$linux" ] || exit 3
./run.sh --kernels "stock=uml,built-in-sctp=uml:$linux" "${args[@]}"
st=$?
[ "$st" -le 1 ] || exit "$st"
fails=0
for dir in "$reports"/kernels/*/; do
	tests/expected_failures.sh check "${dir%/}" || fails=$((fails + 1))
done
[ "$(ls -d "$reports"/kernels/*/ 2>/dev/null | wc -l)" -eq 2 ] || { echo "FAIL expected two kernels' reports under $reports/kernels"; fails=$((fails + 1)); }
echo "kernels-compare: run.sh exit $st; $([ "$fails" -eq 0 ] && echo "each kernel failed exactly its expected live-bug rows" || echo "$fails kernel(s) failed otherwise")"
[ "$fails" -eq 0 ]
