/*
 * Unit tests of the case registry (harness/runner/registry.c): each declared case
 * expanded over its variant axes (address family, entry point or flags entry point) into
 * "case/ipv4/raw_PEELOFF" instances, filtered by --suite and by a --case
 * glob on "case" or "suite/case", in declaration order.
 */
#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "iut.h"
#include "registry.h"
#include "unit.h"

static void body(struct pst_ctx *ctx)
{
	(void)ctx;
}

static const struct pst_case alpha_cases[] = {
	{ .name = "plain", .fn = body },
	{ .name = "fam", .fn = body, .axes = PST_AXIS_FAMILY },
	{ .name = "ent", .fn = body, .axes = PST_AXIS_ENTRY },
	{ .name = "both", .fn = body, .axes = PST_AXIS_FAMILY | PST_AXIS_ENTRY },
	{ .name = "flg", .fn = body, .axes = PST_AXIS_FLAGS_ENTRY },
};
static const struct pst_case beta_cases[] = {
	{ .name = "plain", .fn = body, .reqs = "R-1" },
	{ .name = "other", .fn = body, .axes = PST_AXIS_FAMILY },
};
static PST_SUITE(alpha, "alpha", "area a", alpha_cases);
static PST_SUITE(beta, "beta", "area b", beta_cases);
static const struct pst_suite empty = {
	.name = "empty", .area = "none", .cases = NULL, .ncases = 0
};

static const struct pst_suite *const all[] = { &alpha, &empty, &beta, NULL };

/* Every instance of all[], unfiltered, in order. */
static const char *const all_names[] = {
	"plain",
	"fam/ipv4",
	"fam/ipv6",
	"ent/sctp_peeloff",
	"ent/sctp_peeloff_flags",
	"ent/raw_PEELOFF",
	"ent/raw_PEELOFF_FLAGS",
	"both/ipv4/sctp_peeloff",
	"both/ipv4/sctp_peeloff_flags",
	"both/ipv4/raw_PEELOFF",
	"both/ipv4/raw_PEELOFF_FLAGS",
	"both/ipv6/sctp_peeloff",
	"both/ipv6/sctp_peeloff_flags",
	"both/ipv6/raw_PEELOFF",
	"both/ipv6/raw_PEELOFF_FLAGS",
	"flg/sctp_peeloff_flags",
	"flg/raw_PEELOFF_FLAGS",
	"plain",
	"other/ipv4",
	"other/ipv6",
};
#define N_ALL	(sizeof(all_names) / sizeof(all_names[0]))
#define N_ALPHA 17 /* the first 17 of all_names are alpha's, the rest beta's */

/* Expand all[] with the filters; the instances (free them) and their count in *n. */
static struct pst_instance *expand(const char *suite, const char *glob, int *n)
{
	struct pst_instance *v = NULL;

	*n = pst_registry_expand(all, suite, glob, &v);
	return v;
}

/* The instances' "suite/name", one a line, to compare whole lists in one assertion. */
static void join(const struct pst_instance *v, int n, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 0; i < n && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s/%s\n", v[i].suite->name,
					 v[i].name);
}

/* Find the instance of a case in an unfiltered expansion. */
static const struct pst_instance *find(const struct pst_instance *v, int n,
				       const struct pst_suite *s, const char *name)
{
	for (int i = 0; i < n; i++)
		if (v[i].suite == s && strcmp(v[i].name, name) == 0)
			return &v[i];
	return NULL;
}

