/*
 * Unit tests of the kernel log window (harness/runner/kmsg.c): which lines are
 * kernel reports, of which kind, how many reports a stream holds and what the
 * first one's summary says. The samples of each sanitizer's report are in
 * tests/kmsg-samples/ (see its README). Reading /dev/kmsg itself is checked
 * end to end by the self-test cases selftest_kernel_warning_is_FAIL and
 * selftest_lkdtm_* inside UML.
 */
#include <CUnit/Basic.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmsg.h"
#include "unit.h"

#define SAMPLES		 "tests/kmsg-samples/*.log"
#define SAMPLES_AT_LEAST 8 /* the hand-written ones; captured ones come on top */

static void reports_are_recognised(void)
{
	static const struct {
		const char *line, *kind;
	} reports[] = {
		{ "BUG: KASAN: use-after-free in sctp_do_peeloff+0x1a/0x2b0", "KASAN" },
		{ "BUG: KASAN: stack-out-of-bounds in __get_wchan+0x93/0xf0", "KASAN" },
		{ "kernel BUG at net/sctp/socket.c:5000!", "BUG" },
		{ "Oops: 0000 [#1] PREEMPT SMP", "Oops" },
		{ "WARNING: CPU: 0 PID: 42 at net/sctp/socket.c:1234 sctp_sock_migrate+0x1/0x2",
		  "WARNING" },
		{ "UBSAN: shift-out-of-bounds in net/sctp/sm_statefuns.c:10:2", "UBSAN" },
		{ "WARNING: possible recursive locking detected", "lockdep" },
		{ "WARNING: possible circular locking dependency detected", "lockdep" },
		{ "WARNING: inconsistent lock state", "lockdep" },
		{ "WARNING: suspicious RCU usage", "lockdep (RCU)" },
		{ "WARNING: bad unlock balance detected!", "lockdep" },
		{ "WARNING: SOFTIRQ-safe -> SOFTIRQ-unsafe lock order detected", "lockdep" },
		{ "INFO: trying to register non-static key.", "lockdep" },
		{ "ODEBUG: free active (active state 0) object type: timer_list hint: x+0x0/0x40",
		  "ODEBUG" },
		{ "refcount_t: underflow; use-after-free.", "refcount_t" },
		{ "refcount_t: saturated; leaking memory.", "refcount_t" },
		{ "list_add corruption. prev->next should be next (000000006a3e1e40), but was "
		  "0000000000000000. (prev=000000006a3e1e40).",
		  "list corruption" },
		{ "list_del corruption, 000000006a3e1e40->next is LIST_POISON1 (dead000000000100)",
		  "list corruption" },
		{ "list_add double add: new=000000006a3e1e40, prev=000000006a3e1e40, next=0.",
		  "list corruption" },
		{ "unreferenced object 0x000000006d6ac800 (size 1024):", "kmemleak" },
		{ "ref_tracker: net notrefcnt@000000006b1c2e40 has 1/1 users at", "ref_tracker" },
		{ "unregister_netdevice: waiting for v0 to become free. Usage count = 2",
		  "netdev refcount" },
		{ "BUG kmalloc-128 (Not tainted): Object already free", "SLUB" },
		{ "general protection fault, probably for non-canonical address 0xdead", "Oops" },
		{ "Kernel panic - not syncing: Fatal exception", "panic" },
		{ "rcu: INFO: rcu_sched self-detected stall on CPU", "RCU stall" },
	};

	for (size_t i = 0; i < sizeof(reports) / sizeof(reports[0]); i++) {
		const char *kind = pst_kmsg_report_kind(reports[i].line);

		CU_ASSERT_TRUE(pst_kmsg_is_report(reports[i].line));
		CU_ASSERT_PTR_NOT_NULL_FATAL(kind);
		if (strcmp(kind, reports[i].kind) != 0)
			fprintf(stderr, "\n'%s': expected kind %s, got %s\n", reports[i].line,
				reports[i].kind, kind);
		CU_ASSERT_STRING_EQUAL(kind, reports[i].kind);
	}
}

static void ordinary_lines_are_not_reports(void)
{
	static const char *const lines[] = {
		"sctp: Hash tables configured (bind 256/256)",
		"IPv6: ADDRCONF(NETDEV_CHANGE): c0: link becomes ready",
		"device s0 entered promiscuous mode",
		"kmemleak: Kernel memory leak detector initialized (mem pool available: 15746)",
		"BUGS: none", /* "BUG " only at a line's start, and with its space */
		/* what a scan says of the list the runner reads itself */
		"kmemleak: 2 new suspected memory leaks (see /sys/kernel/debug/kmemleak)",
		"",
	};

	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		CU_ASSERT_FALSE(pst_kmsg_is_report(lines[i]));
}

/* Feed text (lines separated by '\n', '#' lines skipped) to a scanner. */
static void feed(struct pst_kreport *r, const char *text)
{
	const char *p = text;

	pst_kreport_init(r);
	while (*p) {
		size_t n = strcspn(p, "\n");
		char line[1024];

		snprintf(line, sizeof(line), "%.*s", (int)n, p);
		if (line[0] != '#')
			pst_kreport_line(r, line);
		p += n + (p[n] == '\n');
	}
}

