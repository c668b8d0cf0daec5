/*
 * Unit tests of the record channel (harness/runner/channel.c) and the case-side
 * checks that report through it (harness/runner/case.c): records sent through a pipe
 * parse back unchanged, malformed lines are rejected, and failing checks,
 * skips and raw CUnit assertions reach the runner as the right records.
 *
 * A failing check also records a failure in the running CUnit test, so every
 * failing check (and every skip, which ends its process) runs in a forked
 * child; the parent reads the child's records from the pipe.
 */
#include <CUnit/Basic.h>
#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "case.h"
#include "channel.h"
#include "unit.h"

#define MAX_RECORDS 16

/* What a child (or the parent itself) wrote to the channel, split into records. */
struct captured {
	char raw[16384]; /* the bytes as read */
	char buf[16384]; /* the same, split in place into the records */
	size_t len;
	struct pst_record_line rec[MAX_RECORDS];
	int lines;    /* lines read */
	int n;	      /* records */
	int bad;      /* lines pst_channel_parse rejected */
	int unended;  /* bytes after the last newline */
	int status;   /* the child's wait status */
	int exitcode; /* its exit code, or -1 if it did not exit */
};

/* Read fd to EOF into c, then split and parse the records. */
static void capture(int fd, struct captured *c)
{
	char *line;
	ssize_t r;

	c->len = 0;
	c->lines = c->n = c->bad = c->unended = 0;
	while (c->len < sizeof(c->buf) - 1 &&
	       (r = read(fd, c->buf + c->len, sizeof(c->buf) - 1 - c->len)) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		c->len += (size_t)r;
	}
	c->buf[c->len] = '\0';
	memcpy(c->raw, c->buf, c->len + 1);
	line = c->buf;
	for (char *nl; (nl = strchr(line, '\n')); line = nl + 1) {
		*nl = '\0';
		c->lines++;
		if (c->n < MAX_RECORDS && pst_channel_parse(line, &c->rec[c->n]) == 0)
			c->n++;
		else
			c->bad++;
	}
	c->unended = (int)strlen(line);
}

/* How many records of this type. */
/* c holds exactly one record: of type, with text, and (file not NULL) from file:line. */
static void expect_one_record(const struct captured *c, enum pst_record type, const char *file,
			      int line, const char *text)
{
	CU_ASSERT_EQUAL_FATAL(c->n, 1);
	CU_ASSERT_EQUAL(c->rec[0].type, type);
	if (file) {
		CU_ASSERT_STRING_EQUAL(c->rec[0].file, file);
		CU_ASSERT_EQUAL(c->rec[0].line, line);
	}
	CU_ASSERT_STRING_EQUAL(c->rec[0].text, text);
}

static int count_type(const struct captured *c, enum pst_record type)
{
	int n = 0;

	for (int i = 0; i < c->n; i++)
		n += c->rec[i].type == type;
	return n;
}

/* The records of one type, in order: the k-th one, or NULL. */
static const struct pst_record_line *nth_of_type(const struct captured *c, enum pst_record type,
						 int k)
{
	for (int i = 0; i < c->n; i++)
		if (c->rec[i].type == type && k-- == 0)
			return &c->rec[i];
	return NULL;
}

/*
 * A child tells the parent a source line (of a raw CU_ASSERT or a macro, which
 * take __LINE__) with an L record "line=N" just before it.
 */
#define LOG_NEXT_LINE() pst_log("line=%d", __LINE__ + 1)

static int logged_line(const struct captured *c, int k)
{
	const struct pst_record_line *r = nth_of_type(c, PST_REC_LOG, k);
	int line = -1;

	if (r && sscanf(r->text, "line=%d", &line) != 1)
		line = -1;
	return line;
}

/* Run fn(write end) in a forked child, which then _exits with fn's value; capture its records. */
static int run_in_child(int (*fn)(int fd), struct captured *c)
{
	int p[2];
	pid_t pid;

	if (pipe(p) < 0)
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		close(p[0]);
		_exit(fn(p[1]));
	}
	close(p[1]);
	capture(p[0], c);
	close(p[0]);
	if (waitpid(pid, &c->status, 0) != pid)
		return -1;
	c->exitcode = WIFEXITED(c->status) ? WEXITSTATUS(c->status) : -1;
	return 0;
}

