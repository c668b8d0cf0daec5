/*
 * The harness's own self-test cases (run.sh --selftest, from make check):
 * one per way a case can end, each with the verdict it must get in its name.
 * They prove that the runner tells a failure from a crash, a hang, a broken
 * setup and a dead kernel, and that the run goes on after each.
 */
#include <CUnit/CUnit.h>
#include <errno.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../suites/suites.h"
#include "globals.h"

static void pass(struct pst_ctx *ctx)
{
	(void)ctx;
	PST_EXPECT_ERRNO(close(-1), EBADF);
}

static void expect_fails_by_name(struct pst_ctx *ctx)
{
	(void)ctx;
	PST_EXPECT_ERRNO(close(-1), ENOTSOCK); /* close(-1) gives EBADF */
}

static void raw_cunit_assert_fails(struct pst_ctx *ctx)
{
	(void)ctx;
	CU_ASSERT_EQUAL(1, 2);
}

static void fatal_assert_stops_case(struct pst_ctx *ctx)
{
	(void)ctx;
	PST_ASSERT(0, "first failure, fatal");
	PST_EXPECT(0, "must not run: a fatal assertion ends the case");
}

static void segfault_is_error(struct pst_ctx *ctx)
{
	(void)ctx;
	raise(SIGSEGV);
}

/* The process that started the case ends under it: the case is lost, the next has a new one. */
static void spawner_death_is_error(struct pst_ctx *ctx)
{
	(void)ctx;
	kill(getppid(), SIGKILL);
	for (;;)
		pause();
}

static void hang_is_error(struct pst_ctx *ctx)
{
	(void)ctx;
	for (;;)
		pause();
}

static void setup_failure_is_broken(struct pst_ctx *ctx)
{
	(void)ctx;
	PST_SAFE(open("/nonexistent/pst-selftest", O_RDONLY));
	PST_EXPECT(0, "must not run: a broken setup ends the case");
}

static void fd_leak_is_fail(struct pst_ctx *ctx)
{
	(void)ctx;
	/* Opened and never closed: the harness's leak check must catch it. */
	PST_SAFE(open("/dev/null", O_RDONLY));
}

/*
 * An SCTP endpoint left in the case's namespace although the case's own
 * descriptors are back as they were: a child process holds it open.
 */
static void sctp_endpoint_leak_is_fail(struct pst_ctx *ctx)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int sd;
	pid_t pid;

	PST_SAFE(pst_topo_enter(ctx->topo, PST_SERVER));
	sd = (int)PST_SAFE(socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP));
	PST_SAFE(bind(sd, (struct sockaddr *)&a, sizeof(a)));
	PST_SAFE(listen(sd, 1)); /* a listening endpoint is in /proc/net/sctp/eps */
	pid = (pid_t)PST_SAFE(fork());
	if (pid == 0)
		for (;;)
			pause(); /* the runner kills the case's process group afterwards */
	close(sd);
}

/*
 * A pair: the first case adds an address to the client's first link and
 * passes; the second, run right after it, must not see that address. The
 * runner gives a passed case's topology to the next case only when nothing
 * of it changed (harness/runner/topo_state.h): a reuse check that missed the
 * change fails the second case.
 */
#define SELFTEST_EXTRA_ADDR "203.0.113.9" /* TEST-NET-3 (RFC 5737): not in the plan */

static void topology_change_passes(struct pst_ctx *ctx)
{
	struct ifreq ifr = { 0 };
	struct sockaddr_in *a = (struct sockaddr_in *)&ifr.ifr_addr;
	int sd;

	PST_SAFE(pst_topo_enter(ctx->topo, PST_CLIENT));
	sd = (int)PST_SAFE(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "c0:9"); /* an IPv4 alias of c0 */
	a->sin_family = AF_INET;
	inet_pton(AF_INET, SELFTEST_EXTRA_ADDR, &a->sin_addr);
	PST_SAFE(ioctl(sd, SIOCSIFADDR, &ifr));
	close(sd);
}

