#!/bin/bash
# Build what a LAVA device boots to run the suite without the network: the
# kernel under test (a Debian linux-image-*.deb, never installed here) and an
# initramfs that is the whole root filesystem, with the suite already built in.
#   lab/lava/image.sh [--kernel-deb DEB] [--arch arm64] --out DIR
# Writes DIR/vmlinuz, DIR/initramfs.cpio.gz and DIR/image.env (what they are:
# the kernel's release, the package, the suite's version). Without --kernel-deb,
# Debian's current kernel (harness/guests/kernel-deb.sh fetch, cached).
# The initramfs holds:
#   - the QEMU target's initramfs (harness/guests/qemu-initramfs.sh: busybox and
#     the modules the suite needs, in load order), with lab/lava/device-init.sh as
#     /init instead of the 9p hand-over (a lab's device cannot mount this host);
#   - the kernel's net/, crypto/ and lib/ modules and their index, so that a module
#     the kernel asks for later (modprobe) is there too, and its config (boot/);
#   - this host's bash, dash as /bin/sh, coreutils, procps, util-linux's setsid,
#     sed, grep, awk, findutils, gzip, tar, kmod, iproute2 and the libraries they
#     and the runner link (ldd), libsctp1 (dlopened, not linked); busybox for the rest;
#   - a copy of the project (tracked and untracked files, not the ignored ones)
#     at /opt/sctp-peeloff with build/ made here and build/PREBUILT (run.sh then
#     neither installs nor builds; the file holds the suite's version).
# --arch arm64: an image for an arm64 device (LAVA's qemu device type with the job's
# context arch: arm64): without --kernel-deb, Debian's arm64 kernel of the machine's
# release (harness/guests/debian-line.sh --arch arm64); the runner cross-built (make
# ARCH=arm64); for programs that architecture's busybox and bash (the QEMU target's
# arm64 initramfs has them) with the arm64 libraries that multiarch installed here
# (harness/deps.sh arm64), busybox's sh as /bin/sh.
# Exit 0 built, 2 bad input or missing dependency, 3 a step failed.
set -u
cd "$(dirname "$0")/../.." || exit 2
root=$PWD
die() { echo "lava-image: $1" >&2; exit "${2:-3}"; }
deb= out= arch=
while [ $# -gt 0 ]; do
	case $1 in
	--kernel-deb) deb=${2:?}; shift 2 ;;
	--arch) arch=${2:?}; shift 2 ;;
	--out) out=${2:?}; shift 2 ;;
	*) die "unknown option '$1' (usage: image.sh [--kernel-deb DEB] --out DIR)" 2 ;;
	esac
done
[ -n "$out" ] || die "usage: image.sh [--kernel-deb DEB] --out DIR" 2
case $arch in '' | arm64) ;; *) die "--arch must be arm64, not '$arch'" 2 ;; esac
harness/deps.sh "${arch:-qemu}" || exit 2
make -s all >&2 || die "make all failed"
build=build
if [ -n "$arch" ]; then
	make -s ARCH="$arch" all >&2 || die "make ARCH=$arch all failed"
	build=build/$arch
fi
if [ -z "$deb" ] && [ -n "$arch" ]; then
	codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
	answer=$(harness/guests/debian-line.sh --arch "$arch" qemu-kernel "$codename") ||
		die "cannot fetch Debian's $arch kernel of $codename (above)"
	kernel=$(sed -n 's/^kernel=//p' <<<"$answer") modules=$(sed -n 's/^modules=//p' <<<"$answer")
	deb=$(sed -n 's/^package=//p' <<<"$answer")_$(sed -n 's/^version=//p' <<<"$answer")_$arch.deb
else
	if [ -z "$deb" ]; then
		deb=$(harness/guests/kernel-deb.sh fetch) || die "cannot fetch Debian's current kernel (above)"
	fi
	[ -f "$deb" ] || die "--kernel-deb $deb: no such file" 2
	{ read -r kernel && read -r modules; } < <(harness/guests/kernel-deb.sh unpack "$deb") ||
		die "cannot unpack $deb (above)" 2