/* Parent side: a pipe as the channel, for calls that write records but touch no CUnit state. */
static int chan[2] = { -1, -1 };

static void channel_open(void)
{
	CU_ASSERT_EQUAL_FATAL(pipe(chan), 0);
	pst_channel_begin(chan[1], NULL);
}

static void channel_close_and_capture(struct captured *c)
{
	pst_channel_begin(-1, NULL);
	close(chan[1]);
	capture(chan[0], c);
	close(chan[0]);
	chan[0] = chan[1] = -1;
}

/* ---- pst_channel_send / pst_channel_parse */

static void sent_records_parse_back_with_same_type_file_line_text(void)
{
	static const struct {
		enum pst_record type;
		const char *file;
		int line;
		const char *text;
	} rows[] = {
		{ PST_REC_FAIL, "suites/peeloff_errors.c", 42,
		  "close(fd): expected EBADF, got EINVAL" },
		{ PST_REC_SKIP, "", 0, "needs IPv6" },
		{ PST_REC_BROKEN, "fixtures/assoc.c", 123456, "socket(): ENOMEM" },
		{ PST_REC_LOG, "x.c", 1, "a log line with : colons; and 'quotes' \"too\"" },
		{ PST_REC_FAIL, "f.c", -7, "" },
		{ PST_REC_LOG, "f.c", 2, "utf-8 \xc3\xa9 and \x01 control" },
		{ PST_REC_END, "", 0, "" },
	};
	struct captured c;

	channel_open();
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		pst_channel_send(rows[i].type, rows[i].file, rows[i].line, rows[i].text);
	channel_close_and_capture(&c);
	CU_ASSERT_EQUAL(c.bad, 0);
	CU_ASSERT_EQUAL(c.unended, 0);
	CU_ASSERT_EQUAL_FATAL(c.n, (int)(sizeof(rows) / sizeof(rows[0])));
	for (int i = 0; i < c.n; i++) {
		CU_ASSERT_EQUAL(c.rec[i].type, rows[i].type);
		CU_ASSERT_STRING_EQUAL(c.rec[i].file, rows[i].file);
		CU_ASSERT_EQUAL(c.rec[i].line, rows[i].line);
		CU_ASSERT_STRING_EQUAL(c.rec[i].text, rows[i].text);
	}
}

static void record_is_one_tab_separated_line(void)
{
	struct captured c;

	channel_open();
	pst_channel_send(PST_REC_FAIL, "a.c", 7, "boom");
	channel_close_and_capture(&c);
	CU_ASSERT_STRING_EQUAL(c.raw, "F\ta.c\t7\tboom\n");
	CU_ASSERT_EQUAL(c.n, 1);
}

static void tabs_and_newlines_in_text_become_spaces(void)
{
	struct captured c;

	channel_open();
	pst_channel_send(PST_REC_LOG, "f.c", 3, "a\tb\nc\r\nd\t");
	channel_close_and_capture(&c);
	CU_ASSERT_EQUAL(c.bad, 0);
	CU_ASSERT_EQUAL_FATAL(c.n, 1);
	CU_ASSERT_STRING_EQUAL(c.rec[0].text, "a b c  d ");
	CU_ASSERT_STRING_EQUAL(c.rec[0].file, "f.c");
	CU_ASSERT_EQUAL(c.rec[0].line, 3);
}

static void null_file_is_sent_as_an_empty_field(void)
{
	struct captured c;

	channel_open();
	pst_channel_send(PST_REC_SKIP, NULL, 0, "why");
	channel_close_and_capture(&c);
	expect_one_record(&c, PST_REC_SKIP, "", 0, "why");
}

