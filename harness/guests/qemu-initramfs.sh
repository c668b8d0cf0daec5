#!/bin/bash
# Build (or find in the cache) the QEMU guest's initramfs for one kernel and
# print its path: busybox-static, harness/guests/qemu-init.sh as /init, and the
# modules the guest needs before it can reach the host's filesystem and run
# the suite, in dependency order (from that kernel's modules.dep).
#   harness/guests/qemu-initramfs.sh [--modules DIR] [--arch arm64]
# DIR is the kernel's module tree (the directory holding modules.dep); without
# it the kernel must have everything built in, and no module is packed.
# --arch arm64: a guest of another architecture, which cannot run the host's
# programs: that architecture's busybox-static and bash from Debian's packages
# (harness/guests/debian-line.sh --arch, the machine's own release) instead of
# the host's busybox, bash packed too; the guest's /init lays them over the shared
# root's program directories. bash's libraries and the runner's are the host's
# multiarch ones (harness/deps.sh arm64), reached over 9p.
# Cached under ${PST_KERNEL_CACHE:-~/.cache/pst-kernel}/initramfs/, keyed on
# every input (busybox, /init, each module file). Exit 2 on bad input.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${PST_KERNEL_CACHE:-$HOME/.cache/pst-kernel}/initramfs
busybox=/bin/busybox
# 9p over virtio to reach the host's files; sctp and veth for the suite;
# hmac for the SCTP cookie (listen() gives ENOSYS without it).
required="virtio_pci 9pnet_virtio 9p sctp veth"
optional="hmac"

die() { echo "qemu-initramfs: $1" >&2; exit "${2:-2}"; }
modules= arch=
while [ $# -gt 0 ]; do
	case $1 in
	--modules) modules=${2:?}; shift 2 ;;
	--arch) arch=${2:?}; shift 2 ;;
	*) die "unknown option '$1'" ;;
	esac
done
if [ -n "$modules" ]; then
	[ -d "$modules" ] || die "--modules '$modules' is not a directory"
	modules=$(cd "$modules" && pwd)
	[ -f "$modules/modules.dep" ] || die "no modules.dep in $modules (run depmod for that tree)"
fi
case $arch in '' | arm64) ;; *) die "--arch must be arm64, not '$arch'" ;; esac

# modprobe reads <base>/lib/modules/<release>: a private base that points at DIR.
work=$(mktemp -d "${TMPDIR:-/tmp}/pst-initramfs.XXXXXX") || die "mktemp failed" 3
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM HUP
bash=
if [ -n "$arch" ]; then
	codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
	for pkg in busybox-static bash; do
		deb=$("$here/debian-line.sh" --arch "$arch" fetch "$codename" "$pkg") || exit 3
		dpkg -x "$deb" "$work/$arch" || die "dpkg -x $deb failed" 3
	done
	busybox=$work/$arch/bin/busybox bash=$work/$arch/bin/bash
	[ -f "$bash" ] || die "bash of $codename/$arch holds no bin/bash" 3
fi
# (a dynamically linked busybox would find no C library in the initramfs)
[ -x "$busybox" ] && LC_ALL=C ldd "$busybox" 2>&1 | grep -q 'not a dynamic executable' ||
	die "no static busybox at $busybox (apt-get install busybox-static)"

release=pst
mkdir -p "$work/base/lib/modules" "$work/root/bin" "$work/root/modules" "$work/root/proc" \
	"$work/root/sys" "$work/root/dev"
[ -z "$modules" ] || ln -s "$modules" "$work/base/lib/modules/$release"

# Each module's insmod lines, dependencies first; "builtin" lines need nothing.
: >"$work/paths"
[ -n "$modules" ] || required= optional=
for m in $required $optional; do
	if ! out=$(modprobe -d "$work/base" -S "$release" --show-depends "$m" 2>&1); then
		case " $required " in
		*" $m "*) die "module $m is neither in $modules nor built into the kernel" ;;
		esac
		continue
	fi
	printf '%s\n' "$out" | sed -n 's/^insmod \([^ ]*\).*/\1/p' >>"$work/paths"
done
# Each module once, in first-needed order (a dependency shared by two comes first).
mapfile -t paths < <(awk '!seen[$0]++' "$work/paths")

key=$( {
	sha256sum "$busybox" "$here/qemu-init.sh" ${bash:+"$bash"}
	for p in "${paths[@]}"; do sha256sum "$p"; done
} | awk '{print $1}' | sha256sum | cut -c1-16)
out=$cache/$key.cpio.gz
if [ -s "$out" ]; then
	echo "$out"
	exit 0
fi

cp "$busybox" "$work/root/bin/busybox"
cp "$here/qemu-init.sh" "$work/root/init"
if [ -n "$bash" ]; then
	mkdir -p "$work/root/userland"
	cp "$bash" "$work/root/userland/bash"
fi
chmod 0755 "$work/root/init"
for p in "${paths[@]}"; do
	name=$(basename "$p")
	case $name in # busybox insmod takes plain .ko files
	*.ko.xz) xz -dc "$p" >"$work/root/modules/${name%.xz}" ;;
	*.ko.zst) zstd -qdc "$p" >"$work/root/modules/${name%.zst}" ;;
	*.ko.gz) gzip -dc "$p" >"$work/root/modules/${name%.gz}" ;;
	*) cp "$p" "$work/root/modules/$name" ;;
	esac || die "cannot unpack $p" 3
	echo "${name%.ko*}.ko" >>"$work/root/modules/order"
done
touch "$work/root/modules/order"
mkdir -p "$cache" || die "cannot create $cache" 3
(cd "$work/root" && find . | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0 | gzip -1) \
	>"$work/initramfs.cpio.gz" || die "cpio failed" 3
mv "$work/initramfs.cpio.gz" "$out" || die "cannot write $out" 3
echo "$out"
