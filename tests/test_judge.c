/*
 * Unit tests of the judge (harness/runner/judge.c): the verdict is the worst
 * of a case's evidence whatever its order, a waiver excuses only the check
 * it names on the implementations its ranges hold for, a safety or unnamed
 * check is never excused, a stale waiver is a note (XPASS when strict), and
 * a waiver list naming a safety check or no declared check is refused.
 */
#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "judge.h"
#include "unit.h"

#define CHECKS "waived other safety:guarded ref:seen=REF-X"

static const struct pst_case tc = { .name = "c", .checks = CHECKS };
static const struct pst_case bare = { .name = "bare" };

/* A waiver entry as a list file would give it. */
static struct pst_deviation entry(const char *profile, const char *glob, const char *check,
				  const char *kernel, const char *libsctp)
{
	struct pst_deviation d = { 0 };

	snprintf(d.profile, sizeof(d.profile), "%s", profile);
	snprintf(d.glob, sizeof(d.glob), "%s", glob);
	snprintf(d.check, sizeof(d.check), "%s", check);
	snprintf(d.kernel, sizeof(d.kernel), "%s", kernel);
	snprintf(d.libsctp, sizeof(d.libsctp), "%s", libsctp);
	snprintf(d.reference, sizeof(d.reference), "REF-X");
	snprintf(d.reason, sizeof(d.reason), "the reason");
	snprintf(d.where, sizeof(d.where), "w.tsv:1");
	return d;
}

static struct pst_judge_cfg cfg_with(struct pst_deviations *w, struct pst_deviation *v, size_t n)
{
	w->v = v;
	w->n = n;
	return (
	    struct pst_judge_cfg){ .waivers = w,
				   .profile = "linux",
				   .impl = { .kernel = "6.1.0-57-amd64", .libsctp = "1.0.19" } };
}

static enum pst_verdict judged(struct pst_outcome *o, const struct pst_judge_cfg *cfg)
{
	pst_judge(o, &tc, "s/c/ipv4", cfg);
	return o->verdict;
}

/*
 * Every combination of an error, a failure, a setup failure and a skip, in
 * both orders of recording: ERROR > FAIL > BROKEN > SKIP > PASS.
 */
static void verdict_is_the_worst_evidence_in_any_order(void)
{
	struct pst_deviations w;
	struct pst_judge_cfg cfg = cfg_with(&w, NULL, 0);

	for (unsigned bits = 0; bits < 16; bits++)
		for (int reversed = 0; reversed < 2; reversed++) {
			struct pst_outcome o = { 0 };
			enum pst_verdict want = bits & 8   ? PST_ERROR
						: bits & 4 ? PST_FAIL
						: bits & 2 ? PST_BROKEN
						: bits & 1 ? PST_SKIP
							   : PST_PASS;

			if (!reversed && (bits & 4))
				pst_outcome_fail(&o, "", "f.c", 1, "the failure");
			if (bits & 1)
				pst_outcome_set(&o.skip, "the skip");
			if (bits & 2)
				pst_outcome_set(&o.broken, "the setup failure");
			if (reversed && (bits & 4))
				pst_outcome_fail(&o, "", "f.c", 1, "the failure");
			if (bits & 8)
				pst_outcome_set(&o.error, "the crash");
			CU_ASSERT_EQUAL(judged(&o, &cfg), want);
			if (o.verdict != want)
				fprintf(stderr, "\n  evidence %u%s: expected %s, got %s\n", bits,
					reversed ? " (failure last)" : "", pst_verdict_name(want),
					pst_verdict_name(o.verdict));
			pst_outcome_free(&o);
		}
}

