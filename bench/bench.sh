#!/bin/bash
# make bench: what the suite costs, measured (never asserted in a test), all in
# one run so that ratios hold on a noisy machine:
#   the bare UML boot (boot, run nothing, power off), as the launcher boots it and
#   with the stock kernel command line (PST_UML_STOCK_BOOT=1: the work the launcher's
#   parameters skip); topology setup + teardown;
#   harness overhead per case (a case that does nothing: topology, fork,
#   supervision, leak and reuse checks), with where it goes (PST_STEP_TIMES);
#   the whole suite serial, with --jobs 2 and with --jobs auto, wall time
#   including the boot; suite wall / bare boot; the ten slowest cases.
# Results: reports/bench.json.
set -u
cd "$(dirname "$0")/.." || exit 2
reps=${PST_BENCH_BOOTS:-5}
out=reports/bench.json
b=reports/bench
mkdir -p "$b"
now() { date +%s%N; }
ms() { echo $((($2 - $1) / 1000000)); }

# 1. UML boot to power-off, running nothing: as the launcher boots it, and with
#    the stock command line, taken in turn (the VM's speed drifts).
total=0 total_stock=0
boot() { # the mean's running total in ms, into the variable named $1
	local t0 t1
	t0=$(now)
	harness/guests/uml-run.sh --deadline 120 --console "$b/boot-console.log" -- /bin/true || exit 3
	t1=$(now)
	eval "$1=\$(($1 + $(ms "$t0" "$t1")))"
}
for _ in $(seq 1 "$reps"); do
	boot total
	PST_UML_STOCK_BOOT=1 boot total_stock
done
boot_ms=$((total / reps))
boot_stock_ms=$((total_stock / reps))
echo "UML boot + power-off: ${boot_ms} ms; with the stock kernel command line: ${boot_stock_ms} ms (means of $reps)"

# 2. Topology setup + teardown, in-process, inside UML.
harness/guests/uml-run.sh --deadline 300 --console "$b/topology-console.log" -- \
	build/bench_topology -n 100 -o "$b/topology.json" || exit 3
topology=$(sed -n 's/.*"topology_setup_teardown_ms": \(.*\)}$/\1/p' "$b/topology.json")

# 3. Harness overhead per case: a case that does nothing, 100 times (topology,
#    fork, supervision, checks), and the median of each step and of the page
#    faults (the runner's per case, the case process's). The overhead is what
#    each case's record says; the wall cost per case also counts the runner's
#    work between cases: the difference between 100 and 20 repetitions.
t0=$(now)
PST_STEP_TIMES=1 ./run.sh --selftest --case selftest_pass_is_PASS --repeat 100 \
	--reports "$b/overhead" >"$b/overhead.log" 2>&1
t1=$(now)
./run.sh --selftest --case selftest_pass_is_PASS --repeat 20 --reports "$b/overhead20" \
	>"$b/overhead20.log" 2>&1
t2=$(now)
per_case_wall=$(awk -v a=$(((t1 - t0) - (t2 - t1))) 'BEGIN { printf "%.1f", a / 80 / 1e6 }')
# medians PREFIX: the median of each name=value of the log's "PREFIX: ..." lines, as JSON members
medians() {
	tr -d '\r' <"$b/overhead.log" | sed -n "s/^$1: //p" | tr ' ' '\n' | awk -F= 'NF == 2 { print $1, $2 }' |
		sort -k1,1 -k2,2g | awk '{ v[$1, ++n[$1]] = $2; if (!($1 in o)) { o[$1] = ++k; name[k] = $1 } }
	END { for (i = 1; i <= k; i++) { s = name[i]; printf "%s\"%s\": %s", (i > 1 ? ", " : ""), s, v[s, int((n[s] + 1) / 2)] } }'
}
faults=$(medians faults)
overhead=$(tr -d '\r' <"$b/overhead.log" |
	awk '$1 == "PASS" { sub("s", "", $2); s += $2; n++ } END { if (n) printf "%.1f", s * 1000 / n; else print "null" }')
