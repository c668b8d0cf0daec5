/*
 * Unit tests of the run's page (harness/reporting/html.c) over results of every
 * verdict, declared passing first: the overall verdict on top says what the
 * exit status says; the failures come first, failures and errors before
 * CHANGED and BROKEN, the accepted ones after; requirements and cases link to
 * each other; tags link to the commit and the CVE record; every case is on
 * the page with its time; no script. How it renders: tests/html_check.sh.
 * Runs from the top of the project (make unit).
 */
#include <CUnit/Basic.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "textout.h"
#include "unit.h"

static char tmpdir[] = "/tmp/pst_html.XXXXXX";
static struct pst_reqs reqs;
static struct pst_refs refs;

/* R-ONE and R-TWO are the linux profile's; R-SOL is another profile's. */
static const char catalogue[] =
    "R-ONE\tlinux\tsctp_peeloff(3) DESCRIPTION\tThe first sentence.\n"
    "R-TWO\tlinux,solaris\tsctp_peeloff(3) RETURN VALUE\tThe second sentence.\n"
    "R-SOL\tsolaris\tsctp_peeloff(3) ERRORS\tAnother profile's sentence.\n";

static const struct pst_case cases_v[] = {
	{ .name = "p_passes", .reqs = "R-ONE", .contract = "getsockname" },
	{ .name = "s_skips", .reqs = "R-TWO" },
	{ .name = "x_xfails", .reqs = "R-TWO" },
	{ .name = "a_accepted", .reqs = "R-TWO" },
	{ .name = "b_broken", .reqs = "R-TWO" },
	{ .name = "c_changed", .reqs = "R-TWO" },
	{ .name = "x_xpasses", .reqs = "R-TWO" },
	{ .name = "e_errs", .reqs = "R-TWO" },
	{ .name = "f_fails",
	  .reqs = "R-ONE R-SOL",
	  .tags = "CVE-2017-15115 linux-git:8467dda0c265" },
};
static const struct pst_suite suite = { .name = "sa", .cases = cases_v, .ncases = 9 };

enum { NCASES = 10 };
static struct pst_instance inst[NCASES];
static struct pst_result res[NCASES];

static int suite_init(void)
{
	static const char refs_doc[] = "# References\n### REF-X\n**A reference**\n";
	/* one row per case, the first case twice (two variants) */
	static const struct {
		int tc;
		const char *name;
		enum pst_verdict v;
		int accepted;
	} rows[NCASES] = {
		{ 0, "p_passes/ipv4", PST_PASS, 0 }, { 0, "p_passes/ipv6", PST_PASS, 0 },
		{ 1, "s_skips", PST_SKIP, 0 },	     { 2, "x_xfails", PST_XFAIL, 0 },
		{ 3, "a_accepted", PST_FAIL, 1 },    { 4, "b_broken", PST_BROKEN, 0 },
		{ 5, "c_changed", PST_CHANGED, 0 },  { 6, "x_xpasses", PST_XPASS, 0 },
		{ 7, "e_errs", PST_ERROR, 0 },	     { 8, "f_fails", PST_FAIL, 0 },
	};
	char path[PATH_MAX], err[512];

	if (!mkdtemp(tmpdir) ||
	    pst_unit_write_file(tmpdir, "reqs.tsv", catalogue, path, sizeof(path)) < 0 ||
	    pst_reqs_load_dir(tmpdir, &reqs, err, sizeof(err)) < 0 ||
	    pst_unit_write_file(tmpdir, "REFERENCES.md", refs_doc, path, sizeof(path)) < 0 ||
	    pst_refs_load(path, &refs, err, sizeof(err)) < 0)
		return -1;
	for (int i = 0; i < NCASES; i++) {
		inst[i] = (struct pst_instance){ .suite = &suite, .tc = &cases_v[rows[i].tc] };
		snprintf(inst[i].name, sizeof(inst[i].name), "%s", rows[i].name);
		res[i] = (struct pst_result){ .suite = "sa",
					      .name = inst[i].name,
					      .verdict = rows[i].v,
					      .seconds = 0.25 * (i + 1),
					      .message = "expected EBADF, got EINVAL",
					      .reqs = inst[i].tc->reqs,
					      .tags = inst[i].tc->tags,
					      .accepted = rows[i].accepted };
	}
	res[NCASES - 1].known = "known bug, fixed by linux-git:8467dda0c265 (sctp: Initialize "
				"daddr on peeled off socket; in v5.18)";
	res[NCASES - 1].detail = "suites/x.c:1: [check] expected EBADF, got EINVAL";
	res[NCASES - 1].log = "the case's own log line";
	res[0].log =
	    PST_SEEN_PEELED_PREFIX "10.0.0.1:5001\n" PST_SEEN_REFERENCE_PREFIX "10.0.0.1:5002\n";
	return 0;
}

