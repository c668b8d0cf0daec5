#!/bin/bash
# make lava-check: the shipped LAVA job run for real by a LAVA server and
# dispatcher on this machine, its results equal to a direct run's.
#   1. lab/lava/instance.sh start: the instance up (Debian's packages), the
#      device's image built with the suite in it, Debian's current kernel;
#   2. lab/lava/job-qemu.yaml submitted as shipped, but for the part of the suite
#      it runs (SUITE, default peeled_socket: TCG is slow), and waited for: the job
#      Complete, a LAVA test set per suite and a test case per case, the reports'
#      tarball uploaded and referenced (the case "reports"); then the same for
#      KernelCI's test template (lab/kernelci/render-job.py: rendered with the
#      variables KernelCI passes, behind the same deploy and boot), and for
#      lab/lava/job-qemu-arm64.yaml (Debian's arm64 kernel, the arm64 image). The
#      first two run side by side, one on each of the instance's devices;
#   3. a kernel matrix through LAVA: ./run.sh --kernels A,B,C --lava: compare.md,
#      A's and B's jobs ran at once on the two devices, C (a kernel of zeros) is
#      an Incomplete job and "could not run", exit 3;
#   4. the same kernel and cases by ./run.sh --target qemu --kernel-deb (no LAVA),
#      and for the arm64 job by ./run.sh --target qemu --arch arm64:
#      for each job, the same verdict per case (the device's results.tsv against
#      the direct run's), and LAVA's results for each case what ktap-to-lava.sh
#      makes of the direct run's KTAP;
#   5. lab/lava/instance.sh stop: no process, database, PostgreSQL cluster or
#      file of the instance left (the cache removed too).
# Each phase's time is printed. Reports and logs under
# ${PST_CHECK_REPORTS:-build/check-reports}/lava-check. Root only.
# Exit 0 all passed, 1 a check failed, 2 missing dependency or not root.
set -u
cd "$(dirname "$0")/../.." || exit 2
suite=${SUITE:-peeled_socket}
out=${PST_CHECK_REPORTS:-build/check-reports}/lava-check
cache=${PST_LAVA_CACHE:-$HOME/.cache/pst-lava}
export PST_LAVA_CACHE=$cache
job_wait=${PST_LAVA_JOB_TIMEOUT:-1800} # seconds; the job's own timeout is 40 min
PY=/usr/bin/python3
fails=0 passes=0
ok() { echo "ok   $1"; passes=$((passes + 1)); }
bad() { echo "FAIL $1"; fails=$((fails + 1)); }
phase_start=$SECONDS
phase() {
	echo "== $1 (after $((SECONDS - phase_start)) s)"
}
[ "$(id -u)" -eq 0 ] || { echo "lava-check: needs root (lab/lava/instance.sh)" >&2; exit 2; }
harness/deps.sh lava || exit 2
rm -rf "$out" && mkdir -p "$out" || exit 2
tmp=$(mktemp -d) || exit 2
stamp=$tmp/stamp
touch "$stamp"
sleep 1 # (a file written in the same second as the stamp is not -newer)
# What of LAVA and PostgreSQL is under /etc, /var and /run before: after stop,
# nothing may have been added, and no file among them changed.
related() { find /etc /var /run \( -path '*lava*' -o -path '*postgres*' \) 2>/dev/null | sort; }
related >"$tmp/before"
stopped=0
stop_instance() {
	[ "$stopped" = 1 ] && return 0
	stopped=1
	[ -d "$cache/log" ] && cp -a "$cache/log" "$out/instance-log" 2>/dev/null
	lab/lava/instance.sh stop
}
# (the unbootable package's unpacked copy: a new one each run, in the kernel cache)
trap 'stop_instance >/dev/null 2>&1; rm -rf "$tmp" "${PST_KERNEL_CACHE:-$HOME/.cache/pst-kernel}"/deb/linux-image-pst-unbootable_*' EXIT
trap 'exit 130' INT TERM HUP

phase "1. the instance"
deb=$(harness/guests/kernel-deb.sh fetch) || { bad "cannot fetch Debian's current kernel"; exit 1; }
t=$SECONDS
if lab/lava/instance.sh start --kernel-deb "$deb" >"$out/start.log" 2>&1; then
	ok "lab/lava/instance.sh start ($((SECONDS - t)) s): $(tail -1 "$out/start.log")"
