#!/bin/bash
# make flake-check: is any verdict a matter of timing? The whole suite, every
# case FLAKE_REPS (20) times in an order shuffled from FLAKE_SEED, while
# FLAKE_LOAD (2) other whole-suite runs load the same machine over and over
# (three runs on two cores). No verdict may change between repetitions.
# Writes reports/flakes.md: the load, the seed, the figure, and the runner's
# table of any case whose verdict changed. Extra arguments go to every run.sh
# (e.g. --suite NAME for a shorter check).
# Exit 0 no verdict changed, 1 one did, 2 usage, 3 the suite could not run, 130 interrupted.
set -u
cd "$(dirname "$0")/.." || exit 2
reps=${FLAKE_REPS:-20}
load=${FLAKE_LOAD:-2}
seed=${FLAKE_SEED:-$(date +%s)}
for v in reps load seed; do
	[[ ${!v} =~ ^[0-9]+$ ]] || { echo "flake-check: FLAKE_${v^^}=${!v}: expected a whole number" >&2; exit 2; }
done
out=reports/flake-check
tmp=$(mktemp -d /tmp/pst-flake.XXXXXX) || exit 3

# Each load and the measured run in its own process group (job control): a
# script's background job has SIGINT ignored, so Ctrl-C is passed on by hand,
# as TERM (INT stays ignored in a job started without job control).
set -m
pgids=()
stop_all() {
	local g
	touch "$tmp/stop"
	for g in "${pgids[@]}"; do kill -TERM -- "-$g" 2>/dev/null; done
	wait
	rm -rf "$tmp"
	exit "${1:-130}"
}
trap stop_all INT TERM HUP

# A load: whole-suite runs back to back until told to stop; each finished one is counted.
loader() {
	local i=$1
	while [ ! -e "$tmp/stop" ]; do
		./run.sh "${@:2}" --reports "$tmp/load$i" >"$tmp/load$i.log" 2>&1
		[ -e "$tmp/stop" ] || echo >>"$tmp/load$i.count"
	done
}
for ((i = 1; i <= load; i++)); do
	loader "$i" "$@" &
	pgids+=("$!")
done

started=$(date +%s)
./run.sh "$@" --repeat "$reps" --shuffle "$seed" --reports "$out" >"$tmp/run.log" 2>&1 &
pgids+=("$!")
wait "$!"
st=$?
took=$(($(date +%s) - started))
touch "$tmp/stop"
for g in "${pgids[@]}"; do kill -TERM -- "-$g" 2>/dev/null; done
wait
trap - INT TERM HUP

line=$(tr -d '\r' <"$tmp/run.log" | grep -m1 '^flakes: ')
what="the whole suite"
[ $# -eq 0 ] || what="the suite ($*)"
loads=0
for ((i = 1; i <= load; i++)); do
	[ -f "$tmp/load$i.count" ] && loads=$((loads + $(wc -l <"$tmp/load$i.count")))
done
cp "$tmp/run.log" "$out/flake-check.log" 2>/dev/null
{
	echo "# Flake check"
	echo
	echo "$(date -u +%Y-%m-%dT%H:%M:%SZ), suite $(git describe --always --dirty 2>/dev/null || echo unknown)," \
		"$(nproc) cores: $what $reps times, shuffled with seed $seed, while $load other" \
		"runs of the same loaded the machine ($loads of them finished meanwhile); $took s; run.sh exit $st."
	echo
	echo "**${line:-no result line: the run did not finish (see $out/flake-check.log)}**"
	echo
	[ -f "$out/flakes.md" ] && cat "$out/flakes.md"
} >reports/flakes.md
rm -rf "$tmp"
echo "flake-check: ${line:-the run did not finish (exit $st)}; load: $loads other runs finished; reports/flakes.md"
[ "$st" -eq 130 ] && exit 130
[ -n "$line" ] || exit 3
[[ $line == "flakes: 0 "* ]] || exit 1
# (no verdict changed: the failing rows must be the live kernel bugs of
# tests/stock-kernel-failures.tsv, exactly, and the status theirs)
if [ "$st" -ne 0 ]; then
	if lines=$(tests/expected_failures.sh check "$out" "$st"); then
		echo "flake-check: run.sh exit $st: ${lines%%$'\n'*}"
		exit 0
	fi
	echo "flake-check: no verdict changed, but the suite itself did not pass (run.sh exit $st):"
	grep '^FAIL' <<<"$lines"
fi
exit "$st"
