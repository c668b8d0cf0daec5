/*
 * Runs compared with each other, from their results.tsv (runs.h):
 *  - kernels: one row per case, one column per kernel, rows that differ first
 *    (reports/compare.md, compare.json);
 *  - baseline: each case of this run against an earlier run's: new-fail,
 *    new-pass, unchanged, new case, removed (reports/baseline.md, .json);
 *  - bisect: one case's variants on one kernel as git bisect run's exit status.
 */
#ifndef PST_COMPARE_H
#define PST_COMPARE_H

#include <stdbool.h>
#include <stddef.h>

#include "known.h"
#include "runs.h"

#define PST_ABSENT (-1) /* a verdict slot of a case a run does not have */

/* ---- kernels ---- */

/* One column: a kernel run. status: run.sh's exit status; above 1 the run gave no results. */
struct pst_column {
	const char *label; /* "1-uml" */
	const char *spec;  /* what --kernels said: "uml:/path/linux" (NULL: not known) */
	int status;
	struct pst_run run; /* empty when the run could not complete */
};

struct pst_compare_row {
	const char *id;	  /* points into a column's run */
	const char *tags; /* the case's tags (the first run that recorded some), or "" */
	int *verdicts;	  /* one per column, or PST_ABSENT */
	bool differs;	  /* the columns that ran do not all agree */
};

struct pst_compare {
	size_t ncols, n, ndiffer;
	struct pst_compare_row *rows; /* differing rows first, each group in first-seen order */
};

/* Does a run with this status have results? (0, 1 a conformance failure, 4 CHANGED do.) */
bool pst_column_ran(const struct pst_column *c);
/* What a column's run was, for people: "completed, ...", or why it has no results. */
void pst_column_state(const struct pst_column *c, char *buf, size_t len);
/* run.sh's exit statuses the comparison tells apart. */
enum { PST_COMPARE_FAILURE = 1, PST_COMPARE_NO_RUN = 3, PST_COMPARE_CHANGED = 4 };
/*
 * The exit status of the whole --kernels run, as harness/multirun/multirun.sh
 * gives it: 3 a kernel could not run, else 1 a kernel had a conformance failure,
 * else 4 a reference behaviour changed, else 0.
 */
int pst_compare_status(const struct pst_column *cols, size_t ncols);
int pst_compare_columns(const struct pst_column *cols, size_t ncols, struct pst_compare *out);
/*
 * The known bug a differing row shows: one of the case's tags names it and the
 * row fails the run on some kernel (FAIL, XPASS, BROKEN, ERROR); else NULL.
 * known may be NULL (no catalogue).
 */
const struct pst_known_bug *pst_compare_known(const struct pst_compare_row *r, size_t ncols,
					      const struct pst_known *known);
/* dir/compare.md, dir/compare.json and dir/index.html. 0 or -1 (errno). known may be NULL. */
int pst_compare_write(const char *dir, const struct pst_column *cols, size_t ncols,
		      const struct pst_compare *c, const struct pst_known *known);
/* dir/index.html alone (compare_html.c). 0 or -1 (errno). */
int pst_compare_write_html(const char *dir, const struct pst_column *cols, size_t ncols,
			   const struct pst_compare *c, const struct pst_known *known);
void pst_compare_free(struct pst_compare *c);

/* ---- baseline ---- */

enum pst_change {
	PST_NEW_FAIL,	/* failed the run now, did not in the baseline */
	PST_NEW_PASS,	/* failed the run in the baseline, does not now */
	PST_ADDED_FAIL, /* not in the baseline, fails now: a new failure too */
	PST_ADDED,	/* not in the baseline, does not fail */
	PST_REMOVED,	/* in the baseline only */
	PST_UNCHANGED,	/* fails in both or in neither (the verdict may still differ: PASS -> SKIP)
			 */
	PST_CHANGE_COUNT
};

const char *pst_change_name(enum pst_change c);
/* old, now: verdicts or PST_ABSENT (not both absent). */
enum pst_change pst_change_of(int old, int now);
/* Does this change fail a --gate new-failures run? */
bool pst_change_gates(enum pst_change c);

struct pst_baseline_row {
	const char *id;
	int old, now;	     /* verdicts or PST_ABSENT */
	const char *message; /* this run's (the baseline's for a removed case) */
	enum pst_change change;
};

struct pst_baseline {
	struct pst_baseline_row *rows; /* this run's order, removed cases last */
	size_t n;
	unsigned counts[PST_CHANGE_COUNT];
};

int pst_baseline_diff(const struct pst_run *old, const struct pst_run *now,
		      struct pst_baseline *out);
/* New failures (PST_NEW_FAIL and PST_ADDED_FAIL). */
unsigned pst_baseline_new_failures(const struct pst_baseline *b);
/* dir/baseline.md and dir/baseline.json. 0 or -1 (errno). */
int pst_baseline_write(const char *dir, const struct pst_run *old, const struct pst_run *now,
		       const struct pst_baseline *b);
void pst_baseline_free(struct pst_baseline *b);

/* ---- bisect ---- */

enum { PST_BISECT_GOOD = 0, PST_BISECT_BAD = 1, PST_BISECT_SKIP = 125 };

/*
 * The verdicts of one case's variants as git bisect run reads an exit status:
 * any FAIL or ERROR: bad; else any BROKEN, or nothing but SKIP: this kernel
 * cannot be tested (skip); else (PASS, XFAIL, XPASS) good. why: which variant decided.
 */
int pst_bisect_status(const struct pst_run *r, char *why, size_t len);

#endif