static void no_filter_keeps_every_instance_in_declaration_order(void)
{
	int n;
	struct pst_instance *v = expand(NULL, NULL, &n);

	CU_ASSERT_EQUAL_FATAL(n, (int)N_ALL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	for (size_t i = 0; i < N_ALL; i++) {
		CU_ASSERT_STRING_EQUAL(v[i].name, all_names[i]);
		if (strcmp(v[i].name, all_names[i]) != 0)
			fprintf(stderr, "\n  [%zu] '%s', want '%s'\n", i, v[i].name, all_names[i]);
	}
	/* The suites, in order: alpha's instances, then beta's. */
	for (size_t i = 0; i < N_ALL; i++)
		CU_ASSERT_PTR_EQUAL(v[i].suite, i < N_ALPHA ? &alpha : &beta);
	free(v);
}

static void case_without_axes_is_one_instance_named_as_the_case(void)
{
	int n;
	struct pst_instance *v = expand(NULL, NULL, &n);
	const struct pst_instance *in = find(v, n, &beta, "plain");

	CU_ASSERT_PTR_NOT_NULL_FATAL(in);
	CU_ASSERT_PTR_EQUAL(in->tc, &beta_cases[0]);
	CU_ASSERT_PTR_EQUAL(in->suite, &beta);
	CU_ASSERT_EQUAL(in->family, AF_INET);
	CU_ASSERT_EQUAL(in->entry, PST_ENTRY_PEELOFF);
	free(v);
}

static void family_axis_gives_ipv4_then_ipv6(void)
{
	int n;
	struct pst_instance *v = expand("alpha", "fam*", &n);

	CU_ASSERT_EQUAL_FATAL(n, 2);
	CU_ASSERT_STRING_EQUAL(v[0].name, "fam/ipv4");
	CU_ASSERT_EQUAL(v[0].family, AF_INET);
	CU_ASSERT_STRING_EQUAL(v[1].name, "fam/ipv6");
	CU_ASSERT_EQUAL(v[1].family, AF_INET6);
	for (int i = 0; i < n; i++) {
		CU_ASSERT_PTR_EQUAL(v[i].tc, &alpha_cases[1]);
		CU_ASSERT_EQUAL(v[i].entry, PST_ENTRY_PEELOFF);
	}
	free(v);
}

static void entry_axis_gives_the_four_entry_points_in_enum_order(void)
{
	static const struct {
		const char *name;
		enum pst_entry entry;
	} want[] = {
		{ "ent/sctp_peeloff", PST_ENTRY_PEELOFF },
		{ "ent/sctp_peeloff_flags", PST_ENTRY_PEELOFF_FLAGS },
		{ "ent/raw_PEELOFF", PST_ENTRY_RAW },
		{ "ent/raw_PEELOFF_FLAGS", PST_ENTRY_RAW_FLAGS },
	};
	int n;
	struct pst_instance *v = expand(NULL, "ent/*", &n);

	CU_ASSERT_EQUAL_FATAL(n, PST_ENTRY_COUNT);
	for (int i = 0; i < n; i++) {
		CU_ASSERT_STRING_EQUAL(v[i].name, want[i].name);
		CU_ASSERT_EQUAL(v[i].entry, want[i].entry);
		CU_ASSERT_EQUAL(v[i].family, AF_INET);
		CU_ASSERT_PTR_EQUAL(v[i].tc, &alpha_cases[2]);
	}
	free(v);
}

static void flags_entry_axis_gives_the_two_flags_entry_points(void)
{
	int n;
	struct pst_instance *v = expand(NULL, "flg/*", &n);

	CU_ASSERT_EQUAL_FATAL(n, 2);
	CU_ASSERT_STRING_EQUAL(v[0].name, "flg/sctp_peeloff_flags");
	CU_ASSERT_EQUAL(v[0].entry, PST_ENTRY_PEELOFF_FLAGS);
	CU_ASSERT_STRING_EQUAL(v[1].name, "flg/raw_PEELOFF_FLAGS");
	CU_ASSERT_EQUAL(v[1].entry, PST_ENTRY_RAW_FLAGS);
	CU_ASSERT_PTR_EQUAL(v[0].tc, &alpha_cases[4]);
	free(v);
}

static void both_axes_give_family_major_cross_product(void)
{
	int n;
	struct pst_instance *v = expand(NULL, "both/*", &n);

	CU_ASSERT_EQUAL_FATAL(n, 2 * PST_ENTRY_COUNT);
	for (int i = 0; i < n; i++) {
		char want[64];
		int family = i < PST_ENTRY_COUNT ? AF_INET : AF_INET6;
		enum pst_entry entry = (enum pst_entry)(i % PST_ENTRY_COUNT);

		snprintf(want, sizeof(want), "both/%s/%s", family == AF_INET ? "ipv4" : "ipv6",
			 pst_entry_name(entry));
		CU_ASSERT_STRING_EQUAL(v[i].name, want);
		CU_ASSERT_EQUAL(v[i].family, family);
		CU_ASSERT_EQUAL(v[i].entry, entry);
		CU_ASSERT_PTR_EQUAL(v[i].tc, &alpha_cases[3]);
	}
	free(v);
}

static void suite_filter_keeps_only_that_suite(void)
{
	int n;
	struct pst_instance *v = expand("beta", NULL, &n);
	char got[512];

	CU_ASSERT_EQUAL_FATAL(n, 3);
	join(v, n, got, sizeof(got));
	CU_ASSERT_STRING_EQUAL(got, "beta/plain\nbeta/other/ipv4\nbeta/other/ipv6\n");
	free(v);
}

static void suite_filter_is_an_exact_name_not_a_glob_or_prefix(void)
{
	static const char *const names[] = { "alph", "alpha*", "ALPHA", "alpha ", "", "nosuch" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		int n;
		struct pst_instance *v = expand(names[i], NULL, &n);

		CU_ASSERT_EQUAL(n, 0);
		free(v);
	}
}

static void suite_without_cases_gives_no_instances(void)
{
	int n;
	struct pst_instance *v = expand("empty", NULL, &n);

	CU_ASSERT_EQUAL(n, 0);
	free(v);
}

static void empty_suite_list_gives_no_instances(void)
{
	static const struct pst_suite *const none[] = { NULL };
	struct pst_instance *v = NULL;

	CU_ASSERT_EQUAL(pst_registry_expand(none, NULL, NULL, &v), 0);
	free(v);
}

/* --case globs: what each keeps, as "suite/name" lines, in order. */
static void case_glob_matches_case_name_or_suite_slash_case(void)
{
	static const struct {
		const char *suite;
		const char *glob;
		const char *want;
	} rows[] = {
		/* the case name alone: in every suite that has it */
		{ NULL, "plain", "alpha/plain\nbeta/plain\n" },
		/* suite/case: only that suite's */
		{ NULL, "alpha/plain", "alpha/plain\n" },
		{ NULL, "beta/plain", "beta/plain\n" },
		{ NULL, "*/plain", "alpha/plain\nbeta/plain\n" },
		/* a variant by its full name, alone or with the suite */
		{ NULL, "both/ipv6/raw_PEELOFF", "alpha/both/ipv6/raw_PEELOFF\n" },
		{ NULL, "alpha/both/ipv6/raw_PEELOFF", "alpha/both/ipv6/raw_PEELOFF\n" },
		/* globs over the variant parts ('*' also matches '/') */
		{ NULL, "*/raw_PEELOFF",
		  "alpha/ent/raw_PEELOFF\nalpha/both/ipv4/raw_PEELOFF\nalpha/both/ipv6/"
		  "raw_PEELOFF\n" },
		{ NULL, "*/ipv6", "alpha/fam/ipv6\nbeta/other/ipv6\n" },
		{ NULL, "both/ipv[6]/*_[fF][lL][aA][gG][sS]",
		  "alpha/both/ipv6/sctp_peeloff_flags\nalpha/both/ipv6/raw_PEELOFF_FLAGS\n" },
		{ NULL, "?lpha/fam/*", "alpha/fam/ipv4\nalpha/fam/ipv6\n" },
		{ NULL, "beta/*", "beta/plain\nbeta/other/ipv4\nbeta/other/ipv6\n" },
		/* a comma-separated list: any glob of it, in registry order, each case once */
		{ NULL, "beta/other/*,alpha/fam/ipv4",
		  "alpha/fam/ipv4\nbeta/other/ipv4\nbeta/other/ipv6\n" },
		{ NULL, "plain,beta/*",
		  "alpha/plain\nbeta/plain\nbeta/other/ipv4\nbeta/other/ipv6\n" },
		{ NULL, ",nothing,", "" },
		/* combined with --suite */
		{ "beta", "plain", "beta/plain\n" },
		{ "alpha", "*/ipv6", "alpha/fam/ipv6\n" },
		{ "beta", "alpha/*", "" },
		/* no match: nothing */
		{ NULL, "nosuch*", "" },
		{ NULL, "gamma/plain", "" },
		{ NULL, "pla", "" },
		{ NULL, "PLAIN", "" },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		int n;
		struct pst_instance *v = expand(rows[i].suite, rows[i].glob, &n);
		char got[1024];

		CU_ASSERT_FATAL(n >= 0);
		join(v, n, got, sizeof(got));
		CU_ASSERT_STRING_EQUAL(got, rows[i].want);
		if (strcmp(got, rows[i].want) != 0)
			fprintf(stderr, "\n  --suite %s --case '%s': got\n%s  want\n%s",
				rows[i].suite ? rows[i].suite : "(all)", rows[i].glob, got,
				rows[i].want);
		free(v);
	}
}

static void case_name_alone_selects_all_its_variants(void)
{
	int n;
	struct pst_instance *v = expand(NULL, "both", &n);

	/* "both" expands over 2 families x 4 entry points. */
	CU_ASSERT_EQUAL(n, 8);
	for (int i = 0; i < n; i++)
		CU_ASSERT_STRING_EQUAL(v[i].tc->name, "both");
	free(v);
}

static void filtering_keeps_the_instance_fields(void)
{
	int n;
	struct pst_instance *v = expand("alpha", "both/ipv6/sctp_peeloff_flags", &n);

	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_PTR_EQUAL(v[0].suite, &alpha);
	CU_ASSERT_PTR_EQUAL(v[0].tc, &alpha_cases[3]);
	CU_ASSERT_EQUAL(v[0].family, AF_INET6);
	CU_ASSERT_EQUAL(v[0].entry, PST_ENTRY_PEELOFF_FLAGS);
	free(v);
}

/* More instances than the first allocation (64) holds: all kept, in order. */
static void many_instances_are_all_kept_in_order(void)
{
	enum { NCASES = 40 };
	static char names[NCASES][16];
	static struct pst_case cases[NCASES];
	struct pst_suite big = { .name = "big", .area = "many", .cases = cases, .ncases = NCASES };
	const struct pst_suite *const suites[] = { &big, NULL };
	struct pst_instance *v = NULL;
	int n, bad = 0;

	for (int i = 0; i < NCASES; i++) {
		snprintf(names[i], sizeof(names[i]), "case%02d", i);
		cases[i] = (struct pst_case){ .name = names[i],
					      .fn = body,
					      .axes = PST_AXIS_FAMILY | PST_AXIS_ENTRY };
	}
	n = pst_registry_expand(suites, NULL, NULL, &v);
	CU_ASSERT_EQUAL_FATAL(n, NCASES * 2 * PST_ENTRY_COUNT);
	for (int i = 0; i < n; i++) {
		int c = i / (2 * PST_ENTRY_COUNT), f = (i / PST_ENTRY_COUNT) % 2,
		    e = i % PST_ENTRY_COUNT;
		char want[64];

		snprintf(want, sizeof(want), "case%02d/%s/%s", c, f ? "ipv6" : "ipv4",
			 pst_entry_name((enum pst_entry)e));
		if (strcmp(v[i].name, want) != 0 || v[i].tc != &cases[c] ||
		    v[i].family != (f ? AF_INET6 : AF_INET) || v[i].entry != (enum pst_entry)e) {
			if (!bad++)
				fprintf(stderr, "\n  [%d] '%s', want '%s'\n", i, v[i].name, want);
		}
	}
	CU_ASSERT_EQUAL(bad, 0);
	free(v);
}

static void long_case_name_is_truncated_to_the_name_buffer(void)
{
	char longname[200];
	struct pst_case tc = { .name = longname, .fn = body };
	const struct pst_suite s = { .name = "s", .area = "a", .cases = &tc, .ncases = 1 };
	const struct pst_suite *const suites[] = { &s, NULL };
	struct pst_instance *v = NULL;

	memset(longname, 'n', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	CU_ASSERT_EQUAL_FATAL(pst_registry_expand(suites, NULL, NULL, &v), 1);
	CU_ASSERT_EQUAL(strlen(v[0].name), sizeof(v[0].name) - 1);
	CU_ASSERT_NSTRING_EQUAL(v[0].name, longname, sizeof(v[0].name) - 1);
	free(v);
}

/*
 * Regression: the variant suffix was once appended past the end of in.name
 * when the case name filled the buffer (a stack overflow under ASan).
 */
static void long_case_name_with_variants_stays_in_the_name_buffer(void)
{
	char longname[170];
	struct pst_case tc = { .name = longname,
			       .fn = body,
			       .axes = PST_AXIS_FAMILY | PST_AXIS_ENTRY };
	const struct pst_suite s = { .name = "s", .area = "a", .cases = &tc, .ncases = 1 };
	const struct pst_suite *const suites[] = { &s, NULL };
	struct pst_instance *v = NULL;
	int n;

	memset(longname, 'n', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	n = pst_registry_expand(suites, NULL, NULL, &v);
	CU_ASSERT_EQUAL_FATAL(n, 2 * PST_ENTRY_COUNT);
	for (int i = 0; i < n; i++)
		CU_ASSERT_EQUAL(strlen(v[i].name), sizeof(v[i].name) - 1);
	free(v);
}

/* Which entry points a case may peel through: the runner skips the others before the case. */
static int fake_flags(int sd, sctp_assoc_t id, unsigned flags)
{
	(void)sd, (void)id, (void)flags;
	return -1;
}

static void entry_unavailable_names_the_profile_or_the_missing_export(void)
{
	char buf[512];
	int (*saved)(int, sctp_assoc_t, unsigned) = pst_iut.peeloff_flags;

	pst_iut.peeloff_flags = NULL;
	CU_ASSERT_PTR_NULL(
	    pst_entry_unavailable(PST_PROFILE_LINUX, PST_ENTRY_PEELOFF, buf, sizeof(buf)));
	CU_ASSERT_PTR_NULL(
	    pst_entry_unavailable(PST_PROFILE_LINUX, PST_ENTRY_RAW_FLAGS, buf, sizeof(buf)));
	CU_ASSERT_PTR_EQUAL(
	    pst_entry_unavailable(PST_PROFILE_LINUX, PST_ENTRY_PEELOFF_FLAGS, buf, sizeof(buf)),
	    buf);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "does not export sctp_peeloff_flags"));
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(buf, "no static archive's code was given (--libsctp-archive)"));
	snprintf(pst_iut.archive, sizeof(pst_iut.archive), "/x/libsctp-archive.so");
	CU_ASSERT_PTR_EQUAL(
	    pst_entry_unavailable(PST_PROFILE_LINUX, PST_ENTRY_PEELOFF_FLAGS, buf, sizeof(buf)),
	    buf);
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(buf, "nor does the static archive's code in /x/libsctp-archive.so"));
	pst_iut.archive[0] = '\0';
	pst_iut.peeloff_flags = fake_flags;
	CU_ASSERT_PTR_NULL(
	    pst_entry_unavailable(PST_PROFILE_LINUX, PST_ENTRY_PEELOFF_FLAGS, buf, sizeof(buf)));
	/* the other profiles document sctp_peeloff() only, exported or not */
	CU_ASSERT_PTR_NULL(
	    pst_entry_unavailable(PST_PROFILE_SOLARIS, PST_ENTRY_PEELOFF, buf, sizeof(buf)));
	CU_ASSERT_PTR_EQUAL(
	    pst_entry_unavailable(PST_PROFILE_RFC6458, PST_ENTRY_RAW, buf, sizeof(buf)), buf);
	CU_ASSERT_STRING_EQUAL(buf,
			       "raw_PEELOFF: the rfc6458 profile documents sctp_peeloff() only");
	pst_iut.peeloff_flags = saved;
}

