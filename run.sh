#!/bin/bash
# Run the sctp_peeloff conformance suite against a real SCTP stack.
#   ./run.sh [--target auto|host|uml|qemu] [--kernel PATH] [--modules DIR]
#            [--kernel-deb linux-image-*.deb] [runner options]
#   ./run.sh --kernel-coverage [runner options]   the suite on the gcov kernel (kernel/)
# See ./run.sh --help. Exit status: 0 every case passed (expected deviations
# allowed), 1 a conformance failure, 2 usage error or missing dependency,
# 3 the target could not run, 4 every requirement held but a reference
# behaviour changed (--gate), 130 interrupted (SIGINT, SIGTERM or SIGHUP, to
# run.sh alone or to its process group: nothing of the run is left after).
set -u
# (no command substitution: inside a guest every process costs ~50 ms)
case ${BASH_SOURCE[0]} in */*) cd "${BASH_SOURCE[0]%/*}" || exit 2 ;; esac
root=$PWD
runner=${PST_RUNNER:-build/peeloff-runner} # make check also runs a sanitized build

# Inside a guest (UML or QEMU) everything is already built and installed.
in_guest=0
case ${PST_TARGET:-} in uml | qemu) in_guest=1 ;; esac
# shellcheck source=harness/reports.sh
. harness/reports.sh

# ---- a stopped run stops ----
# SIGINT, SIGTERM or SIGHUP to run.sh alone (by PID: what a CI runner or a process
# supervisor sends) or to its process group (Ctrl-C) ends the whole run. This
# process only supervises: the run goes on in a session of its own (setsid: no
# signal meant for one process of it reaches the others by accident, and it has
# no terminal), under a temporary directory of its own (TMPDIR: each guest's
# directory is in it and is named on the guest's command line). Told to stop,
# the supervisor sends the session SIGTERM (the guest launchers stop their guests,
# harness/guests/guest-common.sh; the runner removes its namespaces), waits until
# nothing of it is left (10 s at most, then SIGKILL), kills any guest a killed
# launcher left behind, removes the temporary directory and the reports that would
# pass for a finished run's (harness/reports.sh), and exits 130: after that no
# process of the run is left to write anything. Inside a guest, and in a run.sh
# that a supervised run started (PST_RUN_TMP), none of this: the outer one does it.
if [ "$in_guest" = 0 ] && [ -z "${PST_RUN_TMP:-}" ]; then
	stop=0 worker=
	# (the trap before anything else: a signal that comes meanwhile still counts)
	trap 'stop=1; [ -z "$worker" ] || pkill -TERM -s "$worker"' INT TERM HUP
	sup_reports=reports prev=
	for a in "$@"; do # (the run checks its options; here only where its reports go)
		[ "$prev" = --reports ] && sup_reports=$a
		case $a in --reports=*) sup_reports=${a#*=} ;; esac
		prev=$a
	done
	run_tmp=$(mktemp -d "${TMPDIR:-/tmp}/pst-run.XXXXXX") || { echo "run.sh: mktemp failed" >&2; exit 3; }
	case $run_tmp in /*) ;; *) run_tmp=$root/$run_tmp ;; esac # (a guest's command line names it)
	PST_RUN_TMP=$run_tmp TMPDIR=$run_tmp setsid "$root/run.sh" "$@" &
	worker=$!
	[ "$stop" = 0 ] || pkill -TERM -s "$worker"
	# (a zombie writes nothing: the ones whose parent the TERM ended wait
	# for init to reap them)
	run_left() { ps -o stat= -s "$worker" | grep -qv '^Z'; }
	# stop_run: what is left of the run ends (the session was sent SIGTERM).
	stop_run() {
		for _ in $(seq 1 200); do
			run_left || break
			sleep 0.05
		done
		pkill -KILL -s "$worker"
		pkill -KILL -f -- "PST_RUNDIR=$run_tmp/"
		for _ in $(seq 1 40); do
			run_left || pgrep -f -- "PST_RUNDIR=$run_tmp/" >/dev/null || break
			sleep 0.05
		done
		pst_reports_interrupted "$sup_reports"
	}
	# A supervisor that is killed (SIGKILL: no trap runs) must not leave the run
	# going: a watcher outside the run's session holds the read end of a pipe
	# whose write end only this process has. At end of file, the supervisor is
	# gone: if the run is not, the watcher stops it as the supervisor would.
	exec {watch_fd}> >(
		trap '' INT TERM HUP # (the supervisor's to act on; this waits for its end)
		read -r _
		kill -0 "$worker" 2>/dev/null || exit 0 # (the run ended with its supervisor)
		pkill -TERM -s "$worker"
		stop_run
		rm -rf "$run_tmp"
		echo "run.sh: its supervisor was killed: every guest and process of the run stopped; no report written" >&2
	)
	watcher=$!
	while :; do
		wait "$worker"
		status=$?
		kill -0 "$worker" 2>/dev/null || break # (a trap ends wait early: wait again)
	done
	if [ "$stop" = 1 ] || [ "$status" -gt 128 ]; then
		stop_run
	fi
	rm -rf "$run_tmp"
	# The watcher ends at once (the run has ended), before this does.
	exec {watch_fd}>&-
	while kill -0 "$watcher" 2>/dev/null; do sleep 0.05; done
	if [ "$stop" = 1 ]; then
		echo "run.sh: interrupted: every guest and process of the run stopped; no report written" >&2
		exit 130
	fi
	exit "$status"
fi

quiet=0 # --quiet: the header, the failing cases and the summary only
for a in "$@"; do [ "$a" = --quiet ] && quiet=1; done
# A copy built elsewhere for a device without a compiler or dpkg (lab/lava/image.sh
# writes build/PREBUILT, the suite's version): nothing to install or build.
prebuilt=0
[ -f build/PREBUILT ] && prebuilt=1 && read -r PST_SUITE_VERSION <build/PREBUILT && export PST_SUITE_VERSION
if [ "$in_guest" = 0 ] && [ "$prebuilt" = 0 ]; then
	harness/deps.sh build || exit 2
	# (a first build is half a minute of silence otherwise)
	make -q all 2>/dev/null || [ "$quiet" = 1 ] ||
		echo "run.sh: building the runner, the guest shim, the libsctp archive's code and the report tools (make all)" >&2
	make -s all >&2 || { echo "run.sh: the build failed" >&2; exit 2; }
fi

# Options over several runs (--kernels, --bisect-case, --baseline, --gate, --certify[-partial]):
# harness/multirun/multirun.sh runs this script as often as they need, without them.
# (--gate requirements|changes is the runner's own)
prev=
for a in "$@"; do
	case $a in --kernels* | --bisect-case* | --baseline* | --gate=new-failures | --certify | --certify-partial) exec harness/multirun/multirun.sh "$@" ;; esac
	[ "$prev" = --gate ] && [ "$a" = new-failures ] && exec harness/multirun/multirun.sh "$@"
	prev=$a
done

# --kernel-line, --libsctp-line: a Debian line's packages (harness/guests/line-args.sh).
# shellcheck source=harness/guests/line-args.sh
. harness/guests/line-args.sh
pst_line_args "$@"
set -- "${line_args[@]}"
# --arch arm64: the guest runs the cross-built runner (make ARCH=arm64, build/arm64/).
if [ -n "$line_arch" ] && [ "$in_guest" = 0 ] && [ "$prebuilt" = 0 ]; then
	harness/deps.sh "$line_arch" || exit 2
	make -q ARCH="$line_arch" all 2>/dev/null || [ "$quiet" = 1 ] ||
		echo "run.sh: cross-building the runner for $line_arch (make ARCH=$line_arch)" >&2
	make -s ARCH="$line_arch" all >&2 || { echo "run.sh: the $line_arch build failed" >&2; exit 2; }
fi
all_args=("$@")
# One parser for every option: the runner's. A bad one ends here with exit 2.
# (A guest's options come from the host's run.sh, which checked them.)
[ "$in_guest" = 1 ] || "$runner" --list "$@" >/dev/null || exit $?

target=auto kernel= modules= kernel_deb= pass=() help=0 list=0 timeout=10 reports=reports coverage=0 repeat=1
jobs=1 guest_pass=() # guest_pass: the options for a guest's runner (--jobs means guests here)
kernel_coverage=0
while [ $# -gt 0 ]; do
	arg=$1
	case $arg in
	--target=*) target=${arg#*=} ;;
	--kernel=*) kernel=${arg#*=} ;;
	--modules=*) modules=${arg#*=} ;;
	--kernel-deb=*) kernel_deb=${arg#*=} ;;
	--target) target=$2; shift ;;
	--kernel) kernel=$2; shift ;;
	--modules) modules=$2; shift ;;
	--kernel-deb) kernel_deb=$2; shift ;;
	*)
		case $arg in
		--help | -h) help=1 ;;
		--list) list=1 ;;
		--timeout) timeout=$2 ;;
		--timeout=*) timeout=${arg#*=} ;;
		--coverage) coverage=1 ;;
		--kernel-coverage) kernel_coverage=1 ;;
		--repeat) repeat=$2 ;;
		--repeat=*) repeat=${arg#*=} ;;
		--reports) reports=$2 ;;
		--reports=*) reports=${arg#*=} ;;
		--jobs) jobs=$2 ;;
		--jobs=*) jobs=${arg#*=} ;;
		esac
		pass+=("$arg")
		case $arg in
		--jobs=*) ;;
		--jobs) skip_next=1 ;;
		*) [ "${skip_next:-0}" = 1 ] && skip_next=0 || guest_pass+=("$arg") ;;
		esac
		;;
	esac
	shift
done
if [ "$list" = 1 ]; then
	exec "$runner" "${pass[@]}"
fi
if [ "$help" = 1 ]; then
	"$runner" "${pass[@]}"
	sed -n 's/^#   //p' harness/guests/line-args.sh
	exit 0
fi

# A file the command line names must be there: a usage error (exit 2), said as
# such, before anything is booted or removed. (Not in a guest: the host checked.)
if [ "$in_guest" = 0 ]; then
	for pair in "--kernel:$kernel" "--kernel-deb:$kernel_deb"; do
		opt=${pair%%:*} path=${pair#*:}
		[ -z "$path" ] || [ -f "$path" ] || {
			[ -e "$path" ] && why="not a file" || why="no such file"
			echo "run.sh: $opt $path: $why" >&2
			exit 2
		}
	done
	[ -z "$modules" ] || [ -d "$modules" ] || { echo "run.sh: --modules $modules: no such directory" >&2; exit 2; }
fi

# Every run owns its reports: before it starts, nothing an earlier run wrote stays
# in its reports directory (harness/reports.sh names every file; nothing else in
# the directory is touched). Each report is then written whole or not at all.
if [ "$in_guest" = 0 ]; then
	mkdir -p "$reports" || { echo "run.sh: cannot create $reports" >&2; exit 2; }
	pst_reports_clean "$reports"
fi

# --kernel-coverage: kernel/coverage.sh builds (or reuses) the gcov kernel, runs
# the suite on it and writes the reports (the runner has refused the options
# that name another kernel or build).
if [ "$kernel_coverage" = 1 ]; then
	args=()
	for a in "${all_args[@]}"; do [ "$a" = --kernel-coverage ] || args+=("$a"); done
	exec kernel/coverage.sh "${args[@]}"
fi

# --coverage: the same run with a gcov build, then lcov and genhtml over it.
if [ "$coverage" = 1 ] && [ "$in_guest" = 0 ]; then
	harness/deps.sh coverage || exit 2
	make -s build/cov/peeloff-runner >&2 || { echo "run.sh: the coverage build failed" >&2; exit 2; }
	find build/cov -name '*.gcda' -delete
	args=()
	for a in "${all_args[@]}"; do [ "$a" = --coverage ] || args+=("$a"); done
	PST_RUNNER=build/cov/peeloff-runner "$root/run.sh" "${args[@]}"
	status=$?
	[ "$status" -ge 2 ] && exit "$status"
	# (Debian's lcov 1.16 prints "Subroutine ... redefined" warnings: they go to the log.)
	{
		lcov --quiet --capture --directory build/cov --base-directory "$root" \
			--output-file "$reports/coverage.info.tmp" --rc lcov_branch_coverage=1 &&
			lcov --quiet --extract "$reports/coverage.info.tmp" "$root/harness/*" \
				"$root/suites/*" "$root/fixtures/*" --output-file "$reports/coverage.info" \
				--rc lcov_branch_coverage=1 &&
			genhtml --quiet --branch-coverage --output-directory "$reports/coverage" \
				"$reports/coverage.info"
	} >"$reports/lcov.log" 2>&1 || { echo "run.sh: lcov/genhtml failed: see $reports/lcov.log" >&2; exit 3; }
	rm -f "$reports/coverage.info.tmp"
	lcov --summary "$reports/coverage.info" --rc lcov_branch_coverage=1 2>&1 | sed -n 's/^ *\(lines\|functions\|branches\)/coverage: \1/p'
	[ "$quiet" = 1 ] || echo "report: $reports/coverage.info, $reports/coverage/index.html"
	exit "$status"
fi

[ -n "$kernel_deb" ] && target=qemu # (the runner refused it with another target)
if [ -z "${PST_HOST:-}" ]; then # the machine, for environment.tsv (one uname, not four)
	read -r h_s h_n h_r h_m <<<"$(uname -snrm)" # (uname prints them in this order)
	PST_HOST="$h_n ($h_s $h_r $h_m)"
fi
export PST_HOST
export PST_SUITE_VERSION=${PST_SUITE_VERSION:-$(git -C "$root" describe --always --dirty 2>/dev/null || echo unknown)}
if [ "$target" = auto ] || [ "$target" = host ]; then
	# Load the module when we may; a kernel without SCTP then still says no.
	[ "$EUID" -eq 0 ] && [ ! -d /sys/module/sctp ] && modprobe -q sctp 2>/dev/null
	if [ "$target" = host ] || { [ "$EUID" -eq 0 ] && "$runner" --probe; }; then
		export PST_TARGET=${PST_TARGET:-host}
		PST_KERNEL_CONFIG_HASH=$(harness/guests/config-hash.sh running) && export PST_KERNEL_CONFIG_HASH
		exec "$runner" "${pass[@]}"
	fi
	[ "$quiet" = 1 ] || echo "run.sh: the running kernel has no usable SCTP (or we are not root): using User-Mode Linux" >&2
fi

# A guest: User-Mode Linux, or QEMU booting a real kernel (harness/guests/qemu-run.sh).
if [ "$target" = qemu ]; then
	harness/deps.sh qemu || exit 2
	guest=(harness/guests/qemu-run.sh)
	[ -n "$kernel_deb" ] && guest+=(--kernel-deb "$kernel_deb")
	[ -n "$line_arch" ] && guest+=(--arch "$line_arch")
else
	harness/deps.sh uml || exit 2
	[ -z "$kernel" ] || [ -x "$kernel" ] ||
		{ echo "run.sh: --kernel $kernel: not executable (a UML kernel is a program, like linux.uml)" >&2; exit 2; }
	guest=(harness/guests/uml-run.sh)
	target=uml
	# What environment.tsv says the kernel under test is (the guest's /proc/config.gz
	# wins; harness/guests/qemu-run.sh finds a QEMU kernel's own).
	export PST_KERNEL_IMAGE=${kernel:-/usr/bin/linux.uml}
	PST_KERNEL_CONFIG_HASH=$(harness/guests/config-hash.sh uml "$PST_KERNEL_IMAGE") &&
		export PST_KERNEL_CONFIG_HASH
fi
[ -n "$kernel" ] && guest+=(--kernel "$kernel")
[ -n "$modules" ] && guest+=(--modules "$modules")
console=$reports/$target-console.log
: >"$console"
# (named by the ERROR of a case during which the guest kernel died)
export PST_CONSOLE_LOG=$console
[ "$jobs" = auto ] && jobs=$(nproc)
# Seconds a guest's journal may stay unchanged beyond two case timeouts (see
# run_share); PST_STALL_SLACK_S: fewer, for the self-test of the watch.
stall_slack_s=${PST_STALL_SLACK_S:-60}
[[ $stall_slack_s =~ ^[0-9]+$ ]] || { echo "run.sh: PST_STALL_SLACK_S=$stall_slack_s: expected a number of seconds" >&2; exit 2; }

# run_share K N: the K-th of N shares of the cases (all of them when N is 1)
# in guests, one after another while a guest's kernel dies mid-case: a case
# without a verdict is an ERROR and a fresh guest goes on from the next case
# of the share, as its journal records. Exit status: the last guest's.
run_share() {
	local k=$1 n=$2 journal=$reports/.journal resume=() share=() boot status
	local started started_before=0 log=$console say=()
	# (the QEMU target says KVM or TCG and why: once a run, unless --quiet)
	[ "$target" = qemu ] && [ "$k" = 0 ] && [ "$quiet" = 0 ] && say=(--say-accel)
	if [ "$n" -gt 1 ]; then
		journal=$reports/.journal.$k
		share=(--shard "$k/$n" --claims "$claims")
		log=$reports/$target-console.$k.log
		: >"$log"
	fi
	rm -f "$journal" "$journal.env"
	# stop_shares' TERM reaches this share's launcher too: a trap makes this
	# shell wait for the launcher's own cleanup (its guest stopped, its
	# temporary files removed) before it ends, so run.sh ends after them.
	[ "$n" -gt 1 ] && trap 'exit 130' TERM
	# Boot, plus every case of every repetition at its timeout: beyond that the guest
	# is hung. (A share may take every case: the others' guests may have died.)
	# Sooner, a journal that got no line for two case timeouts and the slack (a
	# case's teardown, the reports after the last one) is a hung kernel: the case
	# it was running is the kernel's death, and a fresh guest goes on.
	for boot in $(seq 1 "$((ncases + 1))"); do
		"${guest[@]}" "${say[@]}" --deadline "$((120 + repeat * ncases * (timeout + 2)))" \
			--stall "$journal:$((2 * timeout + stall_slack_s))" --console "$log" -- \
			./run.sh --target host --journal "$journal" "${share[@]}" "${resume[@]}" "${guest_pass[@]}"
		status=$?
		[ "$status" -eq 75 ] || break
		started=$(grep -c '^S' "$journal" 2>/dev/null)
		if [ "${started:-0}" -eq "$started_before" ]; then
			echo "run.sh: the guest died before a case started (boot $boot); giving up" >&2
			status=3
			break
		fi
		started_before=$started
		echo "run.sh: the guest died; going on in a fresh guest (boot $((boot + 1)))" >&2
		resume=(--resume) say=()
	done
	[ "$status" -eq 75 ] && status=3
	return "$status"
}

ncases=$("$runner" "${guest_pass[@]}" --list | wc -l)
[ "$jobs" -gt "$ncases" ] && jobs=$ncases
if [ "$jobs" -le 1 ]; then
	run_share 0 1
	status=$?
	rm -f "$reports/.journal" "$reports/.journal.env"
	exit "$status"
fi

# --jobs N: N guests side by side, each a share of the cases, then one set of
# reports from their journals, as one run's. A guest takes the cases as it
# goes: it runs those it claims first (a link in $claims, see
# harness/runner/claims.h), so no guest waits idle for another's slow cases. Each
# share in its own process group: Ctrl-C reaches run.sh alone (a background
# job ignores SIGINT), which stops every guest with SIGTERM.
claims=$reports/.claims
rm -rf "$claims"
mkdir "$claims" || exit 3
# The run's header, once: the shares' runners print none (the guests open the
# same files as this runner: the host's / is theirs).
"$runner" "${guest_pass[@]}" --header
# A QEMU guest has 2 vCPUs: N of them side by side get the cores shared out
# (under TCG on 2 cores, two 2-vCPU guests took 48 s where one took 27 s).
if [ "$target" = qemu ]; then
	cores=$(nproc)
	guest+=(--cpus "$((cores / jobs > 0 ? cores / jobs : 1))")
fi
set -m
pids=() journals=()
for k in $(seq 0 "$((jobs - 1))"); do
	run_share "$k" "$jobs" &
	pids+=($!)
	journals+=("$reports/.journal.$k")
done
interrupted=0
stop_shares() {
	local share # (not p: the loop below is in the middle of waiting for its p)
	interrupted=1
	for share in "${pids[@]}"; do kill -TERM -- "-$share" 2>/dev/null; done
}
trap stop_shares INT TERM HUP
worst=0
for p in "${pids[@]}"; do
	while :; do
		wait "$p"
		st=$?
		# (a trap ends wait early with a status above 128: wait again)
		kill -0 "$p" 2>/dev/null || break
	done
	[ "$st" -gt "$worst" ] && worst=$st
done
trap - INT TERM HUP
rm -rf "$claims"
for k in $(seq 0 "$((jobs - 1))"); do
	cat "$reports/$target-console.$k.log" >>"$console" 2>/dev/null
	rm -f "$reports/$target-console.$k.log"
done
if [ "$interrupted" = 1 ] || [ "$worst" -eq 130 ]; then
	rm -f "${journals[@]}" "${journals[@]/%/.env}"
	[ -n "${PST_RUN_TMP:-}" ] || echo "run.sh: interrupted; no report written" >&2 # (else the supervisor says it)
	exit 130
fi
if [ "$worst" -ge 2 ]; then
	rm -f "${journals[@]}" "${journals[@]/%/.env}"
	exit "$worst"
fi
"$runner" "${guest_pass[@]}" --collect "$(IFS=,; echo "${journals[*]}")"
status=$?
rm -f "${journals[@]}" "${journals[@]/%/.env}"
exit "$status"
