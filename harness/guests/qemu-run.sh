#!/bin/bash
# Run one command as root inside a QEMU guest booted from a real x86-64 kernel
# (a distribution's, say), and exit with the command's status: the same
# contract as harness/guests/uml-run.sh.
#   harness/guests/qemu-run.sh --kernel VMLINUZ [--modules DIR] | --kernel-deb DEB
#                       [--initrd FILE] [--accel kvm|tcg --accel-reason TEXT]
#                       [--cpus N] [--say-accel] [--deadline S] [--stall FILE:S]
#                       [--console FILE]
#                       [--arch arm64] -- COMMAND [ARG...]
# --kernel-deb: a linux-image-*.deb, unpacked into a cache by
# harness/guests/kernel-deb.sh (never installed). Without --modules the kernel must
# have what the guest needs built in (9p, virtio, SCTP, veth).
# The guest boots a small initramfs (harness/guests/qemu-initramfs.sh: busybox and
# the modules), mounts the host's / over 9p and runs harness/guests/guest-init.sh in
# it, which runs COMMAND. When the guest cannot boot, panics or hangs past the
# deadline, say why and exit 75 (no verdict: the caller may try a fresh guest);
# the serial console is appended to --console. Without --accel, a probe
# (harness/guests/qemu-accel.sh) picks KVM or software emulation (TCG). The choice
# and its reason reach the runner as PST_ACCEL (the reports show it); --say-accel:
# and the terminal, on stderr (run.sh: once a run). --cpus: the
# guest's vCPUs (default 2; run.sh --jobs N gives each of its N guests a share of
# the host's cores, never more vCPUs in all than cores).
# --arch arm64: an arm64 kernel on qemu-system-aarch64 (-M virt -cpu max, software
# emulation: no KVM for a foreign architecture; 1 vCPU unless --cpus), the guest's
# programs its own (qemu-initramfs.sh --arch), COMMAND's runner the cross-built
# one (make ARCH=arm64: build/arm64/peeloff-runner, PST_RUNNER in the guest).
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
qemu=qemu-system-x86_64
kernel= modules= kernel_deb= initrd= accel= accel_reason= say_accel=0 arch=
deadline=600
stall=
console=$root/reports/qemu-console.log
guest_mem=1G
guest_cpus=

# What a guest's clean end prints: kept in the log, not shown.
boot_noise='^\[ *[0-9.]+\] reboot: Power down'

die() { echo "qemu-run: $1" >&2; exit "${2:-3}"; }
# shellcheck source=harness/guests/guest-common.sh
. "$here/guest-common.sh"
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=${2:?}; shift 2 ;;
	--modules) modules=${2:?}; shift 2 ;;
	--kernel-deb) kernel_deb=${2:?}; shift 2 ;;
	--initrd) initrd=${2:?}; shift 2 ;;
	--accel) accel=${2:?}; shift 2 ;;
	--accel-reason) accel_reason=${2:?}; shift 2 ;;
	--deadline) deadline=${2:?}; shift 2 ;;
	--stall) stall=${2:?}; shift 2 ;;
	--console) console=${2:?}; shift 2 ;;
	--cpus) guest_cpus=${2:?}; shift 2 ;;
	--say-accel) say_accel=1; shift ;;
	--arch) arch=${2:?}; shift 2 ;;
	--) shift; break ;;
	*) die "unknown option '$1'" 2 ;;
	esac
done
[ $# -gt 0 ] || die "no command given" 2
# What differs for another architecture: QEMU, its machine, its console, the runner.
machine=() console_dev=ttyS0 extra_append=edd=off
case $arch in
'') guest_cpus=${guest_cpus:-2} ;;
arm64)
	qemu=qemu-system-aarch64 console_dev=ttyAMA0 extra_append=
	# (pauth-impdef: TCG's own pointer-authentication hash, several times faster
	# to emulate than the architected QARMA one, which a test of SCTP never sees)
	machine=(-M virt -cpu max,pauth-impdef=on)
	guest_cpus=${guest_cpus:-1}
	[ -n "$accel" ] || accel=tcg accel_reason="an arm64 guest on a $(uname -m) host: no KVM for a foreign architecture"
	export PST_RUNNER=$root/build/arm64/peeloff-runner
	[ -x "$PST_RUNNER" ] || die "no arm64 runner at $PST_RUNNER (make ARCH=arm64)" 2
	;;
