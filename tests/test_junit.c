/*
 * Unit tests of the verdict helpers and the JUnit writer: every report is
 * validated with xmllint against the project's JUnit schema (tests/schemas/junit.xsd;
 * PST_JUNIT_XSD overrides its path), then checked for counts, escaping and file handling.
 */
#include <CUnit/Basic.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "junit.h"
#include "result.h"
#include "unit.h"

static char tmpdir[] = "/tmp/pst_junit.XXXXXX";

static const struct pst_run_info info = {
	.hostname = "ci-runner-1",
	.timestamp = "2025-01-02T03:04:05Z",
	.kernel = "6.1.0-uml",
	.target = "uml",
	.profile = "quick & \"dirty\"",
	.libsctp = NULL, /* a NULL field gives no property */
	.suite_version = "0.1",
};

/*
 * One result of each verdict; "beta" is interleaved to check that cases are
 * grouped per suite in first-appearance order. Beware: "\x01" "b" is split
 * because a hex escape eats every hex digit that follows it.
 */
static const struct pst_result results[] = {
	{ .suite = "alpha",
	  .name = "pass",
	  .verdict = PST_PASS,
	  .seconds = 1.23456,
	  .log = "bad \xff\xfe utf8 \xc3\x28 overlong \xc0\xaf surrogate \xed\xa0\x80 nonchar "
		 "\xef\xbf\xbe ok \xc3\xa9 \xf0\x9f\x98\x80 cr\rend",
	  .reqs = "R-3" },
	{ .suite = "alpha",
	  .name = "fail",
	  .verdict = PST_FAIL,
	  .seconds = 0.25,
	  .message = "expected EBADF, got EINVAL",
	  .detail = "peeloff.c:42: expected <EBADF> & got \"EINVAL\" 'x'\nline2" },
	{ .suite = "beta", .name = "pass_null", .verdict = PST_PASS },
	{ .suite = "alpha", .name = "skip", .verdict = PST_SKIP, .message = "needs CAP_NET_ADMIN" },
	{ .suite = "alpha",
	  .name = "xfail",
	  .verdict = PST_XFAIL,
	  .seconds = 0.1,
	  .message = "known deviation: returns EINVAL",
	  .log = "kernel: sctp: a\x01"
		 "b\x1b[0m",
	  .reqs = "R-1 R-2",
	  .tags = "CVE-2017-15115 linux-git:df80cd9b28b9" },
	{ .suite = "alpha",
	  .name = "xpass",
	  .verdict = PST_XPASS,
	  .seconds = -3,
	  .message = "passed although deviation D-7 says it fails" },
	{ .suite = "beta", .name = "error_null", .verdict = PST_ERROR, .seconds = 1.5 },
	{ .suite = "alpha",
	  .name = "broken",
	  .verdict = PST_BROKEN,
	  .seconds = NAN,
	  .message = "socket() failed:\n<ENOMEM> & co" },
	{ .suite = "alpha",
	  .name = "error",
	  .verdict = PST_ERROR,
	  .seconds = 2.0,
	  .message = "timeout after 30 s",
	  .detail = "killed\x01"
		    "by SIGKILL" },
	{ .suite = "beta", .name = "fail_null", .verdict = PST_FAIL },
};

#define N_RESULTS (sizeof(results) / sizeof(results[0]))

static void in_tmpdir(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", tmpdir, name);
}

/* Directory entries of tmpdir whose name contains sub. */
static int count_entries(const char *sub)
{
	DIR *d = opendir(tmpdir);
	struct dirent *de;
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..") && strstr(de->d_name, sub))
			n++;
	closedir(d);
	return n;
}

static int count_substr(const char *hay, const char *needle)
{
	int n = 0;

	for (hay = strstr(hay, needle); hay; hay = strstr(hay + 1, needle))
		n++;
	return n;
}

/* The <testcase> element of suite/name, copied; NULL if absent. */
static char *case_block(const char *doc, const char *suite, const char *name)
{
	char head[256];
	const char *start, *end;

	snprintf(head, sizeof(head), "<testcase classname=\"%s\" name=\"%s\"", suite, name);
	start = strstr(doc, head);
	if (!start)
		return NULL;
	end = strstr(start, "</testcase>");
	if (!end)
		return NULL;
	return strndup(start, (size_t)(end - start));
}