static int suite_clean(void)
{
	pst_reqs_free(&reqs);
	pst_refs_free(&refs);
	return pst_unit_remove_dir(tmpdir);
}

/* The page written for a run whose closing figures are t (NULL: none given), malloc'd. */
static char *page(const struct pst_tally *t)
{
	const struct pst_run_info info = { .kernel = "6.1.0",
					   .target = "uml",
					   .profile = "linux",
					   .libsctp = "libsctp.so.1.0.19",
					   .suite_version = "abc123",
					   .timestamp = "2026-12-07T00:00:00Z",
					   .changes_fail = 1,
					   .tally = t };
	char path[PATH_MAX];

	CU_ASSERT_EQUAL_FATAL(
	    pst_html_write(tmpdir, &info, &reqs, &refs, inst, res, NCASES, inst, NCASES), 0);
	snprintf(path, sizeof(path), "%s/index.html", tmpdir);
	return pst_unit_slurp(path, NULL);
}

/* Where s is in doc (NULL: nowhere), for the order assertions. */
static const char *at(const char *doc, const char *s)
{
	const char *p = strstr(doc, s);

	if (!p)
		fprintf(stderr, "\n    not on the page: %s\n", s);
	return p;
}

static unsigned count(const char *doc, const char *s)
{
	unsigned n = 0;

	for (const char *p = doc; (p = strstr(p, s)); p += strlen(s))
		n++;
	return n;
}

static void verdict_on_top_is_the_exit_status(void)
{
	const struct pst_tally fail = {
		.passed = 3, .failed = 5, .skipped = 2, .accepted = 1, .changed = 1, .status = 1
	};
	char *doc = page(&fail);

	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	CU_ASSERT_PTR_NOT_NULL(at(doc, "<section id=\"verdict\" class=\"v-FAIL\">"));
	CU_ASSERT_PTR_NOT_NULL(at(doc, "exit status 1: a conformance failure"));
	/* the terminal's closing line, the runner's figures */
	CU_ASSERT_PTR_NOT_NULL(at(doc, "conformance: 3 passed, 5 failed, 2 skipped"));
	CU_ASSERT_PTR_NOT_NULL(at(doc, "1 failure accepted: the baseline failed it too"));
	CU_ASSERT_PTR_NOT_NULL(at(doc, "1 of the failing cases is a known kernel bug"));
	/* before anything else of the page */
	CU_ASSERT_TRUE(at(doc, "id=\"verdict\"") < at(doc, "id=\"failures\""));
	CU_ASSERT_TRUE(at(doc, "id=\"failures\"") < at(doc, "id=\"suites\""));
	CU_ASSERT_TRUE(at(doc, "id=\"suites\"") < at(doc, "id=\"requirements\""));
	CU_ASSERT_TRUE(at(doc, "id=\"requirements\"") < at(doc, "id=\"cases\""));
	free(doc);
}

