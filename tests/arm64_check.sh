#!/bin/bash
# The suite on a second architecture (make arm64-check; not part of make check):
# the quick part (--suite peeled_socket by default) on Debian's arm64 kernel of the
# machine's release under qemu-system-aarch64 (./run.sh --target qemu --arch arm64),
# then on the same release's x86-64 kernel under QEMU (--kernel-line), and:
#   - the arm64 guest ran: its environment.tsv says machine aarch64, and the
#     runner and libsctp that ran were the arm64 ones;
#   - neither run failed (exit 0);
#   - every case has the same verdict on both.
#   tests/arm64_check.sh [run.sh options: --reports DIR, --suite NAME, --whole-suite ...]
# Exit 0 all held, 1 one did not, 2/3 as run.sh (cannot run at all).
set -u
cd "$(dirname "$0")/.." || exit 2
reports=${PST_CHECK_REPORTS:-reports}/arm64-check
args=()
while [ $# -gt 0 ]; do
	case $1 in
	--reports) reports=${2:?}; shift ;;
	--reports=*) reports=${1#*=} ;;
	*) args+=("$1") ;;
	esac
	shift
done
release=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
fails=0 passes=0
ok() { echo "ok   $1"; passes=$((passes + 1)); }
bad() { echo "FAIL $1"; fails=$((fails + 1)); }
mkdir -p "$reports" || exit 2

# run LABEL ARG...: ./run.sh ARG... into $reports/LABEL; its exit status, its time said.
run() {
	local label=$1 st start=$SECONDS
	shift
	./run.sh "$@" "${args[@]}" --quiet --reports "$reports/$label" >"$reports/$label.log" 2>&1
	st=$?
	echo "arm64-check: ./run.sh $* ${args[*]}: exit $st in $((SECONDS - start)) s (log: $reports/$label.log)"
	[ "$st" -le 4 ] || tail -n 5 "$reports/$label.log"
	return "$st"
}
field() { awk -F'\t' -v k="$2" '$1 == k { print $2 }' "$reports/$1/environment.tsv" 2>/dev/null; }
verdicts() { awk -F'\t' 'NR > 1 { print $1 "/" $2 "\t" $3 }' "$reports/$1/results.tsv" | sort; }

run arm64 --target qemu --arch arm64
st=$?
[ "$st" -le 4 ] || exit "$st"
[ "$st" -eq 0 ] && ok "arm64: exit 0" || bad "arm64: exit $st"
machine=$(field arm64 machine) lib=$(field arm64 libsctp_path)
[ "$machine" = aarch64 ] && ok "arm64: the guest is $machine ($(field arm64 kernel_release))" ||
	bad "arm64: expected machine aarch64 in environment.tsv, got '$machine'"
case $lib in
*/aarch64-linux-gnu/*) ok "arm64: libsctp under test $lib" ;;
*) bad "arm64: expected the arm64 libsctp (aarch64-linux-gnu), got '$lib'" ;;
esac

run x86_64 --target qemu --kernel-line "$release"
st=$?
[ "$st" -le 4 ] || exit "$st"
[ "$st" -eq 0 ] && ok "x86_64: exit 0" || bad "x86_64: exit $st"

n=$(verdicts arm64 | wc -l)
if [ "$n" -gt 0 ] && diff <(verdicts arm64) <(verdicts x86_64) >"$reports/verdicts.diff"; then
	ok "the same verdict for each of the $n cases on arm64 and x86-64"
else
	bad "the verdicts differ between arm64 and x86-64 (of $n cases: $reports/verdicts.diff)"
	head -n 10 "$reports/verdicts.diff"
fi
echo "arm64-check: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
