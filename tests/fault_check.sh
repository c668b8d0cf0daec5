#!/bin/bash
# Every fault-injected implementation (faults/*.c) must be caught: the suite
# run under it fails, and the cases its "// catches:" line names are among the
# failures. Writes reports/faults.md: each shim with the cases that caught it
# (under make check, $PST_CHECK_REPORTS/faults.md: make check leaves reports/ alone).
#   tests/fault_check.sh [--whole-suite] [NAME...]   (default: every faults/*.c)
# By default each shim runs only the cases its "// catches:" line names (run.sh
# --case GLOB,...): the verdict depends on those cases alone, and a case's
# verdict does not depend on which other cases run (each has its own topology
# and process), so it is the whole suite's verdict at a fraction of the time.
# --whole-suite (make fault-check) runs every case under each shim, and
# faults.md then lists every case that catches it, not only the named ones.
# The shims run one after another in one guest (tests/fault_guest.sh): one
# boot for all of them. FAULT_JOBS (default 1; make check: 2) guests share
# them out side by side; on the 2-vCPU development VM two guests took half the
# time of one on 2026-12-08 (131 s against 261 s for 57 shims). Only FAIL (a requirement) or CHANGED (a reference
# behaviour) catches, and the verdict says which: a case that comes out
# BROKEN (its setup failed) or ERROR (a crash or a timeout) shows no checked
# behaviour broken, so it does not count.
set -u
cd "$(dirname "$0")/.." || exit 2
base=${PST_CHECK_REPORTS:-reports}
out=$base/faults.md
jobs=${FAULT_JOBS:-1}
[[ $jobs =~ ^[1-9][0-9]*$ ]] || { echo "fault-check: FAULT_JOBS=$jobs: expected a number, 1 or more" >&2; exit 2; }
whole=0
[ "${1:-}" = --whole-suite ] && { whole=1; shift; }
srcs=()
for n in "$@"; do srcs+=("faults/$n.c"); done
[ ${#srcs[@]} -gt 0 ] || srcs=(faults/*.c)
names=()
for src in "${srcs[@]}"; do names+=("$(basename "$src" .c)"); done

# catches NAME: the case globs the shim's "// catches:" lines name (a shim may
# have several), on one line.
catches() { sed -n 's|^// catches: ||p' "faults/$1.c" | tr '\n' ' ' | sed 's/ *$//'; }

# One shim, after its run (DIR/run.log, DIR/status): its verdict line in
# DIR/verdict, its section of faults.md in DIR/section.md.
judge_one() {
	local name=$1 src=faults/$1.c dir=$base/faults/$1 st what verdict glob hit c
	local -a want caught missing kinds live ran live_caught live_only
	local release note other
	what=$(sed -n 's/^ \* Fault: //p' "$src" | head -1)
	read -r -a want <<<"$(catches "$name")"
	st=$(cat "$dir/status" 2>/dev/null) || st="none (its guest ended before it ran: $dir/../console.*.log)"
	touch "$dir/run.log"
	mapfile -t caught < <(tr -d '\r' <"$dir/run.log" | sed -n -E 's/^(FAIL|CHANGED) +[0-9.]+s  ([^ ]+).*/\2/p')
	mapfile -t kinds < <(tr -d '\r' <"$dir/run.log" | sed -n -E 's/^(FAIL|CHANGED) +[0-9.]+s  .*/\1/p' | sort | uniq -c |
		awk '{ print $2 " " $1 }')
	# A case that fails on this kernel without any shim (a live kernel bug of
	# tests/stock-kernel-failures.tsv) catches nothing: it is left out,
	# and a glob that only such cases match is said, not counted missing (as
	# kernel/mutants.sh subtracts its baseline).
	release=$(awk -F'\t' '$1 == "kernel_release" { print $2 }' "$dir/environment.tsv" 2>/dev/null)
	mapfile -t live < <([ -z "$release" ] || tests/expected_failures.sh cases "$release")
	mapfile -t ran < <(awk -F'\t' 'NR > 1 { print $1 "/" $2 }' "$dir/results.tsv" 2>/dev/null)
	live_caught=()
	if [ ${#live[@]} -gt 0 ]; then
		mapfile -t live_caught < <(printf '%s\n' "${caught[@]}" | grep -xF -f <(printf '%s\n' "${live[@]}"))
		mapfile -t caught < <(printf '%s\n' "${caught[@]}" | sed '/^$/d' | grep -vxF -f <(printf '%s\n' "${live[@]}"))
		mapfile -t kinds < <(tr -d '\r' <"$dir/run.log" | sed -n -E 's/^(FAIL|CHANGED) +[0-9.]+s  ([^ ]+).*/\1 \2/p' |
			grep -vF -f <(printf ' %s\n' "${live[@]}") | cut -d' ' -f1 | sort | uniq -c | awk '{ print $2 " " $1 }')
	fi
	missing=() live_only=()
	for glob in "${want[@]}"; do
		hit=0 other=0
		for c in "${caught[@]}"; do
			# shellcheck disable=SC2053 # the glob is meant to match
			[[ $c == $glob ]] && { hit=1; break; }
		done
		if [ "$hit" -eq 0 ]; then
			for c in "${ran[@]}"; do
				# shellcheck disable=SC2053
				[[ $c == $glob ]] && ! printf '%s\n' "${live[@]}" | grep -qxF "$c" && { other=1; break; }
			done
			if [ "$other" -eq 0 ] && [ ${#live[@]} -gt 0 ]; then live_only+=("$glob"); else missing+=("$glob"); fi
		fi
	done
	note=
	[ ${#live_only[@]} -eq 0 ] || note="; on $release only live-bug cases match ${live_only[*]}: not provable here"
	[ ${#live_caught[@]} -eq 0 ] || note="$note; ${#live_caught[@]} live-bug failures not counted"
	# run.sh: 1 a requirement failed, 4 every requirement held but a reference behaviour changed
	if [[ $st == [14] ]] && [ "${#missing[@]}" -eq 0 ] && [ "${#caught[@]}" -gt 0 ]; then
		echo "ok   $name: caught by ${#caught[@]} cases ($(IFS=,; echo "${kinds[*]}"))$note" >"$dir/verdict"
		verdict="caught"
	else
		echo "FAIL $name: exit $st, ${#caught[@]} failing cases, expected catchers not failing: ${missing[*]:-none}$note" >"$dir/verdict"
		verdict="NOT CAUGHT (exit $st; expected ${missing[*]:-?})"
	fi
	{
		echo "## $name: $verdict"
		echo
		echo "$what"
		echo
		if [ "$whole" -eq 1 ]; then
			echo "Must be caught by: \`${want[*]}\`. Caught by ${#caught[@]} cases of the whole suite:"
		else
			echo "Must be caught by: \`${want[*]}\` (only these ran). Caught by ${#caught[@]} of them:"
		fi
		echo
		printf -- '- %s\n' "${caught[@]}"
		echo
		if [ ${#live_caught[@]} -gt 0 ] || [ ${#live_only[@]} -gt 0 ]; then
			echo "Failing on kernel $release without the shim too (live kernel bugs, tests/stock-kernel-failures.tsv), not counted:"
			echo
			printf -- '- %s\n' "${live_caught[@]}"
			# shellcheck disable=SC2016 # the backquotes are Markdown
			[ ${#live_only[@]} -eq 0 ] || printf -- '- (globs only these match: `%s`)\n' "${live_only[*]}"
			echo
		fi
	} >"$dir/section.md"
}

harness/deps.sh uml || exit 2
make -s all || exit 2
# Built first, one make at a time; a shim that does not build is a failure.
for name in "${names[@]}"; do
	rm -rf "$base/faults/$name"
	mkdir -p "$base/faults/$name"
	make -s --no-print-directory "build/faults/$name.so" ||
		echo "FAIL $name: does not build" >"$base/faults/$name/verdict"
done
# The shims that built, dealt out over the guests, each with the cases to run
# (DIR/cases: run.sh's --case list; empty: the whole suite).
groups=()
k=0
per_shim=120
[ "$whole" -eq 1 ] && per_shim=600
for name in "${names[@]}"; do
	[ -f "$base/faults/$name/verdict" ] && continue
	if [ "$whole" -eq 1 ]; then : >"$base/faults/$name/cases"; else catches "$name" | tr ' ' , >"$base/faults/$name/cases"; fi
	groups[k % jobs]+=" $name"
	k=$((k + 1))
done
# Each guest in its own process group (job control): a background job of a
# script would have SIGINT ignored, and the runs must clean up on Ctrl-C, so
# the script passes TERM on to every group it started (INT may be ignored
# there: a job started without job control inherits SIGINT ignored).
set -m
pgids=()
stop_checks() {
	local g
	for g in "${pgids[@]}"; do kill -TERM -- "-$g" 2>/dev/null; done
	wait
	exit 130
}
trap stop_checks INT TERM HUP
for g in "${!groups[@]}"; do
	read -r -a group <<<"${groups[g]}"
	console=$base/faults/console.$g.log
	: >"$console"
	harness/guests/uml-run.sh --deadline $((per_shim * ${#group[@]})) --console "$console" -- \
		tests/fault_guest.sh "$base/faults" "${group[@]}" >/dev/null 2>>"$console" &
	pgids+=($!)
done
wait
set +m
for name in "${names[@]}"; do
	[ -f "$base/faults/$name/verdict" ] || judge_one "$name"
done

fails=0 passes=0
{
	echo "# Fault-injected implementations and the cases that catch them"
	echo
	echo "Each shim is LD_PRELOADed into the test processes (inside the UML guest) and breaks one"
	echo "documented behaviour. Generated by tests/fault_check.sh$([ "$whole" -eq 1 ] && echo " --whole-suite"):"
	if [ "$whole" -eq 1 ]; then
		echo "the whole suite ran under each shim."
	else
		echo "under each shim only the cases its \`catches:\` line names ran (make fault-check: the whole suite)."
	fi
	echo
} >"$out.tmp"
for name in "${names[@]}"; do
	dir=$base/faults/$name
	line=$(cat "$dir/verdict" 2>/dev/null || echo "FAIL $name: no verdict (the check was killed?)")
	echo "$line"
	case $line in
	ok*) passes=$((passes + 1)) ;;
	*) fails=$((fails + 1)) ;;
	esac
	[ -f "$dir/section.md" ] && cat "$dir/section.md" >>"$out.tmp"
done
mv "$out.tmp" "$out"
echo "fault-check: $passes passed, $fails failed ($out)"
[ "$fails" -eq 0 ]
