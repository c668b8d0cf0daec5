#!/bin/bash
# The guest side of tests/fault_check.sh: inside one guest, the suite under
# each named shim in turn (each shim LD_PRELOADed into its own run.sh, as
# run.sh does in a guest of its own), so N shims cost one boot, not N.
#   tests/fault_guest.sh SCOPE NAME...   SCOPE: "whole", or "named" (only the
#                                        cases the shim's "// catches:" line names)
# For each NAME: reports/faults/NAME/run.log and .../status (run.sh's exit status).
set -u
cd "$(dirname "$0")/.." || exit 2
scope_kind=$1
shift
for name in "$@"; do
	dir=reports/faults/$name
	scope=()
	if [ "$scope_kind" = named ]; then
		read -r -a want <<<"$(sed -n 's|^// catches: ||p' "faults/$name.c" | head -1)"
		scope=(--case "$(IFS=,; echo "${want[*]}")")
	fi
	LD_PRELOAD=$PWD/build/faults/$name.so ./run.sh --target host --reports "$dir" "${scope[@]}" \
		>"$dir/run.log" 2>&1
	echo $? >"$dir/status"
done
