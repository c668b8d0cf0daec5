#!/bin/bash
# The certification bundle of a finished run (./run.sh --certify):
#   harness/multirun/certify.sh [--status N] [--allow-partial] [--why TEXT]... REPORTS_DIR [STAMP_FILE]
# writes REPORTS_DIR/certification-<kernel release>-<UTC date>.tar.gz holding
#   reports/       every report this run wrote (newer than STAMP_FILE, when given)
#   requirements/  the requirement catalogue the matrix traces and REFERENCES.md, the reference
#                  document its citations resolve to (suites/requirements)
#   deviations/    the expected-deviation (waiver) files the run applied (suites/deviations)
#   environment.tsv  the environment manifest (kernel, config hash, target, libsctp, suite, machine)
#   kernel.config  the kernel's configuration whose sha256 environment.tsv names (when it
#                  can be read: UML linux --showconfig, a kernel package's boot/config-*,
#                  the host's /proc/config.gz or /boot/config-<release>)
#   certificate.tsv  key<TAB>value: the verdict, the scope, the suite's full commit, the
#                  kernel image's and libsctp's sha256 and Debian package, the config's sha256
#   VERIFY.txt     the overall verdict, each requirement not held, changed or not tested,
#                  what was tested, and how to check the bundle;  SHA256SUMS  a sha256 of every other file
# and the bundle's own sha256 beside it (<bundle>.sha256).
# A certificate is of the whole suite, run to its end: a run that was filtered (its
# environment.tsv names a --suite or --case, fewer cases than the suite has, or a reason
# given with --why) or incomplete (results.tsv without every case, --status other than 0, 1
# or 4) is refused (exit 2, one message) unless --allow-partial (run.sh --certify-partial):
# then the bundle is certification-PARTIAL-<release>-<date>.tar.gz and VERIFY.txt says why.
# Exit 0, 2 (refused) or 3 (one message).
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
status= allow_partial=0 why=()
while [ $# -gt 0 ]; do
	case $1 in
	--status) status=${2:?--status needs run.sh\'s exit status}; shift ;;
	--allow-partial) allow_partial=1 ;;
	--why) why+=("${2:?--why needs a reason}"); shift ;;
	-*) echo "run.sh: certification: unknown option '$1' (expected --status N, --allow-partial, --why TEXT)" >&2; exit 2 ;;
	*) break ;;
	esac
	shift
