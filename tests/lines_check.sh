#!/bin/bash
# Every Debian kernel line's prebuilt User-Mode Linux still runs the suite
# (make lines-check, part of make kernel-check): a quick part (--suite
# peeled_socket by default) on each line through ./run.sh --kernels lines, then:
#   - every line ran (its package fetched, its UML booted: bullseye's on the host's
#     C library, trixie's and sid's on their own);
#   - a row that fails on some line names a known bug (suites/known-bugs.tsv) in
#     reports' compare.md: anything else that breaks a line is caught here;
#   - bookworm, trixie and sid fail nothing but the live bugs every line's kernel
#     has (tests/stock-kernel-failures.tsv, of the cases run: none of the
#     quick part); bullseye's 5.10.46 (a 2021 build) fails exactly those and the
#     getpeername rows of the bug it carries, fixed by 8467dda0c265.
#   tests/lines_check.sh [run.sh options: --reports DIR, --suite NAME, --jobs N ...]
# Exit 0 all held, 1 one did not, 2/3 as run.sh (cannot run at all).
set -u
cd "$(dirname "$0")/.." || exit 2
reports=reports/lines-check
args=()
while [ $# -gt 0 ]; do
	case $1 in
	--reports) reports=${2:?}; shift ;;
	--reports=*) reports=${1#*=} ;;
	*) args+=("$1") ;;
	esac
	shift
done
case " ${args[*]} " in *" --suite"* | *" --case"*) ;; *) args+=(--suite peeled_socket) ;; esac
fix=linux-git:8467dda0c265 # sctp: Initialize daddr on peeled off socket
buggy_release=5.10.46      # bullseye's user-mode-linux 5.10um3+b1, built before the fix
fails=0
ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; fails=$((fails + 1)); }

start=$SECONDS
./run.sh --kernels lines "${args[@]}" --reports "$reports" >"$reports.log" 2>&1
st=$?
echo "lines-check: ./run.sh --kernels lines ${args[*]}: exit $st in $((SECONDS - start)) s (log: $reports.log)"
[ "$st" -le 1 ] || { tail -n 5 "$reports.log"; exit "$st"; }

# The rows that fail the run (FAIL, XPASS, BROKEN, ERROR) in one line's results.tsv.
failing() { awk -F'\t' 'NR > 1 && $3 ~ /^(FAIL|XPASS|BROKEN|ERROR)$/ { print $1 "/" $2 }' "$1/results.tsv"; }

for dir in "$reports"/kernels/*-uml; do
	label=${dir##*/}
	release=$(awk -F'\t' '$1 == "kernel_release" { print $2 }' "$dir/environment.tsv" 2>/dev/null)
	if [ ! -f "$dir/results.tsv" ]; then
		bad "$label: did not run (see $dir/run.log)"
		continue
	fi
	ok "$label: ran on $release"
	mapfile -t failed < <(failing "$dir")
	for row in "${failed[@]}"; do
		if grep -F "\`$row\`" "$reports/compare.md" | grep -q "known bug, fixed by"; then
			ok "$label: $row fails: compare.md names its known bug"
		else
			bad "$label: $row fails and no known bug explains it"
		fi
	done
	case $label in
	*-bullseye-uml)
		if [ "$release" != "$buggy_release" ]; then
			echo "note $label: bullseye's UML is $release now, not $buggy_release: its getpeername rows are not checked"
			continue
		fi
		# (and, of the cases run, the live bugs every line's kernel has)
		want=$({
			awk -F'\t' -v fix="$fix" 'NR > 1 && $5 ~ fix && $3 != "SKIP" { print $1 "/" $2 }' "$dir/results.tsv"
			tests/expected_failures.sh cases "$release" |
				grep -xF -f <(awk -F'\t' 'NR > 1 { print $1 "/" $2 }' "$dir/results.tsv")
		} | sort -u)
		got=$(printf '%s\n' "${failed[@]}" | sed '/^$/d' | sort)
		if [ -n "$want" ] && [ "$got" = "$want" ]; then
			ok "$label: fails exactly the rows of the bug $fix fixes ($(wc -l <<<"$got"))"
		else
			bad "$label: expected to fail exactly [$(echo $want)], failed [$(echo $got)]"
		fi
		;;
	*)
		# no failure but the live bugs of tests/stock-kernel-failures.tsv, exactly
		if lines=$(tests/expected_failures.sh check "$dir"); then
			ok "$label: $(sed -n '1s/^ok   [^:]*: //p' <<<"$lines")"
		else
			bad "$label: $(grep '^FAIL' <<<"$lines" | sed 's/^FAIL //' | paste -sd';')"
		fi
		;;
	esac
done
[ "$(ls -d "$reports"/kernels/*-uml 2>/dev/null | wc -l)" -eq "$(harness/guests/debian-line.sh names | wc -l)" ] ||
	bad "not every line has a reports directory under $reports/kernels"
echo "lines-check: $((SECONDS - start)) s; $([ "$fails" -eq 0 ] && echo "all held" || echo "$fails failed")"
[ "$fails" -eq 0 ]