static void overlong_text_is_truncated_to_one_record(void)
{
	static char text[3 * PST_MSG_MAX];
	struct captured c;

	memset(text, 'y', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	channel_open();
	pst_channel_send(PST_REC_FAIL, "f.c", 9, text);
	pst_channel_send(PST_REC_LOG, "f.c", 10, "next");
	channel_close_and_capture(&c);
	CU_ASSERT_EQUAL(c.bad, 0);
	CU_ASSERT_EQUAL_FATAL(c.n, 2);
	CU_ASSERT_EQUAL(strlen(c.rec[0].text), PST_MSG_MAX - 1);
	CU_ASSERT_NSTRING_EQUAL(c.rec[0].text, text, PST_MSG_MAX - 1);
	CU_ASSERT_STRING_EQUAL(c.rec[1].text, "next");
}

static void overlong_record_is_cut_to_one_parsable_line(void)
{
	static char file[400], text[PST_MSG_MAX];
	struct captured c;

	memset(file, 'f', sizeof(file) - 1);
	file[sizeof(file) - 1] = '\0';
	memset(text, 't', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	channel_open();
	pst_channel_send(PST_REC_FAIL, file, 12345, text);
	pst_channel_send(PST_REC_LOG, "f.c", 1, "next");
	channel_close_and_capture(&c);
	CU_ASSERT_EQUAL(c.lines, 2);
	CU_ASSERT_EQUAL(c.bad, 0);
	CU_ASSERT_EQUAL_FATAL(c.n, 2);
	CU_ASSERT_STRING_EQUAL(c.rec[0].file, file);
	CU_ASSERT_EQUAL(c.rec[0].line, 12345);
	CU_ASSERT(strlen(c.rec[0].text) > 0 && strlen(c.rec[0].text) < strlen(text));
	CU_ASSERT_NSTRING_EQUAL(c.rec[0].text, text, strlen(c.rec[0].text));
	CU_ASSERT_STRING_EQUAL(c.rec[1].text, "next");
}

static void parse_accepts_each_record_type(void)
{
	static const struct {
		const char *line;
		enum pst_record type;
		const char *file;
		int line_no;
		const char *text;
	} rows[] = {
		{ "F\tf.c\t1\tfailed", PST_REC_FAIL, "f.c", 1, "failed" },
		{ "S\t\t0\tskipped\n", PST_REC_SKIP, "", 0, "skipped" },
		{ "B\tg.c\t99\tbroken", PST_REC_BROKEN, "g.c", 99, "broken" },
		{ "L\t\t0\t", PST_REC_LOG, "", 0, "" },
		{ "C\t\t0\tmsg_name_refused", PST_REC_CHECK, "", 0, "msg_name_refused" },
		{ "C\t\t0\t", PST_REC_CHECK, "", 0, "" },
		/* the text is the rest of the line, tabs and all */
		{ "L\tf.c\t5\ta\tb\tc", PST_REC_LOG, "f.c", 5, "a\tb\tc" },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char line[128];
		struct pst_record_line r;

		snprintf(line, sizeof(line), "%s", rows[i].line);
		CU_ASSERT_EQUAL_FATAL(pst_channel_parse(line, &r), 0);
		CU_ASSERT_EQUAL(r.type, rows[i].type);
		CU_ASSERT_STRING_EQUAL(r.file, rows[i].file);
		CU_ASSERT_EQUAL(r.line, rows[i].line_no);
		CU_ASSERT_STRING_EQUAL(r.text, rows[i].text);
	}
}

static void parse_rejects_malformed_lines(void)
{
	static const char *const rows[] = {
		"",
		"\n",
		"F",
		"F\tf.c",
		"F\tf.c\t1",	    /* no text field */
		"F\tf.c\t1\n",	    /* nor here */
		"F f.c 1 text",	    /* spaces, not tabs */
		"X\tf.c\t1\ttext",  /* unknown type */
		"f\tf.c\t1\ttext",  /* types are upper case */
		"FF\tf.c\t1\ttext", /* a type is one character */
		"\tf.c\t1\ttext",   /* no type */
		"FAIL\tf.c\t1\ttext",
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char line[128];
		struct pst_record_line r;
		int rc;

		snprintf(line, sizeof(line), "%s", rows[i]);
		rc = pst_channel_parse(line, &r);
		CU_ASSERT_EQUAL(rc, -1);
		if (rc != -1)
			fprintf(stderr, "\n  accepted row %zu: '%s'\n", i, rows[i]);
	}
}

/* ---- pst_errname */

static void errname_gives_the_errno_macro_name(void)
{
	CU_ASSERT_STRING_EQUAL(pst_errname(EBADF), "EBADF");
	CU_ASSERT_STRING_EQUAL(pst_errname(EINVAL), "EINVAL");
	CU_ASSERT_STRING_EQUAL(pst_errname(ENOTSOCK), "ENOTSOCK");
	CU_ASSERT_STRING_EQUAL(pst_errname(EOPNOTSUPP), "EOPNOTSUPP");
}

static void errname_of_zero_says_no_error(void)
{
	const char *s = pst_errname(0);

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "no error"));
	CU_ASSERT_EQUAL(s[0], '0');
}

