#!/bin/bash
# Debian kernel packages for the QEMU target, never installed on the host.
#   harness/guests/kernel-deb.sh fetch        download the linux-image package that
#                                      linux-image-amd64 depends on (Debian's
#                                      current kernel); print the .deb's path
#   harness/guests/kernel-deb.sh unpack DEB   unpack a linux-image-*.deb (dpkg -x, then
#                                      depmod); print two lines: the kernel
#                                      image and its modules directory
# Both cache under ${PST_KERNEL_CACHE:-~/.cache/pst-kernel}/deb/. Exit 2 when
# DEB is not a kernel image package, 3 when the download fails.
set -u
cache=${PST_KERNEL_CACHE:-$HOME/.cache/pst-kernel}/deb
meta=linux-image-amd64 # Debian's "current kernel" package: it depends on the real one

die() { echo "kernel-deb: $1" >&2; exit "${2:-2}"; }

fetch() {
	local pkg deb
	mkdir -p "$cache" || die "cannot create $cache" 3
	if [ "$(id -u)" -eq 0 ]; then
		apt-get update -qq >&2 || echo "kernel-deb: apt-get update failed; using the package lists there are" >&2
	fi
	pkg=$(apt-cache depends "$meta" 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[^ ]*\)$/\1/p' | head -1)
	[ -n "$pkg" ] || die "apt-cache knows no linux-image package that $meta depends on (apt-get update?)" 3
	# The name apt-get download gives the file ('%3a' for an epoch's ':'); from
	# / since it prints nothing where the file is already.
	deb=$(cd / && apt-get download --print-uris "$pkg" 2>/dev/null | awk '{print $2}' | head -1)
	[ -n "$deb" ] || die "apt-get cannot download $pkg" 3
	if [ ! -s "$cache/$deb" ]; then
		# (as root apt's sandbox user cannot write here: harmless, say nothing)
		(cd "$cache" && apt-get download -qq "$pkg" 2>&1 | grep -v 'unsandboxed as root' >&2)
		[ -s "$cache/$deb" ] || die "apt-get download $pkg failed" 3
	fi
	echo "$cache/$deb"
}

unpack() {
	local deb=$1 pkg version key dir partial kernel release
	[ -f "$deb" ] || die "no such file: $deb"
	pkg=$(dpkg-deb -f "$deb" Package 2>/dev/null) || die "$deb is not a Debian package"
	case $pkg in
	linux-image-*) ;;
	*) die "$deb is package '$pkg', not a linux-image-* kernel package" ;;
	esac
	dpkg-deb -c "$deb" | grep ' \./boot/vmlinuz-' >/dev/null || # (not -q: dpkg-deb would get SIGPIPE)
		die "$deb ($pkg) holds no boot/vmlinuz-*: not a kernel image package (a meta or -dbg package?)"
	version=$(dpkg-deb -f "$deb" Version)
	key=$(sha256sum "$deb" | cut -c1-16)
	dir=$cache/${pkg}_${version//:/%3a}-$key
	if [ ! -d "$dir" ]; then
		mkdir -p "$cache" || die "cannot create $cache" 3
		partial=$(mktemp -d "$dir.partial.XXXXXX") || die "cannot create a directory in $cache" 3
		trap 'rm -rf "$partial"' EXIT
		trap 'exit 130' INT TERM HUP
		dpkg -x "$deb" "$partial" || die "dpkg -x $deb failed" 3
		# The package ships no modules.dep: its postinst runs depmod.
		for release in $(ls "$partial/lib/modules" 2>/dev/null); do
			depmod -b "$partial" "$release" || die "depmod for $release failed" 3
		done
		mv "$partial" "$dir" 2>/dev/null || rm -rf "$partial" # (another run unpacked it meanwhile)
		trap - EXIT
	fi
	kernel=$(ls "$dir"/boot/vmlinuz-* | head -1)
	release=${kernel##*/vmlinuz-}
	echo "$kernel"
	if [ -d "$dir/lib/modules/$release" ]; then
		echo "$dir/lib/modules/$release"
	else
		echo # all built in
	fi
}

case ${1:-} in
fetch) fetch ;;
unpack) [ $# -eq 2 ] || die "usage: kernel-deb.sh unpack DEB"; unpack "$2" ;;
*) die "usage: kernel-deb.sh fetch | unpack DEB" ;;
esac
