/*
 * Running one case instance: its own topology, its own forked process, a
 * timeout, and a verdict from what the process reported and how it ended.
 */
#ifndef PST_EXEC_H
#define PST_EXEC_H

#include <stdbool.h>

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
	 * only when no other runner shares the kernel (the counts are global).
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