static void fresh_topology_after_change(struct pst_ctx *ctx)
{
	struct ifaddrs *all, *i;
	struct in_addr extra;
	bool seen = false;

	inet_pton(AF_INET, SELFTEST_EXTRA_ADDR, &extra);
	PST_SAFE(pst_topo_enter(ctx->topo, PST_CLIENT));
	PST_SAFE(getifaddrs(&all));
	for (i = all; i; i = i->ifa_next)
		seen |= i->ifa_addr && i->ifa_addr->sa_family == AF_INET &&
			((struct sockaddr_in *)i->ifa_addr)->sin_addr.s_addr == extra.s_addr;
	freeifaddrs(all);
	PST_EXPECT(!seen,
		   "expected a topology as built, got the address %s that the previous case added",
		   SELFTEST_EXTRA_ADDR);
}

/* A guest the harness booted for this run (UML or QEMU): it may be crashed or dirtied. */
static bool in_disposable_guest(void)
{
	const char *target = getenv("PST_TARGET");

	return target && (strcmp(target, "uml") == 0 || strcmp(target, "qemu") == 0);
}

static void skip_is_skip(struct pst_ctx *ctx)
{
	(void)ctx;
	pst_skip("the self-test skips on purpose");
}

static void kernel_death_is_error(struct pst_ctx *ctx)
{
	int fd;

	(void)ctx;
	/* Only a disposable guest may be crashed, never a real host. */
	if (!in_disposable_guest())
		pst_skip("crashes the kernel: only in a uml or qemu guest");
	fd = (int)PST_SAFE(open("/proc/sysrq-trigger", O_WRONLY));
	PST_SAFE(write(fd, "c", 1));
	pst_broken("the kernel did not crash");
}

static void kernel_warning_is_fail(struct pst_ctx *ctx)
{
	static const char warning[] = "<4>WARNING: selftest: a kernel report injected on purpose\n";
	int fd;

	(void)ctx;
	/* A test-only hook: what a kernel WARNING looks like in the log, written into it. */
	if (!in_disposable_guest())
		pst_skip("writes a WARNING into the kernel log: only in a uml or qemu guest");
	fd = (int)PST_SAFE(open("/dev/kmsg", O_WRONLY));
	PST_SAFE(write(fd, warning, sizeof(warning) - 1));
	close(fd);
	PST_EXPECT_ERRNO(close(-1), EBADF); /* the assertions pass: only the log fails it */
}

/*
 * A real report of a sanitizer, raised on purpose by the kernel's crash-test
 * driver (LKDTM: built into the sanitizer kernel of kernel/build.sh
 * --sanitize, not into Debian's): the runner must make it the case's FAIL
 * (no_kernel_report) and name its kind. Elsewhere a SKIP that says why.
 */
#define LKDTM_DIRECT "/sys/kernel/debug/provoke-crash/DIRECT"
#define DEBUGFS	     "/sys/kernel/debug"

static void lkdtm(const char *crashtype)
{
	bool mounted = false;
	int fd;

	if (!in_disposable_guest())
		pst_skip("makes the kernel report a bug: only in a uml or qemu guest");
	if (access(LKDTM_DIRECT, F_OK) != 0 && mount("debugfs", DEBUGFS, "debugfs", 0, NULL) == 0)
		mounted = true; /* (the guest's, for this case only) */
	fd = open(LKDTM_DIRECT, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		if (mounted)
			umount2(DEBUGFS, MNT_DETACH);
		pst_skip("no %s (%s): the kernel has no LKDTM (the sanitizer kernel of "
			 "kernel/build.sh --sanitize has)",
			 LKDTM_DIRECT, strerror(errno));
	}
	/* (LKDTM says in the log what it does; the report comes from the checker) */
	if (write(fd, crashtype, strlen(crashtype)) < 0)
		pst_log("writing %s to %s: %s", crashtype, LKDTM_DIRECT, strerror(errno));
	close(fd);
	if (mounted)
		umount2(DEBUGFS, MNT_DETACH);
	PST_EXPECT_ERRNO(close(-1), EBADF); /* the assertions pass: only the log fails it */
}

static void lkdtm_kasan(struct pst_ctx *ctx)
{
	(void)ctx;
	lkdtm("READ_AFTER_FREE");
}

