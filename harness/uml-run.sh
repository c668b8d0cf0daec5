#!/bin/bash
# Run one command as root inside a User-Mode Linux guest, as a plain host
# process (no root, no /dev/kvm needed), and exit with the command's status.
#   harness/uml-run.sh [--kernel PATH] [--modules DIR] [--deadline S]
#                      [--console FILE] -- COMMAND [ARG...]
# When the guest cannot boot, panics or hangs past the deadline, say why and
# exit 75 (no verdict: the caller may try a fresh guest); the guest's console
# log is appended to --console. LD_PRELOAD given to
# this script reaches COMMAND inside the guest, not linux.uml itself.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
kernel=/usr/bin/linux.uml
modules=
deadline=600
console=$root/reports/uml-console.log
guest_mem=512M
shim=$root/build/uml-xstate-shim.so

# Harmless lines every boot of the stock kernel prints: kept in the log, not shown.
boot_noise='^(SELinux: |mmapper_init - find_iomem failed|Failed to initialize ubd device)'

die() { echo "uml-run: $1" >&2; exit "${2:-3}"; }
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=${2:?}; shift 2 ;;
	--modules) modules=${2:?}; shift 2 ;;
	--deadline) deadline=${2:?}; shift 2 ;;
	--console) console=${2:?}; shift 2 ;;
	--) shift; break ;;
	*) die "unknown option '$1'" 2 ;;
	esac
done
[ $# -gt 0 ] || die "no command given" 2
[ -x "$kernel" ] || die "no UML kernel at $kernel (apt-get install user-mode-linux)" 2
[ -f "$shim" ] || die "$shim is missing (make)" 2

rundir=$(mktemp -d "${TMPDIR:-/tmp}/pst-uml.XXXXXX") || die "mktemp failed"
uml_pid=
cleanup() {
	if [ -n "$uml_pid" ]; then
		# linux.uml and the host processes of its guest share its process group.
		kill -TERM -- "-$uml_pid" 2>/dev/null
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			kill -0 -- "-$uml_pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL -- "-$uml_pid" 2>/dev/null
		wait "$uml_pid" 2>/dev/null
	fi
	rm -rf "$rundir"
}
trap cleanup EXIT
trap 'echo "uml-run: interrupted" >&2; exit 130' INT TERM HUP

# Without --modules: the modules of the stock package, for whatever release boots.
if [ -n "$modules" ]; then
	modules=$(cd "$modules" && pwd) || die "--modules $modules is not a directory" 2
fi
{
	printf 'PST_GUEST_CWD=%q\n' "$PWD"
	printf 'PST_GUEST_LD_PRELOAD=%q\n' "${LD_PRELOAD:-}"
	if [ -n "$modules" ]; then
		printf 'PST_GUEST_MODULES=%q\n' "$modules"
	else
		printf 'PST_GUEST_MODULES=/usr/lib/uml/modules/$(uname -r)\n'
	fi
	printf 'PST_GUEST_CMD=('
	printf '%q ' "$@"
	printf ')\n'
	# What the runner reports as the target, and the variables it reads.
	printf 'export PST_TARGET=uml\n'
	for v in PST_SUITE_VERSION PST_JUNIT_XSD PST_RUNNER UBSAN_OPTIONS PST_KERNEL_IMAGE \
		PST_KERNEL_CONFIG_HASH PST_HOST; do
		[ -n "${!v:-}" ] && printf 'export %s=%q\n' "$v" "${!v}"
	done
} >"$rundir/guest.env"
mkdir -p "$rundir/uml" "$(dirname "$console")"
echo "=== guest boot $(date -u +%FT%TZ): $*" >>"$console"

# setsid: its own process group, so cleanup() reaches every process of the guest.
setsid timeout -k 5 "$deadline" env -u LD_PRELOAD LD_PRELOAD="$shim" "$kernel" \
	mem="$guest_mem" rootfstype=hostfs rootflags=/ rw quiet \
	init="$here/guest-init.sh" uml_dir="$rundir/uml" PST_RUNDIR="$rundir" \
	con=null con0=fd:0,fd:1 </dev/null > >(tee -a "$console" | grep --line-buffered -v -E "$boot_noise") \
	2>>"$console" &
uml_pid=$!
wait "$uml_pid" 2>/dev/null # not the shell's "Aborted": the console log says what happened
uml_status=$?
uml_pid=

if [ -f "$rundir/status" ]; then
	exit "$(cat "$rundir/status")"
fi
no_verdict=75
if [ "$uml_status" -eq 124 ] || [ "$uml_status" -eq 137 ]; then
	die "the guest did not finish within ${deadline}s (hang?); its console log: $console" $no_verdict
fi
panic=$(sed -n '/^=== guest boot/h; /Kernel panic/{p;q}' "$console" | tail -1)
if [ -n "$panic" ]; then
	die "the guest kernel panicked: $panic; console log: $console" $no_verdict
fi
die "the guest ended without a verdict (linux.uml exit status $uml_status); console log: $console" $no_verdict
