/*
 * Unit tests of the run comparisons (harness/multirun/compare.c): the baseline
 * classification of every verdict pair, the diff over two runs (changed,
 * new and removed cases, what the gate counts), the kernel matrix (differing
 * rows first, a run that could not run ignored, a missing case a difference)
 * and the bisect status of a case's variants; the known-bugs catalogue: a differing
 * row that fails somewhere names the fix its tags point at, in compare.md, .json
 * and index.html, and a malformed catalogue line is refused with its number.
 */
#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compare.h"
#include "textout.h"
#include "unit.h"

/* A run from results.tsv text: header, then the rows. */
static struct pst_run run_with(const char *header, const char *body)
{
	struct pst_run r = { 0 };
	char err[256], *text;

	CU_ASSERT_FATAL(asprintf(&text, "%s\n%s", header, body) > 0);
	if (pst_run_parse_results(text, &r, err, sizeof(err)) < 0)
		fprintf(stderr, "\n%s\n", err);
	free(text);
	return r;
}

/* Rows without the tags column (a run from before it). */
static struct pst_run run_of(const char *body)
{
	return run_with("suite\tcase\tverdict\tmessage", body);
}

static void change_of_every_verdict_pair(void)
{
	/* fails the run: FAIL XPASS BROKEN ERROR; does not: PASS XFAIL SKIP */
	CU_ASSERT_EQUAL(pst_change_of(PST_PASS, PST_FAIL), PST_NEW_FAIL);
	CU_ASSERT_EQUAL(pst_change_of(PST_SKIP, PST_ERROR), PST_NEW_FAIL);
	CU_ASSERT_EQUAL(pst_change_of(PST_XFAIL, PST_XPASS), PST_NEW_FAIL);
	CU_ASSERT_EQUAL(pst_change_of(PST_FAIL, PST_PASS), PST_NEW_PASS);
	CU_ASSERT_EQUAL(pst_change_of(PST_BROKEN, PST_SKIP), PST_NEW_PASS);
	CU_ASSERT_EQUAL(pst_change_of(PST_FAIL, PST_ERROR), PST_UNCHANGED);
	CU_ASSERT_EQUAL(pst_change_of(PST_PASS, PST_SKIP), PST_UNCHANGED);
	CU_ASSERT_EQUAL(pst_change_of(PST_PASS, PST_PASS), PST_UNCHANGED);
	CU_ASSERT_EQUAL(pst_change_of(PST_ABSENT, PST_FAIL), PST_ADDED_FAIL);
	CU_ASSERT_EQUAL(pst_change_of(PST_ABSENT, PST_PASS), PST_ADDED);
	CU_ASSERT_EQUAL(pst_change_of(PST_FAIL, PST_ABSENT), PST_REMOVED);
	CU_ASSERT_TRUE(pst_change_gates(PST_NEW_FAIL));
	CU_ASSERT_TRUE(pst_change_gates(PST_ADDED_FAIL));
	CU_ASSERT_FALSE(pst_change_gates(PST_NEW_PASS));
	CU_ASSERT_FALSE(pst_change_gates(PST_UNCHANGED));
	CU_ASSERT_FALSE(pst_change_gates(PST_REMOVED));
	CU_ASSERT_STRING_EQUAL(pst_change_name(PST_NEW_FAIL), "new-fail");
	CU_ASSERT_STRING_EQUAL(pst_change_name(PST_UNCHANGED), "unchanged");
}

