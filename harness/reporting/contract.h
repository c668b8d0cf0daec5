/*
 * The peeled socket's one-to-one contract as a table: one row per operation a
 * case names (.contract): the documents its requirements cite, what the peeled
 * socket and the reference one-to-one socket did (the cases' pst_observe()
 * lines, read back from their logs: they survive the journal of --jobs and a
 * dead guest) and the worst verdict of its cases in this run. An operation no
 * case of this run reached is NOT RUN. matrix.md/.json and index.html show it.
 */
#ifndef PST_CONTRACT_H
#define PST_CONTRACT_H

#include <stdio.h>

#include "registry.h"
#include "requirements.h"
#include "result.h"

#define PST_CONTRACT_SEEN_MAX 512 /* a few words of what a side did; longer is cut */

struct pst_contract_row {
	const char *operation;
	const char *verdict; /* as the requirements' column says it: "NOT RUN", "PASS", ... */
	char peeled[PST_CONTRACT_SEEN_MAX], reference[PST_CONTRACT_SEEN_MAX]; /* "" if unsaid */
	const char
	    *documents[16]; /* the sources of its requirements under the profile, once each */
	size_t ndocuments;
};

/*
 * Calls row() for each operation, in the order of the declared cases (all);
 * returns how many operations have no verdict in this run (not run, or all skipped).
 */
int pst_contract_each(const struct pst_reqs *reqs, const char *profile,
		      const struct pst_instance *inst, const struct pst_result *res, int n,
		      const struct pst_instance *all, int nall,
		      void (*row)(const struct pst_contract_row *r, void *arg), void *arg);

/* Appends the table to matrix.md (md) and a "contract" member to matrix.json (js). */
void pst_contract_write(FILE *md, FILE *js, const struct pst_reqs *reqs, const char *profile,
			const struct pst_instance *inst, const struct pst_result *res, int n,
			const struct pst_instance *all, int nall);

/*
 * What the log says one side did: the text after prefix on its first line
 * that begins with it, copied into out (len bytes); "" if none.
 */
void pst_contract_seen(const char *log, const char *prefix, char *out, size_t len);

#endif
