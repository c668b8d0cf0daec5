/*
 * sctp_peeloff_flags(): the flags of the new descriptor. Linux sctp_peeloff(3)
 * DESCRIPTION ("Currently the supported flags are: SOCK_NONBLOCK,
 * SOCK_CLOEXEC") and NOTES; REF-FLAGS, REF-FLAGS-UNKNOWN, REF-NO-INHERIT and
 * REF-PEELOFF-FLAGS-KERNEL in suites/requirements/REFERENCES.md.
 *
 * Only the flags entry points take flags: plain sctp_peeloff() and the raw
 * SCTP_SOCKOPT_PEELOFF have no such argument. So the flags cases do not use
 * the entry axis; each is written once and listed twice, ".../sctp_peeloff_
 * flags" (libsctp) and ".../raw_PEELOFF_FLAGS" (the kernel's getsockopt,
 * which carries the checks where libsctp.so.1 does not export the function).
 * What the original descriptor's flags do to a plain peeloff (IMPL-LNX-
 * NOINHERIT) does run over all four entry points.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../fixtures/assoc.h"
#include "../fixtures/io.h"
#include "../fixtures/waiters.h"
#include "../harness/runner/iut.h"
#include "suites.h"

/* The shell a child execs to look at its inherited descriptors. */
#define SHELL_PATH	"/bin/sh"
#define SH_FD_OPEN	0   /* `test -S` true: the fd is there, a socket */
#define SH_FD_GONE	1   /* `test -S` false */
#define SH_CONTROL_GONE 2   /* the control fd (no CLOEXEC) is missing: the probe is broken */
#define EXEC_FAILED	127 /* as the shell says for a command it cannot run */

/* What the peer sends to end a recv() that blocks. */
#define WAKE_MSG "wake-up"

/* SCTP_SOCKOPT_PEELOFF_FLAGS exists from this kernel (2cb5c8e378d1). */
#define FLAGS_KERNEL_MAJOR 4
#define FLAGS_KERNEL_MINOR 13

/* A peeled socket's F_GETFL is O_RDWR, plus O_NONBLOCK (REF-FLAGS): flags never change it. */
#define PEELED_ACCMODE O_RDWR

/* Unknown bits, as REF-FLAGS-UNKNOWN tried them. */
#define BIT_0	    0x1u
#define BIT_30	    0x40000000u
#define BIT_31	    0x80000000u
#define ALL_BITS    0xffffffffu
#define KNOWN_FLAGS ((unsigned)SOCK_NONBLOCK | (unsigned)SOCK_CLOEXEC)

static void linux_only(const struct pst_ctx *ctx)
{
	if (ctx->profile != PST_PROFILE_LINUX)
		pst_skip("only the linux profile documents sctp_peeloff_flags: the Solaris page "
			 "and RFC 6458 document no flags variant");
}

/*
 * SKIP on a kernel without SCTP_SOCKOPT_PEELOFF_FLAGS (Linux < 4.13): probed
 * with id 0, which no kernel peels (EINVAL where the option exists).
 */
static void need_flags_sockopt(int sd)
{
	int r = pst_raw_peeloff_flags(sd, 0, 0);

	if (r >= 0)
		close(r); /* a bug of its own (peeloff_errors checks id 0), not this case's */
	else if (errno == ENOPROTOOPT)
		pst_skip("the kernel has no SCTP_SOCKOPT_PEELOFF_FLAGS (getsockopt gives "
			 "ENOPROTOOPT; it exists from Linux %d.%d): IMPL-LNX-FLAGS-KERNEL",
			 FLAGS_KERNEL_MAJOR, FLAGS_KERNEL_MINOR);
}

/* The IUT's plain sctp_peeloff(), whatever the case's entry point. */
static int peel_plain(const struct pst_ctx *ctx, int sd, sctp_assoc_t id)
{
	struct pst_ctx c = *ctx;

	c.entry = PST_ENTRY_PEELOFF;
	return pst_peel(&c, sd, id);
}