static void lkdtm_refcount(struct pst_ctx *ctx)
{
	(void)ctx;
	lkdtm("REFCOUNT_DEC_ZERO");
}

static void lkdtm_list(struct pst_ctx *ctx)
{
	(void)ctx;
	lkdtm("CORRUPT_LIST_DEL");
}

/*
 * Passes on its first run in a guest and fails on its second: what --repeat
 * must report as flaky. The marker lives in the guest's /run, gone with it.
 */
static void flaky_on_second_run(struct pst_ctx *ctx)
{
	static const char marker[] = "/run/pst-selftest-flaky";

	(void)ctx;
	if (!in_disposable_guest())
		pst_skip("keeps a marker file between runs: only in a uml or qemu guest");
	if (access(marker, F_OK) == 0) {
		unlink(marker);
		PST_EXPECT(0, "second run: fails on purpose, to be reported as flaky");
		return;
	}
	close((int)PST_SAFE(open(marker, O_CREAT | O_WRONLY | O_CLOEXEC, 0600)));
}

/*
 * What a hung kernel looks like from the host: the runner's journal gets no
 * more lines. Stopping the runner (the spawner's parent) stands in for it;
 * run.sh's watch on the journal must end the guest and go on in a fresh one.
 */
static void stalled_guest_is_error(struct pst_ctx *ctx)
{
	char path[64], stat[512], *close_paren;
	int runner = 0, fd;
	ssize_t n;

	(void)ctx;
	if (!in_disposable_guest())
		pst_skip("stops the runner: only in a uml or qemu guest, which run.sh watches");
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)getppid());
	fd = (int)PST_SAFE(open(path, O_RDONLY | O_CLOEXEC));
	n = PST_SAFE(read(fd, stat, sizeof(stat) - 1));
	close(fd);
	stat[n > 0 ? n : 0] = '\0';
	/* "pid (comm) state ppid ...": the comm may hold spaces, the last ')' ends it */
	close_paren = strrchr(stat, ')');
	if (!close_paren || sscanf(close_paren + 1, " %*c %d", &runner) != 1 || runner <= 1)
		pst_broken("no parent of the spawner in %s", path);
	PST_SAFE(kill(runner, SIGSTOP));
	for (;;)
		pause();
}

static void runs_after_kernel_death(struct pst_ctx *ctx)
{
	pass(ctx);
}

static void log_reaches_report(struct pst_ctx *ctx)
{
	(void)ctx;
	pst_log("selftest log line via pst_log");
	printf("selftest stdout line\n");
	fprintf(stderr, "selftest stderr line\n");
}

/*
 * Every order of a failure, a broken setup and a skip: the verdict is the
 * worst of them (FAIL > BROKEN > SKIP), whichever came first. A fixture's
 * teardown runs after the case's skip or its setup's failure, so it can
 * report the second.
 */
static void fail_then_skip(struct pst_ctx *ctx)
{
	(void)ctx;
	PST_EXPECT(0, "the failure a later skip must not hide");
	pst_skip("a skip after a failure");
}

static void fail_then_broken(struct pst_ctx *ctx)
{
	(void)ctx;
	PST_EXPECT(0, "the failure a later setup failure must not hide");
	PST_SAFE(open("/nonexistent/pst-selftest", O_RDONLY));
}

static void skips(struct pst_ctx *ctx)
{
	(void)ctx;
	pst_skip("a skip before the teardown's report");
}

static void never_runs(struct pst_ctx *ctx)
{
	(void)ctx;
	PST_EXPECT(0, "must not run: the setup failed");
}

static void setup_breaks(struct pst_ctx *ctx)
{
	(void)ctx;
	PST_SAFE(open("/nonexistent/pst-selftest", O_RDONLY));
}

static void teardown_breaks(struct pst_ctx *ctx)
{
	(void)ctx;
	pst_broken("the teardown's setup failure after a skip");
}

static void teardown_fails(struct pst_ctx *ctx)
{
	(void)ctx;
	PST_EXPECT(0, "the teardown's failure after a skip or a broken setup");
}