done
reports=${1:?usage: certify.sh [--status N] [--allow-partial] [--why TEXT]... REPORTS_DIR [STAMP_FILE]}
stamp=${2:-}
runner=${PST_RUNNER:-build/peeloff-runner}
case $runner in /*) ;; *) runner=$root/$runner ;; esac
# What a run writes into its reports directory (the runner, run.sh, --baseline):
# harness/reports.sh's list.
# shellcheck source=harness/reports.sh
. "$root/harness/reports.sh"
report_files=("${pst_report_files[@]}")

die() { echo "run.sh: certification: $1" >&2; exit "${2:-3}"; }
# The reasons a run is partial, one phrase.
reasons() { printf '%s; ' "${why[@]}" | sed 's/; $//'; }
[ -f "$reports/environment.tsv" ] || die "$reports/environment.tsv is missing: no complete run to certify"
[ -f "$reports/results.tsv" ] || die "$reports/results.tsv is missing: no complete run to certify"
env_value() { awk -F'\t' -v k="$1" '$1 == k { print $2; exit }' "$reports/environment.tsv"; }
sha() { sha256sum <"$1" | cut -d' ' -f1; }

# ---- the scope: the whole suite, run to its end ----
ncases=$(env_value cases)
nrows=$(($(wc -l <"$reports/results.tsv") - 1))
nall=$("$runner" --list 2>/dev/null | wc -l)
[ "$(env_value suite_filter)" = all ] || why+=("environment.tsv: suite_filter $(env_value suite_filter)")
[ "$(env_value case_filter)" = all ] || why+=("environment.tsv: case_filter $(env_value case_filter)")
[ "${ncases:-0}" = "$nall" ] || why+=("environment.tsv: $ncases cases of the suite's $nall")
[ "$nrows" = "${ncases:-0}" ] || why+=("results.tsv: $nrows results for $ncases cases (an incomplete run)")
case ${status:-0} in 0 | 1 | 4) ;; *) why+=("run.sh exit $status (the run did not complete)") ;; esac
# (the same reason from run.sh and from environment.tsv: once)
mapfile -t why < <(printf '%s\n' "${why[@]}" | awk 'NF && !seen[$0]++')
partial=0
if [ ${#why[@]} -gt 0 ]; then
	[ "$allow_partial" = 1 ] ||
		die "expected a run of the whole suite, run to its end (a certificate is of every case), got: $(reasons); --certify-partial makes a bundle marked PARTIAL" 2
	partial=1
fi

release=$(env_value kernel_release)
release=${release//[^A-Za-z0-9._+-]/_} # a file name
name=certification-$([ "$partial" = 1 ] && echo PARTIAL-)${release:-unknown}-$(date -u +%Y%m%dT%H%M%SZ)
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

# ---- the suite: its full commit ----
if ! command -v git >/dev/null; then
	commit="unknown (git is not installed: the checkout's commit cannot be read)"
elif ! out=$(git -C "$root" rev-parse --verify HEAD 2>&1); then
	commit="unknown (not a git checkout: git rev-parse HEAD: $(head -1 <<<"$out"))"
else
	commit=$out
	dirty=$(git -C "$root" status --porcelain --untracked-files=no 2>/dev/null | wc -l)
	[ "$dirty" -eq 0 ] || commit="$commit (with uncommitted changes to $dirty tracked files: the suite that ran is not exactly this commit)"
fi

# ---- Debian packages ----
# The installed package that owns path (dpkg -S, the path or where its links lead), as
# "package version"; a package unpacked into the Debian lines' cache (.../<package>_<version>/...)
# or a .deb as such; else why not.
package_of() {
	local path=$1 real owner pkg cached
	case $path in
	*.deb)
		dpkg-deb -f "$path" Package Version 2>/dev/null | awk -F': ' '{ v[NR] = $2 } END { if (NR == 2) print v[1] " " v[2] " (the .deb run from, not installed)" }'
		return
		;;
	esac
	real=$(readlink -f "$path" 2>/dev/null)
	for p in "$path" "$real"; do
		[ -n "$p" ] || continue
		owner=$(dpkg -S "$p" 2>/dev/null | head -1) || continue
		pkg=${owner%%: *}
		[ -n "$pkg" ] || continue
		echo "$pkg $(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null)"
		return
	done
	cached=$(sed -n 's|.*/lines/\([^/]*\)/\([a-z0-9.+-]*\)_\([^/]*\)/.*|\2 \3 (Debian \1, unpacked into the lines cache, not installed)|p' <<<"$real")
	if [ -n "$cached" ]; then
		echo "$cached"
	else
		echo "none (dpkg -S: no installed package owns $path${real:+ or $real})"
	fi
}
file_sha() {
	if [ -n "$1" ] && [ -f "$1" ]; then sha "$1"; else echo "unknown (no file '$1' to read)"; fi
}

