#!/bin/bash
# Build, once, a User-Mode Linux kernel from Debian's linux-source-6.1 with SCTP
# built in and gcov on net/sctp, cached outside the repo, and print the path of
# its `linux` binary on the last line (everything else goes to stderr).
#   kernel/build.sh                 the pristine kernel; after a mutant, restore
#                                   net/sctp and rebuild it pristine first
#   kernel/build.sh --patch FILE    the same tree with FILE (a patch to existing
#                                   files of net/sctp, -p1) applied and rebuilt
#                                   incrementally: the entry stays mutated (a
#                                   MUTANT marker says so) until kernel/build.sh
#                                   runs again without --patch
#   kernel/build.sh --print-entry   the cache entry directory; builds nothing
#   --line NAME (or PST_KERNEL_LINE=NAME): from another Debian line's source
#                                   (harness/guests/lines.tsv: bullseye/5.10,
#                                   trixie/6.12, sid), its linux-source-* package
#                                   fetched by harness/guests/debian-line.sh; the
#                                   default, bookworm/6.1, is the installed
#                                   linux-source-6.1
#   --sanitize (or PST_KERNEL_SANITIZE=1): the sanitizer kernel instead of the
#                                   gcov one (kernel/sanitize.config: KASAN,
#                                   lockdep, kmemleak, ...; kernel/sanitize-patches/),
#                                   a cache entry and a lock of its own
# The cache: ${PST_KERNEL_CACHE:-$HOME/.cache/pst-kernel}/<key>/, key = the
# linux-source-* package and version + a sha256 over kernel/coverage.config,
# kernel/patches/*.patch and the line's own kernel/patches/<suite>/*.patch
# (--sanitize: "sanitize-" + the package and version + a sha256 over
# kernel/sanitize.config and kernel/sanitize-patches/[<suite>/]*.patch). A cold
# build unpacks and builds in <key>.partial and
# renames it when done, so an interrupted build never looks complete.
# One lock ($cache/lock) serialises builds, mutants and coverage runs; callers
# that hold it already say so with PST_KERNEL_LOCK_HELD=1 (the sanitizer
# entries: $cache/sanitize.lock, PST_KERNEL_SANITIZE_LOCK_HELD=1). Each use marks its
# entry; other entries beyond the ${PST_KERNEL_CACHE_KEEP:-2} most recently used
# (1.6 GB each) and what a killed build left (<key>.partial) are removed.
# Exit status: 0 done, 2 usage error or missing package (not root), 3 build failed,
# 4 the --patch does not apply to this line's source (nothing was changed).
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${PST_KERNEL_CACHE:-$HOME/.cache/pst-kernel}
fragment=$here/coverage.config
patches=("$here"/patches/*.patch) # glob order: the order they are applied in
src_pkg=linux-source-6.1
tarball=/usr/src/linux-source-6.1.tar.xz
packages=("$src_pkg" flex bison bc make gcc libc6-dev xz-utils lcov)
jobs=$(nproc)
key_hash_len=16 # hex digits of the config+patches hash kept in the directory name
keep=${PST_KERNEL_CACHE_KEEP:-2} # entries kept, the one in use included

die() { echo "kernel/build.sh: $1" >&2; exit "${2:-3}"; }
say() { echo "kernel/build.sh: $*" >&2; }
usage() { sed -n '2,23s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2; exit "${1:-2}"; }

mutant='' print_entry=0 line=${PST_KERNEL_LINE:-} sanitize=${PST_KERNEL_SANITIZE:-0}
not_applicable=4 # the --patch does not apply to this source
while [ $# -gt 0 ]; do
	case $1 in
	--line) [ $# -ge 2 ] || usage; line=$2; shift 2 ;;
	--line=*) line=${1#*=}; shift ;;
	--patch) [ $# -ge 2 ] || usage; mutant=$2; shift 2 ;;
	--patch=*) mutant=${1#*=}; shift ;;
	--print-entry) print_entry=1; shift ;;
	--sanitize) sanitize=1; shift ;;
	-h | --help) usage 0 ;;
	*) say "unknown option '$1'"; usage ;;
	esac
done
[[ $keep =~ ^[1-9][0-9]*$ ]] || die "PST_KERNEL_CACHE_KEEP=$keep: expected a number of entries, 1 or more" 2
case $sanitize in
0 | '') sanitize=0 flavour='' patch_dir=$here/patches ;;
1)
	fragment=$here/sanitize.config flavour=sanitize- patch_dir=$here/sanitize-patches
	patches=("$patch_dir"/*.patch)
	;;
*) die "PST_KERNEL_SANITIZE=$sanitize: expected 1 or 0" 2 ;;
esac
if [ -n "$mutant" ]; then
	[ -f "$mutant" ] || die "--patch $mutant: no such file" 2
	mutant=$(cd "$(dirname "$mutant")" && pwd)/$(basename "$mutant")
fi

# ---- another line's source: fetched, never installed ----
if [ -n "$line" ] && [ "$("$here/../harness/guests/debian-line.sh" suite "$line")" != bookworm ]; then
	answer=$("$here/../harness/guests/debian-line.sh" source "$line") || exit $?
	src_pkg=$(sed -n 's/^package=//p' <<<"$answer")
	tarball=$(sed -n 's/^tarball=//p' <<<"$answer")
	src_version=$(sed -n 's/^version=//p' <<<"$answer")
	packages=("${packages[@]:1}") # not the installed linux-source-6.1
else
	[ -z "$line" ] || "$here/../harness/guests/debian-line.sh" suite "$line" >/dev/null || exit 2
	src_version=
fi
# A line's own patches too (kernel/patches/<suite>/: what its older source lacks).
line_suite=bookworm
[ -z "$line" ] || line_suite=$("$here/../harness/guests/debian-line.sh" suite "$line")
for p in "$patch_dir/$line_suite"/*.patch; do
	[ -f "$p" ] && patches+=("$p")
done

# ---- packages (installed when root, else the exact line to run) ----
missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" -ne 0 ]; then
		say "missing packages; as root run:"
		echo "apt-get install -y ${missing[*]}" >&2
		exit 2
	fi
	say "installing ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >&2 ||
		{ apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >&2; } ||
		die "apt-get install ${missing[*]} failed" 2
fi
[ -f "$tarball" ] || die "$tarball is missing (reinstall $src_pkg)" 2

# ---- the cache key ----
version=${src_version:-$(dpkg-query -W -f='${Version}' "$src_pkg")}
inputs_hash=$(sha256sum "$fragment" "${patches[@]}" | awk '{print $1}' | sha256sum | cut -c1-"$key_hash_len")
prefix=$flavour$src_pkg # what prune_cache counts entries of
key=$prefix-$version-$inputs_hash
entry=$cache/$key
tree=$entry/src
if [ "$print_entry" = 1 ]; then
	echo "$entry"
	exit 0
fi

mkdir -p "$cache" || die "cannot create $cache" 2
# shellcheck source=kernel/lock.sh
. "$here/lock.sh"
if [ "$sanitize" = 1 ]; then
	pst_kernel_lock kernel/build.sh sanitize || exit 2
else
	pst_kernel_lock kernel/build.sh || exit 2
fi
# An interrupted cold build leaves nothing (1.5 GB); a failed one keeps its log
# until the next build.
building=''
trap 'say "interrupted"; [ -n "$building" ] && rm -rf "$building"; exit 130' INT TERM HUP

# Incremental build of the tree in $1; its output goes to $1/../build.log.
make_linux() {
	make -C "$1" ARCH=um -j"$jobs" linux >>"$1/../build.log" 2>&1
}

# ---- cold build: in <key>.partial, renamed to <key> only when complete ----
cold_build() {
	local partial=$cache/$key.partial start=$SECONDS
	say "cold build of $key in $partial (several minutes; log: $partial/build.log)"
	rm -rf "$partial" # what a failed build left
	building=$partial
	mkdir -p "$partial/src" || die "cannot create $partial"
	printf '%s\n' "package $src_pkg $version" >"$partial/KEY"
	sha256sum "$fragment" "${patches[@]}" >>"$partial/KEY"
	local log=$partial/build.log
	tar -xJf "$tarball" --strip-components=1 -C "$partial/src" || die "unpacking $tarball failed"
	local p
	for p in "${patches[@]}"; do
		patch -d "$partial/src" -p1 --batch --forward <"$p" >>"$log" 2>&1 ||
			die "patch $(basename "$p") does not apply to $src_pkg $version (see $log)"
	done
	{
		make -C "$partial/src" ARCH=um defconfig &&
			(cd "$partial/src" && scripts/kconfig/merge_config.sh -m .config "$fragment") &&
			make -C "$partial/src" ARCH=um olddefconfig
	} >>"$log" 2>&1 || die "configuring failed (see $log)"
	# A fragment line Kconfig did not take (a dependency missing) must stop the build;
	# a symbol this line's source does not have at all (DEBUG_INFO_NONE before 5.18)
	# is said and passed over.
	local line sym
	while IFS= read -r line; do
		case $line in
		CONFIG_*=* | "# CONFIG_"*" is not set")
			grep -qxF -- "$line" "$partial/src/.config" && continue
			sym=${line#\# }
			# "not set" holds too when the option is not offered at all (5.10's UML
			# has no GCOV_PROFILE_ALL): only a value would contradict it.
			case $line in "# "*) grep -q "^${sym%% *}=" "$partial/src/.config" || continue ;; esac
			sym=${sym#CONFIG_}
			sym=${sym%%[= ]*}
			if ! grep -rqsx --include='Kconfig*' "config $sym" "$partial/src"; then
				say "$src_pkg has no CONFIG_$sym: '$line' passed over"
				continue
			fi
			die "Kconfig did not take '$line' (see $log)"
			;;
		esac
	done <"$fragment"
	make_linux "$partial/src" || die "the kernel build failed (see $log)"
	# The pristine copy of net/sctp's sources, for restoring after a mutant.
	(
		cd "$partial/src" &&
			find net/sctp -maxdepth 1 -type f \( -name '*.[ch]' -o -name Makefile -o -name Kconfig \) |
			sort >../pristine.list &&
			xargs -a ../pristine.list sha256sum >../pristine.sha256 &&
			mkdir -p ../pristine/net/sctp &&
			xargs -a ../pristine.list cp -t ../pristine/net/sctp/
	) || die "saving the pristine net/sctp failed"
	mv "$partial" "$entry" || die "renaming $partial to $entry failed"
	building=''
	say "cold build done in $((SECONDS - start)) s"
}

# Make the entry's net/sctp sources pristine again (after a mutant, or if
# anything else changed them). With "rebuild", also rebuild the binary and only
# then drop the MUTANT marker; without it (a new mutant follows at once, and its
# own build covers the restored files) the marker stays.
restore_pristine() {
	(cd "$entry/pristine" && sha256sum --quiet -c ../pristine.sha256 >/dev/null) ||
		die "the pristine copy in $entry/pristine is damaged: remove $entry and build again"
	if [ ! -f "$entry/MUTANT" ] && (cd "$tree" && sha256sum --quiet -c ../pristine.sha256 >/dev/null 2>&1); then
		return 0
	fi
	say "restoring pristine net/sctp in $key${mutant_was:+ (after $mutant_was)}"
	[ -f "$entry/MUTANT" ] || echo "(changed by hand)" >"$entry/MUTANT"
	local f
	while IFS= read -r f; do
		# A plain cp: the restored file is newer than the mutant's object, so make rebuilds it.
		cmp -s "$entry/pristine/$f" "$tree/$f" || cp "$entry/pristine/$f" "$tree/$f" || die "restoring $f failed"
	done <"$entry/pristine.list"
	[ "$1" = rebuild ] || return 0
	make_linux "$tree" || die "rebuilding the pristine kernel failed (see $entry/build.log)"
	rm -f "$entry/MUTANT"
}

# Under the lock, so no other build is running: every <key>.partial is
# garbage, and entries other than this one go, oldest use first, down to $keep.
prune_cache() {
	local d n=1
	touch "$entry/KEY"
	for d in "$cache/$prefix"-*.partial; do
		[ -d "$d" ] || continue
		say "removing $(basename "$d") (what an interrupted build left)"
		rm -rf "$d"
	done
	# Last use first (KEY is touched at each use; an entry without one is oldest).
	while IFS= read -r d; do
		[ "$d" = "$entry" ] && continue
		n=$((n + 1))
		[ "$n" -gt "$keep" ] || continue
		say "removing the cache entry $(basename "$d") (unused longest; PST_KERNEL_CACHE_KEEP=$keep)"
		rm -rf "$d"
	done < <(for d in "$cache/$prefix"-*; do
		[ -d "$d" ] || continue
		[[ $d == *.partial ]] && continue
		echo "$(stat -c %Y "$d/KEY" 2>/dev/null || echo 0) $d"
	done | sort -rn | cut -d' ' -f2-)
}

[ -d "$entry" ] || cold_build
[ -x "$tree/linux" ] || die "$entry has no linux binary: remove $entry and build again"
prune_cache
mutant_was=$(cat "$entry/MUTANT" 2>/dev/null)
if [ -z "$mutant" ]; then
	restore_pristine rebuild
	echo "$tree/linux"
	exit 0
fi

# Only existing files of net/sctp: restore_pristine must be able to undo it.
targets=$(sed -n 's/^+++ [^/]*\/\([^[:space:]]*\).*/\1/p' "$mutant")
[ -n "$targets" ] || die "$mutant has no '+++ b/...' lines" 2
for f in $targets; do
	grep -qxF "$f" "$entry/pristine.list" || die "$mutant changes $f: only files of net/sctp may be patched" 2
done
restore_pristine sources-only
patch_args=(-d "$tree" -p1 --batch --forward --no-backup-if-mismatch --reject-file=-)
if ! patch "${patch_args[@]}" --dry-run <"$mutant" >"$entry/patch.log" 2>&1; then
	cat "$entry/patch.log" >>"$entry/build.log"
	say "$(basename "$mutant") does not apply to $key: $(grep -m1 -i 'failed\|can.t find\|reversed' "$entry/patch.log")"
	exit $not_applicable
fi
basename "$mutant" >"$entry/MUTANT" # before the tree changes
patch "${patch_args[@]}" <"$mutant" >>"$entry/build.log" 2>&1 ||
	die "$(basename "$mutant") did not apply (see $entry/build.log; kernel/build.sh restores the tree)"
start=$SECONDS
make_linux "$tree" || die "$(basename "$mutant") does not build (see $entry/build.log; kernel/build.sh restores the tree)"
say "$(basename "$mutant") built in $((SECONDS - start)) s"
echo "$tree/linux"