static void teardown_skips(struct pst_ctx *ctx)
{
	(void)ctx;
	pst_skip("the teardown's skip after a broken setup");
}

static const struct pst_fixture fx_teardown_breaks = { .name = "teardown_breaks",
						       .teardown = teardown_breaks };
static const struct pst_fixture fx_teardown_fails = { .name = "teardown_fails",
						      .teardown = teardown_fails };
static const struct pst_fixture fx_broken_then_fail = { .name = "broken_then_fail",
							.setup = setup_breaks,
							.teardown = teardown_fails };
static const struct pst_fixture fx_broken_then_skip = { .name = "broken_then_skip",
							.setup = setup_breaks,
							.teardown = teardown_skips };

/*
 * Waivers (tests/selftest-deviations/): one excuses check waived_check of
 * each case below on any implementation, one names a kernel range no kernel
 * is in.
 */
#define WAIVED_CHECKS "waived_check other_check safety:safety_check"

static void waived_check_fails(struct pst_ctx *ctx)
{
	pst_check(ctx, "waived_check");
	PST_EXPECT(0, "the waived check fails, as its waiver says");
	pst_check(ctx, "other_check");
	PST_EXPECT_ERRNO(close(-1), EBADF);
}

static void unrelated_failure_in_waived_case(struct pst_ctx *ctx)
{
	pst_check(ctx, "waived_check");
	PST_EXPECT(0, "the waived check fails, as its waiver says");
	pst_check(ctx, "other_check");
	PST_EXPECT(0, "a check no waiver names fails");
}

static void unnamed_failure_in_waived_case(struct pst_ctx *ctx)
{
	pst_check(ctx, "waived_check");
	PST_EXPECT(0, "the waived check fails, as its waiver says");
	pst_check(ctx, NULL);
	PST_EXPECT(0, "an unnamed check fails");
}

static void safety_failure_in_waived_case(struct pst_ctx *ctx)
{
	pst_check(ctx, "waived_check");
	PST_EXPECT(0, "the waived check fails, as its waiver says");
	pst_check(ctx, "safety_check");
	PST_EXPECT(0, "a safety check fails");
}

static void waived_check_passes(struct pst_ctx *ctx)
{
	pst_check(ctx, "waived_check");
	PST_EXPECT_ERRNO(close(-1), EBADF);
}

/*
 * A reference behaviour (what a named Linux did where the documents are
 * silent) that differs is CHANGED; a requirement failing beside it is FAIL.
 */
#define REF_CHECKS "requirement ref:reference=REF-EMFILE"

static void reference_differs(struct pst_ctx *ctx)
{
	pst_check(ctx, "requirement");
	PST_EXPECT_ERRNO(close(-1), EBADF);
	pst_check(ctx, "reference");
	PST_EXPECT(0, "the reference behaviour differs on purpose");
}

static void reference_and_requirement_differ(struct pst_ctx *ctx)
{
	pst_check(ctx, "reference");
	PST_EXPECT(0, "the reference behaviour differs on purpose");
	pst_check(ctx, "requirement");
	PST_EXPECT(0, "a requirement fails on purpose");
}

static void undeclared_check(struct pst_ctx *ctx)
{
	pst_check(ctx, "no_such_check");
	PST_EXPECT(0, "must not run: the check is not declared");
}

/*
 * A pair: the first case changes a global knob it declares and hangs until
 * the timeout kills it (ERROR); the second finds the knob as it was when the
 * run started (the runner publishes that, globals.h). It does not have to run
 * right after the first: any later case of the same kernel sees the value
 * the first left unless the runner put it back; run first, or in another
 * guest (--jobs), it passes trivially. Both declare the knob, so that with
 * --jobs on the host target (runners sharing a kernel) they never overlap.
 * The knob: the seconds a file lease holder gets before its lease is broken,
 * present on every Linux and used by nothing a run does.
 */
#define SELFTEST_GLOBAL_KNOB "/proc/sys/fs/lease-break-time"
#define SELFTEST_GLOBALS     ((const char *const[]){ SELFTEST_GLOBAL_KNOB, NULL })
#define SELFTEST_KNOB_MAX    64

