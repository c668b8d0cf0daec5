/*
 * The kernel coverage table put into the reports the runner wrote in the
 * guest (junit.xml, index.html): the coverage is captured on the host only
 * after the run, so kernel/coverage.sh rewrites both, atomically, through
 * build/kcov-annotate.
 */
#ifndef PST_KCOV_REPORTS_H
#define PST_KCOV_REPORTS_H

#include <stddef.h>

#include "kcov_table.h"

/*
 * A copy of the JUnit document with the table as properties of every
 * <testsuite> ("kernel_coverage.<function>.lines" = "hit/total", and
 * ".branches"): added to its <properties>, or as one if it has none. Malloc'd;
 * NULL with the reason in err (no <testsuite>, already annotated, no memory).
 */
char *pst_kcov_junit(const char *doc, const struct pst_kcov_table *t, char *err, size_t errlen);

/* A copy of index.html with a "Kernel coverage" section before </body>. Same contract. */
char *pst_kcov_html(const char *doc, const struct pst_kcov_table *t, char *err, size_t errlen);

/* Rewrite the file at path through one of the above, atomically. 0, or -1 with err. */
int pst_kcov_rewrite(const char *path, const struct pst_kcov_table *t,
		     char *(*annotate)(const char *, const struct pst_kcov_table *, char *, size_t),
		     char *err, size_t errlen);

#endif