kimage=$(env_value kernel_image)
target=$(env_value target)
kimage_sha=$(file_sha "$kimage")
kimage_pkg=$(package_of "$kimage")
libsctp=$(env_value libsctp_path)
libsctp_real=$(readlink -f "$libsctp" 2>/dev/null)
libsctp_sha=$(file_sha "${libsctp_real:-$libsctp}")
libsctp_pkg=$(package_of "$libsctp")
archive=$(env_value libsctp_archive) # "ORIGIN, in LINKED.so" (iut.c), or none
archive_so=
case $archive in *", in "*) archive_so=${archive##*, in } ;; esac
archive_sha=none archive_pkg=none
if [ -n "$archive_so" ]; then
	archive_sha=$(file_sha "$archive_so")
	archive_pkg=${archive%, in *}
fi

# ---- the kernel's .config: the text whose sha256 environment.tsv names ----
want=$(env_value kernel_config_sha256)
config_src=
case $target in
uml) config_src="$kimage --showconfig"; "$root/harness/guests/config-hash.sh" --text uml "$kimage" >"$b/kernel.config" 2>/dev/null ;;
qemu)
	case $kimage in
	*.deb)
		config_src="boot/config-$(env_value kernel_release) of $kimage"
		dpkg-deb --fsys-tarfile "$kimage" 2>/dev/null | tar -xO "./boot/config-$(env_value kernel_release)" >"$b/kernel.config" 2>/dev/null
		;;
	*)
		config_src=$(dirname "$kimage")/config-$(basename "$kimage" | sed 's/^vmlinuz-//')
		"$root/harness/guests/config-hash.sh" --text file "$config_src" >"$b/kernel.config" 2>/dev/null
		;;
	esac
	;;
*)
	if [ -r /proc/config.gz ] && [ "$(uname -r)" = "$(env_value kernel_release)" ]; then
		config_src=/proc/config.gz
		gzip -cd /proc/config.gz >"$b/kernel.config" 2>/dev/null
	else
		config_src=/boot/config-$(env_value kernel_release)
		"$root/harness/guests/config-hash.sh" --text file "$config_src" >"$b/kernel.config" 2>/dev/null
	fi
	;;
esac
if [ ! -s "$b/kernel.config" ]; then
	rm -f "$b/kernel.config"
	config="not included: nothing to read at ${config_src:-(no source for target '$target')}"
elif [ "$(sha "$b/kernel.config")" = "$want" ]; then
	config="kernel.config, from $config_src: sha256 $want, the one environment.tsv names"
else
	config="kernel.config, from $config_src: sha256 $(sha "$b/kernel.config"), NOT the $want environment.tsv names (the run read another configuration: see environment.tsv)"
fi

# ---- the verdict: every requirement of the matrix ----
# matrix.md rows: | id | sources | verdict | cases |  ('|' inside a cell is written '/')
gate=$(env_value gate)
matrix=$reports/matrix.md
[ -f "$matrix" ] || die "$matrix is missing: no requirement verdicts to certify"
reqs() { # reqs VERDICT_REGEX: "id: cases" of each requirement whose verdict matches
	awk -F' [|] ' -v re="^($1)\$" '/^[|] [A-Z]/ && $3 ~ re {
		id = substr($1, 3); c = $4; sub(/ [|]$/, "", c); gsub(/<br>/, ", ", c)
		print "  " id " (" $3 ")" (c != "" ? ": " c : "") }' "$matrix"
}
count() { grep -c . <<<"$1"; }
failed=$(reqs 'FAIL|ERROR|BROKEN|XPASS')
changed=$(reqs CHANGED)
not_tested=$(reqs 'NOT TESTED|NOT RUN|UNCOVERED')
held=$(awk -F' [|] ' '/^[|] [A-Z]/ && $3 ~ /^(PASS|XFAIL)$/' "$matrix" | wc -l)
[ "$gate" = changes ] && [ -n "$changed" ] && failed=$failed${failed:+$'\n'}$changed && changed=
if [ -n "$failed" ]; then
	verdict="NOT CERTIFIED: $(count "$failed") requirements failed"
elif [ "$partial" = 1 ]; then
	verdict="PARTIAL: no tested requirement failed, but this is not a certificate of the whole suite"
else
	verdict="CERTIFIED: every requirement that was tested held"
fi
[ -z "$not_tested" ] || verdict="$verdict ($(count "$not_tested") not tested, listed in VERIFY.txt)"
scope="the whole suite: $ncases cases, every one judged"
[ "$partial" = 1 ] && scope="PARTIAL: $(reasons)"

