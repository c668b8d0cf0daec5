/*
 * Running one case instance: its own topology, its own forked process, a
 * timeout, and a verdict from what the process reported and how it ended.
 */
#ifndef PST_EXEC_H
#define PST_EXEC_H

#include <stdbool.h>

#include "kmsg.h"
#include "registry.h"
#include "result.h"

struct pst_exec_cfg {
	unsigned timeout_s;
	const char *ns_prefix; /* run-unique namespace prefix, e.g. "pst1234-" */
	enum pst_profile profile;
	struct pst_kmsg *kmsg; /* the kernel log window of each case (fd -1: none) */
};

/* What the case process said and how it ended, before expected deviations apply. */
struct pst_outcome {
	enum pst_verdict verdict;
	double seconds;
	char *message; /* malloc'd, one line */
	char *detail;  /* malloc'd, "file:line: text" per failure, or NULL */
	char *log;     /* malloc'd: pst_log() lines and the process's stdout/stderr */
	char *file;    /* where the first failure was recorded, for CUnit */
	int line;
};

/*
 * Run one instance (index idx of this run). Never returns early on a case's
 * crash. The case gets the previous case's topology when the checks after
 * that case proved it unchanged, else a fresh one (see reusable() in exec.c).
 */
void pst_exec_case(const struct pst_exec_cfg *cfg, const struct pst_instance *in, unsigned idx,
		   struct pst_outcome *out);
/* Remove the topology kept for the next case, if any. */
void pst_exec_release(void);
/* At the end of a run: that, and end the process that starts the case processes. */
void pst_exec_end(void);
void pst_outcome_free(struct pst_outcome *o);

/*
 * Install SIGINT/SIGTERM/SIGCHLD handling (after an interrupt, pst_exec_case
 * returns at once) and open what every case process gets (/dev/null).
 */
void pst_exec_init_signals(void);
bool pst_exec_interrupted(void);

#endif
