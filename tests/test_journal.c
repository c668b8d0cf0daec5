/*
 * Unit tests of the run journal (harness/runner/journal.c): what one run writes,
 * another reads back after a crash, escapes included; a line cut short by the
 * crash is tolerated; a started but unfinished case is told from a finished one;
 * each record is fsynced except on UML's hostfs (make unit runs this inside
 * UML too, where /tmp is the host's, through hostfs).
 */
#include <CUnit/Basic.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "journal.h"
#include "unit.h"

static char path[] = "/tmp/pst_journal.XXXXXX";

static int suite_init(void)
{
	int fd = mkstemp(path);

	return fd < 0 ? -1 : close(fd);
}

static int suite_clean(void)
{
	return unlink(path);
}

static void write_two_cases_one_unfinished(void)
{
	struct pst_journal j;
	const struct pst_result r = { .verdict = PST_FAIL,
				      .seconds = 0.25,
				      .started = 1796600000.125,
				      .message = "expected EBADF,\tgot EINVAL",
				      .detail = "a.c:1: x\nb.c:2: y \\ z",
				      .log = NULL };

	unlink(path);
	CU_ASSERT_EQUAL_FATAL(pst_journal_open(&j, path), 0);
	CU_ASSERT_EQUAL(pst_journal_start(&j, 0, "suite/first"), 0);
	CU_ASSERT_EQUAL(pst_journal_result(&j, 0, &r), 0);
	CU_ASSERT_EQUAL(pst_journal_start(&j, 1, "suite/second"), 0);
	pst_journal_close(&j);
}

static void finished_case_reads_back_unchanged(void)
{
	struct pst_journal j;
	const struct pst_journal_entry *e;

	write_two_cases_one_unfinished();
	CU_ASSERT_EQUAL_FATAL(pst_journal_load(&j, path), 0);
	e = pst_journal_find(&j, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_STRING_EQUAL(e->name, "suite/first");
	CU_ASSERT_TRUE(e->finished);
	CU_ASSERT_EQUAL(e->r.verdict, PST_FAIL);
	CU_ASSERT_DOUBLE_EQUAL(e->r.seconds, 0.25, 1e-9);
	/* (microseconds kept: a suite's wall time is made of these) */
	CU_ASSERT_DOUBLE_EQUAL(e->r.started, 1796600000.125, 1e-6);
	CU_ASSERT_STRING_EQUAL(e->r.message, "expected EBADF,\tgot EINVAL");
	CU_ASSERT_STRING_EQUAL(e->r.detail, "a.c:1: x\nb.c:2: y \\ z");
	CU_ASSERT_PTR_NULL(e->r.log);
	pst_journal_free(&j);
}

static void started_case_is_not_finished(void)
{
	struct pst_journal j;
	const struct pst_journal_entry *e;

	write_two_cases_one_unfinished();
	CU_ASSERT_EQUAL_FATAL(pst_journal_load(&j, path), 0);
	e = pst_journal_find(&j, 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_STRING_EQUAL(e->name, "suite/second");
	CU_ASSERT_FALSE(e->finished);
	CU_ASSERT_PTR_NULL(pst_journal_find(&j, 2));
	pst_journal_free(&j);
}

static void line_cut_short_by_a_crash_is_ignored(void)
{
	struct pst_journal j;
	FILE *f = fopen(path, "w");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs("S\t0\tsuite/a\nR\t0\tPASS\t0.1\t\t\t\nS\t1\tsuite/b\nR\t1", f);
	fclose(f);
	CU_ASSERT_EQUAL_FATAL(pst_journal_load(&j, path), 0);
	CU_ASSERT_TRUE(pst_journal_find(&j, 0)->finished);
	CU_ASSERT_EQUAL(pst_journal_find(&j, 0)->r.verdict, PST_PASS);
	CU_ASSERT_FALSE(pst_journal_find(&j, 1)->finished);
	pst_journal_free(&j);
}

/* A result line without the start time (as journals had it before): unknown, 0. */
static void result_without_start_time_reads_as_unknown(void)
{
	struct pst_journal j;
	FILE *f = fopen(path, "w");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs("S\t0\tsuite/a\nR\t0\tFAIL\t0.5\tmsg\tdetail\tlog\n", f);
	fclose(f);
	CU_ASSERT_EQUAL_FATAL(pst_journal_load(&j, path), 0);
	CU_ASSERT_TRUE_FATAL(pst_journal_find(&j, 0)->finished);
	CU_ASSERT_STRING_EQUAL(pst_journal_find(&j, 0)->r.log, "log");
	CU_ASSERT_DOUBLE_EQUAL(pst_journal_find(&j, 0)->r.started, 0, 1e-9);
	pst_journal_free(&j);
}

static void missing_journal_is_empty(void)
{
	struct pst_journal j;

	CU_ASSERT_EQUAL(pst_journal_load(&j, "/nonexistent/pst-journal"), 0);
	CU_ASSERT_EQUAL(j.n, 0);
	pst_journal_free(&j);
}

static void fsync_except_on_hostfs(void)
{
	struct pst_journal j;
	struct statfs fs;

	CU_ASSERT_EQUAL_FATAL(statfs(path, &fs), 0);
	CU_ASSERT_EQUAL_FATAL(pst_journal_open(&j, path), 0);
	CU_ASSERT_EQUAL(j.sync, fs.f_type != HOSTFS_SUPER_MAGIC);
	pst_journal_close(&j);
}

int main(void)
{
	static const struct pst_unit_test tests[] = {
		PST_UNIT_TEST(finished_case_reads_back_unchanged),
		PST_UNIT_TEST(started_case_is_not_finished),
		PST_UNIT_TEST(line_cut_short_by_a_crash_is_ignored),
		PST_UNIT_TEST(result_without_start_time_reads_as_unknown),
		PST_UNIT_TEST(missing_journal_is_empty),
		PST_UNIT_TEST(fsync_except_on_hostfs),
	};

	return pst_unit_main("journal", tests, sizeof(tests) / sizeof(tests[0]), suite_init,
			     suite_clean);
}
