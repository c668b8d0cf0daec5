#!/bin/bash
# The guest side of tests/fault_check.sh: inside one guest, the suite under
# each named shim in turn (each shim LD_PRELOADed into its own run.sh, as
# run.sh does in a guest of its own), so N shims cost one boot, not N.
#   tests/fault_guest.sh DIR NAME...
# For each NAME it runs the cases DIR/NAME/cases lists (a --case list, written
# by fault_check.sh; empty: the whole suite) and writes DIR/NAME/run.log and
# .../status (run.sh's exit status). DIR: fault_check.sh's, reports/faults.
set -u
cd "$(dirname "$0")/.." || exit 2
base=${1:?usage: tests/fault_guest.sh DIR NAME...}
shift
for name in "$@"; do
	dir=$base/$name
	scope=()
	[ -s "$dir/cases" ] && scope=(--case "$(cat "$dir/cases")")
	LD_PRELOAD=$PWD/build/faults/$name.so ./run.sh --target host --reports "$dir" "${scope[@]}" \
		>"$dir/run.log" 2>&1
	echo $? >"$dir/status"
done
