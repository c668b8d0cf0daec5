#!/bin/bash
# ./run.sh --certify end to end (make check; the whole suite once and two cases once in UML,
# ~25 s): a filtered run is refused (exit 2, one message, nothing run); the bundle and its
# .sha256 are written, its own sum verifies, it unpacks, every file's sum in SHA256SUMS
# verifies, it holds the reports, the catalogue and its reference document (the one the
# reports' links point into, identical to the project's), the waivers, the environment
# manifest, the kernel's .config (the text whose sha256 environment.tsv names), and
# VERIFY.txt / certificate.tsv with the overall verdict, the suite's full commit (or
# "unknown" and why), the kernel image's and libsctp's sha256 and Debian package, and every
# requirement not tested listed as such; an edited file is detected; --certify-partial of a
# filtered run under a fault shim is a PARTIAL bundle whose verdict names the failed requirement.
set -u
cd "$(dirname "$0")/.." || exit 2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pst-certify-check.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP
fails=0 passes=0
ok() { echo "ok   $1"; passes=$((passes + 1)); }
bad() { echo "FAIL $1"; fails=$((fails + 1)); }
cert_value() { awk -F'\t' -v k="$2" '$1 == k { print $2 }' "$1/certificate.tsv"; }
env_of() { awk -F'\t' -v k="$2" '$1 == k { print $2 }' "$1/environment.tsv"; }

# ---- a certificate is of the whole suite: a filtered run is refused before it runs ----
for filter in "--case peeloff_flags_SOCK*" "--suite=peeled_socket" "--selftest" "--repeat 2" \
	"--target qemu --kernel-line trixie"; do
	# shellcheck disable=SC2086 # the words are the options
	./run.sh --certify $filter --reports "$tmp/refused" >"$tmp/refused.log" 2>&1
	st=$?
	if [ "$st" -eq 2 ] && [ "$(wc -l <"$tmp/refused.log")" -eq 1 ] &&
		grep -q "expected one plain run of the whole suite.*--certify-partial" "$tmp/refused.log" &&
		[ ! -e "$tmp/refused/junit.xml" ] && ! ls "$tmp/refused"/certification-* >/dev/null 2>&1; then
		ok "--certify $filter: refused (exit 2, one message, nothing run)"
	else
		bad "--certify $filter: expected exit 2, one message and no run, got exit $st: $(head -3 "$tmp/refused.log")"
	fi
done

./run.sh --certify --reports "$tmp/reports" >"$tmp/run.log" 2>&1
st=$?
bundle=$(find "$tmp/reports" -maxdepth 1 -name 'certification-*.tar.gz' | head -1)
# (the run: every case passes but the live kernel bugs of tests/stock-kernel-failures.tsv
# on a kernel without their fixes, exactly those; the bundle is written either way)
if [ -n "$bundle" ] && [ -f "$bundle.sha256" ] && grep -q 'an auditor verifies it with' "$tmp/run.log"; then
	ok "--certify: exit $st, $(basename "$bundle") and its .sha256, the verify command printed"
else
	bad "--certify: expected a bundle, got exit $st: $(tail -3 "$tmp/run.log")"
	exit 1
fi
if lines=$(tests/expected_failures.sh check "$tmp/reports" "$st"); then
	ok "--certify: $(sed -n '1s/^ok   [^:]*: //p' <<<"$lines")"
else
	bad "--certify: $(grep '^FAIL' <<<"$lines" | sed 's/^FAIL //' | paste -sd';')"
fi
live=$(tests/expected_failures.sh cases "$(env_of "$tmp/reports" kernel_release)")
release=$(awk -F'\t' '$1 == "kernel_release" { print $2 }' "$tmp/reports/environment.tsv")
case $(basename "$bundle") in
certification-PARTIAL-*) bad "a whole-suite bundle is named PARTIAL: $(basename "$bundle")" ;;
"certification-$release-"*) ok "bundle named after kernel $release and the date" ;;
*) bad "bundle name $(basename "$bundle") does not start with certification-$release-" ;;
esac
(cd "$tmp/reports" && sha256sum --quiet -c "$(basename "$bundle").sha256") && ok "the bundle's own sha256 verifies" ||
	bad "the bundle's own sha256 does not verify"

mkdir "$tmp/audit" && tar -C "$tmp/audit" -xzf "$bundle" || bad "the bundle does not unpack"
dir=$tmp/audit/$(basename "$bundle" .tar.gz)
(cd "$dir" && sha256sum --quiet -c SHA256SUMS) && ok "sha256sum -c SHA256SUMS: $(wc -l <"$dir/SHA256SUMS") files verify" ||
	bad "sha256sum -c SHA256SUMS fails on the bundle as written"
