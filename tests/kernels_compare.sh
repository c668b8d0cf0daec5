#!/bin/bash
# The kernel matrix on two real kernels (make kernels-compare): the stock
# linux.uml (Debian's user-mode-linux, SCTP as a module) and the UML kernel
# kernel/build.sh builds from linux-source-6.1 (SCTP built in, gcov on
# net/sctp), the whole suite on each, then reports/compare.md and .json.
#   tests/kernels_compare.sh [run.sh options, e.g. --reports DIR --suite NAME]
# Holds the kernel cache lock for the whole run, so no mutant is built into
# the tree while the suite runs on it. Exit status: run.sh --kernels's.
set -u
cd "$(dirname "$0")/.." || exit 2
# shellcheck source=kernel/lock.sh
. kernel/lock.sh
pst_kernel_lock kernels-compare || exit 2
linux=$(kernel/build.sh | tail -n 1)
[ "${PIPESTATUS[0]}" -eq 0 ] && [ -x "$linux" ] || exit 3
./run.sh --kernels "stock=uml,built-in-sctp=uml:$linux" "$@"
