/*
 * Unit tests of the kernel coverage table (harness/reporting/kcov_table.c) and of its
 * insertion into the reports (harness/reporting/kcov_reports.c): a JUnit document from
 * the real writer stays valid against the project's JUnit schema (PST_JUNIT_XSD)
 * with the properties in every <testsuite>, index.html gets its section, a
 * second pass and malformed input are refused, files are rewritten whole.
 */
#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "junit.h"
#include "kcov_reports.h"
#include "kcov_table.h"
#include "result.h"
#include "unit.h"

#define ERRLEN 256

static char tmpdir[] = "/tmp/pst_kcov.XXXXXX";

static const char table_text[] =
    "# "
    "function\tfirst_line\tlast_line\tlines_hit\tlines_total\tbranches_hit\tbranches_total\tcalls\n"
    "\n"
    "sctp_do_peeloff\t5656\t5703\t17\t17\t10\t10\t1106\n"
    "sctp_getsockopt_peeloff\t5742\t5773\t17\t17\t11\t12\t739\r\n";

static int suite_init(void)
{
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int suite_clean(void)
{
	char cmd[sizeof(tmpdir) + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static int read_table(const char *text, struct pst_kcov_table *t, char *err)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int rc;

	if (!f)
		return -2;
	rc = pst_kcov_table_read(f, t, err, ERRLEN);
	fclose(f);
	return rc;
}

static void table_rows_are_read_comments_and_crlf_skipped(void)
{
	struct pst_kcov_table t;
	char err[ERRLEN] = "";

	CU_ASSERT_EQUAL_FATAL(read_table(table_text, &t, err), 0);
	CU_ASSERT_EQUAL_FATAL(t.n, 2);
	CU_ASSERT_STRING_EQUAL(t.row[0].name, "sctp_do_peeloff");
	CU_ASSERT_EQUAL(t.row[0].first_line, 5656);
	CU_ASSERT_EQUAL(t.row[0].last_line, 5703);
	CU_ASSERT_EQUAL(t.row[0].calls, 1106);
	CU_ASSERT_EQUAL(t.row[1].branches_hit, 11);
	CU_ASSERT_EQUAL(t.row[1].branches_total, 12);
	CU_ASSERT_EQUAL(t.row[1].calls, 739);
}

static void malformed_rows_give_their_line_and_reason(void)
{
	static const struct {
		const char *text;
		const char *err;
	} rows[] = {
		{ "f\t1\t2\t3\t4\t5\t6\n", "line 1: expected 8 tab-separated fields, got fewer" },
		{ "#\nf\t1\t2\tx\t4\t5\t6\t7\n", "line 2: field 4 is not a number" },
		{ "f\t1\t2\t3\t4\t5\t6\t7\t8\n",
		  "line 1: expected 8 tab-separated fields, got more" },
		{ "f<x>\t1\t2\t3\t4\t5\t6\t7\n",
		  "line 1: expected a function name (letters, digits, '_') and a tab" },
		{ "f\t1\t2\t5\t4\t0\t0\t7\n", "line 1: f: more hit than total" },
	};
	struct pst_kcov_table t;
	char err[ERRLEN];

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		err[0] = '\0';
		CU_ASSERT_EQUAL(read_table(rows[i].text, &t, err), -1);
		CU_ASSERT_STRING_EQUAL(err, rows[i].err);
	}
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static void junit_gets_the_properties_in_every_testsuite_and_stays_valid(void)
{
	static const struct pst_run_info with = { .kernel = "6.1.0-uml", .target = "uml" };
	static const struct pst_run_info without = { .kernel = NULL };
	static const struct pst_result res[] = {
		{ .suite = "alpha", .name = "a", .verdict = PST_PASS },
		{ .suite = "beta",
		  .name = "b",
		  .verdict = PST_FAIL,
		  .message = "expected EBADF, got 0" },
	};
	const struct pst_run_info *infos[] = { &with, &without };
	struct pst_kcov_table t;
	char err[ERRLEN] = "", path[sizeof(tmpdir) + 32];

	CU_ASSERT_EQUAL_FATAL(read_table(table_text, &t, err), 0);
	snprintf(path, sizeof(path), "%s/junit.xml", tmpdir);
	for (size_t i = 0; i < sizeof(infos) / sizeof(infos[0]); i++) {
		char *doc;

		CU_ASSERT_EQUAL_FATAL(pst_junit_write_file(path, infos[i], res, 2), 0);
		CU_ASSERT_EQUAL_FATAL(pst_kcov_rewrite(path, &t, pst_kcov_junit, err, sizeof(err)),
				      0);
		CU_ASSERT_EQUAL(pst_unit_xmllint(path), 0);
		doc = pst_unit_slurp(path, NULL);
		CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
		CU_ASSERT_EQUAL(count(doc, "<properties>"), 2);
		CU_ASSERT_EQUAL(count(doc,
				      "<property name=\"kernel_coverage.sctp_do_peeloff.lines\" "
				      "value=\"17/17\"/>"),
				2);
		CU_ASSERT_EQUAL(
		    count(doc,
			  "<property name=\"kernel_coverage.sctp_getsockopt_peeloff.branches\" "
			  "value=\"11/12\"/>"),
		    2);
		CU_ASSERT_EQUAL(count(doc, "<property name=\"kernel\" value=\"6.1.0-uml\"/>"),
				infos[i] == &with ? 2 : 0);
		free(doc);
		/* A second pass would duplicate them: refused, the file untouched. */
		CU_ASSERT_EQUAL(pst_kcov_rewrite(path, &t, pst_kcov_junit, err, sizeof(err)), -1);
		CU_ASSERT_STRING_EQUAL(err, "already has kernel_coverage properties");
	}
}

static void junit_without_a_testsuite_is_refused(void)
{
	struct pst_kcov_table t = { .n = 0 };
	char err[ERRLEN] = "";

	CU_ASSERT_PTR_NULL(pst_kcov_junit("<testsuites>\n</testsuites>\n", &t, err, sizeof(err)));
	CU_ASSERT_STRING_EQUAL(err, "no <testsuite> element");
}

static void html_gets_its_section_before_the_body_end(void)
{
	struct pst_kcov_table t;
	char err[ERRLEN] = "";
	char *out;

	CU_ASSERT_EQUAL_FATAL(read_table(table_text, &t, err), 0);
	out = pst_kcov_html("<html><body><h1>x</h1>\n</body></html>\n", &t, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "<h1>x</h1>\n<h2 id=\"kernel-coverage\">"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "<tr><td><code>sctp_getsockopt_peeloff</code> "
					   "(5742-5773)</td><td>100.0 %</td><td>17/17</td>"
					   "<td>91.7 %</td><td>11/12</td><td>739</td></tr>\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "</table>\n</body></html>\n"));
	CU_ASSERT_PTR_NULL(pst_kcov_html(out, &t, err, sizeof(err)));
	CU_ASSERT_STRING_EQUAL(err, "already has a kernel coverage section");
	free(out);
	CU_ASSERT_PTR_NULL(pst_kcov_html("<html>", &t, err, sizeof(err)));
	CU_ASSERT_STRING_EQUAL(err, "no </body>");
}

static void rewrite_of_a_missing_file_fails_and_leaves_nothing(void)
{
	struct pst_kcov_table t = { .n = 0 };
	char err[ERRLEN] = "", path[sizeof(tmpdir) + 32];

	snprintf(path, sizeof(path), "%s/none/index.html", tmpdir);
	CU_ASSERT_EQUAL(pst_kcov_rewrite(path, &t, pst_kcov_html, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "cannot read it"));
	CU_ASSERT_NOT_EQUAL(access(path, F_OK), 0);
}

int main(void)
{
	static const struct pst_unit_test tests[] = {
		PST_UNIT_TEST(table_rows_are_read_comments_and_crlf_skipped),
		PST_UNIT_TEST(malformed_rows_give_their_line_and_reason),
		PST_UNIT_TEST(junit_gets_the_properties_in_every_testsuite_and_stays_valid),
		PST_UNIT_TEST(junit_without_a_testsuite_is_refused),
		PST_UNIT_TEST(html_gets_its_section_before_the_body_end),
		PST_UNIT_TEST(rewrite_of_a_missing_file_fails_and_leaves_nothing),
	};

	return pst_unit_main("kcov", tests, sizeof(tests) / sizeof(tests[0]), suite_init,
			     suite_clean);
}
