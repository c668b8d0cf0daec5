/*
 * build/kcov-annotate TABLE REPORTS_DIR: put the kernel coverage table
 * (kernel-coverage-functions.tsv) into REPORTS_DIR/junit.xml and index.html,
 * which the runner wrote inside the guest before the coverage existed.
 * Exit status: 0 done (a report the run did not write is left out), 2 usage
 * error, 3 a report could not be read, annotated or written.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kcov_reports.h"
#include "kcov_table.h"

#define ERRLEN 512

int main(int argc, char **argv)
{
	static const struct {
		const char *file;
		char *(*annotate)(const char *, const struct pst_kcov_table *, char *, size_t);
	} reports[] = { { "junit.xml", pst_kcov_junit }, { "index.html", pst_kcov_html } };
	struct pst_kcov_table t;
	char err[ERRLEN], path[4096];
	FILE *in;
	int rc;

	if (argc != 3) {
		fprintf(stderr, "usage: %s TABLE REPORTS_DIR\n", argv[0]);
		return 2;
	}
	in = fopen(argv[1], "r");
	if (!in) {
		fprintf(stderr, "kcov-annotate: cannot open %s\n", argv[1]);
		return 2;
	}
	rc = pst_kcov_table_read(in, &t, err, sizeof(err));
	fclose(in);
	if (rc < 0) {
		fprintf(stderr, "kcov-annotate: %s: %s\n", argv[1], err);
		return 2;
	}
	for (size_t i = 0; i < sizeof(reports) / sizeof(reports[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", argv[2], reports[i].file);
		if (access(path, F_OK) != 0)
			continue;
		if (pst_kcov_rewrite(path, &t, reports[i].annotate, err, sizeof(err)) < 0) {
			fprintf(stderr, "kcov-annotate: %s: %s\n", path, err);
			return 3;
		}
	}
	return 0;
}
