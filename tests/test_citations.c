/*
 * Unit tests of the citations (harness/catalogue/citations.c) and the reference
 * document (harness/catalogue/references.c): every accepted form resolves, with its
 * link; a dangling one (an undefined id, a missing project file, a malformed or
 * unknown form) is refused with its reason; a file check names path:line and the
 * citation; the document is refused when an id is defined twice or has no title.
 * The requirement matrix's verdicts (harness/reporting/matrix.c): a requirement
 * whose cases all skipped is not tested.
 * Runs from the top of the project (make unit), where project files resolve.
 */
#include <CUnit/Basic.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "citations.h"
#include "matrix.h"
#include "references.h"
#include "unit.h"

#define PROJECT_REFERENCES "suites/requirements/REFERENCES.md"

static char tmpdir[] = "/tmp/pst_citations.XXXXXX";
static struct pst_refs refs; /* the small document suite_init writes */

static const char doc[] = "# References\n"
			  "## A section of the document\n"
			  "### REF-GOOD\n"
			  "\n"
			  "**A reference that exists**\n"
			  "Text.\n"
			  "### REF-OTHER-2\n"
			  "**Another one**\n";

/* Write content to tmpdir/name; its path in path. 0 or -1. */
static int write_file(const char *name, const char *content, char *path, size_t len)
{
	return pst_unit_write_file(tmpdir, name, content, path, len);
}

static int suite_init(void)
{
	char path[PATH_MAX], err[512];

	if (!mkdtemp(tmpdir) || write_file("REFERENCES.md", doc, path, sizeof(path)) < 0)
		return -1;
	return pst_refs_load(path, &refs, err, sizeof(err));
}

static int suite_clean(void)
{
	pst_refs_free(&refs);
	return pst_unit_remove_dir(tmpdir);
}

static void document_ids_and_titles_are_read(void)
{
	const struct pst_ref *q = pst_refs_find(&refs, "REF-GOOD");

	CU_ASSERT_EQUAL(refs.n, 2);
	CU_ASSERT_PTR_NOT_NULL_FATAL(q);
	CU_ASSERT_STRING_EQUAL(q->title, "A reference that exists");
	CU_ASSERT_EQUAL(q->line, 3);
	CU_ASSERT_PTR_NOT_NULL(pst_refs_find(&refs, "REF-OTHER-2"));
	CU_ASSERT_PTR_NULL(pst_refs_find(&refs, "REF-MISSING"));
}

static void good_citations_resolve_with_their_links(void)
{
	static const struct {
		const char *text;
		enum pst_cite_kind kind;
		const char *link;
	} good[] = {
		{ "REF-GOOD", PST_CITE_REF, "REFERENCES.md#ref-good" },
		{ "REF-OTHER-2", PST_CITE_REF, "REFERENCES.md#ref-other-2" },
		{ "RFC 6458", PST_CITE_RFC, "https://www.rfc-editor.org/rfc/rfc6458" },
		{ "RFC 6458 9.2", PST_CITE_RFC,
		  "https://www.rfc-editor.org/rfc/rfc6458#section-9.2" },
		{ "RFC 6458 8.1.8", PST_CITE_RFC,
		  "https://www.rfc-editor.org/rfc/rfc6458#section-8.1.8" },
		{ "sctp_peeloff(3)", PST_CITE_MAN, "REFERENCES.md#the-documents-and-the-kernels" },
		{ "sctp_peeloff(3) ERRORS", PST_CITE_MAN,
		  "REFERENCES.md#the-documents-and-the-kernels" },
		{ "sctp_peeloff(3SOCKET) RETURN VALUES", PST_CITE_MAN,
		  "REFERENCES.md#the-documents-and-the-kernels" },
		{ "CVE-2017-15115", PST_CITE_CVE,
		  "https://www.cve.org/CVERecord?id=CVE-2017-15115" },
		{ "CVE-2021-123456", PST_CITE_CVE,
		  "https://www.cve.org/CVERecord?id=CVE-2021-123456" },
		{ "df80cd9b28b9", PST_CITE_COMMIT,
		  "https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/commit/"
		  "?id=df80cd9b28b9" },
		{ "sctp/lksctp-tools#70", PST_CITE_ISSUE,
		  "https://github.com/sctp/lksctp-tools/issues/70" },
		{ "Linux 6.1 net/sctp/socket.c:sctp_do_peeloff", PST_CITE_KERNEL_FUNCTION,
		  "https://elixir.bootlin.com/linux/v6.1/source/net/sctp/socket.c" },
		{ "Linux 6.1.192 fs/file_table.c:alloc_empty_file", PST_CITE_KERNEL_FUNCTION,
		  "https://elixir.bootlin.com/linux/v6.1.192/source/fs/file_table.c" },
		{ "README.md", PST_CITE_FILE, "" },
		{ "harness/catalogue/citations.c", PST_CITE_FILE, "" },
	};

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct pst_cite c;
		char err[512] = "";
		int rc = pst_cite_resolve(&refs, good[i].text, &c, err, sizeof(err));

		if (rc != 0)
			fprintf(stderr, "\n  \"%s\" refused: %s\n", good[i].text, err);
		CU_ASSERT_EQUAL(rc, 0);
		CU_ASSERT_EQUAL(c.kind, good[i].kind);
		CU_ASSERT_STRING_EQUAL(c.text, good[i].text);
		CU_ASSERT_STRING_EQUAL(c.link, good[i].link);
		CU_ASSERT(c.title[0] != '\0');
	}
}

