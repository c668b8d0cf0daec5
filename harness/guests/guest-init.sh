#!/bin/bash
# PID 1 of the User-Mode Linux guest. The host's / is the guest's root
# (hostfs), so the guest sees the repository and writes into it directly.
# The launcher (harness/guests/uml-run.sh) passes PST_RUNDIR on the kernel command
# line; $PST_RUNDIR/guest.env says what to run. The command's exit status goes
# back through $PST_RUNDIR/status: linux.uml's own exit status does not carry it.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
finish() {
	echo "${1:-3}" >"$PST_RUNDIR/status"
	sync
	poweroff -f 2>/dev/null # (as a non-root host user it cannot write utmp: harmless)
}
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t tmpfs -o mode=0755 run /run # /run/netns of this guest only
# shellcheck source=/dev/null
. "$PST_RUNDIR/guest.env" || finish 3

# modprobe looks under <dir>/lib/modules/<release>; the kernel's own module
# loading (hmac for the cookie, else listen() gives ENOSYS) must find them too.
# Every process costs ~70 ms in a UML guest: builtins where they do, and one
# modprobe for every module that is missing (it knows the built-in ones).
read -r release </proc/sys/kernel/osrelease
if [ -d "$PST_GUEST_MODULES" ] && [ -e /proc/modules ]; then # no module support: all built in
	mkdir -p /run/pst-modules/lib/modules
	ln -s "$PST_GUEST_MODULES" "/run/pst-modules/lib/modules/$release"
	echo "${0%/*}/guest-modprobe.sh" >/proc/sys/kernel/modprobe
	missing=()
	for m in sctp veth hmac; do
		# (loaded already: the QEMU initramfs loads them, each modprobe costs
		# seconds when the root is shared over 9p)
		[ -d "/sys/module/$m" ] || missing+=("$m")
	done
	if [ ${#missing[@]} -gt 0 ]; then
		# Built in: nothing to load (an arm64 guest's busybox modprobe knows no
		# -d to find that out). Read by bash itself: no process.
		mapfile -t builtin <"$PST_GUEST_MODULES/modules.builtin" 2>/dev/null
		names=" ${builtin[*]##*/} " left=()
		for m in "${missing[@]}"; do [[ $names == *" $m.ko "* ]] || left+=("$m"); done
		missing=("${left[@]}")
	fi
	if [ ${#missing[@]} -gt 0 ]; then
		modprobe -q -a -d /run/pst-modules "${missing[@]}" || echo "guest: modprobe ${missing[*]} failed"
	fi
fi
ip link set lo up
cd "$PST_GUEST_CWD" || finish 3
export LD_PRELOAD="$PST_GUEST_LD_PRELOAD"
"${PST_GUEST_CMD[@]}"
status=$?
echo "$PST_GUEST_END_MARK" # (the launcher shows nothing of the console after it)
finish "$status"
