#!/bin/bash
# Ctrl-C in the middle of a run leaves nothing behind.
#   tests/interrupt_check.sh          on the host: ./run.sh (UML), then with
#                                     --jobs 2 (two guests); then the same check
#                                     for the host target, inside a guest
#   tests/interrupt_check.sh --guest  (run inside the guest) ./run.sh --target host
#   tests/interrupt_check.sh --qemu DEB   on the host: ./run.sh --kernel-deb DEB
set -u
cd "$(dirname "$0")/.." || exit 2
mode=${1:-host}
target_args=()
[ "$mode" = --qemu ] && target_args=(--kernel-deb "${2:?--qemu needs a kernel .deb}")
log=reports/interrupt-$mode.log
fails=0
bad() { echo "  $1"; fails=$((fails + 1)); }

# A case that hangs until its timeout: the run is certainly mid-case when interrupted.
hang=(--selftest --case selftest_hang_is_ERROR --timeout 60)

# The terminal sends SIGINT to the whole foreground process group: do the same.
# Job control on (set -m): the run gets its own process group. A background job
# may inherit SIGINT ignored (from whoever started this script in the
# background): env --default-signal gives the run the terminal's default.
set -m
interrupt_run() {
	env --default-signal=INT "$@" >"$log" 2>&1 &
	local pid=$! i
	for i in $(seq 1 1200); do # (a QEMU guest under emulation boots in 15-30 s)
		grep -q '^peeloff conformance: ' "$log" && break
		sleep 0.1
	done
	grep -q '^peeloff conformance: ' "$log" || bad "the run did not start within 120 s"
	sleep 0.5 # into the case, which hangs
	kill -INT -- "-$pid"
	wait "$pid"
	status=$?
}

if [ "$mode" = --guest ]; then
	interrupt_run ./run.sh --target host "${hang[@]}"
	[ "$status" -eq 130 ] || bad "exit status after SIGINT: expected 130, got $status"
	left=$(ip netns list | grep '^pst' || true)
	[ -z "$left" ] || bad "network namespaces left: $left"
	[ -z "$(ls /run/netns 2>/dev/null | grep '^pst')" ] || bad "files left in /run/netns"
	pgrep -f build/peeloff-runner >/dev/null && bad "runner or case processes left"
	# A global knob the interrupted case changed is back (the runner restores it).
	knob=/proc/sys/fs/lease-break-time
	read -r before <"$knob"
	env --default-signal=INT ./run.sh --target host --selftest --timeout 60 \
		--case selftest_global_knob_changed_then_hang_is_ERROR >"$log" 2>&1 &
	pid=$!
	for i in $(seq 1 200); do # the case has changed it: now it hangs
		read -r now <"$knob"
		[ "$now" != "$before" ] && break
		sleep 0.05
	done
	[ "$now" != "$before" ] || bad "the case did not change $knob within 10 s"
	kill -INT -- "-$pid"
	wait "$pid"
	status=$?
	[ "$status" -eq 130 ] || bad "exit status after SIGINT: expected 130, got $status"
	read -r now <"$knob"
	[ "$now" = "$before" ] || bad "$knob after the interrupted case: expected $before, got $now"
	exit $((fails > 0))
fi

# A private TMPDIR: what this run leaves is told from other runs on the machine.
# Serial (one guest), then --jobs 2: two guests, each a share of two cases
# (selftest_pass_is_PASS and selftest_hang_is_ERROR), one of them mid-case.
check_host_run() { # LABEL RUN.SH-ARGS...
	local label=$1 private_tmp
	shift
	private_tmp=$(mktemp -d)
	TMPDIR=$private_tmp interrupt_run ./run.sh "${target_args[@]}" "$@"
	[ "$status" -eq 130 ] || bad "$label: exit status after SIGINT: expected 130, got $status"
	# No grace period: when run.sh has ended, its guests' cleanup must have too
	# (a --jobs run once ended before its launchers had removed their files).
	pgrep -f "PST_RUNDIR=$private_tmp" >/dev/null &&
		bad "$label: guest processes left: $(pgrep -af "PST_RUNDIR=$private_tmp" | head -3)"
	left=$(ls -A "$private_tmp")
	[ -z "$left" ] || bad "$label: temporary files left: $left"
	rm -rf "$private_tmp" # (what it names above, so the next check starts clean)
	[ -f reports/junit.xml ] && bad "$label: an interrupted run left a reports/junit.xml"
	left=$(ls -A reports/.journal* 2>/dev/null)
	[ -z "$left" ] || bad "$label: journals left: $left"
}
check_host_run host "${hang[@]}"
check_host_run "host, --jobs 2" --jobs 2 --selftest --case 'selftest_[hp]a[sn]*' --timeout 60
[ "$mode" = --qemu ] && exit $((fails > 0))

# The host target, where the runner itself makes the namespaces: inside a guest.
harness/guests/uml-run.sh --deadline 120 --console reports/uml-interrupt-console.log -- \
	tests/interrupt_check.sh --guest || bad "guest: $(cat reports/interrupt---guest.log | tail -3)"
exit $((fails > 0))
