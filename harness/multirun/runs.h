/*
 * An earlier run read back from its reports directory (results.tsv and
 * environment.tsv, see manifest.h), for the kernel comparison, the baseline
 * diff and the bisect verdict.
 */
#ifndef PST_RUNS_H
#define PST_RUNS_H

#include <stddef.h>

#include "result.h"

struct pst_run_row {
	char *id; /* "suite/case/variant": what rows of different runs are matched by */
	enum pst_verdict verdict;
	char *message;
	char *tags; /* the case's tags ("CVE-... linux-git:..."), "" when none or not recorded */
};

struct pst_run {
	char *dir;
	struct pst_run_row *rows;
	size_t n;
	char **env; /* key, value, key, value, ... */
	size_t nenv;
};

/*
 * Load dir/results.tsv (required) and dir/environment.tsv (optional). 0, or
 * -1 with one clear message in err (no such directory, no results.tsv, a
 * malformed line with its number).
 */
int pst_run_load(const char *dir, struct pst_run *r, char *err, size_t errlen);
/* Parse results.tsv text already in memory (the unit tests' way in). Same errors. */
int pst_run_parse_results(char *text, struct pst_run *r, char *err, size_t errlen);
/* An environment.tsv value, or "unknown". */
const char *pst_run_env(const struct pst_run *r, const char *key);
/* The row with this id, or NULL. */
const struct pst_run_row *pst_run_find(const struct pst_run *r, const char *id);
void pst_run_free(struct pst_run *r);

#endif
