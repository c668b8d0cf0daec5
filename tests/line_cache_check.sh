#!/bin/bash
# The Debian lines' cache does not grow without end (make unit): when a line's
# package moves to a new version, harness/guests/debian-line.sh removes the old
# .deb and what it unpacked or made from it: the old user-mode-linux tree, the
# old distribution kernel (a new ABI renames the image package) and its parts.
# Checked in a scratch cache against a stand-in apt (apt-get, apt-cache on PATH)
# serving small packages built here with dpkg-deb: no network, no real line.
# Exit 0 all checks passed, 1 one failed, 2 could not run.
set -u
cd "$(dirname "$0")/.." || exit 2
passes=0 fails=0
ok() { echo "ok   $*"; passes=$((passes + 1)); }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }
command -v dpkg-deb >/dev/null || { echo "line-cache check: needs dpkg-deb (Debian's dpkg)" >&2; exit 2; }

scratch=$(mktemp -d "${TMPDIR:-/tmp}/pst-line-cache-check.XXXXXX") || exit 2
trap 'rm -rf "$scratch"' EXIT
trap 'exit 130' INT TERM HUP
repo=$scratch/repo bin=$scratch/bin
mkdir -p "$repo" "$bin"
line=sid # a line whose distribution kernel is split into parts
suite=$(harness/guests/debian-line.sh suite "$line") || exit 2
cached=$scratch/cache/lines/$suite