/* F_GETFL bits by name: "O_RDWR|O_NONBLOCK". */
static const char *fl_names(int fl, char *buf, size_t len)
{
	static const struct {
		int bit;
		const char *name;
	} bits[] = { { O_NONBLOCK, "O_NONBLOCK" }, { O_APPEND, "O_APPEND" },
		     { O_ASYNC, "O_ASYNC" },	   { O_DIRECT, "O_DIRECT" },
		     { O_NOATIME, "O_NOATIME" },   { O_SYNC, "O_SYNC" } };
	int acc = fl & O_ACCMODE, rest = fl & ~O_ACCMODE;
	size_t used;

	used = (size_t)snprintf(buf, len, "%s",
				acc == O_RDWR	  ? "O_RDWR"
				: acc == O_WRONLY ? "O_WRONLY"
				: acc == O_RDONLY ? "O_RDONLY"
						  : "O_ACCMODE");
	for (size_t i = 0; i < PST_ARRAY_SIZE(bits) && used < len; i++) {
		if ((rest & bits[i].bit) != bits[i].bit)
			continue;
		used += (size_t)snprintf(buf + used, len - used, "|%s", bits[i].name);
		rest &= ~bits[i].bit;
	}
	if (rest && used < len)
		snprintf(buf + used, len - used, "|0x%x", (unsigned)rest);
	return buf;
}

/*
 * F_GETFL's bits in mask are those of want. The O_NONBLOCK bit and the
 * others are asked apart: a flag asked for and a flag nobody asked for are
 * different checks.
 */
static void expect_getfl_bits(int fd, int mask, int want, const char *what)
{
	int fl = fcntl(fd, F_GETFL);
	char wb[128], gb[128];

	if (fl < 0)
		pst_fail_at(__FILE__, __LINE__, false, "%s: F_GETFL: expected %s, got %s", what,
			    fl_names(want, wb, sizeof(wb)), pst_errname(errno));
	else if ((fl & mask) != want)
		pst_fail_at(
		    __FILE__, __LINE__, false, "%s: F_GETFL: expected %s (0x%x), got %s (0x%x)",
		    what, fl_names(want | (fl & ~mask), wb, sizeof(wb)),
		    (unsigned)(want | (fl & ~mask)), fl_names(fl, gb, sizeof(gb)), (unsigned)fl);
}

/* O_NONBLOCK exactly when nonblock. */
static void expect_nonblock(int fd, bool nonblock, const char *what)
{
	expect_getfl_bits(fd, O_NONBLOCK, nonblock ? O_NONBLOCK : 0, what);
}

/* No bit but O_RDWR (and O_NONBLOCK, asked apart). */
static void expect_no_other_fl(int fd, const char *what)
{
	expect_getfl_bits(fd, ~O_NONBLOCK, PEELED_ACCMODE, what);
}

/* F_GETFL is exactly O_RDWR, plus O_NONBLOCK when nonblock: no other bit. */
static void expect_getfl(int fd, bool nonblock, const char *what)
{
	expect_nonblock(fd, nonblock, what);
	expect_no_other_fl(fd, what);
}

/* F_GETFD is FD_CLOEXEC exactly when cloexec. */
static void expect_getfd(int fd, bool cloexec, const char *what)
{
	int fdfl = fcntl(fd, F_GETFD);

	if (fdfl < 0)
		pst_fail_at(__FILE__, __LINE__, false, "%s: F_GETFD: expected %s, got %s", what,
			    cloexec ? "FD_CLOEXEC" : "0", pst_errname(errno));
	else if ((fdfl & FD_CLOEXEC) != (cloexec ? FD_CLOEXEC : 0))
		pst_fail_at(__FILE__, __LINE__, false, "%s: F_GETFD: expected %s, got %s", what,
			    cloexec ? "FD_CLOEXEC" : "0 (no FD_CLOEXEC)",
			    fdfl & FD_CLOEXEC ? "FD_CLOEXEC" : "0 (no FD_CLOEXEC)");
}

/*
 * recv() without MSG_DONTWAIT on fd, with nothing queued, in a thread. A
 * non-blocking fd returns -1 EAGAIN without the thread ever sleeping; a
 * blocking one sleeps in SCTP's receive wait, as the kernel shows (state S,
 * wchan or stack: waiters.h), until the peer sends WAKE_MSG, which that
 * recv() then returns. The peer's message ends any wait, so nothing is left
 * blocked; the deadlines only turn a hang into a message.
 */
