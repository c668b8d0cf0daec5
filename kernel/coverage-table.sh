#!/bin/bash
# The per-function table of kernel/coverage.sh, from an lcov tracefile: lines and
# branches hit/total of the peeloff functions, and each line or branch not
# reached with its reason from kernel/unreachable.tsv.
#   kernel/coverage-table.sh INFO TREE REPORTS [SUITE_STATUS [KERNEL]]
# INFO: the lcov tracefile (branch coverage on); TREE: the kernel source tree it
# was built from; REPORTS: where kernel-coverage-functions.md, .json and .tsv go.
# Prints the table. Exit status: 0; 1 a line or branch of a gated function (the
# four peeloff functions) is not reached and has no reason (each is named), or
# a function is missing from the source; 3 the table could not be made.
# A reason that matches nothing reached is stale: named, not a failure.
# PST_KERNEL_UNREACHABLE names another reasons file (tests/kcov_table_check.sh).
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
functions=(sctp_do_peeloff sctp_getsockopt_peeloff_common sctp_getsockopt_peeloff
	sctp_getsockopt_peeloff_flags sctp_sock_migrate)
# The functions whose every line and branch must be reached or explained.
gated=(sctp_do_peeloff sctp_getsockopt_peeloff_common sctp_getsockopt_peeloff
	sctp_getsockopt_peeloff_flags)
source_file=net/sctp/socket.c
reasons=${PST_KERNEL_UNREACHABLE:-$here/unreachable.tsv}