else
	bad "lab/lava/instance.sh start: $(tail -2 "$out/start.log" | paste -sd' ')"
	echo "lava-check: $passes passed, $fails failed"
	exit 1
fi
t=$SECONDS
if lab/lava/instance.sh start --kernel-deb "$deb" >"$out/start-again.log" 2>&1 && lab/lava/instance.sh status >"$out/status.log"; then
	ok "start again (idempotent, $((SECONDS - t)) s): $(paste -sd';' "$out/status.log")"
else
	bad "start again or status: $(tail -2 "$out/start-again.log" "$out/status.log" | paste -sd' ')"
fi

phase "2. the jobs ($suite)"
# The shipped job names the file server's default port: another (PST_LAVA_FILES_PORT) put in.
shipped=$tmp/job-qemu.yaml shipped_arm64=$tmp/job-qemu-arm64.yaml
sed "s#:8291/#:${PST_LAVA_FILES_PORT:-8291}/#g" lab/lava/job-qemu.yaml >"$shipped"
sed "s#:8291/#:${PST_LAVA_FILES_PORT:-8291}/#g" lab/lava/job-qemu-arm64.yaml >"$shipped_arm64"
# job_times SHOW.yaml: "on DEVICE, START to END" of a job (lavacli jobs show --yaml).
job_times() {
	$PY -c 'import sys, yaml
j = yaml.safe_load(open(sys.argv[1]))
print("on %s, %s to %s" % (j.get("device"), j.get("start_time"), j.get("end_time")))' "$1"
}
# submit_job LABEL FILE: submit FILE; its id into $out/LABEL/job.
submit_job() {
	local label=$1 file=$2 d=$out/$1 job
	mkdir -p "$d/device"
	job=$(lab/lava/instance.sh lavacli jobs submit "$file" 2>"$d/submit.err")
	if [[ $job =~ ^[0-9]+$ ]]; then
		ok "$label: submitted $file: job $job"
		echo "$job" >"$d/job"
	else
		bad "$label: lavacli jobs submit $file: $(cat "$d/submit.err")"
	fi
}
# collect_job LABEL: wait for its job, check that it completed with its reports;
# its results in $out/LABEL/ (lava-cases.tsv: set, case, result; device/: the reports).
collect_job() {
	local label=$1 d=$out/$1 job health c tarball
	job=$(cat "$d/job" 2>/dev/null) || return 1
	lab/lava/instance.sh lavacli jobs wait --polling 5 --timeout "$job_wait" "$job" >"$d/wait.log" 2>&1
	lab/lava/instance.sh lavacli jobs show --yaml "$job" >"$d/job-show.yaml" 2>&1
	lab/lava/instance.sh lavacli jobs logs "$job" >"$d/job.log" 2>&1
	health=$(sed -n 's/^health: *//p' "$d/job-show.yaml" | tr -d "'\"")
	if [ "$health" = Complete ]; then
		ok "$label: job $job Complete ($(job_times "$d/job-show.yaml"))"
	else
		bad "$label: job $job: expected health Complete, got '$health' ($d/job.log: $(grep -m1 -E 'error_msg|timed out' "$d/job.log" | cut -c1-200))"
	fi
	lab/lava/instance.sh lavacli results --yaml "$job" >"$d/lava-results.yaml" 2>&1
	# LAVA's results of the test definition (not its own suite "lava"): "set<TAB>case<TAB>result".
	$PY -c '
import sys, yaml
for r in yaml.safe_load(open(sys.argv[1])) or []:
    if r.get("suite", "") != "lava":
        meta = r.get("metadata") if isinstance(r.get("metadata"), dict) else {}
        print("%s\t%s\t%s" % (meta.get("set") or "", r["name"], r["result"]))
' "$d/lava-results.yaml" >"$d/lava-cases.tsv"
	for c in run-sh-exit reports; do
		if grep -q -P "^\t$c\tpass$" "$d/lava-cases.tsv"; then
			ok "$label: the case '$c' passed"
		else
			bad "$label: the case '$c': expected pass, got '$(grep -P "^\t$c\t" "$d/lava-cases.tsv" | cut -f3)'"
		fi
	done
	tarball=$cache/www/artifacts/$job/reports.tar.gz
	if [ -s "$tarball" ] && tar -xzf "$tarball" -C "$d/device"; then
		ok "$label: the device's reports, uploaded: $(ls "$d/device" | paste -sd' ')"
	else
		bad "$label: no reports tarball at $tarball"
	fi
}
# The shipped job, its test's SUITE set: the rest as a lab would submit it.
$PY -c '
import sys, yaml
job = yaml.safe_load(open(sys.argv[2]))
test = [a["test"] for a in job["actions"] if "test" in a][0]
test["definitions"][0]["parameters"]["SUITE"] = sys.argv[1]
print(yaml.safe_dump(job, sort_keys=False))
' "$suite" "$shipped" >"$out/job.yaml" || bad "cannot write the job"
submit_job shipped "$out/job.yaml"
# KernelCI's test template, rendered with the variables KernelCI passes, behind
# the same device's deploy and boot; the repository and the upload URL the shipped job's.
read -r repo upload < <($PY -c '
import sys, yaml
job = yaml.safe_load(open(sys.argv[1]))
d = [a["test"] for a in job["actions"] if "test" in a][0]["definitions"][0]
print(d["repository"], d["parameters"]["UPLOAD"])' "$shipped")
if lab/kernelci/render-job.py "$shipped" "repository=$repo" "suite=$suite" jobs=1 \
	suite_dir=/opt/sctp-peeloff "upload=$upload" >"$out/kernelci-job.yaml" 2>"$out/render.err"; then
	submit_job kernelci "$out/kernelci-job.yaml"
else
	bad "lab/kernelci/render-job.py: $(cat "$out/render.err")"
fi
# The arm64 job (queued behind the two: a device takes it when one is free).
$PY -c '
import sys, yaml
job = yaml.safe_load(open(sys.argv[2]))
test = [a["test"] for a in job["actions"] if "test" in a][0]
test["definitions"][0]["parameters"]["SUITE"] = sys.argv[1]
print(yaml.safe_dump(job, sort_keys=False))
' "$suite" "$shipped_arm64" >"$out/job-arm64.yaml" || bad "cannot write the arm64 job"
submit_job arm64 "$out/job-arm64.yaml"
# (the first two side by side, one on each device)
collect_job shipped
collect_job kernelci
collect_job arm64

phase "3. a kernel matrix through LAVA (./run.sh --kernels ... --lava)"
# Two entries of the same kernel (one is in the cache; a lab's matrix names several):
# two jobs, one on each device, at once; and a kernel package that cannot boot
# (its vmlinuz zeros, its modules the real ones the image needs): its job ends
# Incomplete, which is that kernel's "could not run", not the matrix's end.
# compare.md as a local matrix writes it; exit 3 (a kernel could not run).
broken=$tmp/broken
release=$(basename "$(harness/guests/kernel-deb.sh unpack "$deb" | head -1)")
release=${release#vmlinuz-}
modules=$(harness/guests/kernel-deb.sh unpack "$deb" | sed -n 2p)
mkdir -p "$broken/DEBIAN" "$broken/boot" "$broken/lib/modules/$release"
head -c 1048576 /dev/zero >"$broken/boot/vmlinuz-$release"
modprobe -a -d "${modules%/lib/modules/*}" -S "$release" --show-depends virtio_pci 9pnet_virtio 9p sctp veth 2>/dev/null |
	sed -n 's/^insmod \([^ ]*\).*/\1/p' | while read -r m; do
	mkdir -p "$broken/lib/modules/$release/$(dirname "${m#"$modules"/}")" && cp "$m" "$broken/lib/modules/$release/${m#"$modules"/}"
done
# (what a kernel package ships beside its modules: the built-in list among them)
cp "$modules"/modules.builtin "$modules"/modules.builtin.modinfo "$modules"/modules.order "$broken/lib/modules/$release/"
printf 'Package: linux-image-pst-unbootable\nVersion: 1\nArchitecture: amd64\nMaintainer: pst <pst@localhost>\nDescription: %s\n' \
	"a kernel image of zeros" >"$broken/DEBIAN/control"
dpkg-deb --root-owner-group -Zgzip --build "$broken" "$tmp/unbootable.deb" >/dev/null || bad "cannot build the unbootable package"
t=$SECONDS
./run.sh --kernels "a=qemu-deb:$deb,b=qemu-deb:$deb,unbootable=qemu-deb:$tmp/unbootable.deb" --lava --suite "$suite" \
	--reports "$out/matrix" >"$out/matrix.log" 2>&1
st=$?
if [ "$st" -eq 3 ] && [ -s "$out/matrix/compare.md" ] && grep -q '^compare: 3 kernels' "$out/matrix.log"; then
	ok "the matrix: exit 3 (a kernel could not run), $(grep '^compare: ' "$out/matrix.log" | cut -d: -f2 | sed 's/^ //') ($((SECONDS - t)) s)"
else
	bad "the matrix through LAVA: expected exit 3 and compare.md, got exit $st, $(tail -2 "$out/matrix.log" | paste -sd' ') ($out/matrix.log)"
fi
for k in 1-a 2-b; do
	grep -q "^- \`$k\` (.*): completed, every case passed" "$out/matrix/compare.md" 2>/dev/null &&
		ok "compare.md: $k completed, every case passed" || bad "compare.md: $k did not complete and pass"
done
if grep -q '^- `3-unbootable` (.*): could not run' "$out/matrix/compare.md" 2>/dev/null &&
	grep -q '^health: Incomplete' "$out/matrix/kernels/3-unbootable/lava-job.yaml"; then
	ok "the unbootable kernel's job: Incomplete; compare.md: 3-unbootable could not run"
else
	bad "the unbootable kernel: expected an Incomplete job and 'could not run' in compare.md ($out/matrix/kernels/3-unbootable/)"
fi
windows=$($PY -c 'import sys, yaml
jobs = [yaml.safe_load(open(f)) for f in sys.argv[1:]]
print(" ".join("%s %s %s" % (j.get("device"), j.get("start_time"), j.get("end_time")) for j in jobs))' \
	"$out"/matrix/kernels/[12]-*/lava-job.yaml 2>/dev/null)
read -r dev1 start1 end1 dev2 start2 end2 <<<"$windows"
if [ -n "${end2:-}" ] && [ "$dev1" != "$dev2" ] && [[ $start2 < $end1 && $start1 < $end2 ]]; then
	ok "the matrix's two jobs ran at once: $dev1 $start1 to $end1, $dev2 $start2 to $end2"
else
	bad "the matrix's two jobs: expected two devices at once, got '$windows'"
fi

phase "4. the same kernel and cases without LAVA (./run.sh --target qemu)"
t=$SECONDS
./run.sh --target qemu --kernel-deb "$deb" --suite "$suite" --reports "$out/direct" >"$out/direct.log" 2>&1
st=$?
[ "$st" -eq 0 ] && ok "./run.sh --target qemu --kernel-deb $(basename "$deb") --suite $suite: exit 0 ($((SECONDS - t)) s)" ||
	bad "./run.sh --target qemu ... --suite $suite: exit $st ($out/direct.log)"
t=$SECONDS
./run.sh --target qemu --arch arm64 --suite "$suite" --reports "$out/direct-arm64" >"$out/direct-arm64.log" 2>&1
st=$?
[ "$st" -eq 0 ] && ok "./run.sh --target qemu --arch arm64 --suite $suite: exit 0 ($((SECONDS - t)) s)" ||
	bad "./run.sh --target qemu --arch arm64 --suite $suite: exit $st ($out/direct-arm64.log)"
# The verdict per case, by name: each job's device against the direct run.
verdicts() { [ -r "$1" ] && awk -F'\t' 'NR > 1 { print $2 "\t" $3 }' "$1" | sort; }
# What a direct run's KTAP gives through ktap-to-lava.sh: "set<TAB>case<TAB>result".
lava_of() {
	dash lab/lava/ktap-to-lava.sh --dry-run "$1" 2>/dev/null | awk '
		/^lava-test-set start / { set = $3 } /^lava-test-set stop/ { set = "" }
		/^lava-test-case / { print set "\t" $2 "\t" $4 }' | sort
}
for direct in direct direct-arm64; do
	verdicts "$out/$direct/results.tsv" >"$out/$direct-verdicts.tsv"
	lava_of "$out/$direct/results.ktap" >"$out/$direct-lava.tsv"
done
for label in shipped kernelci arm64; do
	d=$out/$label direct=direct
	[ "$label" = arm64 ] && direct=direct-arm64
	[ -d "$d" ] || continue
	verdicts "$d/device/results.tsv" >"$d/device-verdicts.tsv"
	n=$(wc -l <"$out/$direct-verdicts.tsv")
	if [ "$n" -gt 0 ] && cmp -s "$d/device-verdicts.tsv" "$out/$direct-verdicts.tsv"; then
		ok "$label: the same verdict for each of the $n cases on the device (LAVA) and in the direct run ($direct): $(cut -f2 "$out/$direct-verdicts.tsv" | sort | uniq -c | awk '{printf "%s%s %s", s, $1, $2; s=", "}')"
	else
		bad "$label: verdicts differ (device < > $direct):"
		diff "$d/device-verdicts.tsv" "$out/$direct-verdicts.tsv" | head -n 20 | sed 's/^/     /'
	fi
	grep -v -P '^\t(reports|run-sh-exit)\t' "$d/lava-cases.tsv" | sort >"$d/lava-cases-only.tsv"
	n=$(wc -l <"$out/$direct-lava.tsv")
	if [ "$n" -gt 0 ] && cmp -s "$d/lava-cases-only.tsv" "$out/$direct-lava.tsv"; then
		ok "$label: LAVA stored $n test cases in $(cut -f1 "$out/$direct-lava.tsv" | sort -u | wc -l) test set(s), each with the result the direct run's KTAP maps to"
	else
		bad "$label: LAVA's test cases differ from the direct run's KTAP through ktap-to-lava.sh (LAVA < > $direct):"
		diff "$d/lava-cases-only.tsv" "$out/$direct-lava.tsv" | head -n 20 | sed 's/^/     /'
	fi
done

for d in "$out"/matrix/kernels/[12]-*/; do
	[ -d "$d" ] || continue
	if verdicts "$d/results.tsv" | cmp -s - "$out/direct-verdicts.tsv"; then
		ok "matrix $(basename "$d"): the same verdict for each case as the direct run"
	else
		bad "matrix $(basename "$d"): verdicts differ from the direct run's ($d/results.tsv)"
	fi
done

phase "5. the instance stopped"
t=$SECONDS
if stop_instance >"$out/stop.log" 2>&1; then
	ok "lab/lava/instance.sh stop ($((SECONDS - t)) s)"
else
	bad "lab/lava/instance.sh stop: $(tail -2 "$out/stop.log" | paste -sd' ')"
fi
left=()
# (pgrep -f matches itself through no shell here: it is not a pattern in its own argv)
procs=$(pgrep -a -f 'lava-server|lava-worker|lava-run|gunicorn|lava/file-server.py|postgres.*pst-lava|pst-lava/www' |
	grep -v -e "^$$ " -e pgrep)
[ -z "$procs" ] || left+=("processes: $(echo "$procs" | cut -c1-120 | paste -sd';')")
pg_lsclusters -h 2>/dev/null | grep -q ' pst-lava ' && left+=("the PostgreSQL cluster pst-lava")
[ -e "$cache" ] && left+=("$cache")
files=$(
	related | comm -13 "$tmp/before" -
	find /etc /var /run \( -path '*lava*' -o -path '*postgres*' \) ! -type d -newer "$stamp" 2>/dev/null
)
[ -z "$files" ] || left+=("files: $(echo "$files" | head -n 5 | paste -sd' ')")
for p in "${PST_LAVA_PORT:-8290}" "${PST_LAVA_FILES_PORT:-8291}" "${PST_LAVA_PG_PORT:-5490}"; do
	(echo >"/dev/tcp/127.0.0.1/$p") 2>/dev/null && left+=("a listener on port $p")
done
if [ ${#left[@]} -eq 0 ]; then
	ok "nothing of the instance left: no process, cluster, cache, listener, nor a file of LAVA or PostgreSQL under /etc /var /run added or changed"
else
	bad "left after stop: ${left[*]}"
fi
st=0
lab/lava/instance.sh stop >"$out/stop-again.log" 2>&1 || st=$?
[ "$st" -eq 0 ] && ok "stop again (idempotent): exit 0" || bad "stop again: exit $st: $(tail -1 "$out/stop-again.log")"

echo "lava-check: $((SECONDS - phase_start)) s in all"
echo "lava-check: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
