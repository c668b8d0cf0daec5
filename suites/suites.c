/* The run order of the suites. */
#include "suites.h"

#include <stddef.h>

const struct pst_suite *const pst_all_suites[] = {
	&pst_suite_libsctp,
	&pst_suite_success,
	&pst_suite_errors,
	NULL,
};

const struct pst_suite *const pst_selftest_suites[] = {
	&pst_suite_selftest,
	NULL,
};
