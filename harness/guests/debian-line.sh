#!/bin/bash
# Debian's kernel lines by name (harness/guests/lines.tsv: bullseye/5.10, bookworm/6.1,
# trixie/6.12, sid): their packages fetched with the ordinary apt client into a
# private apt state directory, from the mirror the machine's own apt sources
# name (read at run time; the machine's apt configuration is left untouched),
# unpacked with dpkg -x (never installed) and cached outside the repository.
#   debian-line.sh names              the lines: name, aliases, suite, kernel line
#   debian-line.sh suite NAME         the suite of a line (NAME: a name or an alias)
#   debian-line.sh uml NAME           its prebuilt User-Mode Linux, as key=value lines:
#                                     linux=, modules= (the tree holding modules.dep),
#                                     libc= (when linux.uml needs a newer C library than
#                                     the host's: where linux= is, a copy of it that runs
#                                     on that suite's libc6, unpacked; else empty),
#                                     version= (the package's)
#   debian-line.sh qemu-kernel NAME   its distribution kernel (what linux-image-amd64 depends
#                                     on, with its parts where the package is split),
#                                     unpacked: kernel= (vmlinuz), modules=, package=, version=
#   debian-line.sh libsctp NAME       the unpacked libsctp.so.1 of that suite
#   debian-line.sh libsctp-archive NAME  the code of that suite's static libsctp.a
#                                     (libsctp-dev, unpacked) that defines sctp_peeloff_flags,
#                                     as a shared object (harness/runner/libsctp-archive.sh,
#                                     linked once beside the unpacked package); exit 4 when
#                                     no member of the archive defines it
#   debian-line.sh source NAME        the linux-source-* tarball of that suite, unpacked
#                                     from its package: key=value lines tarball=, version=
#   debian-line.sh fetch NAME PKG     one package of that suite: the .deb's path
#   debian-line.sh --arch arm64 ...   the same for another architecture of Debian's
#                                     (qemu-kernel: what linux-image-arm64 depends on;
#                                     fetch: that architecture's package), in a cache
#                                     of its own (lines-arm64/); default amd64
# Cache: ${PST_KERNEL_CACHE:-~/.cache/pst-kernel}/lines/<suite>/: apt/ (the private
# state: sources.list, lists, status), debs/, and one unpacked directory per package
# version. The package lists are refreshed when older than PST_LINE_LISTS_MAX_AGE
# seconds (default a day) or when a download fails; without the network the lists
# already there serve. One lock per suite (lines/<suite>/lock) serialises fetches; the
# kernel build lock (kernel/lock.sh) is not taken: fetching does not touch a build.
# Exit status: 0; 2 an unknown line or bad usage; 3 the fetch or unpack failed; 4 (libsctp-archive)
# the archive has no sctp_peeloff_flags.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
table=$here/lines.tsv
cache=${PST_KERNEL_CACHE:-$HOME/.cache/pst-kernel}/lines
max_age=${PST_LINE_LISTS_MAX_AGE:-86400}
keyring=/usr/share/keyrings/debian-archive-keyring.gpg # debian-archive-keyring: every suite's key
arch=amd64
if [ "${1:-}" = --arch ]; then
	arch=${2:-}
	case $arch in
	amd64) ;;
	arm64) cache=$cache-$arch ;; # (apart: a package of another architecture has the same name)
	*) echo "debian-line: --arch must be amd64 or arm64, not '$arch'" >&2; exit 2 ;;
	esac
	shift 2
fi

die() { echo "debian-line: $1" >&2; exit "${2:-3}"; }
say() { echo "debian-line: $*" >&2; }

# ---- names ----
# line_of NAME: sets suite, kline (its kernel line: "6.12", "7.x"), updates and row
# (the table's row); dies on an unknown name.
line_of() {
	local name aliases s k u
	while IFS=$'\t' read -r name aliases s k u; do
		case $name in '#'* | '') continue ;; esac
		if [ "$1" = "$name" ] || [[ ",$aliases," == *",$1,"* ]]; then
			suite=$s kline=$k updates=${u:-no} row="$name	$aliases	$s	$k	$u"
			return 0
		fi
	done <"$table"
	die "unknown kernel line '$1' (known: $(names | awk '{printf "%s%s/%s", (NR > 1 ? ", " : ""), $1, $2}'))" 2
}
names() { grep -v '^#' "$table" | awk -F'\t' 'NF >= 4 { print $1 "\t" $2 "\t" $3 "\t" $4 }'; }

