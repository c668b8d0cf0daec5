/*
 * KTAP version 1 (the kernel's Documentation/dev-tools/ktap.rst): what
 * kselftest runners, LAVA and KernelCI read. Suites are subtests; SKIP and
 * XFAIL are directives on "ok" lines; a failing case is "not ok".
 */
#ifndef PST_KTAP_H
#define PST_KTAP_H

#include <stdio.h>

#include "result.h"

int pst_ktap_write(FILE *out, const struct pst_run_info *info, const struct pst_result *res,
		   size_t n);
/* Same, to path, atomically (temp file + rename). 0 or -1. */
int pst_ktap_write_file(const char *path, const struct pst_run_info *info,
			const struct pst_result *res, size_t n);

#endif
