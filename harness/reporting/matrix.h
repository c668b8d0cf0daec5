/*
 * Traceability: requirement -> cases -> verdict, for the run's profile, in
 * reports/matrix.md (for people) and reports/matrix.json (for tools).
 */
#ifndef PST_MATRIX_H
#define PST_MATRIX_H

#include "registry.h"
#include "requirements.h"
#include "result.h"

/*
 * res[i] is the result of inst[i] (a NULL name: not run). Writes both files
 * atomically into dir. Returns the number of the profile's requirements that
 * no case of the whole suite names (all: every declared case), or -1 on a
 * write error.
 */
int pst_matrix_write(const char *dir, const struct pst_reqs *reqs, const char *profile,
		     const struct pst_instance *inst, const struct pst_result *res, int n,
		     const struct pst_instance *all, int nall, const char *run_name);

/* One requirement's verdict in this run: "UNCOVERED", "NOT RUN" or its worst case's verdict. */
const char *pst_matrix_req_verdict(const struct pst_req *q, const struct pst_instance *inst,
				   const struct pst_result *res, int n,
				   const struct pst_instance *all, int nall);
/* Does the instance's case name requirement id? */
bool pst_matrix_names(const struct pst_instance *in, const char *id);

/*
 * The catalogue check (make check): every id a case names exists, and every
 * requirement is named by a case. Prints what is wrong; returns the count.
 */
int pst_matrix_check(const struct pst_reqs *reqs, const struct pst_instance *all, int nall);

#endif
