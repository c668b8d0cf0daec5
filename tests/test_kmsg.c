/*
 * Unit tests of the kernel log window (harness/kmsg.c): which lines are
 * kernel reports. Reading /dev/kmsg itself is checked end to end by the
 * self-test case selftest_kernel_warning_is_ERROR inside UML.
 */
#include <CUnit/Basic.h>

#include "kmsg.h"

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
	CU_pSuite s;
	unsigned failed;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	s = CU_add_suite("kmsg", NULL, NULL);
	CU_add_test(s, "reports_are_recognised", reports_are_recognised);
	CU_add_test(s, "ordinary_lines_are_not_reports", ordinary_lines_are_not_reports);
	CU_add_test(s, "no_kernel_log_collects_nothing", no_kernel_log_collects_nothing);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	CU_cleanup_registry();
	return failed ? 1 : 0;
}