static void ref_title_comes_from_the_document(void)
{
	struct pst_cite c;
	char err[512];

	CU_ASSERT_EQUAL_FATAL(pst_cite_resolve(&refs, "REF-GOOD", &c, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(c.title, "A reference that exists");
	CU_ASSERT_STRING_EQUAL(pst_cite_kind_name(c.kind), "reference");
}

static void dangling_citations_are_refused_with_the_reason(void)
{
	static const struct {
		const char *text, *why;
	} bad[] = {
		{ "REF-MISSING", "no such reference" },
		{ "REF-lower", "not a well-formed reference id" },
		{ "REF-A--B", "not a well-formed reference id" },
		{ "REF-", "not a well-formed reference id" },
		{ "suites/no-such-file.c", "no such file in the project" },
		{ "suites", "no such file in the project" }, /* a folder is not a file */
		{ "../elsewhere/notes.md", "without \"..\"" },
		{ "/etc/passwd", "a relative path inside the project" },
		{ "observed 9.14: shutdown() does nothing", "unknown form" },
		{ "notes.md", "no such file in the project" },
		{ "observed 9.2", "unknown form" },
		{ "notes.md 2 row 3", "unknown form" },
		{ "lksctp-tools issue 70", "unknown form" },
		{ "RFC", "no such file in the project" },
		{ "RFC 6458 9.x", "RFC N S" },
		{ "RFC 6458 section 9.2", "RFC N S" },
		{ "CVE-17-5986", "CVE-YYYY-NNNN" },
		{ "CVE-2017-598", "CVE-YYYY-NNNN" },
		{ "df80cd9b28", "12 to 40 hex digits" },
		{ "sctp_peeloff(3) ERRORS (ENOTSOCK)", "not a man page heading" },
		{ "sctp_peeloff(3) MISC", "not a man page heading" },
		{ "sctp_peeloff()", "NAME(SECTION)" },
		{ "sctp/lksctp-tools#", "OWNER/REPO#N" },
		{ "lksctp-tools#70", "OWNER/REPO#N" },
		{ "Linux net/sctp/socket.c:sctp_do_peeloff", "Linux VERSION PATH:FUNCTION" },
		{ "Linux 6.1 net/sctp/socket.c sctp_do_peeloff()", "Linux VERSION PATH:FUNCTION" },
		{ "Linux 6 net/sctp/socket.c:sctp_do_peeloff", "Linux VERSION PATH:FUNCTION" },
		{ "Linux 6.1 ../socket.c:f", "Linux VERSION PATH:FUNCTION" },
		{ "", "empty citation" },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct pst_cite c;
		char err[512] = "";
		int rc = pst_cite_resolve(&refs, bad[i].text, &c, err, sizeof(err));

		if (rc != -1 || !strstr(err, bad[i].why))
			fprintf(stderr, "\n  \"%s\": expected -1 and \"%s\", got %d \"%s\"\n",
				bad[i].text, bad[i].why, rc, err);
		CU_ASSERT_EQUAL(rc, -1);
		CU_ASSERT_PTR_NOT_NULL(strstr(err, bad[i].why));
	}
}

static void a_field_splits_at_semicolons_trimmed(void)
{
	const char *p = " RFC 6458 9.2 ;REF-GOOD;; CVE-2017-15115 ";
	char one[64];
	const char *want[] = { "RFC 6458 9.2", "REF-GOOD", "", "CVE-2017-15115" };
	size_t n = 0;

	while (pst_cite_next(&p, one, sizeof(one))) {
		CU_ASSERT_FATAL(n < sizeof(want) / sizeof(want[0]));
		CU_ASSERT_STRING_EQUAL(one, want[n]);
		n++;
	}
	CU_ASSERT_EQUAL(n, 4);
}

/* Run the file check on content; its output into out. */
static int check(const char *content, unsigned column, char *path, char *out, size_t outlen)
{
	FILE *f = fmemopen(out, outlen, "w");
	int problems;

	CU_ASSERT_EQUAL_FATAL(write_file("cites.tsv", content, path, PATH_MAX), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	problems = pst_cite_check_file(&refs, path, column, f);
	fclose(f);
	return problems;
}

static void file_check_names_path_line_and_citation(void)
{
	char path[PATH_MAX], out[2048] = "", want[PATH_MAX + 128];
	int problems = check("# id\tprofiles\tsource\tsentence\n"
			     "A\tlinux\tRFC 6458 9.2; REF-GOOD\tfine\n"
			     "\n"
			     "B\tlinux\tREF-GOOD; REF-DANGLING\tone bad\n"
			     "C\tlinux\tobserved 9.14\tanother\n",
			     3, path, out, sizeof(out));

	CU_ASSERT_EQUAL(problems, 2);
	snprintf(want, sizeof(want), "%s:4: citation \"REF-DANGLING\": no such reference", path);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, want));
	snprintf(want, sizeof(want), "%s:5: citation \"observed 9.14\": unknown form", path);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, want));
	CU_ASSERT_PTR_NULL(strstr(out, ":2:"));
}

