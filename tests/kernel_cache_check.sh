#!/bin/bash
# The kernel cache does not grow without end (make kernel-check, after the
# kernel is built): kernel/build.sh keeps the entry in use and the
# PST_KERNEL_CACHE_KEEP most recently used in all, and removes what a killed
# build left. Checked in a scratch cache whose current entry links to the real
# one (so nothing is built) beside made-up stale entries.
# Exit 0 all checks passed, 1 one failed, 2 could not run.
set -u
cd "$(dirname "$0")/.." || exit 2
passes=0 fails=0
ok() { echo "ok   $*"; passes=$((passes + 1)); }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }

real=$(kernel/build.sh --print-entry) || exit 2
# The real entry is seen through a link: no mutant run may change it meanwhile.
# shellcheck source=kernel/lock.sh
. kernel/lock.sh
pst_kernel_lock "kernel-cache check" || exit 2
[ -x "$real/src/linux" ] || { echo "kernel-cache check: no built kernel in $real (run kernel/build.sh)" >&2; exit 2; }
scratch=$(mktemp -d "${TMPDIR:-/tmp}/pst-kernel-cache-check.XXXXXX") || exit 2
trap 'rm -rf "$scratch"' EXIT
trap 'exit 130' INT TERM HUP
key=$(basename "$real")
prefix=$(awk '$1 == "package" { print $2 }' "$real/KEY") # linux-source-6.1
ln -s "$real" "$scratch/$key"
# What the scratch cache holds, sorted, on one line (its lock file aside).
listing() {
	local d
	for d in "$scratch"/*; do
		[ "${d##*/}" = lock ] || echo "${d##*/}"
	done | sort | paste -sd' '
}

# Three older entries, last used 3, 2 and 1 days ago, a killed build's leftover,
# and a directory of another kind (the QEMU .deb cache) that is never touched.
day=86400
for age in 3 2 1; do
	d=$scratch/$prefix-0.$age-stale
	mkdir -p "$d/src"
	touch -d "@$(($(date +%s) - age * day))" "$d/KEY"
done
mkdir -p "$scratch/$prefix-0.9-killed.partial/src" "$scratch/deb"

out=$(PST_KERNEL_CACHE=$scratch PST_KERNEL_CACHE_KEEP=2 kernel/build.sh 2>&1)
st=$?
[ "$st" -eq 0 ] && [ "$(echo "$out" | tail -1)" = "$scratch/$key/src/linux" ] &&
	ok "a warm build with a crowded cache still gives the kernel" ||
	bad "kernel/build.sh: exit $st, last line '$(echo "$out" | tail -1)'"
left=$(listing)
want=$(printf '%s\n' "$key" "$prefix-0.1-stale" deb | sort | paste -sd' ')
[ "$left" = "$want" ] &&
	ok "PST_KERNEL_CACHE_KEEP=2: the entry in use and the last used other stay, the rest and the .partial go ($left)" ||
	bad "cache after pruning: expected '$want', got '$left'"
echo "$out" | grep -q "removing the cache entry $prefix-0.3-stale" &&
	ok "each removal is said" || bad "no 'removing the cache entry' line: $out"

PST_KERNEL_CACHE=$scratch PST_KERNEL_CACHE_KEEP=1 kernel/build.sh >/dev/null 2>&1
left=$(listing)
want=$(printf '%s\n' "$key" deb | sort | paste -sd' ')
[ "$left" = "$want" ] && ok "PST_KERNEL_CACHE_KEEP=1: only the entry in use stays" ||
	bad "cache after KEEP=1: expected '$want', got '$left'"

msg=$(PST_KERNEL_CACHE=$scratch PST_KERNEL_CACHE_KEEP=0 kernel/build.sh 2>&1)
st=$?
[ "$st" -eq 2 ] && ok "PST_KERNEL_CACHE_KEEP=0: exit 2, '$msg'" ||
	bad "PST_KERNEL_CACHE_KEEP=0: expected exit 2, got $st ('$msg')"
[ -x "$real/src/linux" ] && ok "the real entry is untouched" || bad "the real entry lost its kernel"

echo "kernel-cache check: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