/*
 * Where sctp_peeloff_flags comes from (iut.c): the library under test when it
 * exports it, else the static archive's code (build/libsctp-archive.so, which
 * make all links with harness/runner/libsctp-archive.sh); each said in flags_source.
 */
static void iut_takes_sctp_peeloff_flags_from_the_library_else_the_archive(void)
{
	static struct pst_iut saved;
	char err[512] = "";

	saved = pst_iut;
	/* the default library with the archive's code beside it */
	CU_ASSERT_EQUAL_FATAL(pst_iut_load(NULL, PST_DEFAULT_LIBSCTP_ARCHIVE, err, sizeof(err)), 0);
	CU_ASSERT_PTR_NOT_NULL(pst_iut.peeloff);
	CU_ASSERT_PTR_NOT_NULL(pst_iut.peeloff_flags);
	CU_ASSERT_PTR_NOT_NULL(strstr(pst_iut.archive, PST_DEFAULT_LIBSCTP_ARCHIVE));
	CU_ASSERT_PTR_NOT_NULL(strstr(pst_iut.archive_origin, "libsctp.a("));
	if (!pst_iut.flags_exported &&
	    strncmp(pst_iut.flags_source, "the static archive: ", 20) != 0)
		fprintf(stderr, "\n  expected the static archive as the source, got '%s'\n",
			pst_iut.flags_source);
	CU_ASSERT(pst_iut.flags_exported ||
		  strncmp(pst_iut.flags_source, "the static archive: ", 20) == 0);
	/* a library that exports it (that shared object itself): the archive is not needed */
	CU_ASSERT_EQUAL_FATAL(pst_iut_load(PST_DEFAULT_LIBSCTP_ARCHIVE, NULL, err, sizeof(err)), 0);
	CU_ASSERT_TRUE(pst_iut.flags_exported);
	CU_ASSERT_PTR_NOT_NULL(pst_iut.peeloff_flags);
	CU_ASSERT_STRING_EQUAL(pst_iut.archive, "");
	CU_ASSERT_PTR_NOT_NULL(strstr(pst_iut.flags_source, "the shared library: "));
	/* an archive that cannot be opened is an error, named */
	CU_ASSERT_EQUAL(pst_iut_load(NULL, "/nonexistent/libsctp-archive.so", err, sizeof(err)),
			-1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "'/nonexistent/libsctp-archive.so'"));
	pst_iut = saved;
}