static void file_check_accepts_a_good_file_silently(void)
{
	char path[PATH_MAX], out[1024] = "";

	CU_ASSERT_EQUAL(check("# glob\treferences\tnote\n"
			      "a/b\tRFC 6458 8.1.8; REF-OTHER-2\tprose; may say anything\r\n"
			      "c/*\tsctp/lksctp-tools#70\tmore prose\n",
			      2, path, out, sizeof(out)),
			0);
	CU_ASSERT_STRING_EQUAL(out, "");
}

static void file_check_refuses_a_row_without_its_citation_column(void)
{
	char path[PATH_MAX], out[1024] = "";

	CU_ASSERT_EQUAL(check("a/b\n", 2, path, out, sizeof(out)), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, ":1: no citation (column 2)"));
}

static void document_load_refuses(const char *content, const char *why)
{
	char path[PATH_MAX], err[512] = "";
	struct pst_refs r;

	CU_ASSERT_EQUAL_FATAL(write_file("bad.md", content, path, sizeof(path)), 0);
	CU_ASSERT_EQUAL(pst_refs_load(path, &r, err, sizeof(err)), -1);
	if (!strstr(err, why))
		fprintf(stderr, "\n  expected \"%s\" in \"%s\"\n", why, err);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, why));
	CU_ASSERT_PTR_NULL(r.v);
	CU_ASSERT_EQUAL(r.n, 0);
}

static void document_with_an_id_defined_twice_is_refused(void)
{
	document_load_refuses("### REF-A\n**one**\n### REF-B\n**two**\n### REF-A\n**three**\n",
			      ":5: REF-A is defined twice (first at line 1)");
}

static void document_with_a_heading_without_title_is_refused(void)
{
	document_load_refuses("### REF-A\nplain text\n", ":2: REF-A: the line after its heading");
	document_load_refuses("### REF-A\n\n", ":1: REF-A has no title line");
}

static void document_with_a_malformed_id_is_refused(void)
{
	document_load_refuses("### REF-a b\n**t**\n", ":1: \"REF-a b\": a reference heading");
}

