#!/bin/bash
# A stopped run stops, and leaves nothing behind.
#   tests/interrupt_check.sh          on the host (UML): SIGINT to run.sh's process group
#                                     (Ctrl-C), serial and --jobs 2; SIGTERM, SIGHUP and
#                                     SIGINT to run.sh alone (by PID: what a CI runner or a
#                                     process supervisor sends); SIGTERM to run.sh alone with
#                                     --jobs 2 and with --kernels; SIGKILL to run.sh alone
#                                     (its watcher stops the run: exit 137, then nothing
#                                     left); then the host target, inside a guest
#   tests/interrupt_check.sh --guest DIR  (run inside the guest) ./run.sh --target host:
#                                     SIGINT to its group, SIGTERM to it alone; logs in DIR
#   tests/interrupt_check.sh --qemu DEB   on the host: ./run.sh --kernel-deb DEB, SIGINT to
#                                     its group and SIGTERM to it alone
# Each interrupted run must exit 130 (README), and when it has ended nothing of it may be
# left: no guest (linux.uml, QEMU) and no other process of it (each run has a private
# TMPDIR, which its processes carry in their environment and its guests on their command
# line), no temporary file, no journal, no network namespace; and it writes no report
# after it ended: no junit.xml, nothing in its reports directory newer than its end,
# looked at 3 s or more later. (On the run.sh before the supervisor, a SIGTERM to run.sh
# alone ended it at once with 143 while its guest ran on and wrote every report.)
# Logs and each run's reports: build/check-reports/interrupt-<mode>/.
set -u
cd "$(dirname "$0")/.." || exit 2
mode=${1:-host}
target_args=()
[ "$mode" = --qemu ] && target_args=(--kernel-deb "${2:?--qemu needs a kernel .deb}")
out=${PST_CHECK_REPORTS:-build/check-reports}/interrupt-${mode#--}
[ "$mode" = --guest ] && out=${2:?--guest needs a directory}
mkdir -p "$out" || exit 2
fails=0
bad() { echo "  $1"; fails=$((fails + 1)); }
ended=() # the runs whose reports are looked at again at the end

# A case that hangs until its timeout: the run is certainly mid-case when
# interrupted. 3 s: a guest left running (the old run.sh) ends it and writes
# its reports while this check is still looking.
hang=(--selftest --case selftest_hang_is_ERROR --timeout 3)

# interrupt_run SIGNAL WHOM LABEL COMMAND...: start COMMAND (a run) in its own
# process group, wait until its runner has started the cases, send SIGNAL to the
# group (WHOM=group: the terminal's Ctrl-C) or to the run alone (WHOM=pid), wait
# for its end. $status: its exit status. Job control on (set -m): the run gets
# its own process group. A background job may inherit SIGINT ignored (from
# whoever started this script in the background): env --default-signal gives
# the run the terminal's default.
set -m
interrupt_run() {
	local sig=$1 whom=$2 label=$3 log=$out/$3.log pid deadline=$((SECONDS + 120)) ready a
	shift 3
	# In the cases: after the header; with --jobs (whose header run.sh prints
	# before the guests boot), after the first case's line.
	ready='^peeloff conformance: '
	for a in "$@"; do [ "$a" = --jobs ] && ready='^PASS '; done
	: >"$log" # (here, not in the job: the loop below must not read an earlier run's log)
	env --default-signal=INT "$@" >>"$log" 2>&1 &
	pid=$!
	# (a QEMU guest under emulation boots in 15-30 s)
	until grep -q "$ready" "$log" || [ "$SECONDS" -ge "$deadline" ] || ! kill -0 "$pid" 2>/dev/null; do
		sleep 0.1
	done
	grep -q "$ready" "$log" ||
		bad "$label: the run did not start (within 120 s, or it ended): $(tail -n 2 "$log" | tr '\n' ' ')"
	sleep 0.5 # into the case, which hangs
	t0=${EPOCHREALTIME/./}
	if [ "$whom" = group ]; then kill "-$sig" -- "-$pid"; else kill "-$sig" "$pid"; fi
	wait "$pid" 2>/dev/null # (not the shell's "Killed" line for the SIGKILL)
	status=$?
	took_ms=$(((${EPOCHREALTIME/./} - t0) / 1000))
}

# The processes whose environment says TMPDIR=PREFIX... (a run's, and its guests').
run_procs() {
	grep -lsz -- "^TMPDIR=$1" /proc/[0-9]*/environ 2>/dev/null | cut -d/ -f3 | grep -vx "$$"
}

if [ "$mode" = --guest ]; then
	for how in INT:group TERM:pid; do
		label=host-${how%:*}-${how#*:}
		interrupt_run "${how%:*}" "${how#*:}" "$label" ./run.sh --target host "${hang[@]}" --reports "$out/$label"
		[ "$status" -eq 130 ] || bad "$label: exit status after SIG${how%:*} to the ${how#*:}: expected 130, got $status"
		left=$(ip netns list | grep '^pst' || true)
		[ -z "$left" ] || bad "$label: network namespaces left: $left"
		[ -z "$(ls /run/netns 2>/dev/null | grep '^pst')" ] || bad "$label: files left in /run/netns"
		pgrep -f build/peeloff-runner >/dev/null && bad "$label: runner or case processes left"
		[ -e "$out/$label/junit.xml" ] && bad "$label: an interrupted run left a junit.xml"
	done
	# A global knob the interrupted case changed is back (the runner restores it).
	knob=/proc/sys/fs/lease-break-time
	read -r before <"$knob"
	env --default-signal=INT ./run.sh --target host --selftest --timeout 60 \
		--case selftest_global_knob_changed_then_hang_is_ERROR --reports "$out/knob" >"$out/knob.log" 2>&1 &
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

# check_run LABEL SIGNAL WHOM RUN.SH-ARGS...: one interrupted run, with a
# private TMPDIR: what this run leaves is told from other runs on the machine.
check_run() {
	local label=$1 sig=$2 whom=$3 private_tmp dir=$out/$1 left
	shift 3
	private_tmp=$(mktemp -d)
	TMPDIR=$private_tmp interrupt_run "$sig" "$whom" "$label" ./run.sh "${target_args[@]}" "$@" --reports "$dir"
	if [ "$sig" = KILL ]; then
		# No trap runs: run.sh ends at once (128 + 9), and its watcher, which
		# sees it gone, stops the run: until the run's last process has ended.
		for _ in $(seq 1 300); do
			[ -z "$(run_procs "$private_tmp")" ] && ! pgrep -f "PST_RUNDIR=$private_tmp" >/dev/null && break
			sleep 0.05
		done
		took_ms=$(((${EPOCHREALTIME/./} - t0) / 1000))
		[ "$status" -eq 137 ] || bad "$label: exit status after SIGKILL: expected 137, got $status"
		echo "  $label: SIGKILL to the $whom: exit $status, the run stopped after $took_ms ms"
	else
		[ "$status" -eq 130 ] || bad "$label: exit status after SIG$sig to the $whom: expected 130, got $status"
		echo "  $label: SIG$sig to the $whom: exit $status after $took_ms ms"
	fi
	[ "$took_ms" -le 10000 ] || bad "$label: the run ended $took_ms ms after SIG$sig, more than 10 s"
	touch "$out/$label.end"
	ended+=("$label")
	# No grace period: when run.sh has ended, nothing of the run may be left.
	pgrep -f "PST_RUNDIR=$private_tmp" >/dev/null &&
		bad "$label: guest processes left: $(pgrep -af "PST_RUNDIR=$private_tmp" | head -3 | cut -c1-150)"
	left=$(run_procs "$private_tmp")
	[ -z "$left" ] || bad "$label: processes of the run left: $(ps -o pid=,args= -p "$(echo $left | tr ' ' ,)" | head -3 | cut -c1-150)"
	left=$(ls -A "$private_tmp")
	[ -z "$left" ] || bad "$label: temporary files left: $left"
	# (only what it names above: the next check starts clean; a guest left running
	# ends when its deadline does)
	pkill -KILL -f "PST_RUNDIR=$private_tmp"
	rm -rf "$private_tmp"
	left=$(cd "$dir" 2>/dev/null && ls -Ad .journal* .claims .jobs.* kernels/*/.journal* 2>/dev/null)
	[ -z "$left" ] || bad "$label: journals left: $left"
	left=$(ip netns list 2>/dev/null | grep '^pst' || true)
	[ -z "$left" ] || bad "$label: network namespaces left: $left"
}
check_run ctrl-c INT group "${hang[@]}"
check_run ctrl-c-jobs2 INT group --jobs 2 --selftest --case 'selftest_[hp]a[sn]*' --timeout 3
check_run term TERM pid "${hang[@]}"
if [ "$mode" != --qemu ]; then
	check_run hup HUP pid "${hang[@]}"
	check_run int INT pid "${hang[@]}"
	check_run term-jobs2 TERM pid --jobs 2 --selftest --case 'selftest_[hp]a[sn]*' --timeout 3
	check_run term-kernels TERM pid --kernels a=uml,b=uml "${hang[@]}"
	# SIGKILL to run.sh alone (a supervisor's last resort): the run stops too.
	check_run kill KILL pid "${hang[@]}"
fi

# No report after the end: a guest left running would finish its hanging case
# within 3 s and write its reports.
for label in "${ended[@]}"; do
	for _ in $(seq 1 40); do # (3 s after this run's end, at most 4 s from here)
		[ $(($(date +%s) - $(stat -c %Y "$out/$label.end"))) -ge 3 ] && break
		sleep 0.1
	done
	left=$(find "$out/$label" -name junit.xml 2>/dev/null)
	[ -z "$left" ] || bad "$label: an interrupted run left a junit.xml: $left"
	left=$(find "$out/$label" -newer "$out/$label.end" 2>/dev/null | head -3)
	[ -z "$left" ] || bad "$label: written after run.sh ended: $left"
done
[ "$mode" = --qemu ] && exit $((fails > 0))

# The host target, where the runner itself makes the namespaces: inside a guest.
harness/guests/uml-run.sh --deadline 120 --console "$out/uml-console.log" -- \
	tests/interrupt_check.sh --guest "$out/guest" || bad "guest: $(tail -n 3 "$out"/guest/*.log)"
exit $((fails > 0))
