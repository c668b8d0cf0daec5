/*
 * The peeled socket's one-to-one contract as a table of the matrix: one row per
 * operation a case names (.contract): the documents its requirements cite,
 * what the peeled socket and the reference one-to-one socket did (the cases'
 * pst_observe() lines, read back from their logs) and the worst verdict of its
 * cases in this run. An operation no case of this run reached is NOT RUN.
 */
#ifndef PST_CONTRACT_H
#define PST_CONTRACT_H

#include <stdio.h>

#include "registry.h"
#include "requirements.h"
#include "result.h"

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