static void missing_document_gives_its_path(void)
{
	char err[512] = "";
	struct pst_refs r;

	CU_ASSERT_EQUAL(pst_refs_load("/nonexistent/REFERENCES.md", &r, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "/nonexistent/REFERENCES.md: "));
}

static void anchors_are_the_lower_case_id(void)
{
	char a[32];

	pst_ref_anchor("REF-PEELED-SHUTDOWN", a, sizeof(a));
	CU_ASSERT_STRING_EQUAL(a, "ref-peeled-shutdown");
	pst_ref_anchor("REF-PEELED-SHUTDOWN", a, 8);
	CU_ASSERT_STRING_EQUAL(a, "ref-pee");
}

/*
 * The project's own document loads, its ids are unique, and it has the section
 * man page links point into (make unit runs at the top of the project).
 */
static void project_reference_document_loads(void)
{
	char err[512] = "", line[1024];
	struct pst_refs r;
	FILE *f = fopen(PROJECT_REFERENCES, "r");
	bool documents = false;

	CU_ASSERT_EQUAL(pst_refs_load(PROJECT_REFERENCES, &r, err, sizeof(err)), 0);
	if (err[0])
		fprintf(stderr, "\n  %s\n", err);
	CU_ASSERT(r.n > 0);
	pst_refs_free(&r);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	while (fgets(line, sizeof(line), f))
		documents |= strcmp(line, PST_REFERENCES_DOCUMENTS_HEADING "\n") == 0;
	fclose(f);
	CU_ASSERT(documents);
}

static void plain(FILE *f, const char *s)
{
	fputs(s, f);
}

static void angle_link(FILE *f, const char *href, const char *text)
{
	fprintf(f, "<%s|%s>", href, text);
}

/* What the matrix and index.html show for a source: links, a reference's title, why not. */
static void reports_show_each_citation_resolved(void)
{
	static const struct pst_cite_markup m = { .sep = " / ", .text = plain, .link = angle_link };
	char out[2048] = "", want[2048];
	FILE *f = fmemopen(out, sizeof(out), "w");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	pst_matrix_sources(f, &refs, "REF-GOOD; RFC 6458 9.2; README.md; REF-GONE", &m);
	fclose(f);
	snprintf(want, sizeof(want),
		 "<REFERENCES.md#ref-good|REF-GOOD>: A reference that exists / "
		 "<https://www.rfc-editor.org/rfc/rfc6458#section-9.2|RFC 6458 9.2> / README.md / "
		 "REF-GONE (unresolved: no such reference in %s)",
		 refs.path);
	CU_ASSERT_STRING_EQUAL(out, want);
}

/*
 * The matrix's verdict of a requirement (matrix.c): its worst case that ran,
 * skips aside; a requirement whose cases all skipped is NOT TESTED, never PASS.
 */
static const struct pst_case matrix_cases[] = {
	{ .name = "all_skipped", .reqs = "REQ-SKIPPED REQ-MIXED" },
	{ .name = "passes", .reqs = "REQ-MIXED REQ-PASS" },
	{ .name = "fails", .reqs = "REQ-FAIL" },
	{ .name = "not_in_this_run", .reqs = "REQ-NOT-RUN" },
};
static const struct pst_suite matrix_suite = { .name = "m",
					       .cases = matrix_cases,
					       .ncases = PST_ARRAY_SIZE(matrix_cases) };
enum { MATRIX_N = 6 };

/* Two variants of all_skipped (both SKIP), passes, fails beside a skip, one case not run. */
static void matrix_run(struct pst_instance inst[MATRIX_N], struct pst_result res[MATRIX_N])
{
	static const struct {
		int tc;
		const char *name;
		enum pst_verdict v;
	} rows[MATRIX_N] = {
		{ 0, "all_skipped/sctp_peeloff_flags", PST_SKIP },
		{ 0, "all_skipped/raw_PEELOFF_FLAGS", PST_SKIP },
		{ 1, "passes", PST_PASS },
		{ 2, "fails/ipv4", PST_FAIL },
		{ 2, "fails/ipv6", PST_SKIP },
		{ 3, "not_in_this_run", PST_PASS },
	};

	for (int i = 0; i < MATRIX_N; i++) {
		inst[i] = (struct pst_instance){ .suite = &matrix_suite,
						 .tc = &matrix_cases[rows[i].tc] };
		snprintf(inst[i].name, sizeof(inst[i].name), "%s", rows[i].name);
		res[i] = (struct pst_result){ .suite = "m",
					      .name = rows[i].tc == 3 ? NULL : inst[i].name,
					      .verdict = rows[i].v };
	}
}