static void errname_of_unknown_errno_gives_its_number(void)
{
	CU_ASSERT_STRING_EQUAL(pst_errname(4242), "errno 4242");
	CU_ASSERT_STRING_EQUAL(pst_errname(-3), "errno -3");
}

/* ---- checks that pass: no record, no CUnit failure (run here, in the parent) */

static void check_errno_passes_on_minus_one_with_the_expected_errno(void)
{
	unsigned before = CU_get_number_of_failure_records();
	struct captured c;
	bool ok;

	channel_open();
	ok = pst_check_errno_at("t.c", 1, false, "close(-1)", -1, EBADF, EBADF);
	channel_close_and_capture(&c);
	CU_ASSERT_TRUE(ok);
	CU_ASSERT_EQUAL(c.len, 0);
	CU_ASSERT_EQUAL(CU_get_number_of_failure_records(), before);
}

static void check_ok_passes_on_zero_or_more_and_returns_the_value(void)
{
	static const long values[] = { 0, 1, 5, 1L << 40 };
	unsigned before = CU_get_number_of_failure_records();
	struct captured c;

	channel_open();
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++)
		CU_ASSERT_EQUAL(pst_check_ok_at("t.c", 1, false, "call()", values[i], EINVAL),
				values[i]);
	channel_close_and_capture(&c);
	CU_ASSERT_EQUAL(c.len, 0);
	CU_ASSERT_EQUAL(CU_get_number_of_failure_records(), before);
}

static void expect_macros_pass_on_real_calls(void)
{
	unsigned before = CU_get_number_of_failure_records();
	struct captured c;
	bool ok;
	long pid;

	channel_open();
	ok = PST_EXPECT_ERRNO(close(-1), EBADF);
	pid = PST_EXPECT_OK(getpid());
	channel_close_and_capture(&c);
	CU_ASSERT_TRUE(ok);
	CU_ASSERT_EQUAL(pid, (long)getpid());
	CU_ASSERT_EQUAL(c.len, 0);
	CU_ASSERT_EQUAL(CU_get_number_of_failure_records(), before);
}

/* ---- checks that fail (in a child): the result, the record, the CUnit failure */

static int child_errno_wrong_errno(int fd)
{
	bool ok;

	pst_channel_begin(fd, NULL);
	ok = pst_check_errno_at("suites/x.c", 42, false, "close(fd)", -1, EINVAL, EBADF);
	return ok ? 10 : 0;
}

static void check_errno_with_another_errno_fails_naming_both(void)
{
	struct captured c;

	CU_ASSERT_EQUAL_FATAL(run_in_child(child_errno_wrong_errno, &c), 0);
	CU_ASSERT_EQUAL(c.exitcode, 0); /* returned false, and went on */
	CU_ASSERT_EQUAL(c.bad, 0);
	expect_one_record(&c, PST_REC_FAIL, "suites/x.c", 42,
			  "close(fd): expected EBADF, got EINVAL");
}

static int child_errno_success(int fd)
{
	bool ok;

	pst_channel_begin(fd, NULL);
	ok = pst_check_errno_at("suites/x.c", 43, false, "dup(fd)", 5, 0, EBADF);
	return ok ? 10 : 0;
}