/* What the verdict does not say is in the detail: nothing recorded is lost. */
static void detail_keeps_what_the_verdict_does_not_say(void)
{
	struct pst_deviations w;
	struct pst_judge_cfg cfg = cfg_with(&w, NULL, 0);
	struct pst_outcome o = { 0 };

	pst_outcome_fail(&o, "", "a.c", 3, "expected EBADF, got EINVAL");
	pst_outcome_fail(&o, "other", "a.c", 9, "second");
	pst_outcome_set(&o.broken, "open: ENOENT");
	pst_outcome_set(&o.broken, "a later setup failure is not kept");
	pst_outcome_set(&o.skip, "no IPv6");
	CU_ASSERT_EQUAL(judged(&o, &cfg), PST_FAIL);
	CU_ASSERT_STRING_EQUAL(o.message, "expected EBADF, got EINVAL (and more, see detail)");
	CU_ASSERT_STRING_EQUAL(o.file, "a.c");
	CU_ASSERT_EQUAL(o.line, 3);
	CU_ASSERT_STRING_EQUAL(o.detail, "a.c:3: expected EBADF, got EINVAL\n"
					 "a.c:9: [other] second\n"
					 "then the setup failed: open: ENOENT\n"
					 "then skipped: no IPv6\n");
	pst_outcome_free(&o);
}

static void waiver_excuses_only_its_check(void)
{
	struct pst_deviation v[] = { entry("linux", "s/c/*", "waived", "*", "*") };
	struct pst_deviations w;
	struct pst_judge_cfg cfg = cfg_with(&w, v, 1);
	static const struct {
		const char *second; /* the check of a second failure; NULL: none */
		enum pst_verdict want;
	} rows[] = {
		{ NULL, PST_XFAIL }, { "waived", PST_XFAIL }, { "other", PST_FAIL },
		{ "", PST_FAIL },    { "guarded", PST_FAIL },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct pst_outcome o = { 0 };

		pst_outcome_fail(&o, "waived", "a.c", 1, "the waived check fails");
		if (rows[i].second)
			pst_outcome_fail(&o, rows[i].second, "a.c", 2, "another failure");
		CU_ASSERT_EQUAL(judged(&o, &cfg), rows[i].want);
		if (rows[i].want == PST_FAIL) {
			/* the message names the failure no waiver excuses */
			CU_ASSERT_PTR_NOT_NULL(strstr(o.message, "another failure"));
			CU_ASSERT_PTR_NOT_NULL(strstr(o.detail, "[waived, waived: REF-X]"));
		} else {
			CU_ASSERT_PTR_NOT_NULL(strstr(o.message, "expected deviation (REF-X)"));
			CU_ASSERT_PTR_NOT_NULL(strstr(o.message, "check waived"));
		}
		pst_outcome_free(&o);
	}
}

/* A list that names a safety check is refused at load; the judge never excuses one either. */
static void safety_check_is_never_waived(void)
{
	struct pst_deviation v[] = { entry("linux", "*", "guarded", "*", "*") };
	struct pst_deviations w;
	struct pst_judge_cfg cfg = cfg_with(&w, v, 1);
	struct pst_outcome o = { 0 };

	pst_outcome_fail(&o, "guarded", "a.c", 1, "data reached the other peer");
	CU_ASSERT_EQUAL(judged(&o, &cfg), PST_FAIL);
	pst_outcome_free(&o);
	pst_outcome_fail(&o, PST_CHECK_NO_FD_LEAK, "a.c", 1, "descriptor leak");
	CU_ASSERT_EQUAL(judged(&o, &cfg), PST_FAIL);
	pst_outcome_free(&o);
}