static void passing_and_changed_runs_say_so(void)
{
	const struct pst_tally pass = { .passed = 8, .status = 0 };
	const struct pst_tally changed = { .passed = 8, .failed = 1, .changed = 1, .status = 4 };
	char *doc = page(&pass);

	CU_ASSERT_PTR_NOT_NULL(at(doc, "class=\"v-PASS\">\n<p><span class=\"word\">PASS</span>"));
	CU_ASSERT_PTR_NOT_NULL(at(doc, "exit status 0: every case passed"));
	free(doc);
	doc = page(&changed);
	CU_ASSERT_PTR_NOT_NULL(at(doc, "<span class=\"word\">CHANGED</span>exit status 4"));
	free(doc);
	/* no figures given: the page's own, from the results (a requirement failed) */
	doc = page(NULL);
	CU_ASSERT_PTR_NOT_NULL(at(doc, "<span class=\"word\">FAIL</span>exit status 1"));
	CU_ASSERT_PTR_NOT_NULL(at(doc, "conformance: 3 passed, 5 failed, 2 skipped"));
	free(doc);
}

static void failures_first_in_their_order(void)
{
	static const char *const want[] = {
		"id=\"fail-sa/f_fails\"",   "id=\"fail-sa/e_errs\"",   "id=\"fail-sa/x_xpasses\"",
		"id=\"fail-sa/c_changed\"", "id=\"fail-sa/b_broken\"", "id=\"fail-sa/a_accepted\"",
	};
	char *doc = page(NULL);
	const char *prev = doc;

	CU_ASSERT_PTR_NOT_NULL(at(doc, "Failures (6)"));
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const char *p = at(doc, want[i]);

		CU_ASSERT_TRUE(p && p > prev);
		prev = p ? p : prev;
	}
	/* with their message, known bug (its fix linked), detail and log */
	CU_ASSERT_PTR_NOT_NULL(
	    at(doc, "<b class=\"known\">known bug, fixed by <a href=\"" PST_LINUX_GIT_URL
		    "8467dda0c265\">linux-git:8467dda0c265</a> (sctp: Initialize"));
	CU_ASSERT_PTR_NOT_NULL(
	    at(doc, "<pre>suites/x.c:1: [check] expected EBADF, got EINVAL</pre>"));
	CU_ASSERT_PTR_NOT_NULL(
	    at(doc, "<summary>the case's log</summary><pre>the case's own log line"));
	CU_ASSERT_PTR_NOT_NULL(at(doc, "<td>FAIL (accepted)</td>"));
	/* what did not fail is not among them */
	CU_ASSERT_PTR_NULL(strstr(doc, "id=\"fail-sa/x_xfails\""));
	CU_ASSERT_PTR_NULL(strstr(doc, "id=\"fail-sa/p_passes/ipv4\""));
	CU_ASSERT_PTR_NULL(strstr(doc, "id=\"fail-sa/s_skips\""));
	free(doc);
}

static void requirements_and_cases_link_both_ways(void)
{
	char *doc = page(NULL);

	/* case -> requirement, for the profile's requirements only */
	CU_ASSERT_PTR_NOT_NULL(at(doc, "<tr class=\"bad\" id=\"req-R-ONE\">"));
	CU_ASSERT_PTR_NOT_NULL(at(doc, "<a href=\"#req-R-ONE\">R-ONE</a> <span>R-SOL</span>"));
	CU_ASSERT_PTR_NULL(strstr(doc, "id=\"req-R-SOL\""));
	/* requirement -> case: each variant linked, with its verdict */
	CU_ASSERT_PTR_NOT_NULL(at(doc, "href=\"#case-sa/p_passes/ipv4\" title=\"sa/p_passes/ipv4: "
				       "PASS\">ipv4</a>"));
	CU_ASSERT_PTR_NOT_NULL(
	    at(doc, "href=\"#case-sa/f_fails\" title=\"sa/f_fails: FAIL\">FAIL</a>"));
	CU_ASSERT_TRUE(at(doc, "id=\"req-R-ONE\"") < at(doc, "href=\"#case-sa/p_passes/ipv4\""));
	/* every case once in the case table, with its time; a failure links to its detail */
	CU_ASSERT_EQUAL(count(doc, "<tr class=\"v-"), NCASES);
	CU_ASSERT_EQUAL(count(doc, "<tr class=\"failure "), 6);
	CU_ASSERT_EQUAL(count(doc, "\" id=\"case-sa/"), NCASES);
	CU_ASSERT_PTR_NOT_NULL(at(doc, "<td class=\"num\">2.500 s</td>"));
	CU_ASSERT_PTR_NOT_NULL(at(doc, "(<a href=\"#fail-sa/f_fails\">detail and log</a>)"));
	free(doc);
}

