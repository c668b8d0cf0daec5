#!/bin/bash
# Inside the UML guest of kernel/coverage.sh (started through harness/guests/uml-run.sh,
# so guest-init.sh has mounted proc, sysfs and /run): reset the kernel's gcov
# counters, run the suite, copy net/sctp's .gcda files to a host directory, and
# exit with the suite's status.
#   kernel/guest-coverage.sh GCDA_DIR [run.sh args]
set -u
debugfs=/sys/kernel/debug
gcov=$debugfs/gcov
not_run=3 # run.sh's "the target could not run"

[ $# -ge 1 ] || { echo "guest-coverage: usage: $0 GCDA_DIR [run.sh args]" >&2; exit 2; }
gcda_dir=$1
shift
if ! mountpoint -q "$debugfs"; then
	mount -t debugfs debugfs "$debugfs" || { echo "guest-coverage: cannot mount debugfs" >&2; exit "$not_run"; }
fi
[ -e "$gcov/reset" ] || { echo "guest-coverage: no $gcov: not a CONFIG_GCOV_KERNEL kernel" >&2; exit "$not_run"; }

# Only the suite's counts: what booting the guest ran is dropped.
echo 0 >"$gcov/reset" || exit "$not_run"
./run.sh --target host "$@"
status=$?

# The files sit under the absolute path of the build directory the objects
# were compiled in; find them instead of guessing it. One find and one cp:
# every process costs tens of milliseconds in UML.
mkdir -p "$gcda_dir" &&
	find "$gcov" -path '*/net/sctp/*.gcda' -exec cp -t "$gcda_dir" {} + ||
	echo "guest-coverage: copying the .gcda files to $gcda_dir failed" >&2
exit "$status"
