/*
 * The per-function kernel coverage table that kernel/coverage-table.sh writes
 * (reports/kernel-coverage-functions.tsv): one row per peeloff function, its
 * lines and branches hit/total. Read here to be put into the JUnit and HTML
 * reports after the run (harness/reporting/kcov_reports.h).
 */
#ifndef PST_KCOV_TABLE_H
#define PST_KCOV_TABLE_H

#include <stdio.h>

#define PST_KCOV_NAME_MAX 64 /* a kernel function name, NUL included */
#define PST_KCOV_ROWS_MAX 16 /* more functions than the table ever names */

struct pst_kcov_row {
	char name[PST_KCOV_NAME_MAX]; /* letters, digits and '_' only: safe in XML and HTML */
	unsigned long first_line, last_line;
	unsigned long lines_hit, lines_total;
	unsigned long branches_hit, branches_total;
	unsigned long calls;
};

struct pst_kcov_table {
	struct pst_kcov_row row[PST_KCOV_ROWS_MAX];
	size_t n;
};

/*
 * Read the tab-separated table: '#' comment lines and blank lines skipped;
 * each row "name first last lines_hit lines_total branches_hit branches_total
 * calls", hits not above totals. Returns 0, or -1 with "line N: what" in err.
 */
int pst_kcov_table_read(FILE *in, struct pst_kcov_table *t, char *err, size_t errlen);

#endif
