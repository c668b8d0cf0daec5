#!/bin/sh
# /init of the LAVA device's initramfs (lab/lava/image.sh packs it): a root
# filesystem in RAM with the suite already built in (/opt/sctp-peeloff), no
# network access needed. Loads the modules the suite needs (the QEMU target's
# list, harness/guests/qemu-initramfs.sh; the rest on demand from
# /lib/modules), then hands the console to a root shell: LAVA's boot action
# waits for its prompt, its test action types into it.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
# (bash's process substitution needs /dev/fd: devtmpfs has no such link)
ln -s /proc/self/fd /dev/fd
mkdir -p /dev/pts /run /tmp
mount -t devpts devpts /dev/pts
mount -t tmpfs -o mode=0755 run /run
mount -t tmpfs tmpfs /tmp
while read -r m; do
	# Into the kernel log, not onto the console: a CPU-specific variant
	# (crc32c-intel under TCG's CPU) fails harmlessly beside its generic one.
	insmod "/modules/$m" 2>/dev/null || echo "<6>device-init: insmod $m failed" >/dev/kmsg
done </modules/order
# The network is for sending the reports back only (lab/lava/upload-reports.sh
# brings the interface up then): the suite runs as in the QEMU target, where the
# guest has no interface but lo.
modprobe -q virtio_net 2>/dev/null
ip link set lo up
hostname sctp-peeloff-device
# LAVA's prompt: a fixed, unusual string (lab/lava/job-qemu.yaml waits for it).
export PS1='sctp-peeloff-device:~# '
echo "device-init: the sctp_peeloff suite is in /opt/sctp-peeloff"
# cttyhack: the console's real tty as the shell's controlling terminal (job control, Ctrl-C).
exec setsid cttyhack /bin/sh -i
