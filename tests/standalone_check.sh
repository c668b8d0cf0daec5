#!/bin/bash
# The project stands alone (make lint): no file of it reads or cites the reading material kept
# beside one development checkout (the sibling folder "shared", absent from a user's clone), and no
# absolute path of a particular machine is written into it: the directory this
# checkout sits in, or a home, root or work directory. Exit 0 clean, 1 naming each hit.
set -u
cd "$(dirname "$0")/.." || exit 2
parent=$(dirname "$PWD")
# (a checkout in a temporary or the root directory: its parent is everybody's, not a machine's)
pats=(-e '\.\./shared')
case $parent in / | /tmp | /var/tmp | "${TMPDIR:-/tmp}") ;; *) pats+=(-e "$parent/") ;; esac
# The files of the project: git's list in a clone, else every text file but the build's.
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	list() { git ls-files -z --cached --others --exclude-standard; }
else
	list() { find . -path ./build -prune -o -path ./reports -prune -o -type f -print0; }
fi
machine_path='(^|[^A-Za-z0-9_.$}~-])/(work|root|home/[A-Za-z0-9_.-]+|Users/[A-Za-z0-9_.-]+)/'
hits=$(list | xargs -0 grep -I -n -E "${pats[@]}" -e "$machine_path" -- 2>/dev/null |
	grep -v '^tests/standalone_check\.sh:')
if [ -n "$hits" ]; then
	echo "standalone_check: the project must not read or cite the sibling shared folder nor name a machine's paths:"
	echo "$hits" | sed 's/^/  /'
	exit 1
fi
echo "standalone_check: nothing of the sibling shared folder, no absolute machine path"
