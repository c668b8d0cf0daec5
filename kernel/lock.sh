# shellcheck shell=bash
# Sourced by every script that uses the kernel cache. pst_kernel_lock WHO takes
# the cache's one lock for the rest of the calling shell, waiting (and saying
# so, as WHO) while a build, coverage, mutant, bisect or matrix run holds it,
# and tells what the shell starts that the lock is held (PST_KERNEL_LOCK_HELD=1),
# so a nested script never waits for its own caller. Returns 2 when the cache
# directory cannot be made.
# pst_kernel_lock WHO sanitize: the sanitizer entries' own lock
# ($cache/sanitize.lock, PST_KERNEL_SANITIZE_LOCK_HELD=1): their builds take
# long and touch no gcov entry, so neither kind waits for the other.
pst_kernel_lock() {
	local cache=${PST_KERNEL_CACHE:-$HOME/.cache/pst-kernel} file=lock held=PST_KERNEL_LOCK_HELD

	if [ "${2:-}" = sanitize ]; then
		file=sanitize.lock held=PST_KERNEL_SANITIZE_LOCK_HELD
	fi
	[ "${!held:-0}" = 1 ] && return 0
	mkdir -p "$cache" || { echo "$1: cannot create $cache" >&2; return 2; }
	exec {pst_kernel_lock_fd}>"$cache/$file"
	if ! flock -n "$pst_kernel_lock_fd"; then
		echo "$1: waiting for $cache/$file (another kernel build, coverage, mutant or bisect run)" >&2
		flock "$pst_kernel_lock_fd"
	fi
	export "$held=1"
}
