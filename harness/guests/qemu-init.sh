#!/bin/busybox sh
# /init of the QEMU guest's initramfs (harness/guests/qemu-initramfs.sh packs it).
# Loads the modules packed beside it in dependency order, mounts the host's
# filesystem (shared over 9p by harness/guests/qemu-run.sh) and hands over to
# harness/guests/guest-init.sh inside it, which then runs exactly as in the UML guest.
# PST_RUNDIR and PST_INIT come from the kernel command line as environment.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

stop() {
	echo "qemu-init: $1"
	poweroff -f # no status file: the launcher reports a guest without a verdict
}
# The accelerator probe (harness/guests/qemu-accel.sh): the kernel booted this far.
if [ -n "${PST_PROBE:-}" ]; then
	echo "$PST_PROBE"
	poweroff -f
fi
while read -r m; do
	# Into the kernel log, not onto the console: a CPU-specific variant
	# (crc32c-intel under TCG's CPU) fails harmlessly beside its generic one.
	insmod "/modules/$m" 2>/dev/null || echo "<6>qemu-init: insmod $m failed" >/dev/kmsg
done </modules/order

# msize: 9p's default (8 KiB) makes every exec over the share crawl.
# cache=mmap: executables' pages are cached (boot to the suite in about half
# the time of no cache) while every write still reaches the host at once, so
# the journal survives a guest kernel that dies (cache=loose loses it).
mkdir -p /newroot
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144,access=any,cache=mmap hostroot /newroot ||
	stop "cannot mount the host's filesystem over 9p"
mount -t devtmpfs devtmpfs /newroot/dev || stop "cannot mount /dev in the shared root"
# A guest of another architecture (qemu-initramfs.sh --arch): the shared root's
# programs are the host's, which cannot run here. Its own busybox and bash over
# every program directory on PATH, in a tmpfs (switch_root empties the initramfs).
if [ -x /userland/bash ]; then
	u=/newroot/usr/bin
	mount -t tmpfs -o mode=0755 userland "$u" || stop "cannot mount a tmpfs on $u"
	cp /bin/busybox "$u/busybox" && /bin/busybox --install -s "$u" && rm -f "$u/bash" &&
		cp /userland/bash "$u/bash" || stop "cannot lay this architecture's programs into $u"
	# (the links name /bin/busybox, this one: after switch_root the shared
	# root's /bin, which is usr/bin)
	for d in usr/sbin usr/local/bin usr/local/sbin; do
		[ -d "/newroot/$d" ] && { mount --bind "$u" "/newroot/$d" || stop "cannot bind $u on /newroot/$d"; }
	done
fi
[ -x "/newroot$PST_INIT" ] || stop "no $PST_INIT in the shared root"
umount /proc /sys /dev
exec switch_root /newroot "$PST_INIT"
