/*
 * Unit tests of results.tsv and environment.tsv (harness/reporting/manifest.c) read back
 * by harness/multirun/runs.c: a round trip keeps every case, verdict, message (tabs
 * and newlines flattened) and tags, a run from before the tags column is still read,
 * "unknown" for an empty value, and clear errors for a missing directory, a wrong
 * header, a short line and an unknown verdict.
 */
#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "manifest.h"
#include "runs.h"
#include "unit.h"

static char dir[] = "/tmp/pst_manifest.XXXXXX";

static const struct pst_result results[] = {
	{ .suite = "alpha", .name = "pass/ipv4", .verdict = PST_PASS },
	{ .suite = "alpha",
	  .name = "fail/ipv6",
	  .verdict = PST_FAIL,
	  .message = "expected\tEBADF,\ngot EINVAL",
	  .tags = "CVE-2017-15115 linux-git:df80cd9b28b9" },
	{ .suite = "beta", .name = "skip", .verdict = PST_SKIP, .message = "no IPv6" },
	{ .suite = "beta",
	  .name = "known",
	  .verdict = PST_FAIL,
	  .message = "got family 2 [0.0.0.0]:0",
	  .tags = "linux-git:8467dda0c265",
	  .known = "known bug, fixed by linux-git:8467dda0c265 (sctp: x)" },
};
static const struct pst_env_item env[] = { { "kernel_release", "6.1.0-uml" },
					   { "kernel_config_sha256", NULL },
					   { "accelerator", "" } };

static int suite_init(void)
{
	return mkdtemp(dir) ? 0 : -1;
}

static int suite_clean(void)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, PST_RESULTS_TSV);
	unlink(path);
	snprintf(path, sizeof(path), "%s/%s", dir, PST_ENVIRONMENT_TSV);
	unlink(path);
	return rmdir(dir);
}

static void round_trip_keeps_cases_verdicts_messages(void)
{
	struct pst_run r;
	char err[256];

	CU_ASSERT_EQUAL_FATAL(pst_manifest_write_dir(dir, results, 4, env, 3), 0);
	CU_ASSERT_EQUAL_FATAL(pst_run_load(dir, &r, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(r.n, 4);
	/* A failure that is a known bug: its message says so (no new column for readers). */
	CU_ASSERT_STRING_EQUAL(r.rows[3].message, "got family 2 [0.0.0.0]:0; known bug, fixed by "
						  "linux-git:8467dda0c265 (sctp: x)");
	CU_ASSERT_STRING_EQUAL(r.rows[0].id, "alpha/pass/ipv4");
	CU_ASSERT_EQUAL(r.rows[0].verdict, PST_PASS);
	CU_ASSERT_STRING_EQUAL(r.rows[0].message, "");
	CU_ASSERT_STRING_EQUAL(r.rows[1].id, "alpha/fail/ipv6");
	CU_ASSERT_EQUAL(r.rows[1].verdict, PST_FAIL);
	CU_ASSERT_STRING_EQUAL(r.rows[1].message, "expected EBADF, got EINVAL");
	CU_ASSERT_STRING_EQUAL(r.rows[1].tags, "CVE-2017-15115 linux-git:df80cd9b28b9");
	CU_ASSERT_STRING_EQUAL(r.rows[0].tags, "");
	CU_ASSERT_PTR_NOT_NULL(pst_run_find(&r, "beta/skip"));
	CU_ASSERT_PTR_NULL(pst_run_find(&r, "beta/none"));
	pst_run_free(&r);
}

static void environment_values_and_unknown(void)
{
	struct pst_run r;
	char err[256];

	CU_ASSERT_EQUAL_FATAL(pst_manifest_write_dir(dir, results, 3, env, 3), 0);
	CU_ASSERT_EQUAL_FATAL(pst_run_load(dir, &r, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(pst_run_env(&r, "kernel_release"), "6.1.0-uml");
	CU_ASSERT_STRING_EQUAL(pst_run_env(&r, "kernel_config_sha256"), "unknown");
	CU_ASSERT_STRING_EQUAL(pst_run_env(&r, "accelerator"), "unknown");
	CU_ASSERT_STRING_EQUAL(pst_run_env(&r, "no_such_key"), "unknown");
	pst_run_free(&r);
}

static void missing_directory_is_named(void)
{
	struct pst_run r;
	char err[256];

	CU_ASSERT_EQUAL(pst_run_load("/nonexistent/pst", &r, err, sizeof(err)), -1);
	CU_ASSERT_STRING_EQUAL(err, "/nonexistent/pst: no such reports directory");
}

static void a_run_from_before_the_tags_column_is_read(void)
{
	struct pst_run r = { 0 };
	char text[] = PST_RESULTS_HEADER_NO_TAGS "\na\tb\tFAIL\tgot 0.0.0.0\n", err[256] = "";

	CU_ASSERT_EQUAL_FATAL(pst_run_parse_results(text, &r, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(r.n, 1);
	CU_ASSERT_STRING_EQUAL(r.rows[0].message, "got 0.0.0.0");
	CU_ASSERT_STRING_EQUAL(r.rows[0].tags, "");
	pst_run_free(&r);
}

static void parse_errors(const char *text, const char *want)
{
	struct pst_run r = { 0 };
	char *copy = strdup(text), err[256] = "";

	CU_ASSERT_EQUAL(pst_run_parse_results(copy, &r, err, sizeof(err)), -1);
	if (!strstr(err, want))
		fprintf(stderr, "\nexpected an error containing '%s', got '%s'\n", want, err);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, want));
	pst_run_free(&r);
	free(copy);
}

static void malformed_results_are_refused_with_line(void)
{
	parse_errors("", "is empty");
	parse_errors("case\tverdict\n", "line 1 is not the header");
	/* A --kernels run's top-level results.tsv (harness/multirun/merge.sh): every kernel's. */
	parse_errors("kernel\t" PST_RESULTS_HEADER "\n1-a\ts\tc\tPASS\t\t\n",
		     "is a --kernels run's, every kernel's cases: give one kernel's reports");
	parse_errors(PST_RESULTS_HEADER "\na\tb\tPASS\t\n",
		     "line 2: expected 5 tab-separated fields");
	parse_errors(PST_RESULTS_HEADER_NO_TAGS "\na\tb\tPASS\n",
		     "line 2: expected 4 tab-separated fields");
	parse_errors(PST_RESULTS_HEADER "\na\tb\tPASS\t\t\na\tc\tGREAT\tx\t\n",
		     "line 3: unknown verdict 'GREAT'");
}

int main(void)
{
	static const struct pst_unit_test tests[] = {
		PST_UNIT_TEST(round_trip_keeps_cases_verdicts_messages),
		PST_UNIT_TEST(environment_values_and_unknown),
		PST_UNIT_TEST(a_run_from_before_the_tags_column_is_read),
		PST_UNIT_TEST(missing_directory_is_named),
		PST_UNIT_TEST(malformed_results_are_refused_with_line),
	};

	return pst_unit_main("manifest", tests, sizeof(tests) / sizeof(tests[0]), suite_init,
			     suite_clean);
}