# ---- the mirror: the URI the machine's apt sources give for its own release ----
# mirror [security]: the URI of the machine's <codename> suite, or with "security"
# of its <codename>-security suite (empty when it has none).
mirror() {
	local codename uri want
	codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
	want=$codename${1:+-$1}
	# What apt itself reads (one-line and deb822 sources alike).
	# shellcheck disable=SC2016 # $(...) is apt's own format syntax
	uri=$(apt-get indextargets --format '$(REPO_URI) $(RELEASE)' 2>/dev/null |
		awk -v r="$want" '$2 == r { print $1; exit }')
	if [ -z "$uri" ]; then # no package lists yet: the sources files themselves
		uri=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null |
			awk -v r="$want" '/^URIs:/ { u = $2 } /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == r) { print u; exit } }')
	fi
	if [ -z "$uri" ]; then
		uri=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
			awk -v r="$want" '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /:\/\//) { if ($(i + 1) == r) { print $i; exit } } }')
	fi
	[ -n "$uri" ] || [ -n "${1:-}" ] || die "the machine's apt sources name no Debian mirror for its own release ($codename)" 3
	echo "${uri%/}"
}

# ---- the private apt state of one suite ----
apt_opts() {
	local d=$cache/$suite/apt
	apt=(-o "Dir::State=$d/state" -o "Dir::State::status=$d/state/status" -o "Dir::Cache=$d/cache"
		-o "Dir::Etc::SourceList=$d/sources.list" -o "Dir::Etc::SourceParts=$d/sources.list.d"
		-o "APT::Architecture=$arch" -o "APT::Architectures=$arch" -o "APT::Sandbox::User=root"
		-o "Acquire::Languages=none")
}

# Refresh the suite's package lists when missing, older than max_age, made for
# another row of lines.tsv (the stamp holds the row: it says what sources.list
# holds; not the file's time, which a fresh clone renews), or with "force".
update_lists() {
	local d=$cache/$suite/apt stamp now
	apt_opts
	stamp=$d/updated
	now=$(date +%s)
	if [ "${1:-}" != force ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$row" ] &&
		[ $((now - $(stat -c %Y "$stamp"))) -lt "$max_age" ]; then
		return 0
	fi
	mkdir -p "$d/state/lists/partial" "$d/cache/archives/partial" "$d/sources.list.d" || die "cannot create $d"
	touch "$d/state/status"
	# A released suite's updates too (what its users run): <suite>-updates from the
	# same mirror, <suite>-security from the machine's security mirror, if any.
	local main security
	main=$(mirror) || exit
	security=$(mirror security)
	{
		echo "deb [signed-by=$keyring] $main $suite main"
		if [ "$updates" = yes ]; then
			echo "deb [signed-by=$keyring] $main $suite-updates main"
			[ -z "$security" ] || echo "deb [signed-by=$keyring] $security $suite-security main"
		fi
	} >"$d/sources.list"
	say "apt-get update of $suite (private state in $d)"
	if apt-get "${apt[@]}" -qq update >"$d/update.log" 2>&1; then
		echo "$row" >"$stamp"
	elif ls "$d"/state/lists/*_Packages* >/dev/null 2>&1; then
		say "apt-get update of $suite failed (see $d/update.log); using the lists there are"
	else
		die "apt-get update of $suite failed and there are no lists: see $d/update.log"
	fi
}

with_lock() {
	mkdir -p "$cache/$suite" || die "cannot create $cache/$suite"
	exec {lock_fd}>"$cache/$suite/lock"
	flock -n "$lock_fd" || { say "waiting for $cache/$suite/lock (another fetch of $suite)"; flock "$lock_fd"; }
}

# fetch PKG: the .deb of PKG's candidate version in the suite (downloaded once).
fetch() {
	local pkg=$1 debs=$cache/$suite/debs name
	update_lists
	mkdir -p "$debs" || die "cannot create $debs"
	# The file name apt-get download gives ('%3a' for an epoch's ':'); from /, since
	# it prints nothing where the file is already. None: refresh the lists once.
	name=$(cd / && apt-get "${apt[@]}" download --print-uris "$pkg" 2>/dev/null | awk '{print $2}' | head -1)
	if [ -z "$name" ]; then
		update_lists force
		name=$(cd / && apt-get "${apt[@]}" download --print-uris "$pkg" 2>/dev/null | awk '{print $2}' | head -1)
	fi
	[ -n "$name" ] || die "$suite has no package $pkg (see $cache/$suite/apt/update.log)"
	if [ ! -s "$debs/$name" ]; then
		say "downloading $pkg ($suite)"
		(cd "$debs" && apt-get "${apt[@]}" -qq download "$pkg" >&2) || {
			update_lists force
			(cd "$debs" && apt-get "${apt[@]}" -qq download "$pkg" >&2)
		} || die "apt-get download $pkg ($suite) failed"
		[ -s "$debs/$name" ] || die "apt-get download $pkg ($suite) gave no $name"
		prune "$pkg" "$name"
	fi
	echo "$debs/$name"
}

# prune PKG FILE: a new version of PKG arrived as FILE: the older ones go, their
# .deb and what was unpacked from them (the package's directory, and for a
# kernel image the distribution kernel made of it and its parts). A kernel
# package whose name carries its ABI (linux-image-6.12.57+deb13-amd64,
# linux-modules-..., linux-source-7.2) is superseded by any other of its kind.
prune() {
	local pkg=$1 name=$2 old pattern=${1}_
	case $pkg in linux-*-[0-9]*) pattern=${pkg%%-[0-9]*}- ;; esac
	for old in "$cache/$suite/debs/$pattern"*.deb; do
		[ -f "$old" ] && [ "${old##*/}" != "$name" ] || continue
		say "removing the superseded $(basename "$old")"
		rm -f "$old"
		old=$(basename "$old")
		old=${old%_*.deb}
		rm -rf "${cache:?}/$suite/$old" "$cache/$suite/kernel_$old"
	done
}

