#!/bin/bash
# The top-level reports of a --kernels run, from each kernel's own run:
#   harness/multirun/merge.sh OUTDIR LABEL SPEC STATUS DIR [LABEL SPEC STATUS DIR...]
# (the arguments of pst-compare kernels: DIR holds that kernel's reports, STATUS
# is its run.sh exit status) writes, each atomically (temporary file + rename):
#   OUTDIR/junit.xml    one <testsuite> per kernel, named by its LABEL (and the
#                       properties kernel_label, kernel_spec, run_status beside the
#                       run's own), holding every case of that kernel's junit.xml,
#                       classname LABEL/SUITE; a kernel that could not run (no
#                       junit.xml) is one case, LABEL/kernel run, in error
#   OUTDIR/results.tsv  results.tsv with a first column, kernel: every kernel's rows
#                       (a kernel that could not run: one ERROR row, kernel/run)
# so that CI reading OUTDIR/junit.xml sees every kernel's failures. Exit 0, or 3
# (one message).
set -u
die() { echo "run.sh: $1" >&2; exit 3; }
[ $# -ge 5 ] && [ $((($# - 1) % 4)) -eq 0 ] || die "usage: merge.sh OUTDIR LABEL SPEC STATUS DIR..."
out=$1
shift
junit=$out/junit.xml results=$out/results.tsv
body=$junit.tmp.$$ tsv=$results.tmp.$$
trap 'rm -f "$body" "$body.all" "$tsv"' EXIT
trap 'exit 130' INT TERM HUP
: >"$body" || die "cannot write $body"
printf 'kernel\tsuite\tcase\tverdict\tmessage\ttags\n' >"$tsv" || die "cannot write $tsv"

xml_escape() { sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g' -e 's/"/\&quot;/g' <<<"$1"; }

totals=(0 0 0 0) # tests failures errors milliseconds
id=0
while [ $# -gt 0 ]; do
	label=$1 spec=$(xml_escape "$2") status=$3 dir=$4
	shift 4
	if [ -f "$dir/junit.xml" ] && [ -f "$dir/results.tsv" ]; then
		# Pass 1 (the file's first reading): the sums of its suites and the first
		# suite's properties; pass 2: every case, its classname under the label.
		sums=$(awk -v label="$label" -v spec="$spec" -v status="$status" -v id="$id" -v body="$body" '
			function attr(name,   m) {
				if (match($0, " " name "=\"[^\"]*\"")) {
					m = substr($0, RSTART + length(name) + 3, RLENGTH - length(name) - 4)
					return m
				}
				return ""
			}
			FNR == NR {
				# (the time of the run: its wall time; its suites overlap under --jobs)
				if ($0 ~ /^<testsuites /) {
					split(attr("time"), tm, "."); wall = tm[1] * 1000 + tm[2]; walled = 1
				} else if ($0 ~ /^  <testsuite /) {
					t += attr("tests"); f += attr("failures"); e += attr("errors")
					s += attr("skipped"); split(attr("time"), tm, "."); ms += tm[1] * 1000 + tm[2]
					if (nsuites++ == 0) { stamp = attr("timestamp"); host = attr("hostname") }
				} else if (nsuites == 1 && $0 ~ /^      <property /) {
					props = props $0 "\n"
				}
				next
			}
			FNR == 1 {
				if (walled) ms = wall
				printf "  <testsuite name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"%d\" time=\"%d.%03d\"", label, t, f, e, s, int(ms / 1000), ms % 1000 >> body
				if (stamp != "") printf " timestamp=\"%s\"", stamp >> body
				if (host != "") printf " hostname=\"%s\"", host >> body
				printf " id=\"%d\">\n    <properties>\n", id >> body
				printf "      <property name=\"kernel_label\" value=\"%s\"/>\n", label >> body
				printf "      <property name=\"kernel_spec\" value=\"%s\"/>\n", spec >> body
				printf "      <property name=\"run_status\" value=\"%s\"/>\n", status >> body
				printf "%s    </properties>\n", props >> body
			}
			/^(<\?xml |<testsuites |<\/testsuites>|  <testsuite |  <\/testsuite>)/ { next }
			/^    <properties>/ { inprops = 1; next }
			inprops { if ($0 ~ /^    <\/properties>/) inprops = 0; next }
			/^    <testcase classname="/ { sub(/classname="/, "classname=\"" label "/") }
			{ print >> body }
			END { print t, f, e, ms }
		' "$dir/junit.xml" "$dir/junit.xml") || die "cannot read $dir/junit.xml"
		read -r t f e ms <<<"$sums"
		[ "${t:-0}" -gt 0 ] || die "$dir/junit.xml holds no case"
		awk -v label="$label" 'NR > 1 { print label "\t" $0 }' "$dir/results.tsv" >>"$tsv" ||
			die "cannot read $dir/results.tsv"
	else
		why="the kernel could not run: run.sh exit $status, no junit.xml (see $dir/run.log)"
		{
			printf '  <testsuite name="%s" tests="1" failures="0" errors="1" skipped="0" time="0.000" id="%d">\n' "$label" "$id"
			printf '    <properties>\n'
			printf '      <property name="kernel_label" value="%s"/>\n' "$label"
			printf '      <property name="kernel_spec" value="%s"/>\n' "$spec"
			printf '      <property name="run_status" value="%s"/>\n' "$status"
			printf '    </properties>\n'
			printf '    <testcase classname="%s/kernel" name="run" time="0.000">\n' "$label"
			printf '      <error type="ERROR" message="%s"/>\n' "$(xml_escape "$why")"
			printf '    </testcase>\n'
		} >>"$body"
		printf '%s\tkernel\trun\tERROR\t%s\t\n' "$label" "$why" >>"$tsv"
		t=1 f=0 e=1 ms=0
	fi
	printf '  </testsuite>\n' >>"$body"
	totals=($((totals[0] + t)) $((totals[1] + f)) $((totals[2] + e)) $((totals[3] + ms)))
	id=$((id + 1))
done
{
	printf '<?xml version="1.0" encoding="UTF-8"?>\n'
	printf '<testsuites tests="%d" failures="%d" errors="%d" time="%d.%03d">\n' "${totals[0]}" "${totals[1]}" \
		"${totals[2]}" $((totals[3] / 1000)) $((totals[3] % 1000))
	cat "$body"
	printf '</testsuites>\n'
} >"$body.all" && mv -f "$body.all" "$junit" || die "cannot write $junit"
mv -f "$tsv" "$results" || die "cannot write $results"
echo "report: $junit ($id kernels, ${totals[0]} cases), $results"