static void baseline_diff_over_two_runs(void)
{
	struct pst_run old = run_of("s\ta\tPASS\t\ns\tb\tFAIL\tx\ns\tc\tPASS\t\ns\tgone\tPASS\t\n");
	struct pst_run now =
	    run_of("s\ta\tFAIL\texpected EBADF, got EINVAL\ns\tb\tPASS\t\n"
		   "s\tc\tSKIP\tno IPv6\ns\tnew\tERROR\ttimeout\ns\tnew2\tPASS\t\n");
	struct pst_baseline b;

	CU_ASSERT_EQUAL_FATAL(pst_baseline_diff(&old, &now, &b), 0);
	CU_ASSERT_EQUAL_FATAL(b.n, 6);
	CU_ASSERT_STRING_EQUAL(b.rows[0].id, "s/a");
	CU_ASSERT_EQUAL(b.rows[0].change, PST_NEW_FAIL);
	CU_ASSERT_STRING_EQUAL(b.rows[0].message, "expected EBADF, got EINVAL");
	CU_ASSERT_EQUAL(b.rows[1].change, PST_NEW_PASS);
	CU_ASSERT_EQUAL(b.rows[2].change, PST_UNCHANGED);
	CU_ASSERT_EQUAL(b.rows[2].old, PST_PASS);
	CU_ASSERT_EQUAL(b.rows[2].now, PST_SKIP);
	CU_ASSERT_EQUAL(b.rows[3].change, PST_ADDED_FAIL);
	CU_ASSERT_EQUAL(b.rows[4].change, PST_ADDED);
	CU_ASSERT_STRING_EQUAL(b.rows[5].id, "s/gone"); /* removed cases last */
	CU_ASSERT_EQUAL(b.rows[5].change, PST_REMOVED);
	CU_ASSERT_EQUAL(b.rows[5].now, PST_ABSENT);
	CU_ASSERT_EQUAL(pst_baseline_new_failures(&b), 2);
	CU_ASSERT_EQUAL(b.counts[PST_UNCHANGED], 1);
	pst_baseline_free(&b);
	pst_run_free(&old);
	pst_run_free(&now);
}

static void identical_runs_have_no_new_failures(void)
{
	struct pst_run old = run_of("s\ta\tFAIL\tx\ns\tb\tPASS\t\n");
	struct pst_run now = run_of("s\ta\tFAIL\tx\ns\tb\tPASS\t\n");
	struct pst_baseline b;

	CU_ASSERT_EQUAL_FATAL(pst_baseline_diff(&old, &now, &b), 0);
	CU_ASSERT_EQUAL(pst_baseline_new_failures(&b), 0);
	CU_ASSERT_EQUAL(b.counts[PST_UNCHANGED], 2);
	pst_baseline_free(&b);
	pst_run_free(&old);
	pst_run_free(&now);
}

static void kernel_matrix_differences_first(void)
{
	struct pst_column cols[3] = {
		{ .label = "1-uml",
		  .status = 0,
		  .run = run_of("s\ta\tPASS\t\ns\tb\tPASS\t\ns\tc\tSKIP\t\n") },
		{ .label = "2-uml",
		  .status = 1,
		  .run = run_of("s\ta\tPASS\t\ns\tb\tFAIL\tx\ns\tc\tSKIP\t\ns\td\tPASS\t\n") },
		{ .label = "3-qemu", .status = 3 }, /* could not run: no column of verdicts */
	};
	struct pst_compare c;

	CU_ASSERT_EQUAL_FATAL(pst_compare_columns(cols, 3, &c), 0);
	CU_ASSERT_EQUAL_FATAL(c.n, 4);
	CU_ASSERT_EQUAL(c.ndiffer, 2);
	CU_ASSERT_STRING_EQUAL(c.rows[0].id, "s/b");
	CU_ASSERT_TRUE(c.rows[0].differs);
	CU_ASSERT_EQUAL(c.rows[0].verdicts[0], PST_PASS);
	CU_ASSERT_EQUAL(c.rows[0].verdicts[1], PST_FAIL);
	CU_ASSERT_EQUAL(c.rows[0].verdicts[2], PST_ABSENT);
	CU_ASSERT_STRING_EQUAL(c.rows[1].id, "s/d"); /* only one kernel has it: a difference */
	CU_ASSERT_TRUE(c.rows[1].differs);
	CU_ASSERT_STRING_EQUAL(c.rows[2].id, "s/a");
	CU_ASSERT_FALSE(c.rows[2].differs);
	CU_ASSERT_STRING_EQUAL(c.rows[3].id, "s/c");
	CU_ASSERT_FALSE(pst_column_ran(&cols[2]));
	pst_compare_free(&c);
	for (int k = 0; k < 3; k++)
		pst_run_free(&cols[k].run);
}