missing=
for f in reports/junit.xml reports/results.ktap reports/results.tsv reports/matrix.md reports/matrix.json \
	reports/index.html reports/REFERENCES.md requirements/REFERENCES.md environment.tsv VERIFY.txt; do
	[ -f "$dir/$f" ] && grep -q " $f\$" "$dir/SHA256SUMS" || missing="$missing $f"
done
ls "$dir"/requirements/*.tsv >/dev/null 2>&1 || missing="$missing requirements/*.tsv"
ls "$dir"/deviations/*.tsv >/dev/null 2>&1 || missing="$missing deviations/*.tsv"
[ -z "$missing" ] && ok "holds the reports, the requirement matrix and catalogue, the reference document, the waivers, the manifest" ||
	bad "missing from the bundle (or from SHA256SUMS):$missing"
# The reports' reference links resolve inside the bundle, to the project's own document.
if cmp -s suites/requirements/REFERENCES.md "$dir/requirements/REFERENCES.md" &&
	cmp -s suites/requirements/REFERENCES.md "$dir/reports/REFERENCES.md" &&
	grep -q '](REFERENCES.md#ref-' "$dir/reports/matrix.md" &&
	grep -q 'href="REFERENCES.md#ref-' "$dir/reports/index.html"; then
	ok "REFERENCES.md in the bundle is the project's; matrix.md and index.html link into it"
else
	bad "REFERENCES.md missing or different in the bundle, or the reports do not link into it"
fi
missing=
for k in kernel_release kernel_config_sha256 target libsctp_version suite_version machine; do
	v=$(awk -F'\t' -v k="$k" '$1 == k { print $2 }' "$dir/environment.tsv")
	[ -n "$v" ] && [ "$v" != unknown ] || missing="$missing $k"
done
[ -z "$missing" ] && ok "environment.tsv: kernel, config hash, target, libsctp, suite, machine all known" ||
	bad "environment.tsv lacks:$missing"

# ---- what the certificate says ----
v=$dir/VERIFY.txt
# The requirements that failed are those of the expected live-bug failures and no
# other: every failing case a failed requirement names is on the list.
failed_reqs=$(awk -F' [|] ' '/^[|] [A-Z]/ && $3 ~ /^(FAIL|ERROR|BROKEN|XPASS)$/' "$dir/reports/matrix.md" | wc -l)
stray=$(awk -F' [|] ' '/^[|] [A-Z]/ && $3 ~ /^(FAIL|ERROR|BROKEN|XPASS)$/ { print $4 }' "$dir/reports/matrix.md" |
	grep -oE '[a-z0-9_]+/[^ <]+ (FAIL|ERROR|BROKEN|XPASS|CHANGED)' | cut -d' ' -f1 | sort -u |
	grep -vxF -f <(printf '%s\n' "$live") || true)
if [ -n "$live" ]; then
	want_verdict="NOT CERTIFIED: $failed_reqs requirements failed"
else
	want_verdict="CERTIFIED: every requirement that was tested held"
fi
if grep -q "^VERDICT: $want_verdict" "$v" && [ -z "$stray" ] &&
	{ [ -z "$live" ] || [ "$failed_reqs" -gt 0 ]; } &&
	[ "$(cert_value "$dir" requirements_failed)" = "$failed_reqs" ] && grep -q "^Scope: the whole suite: $(env_of "$dir" cases) cases" "$v" &&
	grep -q "^Judged by the gate 'requirements'" "$v"; then
	ok "VERIFY.txt: VERDICT $want_verdict (those of the $(grep -c . <<<"$live") expected live-bug failures), the whole suite, judged by the requirements gate"
else
	bad "VERIFY.txt: expected 'VERDICT: $want_verdict' of the whole suite with no failing case but the expected ones, got: $(grep -m2 '^VERDICT\|^Scope' "$v"); failing cases not expected: $(echo $stray)"
fi
head_commit=$(git rev-parse HEAD)
commit=$(cert_value "$dir" suite_commit)
[ "${commit%% *}" = "$head_commit" ] && grep -q "commit $head_commit" "$v" &&
	ok "the suite's full commit: $head_commit" ||
	bad "suite_commit: expected $head_commit (git rev-parse HEAD), got '$commit'"
want=$(env_of "$dir" kernel_config_sha256)
if [ -f "$dir/kernel.config" ] && grep -q ' kernel.config$' "$dir/SHA256SUMS" &&
	[ "$(sha256sum <"$dir/kernel.config" | cut -d' ' -f1)" = "$want" ] && grep -q '^CONFIG_' "$dir/kernel.config"; then
	ok "kernel.config: the .config itself, sha256 $want as environment.tsv names"
else
	bad "kernel.config: expected a .config whose sha256 is $want, got: $(cert_value "$dir" kernel_config)"
fi
image=$(env_of "$dir" kernel_image)
pkg=$(dpkg -S "$image" 2>/dev/null | head -1)
pkg=${pkg%%: *}
if [ "$(cert_value "$dir" kernel_image_sha256)" = "$(sha256sum <"$image" | cut -d' ' -f1)" ] &&
	[ -n "$pkg" ] && [ "$(cert_value "$dir" kernel_image_package)" = "$pkg $(dpkg-query -W -f='${Version}' "$pkg")" ]; then
	ok "kernel image $image: its sha256 and package ($(cert_value "$dir" kernel_image_package))"
else
	bad "kernel image $image: expected its sha256 and package $pkg, got $(cert_value "$dir" kernel_image_sha256) / $(cert_value "$dir" kernel_image_package)"
fi
lib=$(readlink -f "$(env_of "$dir" libsctp_path)")
pkg=$(dpkg -S "$lib" 2>/dev/null | head -1)
pkg=${pkg%%: *}
if [ "$(cert_value "$dir" libsctp_sha256)" = "$(sha256sum <"$lib" | cut -d' ' -f1)" ] &&
	[ -n "$pkg" ] && [ "$(cert_value "$dir" libsctp_package)" = "$pkg $(dpkg-query -W -f='${Version}' "$pkg")" ] &&
	[ "$(cert_value "$dir" libsctp_archive_sha256)" = "$(sha256sum <build/libsctp-archive.so | cut -d' ' -f1)" ] &&
	grep -q '^libsctp_archive_package.libsctp-dev' "$dir/certificate.tsv"; then
	ok "libsctp $lib and the static archive's code: sha256 and package ($(cert_value "$dir" libsctp_package))"
else
	bad "libsctp: expected the sha256 and package $pkg of $lib and of build/libsctp-archive.so, got: $(grep '^libsctp' "$dir/certificate.tsv" | tr '\n' ' ')"
fi
# A requirement NOT TESTED in the matrix is listed as not tested, never counted as held.
mapfile -t untested < <(awk -F' [|] ' '/^[|] [A-Z]/ && $3 ~ /^(NOT TESTED|NOT RUN)$/ { print substr($1, 3) }' "$dir/reports/matrix.md")
held=$(awk -F' [|] ' '/^[|] [A-Z]/ && $3 ~ /^(PASS|XFAIL)$/' "$dir/reports/matrix.md" | wc -l)
listed=0
for id in "${untested[@]}"; do
	sed -n '/^Not tested, never counted as held/,/^$/p' "$v" | grep -q "^  $id (NOT " && listed=$((listed + 1))
done
if [ "${#untested[@]}" -gt 0 ] && [ "$listed" -eq "${#untested[@]}" ] &&
	[ "$(cert_value "$dir" requirements_not_tested)" -eq "${#untested[@]}" ] && [ "$(cert_value "$dir" requirements_held)" -eq "$held" ]; then
	ok "VERIFY.txt lists the ${#untested[@]} requirements the matrix has NOT TESTED as not tested; $held held"
else
	bad "NOT TESTED: expected the matrix's ${#untested[@]} (${untested[*]}) listed as not tested and $held held, got $listed listed, $(cert_value "$dir" requirements_not_tested) not tested, $(cert_value "$dir" requirements_held) held"
fi
# Outside a git checkout the commit is unknown, and VERIFY.txt says why.
mkdir -p "$tmp/nogit" && cp "$tmp/reports"/{environment.tsv,results.tsv,matrix.md} "$tmp/nogit/"
if GIT_DIR=$tmp/no-such-git harness/multirun/certify.sh --status 0 "$tmp/nogit" >"$tmp/nogit.log" 2>&1; then
	tar -C "$tmp/nogit" -xzf "$tmp"/nogit/certification-*.tar.gz
	commit=$(cert_value "$tmp"/nogit/certification-*/ suite_commit)
	case $commit in
	"unknown (not a git checkout: "*) ok "outside a git checkout: suite_commit '$commit'" ;;
	*) bad "outside a git checkout: expected 'unknown (not a git checkout: ...)', got '$commit'" ;;
	esac