static void check_errno_on_success_fails_with_the_value(void)
{
	struct captured c;

	CU_ASSERT_EQUAL_FATAL(run_in_child(child_errno_success, &c), 0);
	CU_ASSERT_EQUAL(c.exitcode, 0);
	expect_one_record(&c, PST_REC_FAIL, "suites/x.c", 43,
			  "dup(fd): expected -1 with EBADF, got 5 (success)");
}

/* A stale errno equal to the expected one does not make a success pass. */
static int child_errno_success_with_stale_errno(int fd)
{
	bool ok;

	pst_channel_begin(fd, NULL);
	ok = pst_check_errno_at("suites/x.c", 44, false, "dup(fd)", 0, EBADF, EBADF);
	return ok ? 10 : 0;
}

static void check_errno_on_success_fails_even_if_errno_is_the_expected_one(void)
{
	struct captured c;

	CU_ASSERT_EQUAL_FATAL(run_in_child(child_errno_success_with_stale_errno, &c), 0);
	CU_ASSERT_EQUAL(c.exitcode, 0);
	expect_one_record(&c, PST_REC_FAIL, NULL, 0,
			  "dup(fd): expected -1 with EBADF, got 0 (success)");
}

static int child_ok_negative(int fd)
{
	long r;

	pst_channel_begin(fd, NULL);
	r = pst_check_ok_at("suites/y.c", 7, false, "socket()", -1, EMFILE);
	return r == -1 ? 0 : 10;
}

static void check_ok_on_negative_fails_with_the_errno_and_returns_the_value(void)
{
	struct captured c;

	CU_ASSERT_EQUAL_FATAL(run_in_child(child_ok_negative, &c), 0);
	CU_ASSERT_EQUAL(c.exitcode, 0);
	expect_one_record(&c, PST_REC_FAIL, "suites/y.c", 7,
			  "socket(): expected success, got -1 with EMFILE");
}

/* The failure is in CUnit's records too, with the same file, line and text (behind the mark). */
static int child_failure_in_cunit(int fd)
{
	unsigned before = CU_get_number_of_failure_records();
	CU_pFailureRecord f, last = NULL;

	pst_channel_begin(fd, NULL);
	pst_check_errno_at("suites/z.c", 77, false, "close(fd)", -1, EINVAL, EBADF);
	if (CU_get_number_of_failure_records() != before + 1)
		return 11;
	for (f = CU_get_failure_list(); f; f = f->pNext)
		last = f;
	if (!last || last->uiLineNumber != 77 || !last->strFileName ||
	    strcmp(last->strFileName, "suites/z.c") != 0 || !last->strCondition ||
	    last->strCondition[0] != PST_OWN_MARK ||
	    strcmp(last->strCondition + 1, "close(fd): expected EBADF, got EINVAL") != 0)
		return 12;
	return 0;
}

static void failing_check_is_also_a_cunit_failure(void)
{
	struct captured c;

	CU_ASSERT_EQUAL_FATAL(run_in_child(child_failure_in_cunit, &c), 0);
	CU_ASSERT_EQUAL(c.exitcode, 0); /* 11: no CUnit record, 12: not the same one */
	CU_ASSERT_EQUAL(c.n, 1);
}

static int child_expect_macro(int fd)
{
	bool ok;

	pst_channel_begin(fd, NULL);
	LOG_NEXT_LINE();
	ok = PST_EXPECT_ERRNO(close(-1), ENOTSOCK);
	return ok ? 10 : 0;
}

static void expect_errno_macro_names_the_call_file_and_line(void)
{
	struct captured c;
	const struct pst_record_line *f;

	CU_ASSERT_EQUAL_FATAL(run_in_child(child_expect_macro, &c), 0);
	CU_ASSERT_EQUAL(c.exitcode, 0);
	CU_ASSERT_EQUAL_FATAL(count_type(&c, PST_REC_FAIL), 1);
	f = nth_of_type(&c, PST_REC_FAIL, 0);
	CU_ASSERT_STRING_EQUAL(f->file, __FILE__);
	CU_ASSERT_EQUAL(f->line, logged_line(&c, 0));
	CU_ASSERT_STRING_EQUAL(f->text, "close(-1): expected ENOTSOCK, got EBADF");
}

