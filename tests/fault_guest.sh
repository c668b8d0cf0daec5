#!/bin/bash
# The guest side of tests/fault_check.sh: inside one guest, the suite under
# each named shim in turn (each shim LD_PRELOADed into its own run.sh, as
# run.sh does in a guest of its own), so N shims cost one boot, not N.
#   tests/fault_guest.sh NAME...
# For each NAME it runs the cases reports/faults/NAME/cases lists (a --case
# list, written by fault_check.sh; empty: the whole suite) and writes
# reports/faults/NAME/run.log and .../status (run.sh's exit status).
set -u
cd "$(dirname "$0")/.." || exit 2
for name in "$@"; do
	dir=reports/faults/$name
	scope=()
	[ -s "$dir/cases" ] && scope=(--case "$(cat "$dir/cases")")
	LD_PRELOAD=$PWD/build/faults/$name.so ./run.sh --target host --reports "$dir" "${scope[@]}" \
		>"$dir/run.log" 2>&1
	echo $? >"$dir/status"
done