static int has(const char *hay, const char *needle)
{
	int found = hay && strstr(hay, needle) != NULL;

	if (!found)
		fprintf(stderr, "\nmissing: %s\n", needle);
	return found;
}

static void test_verdict_names(void)
{
	static const char *const names[PST_VERDICT_COUNT] = {
		"PASS", "FAIL", "SKIP", "XFAIL", "XPASS", "BROKEN", "ERROR", "CHANGED",
	};
	/* CHANGED fails no requirement; it fails the run only under the changes gate */
	static const int fails[PST_VERDICT_COUNT] = { 0, 1, 0, 0, 1, 1, 1, 0 };
	int v;

	for (v = 0; v < PST_VERDICT_COUNT; v++) {
		CU_ASSERT_STRING_EQUAL(pst_verdict_name((enum pst_verdict)v), names[v]);
		CU_ASSERT_EQUAL(pst_verdict_fails_run((enum pst_verdict)v), fails[v]);
		CU_ASSERT_EQUAL(pst_verdict_fails_gate((enum pst_verdict)v, 0), fails[v]);
		CU_ASSERT_EQUAL(pst_verdict_fails_gate((enum pst_verdict)v, 1),
				fails[v] || v == PST_CHANGED);
		CU_ASSERT_EQUAL(pst_verdict_parse(names[v]), v);
	}
	CU_ASSERT_STRING_EQUAL(pst_verdict_name(PST_VERDICT_COUNT), "UNKNOWN");
	CU_ASSERT_EQUAL(pst_verdict_fails_run(PST_VERDICT_COUNT), 1);
}

/* A CHANGED case is a JUnit failure under the changes gate, a pass with its note otherwise. */
static void test_changed_follows_the_gate(void)
{
	static const struct pst_result changed[] = {
		{ .suite = "s",
		  .name = "c",
		  .verdict = PST_CHANGED,
		  .message = "reference behaviour changed (REF-X, check k): expected A, got B" },
	};
	for (int gate = 0; gate < 2; gate++) {
		struct pst_run_info gi = info;
		char path[PATH_MAX];
		char *doc;

		gi.changes_fail = gate;
		in_tmpdir(path, sizeof(path), "changed.xml");
		CU_ASSERT_EQUAL_FATAL(pst_junit_write_file(path, &gi, changed, 1), 0);
		CU_ASSERT_EQUAL(pst_unit_xmllint(path), 0);
		doc = pst_unit_slurp(path, NULL);
		CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
		CU_ASSERT(has(doc, gate ? "failures=\"1\"" : "failures=\"0\""));
		CU_ASSERT(has(doc, gate ? "<failure"
					: "<system-out>CHANGED: reference behaviour "
					  "changed (REF-X, check k)"));
		free(doc);
		unlink(path);
	}
}

