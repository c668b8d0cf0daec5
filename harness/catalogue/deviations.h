/*
 * Expected deviations: a reviewable waiver list. A case whose name matches an
 * entry for the run's profile and fails is XFAIL (with the entry's reference
 * in the report), never a silent pass; if it passes, it is XPASS.
 *
 * File format, one entry a line, tab separated, '#' starts a comment:
 *   profile  case-glob  reference  reason
 * where reference is a citation field (citations.h): where the deviation is documented.
 */
#ifndef PST_DEVIATIONS_H
#define PST_DEVIATIONS_H

#include <stddef.h>

struct pst_deviation {
	char profile[32];
	char glob[192]; /* fnmatch() against "suite/case" */
	char reference[256];
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
const struct pst_deviation *pst_deviations_find(const struct pst_deviations *d, const char *profile,
						const char *full_name);
void pst_deviations_free(struct pst_deviations *d);

#endif
