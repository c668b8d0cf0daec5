#!/bin/bash
# The code a program gets when it links libsctp statically, as a shared object the
# runner can open (harness/runner/iut.c, --libsctp-archive): the member of libsctp's
# static archive (libsctp.a, package libsctp-dev) that defines sctp_peeloff_flags,
# taken out with ar and linked on its own, with a symbol that says where it came from.
#   libsctp-archive.sh ARCHIVE OUT.so [PACKAGE]
# The origin the shared object tells: PACKAGE (default: the installed package that
# owns ARCHIVE and its version, from dpkg), then the archive's name and the member:
# "libsctp-dev:amd64 1.0.19+dfsg-2 libsctp.a(peeloff.o)".
# Not the whole archive (--whole-archive): its other members' versioned symbols
# (sctp_connectx@VERS_1 ...) need libsctp's version script to link. The member's
# calls are PLT calls (getsockopt, __stack_chk_fail): it links into a shared object
# as it is; one that does not is refused here with the linker's reason.
# Exit status: 0; 2 bad usage; 3 the link failed; 4 no member defines sctp_peeloff_flags
# (a libsctp older than 1.0.18: nothing to link).
set -u
die() { echo "libsctp-archive: $1" >&2; exit "${2:-3}"; }
[ $# -ge 2 ] && [ $# -le 3 ] || die "usage: libsctp-archive.sh ARCHIVE OUT.so [PACKAGE]" 2
archive=$1 out=$2 package=${3:-}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cc=${CC:-cc}
[ -f "$archive" ] || die "no archive $archive (is libsctp-dev installed?)"
# nm -A: "ARCHIVE:MEMBER: VALUE T SYMBOL" for each defined symbol of each member.
member=$(nm -A --defined-only "$archive" 2>/dev/null |
	awk '$(NF-1) == "T" && $NF == "sctp_peeloff_flags" { sub(/:[^:]*$/, "", $1); sub(/.*:/, "", $1); print $1; exit }')
[ -n "$member" ] || die "no member of $archive defines sctp_peeloff_flags (nm -A --defined-only $archive)" 4
real=$(realpath "$archive") || die "cannot resolve $archive"
if [ -z "$package" ]; then
	pkg=$(dpkg -S "$real" 2>/dev/null | sed -n '1s/: .*//p')
	ver=${pkg:+$(dpkg-query -W -f '${Version}' "$pkg" 2>/dev/null)}
	package="${pkg:-no package} ${ver:-?}"
fi
origin="$package ${real##*/}($member)"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pst-libsctp-archive.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && ar x "$real" "$member") || die "ar x $archive $member failed"
# The origin string as a C string literal: backslashes and quotes escaped.
lit=$(printf '%s' "$origin" | sed 's/[\\"]/\\&/g')
"$cc" -shared -fPIC -o "$tmp/out.so" -Wl,-z,now -Wl,-z,noexecstack \
	-DPST_ARCHIVE_ORIGIN="\"$lit\"" "$here/libsctp-archive-origin.c" "$tmp/$member" ||
	die "cannot link $member of $archive into a shared object (see the linker's message above)"
nm -D --defined-only "$tmp/out.so" | grep -q ' T sctp_peeloff_flags$' ||
	die "the shared object made of $member exports no sctp_peeloff_flags"
mv "$tmp/out.so" "$out" || die "cannot write $out"
