/*
 * Expected deviations: a reviewable waiver list. An entry excuses the
 * failures of one named check of the cases its glob matches, under one
 * profile, on the implementations its ranges hold for; how the runner judges
 * with them: harness/runner/judge.h.
 *
 * File format, one entry a line, tab separated, '#' starts a comment:
 *   profile  case-glob  check  kernel  libsctp  reference  reason
 * check: an id the cases declare (struct pst_case .checks), never a safety
 * check; kernel, libsctp: the releases / versions it holds for ("*", "A..B",
 * "A..", "..B"; judge.h); reference: a citation field (citations.h), where
 * the deviation is documented.
 */
#ifndef PST_DEVIATIONS_H
#define PST_DEVIATIONS_H

#include <stddef.h>

struct pst_deviation {
	char profile[32];
	char glob[192]; /* fnmatch() against "suite/case" */
	char check[64];
	char kernel[64];  /* kernel release range */
	char libsctp[64]; /* libsctp version range */
	char reference[256];
	char where[160]; /* file:line, for messages */
	char reason[512];
};

struct pst_deviations {
	struct pst_deviation *v;
	size_t n;
};

/* Load path (a missing file is an empty list). 0, or -1 with the reason in err. */
int pst_deviations_load(const char *path, struct pst_deviations *d, char *err, size_t errlen);
/* Load every *.tsv of dir (one file per area), in name order. 0, or -1 with the reason. */
int pst_deviations_load_dir(const char *dir, struct pst_deviations *d, char *err, size_t errlen);
void pst_deviations_free(struct pst_deviations *d);

#endif