*) die "--arch must be arm64, not '$arch'" 2 ;;
esac
command -v "$qemu" >/dev/null || die "no $qemu (harness/deps.sh qemu)" 2
if [ -n "$kernel_deb" ]; then
	[ -z "$kernel$modules" ] || die "--kernel-deb goes without --kernel and --modules" 2
	unpacked=$("$here/kernel-deb.sh" unpack "$kernel_deb") || exit $?
	{ read -r kernel && read -r modules; } <<<"$unpacked"
fi
[ -n "$kernel" ] || die "no kernel: give --kernel VMLINUZ or --kernel-deb DEB" 2
[ -f "$kernel" ] || die "no kernel image at '$kernel'" 2
if [ -n "$modules" ]; then
	[ -d "$modules" ] || die "--modules '$modules' is not a directory" 2
	modules=$(cd "$modules" && pwd)
fi
if [ -z "$initrd" ]; then
	initrd=$("$here/qemu-initramfs.sh" ${modules:+--modules "$modules"} ${arch:+--arch "$arch"}) || exit 2
fi
if [ -z "$accel" ]; then
	{ read -r accel && read -r accel_reason; } < <("$here/qemu-accel.sh" --kernel "$kernel" --initrd "$initrd")
	[ -n "$accel" ] || die "the accelerator probe failed" 2
fi
case $accel in
kvm) [ -z "$arch" ] || die "--accel kvm: not for an $arch guest on this host" 2
	accel_args=(-accel kvm -cpu host) accel_name="kvm (hardware virtualisation)" ;;
tcg) accel_args=(-accel tcg) accel_name="tcg (software emulation, slower than KVM)" ;;
*) die "--accel must be kvm or tcg, not '$accel'" 2 ;;
esac
[ "$say_accel" = 1 ] && echo "qemu-run: accelerator: $accel_name: $accel_reason" >&2

guest_start qemu
# The kernel command line splits on blanks: the paths it carries must have none.
case "$rundir$here" in
*[[:space:]]*) die "the paths $rundir and $here must not contain blanks" 2 ;;
esac

export PST_ACCEL="$accel: $accel_reason"
# What environment.tsv says the kernel under test is: a kernel package keeps its
# configuration beside vmlinuz (boot/config-<release>).
export PST_KERNEL_IMAGE=${kernel_deb:-$kernel}
kconfig=$(dirname "$kernel")/config-$(basename "$kernel" | sed 's/^vmlinuz-//')
PST_KERNEL_CONFIG_HASH=$("$here/config-hash.sh" file "$kconfig") && export PST_KERNEL_CONFIG_HASH
guest_env qemu "$(printf %q "$modules")" "$@" >"$rundir/guest.env"
mkdir -p "$(dirname "$console")"
echo "=== guest boot $(date -u +%FT%TZ) ($PST_ACCEL): $*" >>"$console"

# setsid: its own process group, so guest_cleanup reaches it. LD_PRELOAD is for
# COMMAND in the guest (guest.env carries it), not for QEMU.
# 9p: the host's / as the guest's root; security_model=none writes files as
# the host user running QEMU; multidevs=remap keeps inode numbers from the
# host's several filesystems apart.
guest_console_open "$boot_noise"
setsid timeout -k 5 "$deadline" env -u LD_PRELOAD "$qemu" -nodefaults -no-user-config \
	-display none -monitor none -serial stdio -no-reboot -m "$guest_mem" -smp "$guest_cpus" \
	"${machine[@]}" "${accel_args[@]}" -kernel "$kernel" -initrd "$initrd" \
	-virtfs local,path=/,mount_tag=hostroot,security_model=none,multidevs=remap \
	-append "console=$console_dev $extra_append panic=-1 quiet PST_RUNDIR=$rundir PST_INIT=$here/guest-init.sh" \
	</dev/null >&"$console_fd" 2>>"$console" &
guest_pid=$!
guest_stall_watch "$stall"
wait "$guest_pid" 2>/dev/null
qemu_status=$?
guest_stall_stop
guest_pid=
guest_console_close
guest_verdict "$rundir" "$qemu_status" "$deadline" "$console"