/* A fatal check ends the case at its abort point (the runner points CUnit's jump there). */
static int child_fatal_check(int fd)
{
	jmp_buf jb;
	CU_pTest cu = CU_get_current_test();
	volatile int reached = 0;

	if (!cu)
		return 11;
	cu->pJumpBuf = &jb;
	pst_channel_begin(fd, &jb);
	if (setjmp(jb) == 0) {
		pst_check_errno_at("suites/f.c", 5, true, "close(fd)", -1, EINVAL, EBADF);
		reached = 1;
	}
	pst_log("after");
	return reached ? 12 : 0;
}

static void fatal_check_jumps_to_the_abort_point(void)
{
	struct captured c;

	CU_ASSERT_EQUAL_FATAL(run_in_child(child_fatal_check, &c), 0);
	CU_ASSERT_EQUAL(c.exitcode, 0); /* 12: the check returned */
	CU_ASSERT_EQUAL_FATAL(c.n, 2);
	CU_ASSERT_EQUAL(c.rec[0].type, PST_REC_FAIL);
	CU_ASSERT_STRING_EQUAL(c.rec[0].text, "close(fd): expected EBADF, got EINVAL");
	CU_ASSERT_EQUAL(c.rec[1].type, PST_REC_LOG);
}

/* ---- pst_skip, pst_broken, pst_log */

static int child_skip_no_jump(int fd)
{
	pst_channel_begin(fd, NULL);
	pst_skip("needs %s (%d)", "IPv6", 6);
}

static void skip_without_jump_target_sends_reason_and_exits(void)
{
	struct captured c;

	CU_ASSERT_EQUAL_FATAL(run_in_child(child_skip_no_jump, &c), 0);
	CU_ASSERT_TRUE(WIFEXITED(c.status));
	CU_ASSERT_EQUAL(c.exitcode, 1);
	CU_ASSERT_EQUAL(c.bad, 0);
	expect_one_record(&c, PST_REC_SKIP, NULL, 0, "needs IPv6 (6)");
}

static int child_skip_with_jump(int fd)
{
	jmp_buf jb;

	pst_channel_begin(fd, &jb);
	if (setjmp(jb) == 0) {
		pst_skip("no SCTP");
	}
	pst_log("landed");
	return 0;
}

static void skip_with_jump_target_sends_reason_and_jumps_there(void)
{
	struct captured c;

	CU_ASSERT_EQUAL_FATAL(run_in_child(child_skip_with_jump, &c), 0);
	CU_ASSERT_EQUAL(c.exitcode, 0);
	CU_ASSERT_EQUAL_FATAL(c.n, 2);
	CU_ASSERT_EQUAL(c.rec[0].type, PST_REC_SKIP);
	CU_ASSERT_STRING_EQUAL(c.rec[0].text, "no SCTP");
	CU_ASSERT_EQUAL(c.rec[1].type, PST_REC_LOG);
	CU_ASSERT_STRING_EQUAL(c.rec[1].text, "landed");
}

static int child_broken(int fd)
{
	pst_channel_begin(fd, NULL);
	pst_broken_at("fixtures/assoc.c", 31, "socket: %s", pst_errname(EAFNOSUPPORT));
}

static void broken_sends_its_file_line_and_reason_and_exits(void)
{
	struct captured c;

	CU_ASSERT_EQUAL_FATAL(run_in_child(child_broken, &c), 0);
	CU_ASSERT_EQUAL(c.exitcode, 1);
	expect_one_record(&c, PST_REC_BROKEN, "fixtures/assoc.c", 31, "socket: EAFNOSUPPORT");
}

static void log_sends_a_log_record(void)
{
	struct captured c;

	channel_open();
	pst_log("assoc %d up\tand\nready", 3);
	channel_close_and_capture(&c);
	expect_one_record(&c, PST_REC_LOG, NULL, 0, "assoc 3 up and ready");
}

/* ---- pst_channel_forward_cunit */