static long global_knob_at_start(void)
{
	char v[SELFTEST_KNOB_MAX];

	if (pst_globals_at_start(getenv(PST_GLOBALS_AT_START_ENV), SELFTEST_GLOBAL_KNOB, v,
				 sizeof(v)) < 0)
		pst_broken("the runner published no start value of %s (%s)", SELFTEST_GLOBAL_KNOB,
			   PST_GLOBALS_AT_START_ENV);
	return strtol(v, NULL, 10);
}

static long global_knob_now(void)
{
	char v[SELFTEST_KNOB_MAX];
	int fd = (int)PST_SAFE(open(SELFTEST_GLOBAL_KNOB, O_RDONLY | O_CLOEXEC));
	ssize_t n = read(fd, v, sizeof(v) - 1);
	int err = errno;

	close(fd);
	if (n <= 0)
		pst_broken("reading %s: %s", SELFTEST_GLOBAL_KNOB, pst_errname(n < 0 ? err : 0));
	v[n] = '\0';
	return strtol(v, NULL, 10);
}

static void global_knob_changed_then_hang(struct pst_ctx *ctx)
{
	char v[SELFTEST_KNOB_MAX];

	snprintf(v, sizeof(v), "%ld", global_knob_at_start() + 1);
	PST_SAFE(pst_global_set(ctx, SELFTEST_GLOBAL_KNOB, v));
	for (;;)
		pause();
}

static void global_knob_restored(struct pst_ctx *ctx)
{
	long start = global_knob_at_start(), now = global_knob_now();

	(void)ctx;
	PST_EXPECT(now == start,
		   "%s: expected %ld, its value when the run started, got %ld (left by a case "
		   "the runner did not restore?)",
		   SELFTEST_GLOBAL_KNOB, start, now);
}

/* A knob the case did not declare: the helper refuses it before writing. */
static void undeclared_global_write(struct pst_ctx *ctx)
{
	char v[SELFTEST_KNOB_MAX];

	snprintf(v, sizeof(v), "%ld", global_knob_now());
	pst_global_set(ctx, SELFTEST_GLOBAL_KNOB, v);
	PST_EXPECT(0, "must not run: the knob is not declared");
}

/*
 * The same knob written with a plain write(), past the helpers: the runner
 * sees the write into /proc (procwatch.h). Its own value, so nothing changes.
 */
static void undeclared_sysctl_write(struct pst_ctx *ctx)
{
	char v[SELFTEST_KNOB_MAX];
	int fd, n;

	(void)ctx;
	n = snprintf(v, sizeof(v), "%ld\n", global_knob_now());
	fd = (int)PST_SAFE(open(SELFTEST_GLOBAL_KNOB, O_WRONLY | O_CLOEXEC));
	PST_SAFE(write(fd, v, (size_t)n));
	close(fd);
}

