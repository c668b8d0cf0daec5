/*
 * The judge: a case's verdict from everything the case and the harness
 * recorded of it, and the waivers that apply to it.
 *
 * Nothing recorded is lost: the verdict is the worst of the case's evidence,
 * in the order ERROR (crash, timeout) > FAIL > BROKEN > CHANGED > XFAIL >
 * SKIP > PASS (LTP's TFAIL/TBROK model), and everything else the case
 * recorded goes into the detail. A kernel report during the case (a failure
 * of the safety check no_kernel_report) is the one FAIL that outranks an
 * ERROR, and its message leads: the crash, the hang or the case's own
 * failures may be the kernel bug's doing. A failed requirement check is
 * FAIL; a failed reference check (case.h: "ref:") is CHANGED. A waiver (deviations.h) excuses the
 * failures of the one check it names, for the profile and the range of implementations it states; a
 * failure of any other check stays FAIL, and a safety check is never excused. A waived check that
 * was reached and passed is a stale waiver: PASS with a note, XPASS (a failed run) with
 * --strict-waivers.
 */
#ifndef PST_JUDGE_H
#define PST_JUDGE_H

#include <stdbool.h>
#include <stddef.h>

#include "case.h"
#include "deviations.h"
#include "registry.h"
#include "result.h"

/* One failure the case (or the harness, for the case) recorded. */
struct pst_failure {
	char *check; /* the check it belongs to; "" the case's unnamed checks */
	char *file;
	int line;
	char *text;
};

/* What a case reported and how it ended (the evidence), then its verdict. */
struct pst_outcome {
	/* evidence */
	char *error;  /* why the case is an ERROR (crash, timeout), or NULL */
	char *broken; /* the first setup failure ("text (file:line)"), or NULL */
	char *skip;   /* the first skip reason, or NULL */
	struct pst_failure *fails;
	size_t nfails;
	char **reached; /* the named checks the case reached (pst_check), each once */
	size_t nreached;
	/* the judge's verdict */
	enum pst_verdict verdict;
	double seconds;
	double started; /* seconds since the epoch (CLOCK_REALTIME); 0: unknown */
	char *message;	/* malloc'd, one line */
	char *detail;	/* malloc'd, every failure and note, "file:line: text" a line, or NULL */
	char *log;	/* malloc'd: pst_log() lines and the process's stdout/stderr */
	char *file;	/* where the failure the message names was recorded, for CUnit */
	int line;
};

/* Evidence: each returns -1 only when out of memory. */
int pst_outcome_fail(struct pst_outcome *o, const char *check, const char *file, int line,
		     const char *text);
int pst_outcome_reach(struct pst_outcome *o, const char *check);
/* The first of each kind is kept; a later one is only in the detail. */
void pst_outcome_set(char **slot, const char *text);
void pst_outcome_free(struct pst_outcome *o);

/* The implementation under test, as the waivers' ranges read it. */
struct pst_impl {
	const char *kernel;  /* the kernel release: "6.1.0-57-amd64" */
	const char *libsctp; /* libsctp's version, "1.0.19"; NULL or "" if unknown */
};

struct pst_judge_cfg {
	const struct pst_deviations *waivers;
	const char *profile;
	struct pst_impl impl;
	bool strict_waivers; /* a stale waiver is XPASS, not PASS */
};

/* Sets o's verdict, message, detail, file and line from its evidence. */
void pst_judge(struct pst_outcome *o, const struct pst_case *tc, const char *full_name,
	       const struct pst_judge_cfg *cfg);

/*
 * Every waiver names a check that a case its glob matches declares, none a
 * safety check, with well-formed ranges: 0, or -1 with the first problem.
 */
int pst_judge_check_waivers(const struct pst_deviations *w, const struct pst_instance *all,
			    int nall, char *err, size_t errlen);

/*
 * Does the waiver's range hold for version? Ranges: "*" (any), "A..B",
 * "A.." or "..B", inclusive, compared number by number ("5.10" < "6.1.0-57"
 * < "6.12"); an unknown version is in no range but "*".
 */
bool pst_range_holds(const char *range, const char *version);
/* Is range well formed? */
bool pst_range_valid(const char *range);

#endif