static void tags_link_and_page_has_no_script(void)
{
	char *doc = page(NULL);

	CU_ASSERT_PTR_NOT_NULL(
	    at(doc, "<a href=\"" PST_CVE_URL "CVE-2017-15115\">CVE-2017-15115</a> "
		    "<a href=\"" PST_LINUX_GIT_URL "8467dda0c265\">linux-git:8467dda0c265</a>"));
	/* the per-suite summary: a bar and the figures */
	CU_ASSERT_PTR_NOT_NULL(at(doc, "<svg width=\"200\""));
	CU_ASSERT_PTR_NOT_NULL(at(doc, "<title>sa: 1 FAIL 1 ERROR 1 XPASS 1 CHANGED 1 BROKEN 1 "
				       "accepted 1 XFAIL 1 SKIP 2 PASS"));
	CU_ASSERT_PTR_NULL(strstr(doc, "<script"));
	free(doc);
}

/* What links in a text: whole tags at a word's start; too short a commit id does not. */
/* The one-to-one contract: a row per operation, both sides, before the cases. */
static void contract_table_after_requirements(void)
{
	char *doc = page(NULL);
	const char *req, *con, *cas;

	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	req = at(doc, "<h2 id=\"requirements\">");
	con = at(doc, "<h2 id=\"contract\">");
	cas = at(doc, "<h2 id=\"cases\">");
	CU_ASSERT(req && con && cas && req < con && con < cas);
	CU_ASSERT_PTR_NOT_NULL(at(doc,
				  "<tr class=\"pass\"><td>getsockname</td><td>sctp_peeloff(3) "
				  "DESCRIPTION</td><td>10.0.0.1:5001</td><td>10.0.0.1:5002</td>"
				  "<td>PASS</td></tr>"));
	free(doc);
}

static void linked_text(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	pst_html_linked(f, "a <b> linux-git:abc xCVE-1-2 CVE-2017-15115, (linux-git:8467dda0c265)");
	fclose(f);
	CU_ASSERT_STRING_EQUAL(buf,
			       "a &lt;b&gt; linux-git:abc xCVE-1-2 <a href=\"" PST_CVE_URL
			       "CVE-2017-15115\">CVE-2017-15115</a>, (<a href=\"" PST_LINUX_GIT_URL
			       "8467dda0c265\">linux-git:8467dda0c265</a>)");
	free(buf);
}

int main(void)
{
	static const struct pst_unit_test tests[] = {
		PST_UNIT_TEST(verdict_on_top_is_the_exit_status),
		PST_UNIT_TEST(passing_and_changed_runs_say_so),
		PST_UNIT_TEST(failures_first_in_their_order),
		PST_UNIT_TEST(requirements_and_cases_link_both_ways),
		PST_UNIT_TEST(tags_link_and_page_has_no_script),
		PST_UNIT_TEST(linked_text),
		PST_UNIT_TEST(contract_table_after_requirements),
	};

	return pst_unit_main("html", tests, sizeof(tests) / sizeof(tests[0]), suite_init,
			     suite_clean);
}