static const struct pst_case cases[] = {
	{ .name = "selftest_pass_is_PASS", .fn = pass },
	{ .name = "selftest_wrong_errno_is_FAIL", .fn = expect_fails_by_name },
	{ .name = "selftest_raw_cunit_assert_is_FAIL", .fn = raw_cunit_assert_fails },
	{ .name = "selftest_fatal_assert_is_FAIL_once", .fn = fatal_assert_stops_case },
	{ .name = "selftest_segfault_is_ERROR", .fn = segfault_is_error },
	{ .name = "selftest_spawner_death_is_ERROR", .fn = spawner_death_is_error },
	{ .name = "selftest_hang_is_ERROR", .fn = hang_is_error },
	{ .name = "selftest_setup_failure_is_BROKEN", .fn = setup_failure_is_broken },
	{ .name = "selftest_descriptor_leak_is_FAIL", .fn = fd_leak_is_fail },
	{ .name = "selftest_sctp_endpoint_leak_is_FAIL", .fn = sctp_endpoint_leak_is_fail },
	{ .name = "selftest_skip_is_SKIP", .fn = skip_is_skip },
	{ .name = "selftest_log_is_PASS", .fn = log_reaches_report },
	{ .name = "selftest_topology_change_is_PASS", .fn = topology_change_passes },
	{ .name = "selftest_fresh_topology_after_change_is_PASS",
	  .fn = fresh_topology_after_change },
	{ .name = "selftest_kernel_warning_is_FAIL", .fn = kernel_warning_is_fail },
	{ .name = "selftest_lkdtm_kasan_report_is_FAIL_or_SKIP", .fn = lkdtm_kasan },
	{ .name = "selftest_lkdtm_refcount_report_is_FAIL_or_SKIP", .fn = lkdtm_refcount },
	{ .name = "selftest_lkdtm_list_corruption_is_FAIL_or_SKIP", .fn = lkdtm_list },
	{ .name = "selftest_flaky_first_run_is_PASS", .fn = flaky_on_second_run },
	{ .name = "selftest_fail_then_skip_is_FAIL", .fn = fail_then_skip },
	{ .name = "selftest_fail_then_broken_is_FAIL", .fn = fail_then_broken },
	{ .name = "selftest_skip_then_broken_is_BROKEN",
	  .fn = skips,
	  .fixture = &fx_teardown_breaks },
	{ .name = "selftest_skip_then_fail_is_FAIL", .fn = skips, .fixture = &fx_teardown_fails },
	{ .name = "selftest_broken_then_fail_is_FAIL",
	  .fn = never_runs,
	  .fixture = &fx_broken_then_fail },
	{ .name = "selftest_broken_then_skip_is_BROKEN",
	  .fn = never_runs,
	  .fixture = &fx_broken_then_skip },
	{ .name = "selftest_waived_check_fails_is_XFAIL",
	  .fn = waived_check_fails,
	  .checks = WAIVED_CHECKS },
	{ .name = "selftest_unrelated_failure_in_waived_case_is_FAIL",
	  .fn = unrelated_failure_in_waived_case,
	  .checks = WAIVED_CHECKS },
	{ .name = "selftest_unnamed_failure_in_waived_case_is_FAIL",
	  .fn = unnamed_failure_in_waived_case,
	  .checks = WAIVED_CHECKS },
	{ .name = "selftest_safety_failure_in_waived_case_is_FAIL",
	  .fn = safety_failure_in_waived_case,
	  .checks = WAIVED_CHECKS },
	{ .name = "selftest_waiver_out_of_kernel_range_is_FAIL",
	  .fn = waived_check_fails,
	  .checks = WAIVED_CHECKS },
	{ .name = "selftest_stale_waiver_is_PASS",
	  .fn = waived_check_passes,
	  .checks = WAIVED_CHECKS },
	{ .name = "selftest_undeclared_check_is_BROKEN", .fn = undeclared_check },
	{ .name = "selftest_reference_differs_is_CHANGED",
	  .fn = reference_differs,
	  .checks = REF_CHECKS },
	{ .name = "selftest_reference_and_requirement_differ_is_FAIL",
	  .fn = reference_and_requirement_differ,
	  .checks = REF_CHECKS },
	{ .name = "selftest_global_knob_changed_then_hang_is_ERROR",
	  .fn = global_knob_changed_then_hang,
	  .globals = SELFTEST_GLOBALS },
	{ .name = "selftest_global_knob_restored_is_PASS",
	  .fn = global_knob_restored,
	  .globals = SELFTEST_GLOBALS },
	{ .name = "selftest_undeclared_global_knob_write_is_BROKEN",
	  .fn = undeclared_global_write },
	{ .name = "selftest_undeclared_sysctl_written_directly_is_BROKEN",
	  .fn = undeclared_sysctl_write },
	{ .name = "selftest_kernel_death_is_ERROR", .fn = kernel_death_is_error },
	{ .name = "selftest_after_kernel_death_is_PASS", .fn = runs_after_kernel_death },
	{ .name = "selftest_stalled_guest_is_ERROR", .fn = stalled_guest_is_error },
	{ .name = "selftest_after_stalled_guest_is_PASS", .fn = runs_after_kernel_death },
};

PST_SUITE(pst_suite_selftest, "selftest", "the harness itself (not a document)", cases);
