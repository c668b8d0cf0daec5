/*
 * Traceability: requirement -> cases -> verdict, for the run's profile, in
 * reports/matrix.md (for people) and reports/matrix.json (for tools).
 */
#ifndef PST_MATRIX_H
#define PST_MATRIX_H

#include <stdio.h>

#include "citations.h"
#include "registry.h"
#include "requirements.h"
#include "result.h"

/*
 * res[i] is the result of inst[i] (a NULL name: not run). Writes both files
 * atomically into dir, each requirement's source citations resolved against
 * refs (REF- ids link into dir/REFERENCES.md). Returns the number of the
 * profile's requirements that no case of the whole suite names (all: every
 * declared case), or -1 on a write error.
 */
int pst_matrix_write(const char *dir, const struct pst_reqs *reqs, const struct pst_refs *refs,
		     const char *profile, const struct pst_instance *inst,
		     const struct pst_result *res, int n, const struct pst_instance *all, int nall,
		     const char *run_name);

/*
 * One requirement's verdict in this run: "UNCOVERED" (no case names it), "NOT RUN"
 * (none of its cases was in this run), "NOT TESTED" (every one that ran was SKIP:
 * never a pass) or its worst case's verdict, skips aside.
 */
const char *pst_matrix_req_verdict(const struct pst_req *q, const struct pst_instance *inst,
				   const struct pst_result *res, int n,
				   const struct pst_instance *all, int nall);
/*
 * The worst verdict of the cases of this run that match key (as the
 * requirements' column says it: "NOT RUN", "NOT TESTED" or a verdict name).
 */
const char *pst_matrix_worst(const struct pst_instance *inst, const struct pst_result *res, int n,
			     bool (*match)(const struct pst_instance *in, const char *key),
			     const char *key);
/* How a report writes text and links. */
struct pst_cite_markup {
	const char *sep;					   /* between two citations */
	void (*text)(FILE *f, const char *s);			   /* escaped */
	void (*link)(FILE *f, const char *href, const char *text); /* text linked to href */
};
/*
 * A requirement's source citations, resolved against refs: each linked where it
 * can be looked up, a reference followed by its title, one that does not resolve
 * by why.
 */
void pst_matrix_sources(FILE *f, const struct pst_refs *refs, const char *source,
			const struct pst_cite_markup *m);

/* Does the instance's case name requirement id? */
bool pst_matrix_names(const struct pst_instance *in, const char *id);

/*
 * The catalogue check (make check): every id a case names exists, and every
 * requirement is named by a case. Prints what is wrong; returns the count.
 */
int pst_matrix_check(const struct pst_reqs *reqs, const struct pst_instance *all, int nall);

#endif