/* Each sample is one report, of the kind it names, summed up as it says. */
static void each_sample_is_one_report_of_its_kind(void)
{
	glob_t g;

	CU_ASSERT_EQUAL_FATAL(glob(SAMPLES, 0, NULL, &g), 0);
	CU_ASSERT_TRUE(g.gl_pathc >= SAMPLES_AT_LEAST);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		char *text = pst_unit_slurp(g.gl_pathv[i], NULL), *kind = NULL, *p, *save = NULL;
		struct pst_kreport r;
		bool ok;

		CU_ASSERT_PTR_NOT_NULL_FATAL(text);
		feed(&r, text);
		ok = r.count == 1 && r.summary;
		for (p = strtok_r(text, "\n", &save); p && ok; p = strtok_r(NULL, "\n", &save)) {
			if (strncmp(p, "# kind: ", 8) == 0) {
				kind = p + 8;
				ok = strstr(r.summary, kind) != NULL;
			} else if (strncmp(p, "# summary: ", 11) == 0) {
				ok = strstr(r.summary, p + 11) != NULL;
			}
		}
		if (!ok || !kind)
			fprintf(stderr, "\n%s: %d reports, summary '%s'; expected 1 of kind %s\n",
				g.gl_pathv[i], r.count, r.summary ? r.summary : "(none)",
				kind ? kind : "(the file names none: '# kind: K')");
		CU_ASSERT_TRUE(ok && kind);
		pst_kreport_free(&r);
		free(text);
	}
	globfree(&g);
}

/* Two reports apart are two; the summary is the first one's. */
static void reports_are_counted_apart(void)
{
	struct pst_kreport r;

	feed(&r, "refcount_t: underflow; use-after-free.\n"
		 "WARNING: CPU: 0 PID: 61 at lib/refcount.c:28 refcount_warn_saturate+0x13a/0x1a0\n"
		 "CPU: 0 PID: 61 Comm: runner Not tainted 6.1.192 #1\n"
		 "Call Trace:\n"
		 " [<600a2b61>] ? dump_stack_lvl+0x3a/0x4e\n"
		 " [<60335b1a>] refcount_warn_saturate+0x13a/0x1a0\n"
		 " [<6091d6a1>] sctp_association_put+0x61/0x80\n"
		 " [<6091e0b2>] sctp_do_peeloff+0x1b2/0x2c0\n"
		 " [<6091f00a>] sctp_getsockopt+0x1a/0x2c00\n"
		 " [<6091f00b>] __sys_getsockopt+0x1a/0x200\n"
		 "sctp: an ordinary line\n"
		 "sctp: another\n"
		 "sctp: and one more\n"
		 "sctp: and the last\n"
		 "WARNING: CPU: 0 PID: 61 at net/sctp/socket.c:1234 sctp_sock_migrate+0x1/0x2\n");
	CU_ASSERT_EQUAL(r.count, 2);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.summary);
	CU_ASSERT_STRING_EQUAL(r.summary,
			       "refcount_t: underflow; use-after-free. | "
			       "sctp_association_put+0x61/0x80 | sctp_do_peeloff+0x1b2/0x2c0 | "
			       "sctp_getsockopt+0x1a/0x2c00");
	pst_kreport_free(&r);

	feed(&r, "sctp: nothing wrong\nIPv6: nor here\n");
	CU_ASSERT_EQUAL(r.count, 0);
	CU_ASSERT_PTR_NULL(r.summary);
	pst_kreport_free(&r);
}

/* However long the report, the summary stays one short line. */
static void the_summary_is_bounded(void)
{
	struct pst_kreport r;
	char line[600];

	memset(line, 'x', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	pst_kreport_init(&r);
	pst_kreport_line(&r, "BUG: KASAN: slab-use-after-free in sctp_sock_migrate+0x1/0x2");
	for (int i = 0; i < 5; i++)
		pst_kreport_line(&r, line);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.summary);
	CU_ASSERT_TRUE(strlen(r.summary) <= 480);
	CU_ASSERT_EQUAL(strncmp(r.summary, "BUG: KASAN: slab-use-after-free", 31), 0);
	pst_kreport_free(&r);
}

static void no_kernel_log_collects_nothing(void)
{
	struct pst_kmsg k = { .fd = -1, .leak_fd = -1 };
	char *lines = (char *)"x", *first = (char *)"x";

	CU_ASSERT_EQUAL(pst_kmsg_collect(&k, &lines, &first), 0);
	CU_ASSERT_PTR_NULL(lines);
	CU_ASSERT_PTR_NULL(first);
	lines = first = (char *)"x";
	CU_ASSERT_EQUAL(pst_kmsg_leaks(&k, &lines, &first), 0);
	CU_ASSERT_PTR_NULL(lines);
	CU_ASSERT_PTR_NULL(first);
}

int main(void)
{
	static const struct pst_unit_test tests[] = {
		PST_UNIT_TEST(reports_are_recognised),
		PST_UNIT_TEST(ordinary_lines_are_not_reports),
		PST_UNIT_TEST(each_sample_is_one_report_of_its_kind),
		PST_UNIT_TEST(reports_are_counted_apart),
		PST_UNIT_TEST(the_summary_is_bounded),
		PST_UNIT_TEST(no_kernel_log_collects_nothing),
	};

	return pst_unit_main("kmsg", tests, sizeof(tests) / sizeof(tests[0]), NULL, NULL);
}
