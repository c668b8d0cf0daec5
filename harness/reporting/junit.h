/* JUnit XML for Jenkins and GitLab (schema: jenkins-xunit-junit-10.xsd). */
#ifndef PST_JUNIT_H
#define PST_JUNIT_H

#include <stdio.h>

#include "result.h"

/*
 * Write one <testsuites> document: a <testsuite> per distinct suite name (in
 * first-appearance order), a <testcase> per result. Returns 0 or -1.
 */
int pst_junit_write(FILE *out, const struct pst_run_info *info, const struct pst_result *res,
		    size_t n);
/* Same, to path, atomically (temp file + rename): never a half report. */
int pst_junit_write_file(const char *path, const struct pst_run_info *info,
			 const struct pst_result *res, size_t n);

#endif