static void entry_names_are_the_documented_ones(void)
{
	CU_ASSERT_STRING_EQUAL(pst_entry_name(PST_ENTRY_PEELOFF), "sctp_peeloff");
	CU_ASSERT_STRING_EQUAL(pst_entry_name(PST_ENTRY_PEELOFF_FLAGS), "sctp_peeloff_flags");
	CU_ASSERT_STRING_EQUAL(pst_entry_name(PST_ENTRY_RAW), "raw_PEELOFF");
	CU_ASSERT_STRING_EQUAL(pst_entry_name(PST_ENTRY_RAW_FLAGS), "raw_PEELOFF_FLAGS");
	CU_ASSERT_STRING_EQUAL(pst_entry_name(PST_ENTRY_COUNT), "?");
}

int main(void)
{
	static const struct pst_unit_test tests[] = {
		PST_UNIT_TEST(no_filter_keeps_every_instance_in_declaration_order),
		PST_UNIT_TEST(case_without_axes_is_one_instance_named_as_the_case),
		PST_UNIT_TEST(family_axis_gives_ipv4_then_ipv6),
		PST_UNIT_TEST(entry_axis_gives_the_four_entry_points_in_enum_order),
		PST_UNIT_TEST(flags_entry_axis_gives_the_two_flags_entry_points),
		PST_UNIT_TEST(both_axes_give_family_major_cross_product),
		PST_UNIT_TEST(suite_filter_keeps_only_that_suite),
		PST_UNIT_TEST(suite_filter_is_an_exact_name_not_a_glob_or_prefix),
		PST_UNIT_TEST(suite_without_cases_gives_no_instances),
		PST_UNIT_TEST(empty_suite_list_gives_no_instances),
		PST_UNIT_TEST(case_glob_matches_case_name_or_suite_slash_case),
		PST_UNIT_TEST(case_name_alone_selects_all_its_variants),
		PST_UNIT_TEST(filtering_keeps_the_instance_fields),
		PST_UNIT_TEST(many_instances_are_all_kept_in_order),
		PST_UNIT_TEST(long_case_name_is_truncated_to_the_name_buffer),
		PST_UNIT_TEST(long_case_name_with_variants_stays_in_the_name_buffer),
		PST_UNIT_TEST(entry_names_are_the_documented_ones),
		PST_UNIT_TEST(entry_unavailable_names_the_profile_or_the_missing_export),
		PST_UNIT_TEST(iut_takes_sctp_peeloff_flags_from_the_library_else_the_archive),
	};

	return pst_unit_main("registry", tests, sizeof(tests) / sizeof(tests[0]), NULL, NULL);
}
