# shellcheck shell=bash
# What the guest launchers (harness/guests/uml-run.sh, harness/guests/qemu-run.sh) share:
# the guest.env that harness/guests/guest-init.sh reads, and the verdict of a boot.
# Sourced; the caller defines die() (message, exit status).

# guest_start NAME: make $rundir (what the guest and the launcher share) and
# arrange that however the launcher ends, the guest's whole process group
# (the launcher sets guest_pid while it runs) is stopped and $rundir removed.
guest_pid= rundir=
guest_start() {
	# The traps first: a signal that comes while mktemp runs still removes
	# what it made.
	trap guest_cleanup EXIT
	# shellcheck disable=SC2064 # the name now, not at signal time
	trap "echo '$1-run: interrupted' >&2; exit 130" INT TERM HUP
	rundir=$(mktemp -d "${TMPDIR:-/tmp}/pst-$1.XXXXXX") || die "mktemp failed"
}
guest_cleanup() {
	[ -n "$rundir" ] || return 0
	guest_stall_stop
	if [ -n "$guest_pid" ]; then
		kill -TERM -- "-$guest_pid" 2>/dev/null
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			kill -0 -- "-$guest_pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL -- "-$guest_pid" 2>/dev/null
		wait "$guest_pid" 2>/dev/null
	fi
	# Whatever of this guest left its group: a UML process that its dying
	# tracer left stopped, or a guest started just as the signal came. Each
	# carries PST_RUNDIR=$rundir (unique to this launch) on its command line.
	pkill -KILL -f -- "PST_RUNDIR=$rundir( |$)" 2>/dev/null
	rm -rf "$rundir"
}

# The line harness/guests/guest-init.sh prints on the console when COMMAND has
# ended (guest.env gives it to the guest): what the guest kernel says after it
# (its halt: "reboot: System halted") is no part of the run's output.
guest_end_mark='=== pst-guest: the command ended'

# guest_console_open NOISE: a descriptor ($console_fd) for the guest's console:
# every line into the console log ($console), and onto this script's stdout
# without CRs (a guest's tty turns each newline into CR LF), without the lines
# matching NOISE (an extended regex) and nothing from guest_end_mark on.
guest_console_open() {
	exec {console_fd}> >(tee -a "$console" | sed -u -E -e 's/\r$//' -e "/^$guest_end_mark\$/,\$d" -e "/$1/d")
	console_pid=$!
}
# guest_console_close: when the guest has ended, its last lines shown before
# the launcher ends (whatever runs next writes after them); 2 s at most, for
# a guest process that still holds the console.
guest_console_close() {
	local _
	exec {console_fd}>&-
	for _ in $(seq 1 40); do
		kill -0 "$console_pid" 2>/dev/null || return 0
		sleep 0.05
	done
}

# guest_env TARGET MODULES COMMAND...: the guest.env text on stdout. MODULES
# is written unquoted, so it may name $(uname -r) to be expanded in the guest.
guest_env() {
	local target=$1 modules=$2 v
	shift 2
	printf 'PST_GUEST_CWD=%q\n' "$PWD"
	printf 'PST_GUEST_LD_PRELOAD=%q\n' "${LD_PRELOAD:-}"
	printf 'PST_GUEST_MODULES=%s\n' "$modules"
	printf 'PST_GUEST_END_MARK=%q\n' "$guest_end_mark"
	printf 'PST_GUEST_CMD=('
	printf '%q ' "$@"
	printf ')\n'
	# What the runner reports as the target, and the variables it reads.
	printf 'export PST_TARGET=%q\n' "$target"
	for v in PST_SUITE_VERSION PST_JUNIT_XSD PST_RUNNER PST_ACCEL UBSAN_OPTIONS PST_KERNEL_IMAGE \
		PST_KERNEL_CONFIG_HASH PST_HOST PST_STEP_TIMES PST_CONSOLE_LOG PST_KMEMLEAK; do
		[ -n "${!v:-}" ] && printf 'export %s=%q\n' "$v" "${!v}"
	done
}

# guest_stall_watch SPEC: with SPEC "FILE:SECONDS" (the launchers' --stall), a
# watcher in the background that, once the guest has written FILE, kills the
# guest's process group when FILE has not changed for SECONDS (the runner's journal gets a line
# at each case's start and end: a kernel that hangs mid-case stops them), and
# leaves $rundir/stalled saying so. A hung kernel then costs SECONDS, not the
# whole run's deadline. Its pid in $stall_pid; empty SPEC: no watcher.
stall_pid=
guest_stall_watch() {
	local file=${1%:*} limit=${1##*:} last now quiet=0 armed=0
	[ -n "$1" ] || return 0
	# (counted from the guest's first write: a fresh guest resuming a run finds
	# the journal of the one before, and its boot is no stall)
	last=$(stat -c %Y.%s "$file" 2>/dev/null)
	(
		while kill -0 -- "-$guest_pid" 2>/dev/null; do
			sleep "$stall_poll_s"
			now=$(stat -c %Y.%s "$file" 2>/dev/null) || continue
			if [ "$now" != "$last" ]; then
				last=$now quiet=0 armed=1
				continue
			fi
			[ "$armed" = 1 ] || continue
			quiet=$((quiet + stall_poll_s))
			if [ "$quiet" -ge "$limit" ]; then
				echo "$limit" >"$rundir/stalled"
				kill -KILL -- "-$guest_pid" 2>/dev/null
				exit 0
			fi
		done
	) &
	stall_pid=$!
}
# How often the watcher looks (s): a hang is seen within SECONDS + this.
stall_poll_s=2
guest_stall_stop() {
	[ -n "$stall_pid" ] || return 0
	kill "$stall_pid" 2>/dev/null
	wait "$stall_pid" 2>/dev/null
	stall_pid=
}

# guest_verdict RUNDIR STATUS DEADLINE CONSOLE: exit with the command's status
# from RUNDIR/status; without one (hang past the deadline, panic, early end:
# STATUS is the launcher's, from timeout(1)) say why and exit 75, no verdict.
guest_verdict() {
	local rundir=$1 status=$2 deadline=$3 console=$4 no_verdict=75 panic
	if [ -f "$rundir/status" ]; then
		exit "$(cat "$rundir/status")"
	fi
	if [ -f "$rundir/stalled" ]; then
		die "the guest made no progress for $(cat "$rundir/stalled") s (its journal unchanged: a hung kernel?), stopped; its console log: $console" $no_verdict
	fi
	if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
		die "the guest did not finish within ${deadline}s (hang?); its console log: $console" $no_verdict
	fi
	# The first panic line of this boot (the log holds every boot of the run).
	panic=$(awk '/^=== guest boot/ { p = "" } /Kernel panic/ && p == "" { p = $0 } END { print p }' "$console")
	if [ -n "$panic" ]; then
		die "the guest kernel panicked: $panic; console log: $console" $no_verdict
	fi
	die "the guest ended without a verdict (exit status $status); console log: $console" $no_verdict
}
