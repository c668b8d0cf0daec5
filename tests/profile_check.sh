#!/bin/bash
# Under the solaris and rfc6458 profiles, Linux must fail exactly where the
# documents say it differs: every failing case matches an entry of
# tests/expected/<profile>-on-linux.tsv, and every entry matches a failing case.
# A case that differs from a reference behaviour (CHANGED: what illumos does
# where the Solaris page is silent) counts as differing too.
#   tests/profile_check.sh [PROFILE...]   (default: solaris rfc6458)
set -u
cd "$(dirname "$0")/.." || exit 2
fails=0 passes=0
profiles=("$@")
[ ${#profiles[@]} -gt 0 ] || profiles=(solaris rfc6458)
for profile in "${profiles[@]}"; do
	list=tests/expected/$profile-on-linux.tsv
	dir=${PST_CHECK_REPORTS:-build/check-reports}/profile-$profile # (make check leaves reports/ alone)
	mkdir -p "${dir%/*}" || exit 2
	./run.sh --profile "$profile" --reports "$dir" >"$dir.log" 2>&1
	st=$?
	mapfile -t failing < <(tr -d '\r' <"$dir.log" | sed -n -E 's/^(FAIL|ERROR|BROKEN|XPASS|CHANGED) +[0-9.]+s  ([^ ]+).*/\2/p')
	mapfile -t globs < <(grep -v -E '^(#|$)' "$list" | cut -f1)
	unexpected=() unused=()
	for c in "${failing[@]}"; do
		hit=0
		for g in "${globs[@]}"; do
			# shellcheck disable=SC2053 # the glob is meant to match
			[[ $c == $g ]] && { hit=1; break; }
		done
		[ "$hit" -eq 1 ] || unexpected+=("$c")
	done
	for g in "${globs[@]}"; do
		hit=0
		for c in "${failing[@]}"; do
			# shellcheck disable=SC2053
			[[ $c == $g ]] && { hit=1; break; }
		done
		[ "$hit" -eq 1 ] || unused+=("$g")
	done
	if [ "$st" -eq 1 ] && [ ${#unexpected[@]} -eq 0 ] && [ ${#unused[@]} -eq 0 ]; then
		echo "ok   --profile $profile: exit 1, its ${#failing[@]} failures are exactly the documented differences ($list)"
		passes=$((passes + 1))
	else
		echo "FAIL --profile $profile: exit $st (expected 1)"
		for c in "${unexpected[@]}"; do echo "     fails but is not a documented difference: $c"; done
		for g in "${unused[@]}"; do echo "     documented difference that did not fail: $g"; done
		fails=$((fails + 1))
	fi
done
echo "profile-check: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