fi
[ -n "$modules" ] || die "$deb ships no modules: the image needs sctp, veth and hmac as modules" 2
release=${kernel##*/vmlinuz-}
base=$(harness/guests/qemu-initramfs.sh --modules "$modules" ${arch:+--arch "$arch"}) ||
	die "the QEMU target's initramfs failed (above)"

work=$(mktemp -d "${TMPDIR:-/tmp}/pst-lava-image.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM HUP
img=$work/root
# Debian 12's merged /usr: /bin, /sbin, /lib and /lib64 point into /usr.
mkdir -p "$img"/usr/{bin,sbin,lib,lib64} "$img"/{proc,sys,dev,run,tmp,root,etc,boot,opt} || die "mkdir failed"
for d in bin sbin lib lib64; do ln -s "usr/$d" "$img/$d"; done
chmod 1777 "$img/tmp"
# (its modules and their order; busybox comes below, /init is this one)
mkdir -p "$work/base" && (cd "$work/base" && gzip -dc "$base" | cpio --quiet -i -d -m) &&
	cp -a "$work/base/modules" "$img/" || die "cannot unpack $base"
cp lab/lava/device-init.sh "$img/init" && chmod 0755 "$img/init" || die "cannot install /init"

# The kernel's modules for on-demand loading, and its configuration.
m=lib/modules/$release
mkdir -p "$img/usr/$m/kernel" || die "mkdir failed"
cp "$modules"/modules.* "$img/usr/$m/" || die "cannot copy $modules/modules.*"
for d in net crypto lib; do
	[ -d "$modules/kernel/$d" ] && { cp -a "$modules/kernel/$d" "$img/usr/$m/kernel/" || die "cannot copy $d/"; }
done
# (virtio_net and what it needs: the interface lab/lava/upload-reports.sh sends the reports over)
modprobe -a -d "${modules%/lib/modules/*}" -S "$release" --show-depends virtio_net veth 2>/dev/null |
	sed -n 's/^insmod \([^ ]*\).*/\1/p' | while read -r p; do
	mkdir -p "$img/usr/$m/$(dirname "${p#"$modules"/}")" && cp "$p" "$img/usr/$m/${p#"$modules"/}"
done
config=$(dirname "$kernel")/config-$release
[ -f "$config" ] && cp "$config" "$img/boot/"

# copy PATH: the file (a symlink and what it points at) under $img, same path.
copy() {
	local f
	for f in "$1" "$(readlink -f "$1")"; do
		mkdir -p "$img$(dirname "$f")" && cp -a "$f" "$img$f" || return 1
	done
}
# Another architecture's programs: the busybox and bash of the QEMU target's
# initramfs (that architecture's Debian packages), the runner's and bash's
# libraries from this host's multiarch directory, each with what it needs in turn
# (readelf: ldd cannot run a foreign program), libsctp1 (dlopened, not linked).
arm_userland() {
	local triplet=aarch64-linux-gnu lib e todo needed have
	cp "$work/base/bin/busybox" "$img/usr/bin/busybox" && cp "$work/base/userland/bash" "$img/usr/bin/bash" ||
		die "no busybox or bash in $base"
	# A link for each applet: the host's busybox lists them (the same Debian release's
	# busybox-static; the guest's cannot run here).
	while read -r a; do
		a=${a#/}
		case $a in bin/* | sbin/*) a=usr/$a ;; esac
		[ -e "$img/$a" ] || [ -L "$img/$a" ] || ln -s /usr/bin/busybox "$img/$a"
	done < <(/bin/busybox --list-full)
	ln -sf busybox "$img/usr/bin/sh"
	lib=/usr/lib/$triplet
	mkdir -p "$img$lib" && cp -a "$lib/ld-linux-aarch64.so.1" "$img$lib/" &&
		ln -s "$triplet/ld-linux-aarch64.so.1" "$img/usr/lib/ld-linux-aarch64.so.1" ||
		die "no $lib/ld-linux-aarch64.so.1 (harness/deps.sh $arch)" 2
	for e in $(dpkg -L "libsctp1:$arch" | grep '\.so'); do copy "$e" || die "cannot copy $e"; done
	todo=("$img/usr/bin/bash" "$build/peeloff-runner" "$build/libsctp-archive.so" "$lib/libsctp.so.1")
	while [ ${#todo[@]} -gt 0 ]; do
		e=${todo[0]}
		todo=("${todo[@]:1}")
		for needed in $(readelf -d "$e" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
			have=$img$lib/$needed
			[ -e "$have" ] && continue
			[ -e "$lib/$needed" ] || die "$e needs $needed: not in $lib (harness/deps.sh $arch)" 2
			copy "$lib/$needed" || die "cannot copy $lib/$needed"
			todo+=("$lib/$needed")
		done
	done
}
# This host's programs, each with the libraries it links.
host_userland() {
	progs=()
	for pkg in bash dash coreutils procps sed grep findutils gzip tar kmod iproute2 diffutils; do
		while read -r f; do
			case $f in */bin/* | */sbin/*) [ -f "$f" ] || [ -L "$f" ] && progs+=("$f") ;; esac
		done < <(dpkg -L "$pkg" 2>/dev/null)
	done
	for p in setsid flock unshare nsenter; do progs+=("$(command -v "$p")"); done
	awk=$(readlink -f "$(command -v awk)") || die "no awk on this host"
	progs+=("$awk")
	libsctp=()
	while read -r f; do
		case $f in *.so*) libsctp+=("$f") ;; esac
	done < <(dpkg -L "libsctp1:$(dpkg --print-architecture)") # (by architecture: multiarch may have another)
	[ ${#libsctp[@]} -gt 0 ] || die "libsctp1 is not installed (harness/deps.sh build)" 2
	for f in "${progs[@]}" "${libsctp[@]}"; do copy "$f" || die "cannot copy $f"; done
	ln -sf "$(basename "$awk")" "$img/usr/bin/awk"
	ln -sf dash "$img/usr/bin/sh"
	# The libraries: of every program above, of the runner and of the build's shared objects.
	mapfile -t elves < <(find "$img/usr/bin" "$img/usr/sbin" -type f)
	elves+=(build/peeloff-runner build/pst-compare build/kcov-annotate build/libsctp-archive.so "${libsctp[@]}")
	for e in "${elves[@]}"; do
		LC_ALL=C ldd "$e" 2>/dev/null | sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) (0x.*/\1/p'
	done | sort -u | while read -r lib; do
		copy "$lib" || die "cannot copy $lib"
	done
	# Busybox for everything else (mount, insmod, hostname, cttyhack, wget, ...):
	# a link for each of its applets that no host program above already is.
	cp /bin/busybox "$img/usr/bin/busybox" || die "no /bin/busybox (harness/deps.sh qemu)" 2
	while read -r a; do
		a=${a#/}
		case $a in bin/* | sbin/*) a=usr/$a ;; esac
		[ -e "$img/$a" ] || [ -L "$img/$a" ] || ln -s /usr/bin/busybox "$img/$a"
	done < <(/bin/busybox --list-full)
}
if [ -n "$arch" ]; then arm_userland; else host_userland; fi
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$img/etc/passwd"
printf 'root:x:0:\n' >"$img/etc/group"

# The project, built, at /opt/sctp-peeloff.
suite=$img/opt/sctp-peeloff
mkdir -p "$suite/build" || die "mkdir failed"
git ls-files -z -c -o --exclude-standard | xargs -0 cp -a --parents -t "$suite/" 2>/dev/null ||
	die "cannot copy the project (git ls-files)"
if [ -n "$arch" ]; then
	# (the runner's default archive code is build/$arch/libsctp-archive.so)
	mkdir -p "$suite/$build" && cp -a "$build/peeloff-runner" "$suite/build/" &&
		cp -a "$build/libsctp-archive.so" "$suite/$build/" || die "cannot copy $build/"
else
	cp -a build/peeloff-runner build/pst-compare build/kcov-annotate build/libsctp-archive.so "$suite/build/" ||
		die "cannot copy build/"
fi
version=$(git describe --always --dirty 2>/dev/null || echo unknown)
printf '%s\n' "$version" >"$suite/build/PREBUILT"

mkdir -p "$out" || die "cannot create $out"
(cd "$img" && find . | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0 | gzip -1) >"$work/initramfs.cpio.gz" ||
	die "cpio failed"
cp "$kernel" "$work/vmlinuz" || die "cannot copy $kernel"
{
	printf 'release=%s\n' "$release"
	printf 'kernel_deb=%s\n' "$(basename "$deb")"
	printf 'arch=%s\n' "${arch:-amd64}"
	printf 'suite_version=%s\n' "$version"
} >"$work/image.env"
for f in vmlinuz initramfs.cpio.gz image.env; do
	mv "$work/$f" "$out/$f" || die "cannot write $out/$f"
done
echo "lava-image: $out: kernel $release, initramfs $(du -h "$out/initramfs.cpio.gz" | cut -f1) (suite $version)" >&2
