#!/bin/bash
# A scripted `git bisect run` over kernel builds (make bisect-check): a
# throwaway git repository holds net/sctp/socket.c at four commits -- pristine,
# a harmless change, a known kernel mutant (kernel/mutants/), another harmless
# change -- and git bisect run, with a step script that builds that socket.c
# into the cached UML kernel (kernel/build.sh --patch, an incremental rebuild)
# and runs ./run.sh --bisect-case on a case the mutant breaks, must name the
# mutant's commit. The kernel tree is made pristine again at the end, on
# failure and on Ctrl-C.
#   tests/bisect_check.sh [MUTANT.patch CASE]
# Exit 0 the mutant's commit was named, 1 another (or none), 2/3 could not run.
set -u
cd "$(dirname "$0")/.." || exit 2
root=$PWD
mutant=${1:-kernel/mutants/03-sock-nonblock-ignored.patch}
case_name=${2:-peeloff_flags_SOCK_NONBLOCK_sets_O_NONBLOCK_only}
[ -f "$mutant" ] || { echo "bisect check: no mutant $mutant" >&2; exit 2; }
say() { echo "bisect check: $*"; }
start=$SECONDS

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pst-bisect-check.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'say interrupted; exit 130' INT TERM HUP
# One lock for the whole bisect: no other build or mutant run may change the
# tree between a step's build and its run. build.sh is told we hold it.
# shellcheck source=kernel/lock.sh
. kernel/lock.sh
pst_kernel_lock "bisect check" || exit 2
# shellcheck disable=SC2317 # the EXIT trap
restore() {
	trap - EXIT
	trap 'say "interrupted while restoring: the next kernel/build.sh finishes it"; exit 130' INT TERM HUP
	rm -rf "$tmp"
	say "restoring the pristine kernel"
	kernel/build.sh >/dev/null || say "RESTORE FAILED: run kernel/build.sh by hand"
}
trap restore EXIT

kernel/build.sh >/dev/null || { say "the pristine kernel does not build"; exit 3; }
entry=$(kernel/build.sh --print-entry)
pristine=$entry/pristine/net/sctp/socket.c
make -s all || exit 2

# ---- the throwaway history ----
repo=$tmp/linux
mkdir -p "$repo/net/sctp"
git_() { git -C "$repo" -c user.name=bisect-check -c user.email=bisect-check@invalid "$@"; }
git_ init -q || exit 3
commit() { git_ add -A && git_ commit -q -m "$1" && git_ rev-parse HEAD; }
cp "$pristine" "$repo/net/sctp/socket.c"
good=$(commit "sctp: pristine socket.c (linux-source-6.1)")
printf '\n/* bisect check: a harmless change */\n' >>"$repo/net/sctp/socket.c"
commit "sctp: harmless comment at the end" >/dev/null
patch -s -d "$repo" -p1 <"$mutant" || { say "$mutant does not apply"; exit 3; }
culprit=$(commit "sctp: $(basename "$mutant" .patch) (the bug)")
sed -i '1i /* bisect check: another harmless change */' "$repo/net/sctp/socket.c"
bad=$(commit "sctp: harmless comment at the top")

# ---- the step script: what a kernel bisect's step does, on this tree ----
cat >"$tmp/step.sh" <<STEP
#!/bin/bash
# Build the checked-out socket.c into the UML kernel, run the one case.
cd "$repo" || exit 128
if cmp -s net/sctp/socket.c "$pristine"; then
	linux=\$("$root/kernel/build.sh" | tail -n 1) || exit 125
else
	diff -u --label a/net/sctp/socket.c --label b/net/sctp/socket.c \
		"$pristine" net/sctp/socket.c >"$tmp/step.patch"
	linux=\$("$root/kernel/build.sh" --patch "$tmp/step.patch" | tail -n 1) || exit 125
fi
[ -x "\$linux" ] || exit 125 # the build failed: this commit cannot be tested
"$root/run.sh" --bisect-case "$case_name" --kernel "\$linux" --reports "$tmp/step-reports" \
	>"$tmp/step-\$(git rev-parse --short HEAD).log" 2>&1
st=\$?
tail -n 1 "$tmp/step-\$(git rev-parse --short HEAD).log"
[ \$st -eq 2 ] && exit 128 # usage error or missing dependency: stop the bisect
exit \$st
STEP
chmod +x "$tmp/step.sh"

say "history: good $good, culprit $culprit, bad $bad; case $case_name"
git_ bisect start "$bad" "$good" >/dev/null || exit 3
git_ bisect run "$tmp/step.sh" >"$tmp/bisect.log" 2>&1
grep -E '^bisect: |is the first bad commit|^running' "$tmp/bisect.log" | sed 's/^/  /'
named=$(sed -n 's/^\([0-9a-f]\{40\}\) is the first bad commit$/\1/p' "$tmp/bisect.log")
if [ "$named" = "$culprit" ]; then
	say "ok: git bisect run named the mutant's commit $culprit ($((SECONDS - start)) s)"
	exit 0
fi
say "FAIL: expected $culprit to be named, got '${named:-none}' (log below)"
cat "$tmp/bisect.log"
exit 1
