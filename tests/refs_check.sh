#!/bin/bash
# Every reference id the project's prose names (the cases' comments and messages, fixtures,
# fault shims, kernel/ (mutant headers, unreachable.tsv), lab/, the READMEs and the reference
# document's own cross-references) is defined in suites/requirements/REFERENCES.md. The
# catalogue, waiver and expected-difference files are checked, form by form, by
# build/peeloff-runner --check-requirements. Exit 0, or 1 naming each undefined id and where.
set -u
cd "$(dirname "$0")/.." || exit 2
doc=suites/requirements/REFERENCES.md
placeholder=REF-ID # how the document's header names "an id"
[ -f "$doc" ] || { echo "refs-check: $doc is missing"; exit 1; }
mapfile -t defined < <(sed -n 's/^### \(REF-[A-Z0-9-]*\)$/\1/p' "$doc")
declare -A known=(["$placeholder"]=1)
for id in "${defined[@]}"; do known[$id]=1; done
bad=0 uses=0
while IFS=: read -r file line id; do
	uses=$((uses + 1))
	[ -n "${known[$id]:-}" ] && continue
	echo "$file:$line: $id is not defined in $doc"
	bad=$((bad + 1))
done < <(grep -rnoE '\bREF-[A-Z0-9]+(-[A-Z0-9]+)*' suites fixtures faults kernel lab README.md)
echo "refs-check: ${#defined[@]} references defined, $uses uses, $bad undefined"
[ "$bad" -eq 0 ]