static struct pst_req matrix_req(const char *id)
{
	struct pst_req q = { .profiles = "linux", .source = "REF-GOOD", .sentence = "s" };

	snprintf(q.id, sizeof(q.id), "%s", id);
	return q;
}

static void matrix_requirement_whose_cases_all_skipped_is_not_tested(void)
{
	static const struct {
		const char *id, *want;
	} rows[] = {
		{ "REQ-SKIPPED", "NOT TESTED" }, /* every case that ran skipped */
		{ "REQ-MIXED", "PASS" },	 /* a pass beside skips: the pass ran */
		{ "REQ-PASS", "PASS" },		 { "REQ-FAIL", "FAIL" },
		{ "REQ-NOT-RUN", "NOT RUN" }, /* its case was not in this run */
		{ "REQ-NONE", "UNCOVERED" },  /* no case names it */
	};
	struct pst_instance inst[MATRIX_N];
	struct pst_result res[MATRIX_N];

	matrix_run(inst, res);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct pst_req q = matrix_req(rows[i].id);
		const char *got = pst_matrix_req_verdict(&q, inst, res, MATRIX_N, inst, MATRIX_N);

		if (strcmp(got, rows[i].want) != 0)
			fprintf(stderr, "\n  %s: expected %s, got %s\n", rows[i].id, rows[i].want,
				got);
		CU_ASSERT_STRING_EQUAL(got, rows[i].want);
	}
}

/* The same in matrix.md and matrix.json, with the count of requirements not tested. */
static void matrix_files_say_not_tested_and_count_it(void)
{
	struct pst_req v[] = { matrix_req("REQ-SKIPPED"), matrix_req("REQ-MIXED") };
	const struct pst_reqs reqs = { .v = v, .n = 2 };
	struct pst_instance inst[MATRIX_N];
	struct pst_result res[MATRIX_N];
	char md_path[PATH_MAX], js_path[PATH_MAX];
	char *md, *js;

	matrix_run(inst, res);
	CU_ASSERT_EQUAL_FATAL(pst_matrix_write(tmpdir, &reqs, &refs, "linux", inst, res, MATRIX_N,
					       inst, MATRIX_N, "r"),
			      0);
	snprintf(md_path, sizeof(md_path), "%s/matrix.md", tmpdir);
	snprintf(js_path, sizeof(js_path), "%s/matrix.json", tmpdir);
	md = pst_unit_slurp(md_path, NULL);
	js = pst_unit_slurp(js_path, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(md);
	CU_ASSERT_PTR_NOT_NULL_FATAL(js);
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "| REQ-SKIPPED | "));
	CU_ASSERT_PTR_NOT_NULL(strstr(md, " | NOT TESTED | m/all_skipped/sctp_peeloff_flags SKIP"));
	CU_ASSERT_PTR_NOT_NULL(strstr(md, " | PASS | m/all_skipped/sctp_peeloff_flags SKIP"));
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "Requirements not tested (every case of theirs that ran "
					  "was skipped): 1\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(js, "\"id\": \"REQ-SKIPPED\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(js, "\"verdict\": \"NOT TESTED\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(js, "\"uncovered\": 0, \"not_tested\": 1, \"contract\": ["));
	free(md);
	free(js);
	unlink(md_path);
	unlink(js_path);
}

/*
 * The one-to-one contract table (contract.c): one row per operation, what each
 * side did as the first variant that ran logged it, the worst verdict of the
 * operation's cases; an operation whose cases did not run is NOT RUN and counted.
 */
static const struct pst_case contract_cases[] = {
	{ .name = "getsockname_like", .reqs = "REQ-PASS", .contract = "getsockname" },
	{ .name = "getsockname_other", .reqs = "REQ-FAIL", .contract = "getsockname" },
	{ .name = "eof_ends_this", .reqs = "REQ-PASS", .contract = "send with SCTP_EOF" },
	{ .name = "not_a_contract_case", .reqs = "REQ-PASS" },
};
static const struct pst_suite contract_suite = { .name = "c",
						 .cases = contract_cases,
						 .ncases = PST_ARRAY_SIZE(contract_cases) };