# deb PKG VERSION [DEPENDS] [FILE...]: a package in the stand-in repository holding
# FILEs (empty files, usr/bin/* executable); it becomes PKG's candidate.
deb() {
	local pkg=$1 version=$2 depends=${3:-} tree=$scratch/tree f
	shift 3
	rm -rf "$tree" && mkdir -p "$tree/DEBIAN"
	{
		echo "Package: $pkg" && echo "Version: $version" && echo "Architecture: amd64"
		echo "Maintainer: nobody <nobody@invalid>" && echo "Description: stand-in"
		[ -z "$depends" ] || echo "Depends: $depends"
	} >"$tree/DEBIAN/control"
	for f; do
		mkdir -p "$tree/$(dirname "$f")" && : >"$tree/$f"
		case $f in usr/bin/*) chmod +x "$tree/$f" ;; esac
	done
	dpkg-deb --root-owner-group -b "$tree" "$repo/${pkg}_${version}_amd64.deb" >/dev/null || exit 2
	echo "${pkg}_${version}_amd64.deb" >"$repo/$pkg.candidate"
}

# The stand-in apt: the subcommands debian-line.sh uses, its -o options ignored.
cat >"$bin/apt-get" <<'EOF'
#!/bin/bash
args=()
while [ $# -gt 0 ]; do
	case $1 in -o) shift ;; -q*) ;; *) args+=("$1") ;; esac
	shift
done
set -- "${args[@]}"
case $1 in
indextargets) echo "http://mirror.invalid/debian $(. /etc/os-release && echo "$VERSION_CODENAME")" ;;
update) ;;
download)
	[ "$2" = --print-uris ] && { f=$(cat "$FAKE_REPO/$3.candidate") && echo "'http://mirror.invalid/$f' $f 1 SHA256:0"; exit; }
	cp "$FAKE_REPO/$(cat "$FAKE_REPO/$2.candidate")" . ;;
*) exit 100 ;;
esac
EOF
cat >"$bin/apt-cache" <<'EOF'
#!/bin/bash
for a; do pkg=$a; done
[ -f "$FAKE_REPO/$pkg.depends" ] || exit 100
echo "$pkg" && sed 's/^/  Depends: /' "$FAKE_REPO/$pkg.depends"
EOF
chmod +x "$bin/apt-get" "$bin/apt-cache"
lines() { # COMMAND: debian-line.sh COMMAND on the line, against the stand-in apt, lists always stale
	PATH=$bin:$PATH FAKE_REPO=$repo PST_KERNEL_CACHE=$scratch/cache PST_LINE_LISTS_MAX_AGE=0 \
		harness/guests/debian-line.sh "$1" "$line" 2>"$scratch/said"
}
# distribution_kernel ABI VERSION: linux-image-amd64 depends on the image of ABI, in three parts.
distribution_kernel() {
	local abi=$1 v=$2 p f parts=''
	for p in base binary modules; do
		f=usr/share/doc/linux-$p-$abi/stand-in
		[ "$p" != binary ] || f=boot/vmlinuz-$abi
		deb "linux-$p-$abi" "$v" '' "$f"
		parts="$parts${parts:+, }linux-$p-$abi (= $v)"
	done
	deb "linux-image-$abi" "$v" "$parts" # holds no vmlinuz: the parts do
	echo "linux-image-$abi" >"$repo/linux-image-amd64.depends"
}
listing() { (cd "$1" && ls | sort | paste -sd' '); }

# user-mode-linux: a new version replaces the old one's .deb and tree.
deb user-mode-linux 7.1um1 '' usr/bin/linux.uml
lines uml >/dev/null || { cat "$scratch/said"; exit 2; }
deb user-mode-linux 7.2um1 '' usr/bin/linux.uml
out=$(lines uml) && [ -x "$cached/user-mode-linux_7.2um1/usr/bin/linux.uml" ] &&
	echo "$out" | grep -qx "linux=$cached/user-mode-linux_7.2um1/usr/bin/linux.uml" &&
	ok "a new user-mode-linux is unpacked and named" || bad "uml: $out $(cat "$scratch/said")"
[ ! -e "$cached/user-mode-linux_7.1um1" ] && [ ! -e "$cached/debs/user-mode-linux_7.1um1_amd64.deb" ] &&
	ok "the superseded user-mode-linux's .deb and tree are gone" ||
	bad "left after a new user-mode-linux: $(listing "$cached") / debs: $(listing "$cached/debs")"
grep -q "removing the superseded user-mode-linux_7.1um1_amd64.deb" "$scratch/said" &&
	ok "each removal is said" || bad "no 'removing the superseded' line: $(cat "$scratch/said")"

# The distribution kernel: a new ABI renames every part; the old kernel and parts go.
distribution_kernel 7.1.5+deb14-amd64 7.1.5-1
lines qemu-kernel >/dev/null || { cat "$scratch/said"; exit 2; }
old_kernel=kernel_linux-image-7.1.5+deb14-amd64_7.1.5-1
[ -d "$cached/$old_kernel" ] || bad "the first distribution kernel was not unpacked: $(listing "$cached")"
distribution_kernel 7.2.13+deb14-amd64 7.2.13-1
out=$(lines qemu-kernel)
new_kernel=kernel_linux-image-7.2.13+deb14-amd64_7.2.13-1
echo "$out" | grep -qx "kernel=$cached/$new_kernel/boot/vmlinuz-7.2.13+deb14-amd64" &&
	ok "a new ABI's kernel is unpacked and named" || bad "qemu-kernel: $out $(cat "$scratch/said")"
left=$(listing "$cached/debs")
want=$(printf '%s\n' user-mode-linux_7.2um1 linux-{image,base,binary,modules}-7.2.13+deb14-amd64_7.2.13-1 |
	sed 's/$/_amd64.deb/' | sort | paste -sd' ')
[ "$left" = "$want" ] && ok "only the new kernel's four packages stay in debs/" ||
	bad "debs after a new ABI: expected '$want', got '$left'"
[ ! -e "$cached/$old_kernel" ] && ok "the superseded distribution kernel is gone" ||
	bad "$old_kernel is still there"

# The same ABI, a new revision: the image keeps its name, its version moves.
distribution_kernel 7.2.13+deb14-amd64 7.2.13-2
lines qemu-kernel >/dev/null
[ -d "$cached/kernel_linux-image-7.2.13+deb14-amd64_7.2.13-2" ] && [ ! -e "$cached/$new_kernel" ] &&
	[ "$(ls "$cached/debs" | grep -c '^linux-')" -eq 4 ] &&
	ok "a new revision of the same ABI replaces the kernel and its parts" ||
	bad "after a new revision: $(listing "$cached") / debs: $(listing "$cached/debs")"

echo "line-cache check: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