static void expect_recv_on_empty(int fd, int peer, bool nonblock, const char *what)
{
	static struct pst_waiter w; /* the thread writes into it: it must outlive the case body */
	char how[128];
	enum pst_sleep s;
	bool blocked, joined;

	memset(&w, 0, sizeof(w));
	pst_waiter_start(&w, fd, 0, pst_waiter_recv_main);
	s = pst_waiter_settle(&w, pst_recv_wait_frames, PST_REACH_MS, how, sizeof(how));
	blocked = s != PST_NOT_ASLEEP;
	pst_log("%s: recv() on the empty socket: %s", what, how);
	if (!atomic_load(&w.done))
		PST_SAFE(pst_send(peer, 0, WAKE_MSG, sizeof(WAKE_MSG)));
	joined = pst_waiter_join(&w, PST_WAKE_MS);
	if (nonblock) {
		if (blocked)
			pst_fail_at(__FILE__, __LINE__, false,
				    "%s: recv() on an empty non-blocking socket: expected -1 with "
				    "EAGAIN at once, got it asleep in the call (%s): it blocked",
				    what, how);
		else if (!joined || w.ret >= 0 || (w.err != EAGAIN && w.err != EWOULDBLOCK))
			pst_fail_at(__FILE__, __LINE__, false,
				    "%s: recv() on an empty non-blocking socket: expected -1 with "
				    "EAGAIN at once, got %s",
				    what, joined ? how : "neither a return nor a sleep");
		return;
	}
	if (!blocked) {
		pst_fail_at(__FILE__, __LINE__, false,
			    "%s: recv() on an empty blocking socket: expected it to block (asleep "
			    "in SCTP's receive wait), got %s%s",
			    what, how, atomic_load(&w.done) ? " at once: it did not block" : "");
		return;
	}
	PST_EXPECT(joined && w.ret == (ssize_t)sizeof(WAKE_MSG) &&
		       memcmp(w.buf, WAKE_MSG, sizeof(WAKE_MSG)) == 0,
		   "%s: the recv() that blocked on the empty socket: expected the peer's '%s' "
		   "once it was sent, got %s",
		   what, WAKE_MSG,
		   !joined     ? "still blocked"
		   : w.ret < 0 ? pst_errname(w.err)
			       : "other bytes");
}

/*
 * Whether fd is still open, as a socket, in a program exec'ed by a child
 * (/bin/sh looking at /proc/self/fd). control: a descriptor without
 * FD_CLOEXEC that must be there, so a broken probe is BROKEN, not a verdict.
 */