/* Outside its profile, cases or ranges, a waiver does not apply. */
static void waiver_holds_only_where_it_says(void)
{
	static const struct {
		const char *profile, *glob, *kernel, *libsctp, *impl_libsctp;
		enum pst_verdict want;
	} rows[] = {
		{ "linux", "s/c/*", "*", "*", "1.0.19", PST_XFAIL },
		{ "linux", "s/c/ipv4", "6.1..6.1.999", "1.0.18..1.0.21", "1.0.19", PST_XFAIL },
		{ "linux", "s/c/*", "6.1..", "..1.0.19", "1.0.19", PST_XFAIL },
		{ "solaris", "s/c/*", "*", "*", "1.0.19", PST_FAIL },
		{ "linux", "s/c", "*", "*", "1.0.19", PST_FAIL }, /* the whole name */
		{ "linux", "s/c/ipv6", "*", "*", "1.0.19", PST_FAIL },
		{ "linux", "x/s/c/ipv4", "*", "*", "1.0.19", PST_FAIL },
		{ "linux", "s/c/*", "6.2..", "*", "1.0.19", PST_FAIL },
		{ "linux", "s/c/*", "..6.0", "*", "1.0.19", PST_FAIL },
		{ "linux", "s/c/*", "*", "1.0.20..", "1.0.19", PST_FAIL },
		{ "linux", "s/c/*", "*", "1.0.18..1.0.21", "", PST_FAIL }, /* unknown version */
		{ "linux", "s/c/*", "*", "*", "", PST_XFAIL },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct pst_deviation v[] = { entry(rows[i].profile, rows[i].glob, "waived",
						   rows[i].kernel, rows[i].libsctp) };
		struct pst_deviations w;
		struct pst_judge_cfg cfg = cfg_with(&w, v, 1);
		struct pst_outcome o = { 0 };

		cfg.impl.libsctp = rows[i].impl_libsctp;
		pst_outcome_fail(&o, "waived", "a.c", 1, "the waived check fails");
		CU_ASSERT_EQUAL(judged(&o, &cfg), rows[i].want);
		if (o.verdict != rows[i].want)
			fprintf(stderr, "\n  row %zu: expected %s, got %s\n", i,
				pst_verdict_name(rows[i].want), pst_verdict_name(o.verdict));
		pst_outcome_free(&o);
	}
}

/*
 * A failed reference check is CHANGED: below any requirement failure and a
 * broken setup, above a waived failure and a skip; never waived.
 */
static void reference_check_failure_is_changed(void)
{
	struct pst_deviation v[] = { entry("linux", "*", "waived", "*", "*"),
				     entry("linux", "*", "seen", "*", "*") };
	struct pst_deviations w;
	struct pst_judge_cfg cfg = cfg_with(&w, v, 2);
	struct pst_outcome o = { 0 };

	pst_outcome_fail(&o, "seen", "a.c", 5, "expected EMFILE, got ENFILE");
	CU_ASSERT_EQUAL(judged(&o, &cfg), PST_CHANGED);
	CU_ASSERT_STRING_EQUAL(o.message, "reference behaviour changed (REF-X, check seen): "
					  "expected EMFILE, got ENFILE");
	CU_ASSERT_STRING_EQUAL(
	    o.detail, "a.c:5: [seen, reference REF-X: changed] expected EMFILE, got ENFILE\n");
	pst_outcome_fail(&o, "waived", "a.c", 6, "waived");
	pst_outcome_set(&o.skip, "skip");
	CU_ASSERT_EQUAL(judged(&o, &cfg), PST_CHANGED);
	pst_outcome_set(&o.broken, "setup");
	CU_ASSERT_EQUAL(judged(&o, &cfg), PST_BROKEN);
	pst_outcome_fail(&o, "other", "a.c", 7, "a requirement");
	CU_ASSERT_EQUAL(judged(&o, &cfg), PST_FAIL);
	CU_ASSERT_PTR_NOT_NULL(strstr(o.message, "a requirement (and more"));
	pst_outcome_free(&o);
}

/* A waived failure is less than a broken setup, more than a skip; an error is above all. */
static void waived_failure_ranks_between_broken_and_skip(void)
{
	struct pst_deviation v[] = { entry("linux", "*", "waived", "*", "*") };
	struct pst_deviations w;
	struct pst_judge_cfg cfg = cfg_with(&w, v, 1);
	struct pst_outcome o = { 0 };

	pst_outcome_fail(&o, "waived", "a.c", 1, "x");
	pst_outcome_set(&o.broken, "setup");
	CU_ASSERT_EQUAL(judged(&o, &cfg), PST_BROKEN);
	pst_outcome_free(&o);
	pst_outcome_fail(&o, "waived", "a.c", 1, "x");
	pst_outcome_set(&o.skip, "skip");
	CU_ASSERT_EQUAL(judged(&o, &cfg), PST_XFAIL);
	pst_outcome_free(&o);
	pst_outcome_fail(&o, "waived", "a.c", 1, "x");
	pst_outcome_set(&o.error, "timed out");
	CU_ASSERT_EQUAL(judged(&o, &cfg), PST_ERROR);
	pst_outcome_free(&o);
}