else
	bad "certify.sh outside a git checkout failed: $(tail -2 "$tmp/nogit.log")"
fi

# An auditor must see an edit: one verdict changed after the run.
sed -i '2s/$/ edited/' "$dir/reports/results.tsv"
out=$(cd "$dir" && sha256sum -c SHA256SUMS 2>/dev/null)
if [ $? -ne 0 ] && grep -q '^reports/results.tsv: FAILED$' <<<"$out"; then
	ok "an edited reports/results.tsv is detected (sha256sum -c: FAILED)"
else
	bad "an edited reports/results.tsv was not detected"
fi
# ... and a bundle rebuilt with new sums no longer matches the published sum.
(cd "$dir" && find . -type f ! -name SHA256SUMS -printf '%P\n' | sort | xargs sha256sum >SHA256SUMS)
tar -C "$tmp/audit" -czf "$bundle" "$(basename "$dir")"
(cd "$tmp/reports" && sha256sum --quiet -c "$(basename "$bundle").sha256" >/dev/null 2>&1) &&
	bad "a re-packed bundle still matches the published sha256" ||
	ok "a re-packed bundle (new SHA256SUMS) no longer matches the published sha256"

# ---- --certify-partial: a filtered run, under a fault shim that fails a requirement ----
make -s build/faults/getpeername_zeroed.so || exit 2
LD_PRELOAD=$PWD/build/faults/getpeername_zeroed.so ./run.sh --certify-partial \
	--case 'peeled_getpeername_is_primary_peer_address/*' --reports "$tmp/partial" >"$tmp/partial.log" 2>&1
