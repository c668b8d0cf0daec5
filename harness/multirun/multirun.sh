#!/bin/bash
# run.sh's options over several runs; run.sh hands its whole command line here
# when one of them is given. Each run is ./run.sh without them; what follows
# reads the runs' reports/results.tsv with build/pst-compare.
#   --kernels SPEC,SPEC,...  the suite on each kernel: reports/kernels/<n>-<label>/,
#                            then reports/compare.md and compare.json.
#                            SPEC: [LABEL=]host | uml | uml:LINUX[:MODULES_DIR]
#                                  | qemu:VMLINUZ[:MODULES_DIR] | qemu-deb:FILE.deb
#                                  | line:NAME | qemu-line:NAME (a Debian line,
#                                  harness/guests/lines.tsv) | libsctp-line:NAME (the
#                                  stock UML kernel with that line's libsctp); "lines",
#                                  "qemu-lines", "libsctp-lines": one per line
#                            exit 0 every run completed and passed, 1 a kernel had a
#                            conformance failure, 3 a kernel could not run
#   --lava                   with --kernels: each kernel (qemu-deb:FILE.deb only) as a job of
#                            the LAVA instance lab/lava/instance.sh started, all submitted
#                            before any is waited for (they run side by side on its devices;
#                            lab/lava/matrix.sh); a kernel whose image or job fails is
#                            that kernel's ERROR. Options to each run: --suite, --case,
#                            --profile, --jobs only
#   --bisect-case NAME       only that case (every variant); exit 0 good (PASS, XFAIL,
#                            XPASS), 1 bad (FAIL, ERROR), 125 cannot test (the target
#                            could not run, BROKEN, all SKIP): for git bisect run
#   --baseline DIR           compare with an earlier run's reports: reports/baseline.md/.json
#   --gate new-failures      with --baseline: exit 1 only for new failures
#   (--gate requirements|changes is the runner's: passed on to each run)
#   --certify                reports/certification-<release>-<date>.tar.gz (harness/multirun/certify.sh):
#                            a certificate is of the whole suite, so a filtered run (--suite,
#                            --case, --selftest, --repeat, --shuffle, a QEMU line's quick part)
#                            is refused (exit 2) and an incomplete one gets no bundle
#   --certify-partial        --certify, for a filtered or incomplete run too: the bundle is
#                            certification-PARTIAL-<release>-<date>.tar.gz, its VERIFY.txt says why
# Exit 2: usage error (one message), 130: interrupted.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root" || exit 2
compare=build/pst-compare
runner=${PST_RUNNER:-build/peeloff-runner}
readonly conformance_failure=1 usage=2 no_run=3 changed=4 interrupted=130
# Did run.sh's run complete (every case judged): 0, 1 or 4.
completed() { [ "$1" -le $conformance_failure ] || [ "$1" -eq $changed ]; }

die() { echo "run.sh: $1" >&2; exit "${2:-$usage}"; }
trap 'exit $interrupted' INT TERM HUP

kernels= bisect= baseline= gate= certify=0 partial=0 reports=reports rest=() fixed_target= lava=0
while [ $# -gt 0 ]; do
	a=$1
	case $a in
	--kernels | --bisect-case | --baseline | --gate)
		[ $# -ge 2 ] && [ -n "$2" ] || die "$a needs a value"
		v=$2
		shift
		;;
	--kernels=* | --bisect-case=* | --baseline=* | --gate=*)
		v=${a#*=}
		a=${a%%=*}
		[ -n "$v" ] || die "$a needs a non-empty value"
		;;
	esac
	case $a in
	--kernels) kernels=$v ;;
	--bisect-case) bisect=$v ;;
	--baseline) baseline=$v ;;
	--gate)
		case $v in
		requirements | changes) rest+=(--gate "$v") ;; # each run's own gate
		*) gate=$v ;;
		esac
		;;
	--certify) certify=1 ;;
	--lava) lava=1 ;;
	--certify-partial) certify=1 partial=1 ;;
	--reports)
		[ $# -ge 2 ] && [ -n "$2" ] || die "--reports needs a value"
		reports=$2
		shift
		;;
	--reports=*) reports=${a#*=} ;;
	*)
		case $a in
		--target* | --kernel | --kernel=* | --modules* | --kernel-deb* | --kernel-coverage | --kernel-line*) fixed_target=$a ;;
		esac
		rest+=("$a")
		;;
	esac
	shift
