#!/bin/bash
# Run one command as root inside a User-Mode Linux guest, as a plain host
# process (no root, no /dev/kvm needed), and exit with the command's status.
#   harness/guests/uml-run.sh [--kernel PATH] [--modules DIR] [--deadline S]
#                      [--stall FILE:S] [--console FILE] -- COMMAND [ARG...]
# When the guest cannot boot, panics, hangs past the deadline or, with --stall,
# leaves FILE (once it exists) unchanged for S seconds, say why and
# exit 75 (no verdict: the caller may try a fresh guest); the guest's console
# log is appended to --console. LD_PRELOAD given to
# this script reaches COMMAND inside the guest, not linux.uml itself.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
kernel=/usr/bin/linux.uml
modules=
deadline=600
stall=
console=$root/reports/uml-console.log
guest_mem=512M
shim=$root/build/uml-xstate-shim.so

# Harmless lines every boot of the stock kernel prints: kept in the log, not shown.
boot_noise='^(SELinux: |mmapper_init - find_iomem failed|Failed to initialize ubd device)'

die() { echo "uml-run: $1" >&2; exit "${2:-3}"; }
# shellcheck source=harness/guests/guest-common.sh
. "$here/guest-common.sh"
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=${2:?}; shift 2 ;;
	--modules) modules=${2:?}; shift 2 ;;
	--deadline) deadline=${2:?}; shift 2 ;;
	--stall) stall=${2:?}; shift 2 ;;
	--console) console=${2:?}; shift 2 ;;
	--) shift; break ;;
	*) die "unknown option '$1'" 2 ;;
	esac
done
[ $# -gt 0 ] || die "no command given" 2
if [ ! -x "$kernel" ]; then
	# (only the package's own kernel is the package's to install)
	[ "$kernel" = /usr/bin/linux.uml ] && die "no UML kernel at $kernel (apt-get install user-mode-linux)" 2
	[ -e "$kernel" ] || die "--kernel $kernel: no such file" 2
	die "--kernel $kernel: not executable (a UML kernel is a program, like linux.uml)" 2
fi
[ -f "$shim" ] || die "$shim is missing (make)" 2

guest_start uml # (linux.uml and the host processes of its guest share its process group)

# Without --modules: the modules of the stock package, for whatever release boots.
if [ -n "$modules" ]; then
	given=$modules
	modules=$(cd "$given" 2>/dev/null && pwd) || die "--modules $given: no such directory" 2
fi
if [ -n "$modules" ]; then
	guest_env uml "$(printf %q "$modules")" "$@" >"$rundir/guest.env"
else
	guest_env uml '/usr/lib/uml/modules/$(uname -r)' "$@" >"$rundir/guest.env"
fi
mkdir -p "$rundir/uml" "$(dirname "$console")"
echo "=== guest boot $(date -u +%FT%TZ): $*" >>"$console"

# Boot work no case needs, 1.7-2.2 s of the stock kernel's 2.1-2.5 s to init: 256 legacy
# BSD ptys (pty_init: 0.8-1.2 s), the RAID-6 speed benchmark (0.85 s, 16 jiffies for
# each of its five runs) and the zswap pool (0.18 s). Both parameters are ignored by
# a kernel without those functions. (PST_UML_STOCK_BOOT=1: without them, for make bench.)
boot_trim='pty.legacy_count=0 initcall_blacklist=raid6_select_algo,init_zswap'
[ "${PST_UML_STOCK_BOOT:-0}" = 1 ] && boot_trim=
# A KASAN kernel (kernel/build.sh --sanitize) reports only its first bad access
# unless told otherwise: every case's own report, not only the first case's.
if "$kernel" --showconfig 2>/dev/null | grep -qx 'CONFIG_KASAN=y'; then
	boot_trim="$boot_trim kasan_multi_shot"
fi

# setsid: its own process group, so cleanup() reaches every process of the guest.
guest_console_open "$boot_noise"
# shellcheck disable=SC2086 # $boot_trim: two parameters
setsid timeout -k 5 "$deadline" env -u LD_PRELOAD LD_PRELOAD="$shim" "$kernel" \
	mem="$guest_mem" rootfstype=hostfs rootflags=/ rw quiet $boot_trim \
	init="$here/guest-init.sh" uml_dir="$rundir/uml" PST_RUNDIR="$rundir" \
	con=null con0=fd:0,fd:1 </dev/null >&"$console_fd" 2>>"$console" &
guest_pid=$!
guest_stall_watch "$stall"
wait "$guest_pid" 2>/dev/null # not the shell's "Aborted": the console log says what happened
uml_status=$?
guest_stall_stop
guest_pid=
guest_console_close

guest_verdict "$rundir" "$uml_status" "$deadline" "$console"
