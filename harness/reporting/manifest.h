/*
 * The machine-readable record of a run, for the tools that read runs back
 * (kernel comparison, baseline diff, bisect, certification):
 *   results.tsv      a header line, then "suite<TAB>case<TAB>verdict<TAB>message<TAB>tags"
 *                    per case (case with its variant; tabs and newlines in the
 *                    message become spaces; tags: the case's CVEs and fixing
 *                    commits, space-separated, or empty). Runs written before the
 *                    tags column (PST_RESULTS_HEADER_NO_TAGS) are still read.
 *   environment.tsv  "key<TAB>value" per line: what was tested, where, with what
 */
#ifndef PST_MANIFEST_H
#define PST_MANIFEST_H

#include <stddef.h>
#include <stdio.h>

#include "result.h"

#define PST_RESULTS_TSV		   "results.tsv"
#define PST_ENVIRONMENT_TSV	   "environment.tsv"
#define PST_RESULTS_HEADER	   "suite\tcase\tverdict\tmessage\ttags"
#define PST_RESULTS_HEADER_NO_TAGS "suite\tcase\tverdict\tmessage"
#define PST_UNKNOWN		   "unknown"

/* One key of environment.tsv. A NULL or empty value is written as "unknown". */
struct pst_env_item {
	const char *key;
	const char *value;
};

int pst_results_tsv_write(FILE *f, const struct pst_result *res, size_t n);
int pst_environment_write(FILE *f, const struct pst_env_item *items, size_t n);
/* Both files into dir, atomically. 0, or -1 (errno). */
int pst_manifest_write_dir(const char *dir, const struct pst_result *res, size_t n,
			   const struct pst_env_item *items, size_t nitems);

#endif
