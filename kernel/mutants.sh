#!/bin/bash
# Kernel mutants: every kernel/mutants/*.patch re-introduces a bug in
# net/sctp/socket.c; each is built into the cached kernel tree of
# kernel/build.sh (an incremental rebuild), the suite runs on it in UML, and
# the mutant must be caught: the run fails, and every case glob on the patch's
# `catches:` line matches a case that fails with the mutant but not on the
# pristine kernel (a baseline run first). While one mutant's suite runs (on
# a copy of its binary), the next mutant builds.
#   kernel/mutants.sh [--line NAME] [--reports DIR] [--no-baseline] [--whole-suite] [--on-stock]
#                     [MUTANT.patch...] [-- run.sh args]
# By default each run (and the baseline) runs only the cases the `catches:`
# lines name (run.sh --case GLOB,...): the verdict depends on those alone, and
# a case's verdict does not depend on which other cases run. --whole-suite (make
# kernel-mutants) runs every case, and the report also counts the other cases
# each mutant breaks.
# --line NAME (or PST_KERNEL_LINE): the kernel of another Debian line's source
# (kernel/build.sh --line); a mutant that does not apply to that source is
# SKIPPED with the reason (the code it breaks changed), not counted as missed.
# Writes DIR/kernel-mutants.md (default reports/) and each run's reports under
# DIR/kernel-mutants/<mutant>/. The tree is made pristine again (source and
# binary) at the end, on failure and on Ctrl-C.
# A mutant whose header has the line `kernel: sanitize` is one only a sanitizer
# sees (a lock without its nesting annotation, a read of freed memory): it is
# built into the sanitizer kernel of kernel/build.sh --sanitize and judged on
# it, in a pass of its own after the others (its own lock, baseline and
# DIR/kernel-mutants-sanitize.md), only when that kernel is cached (else SKIP,
# said); its run is always the cases its catches: line names, --whole-suite or
# not (lockdep reports once per boot: in a whole run the first case to take the
# lock would be the one caught). --on-stock builds those mutants into the stock
# kernel instead and requires the opposite: no case catches them there
# (DIR/kernel-mutants-on-stock.md).
# Exit status: 0 every mutant caught as its header says, 1 one was not (or was
# caught by other cases only, or did not build; with --on-stock: one was caught
# on the stock kernel; or the pristine kernel failed other than the live bugs
# of tests/stock-kernel-failures.tsv say), 2 usage error or missing package,
# 3 the pristine kernel could not be run, 130 interrupted.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
cd "$root" || exit 2
conformance_failure=1 # run.sh: a case failed
shown_extra=5         # how many other newly failing cases the report names per mutant

die() { echo "kernel/mutants.sh: $1" >&2; exit "${2:-3}"; }
say() { echo "kernel/mutants.sh: $*" >&2; }

reports=reports baseline=1 whole=0 on_stock=0 mutants=() run_args=() opts=() baseline_bad=0 base_check=
while [ $# -gt 0 ]; do
	case $1 in
	--reports) reports=${2:?--reports needs a directory}; opts+=("$1" "$2"); shift ;;
	--reports=*) reports=${1#*=}; opts+=("$1") ;;
	--no-baseline) baseline=0; opts+=("$1") ;;
	--whole-suite) whole=1; opts+=("$1") ;;
	--on-stock) on_stock=1 ;;
	--line) export PST_KERNEL_LINE=${2:?--line needs a line name}; shift ;;
	--line=*) export PST_KERNEL_LINE=${1#*=} ;;
	--) shift; run_args=("$@"); break ;;
	-h | --help) sed -n '2,33s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
	-*) die "unknown option '$1'" 2 ;;
	*) mutants+=("$1") ;;
	esac
	shift