# depends_on PKG PATTERN: the first package PKG depends on whose name matches PATTERN.
depends_on() {
	update_lists
	apt-cache "${apt[@]}" depends "$1" 2>/dev/null |
		sed -n "s/^ *Depends: \($2\)\$/\1/p" | head -1
}

# unpack DEB: its contents under lines/<suite>/<package>_<version>/ (dpkg -x, once); prints the directory.
unpack() {
	local deb=$1 pkg version dir partial
	pkg=$(dpkg-deb -f "$deb" Package) && version=$(dpkg-deb -f "$deb" Version) || die "$deb is not a package"
	dir=$cache/$suite/${pkg}_${version//:/%3a}
	if [ ! -d "$dir" ]; then
		partial=$(mktemp -d "$dir.partial.XXXXXX") || die "cannot create a directory in $cache/$suite"
		trap 'rm -rf "$partial"' EXIT
		dpkg -x "$deb" "$partial" || die "dpkg -x $deb failed"
		mv "$partial" "$dir" || die "cannot rename $partial"
		trap - EXIT
	fi
	echo "$dir"
}

# Does linux.uml of this package need a newer C library than the host's?
needs_libc() {
	local want have
	want=$(dpkg-deb -f "$1" Depends | tr ',' '\n' | sed -n 's/^ *libc6 (>= \([^)]*\)).*/\1/p' | head -1)
	have=$(getconf GNU_LIBC_VERSION | awk '{print $2}')
	[ -n "$want" ] && dpkg --compare-versions "$have" lt "$want"
}

# on_own_libc LINUX LIBC: a copy of LINUX whose program interpreter is LIBC's
# loader and whose library path is LIBC's (patchelf; once, cached beside LIBC).
# Not "ld.so --library-path LINUX": UML sizes its memory from the program break
# the kernel sets after the executable (ld.so's own, when ld.so is the program)
# and 7.x re-executes /proc/self/exe (ld.so again, with linux.uml's arguments).
# build/uml-xstate-shim.so needs only symbols every glibc since 2.34 has, so
# harness/guests/uml-run.sh preloads it as before.
on_own_libc() {
	local linux=$1 libc=$2 ld out partial
	ld=$(find "$libc" -path '*/x86_64-linux-gnu/ld-linux-x86-64.so.2' | head -1)
	[ -n "$ld" ] && [ -f "$(dirname "$ld")/libc.so.6" ] || die "$libc holds no ld-linux-x86-64.so.2 beside a libc.so.6"
	out=$libc/uml/$(basename "$(dirname "$(dirname "$(dirname "$linux")")")")
	if [ ! -x "$out/linux.uml" ]; then
		command -v patchelf >/dev/null || "$here/../deps.sh" lines >&2 || exit 2
		mkdir -p "$libc/uml" || die "cannot create $libc/uml"
		partial=$(mktemp -d "$out.partial.XXXXXX") || die "mktemp failed"
		cp "$linux" "$partial/linux.uml" &&
			patchelf --set-interpreter "$ld" --force-rpath --set-rpath "$(dirname "$ld")" "$partial/linux.uml" &&
			mv "$partial" "$out" || { rm -rf "$partial"; die "patchelf of $linux failed"; }
	fi
	echo "$out/linux.uml"
}

uml() {
	local deb dir linux release mods libc=''
	deb=$(fetch user-mode-linux) || exit
	dir=$(unpack "$deb") || exit
	linux=$dir/usr/bin/linux.uml
	[ -x "$linux" ] || die "user-mode-linux of $suite has no usr/bin/linux.uml"
	release=$(ls "$dir/usr/lib/uml/modules" 2>/dev/null | head -1)
	mods=${release:+$dir/usr/lib/uml/modules/$release}
	# The package ships no modules.dep when its postinst would make it: make it here, once.
	if [ -n "$mods" ] && [ ! -s "$mods/modules.dep" ]; then
		local base
		base=$(mktemp -d "$cache/$suite/depmod.XXXXXX") || die "mktemp failed"
		mkdir -p "$base/lib/modules" && ln -s "$mods" "$base/lib/modules/$release" &&
			depmod -b "$base" "$release" || { rm -rf "$base"; die "depmod for $release failed"; }
		rm -rf "$base"
	fi
	if needs_libc "$deb"; then
		libc=$(unpack "$(fetch libc6)") || exit
		linux=$(on_own_libc "$linux" "$libc") || exit
	fi
	echo "linux=$linux"
	echo "modules=$mods"
	echo "libc=$libc"
	echo "version=$(dpkg-deb -f "$deb" Version)"
}

# The distribution kernel, unpacked (dpkg -x, depmod) into lines/<suite>/kernel_<pkg>_<version>/:
# what linux-image-<arch> depends on; when that package holds no vmlinuz (sid splits it
# into linux-binary-*, linux-modules-* and linux-base-*), the parts it depends on too.
qemu_kernel() {
	local pkg deb version dir partial part release kernel
	pkg=$(depends_on "linux-image-$arch" 'linux-image-[^ ]*')
	[ -n "$pkg" ] || die "$suite's linux-image-$arch depends on no linux-image package"
	deb=$(fetch "$pkg") || exit
	version=$(dpkg-deb -f "$deb" Version)
	dir=$cache/$suite/kernel_${pkg}_${version//:/%3a}
	if [ ! -d "$dir" ]; then
		local debs=("$deb")
		if ! dpkg-deb -c "$deb" | grep ' \./boot/vmlinuz-' >/dev/null; then
			for part in $(dpkg-deb -f "$deb" Depends | tr ',' '\n' |
				sed -n 's/^ *\(linux-\(binary\|modules\|base\)-[^ ]*\).*/\1/p'); do
				debs+=("$(fetch "$part")") || exit
			done
		fi
		partial=$(mktemp -d "$dir.partial.XXXXXX") || die "cannot create a directory in $cache/$suite"
		trap 'rm -rf "$partial"' EXIT
		for part in "${debs[@]}"; do
			dpkg -x "$part" "$partial" || die "dpkg -x $part failed"
		done
		# The packages ship no modules.dep: their postinst runs depmod (modules under
		# lib/modules, or usr/lib/modules where the package is usr-merged).
		local base tree
		for base in "$partial" "$partial/usr"; do
			for tree in "$base"/lib/modules/*; do
				[ -d "$tree" ] || continue
				depmod -b "$base" "${tree##*/}" || die "depmod for ${tree##*/} failed"
			done
		done
		# A usr-merged kernel keeps vmlinuz and config in usr/lib/modules/<release>/:
		# links where the QEMU launcher looks (boot/vmlinuz-<release>, boot/config-<release>).
		for tree in "$partial"/usr/lib/modules/*; do
			[ -f "$tree/vmlinuz" ] || continue
			mkdir -p "$partial/boot" &&
				ln -sf "../usr/lib/modules/${tree##*/}/vmlinuz" "$partial/boot/vmlinuz-${tree##*/}" ||
				die "cannot link $tree/vmlinuz"
			[ ! -f "$tree/config" ] || ln -sf "../usr/lib/modules/${tree##*/}/config" "$partial/boot/config-${tree##*/}"
		done
		mv "$partial" "$dir" || die "cannot rename $partial"
		trap - EXIT
	fi
	kernel=$(ls "$dir"/boot/vmlinuz-* 2>/dev/null | head -1)
	[ -n "$kernel" ] || die "$pkg of $suite (and what it depends on) holds no vmlinuz"
	release=${kernel##*/vmlinuz-}
	echo "kernel=$kernel"
	echo "modules=$(ls -d "$dir/lib/modules/$release" "$dir/usr/lib/modules/$release" 2>/dev/null | head -1)"
	echo "package=$pkg"
	echo "version=$version"
}

libsctp() {
	local dir lib
	dir=$(unpack "$(fetch libsctp1)") || exit
	lib=$(find "$dir" -name 'libsctp.so.1' | head -1)
	[ -n "$lib" ] || die "libsctp1 of $suite has no libsctp.so.1"
	echo "$lib"
}

# The shared object is made in the unpacked package's directory: a newer libsctp-dev
# (prune) removes it with the rest.
libsctp_archive() {
	local deb dir archive out
	deb=$(fetch libsctp-dev) || exit
	dir=$(unpack "$deb") || exit
	archive=$(find "$dir" -name 'libsctp.a' | head -1)
	[ -n "$archive" ] || die "libsctp-dev of $suite has no libsctp.a"
	out=$dir/pst/libsctp-archive.so
	if [ ! -s "$out" ]; then
		mkdir -p "$dir/pst" || die "cannot create $dir/pst"
		"$here/../runner/libsctp-archive.sh" "$archive" "$out.tmp" \
			"libsctp-dev $(dpkg-deb -f "$deb" Version) ($suite)" || exit
		mv "$out.tmp" "$out" || die "cannot write $out"
	fi
	echo "$out"
}

source_tarball() {
	local pkg deb dir tarball
	# The line's own kernel (a released suite's security archive may carry a newer
	# line's source too: bullseye-security has linux-source-6.1); sid's moves: the newest.
	pkg=linux-source-$kline
	if [[ $kline == *x ]]; then
		update_lists
		pkg=$(apt-cache "${apt[@]}" search --names-only '^linux-source-[0-9.]*$' 2>/dev/null |
			awk '{print $1}' | sort -V | tail -1)
		[ -n "$pkg" ] || die "$suite has no linux-source-* package"
	fi
	deb=$(fetch "$pkg") || exit
	dir=$(unpack "$deb") || exit
	tarball=$(ls "$dir"/usr/src/linux-source-*.tar.xz 2>/dev/null | head -1)
	[ -n "$tarball" ] || die "$pkg of $suite holds no usr/src/linux-source-*.tar.xz"
	echo "package=$pkg"
	echo "tarball=$tarball"
	echo "version=$(dpkg-deb -f "$deb" Version)"
}

cmd=${1:-}
[ $# -ge 1 ] && shift
case $cmd in
names) names; exit 0 ;;
suite | uml | qemu-kernel | libsctp | libsctp-archive | source) [ $# -eq 1 ] || die "usage: debian-line.sh $cmd NAME" 2 ;;
fetch) [ $# -eq 2 ] || die "usage: debian-line.sh fetch NAME PKG" 2 ;;
*) die "usage: debian-line.sh names | suite NAME | uml NAME | qemu-kernel NAME | libsctp NAME | libsctp-archive NAME | source NAME | fetch NAME PKG" 2 ;;
esac
line_of "$1"
[ "$cmd" = suite ] && { echo "$suite"; exit 0; }
apt_opts
with_lock
# The answer of a command is kept (lines/<suite>/<command>.out) while the lists it
# came from are fresh and every path it names still exists: a warm answer reads no
# package list.
memo=$cache/$suite/$cmd.out
stamp=$cache/$suite/apt/updated
if [ "$cmd" = fetch ]; then
	fetch "$2"
	exit
fi
if [ -s "$memo" ] && [ -f "$stamp" ] && [ ! "$stamp" -nt "$memo" ] && [ "$(cat "$stamp")" = "$row" ] &&
	[ $(($(date +%s) - $(stat -c %Y "$stamp"))) -lt "$max_age" ] &&
	sed -n 's/^[a-z]*=\(\/.*\)/\1/p; /^\//p' "$memo" | while read -r p; do [ -z "$p" ] || [ -e "$p" ] || exit 1; done; then
	cat "$memo"
	exit 0
fi
case $cmd in
uml) uml ;;
qemu-kernel) qemu_kernel ;;
libsctp) libsctp ;;
libsctp-archive) libsctp_archive ;;
source) source_tarball ;;
esac >"$memo.tmp" || { rm -f "$memo.tmp"; exit 3; }
mv "$memo.tmp" "$memo" && cat "$memo"