{
	printf 'verdict\t%s\n' "$verdict"
	printf 'scope\t%s\n' "$scope"
	printf 'gate\t%s\n' "${gate:-unknown}"
	printf 'run_status\t%s\n' "${status:-unknown}"
	printf 'requirements_held\t%s\n' "$held"
	printf 'requirements_failed\t%s\n' "$([ -n "$failed" ] && count "$failed" || echo 0)"
	printf 'requirements_changed\t%s\n' "$([ -n "$changed" ] && count "$changed" || echo 0)"
	printf 'requirements_not_tested\t%s\n' "$([ -n "$not_tested" ] && count "$not_tested" || echo 0)"
	printf 'suite_commit\t%s\n' "$commit"
	printf 'kernel_image\t%s\n' "${kimage:-unknown}"
	printf 'kernel_image_sha256\t%s\n' "$kimage_sha"
	printf 'kernel_image_package\t%s\n' "$kimage_pkg"
	printf 'kernel_config\t%s\n' "$config"
	printf 'libsctp_path\t%s\n' "${libsctp:-unknown}"
	printf 'libsctp_sha256\t%s\n' "$libsctp_sha"
	printf 'libsctp_package\t%s\n' "$libsctp_pkg"
	printf 'libsctp_archive_so\t%s\n' "${archive_so:-none}"
	printf 'libsctp_archive_sha256\t%s\n' "$archive_sha"
	printf 'libsctp_archive_package\t%s\n' "$archive_pkg"
} >"$b/certificate.tsv"

cat >"$b/VERIFY.txt" <<EOT
Certification bundle of the sctp_peeloff conformance suite.

VERDICT: $verdict.
Scope: $scope.
Judged by the gate '${gate:-unknown}' (run.sh exit ${status:-unknown}): $([ "$gate" = changes ] && echo "a changed reference behaviour (CHANGED) counts as a failure" || echo "the requirements; a changed reference behaviour (CHANGED: what a named Linux did where the documents are silent) is listed apart, not a failure").
Requirements of profile $(env_value profile): $held held (PASS, or XFAIL: an expected deviation of
deviations/), $([ -n "$failed" ] && count "$failed" || echo 0) failed, $([ -n "$changed" ] && count "$changed" || echo 0) reference behaviours changed, $([ -n "$not_tested" ] && count "$not_tested" || echo 0) not tested.
$([ -n "$failed" ] && printf '\nFailed requirements (verdict: cases):\n%s\n' "$failed")$([ -n "$changed" ] && printf '\nReference behaviour changed, not a failure (verdict: cases):\n%s\n' "$changed")$([ -n "$not_tested" ] && printf '\nNot tested, never counted as held (NOT TESTED: every case of it skipped; NOT RUN: no case of it ran):\n%s\n' "$not_tested")

What was tested:
  suite        commit $commit
               ($(env_value suite_version) as the run named it), profile $(env_value profile)
  kernel       $(env_value kernel_release) ($(env_value kernel_version)), target $target,
               machine $(env_value machine), accelerator $(env_value accelerator)
  kernel image ${kimage:-unknown}
               sha256 $kimage_sha
               package $kimage_pkg
  kernel config $config
  libsctp      ${libsctp:-unknown} ($(env_value libsctp_version))
               sha256 $libsctp_sha
               package $libsctp_pkg
  sctp_peeloff_flags from $(env_value libsctp_flags_source)
               ${archive_so:+$archive_so: sha256 $archive_sha, from $archive_pkg}
  run at $(env_value timestamp) on $(env_value host).
The same, one key a line: certificate.tsv; the run's own manifest: environment.tsv.
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
echo "certification: $verdict"
[ "$partial" = 0 ] || echo "certification: PARTIAL bundle: $(reasons)"
echo "certification: $tarball ($nfiles files, sha256 $(cut -d' ' -f1 "$tarball.sha256"))"
echo "certification: an auditor verifies it with:"
echo "    cd $reports && sha256sum -c $name.tar.gz.sha256 && tar xzf $name.tar.gz && (cd $name && sha256sum -c SHA256SUMS)"
