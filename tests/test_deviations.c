/*
 * Unit tests of the expected-deviation list (harness/catalogue/deviations.c): loading
 * the tab-separated file (comments, blank lines, CRLF), rejecting a malformed
 * line with "path:line" and nothing leaked, a missing file as an empty list.
 * Which entry excuses what: tests/test_judge.c.
 */
#include <CUnit/Basic.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "case.h"
#include "deviations.h"
#include "unit.h"

#define MALFORMED_MSG                                                                        \
	"expected 7 tab-separated fields: profile, case glob, check, kernel range, libsctp " \
	"range, reference, reason"

static char tmpdir[] = "/tmp/pst_deviations.XXXXXX";

static int suite_init(void)
{
	return mkdtemp(tmpdir) ? 0 : -1;
}

/* Remove tmpdir and whatever a test stopped by a fatal assertion left in it. */
static int suite_clean(void)
{
	return pst_unit_remove_dir(tmpdir);
}

/* Write content to tmpdir/name; its path in path. 0 or -1. */
static int write_file(const char *name, const char *content, char *path, size_t len)
{
	return pst_unit_write_file(tmpdir, name, content, path, len);
}

static void load_skips_comments_and_blank_lines(void)
{
	static const char content[] =
	    "# Expected deviations\n"
	    "# profile\tglob\treference\treason\n"
	    "\n"
	    "linux\tlibsctp/libsctp_exports_*\tchk\t*\t*\tlksctp Versions.map\tnot exported\n"
	    "\n"
	    "# another comment\n"
	    "solaris\t*/ipv6/*\tchk\t*\t*\tRFC 6458 9.2\tno IPv6, on purpose\n";
	char path[PATH_MAX], err[512] = "";
	struct pst_deviations d;

	CU_ASSERT_EQUAL_FATAL(write_file("ok.tsv", content, path, sizeof(path)), 0);
	CU_ASSERT_EQUAL_FATAL(pst_deviations_load(path, &d, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(d.n, 2);
	CU_ASSERT_STRING_EQUAL(d.v[0].profile, "linux");
	CU_ASSERT_STRING_EQUAL(d.v[0].glob, "libsctp/libsctp_exports_*");
	CU_ASSERT_STRING_EQUAL(d.v[0].check, "chk");
	CU_ASSERT_STRING_EQUAL(d.v[0].kernel, "*");
	CU_ASSERT_STRING_EQUAL(d.v[0].libsctp, "*");
	CU_ASSERT_STRING_EQUAL(d.v[0].reference, "lksctp Versions.map");
	CU_ASSERT_STRING_EQUAL(d.v[0].reason, "not exported");
	CU_ASSERT(strstr(d.v[0].where, "ok.tsv:4") != NULL); /* for the judge's messages */
	CU_ASSERT_STRING_EQUAL(d.v[1].profile, "solaris");
	CU_ASSERT_STRING_EQUAL(d.v[1].glob, "*/ipv6/*");
	CU_ASSERT_STRING_EQUAL(d.v[1].reference, "RFC 6458 9.2");
	CU_ASSERT_STRING_EQUAL(d.v[1].reason, "no IPv6, on purpose");
	pst_deviations_free(&d);
	unlink(path);
}

static void crlf_line_ends_are_not_part_of_the_reason(void)
{
	char path[PATH_MAX], err[512] = "";
	struct pst_deviations d;

	CU_ASSERT_EQUAL_FATAL(write_file("crlf.tsv",
					 "# c\r\n\r\nlinux\ta/b\tchk\t*\t*\tref\treason\r\n", path,
					 sizeof(path)),
			      0);
	CU_ASSERT_EQUAL_FATAL(pst_deviations_load(path, &d, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(d.n, 1);
	CU_ASSERT_STRING_EQUAL(d.v[0].reason, "reason");
	pst_deviations_free(&d);
	unlink(path);
}

static void last_line_without_newline_is_read(void)
{
	char path[PATH_MAX], err[512] = "";
	struct pst_deviations d;

	CU_ASSERT_EQUAL_FATAL(
	    write_file("nonl.tsv", "linux\ta/b\tchk\t*\t*\tref\tlast", path, sizeof(path)), 0);
	CU_ASSERT_EQUAL_FATAL(pst_deviations_load(path, &d, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(d.n, 1);
	CU_ASSERT_STRING_EQUAL(d.v[0].reason, "last");
	pst_deviations_free(&d);
	unlink(path);
}

static void spaces_inside_fields_are_kept(void)
{
	char path[PATH_MAX], err[512] = "";
	struct pst_deviations d;

	CU_ASSERT_EQUAL_FATAL(write_file("sp.tsv", "linux\ta b/c\tchk\t*\t*\t ref \t a reason \n",
					 path, sizeof(path)),
			      0);
	CU_ASSERT_EQUAL_FATAL(pst_deviations_load(path, &d, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(d.n, 1);
	CU_ASSERT_STRING_EQUAL(d.v[0].glob, "a b/c");
	CU_ASSERT_STRING_EQUAL(d.v[0].reference, " ref ");
	CU_ASSERT_STRING_EQUAL(d.v[0].reason, " a reason ");
	pst_deviations_free(&d);
	unlink(path);
}

static void many_entries_are_all_kept_in_file_order(void)
{
	enum { N = 100 };
	char path[PATH_MAX], err[512] = "";
	struct pst_deviations d;
	FILE *f;
	size_t bad = 0;

	snprintf(path, sizeof(path), "%s/many.tsv", tmpdir);
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	for (int i = 0; i < N; i++)
		fprintf(f, "# entry %d\nlinux\ts/c%d\tchk\t*\t*\tref%d\treason %d\n", i, i, i, i);
	CU_ASSERT_EQUAL_FATAL(fclose(f), 0);
	CU_ASSERT_EQUAL_FATAL(pst_deviations_load(path, &d, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(d.n, N);
	for (size_t i = 0; i < d.n; i++) {
		char glob[32];

		snprintf(glob, sizeof(glob), "s/c%zu", i);
		bad += strcmp(d.v[i].glob, glob) != 0;
	}
	CU_ASSERT_EQUAL(bad, 0);
	pst_deviations_free(&d);
	unlink(path);
}

static void fields_at_their_maximum_length_are_kept(void)
{
	struct pst_deviation e;
	char prof[sizeof(e.profile)], glob[sizeof(e.glob)], check[sizeof(e.check)],
	    kernel[sizeof(e.kernel)], lib[sizeof(e.libsctp)], ref[sizeof(e.reference)],
	    reason[sizeof(e.reason)];
	char content[4096], path[PATH_MAX], err[512] = "";
	struct pst_deviations d;

	memset(prof, 'p', sizeof(prof) - 1);
	prof[sizeof(prof) - 1] = '\0';
	memset(glob, 'g', sizeof(glob) - 1);
	glob[sizeof(glob) - 1] = '\0';
	memset(check, 'c', sizeof(check) - 1);
	check[sizeof(check) - 1] = '\0';
	memset(kernel, 'k', sizeof(kernel) - 1);
	kernel[sizeof(kernel) - 1] = '\0';
	memset(lib, 'l', sizeof(lib) - 1);
	lib[sizeof(lib) - 1] = '\0';
	memset(ref, 'r', sizeof(ref) - 1);
	ref[sizeof(ref) - 1] = '\0';
	memset(reason, 'x', sizeof(reason) - 1);
	reason[sizeof(reason) - 1] = '\0';
	snprintf(content, sizeof(content), "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", prof, glob, check,
		 kernel, lib, ref, reason);
	CU_ASSERT_EQUAL_FATAL(write_file("max.tsv", content, path, sizeof(path)), 0);
	CU_ASSERT_EQUAL_FATAL(pst_deviations_load(path, &d, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(d.n, 1);
	CU_ASSERT_STRING_EQUAL(d.v[0].profile, prof);
	CU_ASSERT_STRING_EQUAL(d.v[0].glob, glob);
	CU_ASSERT_STRING_EQUAL(d.v[0].check, check);
	CU_ASSERT_STRING_EQUAL(d.v[0].kernel, kernel);
	CU_ASSERT_STRING_EQUAL(d.v[0].libsctp, lib);
	CU_ASSERT_STRING_EQUAL(d.v[0].reference, ref);
	CU_ASSERT_STRING_EQUAL(d.v[0].reason, reason);
	pst_deviations_free(&d);
	unlink(path);
}

/*
 * Malformed files: each gives -1, "path:line: <MALFORMED_MSG>" naming the bad
 * line, an empty list (the entries read before it are freed) and no open file.
 */
static void malformed_line_gives_its_path_and_line_and_leaks_nothing(void)
{
	static const struct {
		const char *content;
		unsigned line;
	} rows[] = {
		{ "linux\tglob\tref\n", 1 },		       /* three fields */
		{ "linux\tglob\tref\treason\n", 1 },	       /* the old four */
		{ "linux\tglob\t\t*\t*\tref\treason\n", 1 },   /* empty check */
		{ "linux\tglob\tchk\t\t*\tref\treason\n", 1 }, /* empty kernel range */
		{ "linux\n", 1 },			       /* one field */
		{ "linux glob ref reason\n", 1 },	       /* spaces, not tabs */
		{ "linux\t\tchk\t*\t*\tref\treason\n", 1 },    /* empty glob */
		{ "\tglob\tchk\t*\t*\tref\treason\n", 1 },     /* empty profile */
		{ "linux\tglob\tchk\t*\t*\t\treason\n", 1 },   /* empty reference */
		{ "linux\tglob\tchk\t*\t*\tref\t\n", 1 },      /* empty reason */
		{ "   \n", 1 },				       /* blanks are not a blank line */
		{ "# c\n\nlinux\ta\tchk\t*\t*\tr\tx\nlinux\tb\tr\n", 4 }, /* after a good entry */
		{ "linux\ta\tchk\t*\t*\tr\tx\nlinux\tb\tchk\t*\t*\tr\tx\n\nbad\n",
		  4 },					       /* after two good entries */
		{ "linux\ta\tchk\t*\t*\tr\tx\r\nbad\r\n", 2 }, /* CRLF */
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char path[PATH_MAX], err[PATH_MAX + 128] = "", want[PATH_MAX + 128];
		struct pst_deviations d = { NULL, 0 };
		int fds_before, rc;

		CU_ASSERT_EQUAL_FATAL(write_file("bad.tsv", rows[i].content, path, sizeof(path)),
				      0);
		fds_before = pst_count_fds();
		rc = pst_deviations_load(path, &d, err, sizeof(err));
		snprintf(want, sizeof(want), "%s:%u: " MALFORMED_MSG, path, rows[i].line);
		CU_ASSERT_EQUAL(rc, -1);
		CU_ASSERT_STRING_EQUAL(err, want);
		if (rc != -1 || strcmp(err, want) != 0)
			fprintf(stderr, "\n  row %zu: rc %d, err '%s'\n  want '%s'\n", i, rc, err,
				want);
		CU_ASSERT_PTR_NULL(d.v); /* and LeakSanitizer sees no block lost */
		CU_ASSERT_EQUAL(d.n, 0);
		CU_ASSERT_EQUAL(pst_count_fds(), fds_before);
		pst_deviations_free(&d);
		unlink(path);
	}
}

static void field_longer_than_its_buffer_is_a_malformed_line(void)
{
	struct pst_deviation e;
	static const size_t sizes[] = { sizeof(e.profile), sizeof(e.glob),    sizeof(e.check),
					sizeof(e.kernel),  sizeof(e.libsctp), sizeof(e.reference),
					sizeof(e.reason) };
	enum { NFIELDS = sizeof(sizes) / sizeof(sizes[0]) };

	for (size_t f = 0; f < NFIELDS; f++) {
		char fields[NFIELDS][sizeof(e.reason) + 1];
		char content[4096], path[PATH_MAX], err[PATH_MAX + 128] = "", want[PATH_MAX + 128];
		struct pst_deviations d;

		for (size_t k = 0; k < NFIELDS; k++)
			snprintf(fields[k], sizeof(fields[k]), "f%zu", k);
		/* Field f one byte too long: sizes[f] characters. */
		memset(fields[f], 'z', sizes[f]);
		fields[f][sizes[f]] = '\0';
		snprintf(content, sizeof(content), "# long field\n%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
			 fields[0], fields[1], fields[2], fields[3], fields[4], fields[5],
			 fields[6]);
		CU_ASSERT_EQUAL_FATAL(write_file("long.tsv", content, path, sizeof(path)), 0);
		CU_ASSERT_EQUAL(pst_deviations_load(path, &d, err, sizeof(err)), -1);
		snprintf(want, sizeof(want), "%s:2: " MALFORMED_MSG, path);
		CU_ASSERT_STRING_EQUAL(err, want);
		CU_ASSERT_PTR_NULL(d.v);
		CU_ASSERT_EQUAL(d.n, 0);
		unlink(path);
	}
}

static void missing_file_is_an_empty_list(void)
{
	char path[PATH_MAX], err[512] = "untouched";
	struct pst_deviations d;

	memset(&d, 0xa5, sizeof(d));
	snprintf(path, sizeof(path), "%s/does-not-exist.tsv", tmpdir);
	CU_ASSERT_EQUAL(pst_deviations_load(path, &d, err, sizeof(err)), 0);
	CU_ASSERT_PTR_NULL(d.v);
	CU_ASSERT_EQUAL(d.n, 0);
	pst_deviations_free(&d);
}

static void empty_file_is_an_empty_list(void)
{
	static const char *const contents[] = { "", "\n\n", "# only\n# comments\n" };

	for (size_t i = 0; i < sizeof(contents) / sizeof(contents[0]); i++) {
		char path[PATH_MAX], err[512] = "";
		struct pst_deviations d;

		CU_ASSERT_EQUAL_FATAL(write_file("empty.tsv", contents[i], path, sizeof(path)), 0);
		CU_ASSERT_EQUAL(pst_deviations_load(path, &d, err, sizeof(err)), 0);
		CU_ASSERT_PTR_NULL(d.v);
		CU_ASSERT_EQUAL(d.n, 0);
		pst_deviations_free(&d);
		unlink(path);
	}
}

static void unopenable_path_gives_its_reason(void)
{
	char file[PATH_MAX], path[PATH_MAX + 16], err[PATH_MAX + 128] = "", want[PATH_MAX + 128];
	struct pst_deviations d;

	/* Below a regular file: ENOTDIR, not ENOENT, so not "missing" (works as root too). */
	CU_ASSERT_EQUAL_FATAL(write_file("plain", "", file, sizeof(file)), 0);
	snprintf(path, sizeof(path), "%s/sub.tsv", file);
	CU_ASSERT_EQUAL(pst_deviations_load(path, &d, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: %s", path, strerror(ENOTDIR));
	CU_ASSERT_STRING_EQUAL(err, want);
	CU_ASSERT_PTR_NULL(d.v);
	CU_ASSERT_EQUAL(d.n, 0);
	unlink(file);
}

/*
 * Regression: a directory (fopen() succeeds, reading fails with EISDIR) once
 * loaded as an empty list.
 */
static void directory_path_is_an_error(void)
{
	char err[PATH_MAX + 128] = "";
	struct pst_deviations d;

	CU_ASSERT_EQUAL(pst_deviations_load(tmpdir, &d, err, sizeof(err)), -1);
	pst_deviations_free(&d);
}

/* An eighth field is a malformed line, not silently dropped. */
static void eighth_field_is_a_malformed_line(void)
{
	char path[PATH_MAX], err[PATH_MAX + 128] = "";
	struct pst_deviations d;

	CU_ASSERT_EQUAL_FATAL(write_file("eight.tsv", "linux\ta/b\tc\t*\t*\tref\treason\textra\n",
					 path, sizeof(path)),
			      0);
	CU_ASSERT_EQUAL(pst_deviations_load(path, &d, err, sizeof(err)), -1);
	pst_deviations_free(&d);
	unlink(path);
}

static void free_empties_the_list_and_may_be_repeated(void)
{
	char path[PATH_MAX], err[512] = "";
	struct pst_deviations d;

	CU_ASSERT_EQUAL_FATAL(
	    write_file("free.tsv", "linux\ta\tchk\t*\t*\tr\tx\n", path, sizeof(path)), 0);
	CU_ASSERT_EQUAL_FATAL(pst_deviations_load(path, &d, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(d.n, 1);
	pst_deviations_free(&d);
	CU_ASSERT_PTR_NULL(d.v);
	CU_ASSERT_EQUAL(d.n, 0);
	pst_deviations_free(&d);
	CU_ASSERT_PTR_NULL(d.v);
	unlink(path);
}

/* The project's own waiver files load, and there is at least one entry (the libsctp export). */
static void project_deviation_files_are_well_formed(void)
{
	char err[PATH_MAX + 128] = "";
	struct pst_deviations d;

	CU_ASSERT_EQUAL_FATAL(access("suites/deviations", R_OK), 0); /* run from the repo root */
	CU_ASSERT_EQUAL(pst_deviations_load_dir("suites/deviations", &d, err, sizeof(err)), 0);
	if (err[0])
		fprintf(stderr, "\n  %s\n", err);
	CU_ASSERT(d.n >= 1);
	pst_deviations_free(&d);
}

static void directory_of_files_loads_all_in_name_order(void)
{
	char dir[] = "/tmp/pst_devdir.XXXXXX", p1[PATH_MAX], p2[PATH_MAX], p3[PATH_MAX];
	char err[PATH_MAX + 128] = "";
	struct pst_deviations d;
	FILE *f;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(p1, sizeof(p1), "%s/b.tsv", dir);
	snprintf(p2, sizeof(p2), "%s/a.tsv", dir);
	snprintf(p3, sizeof(p3), "%s/notes.txt", dir);
	f = fopen(p1, "w");
	fputs("linux\ts/b\tchk\t*\t*\tref-b\tfrom b\n", f);
	fclose(f);
	f = fopen(p2, "w");
	fputs("linux\ts/a\tchk\t*\t*\tref-a\tfrom a\n", f);
	fclose(f);
	f = fopen(p3, "w");
	fputs("not a waiver file\n", f);
	fclose(f);
	CU_ASSERT_EQUAL(pst_deviations_load_dir(dir, &d, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(d.n, 2);
	CU_ASSERT_STRING_EQUAL(d.v[0].reference, "ref-a");
	CU_ASSERT_STRING_EQUAL(d.v[1].reference, "ref-b");
	pst_deviations_free(&d);
	unlink(p1);
	unlink(p2);
	unlink(p3);
	rmdir(dir);
}

int main(void)
{
	static const struct pst_unit_test tests[] = {
		PST_UNIT_TEST(load_skips_comments_and_blank_lines),
		PST_UNIT_TEST(crlf_line_ends_are_not_part_of_the_reason),
		PST_UNIT_TEST(last_line_without_newline_is_read),
		PST_UNIT_TEST(spaces_inside_fields_are_kept),
		PST_UNIT_TEST(many_entries_are_all_kept_in_file_order),
		PST_UNIT_TEST(fields_at_their_maximum_length_are_kept),
		PST_UNIT_TEST(malformed_line_gives_its_path_and_line_and_leaks_nothing),
		PST_UNIT_TEST(field_longer_than_its_buffer_is_a_malformed_line),
		PST_UNIT_TEST(missing_file_is_an_empty_list),
		PST_UNIT_TEST(empty_file_is_an_empty_list),
		PST_UNIT_TEST(unopenable_path_gives_its_reason),
		PST_UNIT_TEST(directory_path_is_an_error),
		PST_UNIT_TEST(eighth_field_is_a_malformed_line),
		PST_UNIT_TEST(free_empties_the_list_and_may_be_repeated),
		PST_UNIT_TEST(project_deviation_files_are_well_formed),
		PST_UNIT_TEST(directory_of_files_loads_all_in_name_order),
	};

	return pst_unit_main("deviations", tests, sizeof(tests) / sizeof(tests[0]), suite_init,
			     suite_clean);
}
