/*
 * Unit tests of the KTAP writer (harness/reporting/ktap.c): version line, plan, one
 * subtest per suite with its own plan, ok / not ok per case, SKIP and XFAIL
 * directives, ERROR and failure diagnostics, one line per result.
 */
#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ktap.h"
#include "unit.h"

static const struct pst_result results[] = {
	{ .suite = "alpha", .name = "pass", .verdict = PST_PASS },
	{ .suite = "alpha", .name = "skip", .verdict = PST_SKIP, .message = "no IPv6" },
	{ .suite = "alpha", .name = "xfail", .verdict = PST_XFAIL, .message = "waived\nsee #70" },
	{ .suite = "beta",
	  .name = "fail",
	  .verdict = PST_FAIL,
	  .message = "expected EBADF, got EINVAL" },
	{ .suite = "beta", .name = "error", .verdict = PST_ERROR, .message = "killed by SEGV" },
	{ .suite = "beta",
	  .name = "known",
	  .verdict = PST_FAIL,
	  .message = "got family 2 [0.0.0.0]:0",
	  .known = "known bug, fixed by linux-git:8467dda0c265 (sctp: x; in v5.18)" },
};

static char *render(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	CU_ASSERT_EQUAL(pst_ktap_write(f, NULL, results, sizeof(results) / sizeof(results[0])), 0);
	fclose(f);
	return buf;
}

static void document_has_version_plan_and_subtests(void)
{
	char *out = render();

	CU_ASSERT_EQUAL(strncmp(out, "KTAP version 1\n1..2\n", 20), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "    # Subtest: alpha\n    1..3\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "    # Subtest: beta\n    1..3\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\nok 1 alpha\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\nnot ok 2 beta\n"));
	free(out);
}

static void directives_and_diagnostics(void)
{
	char *out = render();

	CU_ASSERT_PTR_NOT_NULL(strstr(out, "    ok 1 pass\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "    ok 2 skip # SKIP no IPv6\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "    ok 3 xfail # XFAIL waived see _70\n"));
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(out, "    not ok 1 fail\n    # FAIL: expected EBADF, got EINVAL\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "    not ok 2 error # ERROR killed by SEGV\n"));
	/* A failure that is a known bug: a diagnostic line names its fix. */
	CU_ASSERT_PTR_NOT_NULL(strstr(out,
				      "    not ok 3 known\n    # FAIL: got family 2 [0.0.0.0]:0\n"
				      "    # known bug, fixed by linux-git:8467dda0c265 (sctp: x; "
				      "in v5.18)\n"));
	free(out);
}

int main(void)
{
	static const struct pst_unit_test tests[] = {
		PST_UNIT_TEST(document_has_version_plan_and_subtests),
		PST_UNIT_TEST(directives_and_diagnostics),
	};

	return pst_unit_main("ktap", tests, sizeof(tests) / sizeof(tests[0]), NULL, NULL);
}