die() { echo "kernel/coverage-table.sh: $1" >&2; exit "${2:-3}"; }
[ $# -ge 3 ] || die "usage: $0 INFO TREE REPORTS [SUITE_STATUS [KERNEL]]" 2
info=$1 tree=$2 reports=$3 status=${4:-0} linux=${5:-$2}
[ -f "$info" ] || die "$info: no such tracefile" 2
[ -f "$tree/$source_file" ] || die "$tree/$source_file: no such file" 2
[ -f "$reasons" ] || die "$reasons: no such file" 2

# ---- the per-function table ----
# Each function's line span comes from the source: from its definition line
# (a prototype ends in ';' and is skipped) to the '}' that closes its body.
spans=$reports/kernel-coverage-spans.txt
trap 'rm -f "$spans"' EXIT
awk -v names="${functions[*]}" '
BEGIN { n = split(names, list, " "); for (i = 1; i <= n; i++) wanted[list[i]] = 1 }
state == 0 {
	for (f in wanted)
		if (!(f in done) && $0 ~ ("^[a-z].*[ *]" f "\\(")) { cand = f; first = NR; state = 1; break }
}
state == 1 && /;[ \t]*$/ { state = 0 }
state == 1 && $0 == "{" { state = 2; next }
state == 2 && $0 == "}" { print cand, first, NR; done[cand] = 1; state = 0 }
' "$tree/$source_file" >"$spans"

# From the .info records within each span: DA (line, count), BRDA (line, block,
# branch, taken: "-" when its block never ran), FNDA (calls, name). Each line or
# branch not reached is looked up in kernel/unreachable.tsv (function, what,
# source line trimmed): the reason goes into the report; a gap of a gated
# function without one goes to $unexplained, a row that matched no gap to $stale.
md=$reports/kernel-coverage-functions.md
json=$reports/kernel-coverage-functions.json
table=$reports/kernel-coverage-functions.tsv
unexplained=$reports/kernel-coverage-unexplained.txt
stale=$reports/kernel-coverage-stale.txt
awk -v suffix="/$source_file" -v md="$md" -v json="$json" -v table="$table" -v kernel="$linux" \
	-v when="$(date -u +%FT%TZ)" -v status="$status" -v order="${functions[*]}" \
	-v gated="${gated[*]}" -v unexplained="$unexplained" -v stale="$stale" -v reasons_file="$reasons" \
	-v rname="kernel/$(basename "$reasons")" '
function pct(h, t) { return t ? sprintf("%.1f %%", 100 * h / t) : "-" }
function trim(s) { gsub(/^[ \t]+|[ \t]+$/, "", s); return s }
function jstr(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); gsub(/\t/, "\\t", s); return "\"" s "\"" }
# One gap: its report line, with the reason or the lack of one.
function gap(f, line, what, desc,    key, r) {
	key = f "\t" what "\t" trim(text[line])
	r = (key in reason) ? reason[key] : ""
	if (key in reason) used[key] = 1
	else if (f in gate) { printf "%s, line %d (%s): %s\n", f, line, what, trim(text[line]) >unexplained; nunexplained++ }
	printf "- line %d, %s: `%s`\n  - %s\n", line, desc, text[line], (r != "" ? "unreachable: " r : (f in gate ? "**no reason in " rname "**" : "not reached (no reason recorded)")) >md
	gaps_json = gaps_json sprintf("%s{\"line\": %d, \"what\": %s, \"reason\": %s}", (ngj++ ? ", " : ""), line, jstr(what), (r != "" ? jstr(r) : "null"))
}
BEGIN {
	split(gated, g, " "); for (i in g) gate[g[i]] = 1
	printf "" >unexplained
	printf "" >stale
}
FNR == 1 { file++ }
file == 1 { text[FNR] = $0; next }
# Every per-function value is set here, before any record is read: gawk 5.2.1
# (Debian 12, the awk once a package pulls it in) aborted on this program with a
# double free when a function had no DA or BRDA record, its elements first used
# untyped in END (tests/kcov_table_check.sh); mawk never did.
file == 2 {
	f = $1; first[f] = $2; last[f] = $3
	lh[f] = lt[f] = bh[f] = bt[f] = calls[f] = 0; mline[f] = mbr[f] = ""
	next
}
file == 3 {
	if ($0 ~ /^#/ || $0 ~ /^[ \t]*$/) next
	n = split($0, r, "\t")
	if (n != 4) { printf "%s:%d: expected 4 tab-separated fields, got %d\n", reasons_file, FNR, n >"/dev/stderr"; bad = 1; exit 2 }
	k = r[1] "\t" r[2] "\t" trim(r[3]); reason[k] = r[4]; order_r[++nr] = k
	next
}
/^SF:/ { in_src = (substr($0, length($0) - length(suffix) + 1) == suffix); next }
!in_src { next }
/^FNDA:/ { split(substr($0, 6), a, ","); if (a[2] in first) calls[a[2]] = a[1]; next }
/^DA:/ {
	split(substr($0, 4), a, ",")
	for (f in first) if (a[1] >= first[f] && a[1] <= last[f]) {
		lt[f]++
		if (a[2] > 0) lh[f]++; else mline[f] = mline[f] " " a[1]
	}
	next
}
/^BRDA:/ {
	split(substr($0, 6), a, ",")
	for (f in first) if (a[1] >= first[f] && a[1] <= last[f]) {
		bt[f]++
		if (a[4] != "-" && a[4] > 0) bh[f]++; else mbr[f] = mbr[f] " " a[1] ":" a[2] ":" a[3] ":" a[4]
	}
	next
}
END {
	if (bad) exit 2
	n = split(order, names, " ")
	print "# Kernel coverage of the peeloff code\n" >md
	printf "Kernel `%s` (gcov on net/sctp), %s, suite exit status %s. Lines and branches from lcov (branch coverage on), within each function'"'"'s span in `%s`.\n\n", kernel, when, status, substr(suffix, 2) >md
	print "| function | lines | branches | calls |" >md
	print "| --- | --- | --- | --- |" >md
	print "# function\tfirst_line\tlast_line\tlines_hit\tlines_total\tbranches_hit\tbranches_total\tcalls" >table
	printf "{\"kernel\": \"%s\", \"date\": \"%s\", \"suite_status\": %s, \"file\": \"%s\", \"functions\": [", kernel, when, status, substr(suffix, 2) >json
	for (i = 1; i <= n; i++) {
		f = names[i]
		if (!(f in first)) {
			printf "| `%s` | not found in the source | | |\n", f >md
			if (f in gate) { printf "%s: not found in %s\n", f, substr(suffix, 2) >unexplained; nunexplained++ }
			continue
		}
		printf "| `%s` (%d-%d) | %d/%d (%s) | %d/%d (%s) | %d |\n", f, first[f], last[f], lh[f], lt[f], pct(lh[f], lt[f]), bh[f], bt[f], pct(bh[f], bt[f]), calls[f] >md
		printf "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\n", f, first[f], last[f], lh[f], lt[f], bh[f], bt[f], calls[f] >table
	}
	print "\n## Not reached, and why\n" >md
	print "At -O2 an early `return` right after an `if` often has no line record of its own: read the branch on the `if`. A line with several conditions (`a && b`, a macro such as `put_user`) has two branches per condition, numbered in evaluation order. The reasons come from `" rname "`; a line or branch of " gated " left without one fails the run.\n" >md
	for (i = 1; i <= n; i++) {
		f = names[i]
		if (!(f in first)) continue
		gaps_json = ""; ngj = 0
		if (mline[f] != "" || mbr[f] != "") printf "### %s\n\n", f >md
		m = split(mline[f], l, " ")
		for (k = 1; k <= m; k++) gap(f, l[k], "line", "not run")
		m = split(mbr[f], b, " ")
		for (k = 1; k <= m; k++) {
			split(b[k], p, ":")
			gap(f, p[1], "branch " p[2] ":" p[3], "block " p[2] " branch " p[3] (p[4] == "-" ? " never evaluated" : " never taken"))
		}
		if (m || mline[f] != "") print "" >md
		printf "%s\n    {\"name\": \"%s\", \"first_line\": %d, \"last_line\": %d, \"calls\": %d, \"lines_hit\": %d, \"lines_total\": %d, \"branches_hit\": %d, \"branches_total\": %d, \"not_reached\": [%s]}", (i > 1 ? "," : ""), f, first[f], last[f], calls[f], lh[f], lt[f], bh[f], bt[f], gaps_json >json
	}
	print "\n]}" >json
	for (k = 1; k <= nr; k++)
		if (!(order_r[k] in used)) {
			split(order_r[k], s, "\t")
			printf "%s %s: %s\n", s[1], s[2], s[3] >stale
			if (!nstale++) print "\n## Stale reasons (reached now, or the source changed: remove them from " rname ")\n" >md
			printf "- `%s` %s: `%s`\n", s[1], s[2], s[3] >md
		}
}' "$tree/$source_file" "$spans" "$reasons" "$info" || die "the function table failed"
rm -f "$spans"
unexplained_n=$(wc -l <"$unexplained")
stale_n=$(wc -l <"$stale")
sed -n '/^| function/,/^$/p' "$md"
if [ "$stale_n" -gt 0 ]; then
	echo "kernel/coverage-table.sh: $stale_n stale row(s) in $reasons (now reached, or the source changed): remove them:" >&2
	sed 's/^/  /' "$stale" >&2
fi
rm -f "$stale"
if [ "$unexplained_n" -gt 0 ]; then
	echo "kernel/coverage-table.sh: $unexplained_n line(s)/branch(es) of the peeloff functions not reached and without a reason in $reasons:" >&2
	sed 's/^/  /' "$unexplained" >&2
	exit 1
fi
rm -f "$unexplained"
exit 0
