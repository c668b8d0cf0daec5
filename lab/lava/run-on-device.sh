#!/bin/sh
# The LAVA test definition's run step: the suite on the device's own kernel
# (--target host), then its KTAP results as LAVA results. POSIX sh.
#   lab/lava/run-on-device.sh REPORTS_DIR [run.sh options...]
# run.sh exit 0 or 1 (conformance failure): the per-case results say which, and
# the "run-sh-exit" case records it. 2 (usage/missing dependency) or 3 (the
# target could not run, e.g. no SCTP in this kernel): lava-test-raise, which
# ends the job as Incomplete - an infrastructure problem, not a kernel verdict.
set -u
if [ $# -lt 1 ]; then
	echo "usage: run-on-device.sh REPORTS_DIR [run.sh options...]" >&2
	exit 2
fi
reports=$1
shift
here=$(dirname "$0")
st=0
./run.sh --target host --reports "$reports" "$@" || st=$?
case $st in
0) lava-test-case run-sh-exit --result pass ;;
1) lava-test-case run-sh-exit --result fail ;;
*)
	lava-test-raise "run.sh exited $st (2: usage or missing dependency, 3: the target could not run)"
	exit "$st"
	;;
esac
"$here/ktap-to-lava.sh" "$reports/results.ktap" ||
	lava-test-raise "no usable KTAP in $reports/results.ktap"