static int child_forward(int fd)
{
	unsigned first = CU_get_number_of_failure_records();

	pst_channel_begin(fd, NULL);
	LOG_NEXT_LINE();
	CU_ASSERT(0);
	pst_fail_at("suites/own.c", 8, false, "own failure %d", 1);
	pst_channel_forward_cunit(first);
	return 0;
}

static void forward_sends_raw_cunit_failures_but_not_own_ones_twice(void)
{
	struct captured c;
	const struct pst_record_line *own, *raw;

	CU_ASSERT_EQUAL_FATAL(run_in_child(child_forward, &c), 0);
	CU_ASSERT_EQUAL(c.exitcode, 0);
	CU_ASSERT_EQUAL(c.bad, 0);
	CU_ASSERT_EQUAL_FATAL(count_type(&c, PST_REC_FAIL), 2);
	/* pst_fail_at's, sent at once */
	own = nth_of_type(&c, PST_REC_FAIL, 0);
	CU_ASSERT_STRING_EQUAL(own->file, "suites/own.c");
	CU_ASSERT_EQUAL(own->line, 8);
	CU_ASSERT_STRING_EQUAL(own->text, "own failure 1");
	/* the raw CU_ASSERT, forwarded */
	raw = nth_of_type(&c, PST_REC_FAIL, 1);
	CU_ASSERT_STRING_EQUAL(raw->file, __FILE__);
	CU_ASSERT_EQUAL(raw->line, logged_line(&c, 0));
	CU_ASSERT_STRING_EQUAL(raw->text, "0");
}

static int child_forward_interleaved(int fd)
{
	unsigned first = CU_get_number_of_failure_records();

	pst_channel_begin(fd, NULL);
	pst_fail_at("a.c", 1, false, "own A");
	CU_ASSERT_EQUAL(1, 2);
	pst_fail_at("b.c", 2, false, "own B");
	CU_ASSERT_STRING_EQUAL("x", "y");
	pst_fail_at("c.c", 3, false, "own C");
	pst_channel_forward_cunit(first);
	return 0;
}

static void forward_skips_own_failures_interleaved_with_raw_ones(void)
{
	/* the forwarded ones after a record that gives them to no named check (the "") */
	static const char *const want[] = { "own A",
					    "own B",
					    "own C",
					    "",
					    "CU_ASSERT_EQUAL(1,2)",
					    "CU_ASSERT_STRING_EQUAL(\"x\",\"y\")" };
	struct captured c;

	CU_ASSERT_EQUAL_FATAL(run_in_child(child_forward_interleaved, &c), 0);
	CU_ASSERT_EQUAL(c.bad, 0);
	CU_ASSERT_EQUAL_FATAL(c.n, 6);
	for (int i = 0; i < c.n; i++) {
		CU_ASSERT_EQUAL(c.rec[i].type, i == 3 ? PST_REC_CHECK : PST_REC_FAIL);
		CU_ASSERT_STRING_EQUAL(c.rec[i].text, want[i]);
	}
}

static int child_forward_from_first(int fd)
{
	unsigned first;

	pst_channel_begin(fd, NULL);
	LOG_NEXT_LINE();
	CU_ASSERT(0); /* before the case: not forwarded */
	first = CU_get_number_of_failure_records();
	LOG_NEXT_LINE();
	CU_ASSERT(0);
	pst_channel_forward_cunit(first);
	return 0;
}

static void forward_ignores_failures_before_first_record(void)
{
	struct captured c;

	CU_ASSERT_EQUAL_FATAL(run_in_child(child_forward_from_first, &c), 0);
	CU_ASSERT_EQUAL_FATAL(count_type(&c, PST_REC_FAIL), 1);
	CU_ASSERT_EQUAL(nth_of_type(&c, PST_REC_FAIL, 0)->line, logged_line(&c, 1));
	CU_ASSERT_NOT_EQUAL(logged_line(&c, 0), logged_line(&c, 1));
}