/* A waived check that was reached and passed: a note, or XPASS when strict; unreached: nothing. */
static void stale_waiver_is_a_note_or_strict_xpass(void)
{
	struct pst_deviation v[] = { entry("linux", "*", "waived", "*", "*") };
	struct pst_deviations w;
	struct pst_judge_cfg cfg = cfg_with(&w, v, 1);
	struct pst_outcome o = { 0 };

	pst_outcome_reach(&o, "waived");
	CU_ASSERT_EQUAL(judged(&o, &cfg), PST_PASS);
	CU_ASSERT_PTR_NOT_NULL_FATAL(o.message);
	CU_ASSERT_PTR_NOT_NULL(strstr(o.message, "stale waiver: check waived passed"));
	CU_ASSERT_PTR_NOT_NULL(strstr(o.message, "w.tsv:1"));
	cfg.strict_waivers = true;
	CU_ASSERT_EQUAL(judged(&o, &cfg), PST_XPASS);
	pst_outcome_free(&o);

	pst_outcome_reach(&o, "other");
	CU_ASSERT_EQUAL(judged(&o, &cfg), PST_PASS);
	CU_ASSERT_PTR_NULL(o.message);
	pst_outcome_free(&o);
}

static void reached_checks_are_kept_once(void)
{
	struct pst_outcome o = { 0 };

	pst_outcome_reach(&o, "a");
	pst_outcome_reach(&o, "b");
	pst_outcome_reach(&o, "a");
	pst_outcome_reach(&o, "");
	CU_ASSERT_EQUAL_FATAL(o.nreached, 2);
	CU_ASSERT_STRING_EQUAL(o.reached[0], "a");
	CU_ASSERT_STRING_EQUAL(o.reached[1], "b");
	pst_outcome_free(&o);
}

static void ranges_compare_number_by_number(void)
{
	static const struct {
		const char *range, *version;
		bool holds;
	} rows[] = {
		{ "*", "anything", true },
		{ "*", NULL, true },
		{ "5.10..", "6.1.0-57-amd64", true },
		{ "5.10..", "5.9.16", false },
		{ "5.10..", "5.10", true },
		{ "..6.1", "6.1", true },
		{ "..6.1", "6.1.1", false }, /* 6.1 < 6.1.1: a bound is exact */
		{ "..6.1.999", "6.1.176", true },
		{ "6.1..6.12", "6.12.0-1-amd64", false },
		{ "6.1..6.12.0", "6.12.0", true },
		{ "6.1..6.12", "6.2", true },
		{ "1.0.18..1.0.21", "1.0.19", true },
		{ "1.0.18..1.0.21", "1.0.22", false },
		{ "1.0.18..1.0.21", "", false },
		{ "1.0.18..1.0.21", NULL, false },
		{ "1.0.18..1.0.21", "unknown", false },
		{ "2.6..", "7.2.7", true },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		CU_ASSERT_EQUAL(pst_range_holds(rows[i].range, rows[i].version), rows[i].holds);
		if (pst_range_holds(rows[i].range, rows[i].version) != rows[i].holds)
			fprintf(stderr, "\n  range %s, version %s: expected %d\n", rows[i].range,
				rows[i].version ? rows[i].version : "(none)", rows[i].holds);
	}
}

static void malformed_ranges_are_refused(void)
{
	static const char *const good[] = { "*", "1..2", "1..", "..2", "6.1.0..6.12" };
	static const char *const bad[] = { "", "..", "6.1", "a..b", "1..2..3", "1...2", "any" };

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		CU_ASSERT_TRUE(pst_range_valid(good[i]));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CU_ASSERT_FALSE(pst_range_valid(bad[i]));
		if (pst_range_valid(bad[i]))
			fprintf(stderr, "\n  range '%s' taken as valid\n", bad[i]);
	}
}

