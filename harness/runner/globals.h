/*
 * Knobs outside a case's namespaces (struct pst_case's .globals: fs.file-max,
 * debugfs's failslab knobs, module parameters), kept by the runner, not by
 * the case: each declared file is saved before the case starts and written
 * back after it ended, however it ended (its own end, a crash, a timeout's
 * SIGKILL, the run interrupted by SIGINT/SIGTERM), before the next case.
 *
 * While the case runs, the runner holds an exclusive flock() on each of its
 * knobs: another runner on the same kernel (--jobs on the host target, or a
 * second checkout's run) starts a case declaring the same knob only after
 * this one's values are back. A knob under /sys/kernel/debug whose debugfs
 * is not mounted gets it mounted for the case, and unmounted afterwards.
 *
 * The run's first look at every knob its cases declare is published to the
 * case processes in the environment (PST_GLOBALS_AT_START_ENV), so that a
 * case can tell whether an earlier case's value was left behind.
 */
#ifndef PST_GLOBALS_H
#define PST_GLOBALS_H

#include <stdbool.h>
#include <stddef.h>

#define PST_GLOBALS_MAX	     8	 /* knobs one case may declare */
#define PST_GLOBAL_VALUE_MAX 256 /* a knob's value, as read (a longer one is refused) */
#define PST_GLOBALS_DEBUGFS  "/sys/kernel/debug"
/* "path<TAB>value<LF>" per knob, its value without the trailing newline */
#define PST_GLOBALS_AT_START_ENV "PST_GLOBALS_AT_START"

struct pst_global {
	const char *path;
	int fd;	    /* open read-write, flock()ed; -1: the knob is absent */
	size_t len; /* of value */
	char value[PST_GLOBAL_VALUE_MAX];
};

struct pst_globals {
	struct pst_global g[PST_GLOBALS_MAX];
	size_t n;
	bool mounted_debugfs; /* save() mounted it; restore() unmounts it */
};

/*
 * Lock and save each of paths (NULL-terminated; NULL: none), waiting for
 * another runner's case that holds one. A path that does not exist is not
 * saved (nothing to restore: a kernel without failslab); one that cannot be
 * read, written or locked is an error. 0, or -1 with the reason in err
 * (nothing is then held).
 */
int pst_globals_save(struct pst_globals *s, const char *const *paths, char *err, size_t errlen);

/*
 * Write back each saved value that reads differently now, check that it
 * reads as saved, unlock, and unmount what save() mounted. done gets one
 * line per knob written back ("" if none). 0, or -1 with the first failure
 * in err (every knob is still tried). s is empty afterwards.
 */
int pst_globals_restore(struct pst_globals *s, char *done, size_t donelen, char *err,
			size_t errlen);

/*
 * Add path's value, as it reads now, to the list *env (malloc'd, "" or
 * NULL to start), unless the list has it already or it cannot be read.
 * 0, or -1 when out of memory.
 */
int pst_globals_at_start_add(char **env, const char *path);
/* path's value in such a list (no trailing newline): 0, or -1 if the list has no path. */
int pst_globals_at_start(const char *env, const char *path, char *out, size_t len);

#endif
