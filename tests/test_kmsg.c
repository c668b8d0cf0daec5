/*
 * Unit tests of the kernel log window (harness/runner/kmsg.c): which lines are
 * kernel reports. Reading /dev/kmsg itself is checked end to end by the
 * self-test case selftest_kernel_warning_is_ERROR inside UML.
 */
#include <CUnit/Basic.h>

#include "kmsg.h"
#include "unit.h"

static void reports_are_recognised(void)
{
	static const char *const reports[] = {
		"BUG: KASAN: use-after-free in sctp_do_peeloff+0x1a/0x2b0",
		"kernel BUG at net/sctp/socket.c:5000!",
		"Oops: 0000 [#1] PREEMPT SMP",
		"WARNING: CPU: 0 PID: 42 at net/sctp/socket.c:1234 sctp_sock_migrate+0x1/0x2",
		"UBSAN: shift-out-of-bounds in net/sctp/sm_statefuns.c:10:2",
		"WARNING: possible recursive locking detected",
		"WARNING: possible circular locking dependency detected",
		"refcount_t: underflow; use-after-free.",
		"general protection fault, probably for non-canonical address 0xdead",
		"Kernel panic - not syncing: Fatal exception",
	};

	for (size_t i = 0; i < sizeof(reports) / sizeof(reports[0]); i++)
		CU_ASSERT_TRUE(pst_kmsg_is_report(reports[i]));
}

static void ordinary_lines_are_not_reports(void)
{
	static const char *const lines[] = {
		"sctp: Hash tables configured (bind 256/256)",
		"IPv6: ADDRCONF(NETDEV_CHANGE): c0: link becomes ready",
		"device s0 entered promiscuous mode",
		"",
	};

	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		CU_ASSERT_FALSE(pst_kmsg_is_report(lines[i]));
}

static void no_kernel_log_collects_nothing(void)
{
	struct pst_kmsg k = { .fd = -1 };
	char *lines = (char *)"x", *first = (char *)"x";

	CU_ASSERT_EQUAL(pst_kmsg_collect(&k, &lines, &first), 0);
	CU_ASSERT_PTR_NULL(lines);
	CU_ASSERT_PTR_NULL(first);
}

int main(void)
{
	static const struct pst_unit_test tests[] = {
		PST_UNIT_TEST(reports_are_recognised),
		PST_UNIT_TEST(ordinary_lines_are_not_reports),
		PST_UNIT_TEST(no_kernel_log_collects_nothing),
	};

	return pst_unit_main("kmsg", tests, sizeof(tests) / sizeof(tests[0]), NULL, NULL);
}