static int child_forward_nothing(int fd)
{
	unsigned first = CU_get_number_of_failure_records();

	pst_channel_begin(fd, NULL);
	pst_fail_at("a.c", 1, false, "own only");
	pst_channel_forward_cunit(first);
	pst_channel_forward_cunit(first); /* twice: still nothing more */
	return 0;
}

static void forward_sends_nothing_when_all_failures_are_own(void)
{
	struct captured c;

	CU_ASSERT_EQUAL_FATAL(run_in_child(child_forward_nothing, &c), 0);
	CU_ASSERT_EQUAL_FATAL(c.n, 1);
	CU_ASSERT_STRING_EQUAL(c.rec[0].text, "own only");
}

/*
 * Regression: forwarding once remembered only the first 256 pst_fail_at()
 * messages and sent every later one twice (300 failures came as 344 records).
 */
static int child_many_own_failures(int fd)
{
	unsigned first = CU_get_number_of_failure_records();

	pst_channel_begin(fd, NULL);
	for (int i = 0; i < 300; i++)
		pst_fail_at("a.c", i + 1, false, "own %d", i);
	pst_channel_forward_cunit(first);
	return 0;
}

static void forward_does_not_resend_own_failures_past_the_256th(void)
{
	static struct captured c;

	CU_ASSERT_EQUAL_FATAL(run_in_child(child_many_own_failures, &c), 0);
	CU_ASSERT_EQUAL(c.lines, 300);
}

int main(void)
{
	static const struct pst_unit_test tests[] = {
		PST_UNIT_TEST(sent_records_parse_back_with_same_type_file_line_text),
		PST_UNIT_TEST(record_is_one_tab_separated_line),
		PST_UNIT_TEST(tabs_and_newlines_in_text_become_spaces),
		PST_UNIT_TEST(null_file_is_sent_as_an_empty_field),
		PST_UNIT_TEST(overlong_text_is_truncated_to_one_record),
		PST_UNIT_TEST(overlong_record_is_cut_to_one_parsable_line),
		PST_UNIT_TEST(parse_accepts_each_record_type),
		PST_UNIT_TEST(parse_rejects_malformed_lines),
		PST_UNIT_TEST(errname_gives_the_errno_macro_name),
		PST_UNIT_TEST(errname_of_zero_says_no_error),
		PST_UNIT_TEST(errname_of_unknown_errno_gives_its_number),
		PST_UNIT_TEST(check_errno_passes_on_minus_one_with_the_expected_errno),
		PST_UNIT_TEST(check_ok_passes_on_zero_or_more_and_returns_the_value),
		PST_UNIT_TEST(expect_macros_pass_on_real_calls),
		PST_UNIT_TEST(check_errno_with_another_errno_fails_naming_both),
		PST_UNIT_TEST(check_errno_on_success_fails_with_the_value),
		PST_UNIT_TEST(check_errno_on_success_fails_even_if_errno_is_the_expected_one),
		PST_UNIT_TEST(check_ok_on_negative_fails_with_the_errno_and_returns_the_value),
		PST_UNIT_TEST(failing_check_is_also_a_cunit_failure),
		PST_UNIT_TEST(expect_errno_macro_names_the_call_file_and_line),
		PST_UNIT_TEST(fatal_check_jumps_to_the_abort_point),
		PST_UNIT_TEST(skip_without_jump_target_sends_reason_and_exits),
		PST_UNIT_TEST(skip_with_jump_target_sends_reason_and_jumps_there),
		PST_UNIT_TEST(broken_sends_its_file_line_and_reason_and_exits),
		PST_UNIT_TEST(log_sends_a_log_record),
		PST_UNIT_TEST(forward_sends_raw_cunit_failures_but_not_own_ones_twice),
		PST_UNIT_TEST(forward_skips_own_failures_interleaved_with_raw_ones),
		PST_UNIT_TEST(forward_ignores_failures_before_first_record),
		PST_UNIT_TEST(forward_sends_nothing_when_all_failures_are_own),
		PST_UNIT_TEST(forward_does_not_resend_own_failures_past_the_256th),
	};

	return pst_unit_main("channel", tests, sizeof(tests) / sizeof(tests[0]), NULL, NULL);
}