st=$?
pbundle=$(find "$tmp/partial" -maxdepth 1 -name 'certification-*.tar.gz' | head -1)
if [ "$st" -eq 1 ] && [ -n "$pbundle" ] && [ -f "$pbundle.sha256" ]; then
	mkdir "$tmp/paudit" && tar -C "$tmp/paudit" -xzf "$pbundle"
	pdir=$tmp/paudit/$(basename "$pbundle" .tar.gz)
	case $(basename "$pbundle") in
	certification-PARTIAL-*) ok "--certify-partial --case ...: exit 1 (the shim's failures), bundle $(basename "$pbundle")" ;;
	*) bad "--certify-partial of a filtered run: expected a bundle named certification-PARTIAL-..., got $(basename "$pbundle")" ;;
	esac
	if grep -q "^Scope: PARTIAL: a filtered run: --case peeled_getpeername_is_primary_peer_address/\*" "$pdir/VERIFY.txt" &&
		grep -q '^VERDICT: NOT CERTIFIED: [0-9]* requirements failed' "$pdir/VERIFY.txt" &&
		sed -n '/^Failed requirements/,/^$/p' "$pdir/VERIFY.txt" | grep -q '^  IMPL-LNX-GETPEERNAME (FAIL): .*peeled_getpeername_is_primary_peer_address/ipv4 FAIL'; then
		ok "VERIFY.txt of the partial bundle: Scope PARTIAL and why, VERDICT NOT CERTIFIED naming IMPL-LNX-GETPEERNAME and its failing cases"
	else
		bad "VERIFY.txt of the partial bundle: expected Scope PARTIAL and VERDICT NOT CERTIFIED naming IMPL-LNX-GETPEERNAME, got: $(grep -m3 '^VERDICT\|^Scope\|^  IMPL' "$pdir/VERIFY.txt")"
	fi
else
	bad "--certify-partial --case ... under the getpeername shim: expected exit 1 and a bundle, got exit $st: $(tail -3 "$tmp/partial.log")"
fi
# The bundle maker itself refuses a filtered run's reports without --allow-partial.
rm -f "$tmp/partial"/certification-*
harness/multirun/certify.sh --status 1 "$tmp/partial" >"$tmp/refused2.log" 2>&1
st=$?
if [ "$st" -eq 2 ] && [ "$(wc -l <"$tmp/refused2.log")" -eq 1 ] && grep -q 'expected a run of the whole suite.*got: environment.tsv: case_filter' "$tmp/refused2.log" &&
	! ls "$tmp/partial"/certification-* >/dev/null 2>&1; then
	ok "certify.sh on a filtered run's reports: refused (exit 2, one message, no bundle)"
else
	bad "certify.sh on a filtered run's reports: expected exit 2, one message, no bundle, got exit $st: $(head -2 "$tmp/refused2.log")"
fi

echo "certify check: $passes ok, $fails failed"
[ "$fails" -eq 0 ]