/* A failure that is a known bug ends its <failure> message and text with the fix. */
static void test_known_bug_in_failure(void)
{
	static const struct pst_result known[] = {
		{ .suite = "s",
		  .name = "k",
		  .verdict = PST_FAIL,
		  .message = "got family 2 [0.0.0.0]:0",
		  .detail = "getpeername: got family 2 [0.0.0.0]:0\nport: expected 5, got 0\n",
		  .known = "known bug, fixed by linux-git:8467dda0c265 (sctp: x; in v5.18)" },
	};
	char path[PATH_MAX];
	char *doc;

	in_tmpdir(path, sizeof(path), "known.xml");
	CU_ASSERT_EQUAL_FATAL(pst_junit_write_file(path, &info, known, 1), 0);
	CU_ASSERT_EQUAL(pst_unit_xmllint(path), 0);
	doc = pst_unit_slurp(path, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	CU_ASSERT(has(doc, "<failure type=\"FAIL\" message=\"got family 2 [0.0.0.0]:0; known bug, "
			   "fixed by linux-git:8467dda0c265 (sctp: x; in v5.18)\">"));
	CU_ASSERT(has(doc, "port: expected 5, got 0\nknown bug, fixed by linux-git:8467dda0c265 "
			   "(sctp: x; in v5.18)</failure>"));
	free(doc);
	unlink(path);
}

/*
 * A suite's time is its wall time when its cases have their start times: two
 * jobs' cases that overlap count once, the harness's time between cases counts.
 * One case without its start: the sum of the cases, as before.
 */
static void test_suite_time_is_wall_time(void)
{
	static const double t0 = 1796600000.0;
	/* s: 1.0 s and 2.0 s side by side from t0, then 0.5 s from t0 + 2.5: 3.000 wall
	 * against 3.500 summed; t: one case with no start time */
	static const struct pst_result timed[] = {
		{ .suite = "s", .name = "a", .verdict = PST_PASS, .seconds = 1.0, .started = t0 },
		{ .suite = "s", .name = "b", .verdict = PST_PASS, .seconds = 2.0, .started = t0 },
		{ .suite = "t",
		  .name = "c",
		  .verdict = PST_PASS,
		  .seconds = 0.25,
		  .started = t0 + 1 },
		{ .suite = "t", .name = "d", .verdict = PST_SKIP, .seconds = 0.125 },
		{ .suite = "s",
		  .name = "e",
		  .verdict = PST_FAIL,
		  .seconds = 0.5,
		  .started = t0 + 2.5,
		  .message = "m" },
	};
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);

	CU_ASSERT_PTR_NOT_NULL_FATAL(mem);
	CU_ASSERT_EQUAL(pst_junit_write(mem, &info, timed, sizeof(timed) / sizeof(timed[0])), 0);
	fclose(mem);
	CU_ASSERT(has(buf, "<testsuite name=\"s\" tests=\"3\" failures=\"1\" errors=\"0\" "
			   "skipped=\"0\" time=\"3.000\""));
	CU_ASSERT(has(buf, "<testsuite name=\"t\" tests=\"2\" failures=\"0\" errors=\"0\" "
			   "skipped=\"1\" time=\"0.375\""));
	/* the run: a case without its start time, so the sum of all */
	CU_ASSERT(has(buf, "<testsuites tests=\"5\" failures=\"1\" errors=\"0\" time=\"3.875\">"));
	free(buf);
	buf = NULL;
	/* Every case timed: the run's time is its wall time too, t0 to t0 + 3. */
	mem = open_memstream(&buf, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mem);
	CU_ASSERT_EQUAL(pst_junit_write(mem, &info, timed, 3), 0);
	fclose(mem);
	CU_ASSERT(has(buf, "<testsuites tests=\"3\" failures=\"0\" errors=\"0\" time=\"2.000\">"));
	free(buf);
	buf = NULL;
	/* ... and with a case the kernel died during (no start, no time): still the wall time. */
	struct pst_result died[4] = { timed[0], timed[1], timed[2] };
	died[3] =
	    (struct pst_result){ .suite = "t", .name = "x", .verdict = PST_ERROR, .message = "m" };
	mem = open_memstream(&buf, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mem);
	CU_ASSERT_EQUAL(pst_junit_write(mem, &info, died, 4), 0);
	fclose(mem);
	CU_ASSERT(has(buf, "<testsuites tests=\"4\" failures=\"0\" errors=\"1\" time=\"2.000\">"));
	free(buf);
}