done

# ---- what goes together ----
[ -z "$gate" ] || [ "$gate" = new-failures ] || die "--gate must be requirements, changes or new-failures, not '$gate'"
[ -z "$gate" ] || [ -n "$baseline" ] || die "--gate new-failures needs --baseline DIR (the run to compare with)"
[ "$lava" = 0 ] || [ -n "$kernels" ] || die "--lava goes with --kernels (one LAVA job a kernel)"
if [ -n "$kernels" ]; then
	[ -z "$fixed_target" ] || die "--kernels names each target and kernel itself: drop $fixed_target"
	[ -z "$bisect" ] || die "--kernels and --bisect-case do not go together (bisect one kernel per step)"
	[ -z "$baseline" ] || die "--kernels and --baseline do not go together (compare.md already compares)"
	[ "$certify" = 0 ] || die "--kernels and --certify do not go together (certify one kernel per run)"
fi
if [ -n "$bisect" ]; then
	[ -z "$baseline" ] && [ "$certify" = 0 ] || die "--bisect-case goes with neither --baseline nor --certify (its exit status is the answer)"
	for a in "${rest[@]}"; do
		case $a in --case* | --suite*) die "--bisect-case NAME chooses the case itself: drop $a" ;; esac
	done
fi
# A certificate is of the whole suite: what would run only part of it (or the same cases
# shuffled or over and over, flake hunting) is refused unless --certify-partial says so.
filters=() qemu=0 line= whole=0 prev=
if [ "$certify" = 1 ]; then
	for a in "${rest[@]}"; do
		case $a in
		--suite | --case | --repeat | --shuffle) filters+=("$a") ;;
		--suite=* | --case=* | --repeat=* | --shuffle=* | --selftest) filters+=("$a") ;;
		--target=qemu) qemu=1 ;;
		--kernel-line=*) line=${a#*=} ;;
		--whole-suite) whole=1 ;;
		esac
		case $prev in
		--suite | --case | --repeat | --shuffle) filters[${#filters[@]} - 1]="$prev $a" ;;
		--target) [ "$a" = qemu ] && qemu=1 ;;
		--kernel-line) line=$a ;;
		esac
		prev=$a
	done
	# (harness/guests/line-args.sh: a QEMU line runs its quick part unless told otherwise)
	if [ "$qemu" = 1 ] && [ -n "$line" ] && [ "$whole" = 0 ] && [ ${#filters[@]} -eq 0 ]; then
		filters+=("--target qemu --kernel-line $line without --whole-suite (the quick part, --suite peeled_socket)")
	fi
	if [ ${#filters[@]} -gt 0 ] && [ "$partial" = 0 ]; then
		die "--certify: expected one plain run of the whole suite (a certificate is of every case), got $(IFS=,; echo "${filters[*]}"): drop it, or give --certify-partial for a bundle marked PARTIAL"
	fi
fi

# The rest must be options run.sh knows (the runner's parser says; --list runs nothing;
# the Debian line options, harness/guests/line-args.sh, are run.sh's own).
# shellcheck source=harness/reports.sh
. harness/reports.sh
# shellcheck source=harness/guests/line-args.sh
. harness/guests/line-args.sh
pst_line_args_unfetched "${rest[@]}"
"$runner" --list --reports "$reports" "${line_args[@]}" >/dev/null || exit $?

if [ -n "$baseline" ]; then
	[ -d "$baseline" ] || die "--baseline $baseline: no such directory"
	"$compare" check "$baseline" || exit $usage
	mkdir -p "$reports" || die "cannot create $reports"
	[ "$(cd "$baseline" && pwd -P)" != "$(cd "$reports" && pwd -P)" ] ||
		die "--baseline $baseline is this run's --reports directory: its results would be overwritten; copy it first"
fi

# ---- --kernels ----
# One SPEC into label, and run.sh's options for it (spec_args); dies on a bad one.
parse_spec() {
	local spec=$1 kind path mods
	label=
	case $spec in *=*) label=${spec%%=*}; spec=${spec#*=} ;; esac
	kind=${spec%%:*}
	path=
	mods=
	[ "$kind" = "$spec" ] || path=${spec#*:}
	case $path in *:*) mods=${path#*:}; path=${path%%:*} ;; esac
	[ -n "$label" ] || label=$kind${path:+-$(basename "$path")}
	label=$(printf '%s' "$label" | tr -c 'A-Za-z0-9._-' '_')
	spec_args=()
	case $kind in
	host | uml)
		[ "$kind" = host ] && [ -n "$path" ] && die "kernel spec '$1': host takes no kernel (it is the running one)"
		spec_args=(--target "$kind")
		;;
	qemu) [ -n "$path" ] || die "kernel spec '$1': qemu needs a kernel: qemu:/path/vmlinuz[:/modules/dir]"
		spec_args=(--target qemu) ;;
	qemu-deb)
		[ -n "$path" ] && [ -z "$mods" ] || die "kernel spec '$1': expected qemu-deb:/path/linux-image-*.deb"
		[ -f "$path" ] || die "kernel spec '$1': no such file $path"
		spec_args=(--target qemu --kernel-deb "$path")
		path=
		;;
	line | qemu-line | libsctp-line)
		[ -n "$path" ] && [ -z "$mods" ] || die "kernel spec '$1': expected $kind:NAME (a Debian line: $(line_names))"
		harness/guests/debian-line.sh suite "$path" >/dev/null || exit $usage
		case $kind in
		line) spec_args=(--kernel-line "$path") ;;
		qemu-line) spec_args=(--target qemu --kernel-line "$path") ;;
		libsctp-line) spec_args=(--target uml --libsctp-line "$path") ;;
		esac
		[ "$label" = "$kind-$(basename "$path")" ] && label=$path-${kind%-line}
		[ "$label" = "$path-line" ] && label=$path-uml
		path=
		;;
	*) die "unknown kernel spec '$1' (expected host, uml, uml:LINUX[:MODULES], qemu:VMLINUZ[:MODULES], qemu-deb:FILE.deb, line:NAME, qemu-line:NAME or libsctp-line:NAME, each optionally LABEL=...; or lines, qemu-lines, libsctp-lines)" ;;
	esac
	if [ -n "$path" ]; then
		[ -f "$path" ] || die "kernel spec '$1': no such kernel $path"
		spec_args+=(--kernel "$path")
	fi
	if [ -n "$mods" ]; then
		[ -d "$mods" ] || die "kernel spec '$1': no such modules directory $mods"
		spec_args+=(--modules "$mods")
	fi
}