static bool open_after_exec(int fd, int control)
{
	char script[128];
	int status;
	pid_t pid;

	snprintf(script, sizeof(script),
		 "test -S /proc/self/fd/%d || exit %d; test -S /proc/self/fd/%d", control,
		 SH_CONTROL_GONE, fd);
	pid = (pid_t)PST_SAFE(fork());
	if (pid == 0) {
		execl(SHELL_PATH, "sh", "-c", script, (char *)NULL);
		_exit(EXEC_FAILED);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			pst_broken("waitpid(%s child): %s", SHELL_PATH, pst_errname(errno));
	if (!WIFEXITED(status))
		pst_broken("%s -c '%s': killed by signal %d", SHELL_PATH, script, WTERMSIG(status));
	switch (WEXITSTATUS(status)) {
	case SH_FD_OPEN:
		return true;
	case SH_FD_GONE:
		return false;
	case SH_CONTROL_GONE:
		pst_broken("%s -c '%s': the control socket %d (no FD_CLOEXEC) is not visible after "
			   "exec: the probe cannot tell",
			   SHELL_PATH, script, control);
	default:
		pst_broken("%s -c '%s': exit status %d (could not run it)", SHELL_PATH, script,
			   WEXITSTATUS(status));
	}
}

/* ---- The flags and what F_GETFL / F_GETFD show (REF-FLAGS, REF-FLAGS-UNKNOWN). ---- */

struct flags_row {
	unsigned flags;
	bool nonblock, cloexec; /* what the new descriptor must show */
};

/*
 * The page documents SOCK_NONBLOCK and SOCK_CLOEXEC; what other bits do is
 * what Linux was seen to do (REF-FLAGS-UNKNOWN: accepted, no effect), so a
 * row with unknown bits checks that as reference behaviour.
 */
static void verify_fd_flags(struct pst_ctx *ctx)
{
	const struct flags_row *row = ctx->param;
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	bool unknown = (row->flags & ~KNOWN_FLAGS) != 0;
	char what[96];
	int before, p;

	linux_only(ctx);
	need_flags_sockopt(fx->sut);
	snprintf(what, sizeof(what), "%s(flags 0x%x)", pst_entry_name(ctx->entry), row->flags);
	before = pst_count_fds();
	errno = 0;
	p = pst_peel_flags(ctx, fx->sut, fx->id[0], row->flags);
	pst_check(ctx, unknown ? "unknown_bits_accepted" : "succeeds");
	pst_check_ok_at(__FILE__, __LINE__, true, what, p, errno);
	pst_check(ctx, "one_new_descriptor");
	PST_EXPECT_EQ(pst_count_fds(), before + 1, "open descriptors after the peeloff");
	pst_check(ctx, "known_flags_honoured");
	expect_nonblock(p, row->nonblock, what);
	expect_getfd(p, row->cloexec, what);
	pst_check(ctx, unknown ? "unknown_bits_no_effect" : "no_other_file_flags");
	expect_no_other_fl(p, what);
	/* Whatever the flags, the new descriptor is the association's (REF-FLAGS). */
	pst_check(ctx, "new_socket_is_the_association");
	pst_expect_exchange(p, 0, fx->peer[0], "the peeled socket <-> its peer");
	close(p);
}

static const struct flags_row fl_zero = { 0, false, false };
static const struct flags_row fl_nonblock = { SOCK_NONBLOCK, true, false };
static const struct flags_row fl_cloexec = { SOCK_CLOEXEC, false, true };
static const struct flags_row fl_both = { KNOWN_FLAGS, true, true };
static const struct flags_row fl_bit0 = { BIT_0, false, false };
static const struct flags_row fl_append = { O_APPEND, false, false };
static const struct flags_row fl_async = { O_ASYNC, false, false };
static const struct flags_row fl_bit30 = { BIT_30, false, false };
static const struct flags_row fl_bit31 = { BIT_31, false, false };
static const struct flags_row fl_all = { ALL_BITS, true, true };
static const struct flags_row fl_bit0_nonblock = { BIT_0 | SOCK_NONBLOCK, true, false };
static const struct flags_row fl_bit30_cloexec = { BIT_30 | SOCK_CLOEXEC, false, true };

/* ---- recv() on an empty peeled socket (REF-FLAGS). ---- */

static void verify_recv(struct pst_ctx *ctx)
{
	const struct flags_row *row = ctx->param;
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	char what[96];
	int p;

	linux_only(ctx);
	need_flags_sockopt(fx->sut);
	snprintf(what, sizeof(what), "%s(flags 0x%x)", pst_entry_name(ctx->entry), row->flags);
	errno = 0;
	p = pst_peel_flags(ctx, fx->sut, fx->id[0], row->flags);
	pst_check_ok_at(__FILE__, __LINE__, true, what, p, errno);
	expect_recv_on_empty(p, fx->peer[0], row->nonblock, what);
	close(p);
}

/* ---- The descriptor across exec (REF-FLAGS). ---- */

static void verify_exec(struct pst_ctx *ctx)
{
	const struct flags_row *row = ctx->param;
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	char what[96];
	bool open;
	int p;

	linux_only(ctx);
	need_flags_sockopt(fx->sut);
	snprintf(what, sizeof(what), "%s(flags 0x%x)", pst_entry_name(ctx->entry), row->flags);
	errno = 0;
	p = pst_peel_flags(ctx, fx->sut, fx->id[0], row->flags);
	pst_check_ok_at(__FILE__, __LINE__, true, what, p, errno);
	/* The sut was made without SOCK_CLOEXEC: the control the child must see. */
	open = open_after_exec(p, fx->sut);
	PST_EXPECT(open == !row->cloexec,
		   "%s: descriptor %d in a program exec'ed by a child: expected it %s, got it %s",
		   what, p, row->cloexec ? "closed (SOCK_CLOEXEC)" : "still open (no SOCK_CLOEXEC)",
		   open ? "still open" : "closed");
	close(p);
}

/* ---- flags 0 is plain sctp_peeloff (LNX-FLAGS-VARIANT). ---- */

static void flags_0_behaves_as_sctp_peeloff(struct pst_ctx *ctx)
{
	static const struct {
		int level, name;
		const char *what;
	} opts[] = { { SOL_SOCKET, SO_TYPE, "SO_TYPE" },
		     { SOL_SOCKET, SO_DOMAIN, "SO_DOMAIN" },
		     { SOL_SOCKET, SO_PROTOCOL, "SO_PROTOCOL" } };
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	char what[64];
	int pf, pp;

	linux_only(ctx);
	need_flags_sockopt(fx->sut);
	snprintf(what, sizeof(what), "%s(flags 0)", pst_entry_name(ctx->entry));
	errno = 0;
	pf = pst_peel_flags(ctx, fx->sut, fx->id[0], 0);
	pst_check_ok_at(__FILE__, __LINE__, true, what, pf, errno);
	pp = (int)PST_ASSERT_OK(peel_plain(ctx, fx->sut, fx->id[1]));

	PST_EXPECT_EQ(fcntl(pf, F_GETFL), fcntl(pp, F_GETFL),
		      "F_GETFL of the flags-0 descriptor (expected: sctp_peeloff's)");
	PST_EXPECT_EQ(fcntl(pf, F_GETFD), fcntl(pp, F_GETFD),
		      "F_GETFD of the flags-0 descriptor (expected: sctp_peeloff's)");
	for (size_t i = 0; i < PST_ARRAY_SIZE(opts); i++) {
		char w[96];

		snprintf(w, sizeof(w), "%s of the flags-0 socket (expected: sctp_peeloff's)",
			 opts[i].what);
		PST_EXPECT_EQ(pst_sockopt_int(pf, opts[i].level, opts[i].name),
			      pst_sockopt_int(pp, opts[i].level, opts[i].name), w);
	}
	/* Both branched off: gone from the original, carried by the new socket. */
	PST_EXPECT_ERRNO(pst_assoc_state(fx->sut, fx->id[0]), EINVAL);
	PST_EXPECT_ERRNO(pst_assoc_state(fx->sut, fx->id[1]), EINVAL);
	pst_expect_exchange(pf, 0, fx->peer[0], "the flags-0 socket <-> its peer");
	pst_expect_exchange(pp, 0, fx->peer[1], "the sctp_peeloff socket <-> its peer");
	close(pf);
	close(pp);
}

/* ---- It works on Linux: a variant that branches the association off (NOTES). ---- */

static void branches_off_the_association(struct pst_ctx *ctx)
{
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	char what[96];
	int p, state;

	linux_only(ctx);
	need_flags_sockopt(fx->sut);
	snprintf(what, sizeof(what), "%s(SOCK_NONBLOCK|SOCK_CLOEXEC)", pst_entry_name(ctx->entry));
	errno = 0;
	p = pst_peel_flags(ctx, fx->sut, fx->id[0], KNOWN_FLAGS);
	pst_check_ok_at(__FILE__, __LINE__, true, what, p, errno);
	errno = 0;
	state = pst_assoc_state(p, 0);
	PST_EXPECT(state == SCTP_ESTABLISHED,
		   "SCTP_STATUS on the new socket: expected SCTP_ESTABLISHED (%d), got %d (%s)",
		   SCTP_ESTABLISHED, state, state < 0 ? pst_errname(errno) : "another state");
	PST_EXPECT_ERRNO(pst_assoc_state(fx->sut, fx->id[0]), EINVAL);
	pst_expect_exchange(p, 0, fx->peer[0], "the peeled socket <-> its peer");
	close(p);
}

/*
 * That the kernel's option exists from 4.13 (IMPL-LNX-FLAGS-KERNEL) is checked
 * once, by peeloff_raw_getsockopt/raw_PEELOFF_FLAGS_exists_from_linux_4_13.
 */

/* ---- A plain peeloff and the original descriptor's flags (REF-NO-INHERIT). ---- */

struct inherit_row {
	bool set_on_original; /* O_NONBLOCK and FD_CLOEXEC on the sut first */
};

static void verify_noinherit(struct pst_ctx *ctx)
{
	const struct inherit_row *row = ctx->param;
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	char what[96];
	int p;

	if (ctx->profile != PST_PROFILE_LINUX)
		pst_skip("only the linux profile documents the new descriptor's file flags (the "
			 "Solaris page and RFC 6458 are silent; FreeBSD inherits O_NONBLOCK)");
	if (ctx->entry == PST_ENTRY_PEELOFF_FLAGS || ctx->entry == PST_ENTRY_RAW_FLAGS)
		need_flags_sockopt(fx->sut);
	if (row->set_on_original) {
		PST_SAFE(fcntl(fx->sut, F_SETFL, fcntl(fx->sut, F_GETFL) | O_NONBLOCK));
		PST_SAFE(fcntl(fx->sut, F_SETFD, FD_CLOEXEC));
	}
	snprintf(what, sizeof(what), "%s of a%s original", pst_entry_name(ctx->entry),
		 row->set_on_original ? "n O_NONBLOCK, FD_CLOEXEC" : " plain");
	p = (int)PST_ASSERT_OK(pst_peel(ctx, fx->sut, fx->id[0]));
	expect_getfl(p, false, what);
	expect_getfd(p, false, what);
	expect_recv_on_empty(p, fx->peer[0], false, what);
	if (row->set_on_original) {
		/* And the original keeps its own. */
		PST_EXPECT(fcntl(fx->sut, F_GETFL) & O_NONBLOCK,
			   "the original after the peeloff: expected O_NONBLOCK still set, got it "
			   "cleared");
		expect_getfd(fx->sut, true, "the original after the peeloff");
	}
	close(p);
}

static const struct inherit_row orig_plain = { false };
static const struct inherit_row orig_flagged = { true };

/* Each flags case, once per flags entry point (the case name then ends in it). */
#define VIA_CHECKS(cname, cfn, cfx, row, creqs, cchecks)                                      \
	{                                                                                     \
		.name = (cname), .fn = (cfn), .fixture = (cfx), .axes = PST_AXIS_FLAGS_ENTRY, \
		.needs = PST_NEED_PEELOFF_FLAGS_KERNEL, .reqs = (creqs), .param = (row),      \
		.checks = (cchecks)                                                           \
	}
#define VIA(cname, cfn, cfx, row, creqs) VIA_CHECKS(cname, cfn, cfx, row, creqs, NULL)

#define FLAGS_CHECKS                                                                       \
	"succeeds known_flags_honoured no_other_file_flags new_socket_is_the_association " \
	"safety:one_new_descriptor ref:unknown_bits_accepted=REF-FLAGS-UNKNOWN "           \
	"ref:unknown_bits_no_effect=REF-FLAGS-UNKNOWN"
#define FLAGS_ROW(cname, row, creqs) \
	VIA_CHECKS(cname, verify_fd_flags, &pst_fx_assoc1, &(row), creqs, FLAGS_CHECKS)

static const struct pst_case cases[] = {
	FLAGS_ROW("peeloff_flags_0_sets_neither_O_NONBLOCK_nor_FD_CLOEXEC", fl_zero,
		  "LNX-FLAGS-VARIANT"),
	FLAGS_ROW("peeloff_flags_SOCK_NONBLOCK_sets_O_NONBLOCK_only", fl_nonblock,
		  "LNX-FLAGS-NONBLOCK LNX-FLAGS-SUPPORTED"),
	FLAGS_ROW("peeloff_flags_SOCK_CLOEXEC_sets_FD_CLOEXEC_only", fl_cloexec,
		  "LNX-FLAGS-CLOEXEC LNX-FLAGS-SUPPORTED"),
	FLAGS_ROW("peeloff_flags_SOCK_NONBLOCK_SOCK_CLOEXEC_sets_both", fl_both,
		  "LNX-FLAGS-NONBLOCK LNX-FLAGS-CLOEXEC LNX-FLAGS-SUPPORTED"),
	FLAGS_ROW("peeloff_flags_unknown_bit_0x1_is_ignored", fl_bit0, "IMPL-LNX-FLAGS-UNKNOWN"),
	FLAGS_ROW("peeloff_flags_unknown_O_APPEND_is_ignored", fl_append, "IMPL-LNX-FLAGS-UNKNOWN"),
	FLAGS_ROW("peeloff_flags_unknown_O_ASYNC_is_ignored", fl_async, "IMPL-LNX-FLAGS-UNKNOWN"),
	FLAGS_ROW("peeloff_flags_unknown_bit_0x40000000_is_ignored", fl_bit30,
		  "IMPL-LNX-FLAGS-UNKNOWN"),
	FLAGS_ROW("peeloff_flags_unknown_bit_0x80000000_is_ignored", fl_bit31,
		  "IMPL-LNX-FLAGS-UNKNOWN"),
	FLAGS_ROW("peeloff_flags_all_bits_set_honours_only_the_known_flags", fl_all,
		  "IMPL-LNX-FLAGS-UNKNOWN LNX-FLAGS-SUPPORTED"),
	FLAGS_ROW("peeloff_flags_0x1_with_SOCK_NONBLOCK_honours_the_known_bit", fl_bit0_nonblock,
		  "IMPL-LNX-FLAGS-UNKNOWN LNX-FLAGS-NONBLOCK"),
	FLAGS_ROW("peeloff_flags_0x40000000_with_SOCK_CLOEXEC_honours_the_known_bit",
		  fl_bit30_cloexec, "IMPL-LNX-FLAGS-UNKNOWN LNX-FLAGS-CLOEXEC"),

	VIA("peeloff_flags_SOCK_NONBLOCK_recv_on_empty_socket_gives_EAGAIN_at_once", verify_recv,
	    &pst_fx_assoc1, &fl_nonblock, "LNX-FLAGS-NONBLOCK"),
	VIA("peeloff_flags_0_recv_on_empty_socket_blocks", verify_recv, &pst_fx_assoc1, &fl_zero,
	    "LNX-FLAGS-NONBLOCK LNX-FLAGS-VARIANT"),
	VIA("peeloff_flags_SOCK_CLOEXEC_fd_is_closed_across_exec", verify_exec, &pst_fx_assoc1,
	    &fl_cloexec, "LNX-FLAGS-CLOEXEC"),
	VIA("peeloff_flags_0_fd_stays_open_across_exec", verify_exec, &pst_fx_assoc1, &fl_zero,
	    "LNX-FLAGS-CLOEXEC LNX-FLAGS-VARIANT"),

	VIA("peeloff_flags_0_behaves_as_sctp_peeloff", flags_0_behaves_as_sctp_peeloff,
	    &pst_fx_assoc2, NULL, "LNX-FLAGS-VARIANT"),
	VIA("peeloff_flags_branches_off_the_association_on_linux", branches_off_the_association,
	    &pst_fx_assoc1, NULL, "LNX-NOTES-FLAGS LNX-FLAGS-VARIANT"),

	{ .name = "peeloff_plain_sets_neither_O_NONBLOCK_nor_FD_CLOEXEC",
	  .fn = verify_noinherit,
	  .fixture = &pst_fx_assoc1,
	  .axes = PST_AXIS_ENTRY,
	  .reqs = "IMPL-LNX-NOINHERIT",
	  .param = &orig_plain },
	{ .name = "peeloff_does_not_inherit_O_NONBLOCK_or_FD_CLOEXEC",
	  .fn = verify_noinherit,
	  .fixture = &pst_fx_assoc1,
	  .axes = PST_AXIS_ENTRY,
	  .reqs = "IMPL-LNX-NOINHERIT",
	  .param = &orig_flagged },
};

PST_SUITE(pst_suite_flags, "peeloff_flags",
	  "sctp_peeloff_flags: Linux sctp_peeloff(3) DESCRIPTION, NOTES", cases);
