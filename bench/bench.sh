#!/bin/bash
# make bench: what the suite costs, measured (never asserted in a test).
#   UML boot and power-off; topology setup + teardown per case (in UML);
#   per-case harness overhead (a case that does nothing); the whole suite's
#   wall time including the boot. Results: reports/bench.json.
set -u
cd "$(dirname "$0")/.." || exit 2
reps=${PST_BENCH_BOOTS:-5}
out=reports/bench.json
mkdir -p reports/bench
now() { date +%s%N; }
ms() { echo $((($2 - $1) / 1000000)); }

# 1. UML boot to power-off, running nothing.
total=0
for _ in $(seq 1 "$reps"); do
	t0=$(now)
	harness/guests/uml-run.sh --deadline 120 --console reports/bench/boot-console.log -- /bin/true || exit 3
	t1=$(now)
	total=$((total + $(ms "$t0" "$t1")))
done
boot_ms=$((total / reps))
echo "UML boot + power-off: ${boot_ms} ms (mean of $reps)"

# 2. Topology setup + teardown, in-process, inside UML.
harness/guests/uml-run.sh --deadline 300 --console reports/bench/topology-console.log -- \
	build/bench_topology -n 100 -o reports/bench/topology.json || exit 3
topology=$(cat reports/bench/topology.json)

# 3. Harness overhead per case: a case that does nothing, 100 times (topology,
#    fork, supervision, reports included).
./run.sh --selftest --case selftest_pass_is_PASS --repeat 100 --reports reports/bench/overhead \
	>reports/bench/overhead.log 2>&1
overhead=$(tr -d '\r' <reports/bench/overhead.log |
	awk '$1 == "PASS" { sub("s", "", $2); s += $2; n++ } END { if (n) printf "%.1f", s * 1000 / n; else print "null" }')
echo "harness overhead per case: ${overhead} ms"

# 4. The whole suite, wall time including the boot.
t0=$(now)
./run.sh --reports reports/bench/suite >reports/bench/suite.log 2>&1
suite_status=$?
t1=$(now)
suite_ms=$(ms "$t0" "$t1")
ncases=$(./run.sh --list | wc -l)
echo "whole suite: ${ncases} cases in ${suite_ms} ms wall (exit ${suite_status})"
t0=$(now)
./run.sh --jobs 2 --reports reports/bench/suite-jobs2 >reports/bench/suite-jobs2.log 2>&1
jobs2_status=$?
t1=$(now)
jobs2_ms=$(ms "$t0" "$t1")
echo "whole suite, --jobs 2: ${jobs2_ms} ms wall (exit ${jobs2_status})"

cat >"$out" <<JSON
{
  "uml_boot_ms": $boot_ms,
  "topology_setup_teardown_ms": $(echo "$topology" | sed -n 's/.*"topology_setup_teardown_ms": \(.*\)}$/\1/p'),
  "harness_overhead_per_case_ms": $overhead,
  "suite": {"cases": $ncases, "wall_ms": $suite_ms, "exit": $suite_status, "jobs": 1},
  "suite_jobs2": {"cases": $ncases, "wall_ms": $jobs2_ms, "exit": $jobs2_status, "jobs": 2},
  "machine": {"cores": $(nproc), "kernel": "$(uname -r)"}
}
JSON
cat "$out"
