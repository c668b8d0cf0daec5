#!/bin/bash
# ./run.sh --certify end to end (make check; one small suite in UML, ~5 s): the
# bundle and its .sha256 are written, its own sum verifies, it unpacks, every
# file's sum in SHA256SUMS verifies, it holds the reports, the catalogue and its
# reference document (the one the reports' links point into, identical to the
# project's), the waivers and the environment manifest, and an edited file is detected.
set -u
cd "$(dirname "$0")/.." || exit 2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pst-certify-check.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP
fails=0 passes=0
ok() { echo "ok   $1"; passes=$((passes + 1)); }
bad() { echo "FAIL $1"; fails=$((fails + 1)); }

./run.sh --suite peeloff_success --certify --reports "$tmp/reports" >"$tmp/run.log" 2>&1
st=$?
bundle=$(find "$tmp/reports" -maxdepth 1 -name 'certification-*.tar.gz' | head -1)
if [ "$st" -eq 0 ] && [ -n "$bundle" ] && [ -f "$bundle.sha256" ] && grep -q 'an auditor verifies it with' "$tmp/run.log"; then
	ok "--certify: exit 0, $(basename "$bundle") and its .sha256, the verify command printed"
else
	bad "--certify: expected exit 0 and a bundle, got exit $st: $(tail -3 "$tmp/run.log")"
	exit 1
fi
release=$(awk -F'\t' '$1 == "kernel_release" { print $2 }' "$tmp/reports/environment.tsv")
case $(basename "$bundle") in
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

# An auditor must see an edit: one verdict changed after the run.
sed -i '2s/\tPASS\t/\tFAIL\t/; 2s/\tSKIP\t/\tFAIL\t/' "$dir/reports/results.tsv"
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

echo "certify check: $passes ok, $fails failed"
[ "$fails" -eq 0 ]