/* Rows with the tags column. */
static struct pst_run tagged_run_of(const char *body)
{
	return run_with("suite\tcase\tverdict\tmessage\ttags", body);
}

/* Does dir/name contain want? */
static bool file_has(const char *dir, const char *name, const char *want)
{
	char path[512], buf[16384];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f)
		return false;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return strstr(buf, want) != NULL;
}

static void known_bug_named_on_a_differing_failing_row(void)
{
	char catalogue[] = "# tag\tCVE\tsubject\twhat\n"
			   "linux-git:8467dda0c265\t-\tsctp: Initialize daddr on peeled off "
			   "socket\tgetpeername gives 0.0.0.0\n";
	struct pst_known known;
	struct pst_column cols[2] = {
		{ .label = "5.10",
		  .status = 1,
		  .run = tagged_run_of("s\tpeer\tFAIL\tgot 0.0.0.0\tlinux-git:8467dda0c265\n"
				       "s\tv6\tSKIP\tno IPv6\tlinux-git:8467dda0c265\n"
				       "s\tother\tFAIL\tx\tCVE-2099-1 linux-git:000000000000\n") },
		{ .label = "6.12",
		  .status = 0,
		  .run = tagged_run_of("s\tpeer\tPASS\t\tlinux-git:8467dda0c265\n"
				       "s\tv6\tPASS\t\tlinux-git:8467dda0c265\n"
				       "s\tother\tPASS\t\tCVE-2099-1 linux-git:000000000000\n") },
	};
	char dir[] = "/tmp/pst_known.XXXXXX", err[256];
	struct pst_compare c;

	CU_ASSERT_EQUAL_FATAL(pst_known_parse(catalogue, &known, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(pst_compare_columns(cols, 2, &c), 0);
	CU_ASSERT_EQUAL_FATAL(c.ndiffer, 3);
	CU_ASSERT_STRING_EQUAL(c.rows[0].id, "s/peer");
	CU_ASSERT_STRING_EQUAL(c.rows[0].tags, "linux-git:8467dda0c265");
	CU_ASSERT_PTR_NOT_NULL(pst_compare_known(&c.rows[0], 2, &known));
	/* Differs, but fails nowhere (SKIP against PASS): no bug to name. */
	CU_ASSERT_PTR_NULL(pst_compare_known(&c.rows[1], 2, &known));
	/* Fails, but its tags are not in the catalogue. */
	CU_ASSERT_PTR_NULL(pst_compare_known(&c.rows[2], 2, &known));
	CU_ASSERT_PTR_NULL(pst_compare_known(&c.rows[0], 2, NULL));
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	CU_ASSERT_EQUAL(pst_compare_write(dir, cols, 2, &c, &known), 0);
	CU_ASSERT_TRUE(file_has(dir, "compare.md", "known bug, fixed by linux-git:8467dda0c265"));
	CU_ASSERT_TRUE(file_has(dir, "compare.json", "\"fixed_by\": \"linux-git:8467dda0c265\""));
	/* the page links the fix and the CVE; its verdict and its picture are on top */
	CU_ASSERT_TRUE(file_has(dir, "index.html",
				"known bug, fixed by <a href=\"" PST_LINUX_GIT_URL
				"8467dda0c265\">linux-git:8467dda0c265</a>"));
	CU_ASSERT_TRUE(
	    file_has(dir, "index.html", "<a href=\"" PST_CVE_URL "CVE-2099-1\">CVE-2099-1</a>"));
	CU_ASSERT_TRUE(file_has(dir, "index.html",
				"<span class=\"word\">FAIL</span>exit status 1: a kernel had a "
				"conformance failure"));
	CU_ASSERT_TRUE(file_has(dir, "index.html", "<svg id=\"kernel-matrix\""));
	CU_ASSERT_TRUE(
	    file_has(dir, "index.html", "fill=\"#fff\" pointer-events=\"none\">2 failed"));
	CU_ASSERT_TRUE(file_has(dir, "index.html", ">3 ok</text>"));
	CU_ASSERT_FALSE(file_has(dir, "index.html", "<script"));
	CU_ASSERT_TRUE(file_has(dir, "compare.md", "CVE-2099-1 linux-git:000000000000 |"));
	for (const char *const *f =
		 (const char *const[]){ "compare.md", "compare.json", "index.html", NULL };
	     *f; f++) {
		char path[256];

		snprintf(path, sizeof(path), "%s/%s", dir, *f);
		unlink(path);
	}
	rmdir(dir);
	pst_compare_free(&c);
	pst_known_free(&known);
	for (int k = 0; k < 2; k++)
		pst_run_free(&cols[k].run);
}

/* The --kernels run's status, as multirun.sh gives it: could not run > failure > changed. */
static void kernels_status_is_the_worst_column(void)
{
	struct pst_column c[3] = { { .status = 0 }, { .status = 0 }, { .status = 0 } };

	CU_ASSERT_EQUAL(pst_compare_status(c, 3), 0);
	c[1].status = 4;
	CU_ASSERT_EQUAL(pst_compare_status(c, 3), 4);
	c[2].status = 1;
	CU_ASSERT_EQUAL(pst_compare_status(c, 3), 1);
	c[0].status = 2;
	CU_ASSERT_EQUAL(pst_compare_status(c, 3), 3);
}

static void malformed_catalogue_line_is_named(void)
{
	char text[] = "# header\nlinux-git:1\t-\tsubject only\n";
	struct pst_known known;
	char err[256] = "";

	CU_ASSERT_EQUAL(pst_known_parse(text, &known, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "line 2: expected 4 or 5 tab-separated fields"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "got 3"));
}

/*
 * Every report of a failing case (FAIL, CHANGED) whose tags name a catalogued bug
 * adds its note: the fixing commit, its subject and, where the catalogue knows
 * them, the releases that carry it; no other verdict, no other tags.
 */
static void known_bug_annotates_only_failures(void)
{
	char catalogue[] =
	    "# tag\tCVE\tsubject\twhat\tfixed in\n"
	    "linux-git:8467dda0c265\t-\tsctp: Initialize daddr on peeled off "
	    "socket\tgetpeername gives 0.0.0.0\tv5.18, 5.10.112\n"
	    "linux-git:df80cd9b28b9\tCVE-2017-15115\tsctp: netns\tcross-netns peel\t-\n"
	    "linux-git:2dcab5984841\tCVE-2017-5986\tsctp: BUG_ON\tfour fields only\n";
	const char *tags = "CVE-2017-15115 linux-git:8467dda0c265";
	struct pst_known known;
	char err[256] = "";
	const char *a;

	CU_ASSERT_EQUAL_FATAL(pst_known_parse(catalogue, &known, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(known.n, 3);
	a = pst_known_annotation(&known, PST_FAIL, "linux-git:8467dda0c265");
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_STRING_EQUAL(a, "known bug, fixed by linux-git:8467dda0c265 (sctp: Initialize "
				  "daddr on peeled off socket; in v5.18, 5.10.112)");
	CU_ASSERT_PTR_EQUAL(pst_known_annotation(&known, PST_CHANGED, "linux-git:8467dda0c265"), a);
	/* The first catalogued tag of the case: a CVE id alone names no bug. */
	CU_ASSERT_PTR_EQUAL(pst_known_annotation(&known, PST_FAIL, tags), a);
	/* "-" or no fifth field: the releases are not known, none is named. */
	CU_ASSERT_STRING_EQUAL(pst_known_annotation(&known, PST_FAIL, "linux-git:df80cd9b28b9"),
			       "known bug, fixed by linux-git:df80cd9b28b9 (sctp: netns)");
	CU_ASSERT_STRING_EQUAL(pst_known_annotation(&known, PST_FAIL, "linux-git:2dcab5984841"),
			       "known bug, fixed by linux-git:2dcab5984841 (sctp: BUG_ON)");
	for (int v = 0; v < PST_VERDICT_COUNT; v++)
		if (v != PST_FAIL && v != PST_CHANGED)
			CU_ASSERT_PTR_NULL(pst_known_annotation(&known, v, tags));
	/* A word of the tags, not a part of one; no tags; no catalogue. */
	CU_ASSERT_PTR_NULL(pst_known_annotation(&known, PST_FAIL, "linux-git:8467dda0c2650"));
	CU_ASSERT_PTR_NULL(pst_known_annotation(&known, PST_FAIL, NULL));
	CU_ASSERT_PTR_NULL(pst_known_annotation(NULL, PST_FAIL, tags));
	pst_known_free(&known);
}

/* The project's own catalogue loads, and names the releases of the getpeername fix. */
static void project_catalogue_loads(void)
{
	struct pst_known known;
	char err[512] = "";
	const char *a;

	CU_ASSERT_EQUAL_FATAL(pst_known_load("suites/known-bugs.tsv", &known, err, sizeof(err)), 0);
	a = pst_known_annotation(&known, PST_FAIL, "linux-git:8467dda0c265");
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_PTR_NOT_NULL(strstr(a, "(sctp: Initialize daddr on peeled off socket; in v5.18"));
	pst_known_free(&known);
}

static int bisect_of(const char *body)
{
	struct pst_run r = run_of(body);
	char why[256];
	int st = pst_bisect_status(&r, why, sizeof(why));

	pst_run_free(&r);
	return st;
}

static void bisect_status_of_variants(void)
{
	CU_ASSERT_EQUAL(bisect_of("s\ta/ipv4\tPASS\t\ns\ta/ipv6\tXFAIL\tw\n"), PST_BISECT_GOOD);
	CU_ASSERT_EQUAL(bisect_of("s\ta/ipv4\tPASS\t\ns\ta/ipv6\tSKIP\tno IPv6\n"),
			PST_BISECT_GOOD);
	CU_ASSERT_EQUAL(bisect_of("s\ta/ipv4\tXPASS\tstale waiver\n"), PST_BISECT_GOOD);
	CU_ASSERT_EQUAL(bisect_of("s\ta/ipv4\tPASS\t\ns\ta/ipv6\tFAIL\tx\n"), PST_BISECT_BAD);
	CU_ASSERT_EQUAL(bisect_of("s\ta/ipv4\tERROR\ttimeout\n"), PST_BISECT_BAD);
	/* a real failure decides even when another variant could not be set up */
	CU_ASSERT_EQUAL(bisect_of("s\ta/ipv4\tBROKEN\tveth\ns\ta/ipv6\tFAIL\tx\n"), PST_BISECT_BAD);
	CU_ASSERT_EQUAL(bisect_of("s\ta/ipv4\tBROKEN\tveth\ns\ta/ipv6\tPASS\t\n"), PST_BISECT_SKIP);
	CU_ASSERT_EQUAL(bisect_of("s\ta/ipv4\tSKIP\tno IPv6\n"), PST_BISECT_SKIP);
	CU_ASSERT_EQUAL(bisect_of(""), PST_BISECT_SKIP);
}

int main(void)
{
	static const struct pst_unit_test tests[] = {
		PST_UNIT_TEST(change_of_every_verdict_pair),
		PST_UNIT_TEST(baseline_diff_over_two_runs),
		PST_UNIT_TEST(identical_runs_have_no_new_failures),
		PST_UNIT_TEST(kernel_matrix_differences_first),
		PST_UNIT_TEST(known_bug_named_on_a_differing_failing_row),
		PST_UNIT_TEST(kernels_status_is_the_worst_column),
		PST_UNIT_TEST(malformed_catalogue_line_is_named),
		PST_UNIT_TEST(known_bug_annotates_only_failures),
		PST_UNIT_TEST(project_catalogue_loads),
		PST_UNIT_TEST(bisect_status_of_variants),
	};

	return pst_unit_main("compare", tests, sizeof(tests) / sizeof(tests[0]), NULL, NULL);
}