steps=$(medians steps)
reused=$(grep -c 'topology reused' "$b/overhead.log")
echo "harness overhead per case: ${overhead} ms (median steps: $steps; topology reused $reused of 100)"
echo "wall cost per case, the runner's work between cases included: ${per_case_wall} ms; median page faults: $faults"

# 4. The whole suite, wall time including the boot: serial, --jobs 2, --jobs auto.
suite() { # NAME ARGS...: wall ms and exit status into NAME_ms, NAME_status
	local name=$1 t0 t1
	shift
	t0=$(now)
	./run.sh "$@" --reports "$b/$name" >"$b/$name.log" 2>&1
	eval "${name}_status=$?"
	t1=$(now)
	eval "${name}_ms=$(ms "$t0" "$t1")"
}
ncases=$(./run.sh --list | wc -l)
suite serial
echo "whole suite: ${ncases} cases in ${serial_ms} ms wall (exit ${serial_status})"
suite jobs2 --jobs 2
echo "whole suite, --jobs 2: ${jobs2_ms} ms wall (exit ${jobs2_status})"
suite jobsauto --jobs auto
echo "whole suite, --jobs auto ($(nproc)): ${jobsauto_ms} ms wall (exit ${jobsauto_status})"
same=true
for r in jobs2 jobsauto; do
	cmp -s <(cut -f1-3 "$b/serial/results.tsv") <(cut -f1-3 "$b/$r/results.tsv") || same=false
done
echo "verdicts of --jobs 2 and --jobs auto equal the serial run's: $same"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# 5. The ten slowest cases of the serial run.
slowest=$(tr -d '\r' <"$b/serial.log" |
	awk '$1 ~ /^(PASS|FAIL|SKIP|XFAIL|XPASS|BROKEN|ERROR)$/ && $2 ~ /s$/ { sub("s$", "", $2); print $2, $3 }' |
	sort -k1,1gr | head -10 |
	awk '{ printf "%s{\"case\": \"%s\", \"seconds\": %s}", (NR > 1 ? ", " : ""), $2, $1 }')

cat >"$out" <<JSON
{
  "uml_boot_ms": $boot_ms,
  "uml_boot_stock_command_line_ms": $boot_stock_ms,
  "topology_setup_teardown_ms": $topology,
  "harness_overhead_per_case_ms": $overhead,
  "harness_overhead_median_steps_ms": {$steps},
  "overhead_topology_reused": $reused,
  "wall_per_case_ms": $per_case_wall,
  "overhead_median_page_faults": {$faults},
  "suite": {"cases": $ncases, "wall_ms": $serial_ms, "exit": $serial_status, "jobs": 1},
  "suite_jobs2": {"wall_ms": $jobs2_ms, "exit": $jobs2_status, "jobs": 2, "of_serial": $(ratio "$jobs2_ms" "$serial_ms")},
  "suite_jobs_auto": {"wall_ms": $jobsauto_ms, "exit": $jobsauto_status, "jobs": $(nproc), "of_serial": $(ratio "$jobsauto_ms" "$serial_ms")},
  "jobs_verdicts_equal_serial": $same,
  "suite_wall_over_boot": {"serial": $(ratio "$serial_ms" "$boot_ms"), "jobs2": $(ratio "$jobs2_ms" "$boot_ms"), "jobs_auto": $(ratio "$jobsauto_ms" "$boot_ms")},
  "suite_wall_over_stock_boot": {"serial": $(ratio "$serial_ms" "$boot_stock_ms"), "jobs2": $(ratio "$jobs2_ms" "$boot_stock_ms"), "jobs_auto": $(ratio "$jobsauto_ms" "$boot_stock_ms")},
  "slowest_cases": [$slowest],
  "machine": {"cores": $(nproc), "kernel": "$(uname -r)", "load_average": "$(cut -d' ' -f1-3 /proc/loadavg)"}
}
JSON
cat "$out"
