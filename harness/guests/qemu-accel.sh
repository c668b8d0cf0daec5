#!/bin/bash
# Which QEMU accelerator this kernel can run under here, and why: prints two
# lines, "kvm" or "tcg", then the reason (it goes into the run's reports).
#   harness/guests/qemu-accel.sh --kernel VMLINUZ --initrd FILE
# KVM is used only when a short probe boot under it reaches the initramfs: a
# /dev/kvm that opens is not enough (a nested or paravirtual KVM may hang the
# guest before its first line). PST_QEMU_ACCEL=kvm|tcg forces the choice.
# The answer is cached per kernel, QEMU binary and host boot.
set -u
cache=${PST_KERNEL_CACHE:-$HOME/.cache/pst-kernel}/accel
qemu=qemu-system-x86_64
probe_timeout=${PST_QEMU_PROBE_TIMEOUT:-20} # a KVM boot to the initramfs takes 1-2 s
marker=pst-accel-probe-reached-initramfs

die() { echo "qemu-accel: $1" >&2; exit "${2:-2}"; }
kernel= initrd=
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=${2:?}; shift 2 ;;
	--initrd) initrd=${2:?}; shift 2 ;;
	*) die "unknown option '$1'" ;;
	esac
done
[ -f "$kernel" ] && [ -f "$initrd" ] || die "usage: qemu-accel.sh --kernel VMLINUZ --initrd FILE"
command -v "$qemu" >/dev/null || die "no $qemu (harness/deps.sh qemu)"

case ${PST_QEMU_ACCEL:-} in
kvm | tcg) printf '%s\nforced by PST_QEMU_ACCEL\n' "$PST_QEMU_ACCEL"; exit 0 ;;
'') ;;
*) die "PST_QEMU_ACCEL must be kvm or tcg, not '$PST_QEMU_ACCEL'" ;;
esac
if [ ! -e /dev/kvm ]; then
	printf 'tcg\nno /dev/kvm on this machine\n'
	exit 0
fi
if [ ! -r /dev/kvm ] || [ ! -w /dev/kvm ]; then
	printf 'tcg\n/dev/kvm is not readable and writable by this user (group kvm?)\n'
	exit 0
fi

key=$( {
	cat /proc/sys/kernel/random/boot_id
	sha256sum "$kernel" "$(command -v "$qemu")"
} | sha256sum | cut -c1-16)
if [ -s "$cache/$key" ]; then
	cat "$cache/$key"
	exit 0
fi

log=$(mktemp "${TMPDIR:-/tmp}/pst-accel.XXXXXX") || die "mktemp failed" 3
trap 'rm -f "$log"' EXIT
trap 'exit 130' INT TERM HUP
start=$SECONDS
# (the group's stderr: QEMU aborting under a KVM it cannot use is the outcome the
# reason below says, not bash's "Aborted" line on the terminal)
{
	timeout -k 2 "$probe_timeout" "$qemu" -nodefaults -no-user-config -display none -monitor none \
		-serial stdio -no-reboot -m 256M -accel kvm -cpu host -kernel "$kernel" -initrd "$initrd" \
		-append "console=ttyS0 edd=off panic=-1 quiet PST_PROBE=$marker" </dev/null >"$log" 2>&1
} 2>/dev/null
probe_status=$?
if grep -q "^$marker" "$log"; then
	answer=$(printf 'kvm\n/dev/kvm works (a probe boot reached the initramfs in %d s)' $((SECONDS - start)))
else
	case $probe_status in
	124 | 137) why="a probe boot under KVM did not reach the initramfs within ${probe_timeout}s" ;;
	12[89] | 1[3-9][0-9])
		why="a probe boot under KVM ended before the initramfs: QEMU died of SIG$(kill -l $((probe_status - 128)))"
		;;
	*) why="a probe boot under KVM ended before the initramfs: QEMU exited with status $probe_status" ;;
	esac
	# A paravirtual KVM (PVM) runs only guest kernels built for it.
	if [ -d /sys/module/kvm_pvm ] && [ ! -d /sys/module/kvm_intel ] && [ ! -d /sys/module/kvm_amd ]; then
		why="$why (this host's /dev/kvm is kvm_pvm, which runs only PVM guest kernels)"
	fi
	last=$(grep -v -e '^$' -e 'terminating on signal' "$log" | tail -1 | tr -d '\r')
	[ -n "$last" ] && why="$why; its last line: $last"
	answer=$(printf 'tcg\n%s' "$why")
fi
mkdir -p "$cache" && printf '%s\n' "$answer" >"$cache/$key.$$" && mv "$cache/$key.$$" "$cache/$key"
printf '%s\n' "$answer"