# The Debian lines' names, in the table's order.
line_names() { harness/guests/debian-line.sh names | cut -f1 | paste -sd' ' -; }

if [ -n "$kernels" ]; then
	# "lines" / "qemu-lines": one spec per Debian line.
	expanded=
	IFS=, read -r -a specs <<<"$kernels"
	for s in "${specs[@]}"; do
		case $s in
		lines | qemu-lines | libsctp-lines)
			s=$(for l in $(line_names); do printf '%s:%s,' "${s%s}" "$l"; done) ;;
		*) s=$s, ;;
		esac
		expanded=$expanded$s
	done
	kernels=${expanded%,}
	IFS=, read -r -a specs <<<"$kernels"
	[ ${#specs[@]} -gt 0 ] || die "--kernels needs at least one kernel spec"
	labels=() argsets=()
	for s in "${specs[@]}"; do
		[ -n "$s" ] || die "--kernels '$kernels': an empty kernel spec"
		parse_spec "$s"
		[ "$lava" = 0 ] || [ "${spec_args[2]:-}" = --kernel-deb ] ||
			die "--lava: kernel spec '$s': only qemu-deb:FILE.deb (a LAVA device boots a kernel package's image)"
		labels+=("$label")
		argsets+=("$(printf '%q ' "${spec_args[@]}")")
	done
	# This run's reports only: nothing an earlier run wrote stays beside them.
	mkdir -p "$reports" || die "cannot create $reports"
	pst_reports_clean "$reports"
	mkdir -p "$reports/kernels" || die "cannot create $reports/kernels"
	cmp_args=() worst=0 jobs=()
	if [ "$lava" = 1 ]; then
		# Every job submitted first: the instance's devices run them side by side.
		for i in "${!specs[@]}"; do
			n=$((i + 1))
			eval "spec_args=(${argsets[$i]})"
			echo "=== kernel $n of ${#specs[@]}: ${specs[$i]}: a LAVA job"
			jobs[i]=$(lab/lava/matrix.sh submit "$n-${labels[$i]}" "${spec_args[3]}" "${rest[@]}")
			st=$?
			# (a bad option is every job's: the matrix ends; a kernel whose image or
			# job failed is that kernel's "could not run")
			[ "$st" -eq $usage ] && exit $usage
			if [ "$st" -eq 0 ]; then
				echo "=== kernel $n: LAVA job ${jobs[i]}"
			else
				jobs[i]=
				echo "=== kernel $n: no LAVA job (above)"
			fi
		done
	fi
	for i in "${!specs[@]}"; do
		n=$((i + 1))
		dir=$reports/kernels/$n-${labels[$i]}
		eval "spec_args=(${argsets[$i]})"
		mkdir -p "$dir" # (cleaned above; its run.sh cleans it again)
		if [ "$lava" = 1 ] && [ -z "${jobs[i]}" ]; then
			st=$no_run
			echo "=== kernel $n: not submitted: run.sh exit $st"
		elif [ "$lava" = 1 ]; then
			st=$(lab/lava/matrix.sh collect "${jobs[i]}" "$dir")
			echo "=== kernel $n: LAVA job ${jobs[i]}: run.sh exit $st (reports: $dir)"
		else
			echo "=== kernel $n of ${#specs[@]}: ${specs[$i]} (reports: $dir)"
			./run.sh "${spec_args[@]}" "${rest[@]}" --reports "$dir" 2>&1 | tee "$dir/run.log"
			st=${PIPESTATUS[0]}
			[ "$st" -eq $interrupted ] && exit $interrupted
			echo "=== kernel $n: run.sh exit $st"
		fi
		cmp_args+=("$n-${labels[$i]}" "${specs[$i]#*=}" "$st" "$dir")
		if ! completed "$st"; then
			worst=$no_run
		elif [ "$st" -eq $conformance_failure ] && [ "$worst" -ne $no_run ]; then
			worst=$conformance_failure
		elif [ "$st" -eq $changed ] && [ "$worst" -eq 0 ]; then
			worst=$changed
		fi
	done
	"$compare" kernels --known suites/known-bugs.tsv "$reports" "${cmp_args[@]}" || exit $no_run
	# junit.xml and results.tsv over every kernel: what CI reads is every kernel's verdict.
	"$here/merge.sh" "$reports" "${cmp_args[@]}" || exit $no_run
	exit "$worst"
fi

# ---- one run: --bisect-case, --baseline, --certify ----
run_args=("${rest[@]}" --reports "$reports")
# A certificate judges the requirements; the changed reference behaviours are listed apart.
if [ "$certify" = 1 ] && ! printf '%s\n' "${rest[@]}" | grep -qx -e --gate; then
	run_args+=(--gate requirements)
fi
if [ -n "$bisect" ]; then
	# NAME: a case (all its variants), a case with its variant, or suite/case.
	glob=$bisect
	if [ "$("$runner" "${rest[@]}" --case "$glob" --list 2>/dev/null | wc -l)" -eq 0 ]; then
		glob=$bisect/*
		[ "$("$runner" "${rest[@]}" --case "$glob" --list 2>/dev/null | wc -l)" -gt 0 ] ||
			die "--bisect-case '$bisect' matches no case (see ./run.sh --list)"
	fi
	run_args+=(--case "$glob")
fi
mkdir -p "$reports" || die "cannot create $reports"
pst_reports_clean "$reports"
stamp=$(mktemp "${TMPDIR:-/tmp}/pst-run-start.XXXXXX") || die "mktemp failed" $no_run
accepted=
trap 'rm -f "$stamp" ${accepted:+"$accepted"}' EXIT
# --gate new-failures: the baseline's failures are accepted in this run's every
# report (still FAIL, said to be accepted; JUnit skipped), so that what CI reads
# agrees with the exit status the gate gives.
if [ "$gate" = new-failures ]; then
	accepted=$reports/.accepted # (where a guest sees it: the reports directory is shared)
	awk -F'\t' 'NR > 1 && $3 ~ /^(FAIL|XPASS|BROKEN|ERROR)$/ { print $1 "/" $2 }' \
		"$baseline/results.tsv" >"$accepted" || die "cannot read $baseline/results.tsv"
	run_args+=(--accept-failures "$accepted")
fi
./run.sh "${run_args[@]}"
st=$?
[ "$st" -eq $interrupted ] && exit $interrupted

if [ -n "$bisect" ]; then
	if ! completed "$st"; then
		echo "bisect: exit 125, cannot test: run.sh exit $st (the target could not run)"
		[ "$st" -eq $usage ] && exit $usage # not this kernel's doing: the step script should abort
		exit 125
	fi
	"$compare" bisect "$reports"
	exit $?
fi

gate_status=$st
if [ -n "$baseline" ] && completed "$st"; then
	"$compare" baseline "$baseline" "$reports"
	gate_status=$?
	[ "$gate_status" -le $conformance_failure ] || st=$no_run
fi
if [ "$certify" = 1 ]; then
	why=()
	[ ${#filters[@]} -eq 0 ] || why+=("a filtered run: $(IFS=,; echo "${filters[*]}")")
	completed "$st" || why+=("the run did not complete: run.sh exit $st")
	if [ ${#why[@]} -gt 0 ] && [ "$partial" = 0 ]; then
		echo "run.sh: no certification bundle: ${why[*]}; --certify-partial makes a bundle marked PARTIAL of what there is" >&2
	elif [ ! -f "$reports/environment.tsv" ] || [ ! -f "$reports/results.tsv" ]; then
		echo "run.sh: no certification bundle: ${why[*]:-the run} left no environment.tsv and results.tsv in $reports" >&2
		[ "$st" -eq 0 ] && st=$no_run
	else
		cert_args=(--status "$st")
		[ "$partial" = 1 ] && cert_args+=(--allow-partial)
		for w in "${why[@]}"; do cert_args+=(--why "$w"); done
		"$here/certify.sh" "${cert_args[@]}" "$reports" "$stamp"
		cst=$?
		if [ "$cst" -eq $usage ]; then
			st=$usage
		elif [ "$cst" -ne 0 ]; then
			st=$no_run
		fi
	fi
fi
# --gate new-failures: only new failures fail (2 and 3 keep their meaning).
if [ -n "$gate" ] && completed "$st"; then
	exit "$gate_status"
fi
exit "$st"
