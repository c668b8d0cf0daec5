#!/bin/bash
# The certification bundle of a finished run (./run.sh --certify):
#   harness/multirun/certify.sh REPORTS_DIR [STAMP_FILE]
# writes REPORTS_DIR/certification-<kernel release>-<UTC date>.tar.gz holding
#   reports/       every report this run wrote (newer than STAMP_FILE, when given)
#   requirements/  the requirement catalogue the matrix traces and REFERENCES.md, the reference
#                  document its citations resolve to (suites/requirements)
#   deviations/    the expected-deviation (waiver) files the run applied (suites/deviations)
#   environment.tsv  the environment manifest (kernel, config hash, target, libsctp, suite, machine)
#   VERIFY.txt     how to check it;  SHA256SUMS  a sha256 of every other file
# and the bundle's own sha256 beside it (<bundle>.sha256). Exit 0, or 3 (one message).
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
reports=${1:?usage: certify.sh REPORTS_DIR [STAMP_FILE]}
stamp=${2:-}
# What a run writes into its reports directory (the runner, run.sh, --baseline):
# harness/reports.sh's list.
# shellcheck source=harness/reports.sh
. "$root/harness/reports.sh"
report_files=("${pst_report_files[@]}")

die() { echo "run.sh: certification: $1" >&2; exit 3; }
[ -f "$reports/environment.tsv" ] || die "$reports/environment.tsv is missing: no complete run to certify"
env_value() { awk -F'\t' -v k="$1" '$1 == k { print $2; exit }' "$reports/environment.tsv"; }
release=$(env_value kernel_release)
release=${release//[^A-Za-z0-9._+-]/_} # a file name
name=certification-${release:-unknown}-$(date -u +%Y%m%dT%H%M%SZ)
staging=$(mktemp -d "${TMPDIR:-/tmp}/pst-certify.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$staging"' EXIT
trap 'exit 130' INT TERM HUP
b=$staging/$name
mkdir -p "$b/reports" "$b/requirements" "$b/deviations" || die "cannot create $b"

for f in "${report_files[@]}"; do
	[ -f "$reports/$f" ] || continue
	# A report an earlier run left behind is not this run's.
	[ -z "$stamp" ] || [ "$reports/$f" -nt "$stamp" ] || continue
	cp -p "$reports/$f" "$b/reports/" || die "cannot copy $reports/$f"
done
cp -p "$root"/suites/requirements/*.tsv "$root"/suites/requirements/REFERENCES.md "$b/requirements/" ||
	die "cannot copy the requirement catalogue and its reference document"
cp -p "$root"/suites/deviations/*.tsv "$b/deviations/" || die "cannot copy the deviation files"
cp -p "$reports/environment.tsv" "$b/environment.tsv"
cat >"$b/VERIFY.txt" <<EOT
Certification bundle of the sctp_peeloff conformance suite.

Kernel $(env_value kernel_release) (config sha256 $(env_value kernel_config_sha256)), target
$(env_value target), libsctp $(env_value libsctp_version), suite $(env_value suite_version),
profile $(env_value profile), machine $(env_value machine), run at $(env_value timestamp).
sctp_peeloff_flags from $(env_value libsctp_flags_source).
In reports/matrix.md a requirement is met only by cases that ran: NOT TESTED means every one of
its cases was skipped.

To check that nothing was changed after the run:
  1. the bundle is the one published: sha256sum -c $name.tar.gz.sha256
     (compare that sum with the one in the run's log or CI record, kept apart from the bundle)
  2. every file is as written:         tar xzf $name.tar.gz && cd $name && sha256sum -c SHA256SUMS
EOT
(cd "$b" && find . -type f ! -name SHA256SUMS -printf '%P\n' | LC_ALL=C sort | xargs -d '\n' sha256sum >SHA256SUMS) ||
	die "cannot compute SHA256SUMS"
tarball=$reports/$name.tar.gz
tar -C "$staging" -czf "$tarball.tmp" "$name" && mv "$tarball.tmp" "$tarball" || {
	rm -f "$tarball.tmp"
	die "cannot write $tarball"
}
(cd "$reports" && sha256sum "$name.tar.gz" >"$name.tar.gz.sha256.tmp" && mv -f "$name.tar.gz.sha256.tmp" "$name.tar.gz.sha256") || {
	rm -f "$tarball.sha256.tmp"
	die "cannot write $tarball.sha256"
}
nfiles=$(wc -l <"$b/SHA256SUMS")
echo "certification: $tarball ($nfiles files, sha256 $(cut -d' ' -f1 "$tarball.sha256"))"
echo "certification: an auditor verifies it with:"
echo "    cd $reports && sha256sum -c $name.tar.gz.sha256 && tar xzf $name.tar.gz && (cd $name && sha256sum -c SHA256SUMS)"