static void contract_table_has_a_row_per_operation_with_both_sides(void)
{
	struct pst_req v[] = { matrix_req("REQ-PASS"), matrix_req("REQ-FAIL") };
	const struct pst_reqs reqs = { .v = v, .n = 2 };
	struct pst_instance inst[4];
	struct pst_result res[4];
	char md_path[PATH_MAX], js_path[PATH_MAX];
	char *md, *js;

	for (int i = 0; i < 4; i++) {
		inst[i] =
		    (struct pst_instance){ .suite = &contract_suite, .tc = &contract_cases[i] };
		snprintf(inst[i].name, sizeof(inst[i].name), "%s", contract_cases[i].name);
		res[i] =
		    (struct pst_result){ .suite = "c", .name = inst[i].name, .verdict = PST_PASS };
	}
	res[0].log = "a line\n" PST_SEEN_PEELED_PREFIX "10.0.0.1:5001\n" PST_SEEN_REFERENCE_PREFIX
		     "10.0.0.1:5002\n";
	res[1].verdict = PST_FAIL;
	res[2].name = NULL; /* not in this run */
	CU_ASSERT_EQUAL_FATAL(
	    pst_matrix_write(tmpdir, &reqs, &refs, "linux", inst, res, 4, inst, 4, "r"), 0);
	snprintf(md_path, sizeof(md_path), "%s/matrix.md", tmpdir);
	snprintf(js_path, sizeof(js_path), "%s/matrix.json", tmpdir);
	md = pst_unit_slurp(md_path, NULL);
	js = pst_unit_slurp(js_path, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(md);
	CU_ASSERT_PTR_NOT_NULL_FATAL(js);
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(md, "| getsockname | REF-GOOD | 10.0.0.1:5001 | 10.0.0.1:5002 | FAIL |\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "| send with SCTP_EOF | REF-GOOD | - | - | NOT RUN |\n"));
	CU_ASSERT_PTR_NULL(strstr(md, "not_a_contract_case |"));
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(md, "without a verdict in this run (not run or all skipped): 1"));
	CU_ASSERT_PTR_NOT_NULL(strstr(js, "\"operation\": \"getsockname\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(js, "\"peeled\": \"10.0.0.1:5001\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(js, "\"contract_without_verdict\": 1}"));
	free(md);
	free(js);
	unlink(md_path);
	unlink(js_path);
}

int main(void)
{
	static const struct pst_unit_test tests[] = {
		PST_UNIT_TEST(document_ids_and_titles_are_read),
		PST_UNIT_TEST(contract_table_has_a_row_per_operation_with_both_sides),
		PST_UNIT_TEST(good_citations_resolve_with_their_links),
		PST_UNIT_TEST(ref_title_comes_from_the_document),
		PST_UNIT_TEST(dangling_citations_are_refused_with_the_reason),
		PST_UNIT_TEST(a_field_splits_at_semicolons_trimmed),
		PST_UNIT_TEST(file_check_names_path_line_and_citation),
		PST_UNIT_TEST(file_check_accepts_a_good_file_silently),
		PST_UNIT_TEST(file_check_refuses_a_row_without_its_citation_column),
		PST_UNIT_TEST(document_with_an_id_defined_twice_is_refused),
		PST_UNIT_TEST(document_with_a_heading_without_title_is_refused),
		PST_UNIT_TEST(document_with_a_malformed_id_is_refused),
		PST_UNIT_TEST(missing_document_gives_its_path),
		PST_UNIT_TEST(anchors_are_the_lower_case_id),
		PST_UNIT_TEST(project_reference_document_loads),
		PST_UNIT_TEST(reports_show_each_citation_resolved),
		PST_UNIT_TEST(matrix_requirement_whose_cases_all_skipped_is_not_tested),
		PST_UNIT_TEST(matrix_files_say_not_tested_and_count_it),
	};

	return pst_unit_main("citations", tests, sizeof(tests) / sizeof(tests[0]), suite_init,
			     suite_clean);
}
