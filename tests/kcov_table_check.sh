#!/bin/bash
# kernel/coverage-table.sh on a made-up source and tracefile: the table's
# numbers, a gap with a reason is explained (exit 0), a gap without one fails
# (exit 1, named), a reason that matches no gap is named stale, a malformed
# reasons file is exit 3. No kernel needed.
set -u
cd "$(dirname "$0")/.." || exit 2
tmp=$(mktemp -d /tmp/pst-kcov-table.XXXXXX) || exit 2
trap 'rm -rf "$tmp"' EXIT
fails=0
check() { # description, then the test command
	local what=$1
	shift
	if "$@"; then echo "ok: $what"; else echo "FAILED: $what"; fails=$((fails + 1)); fi
}

mkdir -p "$tmp/tree/net/sctp"
# Five functions, one after the other; the lines that matter are numbered below.
{
	for f in sctp_do_peeloff sctp_getsockopt_peeloff_common sctp_getsockopt_peeloff \
		sctp_getsockopt_peeloff_flags sctp_sock_migrate; do
		printf 'static int %s(int x)\n{\n\tif (x)\n\t\treturn -1;\n\treturn 0;\n}\n' "$f"
	done
} >"$tmp/tree/net/sctp/socket.c"
# sctp_do_peeloff spans lines 1-6: line 3 "if (x)" ran, its branch 0:1 never
# taken, line 4 never ran; sctp_sock_migrate (25-30): line 28 never ran.
{
	echo "SF:$tmp/tree/net/sctp/socket.c"
	echo "FNDA:7,sctp_do_peeloff"
	echo "DA:3,7"
	echo "DA:4,0"
	echo "DA:5,7"
	echo "BRDA:3,0,0,7"
	echo "BRDA:3,0,1,0"
	echo "DA:28,0"
	echo "end_of_record"
} >"$tmp/info"
printf '# function\twhat\tsource\treason\n' >"$tmp/base.tsv"

run() { # reasons file, then the expected exit status
	PST_KERNEL_UNREACHABLE=$1 kernel/coverage-table.sh "$tmp/info" "$tmp/tree" "$tmp/out" \
		>"$tmp/stdout" 2>"$tmp/stderr"
	[ $? -eq "$2" ]
}
mkdir -p "$tmp/out"

check "gaps without a reason: exit 1" run "$tmp/base.tsv" 1
check "each is named (the line)" grep -qF 'sctp_do_peeloff, line 4 (line): return -1;' "$tmp/stderr"
check "each is named (the branch)" grep -qF 'sctp_do_peeloff, line 3 (branch 0:1): if (x)' "$tmp/stderr"
check "an ungated function's gap is not a failure" \
	bash -c "! grep -q sctp_sock_migrate '$tmp/stderr'"
check "the table's numbers" grep -qxF '| `sctp_do_peeloff` (1-6) | 2/3 (66.7 %) | 1/2 (50.0 %) | 7 |' "$tmp/stdout"
check "the .tsv row" grep -qxF "$(printf 'sctp_do_peeloff\t1\t6\t2\t3\t1\t2\t7')" "$tmp/out/kernel-coverage-functions.tsv"

{
	cat "$tmp/base.tsv"
	printf 'sctp_do_peeloff\tline\treturn -1;\tbecause\n'
	printf 'sctp_do_peeloff\tbranch 0:1\tif (x)\tbecause too\n'
	printf 'sctp_getsockopt_peeloff\tbranch 0:1\tif (x)\tno longer true\n'
} >"$tmp/explained.tsv"
check "every gap explained: exit 0" run "$tmp/explained.tsv" 0
check "the reason is in the report" grep -qF 'unreachable: because too' "$tmp/out/kernel-coverage-functions.md"
check "a reason matching no gap is named stale" grep -qF 'sctp_getsockopt_peeloff branch 0:1: if (x)' "$tmp/stderr"
if command -v python3 >/dev/null; then
	check "the JSON is valid" python3 -m json.tool "$tmp/out/kernel-coverage-functions.json" >/dev/null
else
	echo "skipped: the JSON check (no python3)"
fi

printf 'sctp_do_peeloff\tline\tonly three fields\n' >"$tmp/bad.tsv"
check "a malformed reasons file: exit 3" run "$tmp/bad.tsv" 3
check "it names file and line" grep -qF "$tmp/bad.tsv:1: expected 4 tab-separated fields, got 3" "$tmp/stderr"

[ "$fails" -eq 0 ] || { echo "kcov_table_check: $fails check(s) failed"; exit 1; }
echo "kcov_table_check: all passed"