static void test_full_report(void)
{
	char path[PATH_MAX];
	char *doc, *blk, *alpha, *beta;
	size_t len;

	in_tmpdir(path, sizeof(path), "full.xml");
	CU_ASSERT_EQUAL_FATAL(pst_junit_write_file(path, &info, results, N_RESULTS), 0);
	CU_ASSERT_EQUAL(pst_unit_xmllint(path), 0);

	doc = pst_unit_slurp(path, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	CU_ASSERT_EQUAL(strlen(doc), len);

	/* Totals and per-suite counts: FAIL+XPASS failures, BROKEN+ERROR errors. */
	CU_ASSERT(has(doc, "<testsuites tests=\"10\" failures=\"3\" errors=\"3\" time=\"5.085\">"));
	CU_ASSERT(has(doc, "<testsuite name=\"alpha\" tests=\"7\" failures=\"2\" errors=\"2\" "
			   "skipped=\"1\" time=\"3.585\" timestamp=\"2025-01-02T03:04:05Z\" "
			   "hostname=\"ci-runner-1\" id=\"0\">"));
	CU_ASSERT(has(doc, "<testsuite name=\"beta\" tests=\"3\" failures=\"1\" errors=\"1\" "
			   "skipped=\"0\" time=\"1.500\" timestamp=\"2025-01-02T03:04:05Z\" "
			   "hostname=\"ci-runner-1\" id=\"1\">"));
	alpha = strstr(doc, "<testsuite name=\"alpha\"");
	beta = strstr(doc, "<testsuite name=\"beta\"");
	CU_ASSERT(alpha && beta && alpha < beta);
	CU_ASSERT_EQUAL(count_substr(doc, "<testsuite "), 2);
	CU_ASSERT_EQUAL(count_substr(doc, "<testcase "), (int)N_RESULTS);
	/* Grouping: every alpha case lies before the beta suite starts. */
	CU_ASSERT(beta && strstr(beta, "classname=\"alpha\"") == NULL);

	/* Properties, escaped, per suite; the NULL libsctp is left out. */
	CU_ASSERT_EQUAL(count_substr(doc, "<properties>"), 2);
	CU_ASSERT(has(doc, "<property name=\"kernel\" value=\"6.1.0-uml\"/>"));
	CU_ASSERT(has(doc, "<property name=\"target\" value=\"uml\"/>"));
	CU_ASSERT(has(doc, "<property name=\"profile\" value=\"quick &amp; &quot;dirty&quot;\"/>"));
	CU_ASSERT(has(doc, "<property name=\"suite_version\" value=\"0.1\"/>"));
	CU_ASSERT(has(doc, "<property name=\"hostname\" value=\"ci-runner-1\"/>"));
	CU_ASSERT(strstr(doc, "libsctp") == NULL);
	CU_ASSERT(strstr(doc, "accelerator") == NULL); /* only QEMU runs have one */

	/* No byte that XML 1.0 or UTF-8 forbids survived. */
	CU_ASSERT(memchr(doc, '\x01', len) == NULL);
	CU_ASSERT(memchr(doc, '\x1b', len) == NULL);
	CU_ASSERT(memchr(doc, '\r', len) == NULL);
	CU_ASSERT(memchr(doc, 0xff, len) == NULL);
	CU_ASSERT(memchr(doc, 0xc0, len) == NULL);
	CU_ASSERT(memchr(doc, 0xed, len) == NULL);

	blk = case_block(doc, "alpha", "pass");
	CU_ASSERT(has(blk, "time=\"1.235\">"));
	CU_ASSERT(has(blk,
		      "<system-out>bad ?? utf8 ?( overlong ?? surrogate ??? nonchar ? ok "
		      "\xc3\xa9 \xf0\x9f\x98\x80 cr&#13;end\nrequirements: R-3\n</system-out>"));
	CU_ASSERT(blk && !strstr(blk, "<failure") && !strstr(blk, "<error"));
	free(blk);

	blk = case_block(doc, "alpha", "fail");
	CU_ASSERT(has(blk, "time=\"0.250\">"));
	CU_ASSERT(has(blk, "<failure type=\"FAIL\" message=\"expected EBADF, got EINVAL\">"
			   "peeloff.c:42: expected &lt;EBADF&gt; &amp; got &quot;EINVAL&quot; "
			   "&apos;x&apos;\nline2</failure>"));
	CU_ASSERT(blk && !strstr(blk, "<system-out>"));
	free(blk);

	blk = case_block(doc, "alpha", "skip");
	CU_ASSERT(has(blk, "<skipped message=\"needs CAP_NET_ADMIN\"/>"));
	free(blk);

	/* XFAIL passes (no failure element) but says so first in system-out. */
	blk = case_block(doc, "alpha", "xfail");
	CU_ASSERT(has(blk, "<system-out>XFAIL: known deviation: returns EINVAL\n"
			   "kernel: sctp: a?b?[0m\nrequirements: R-1 R-2\n"
			   "tags: CVE-2017-15115 linux-git:df80cd9b28b9\n</system-out>"));
	CU_ASSERT(blk && !strstr(blk, "<failure") && !strstr(blk, "<error") &&
		  !strstr(blk, "<skipped"));
	free(blk);

	blk = case_block(doc, "alpha", "xpass");
	CU_ASSERT(has(blk, "time=\"0.000\">"));
	CU_ASSERT(has(blk, "<failure type=\"XPASS\" message=\"passed although deviation D-7 "
			   "says it fails\">"));
	free(blk);

	/* Newline in an attribute is a character reference, else it is normalised away. */
	blk = case_block(doc, "alpha", "broken");
	CU_ASSERT(has(blk, "time=\"0.000\">"));
	CU_ASSERT(has(blk, "<error type=\"BROKEN\" message=\"socket() failed:&#10;&lt;ENOMEM&gt; "
			   "&amp; co\">socket() failed:\n&lt;ENOMEM&gt; &amp; co</error>"));
	free(blk);

	blk = case_block(doc, "alpha", "error");
	CU_ASSERT(has(blk, "<error type=\"ERROR\" message=\"timeout after 30 s\">"
			   "killed?by SIGKILL</error>"));
	free(blk);

	/* NULL message, detail and log: the verdict name stands in, no system-out. */
	blk = case_block(doc, "beta", "pass_null");
	CU_ASSERT(blk && !strstr(blk, "<system-out>") && !strstr(blk, "<failure"));
	free(blk);
	blk = case_block(doc, "beta", "error_null");
	CU_ASSERT(has(blk, "<error type=\"ERROR\" message=\"ERROR\">ERROR</error>"));
	free(blk);
	blk = case_block(doc, "beta", "fail_null");
	CU_ASSERT(has(blk, "<failure type=\"FAIL\" message=\"FAIL\">FAIL</failure>"));
	free(blk);

	free(doc);
	unlink(path);
}

static void test_empty_report(void)
{
	char path[PATH_MAX];
	char *doc;

	in_tmpdir(path, sizeof(path), "empty.xml");
	CU_ASSERT_EQUAL_FATAL(pst_junit_write_file(path, NULL, NULL, 0), 0);
	CU_ASSERT_EQUAL(pst_unit_xmllint(path), 0);
	doc = pst_unit_slurp(path, NULL);
	CU_ASSERT(has(doc, "<testsuites tests=\"0\" failures=\"0\" errors=\"0\" time=\"0.000\">"));
	CU_ASSERT(doc && !strstr(doc, "<testsuite "));
	free(doc);
	unlink(path);
}

/* A run_info with no fields: no <properties>, no timestamp, still valid. */
static void test_no_info(void)
{
	static const struct pst_run_info none;
	char path[PATH_MAX];
	char *doc;

	in_tmpdir(path, sizeof(path), "noinfo.xml");
	CU_ASSERT_EQUAL_FATAL(pst_junit_write_file(path, &none, results, 2), 0);
	CU_ASSERT_EQUAL(pst_unit_xmllint(path), 0);
	doc = pst_unit_slurp(path, NULL);
	CU_ASSERT(has(doc, "<testsuite name=\"alpha\" tests=\"2\" failures=\"1\" errors=\"0\" "
			   "skipped=\"0\" time=\"1.485\" id=\"0\">"));
	CU_ASSERT(doc && !strstr(doc, "<properties"));
	free(doc);
	unlink(path);
}

static void test_atomic_replace(void)
{
	char path[PATH_MAX];
	char *doc;

	in_tmpdir(path, sizeof(path), "report.xml");
	CU_ASSERT_EQUAL_FATAL(pst_junit_write_file(path, &info, results, N_RESULTS), 0);
	CU_ASSERT_EQUAL_FATAL(pst_junit_write_file(path, &info, results, 1), 0);
	CU_ASSERT_EQUAL(count_entries(".tmp."), 0);
	CU_ASSERT_EQUAL(count_entries("report.xml"), 1);
	doc = pst_unit_slurp(path, NULL);
	CU_ASSERT(has(doc, "<testsuites tests=\"1\" "));
	free(doc);
	CU_ASSERT_EQUAL(pst_unit_xmllint(path), 0);
	unlink(path);
}

static void test_missing_dir(void)
{
	char dir[PATH_MAX], path[PATH_MAX + 16];
	struct stat st;
	int before = count_entries("");

	in_tmpdir(dir, sizeof(dir), "no-such-dir");
	snprintf(path, sizeof(path), "%s/report.xml", dir);
	errno = 0;
	CU_ASSERT_EQUAL(pst_junit_write_file(path, &info, results, N_RESULTS), -1);
	CU_ASSERT_EQUAL(errno, ENOENT);
	CU_ASSERT(stat(dir, &st) == -1 && errno == ENOENT);
	CU_ASSERT_EQUAL(count_entries(""), before);
}

/* rename() over a directory fails after the temp file is complete: it must go. */
static void test_rename_fails(void)
{
	char path[PATH_MAX];
	struct stat st;

	in_tmpdir(path, sizeof(path), "a-directory");
	CU_ASSERT_EQUAL_FATAL(mkdir(path, 0700), 0);
	CU_ASSERT_EQUAL(pst_junit_write_file(path, &info, results, N_RESULTS), -1);
	CU_ASSERT_EQUAL(count_entries(".tmp."), 0);
	CU_ASSERT(stat(path, &st) == 0 && S_ISDIR(st.st_mode));
	rmdir(path);
}

static void test_write_errors(void)
{
	FILE *full;

	CU_ASSERT_EQUAL(pst_junit_write(NULL, &info, results, N_RESULTS), -1);
	CU_ASSERT_EQUAL(pst_junit_write(stdout, &info, NULL, 1), -1);
	CU_ASSERT_EQUAL(pst_junit_write_file(NULL, &info, results, 1), -1);
	CU_ASSERT_EQUAL(pst_junit_write_file("", &info, results, 1), -1);

	full = fopen("/dev/full", "w");
	if (!full) {
		fprintf(stderr, "\n/dev/full unavailable: ENOSPC case not checked\n");
		return;
	}
	CU_ASSERT_EQUAL(pst_junit_write(full, &info, results, N_RESULTS), -1);
	fclose(full);
}

/* Times keep their '.' under a locale whose decimal separator is ','. */
static void test_locale(void)
{
	static const char *const locales[] = { "de_DE.UTF-8", "fr_FR.UTF-8", "de_DE", "C.UTF-8" };
	char *buf = NULL;
	size_t len = 0, i;
	FILE *mem;

	for (i = 0; i < sizeof(locales) / sizeof(locales[0]); i++)
		if (setlocale(LC_NUMERIC, locales[i]))
			break;
	mem = open_memstream(&buf, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mem);
	CU_ASSERT_EQUAL(pst_junit_write(mem, &info, results, 1), 0);
	fclose(mem);
	setlocale(LC_NUMERIC, "C");
	CU_ASSERT(has(buf, "time=\"1.235\""));
	free(buf);
}

static int suite_init(void)
{
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int suite_clean(void)
{
	DIR *d = opendir(tmpdir);
	struct dirent *de;
	char path[PATH_MAX + 300];

	if (!d)
		return 0;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", tmpdir, de->d_name);
		if (unlink(path))
			rmdir(path);
	}
	closedir(d);
	return rmdir(tmpdir) ? -1 : 0;
}

int main(void)
{
	static const struct pst_unit_test tests[] = {
		{ "verdict names and run failure", test_verdict_names },
		{ "a CHANGED case follows the gate", test_changed_follows_the_gate },
		{ "a known bug ends the failure message and text", test_known_bug_in_failure },
		{ "full report validates, counts and escapes", test_full_report },
		{ "a suite's time is its wall time", test_suite_time_is_wall_time },
		{ "empty report validates", test_empty_report },
		{ "run info without fields", test_no_info },
		{ "atomic replace leaves no temp file", test_atomic_replace },
		{ "missing directory gives -1 and nothing", test_missing_dir },
		{ "failed rename removes the temp file", test_rename_fails },
		{ "write errors give -1", test_write_errors },
		{ "times ignore LC_NUMERIC", test_locale },
	};

	return pst_unit_main("junit", tests, sizeof(tests) / sizeof(tests[0]), suite_init,
			     suite_clean);
}
