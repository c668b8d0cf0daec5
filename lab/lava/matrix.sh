#!/bin/bash
# One kernel of a matrix (./run.sh --kernels ... --lava) as a job of the LAVA
# instance lab/lava/instance.sh started: harness/multirun/multirun.sh submits one
# job a kernel, then collects each; the jobs run side by side on its devices.
#   lab/lava/matrix.sh submit LABEL DEB [run.sh options]   build LABEL's image, submit; prints the job id
#   lab/lava/matrix.sh collect JOB DIR                     wait for JOB; its reports into DIR;
#                                                          prints run.sh's exit status for it
# The job is lab/lava/job-qemu.yaml with its images at images/LABEL/ and the
# options as the test definition's parameters: --suite, --case, --profile and
# --jobs only (another option: exit 2). collect prints 0 or 1 as run.sh on the
# device exited (the case run-sh-exit), 3 when the job did not complete (the
# kernel did not boot, say): that kernel's ERROR in compare.md, not the matrix's
# end. Exit 0 done, 2 usage, 3 the instance is not there.
set -u
cd "$(dirname "$0")/../.." || exit 2
cache=${PST_LAVA_CACHE:-$HOME/.cache/pst-lava}
job_wait=${PST_LAVA_JOB_TIMEOUT:-3600} # seconds
PY=/usr/bin/python3
die() { echo "lava-matrix: $1" >&2; exit "${2:-2}"; }
lavacli() { lab/lava/instance.sh lavacli "$@"; }

submit() {
	local label=$1 deb=$2 params=() job
	shift 2
	while [ $# -gt 0 ]; do
		case $1 in
		--suite) params+=("SUITE=${2:?}"); shift 2 ;;
		--case) params+=("CASE=${2:?}"); shift 2 ;;
		--profile) params+=("PROFILE=${2:?}"); shift 2 ;;
		--jobs) params+=("JOBS=${2:?}"); shift 2 ;;
		--suite=* | --case=* | --profile=* | --jobs=*)
			params+=("$(printf '%s' "${1#--}" | tr a-z A-Z | sed 's/=.*//')=${1#*=}")
			shift
			;;
		*) die "$1: not an option a LAVA job passes on (--suite, --case, --profile, --jobs)" ;;
		esac
	done
	lab/lava/instance.sh status >/dev/null 2>&1 || die "no LAVA instance running (lab/lava/instance.sh start)" 3
	lab/lava/instance.sh image "$label" "$deb" >&2 || die "the image of $label failed (above)" 3
	# The shipped job, its images those of this kernel.
	$PY -c '
import sys, yaml
label, port = sys.argv[1], sys.argv[2]
# (the shipped job names the file server default port)
job = yaml.safe_load(open("lab/lava/job-qemu.yaml").read().replace(":8291/", ":%s/" % port))
job["job_name"] = "sctp-peeloff conformance, kernel %s (qemu x86-64)" % label
for action in job["actions"]:
    for image in (action.get("deploy") or {}).get("images", {}).values():
        image["url"] = image["url"].replace("/images/", "/images/%s/" % label)
    for d in (action.get("test") or {}).get("definitions", []):
        d["parameters"].update(p.split("=", 1) for p in sys.argv[3:])
print(yaml.safe_dump(job, sort_keys=False), end="")
' "$label" "${PST_LAVA_FILES_PORT:-8291}" "${params[@]}" >"$cache/www/images/$label/job.yaml" || die "cannot write the job of $label" 3
	job=$(lavacli jobs submit "$cache/www/images/$label/job.yaml") && [[ $job =~ ^[0-9]+$ ]] ||
		die "lavacli jobs submit failed for $label" 3
	echo "$job"
}

collect() {
	local job=$1 dir=$2 health exit_case
	lavacli jobs wait --polling 5 --timeout "$job_wait" "$job" >/dev/null 2>&1
	lavacli jobs show --yaml "$job" >"$dir/lava-job.yaml" 2>&1
	lavacli jobs logs "$job" >"$dir/lava-job.log" 2>&1
	health=$(sed -n 's/^health: *//p' "$dir/lava-job.yaml" | tr -d "'\"")
	exit_case=$(lavacli results "$job" 2>/dev/null | sed -n 's/^\* [0-9]*_sctp-peeloff\.run-sh-exit \[\(.*\)\]$/\1/p')
	if [ "$health" = Complete ] && [ -s "$cache/www/artifacts/$job/reports.tar.gz" ] &&
		tar -xzf "$cache/www/artifacts/$job/reports.tar.gz" -C "$dir"; then
		case $exit_case in
		pass) echo 0 ;;
		fail) echo 1 ;;
		*) echo 3 ;;
		esac
	else
		echo "lava-matrix: job $job: $health, no reports (its log: $dir/lava-job.log)" >&2
		echo 3
	fi
}

case ${1:-} in
submit) [ $# -ge 3 ] || die "usage: matrix.sh submit LABEL DEB [run.sh options]"; shift; submit "$@" ;;
collect) [ $# -eq 3 ] || die "usage: matrix.sh collect JOB DIR"; collect "$2" "$3" ;;
*) die "usage: matrix.sh submit LABEL DEB [options] | collect JOB DIR" ;;
esac