done
[ ${#mutants[@]} -gt 0 ] || mutants=("$here"/mutants/*.patch)
for m in "${mutants[@]}"; do
	[ -f "$m" ] || die "no mutant $m" 2
	grep -q '^catches: ' "$m" || die "$m has no 'catches:' line" 2
done

# Mutants only a sanitizer sees (`kernel: sanitize`) and the others.
sanitizer_only() { grep -qx 'kernel: sanitize' "$1"; }
stock_mutants=() sanitize_mutants=()
for m in "${mutants[@]}"; do
	if sanitizer_only "$m"; then sanitize_mutants+=("$m"); else stock_mutants+=("$m"); fi
done
if [ "$on_stock" = 1 ]; then
	[ "${PST_KERNEL_SANITIZE:-0}" = 0 ] || die "--on-stock: the stock kernel, not PST_KERNEL_SANITIZE=1" 2
	[ ${#sanitize_mutants[@]} -gt 0 ] || die "--on-stock: no mutant with 'kernel: sanitize' named" 2
	mutants=("${sanitize_mutants[@]}")
	pass=on-stock
elif [ -n "${PST_MUTANTS_PASS:-}" ]; then
	pass=$PST_MUTANTS_PASS # a pass started below: its mutants are all of one kind
elif [ ${#sanitize_mutants[@]} -eq 0 ]; then
	pass=stock
else
	# Two passes, each its own run of this script: the stock mutants, then the
	# sanitizer's on the sanitizer kernel if it is cached (never built here:
	# a cold sanitizer build takes 7-20 min; make sanitize builds it).
	status=0
	if [ ${#stock_mutants[@]} -gt 0 ]; then
		PST_MUTANTS_PASS=stock "${BASH_SOURCE[0]}" "${opts[@]}" "${stock_mutants[@]}" -- "${run_args[@]}"
		status=$?
	fi
	[ "$status" -eq 130 ] && exit 130
	entry=$(PST_KERNEL_SANITIZE=1 "$here/build.sh" --print-entry) || exit 2
	if [ -x "$entry/src/linux" ]; then
		PST_MUTANTS_PASS=sanitize PST_KERNEL_SANITIZE=1 "${BASH_SOURCE[0]}" "${opts[@]}" \
			"${sanitize_mutants[@]}" -- "${run_args[@]}"
		san_status=$?
		[ "$san_status" -eq 0 ] || [ "$status" -eq 1 ] || status=$san_status
	else
		mkdir -p "$reports" || die "cannot create $reports" 2
		{
			echo "# Kernel mutants only a sanitizer sees"
			echo
			echo "SKIP: the sanitizer kernel is not cached ($(basename "$entry"); \`kernel/build.sh --sanitize\` or \`make sanitize\` builds it)."
			echo
			printf -- '- `%s`\n' "${sanitize_mutants[@]##*/}"
		} >"$reports/kernel-mutants-sanitize.md"
		say "${#sanitize_mutants[@]} mutant(s) only a sanitizer sees SKIPPED: the sanitizer kernel is not cached ($(basename "$entry"))"
	fi
	exit "$status"
fi
case $pass in
stock | on-stock) export PST_KERNEL_SANITIZE=0 ;;
sanitize)
	export PST_KERNEL_SANITIZE=1
	# (lockdep reports once per boot: only the named cases, so each is the first)
	[ "$whole" = 0 ] || say "the sanitizer's mutants run only the cases their catches: lines name"
	whole=0
	;;
*) die "PST_MUTANTS_PASS=$pass: expected stock or sanitize" 2 ;;
esac
# This pass's reports: DIR/$out.md and DIR/$out/.
out_name=kernel-mutants
[ "$pass" = stock ] || out_name=kernel-mutants-$pass
for a in "${run_args[@]}"; do
	case $a in --target* | --kernel* | --modules* | --reports*) die "$a: set by kernel/mutants.sh" 2 ;; esac
	case $a in --case* | --suite*) [ "$whole" = 1 ] || die "$a: the cases are the catches: lines' unless --whole-suite" 2 ;; esac
done
# The cases a mutant's run selects: its catches: globs, comma-separated (none: all).
scope_of() {
	[ "$whole" = 1 ] || sed -n 's/^catches: //p' "$@" | tr ' ' '\n' | sed '/^$/d' | sort -u | paste -sd, -
}
mkdir -p "$reports/$out_name" || die "cannot create $reports" 2
reports=$(cd "$reports" && pwd)

# run.sh installs and builds what the suite needs and rejects bad options.
./run.sh "${run_args[@]}" --list >/dev/null || exit $?

# The cache lock for the whole run: nobody else may build or run this tree meanwhile.
# shellcheck source=kernel/lock.sh
. "$here/lock.sh"
if [ "$pass" = sanitize ]; then
	pst_kernel_lock kernel/mutants.sh sanitize || exit 2
else
	pst_kernel_lock kernel/mutants.sh || exit 2
fi

# build.sh without --patch restores net/sctp from the entry's pristine copy
# (checked by sha256) and rebuilds the binary: at the start (a tree left
# mutated by a killed run), at the end, and on any way out.
# shellcheck disable=SC2317 # called by the EXIT trap
restore() {
	trap - EXIT INT TERM HUP
	say "restoring the pristine kernel"
	"$here/build.sh" >/dev/null || say "RESTORE FAILED: run kernel/build.sh by hand before using the cache"
}
trap restore EXIT
trap 'say interrupted; exit 130' INT TERM HUP
linux=$("$here/build.sh" | tail -n 1)
[ "${PIPESTATUS[0]}" -eq 0 ] || exit 3

# The cases a run caught the mutant with (results.tsv): FAIL (a requirement,
# or a kernel report during the case: BUG/WARNING/oops or a sanitizer's,
# the safety check no_kernel_report), CHANGED (a reference behaviour), or an
# ERROR that is the kernel's own doing (it died: a mutant that crashes the
# kernel can be caught no other way; "the kernel reported" is how runs before
# no_kernel_report said a report). A BROKEN case, or an ERROR of a timeout or
# a crash of the case process, shows no checked behaviour broken: it catches
# no mutant.
readonly catching='NR > 1 && ($3 == "FAIL" || $3 == "CHANGED" ||
	($3 == "ERROR" && $4 ~ /^the kernel (under test died|reported)/))'
failures() {
	awk -F'\t' "$catching"' { print $1 "/" $2 }' "$1/results.tsv" 2>/dev/null | sort -u
}
# How many of a run's catching cases were of each kind: "FAIL 3, kernel ERROR 2".
catch_kinds() {
	awk -F'\t' "$catching"' { n[$3 == "ERROR" ? "kernel ERROR" : $3]++ }
	     END { s = ""; for (k in n) s = s (s ? ", " : "") k " " n[k]; print s }' "$1/results.tsv" 2>/dev/null
}

# Run the suite on kernel $1 with reports in $2, only the cases of the glob
# list $3 if it is not empty; the run's status.
run_suite() {
	local -a scope=()
	[ -z "$3" ] || scope=(--case "$3")
	rm -rf "$2"
	mkdir -p "$2"
	./run.sh --target uml --kernel "$1" --reports "$2" "${scope[@]}" "${run_args[@]}" >"$2/run.log" 2>&1
}

if [ "$baseline" = 1 ]; then
	say "baseline: the suite on the pristine kernel"
	start=$SECONDS
	run_suite "$linux" "$reports/$out_name/baseline" "$(scope_of "${mutants[@]}")"
	base_status=$?
	say "baseline: status $base_status in $((SECONDS - start)) s"
	[ "$base_status" -le "$conformance_failure" ] || [ "$base_status" -eq 4 ] ||
		die "the suite could not run on the pristine kernel (status $base_status): see $reports/$out_name/baseline/run.log"
	failures "$reports/$out_name/baseline" >"$reports/$out_name/baseline.failures"
	# The pristine kernel fails exactly the live bugs it carries (none once fixed):
	# tests/stock-kernel-failures.tsv, of the cases run.
	if base_check=$(tests/expected_failures.sh check "$reports/$out_name/baseline"); then
		say "baseline: ${base_check#ok   }"
	else
		say "baseline: the pristine kernel fails otherwise than expected:"
		grep '^FAIL' <<<"$base_check" >&2
		baseline_bad=1
	fi
else
	: >"$reports/$out_name/baseline.failures"
fi

md=$reports/$out_name.md
rows=()
details=()
missed=0 skipped=0
not_applicable=4 # kernel/build.sh: the patch does not apply to this source

# Built one after another in the one tree, run side by side with the next
# build: each mutant's binary is copied aside (a UML kernel with SCTP built in
# is one self-contained file), its suite runs in the background while the next
# mutant builds, and its verdict is taken before the next run starts.
aside=$(mktemp -d "${TMPDIR:-/tmp}/pst-mutants.XXXXXX") || die "mktemp failed"
run_pid='' run_name=''
# shellcheck disable=SC2317 # called by the traps
stop_run() {
	# (TERM: a job started without job control has SIGINT ignored)
	[ -n "$run_pid" ] && kill -TERM -- "-$run_pid" 2>/dev/null && wait "$run_pid" 2>/dev/null
	rm -rf "$aside"
}
trap 'stop_run; restore' EXIT
trap 'say interrupted; exit 130' INT TERM HUP
set -m # each background run in its own process group, so Ctrl-C reaches all of it

# What a mutant breaks: its header, one Markdown table cell.
breaks_of() {
	sed -n '1,/^catches: /{/^catches: /d;p}' "$1" | tr '\n' ' ' | sed 's/ *$//; s/|/\\|/g'
}

# judge NAME: the verdict of the run started for mutant NAME (waits for it).
judge() {
	local name=$1 m=$aside/$1.patch out=$reports/$out_name/$1 status run_s breaks nnew nother
	local others verdict c g hit
	local -a globs caught_by unmatched
	wait "$run_pid"
	status=$?
	run_pid=''
	run_s=$(($(date +%s) - $(cat "$aside/$name.start")))
	rm -f "$aside/$name.linux"
	breaks=$(breaks_of "$m")
	read -r -a globs <<<"$(sed -n 's/^catches: //p' "$m" | tr '\n' ' ')"
	# Newly failing: failing here, not in the baseline.
	failures "$out" | comm -23 - "$reports/$out_name/baseline.failures" >"$out/new-failures"
	caught_by=() unmatched=()
	for g in "${globs[@]}"; do
		hit=
		while IFS= read -r c; do
			# shellcheck disable=SC2053 # $g is a glob on purpose
			[[ $c == $g ]] && { hit=1; caught_by+=("$c"); }
		done <"$out/new-failures"
		[ -n "$hit" ] || unmatched+=("$g")
	done
	nnew=$(wc -l <"$out/new-failures")
	# (run.sh: 1 a requirement failed, 4 only a reference behaviour changed)
	if [ "$pass" = on-stock ]; then
		# The opposite wanted: every case it runs passes on the stock kernel.
		if [ "$status" -eq 0 ] && [ "$nnew" -eq 0 ]; then
			verdict="not caught on the stock kernel, as wanted (run status 0)"
		else
			verdict="CAUGHT on the stock kernel ($(catch_kinds "$out"); run status $status): not one only a sanitizer sees"
			missed=$((missed + 1))
		fi
	elif { [ "$status" -ne "$conformance_failure" ] && [ "$status" -ne 4 ]; } || [ "$nnew" -eq 0 ]; then
		verdict="NOT CAUGHT (run status $status)"
		missed=$((missed + 1))
	elif [ ${#unmatched[@]} -gt 0 ]; then
		verdict="caught, but not by: ${unmatched[*]}"
		missed=$((missed + 1))
	else
		verdict="CAUGHT ($(catch_kinds "$out"))"
	fi
	say "$name: $verdict ($nnew newly failing cases; run $run_s s)"
	# shellcheck disable=SC2016 # the backquotes are Markdown
	others=$(grep -v -x -F -f <(printf '%s\n' "${caught_by[@]}") "$out/new-failures" |
		head -n "$shown_extra" | sed 's/.*/`&`/' | paste -sd, -)
	nother=$((nnew - ${#caught_by[@]}))
	rows+=("| \`$name\` | $breaks | $verdict | $nnew | $(cat "$aside/$name.build_s") s + ${run_s} s |")
	# shellcheck disable=SC2016
	details+=("### $name" "" "Expected (\`catches:\`): $(printf '`%s` ' "${globs[@]}")" ""
		"Caught by: $([ ${#caught_by[@]} -gt 0 ] && printf '`%s` ' "${caught_by[@]}" || echo none)" ""
		"Other newly failing cases ($nother): ${others:-none}$([ "$nother" -gt "$shown_extra" ] && echo ", ...")" ""
		"Reports: \`${out#"$root"/}/\`" "")
}

for m in "${mutants[@]}"; do
	name=$(basename "$m" .patch)
	breaks=$(breaks_of "$m")
	say "$name: building"
	start=$SECONDS
	# (build.sh prints only the binary's path on stdout; its status is the substitution's)
	mlinux=$("$here/build.sh" --patch "$m" 2>"$reports/$out_name/$name.build.err")
	build_status=$?
	build_s=$((SECONDS - start))
	mlinux=$(tail -n 1 <<<"$mlinux")
	cat "$reports/$out_name/$name.build.err" >&2
	[ -n "$run_pid" ] && judge "$run_name"
	if [ "$build_status" -eq "$not_applicable" ]; then
		why=$(sed -n 's/^kernel\/build.sh: //p' "$reports/$out_name/$name.build.err" | tail -n 1)
		say "$name: SKIP: $why"
		rows+=("| \`$name\` | $breaks | SKIP: does not apply to this source (${why//|/\\|}) | | |")
		skipped=$((skipped + 1))
		continue
	fi
	if [ "$build_status" -ne 0 ] || [ -z "$mlinux" ] || ! cp "$mlinux" "$aside/$name.linux"; then
		rows+=("| \`$name\` | $breaks | DID NOT BUILD | | |")
		missed=$((missed + 1))
		continue
	fi
	cp "$m" "$aside/$name.patch"
	echo "$build_s" >"$aside/$name.build_s"
	say "$name: built in $(cat "$aside/$name.build_s") s; running the suite (the next mutant builds meanwhile)"
	date +%s >"$aside/$name.start"
	run_suite "$aside/$name.linux" "$reports/$out_name/$name" "$(scope_of "$m")" &
	run_pid=$! run_name=$name
done
[ -n "$run_pid" ] && judge "$run_name"

scope="the whole suite runs on it"
[ "$whole" = 1 ] || scope="the cases its \`catches:\` line names run on it (\`make kernel-mutants\`: the whole suite)"
[ ${#run_args[@]} -gt 0 ] && scope="$scope, with \`${run_args[*]}\`"
{
	case $pass in
	stock) echo "# Kernel mutants" ;;
	sanitize) echo "# Kernel mutants only a sanitizer sees" ;;
	on-stock) echo "# Kernel mutants only a sanitizer sees, on the stock kernel" ;;
	esac
	echo
	echo "Each mutant is a patch to net/sctp/socket.c of the cached UML kernel of kernel/build.sh$([ "$pass" = sanitize ] && echo " --sanitize")"
	echo "(\`$(basename "$(dirname "$(dirname "$linux")")")\`), rebuilt incrementally; $scope. Caught = the run fails and every"
	echo "case glob of the patch's \`catches:\` line matches a case that fails with the mutant and not on the"
	echo "pristine kernel ($(wc -l <"$reports/$out_name/baseline.failures") of the cases run fail there: ${base_check:-no baseline run})."
	[ "$pass" != on-stock ] || echo "Here the opposite is wanted: these mutants must not be caught on the stock kernel."
	echo
	echo "| mutant | what it breaks | verdict | newly failing cases | rebuild + run |"
	echo "| --- | --- | --- | --- | --- |"
	printf '%s\n' "${rows[@]}"
	echo
	echo "## Cases that caught each"
	echo
	printf '%s\n' "${details[@]}"
} >"$md"
say "report: $md"
[ "$skipped" -eq 0 ] || say "$skipped mutant(s) SKIPPED: they do not apply to this line's source"
[ "$missed" -eq 0 ] || { say "$missed mutant(s) not $([ "$pass" = on-stock ] && echo "passed over by the stock kernel" || echo "caught") as expected"; exit 1; }
[ "$baseline_bad" -eq 0 ] || { say "the pristine kernel failed otherwise than tests/stock-kernel-failures.tsv says"; exit 1; }
exit 0
