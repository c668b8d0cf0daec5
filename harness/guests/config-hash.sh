#!/bin/bash
# The sha256 of a kernel's configuration (its .config text), for
# reports/environment.tsv; prints "unknown" when there is nothing to read.
#   harness/guests/config-hash.sh running       the running kernel: /proc/config.gz, else
#                                        /boot/config-<release>, else $PST_KERNEL_CONFIG_HASH
#                                        (what the host side found before booting a guest)
#   harness/guests/config-hash.sh uml LINUX     a User-Mode Linux binary: LINUX --showconfig
#   harness/guests/config-hash.sh file CONFIG   a config file (a kernel package's boot/config-*)
#   harness/guests/config-hash.sh --text ...    the same, the config text itself (what was
#                                        hashed; exit 1 and nothing when there is none)
set -u
# (few processes: a guest's run.sh asks, and there each one costs ~50 ms)
text=0
[ "${1:-}" = --text ] && { text=1; shift; }
hash() {
	local sum
	if [ "$text" = 1 ]; then
		cat
		return
	fi
	sum=$(sha256sum) && echo "${sum%% *}"
}
# Nothing to read: "unknown" (the hash), or nothing and exit 1 (--text).
none() {
	[ "$text" = 1 ] && exit 1
	echo "${1:-unknown}"
}
case ${1:-} in
running)
	if [ -r /proc/config.gz ]; then
		gzip -cd /proc/config.gz | hash # (zcat is a script around gzip)
	elif [ -r "/boot/config-$(uname -r)" ]; then
		hash <"/boot/config-$(uname -r)"
	else
		none "${PST_KERNEL_CONFIG_HASH:-unknown}"
	fi
	;;
uml)
	# --showconfig prints the configuration and exits without booting.
	out=$("${2:?uml needs the path of linux}" --showconfig 2>/dev/null) && [ -n "$out" ] &&
		printf '%s\n' "$out" | hash || none
	;;
file)
	if [ -r "${2:?file needs a path}" ]; then hash <"$2"; else none; fi
	;;
*)
	echo "config-hash.sh: usage: config-hash.sh [--text] running | uml LINUX | file CONFIG" >&2
	exit 2
	;;
esac