/*
 * A kernel report is a FAIL that no waiver excuses and that outranks an
 * ERROR, and its message leads the case's own failures, in either order.
 */
static void kernel_report_leads_and_outranks_error(void)
{
	struct pst_deviation v[] = { entry("linux", "s/c/*", "waived", "*", "*") };
	struct pst_deviations w;
	struct pst_judge_cfg cfg = cfg_with(&w, v, 1);

	for (int reversed = 0; reversed < 2; reversed++) {
		struct pst_outcome o = { 0 };

		if (!reversed)
			pst_outcome_fail(&o, "other", "f.c", 1, "the case's own failure");
		pst_outcome_fail(&o, PST_CHECK_NO_KERNEL_REPORT, "exec.c", 2,
				 "kernel report: expected none during the case, got 1: BUG: KASAN");
		if (reversed)
			pst_outcome_fail(&o, "waived", "f.c", 1, "a waived failure");
		pst_outcome_set(&o.error, "case process killed by SIGKILL");
		CU_ASSERT_EQUAL(judged(&o, &cfg), PST_FAIL);
		CU_ASSERT_PTR_NOT_NULL_FATAL(o.message);
		CU_ASSERT_EQUAL(strncmp(o.message, "kernel report: expected none", 28), 0);
		CU_ASSERT_PTR_NOT_NULL(strstr(o.message, "(and more, see detail)"));
		CU_ASSERT_PTR_NOT_NULL_FATAL(o.detail);
		CU_ASSERT_PTR_NOT_NULL(
		    strstr(o.detail, "and the case process: case process killed"));
		pst_outcome_free(&o);
	}
	CU_ASSERT_EQUAL(pst_check_class(&bare, PST_CHECK_NO_KERNEL_REPORT), PST_CHECK_SAFE);
}

static void check_classes_come_from_the_declaration(void)
{
	CU_ASSERT_EQUAL(pst_check_class(&tc, "waived"), PST_CHECK_PLAIN);
	CU_ASSERT_EQUAL(pst_check_class(&tc, "other"), PST_CHECK_PLAIN);
	CU_ASSERT_EQUAL(pst_check_class(&tc, "guarded"), PST_CHECK_SAFE);
	CU_ASSERT_EQUAL(pst_check_class(&tc, "safety:guarded"), PST_CHECK_UNDECLARED);
	CU_ASSERT_EQUAL(pst_check_class(&tc, "waive"), PST_CHECK_UNDECLARED);
	CU_ASSERT_EQUAL(pst_check_class(&tc, "waivedx"), PST_CHECK_UNDECLARED);
	CU_ASSERT_EQUAL(pst_check_class(&tc, ""), PST_CHECK_UNDECLARED);
	CU_ASSERT_EQUAL(pst_check_class(&bare, "waived"), PST_CHECK_UNDECLARED);
	CU_ASSERT_EQUAL(pst_check_class(&bare, PST_CHECK_NO_FD_LEAK), PST_CHECK_SAFE);
	CU_ASSERT_EQUAL(pst_check_class(&bare, PST_CHECK_NO_SCTP_LEAK), PST_CHECK_SAFE);
	CU_ASSERT_EQUAL(pst_check_class(&tc, "seen"), PST_CHECK_REF);
	CU_ASSERT_EQUAL(pst_check_class(&tc, "ref:seen"), PST_CHECK_UNDECLARED);
	CU_ASSERT_EQUAL(pst_check_class(&tc, "seen=REF-X"), PST_CHECK_UNDECLARED);
	{
		char buf[32];
		static const struct pst_case bad = { .name = "bad", .checks = "ref:noref ref:x=" };

		CU_ASSERT_STRING_EQUAL(pst_check_reference(&tc, "seen", buf, sizeof(buf)), "REF-X");
		CU_ASSERT_PTR_NULL(pst_check_reference(&tc, "waived", buf, sizeof(buf)));
		/* a reference check without its citation is none */
		CU_ASSERT_EQUAL(pst_check_class(&bad, "noref"), PST_CHECK_UNDECLARED);
		CU_ASSERT_EQUAL(pst_check_class(&bad, "x"), PST_CHECK_UNDECLARED);
	}
}

