/*
 * Running one case instance: its own topology, its own forked process, a
 * timeout, and a verdict from what the process reported and how it ended.
 */
#ifndef PST_EXEC_H
#define PST_EXEC_H

#include <stdbool.h>
#include <sys/types.h>

#include "judge.h"
#include "kmsg.h"
#include "registry.h"
#include "result.h"

struct pst_exec_cfg {
	unsigned timeout_s;
	const char *ns_prefix; /* run-unique namespace prefix, e.g. "pst1234-" */
	enum pst_profile profile;
	struct pst_kmsg *kmsg; /* the kernel log window of each case (fd -1: none) */
	/*
	 * Count the kernel's SCTP objects before and after each case (objcnt.h):
	 * only when no other runner shares the kernel (the counts are global)
	 * and the kernel has them (CONFIG_SCTP_DBG_OBJCNT).
	 */
	bool objcnt;
};

/*
 * Run one instance (index idx of this run): out gets its evidence and log
 * (pst_judge() makes the verdict). Never returns early on a case's crash. The case gets the
 * previous case's topology when the checks after that case proved it unchanged, else a fresh one
 * (see reusable() in exec.c).
 */
void pst_exec_case(const struct pst_exec_cfg *cfg, const struct pst_instance *in, unsigned idx,
		   struct pst_outcome *out);
/*
 * The case ("suite/case with its variant") whose process this run started
 * last at or before tid (pids grow: a thread of a case's process has a tid
 * above its pid and below the next case's), or NULL: none (the runner's own,
 * the kernel's). For naming what a kernel report says task tid did.
 */
const char *pst_exec_case_of(pid_t tid);
/* Seconds since the last case of this process ended (0: none yet). */
double pst_exec_idle_s(void);
/* Remove the topology kept for the next case, if any. */
void pst_exec_release(void);
/* At the end of a run: that, and end the process that starts the case processes. */
void pst_exec_end(void);

/*
 * Install SIGINT/SIGTERM/SIGCHLD handling (after an interrupt, pst_exec_case
 * returns at once) and open what every case process gets (/dev/null).
 */
void pst_exec_init_signals(void);
bool pst_exec_interrupted(void);

#endif