/* The runner refuses a list naming a safety check, an undeclared check or a bad range. */
static void waiver_lists_are_checked_against_the_cases(void)
{
	static const struct pst_case cases[] = { { .name = "c", .checks = CHECKS },
						 { .name = "d" } };
	static const struct pst_suite suite = { .name = "s", .cases = cases, .ncases = 2 };
	const struct pst_instance all[] = { { .suite = &suite, .tc = &cases[0], .name = "c" },
					    { .suite = &suite, .tc = &cases[1], .name = "d" } };
	static const struct {
		const char *glob, *check, *kernel;
		const char *why; /* NULL: accepted */
	} rows[] = {
		{ "s/c", "waived", "*", NULL },
		{ "s/*", "other", "5.10..", NULL },
		{ "s/*", "guarded", "*", "is a safety check" },
		{ "s/c", PST_CHECK_NO_FD_LEAK, "*", "is a safety check" },
		{ "s/c", "seen", "*", "is a reference behaviour" },
		{ "s/d", "waived", "*", "expected a check that a case matching s/d declares" },
		{ "s/c", "nonesuch", "*", "expected a check" },
		{ "t/*", "waived", "*", "expected a check" },
		{ "s/c", "waived", "6.1", "expected ranges" },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct pst_deviation v[] = { entry("linux", rows[i].glob, rows[i].check,
						   rows[i].kernel, "*") };
		struct pst_deviations w = { v, 1 };
		char err[512] = "";
		int rc = pst_judge_check_waivers(&w, all, 2, err, sizeof(err));

		CU_ASSERT_EQUAL(rc, rows[i].why ? -1 : 0);
		if (rows[i].why) {
			CU_ASSERT_PTR_NOT_NULL(strstr(err, rows[i].why));
			CU_ASSERT_PTR_NOT_NULL(strstr(err, "w.tsv:1"));
		}
		if ((rc == 0) != !rows[i].why)
			fprintf(stderr, "\n  row %zu: rc %d, '%s'\n", i, rc, err);
	}
}

/* The project's own lists load and pass that check against the suite's cases. */
static void project_waivers_name_declared_plain_checks(void)
{
	/* the check itself runs in the runner: --check-requirements (make unit) */
	struct pst_deviations d;
	char err[512] = "";

	CU_ASSERT_EQUAL(pst_deviations_load_dir("suites/deviations", &d, err, sizeof(err)), 0);
	for (size_t i = 0; i < d.n; i++) {
		CU_ASSERT_TRUE(pst_range_valid(d.v[i].kernel));
		CU_ASSERT_TRUE(pst_range_valid(d.v[i].libsctp));
	}
	pst_deviations_free(&d);
}

int main(void)
{
	static const struct pst_unit_test tests[] = {
		PST_UNIT_TEST(verdict_is_the_worst_evidence_in_any_order),
		PST_UNIT_TEST(detail_keeps_what_the_verdict_does_not_say),
		PST_UNIT_TEST(waiver_excuses_only_its_check),
		PST_UNIT_TEST(safety_check_is_never_waived),
		PST_UNIT_TEST(waiver_holds_only_where_it_says),
		PST_UNIT_TEST(waived_failure_ranks_between_broken_and_skip),
		PST_UNIT_TEST(reference_check_failure_is_changed),
		PST_UNIT_TEST(stale_waiver_is_a_note_or_strict_xpass),
		PST_UNIT_TEST(reached_checks_are_kept_once),
		PST_UNIT_TEST(ranges_compare_number_by_number),
		PST_UNIT_TEST(malformed_ranges_are_refused),
		PST_UNIT_TEST(kernel_report_leads_and_outranks_error),
		PST_UNIT_TEST(check_classes_come_from_the_declaration),
		PST_UNIT_TEST(waiver_lists_are_checked_against_the_cases),
		PST_UNIT_TEST(project_waivers_name_declared_plain_checks),
	};

	return pst_unit_main("judge", tests, sizeof(tests) / sizeof(tests[0]), NULL, NULL);
}
