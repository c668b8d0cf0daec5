/*
 * Network namespaces (CVE-2017-15115): a peeloff asked for by a thread whose
 * network namespace is not the socket's gives EINVAL and changes nothing;
 * from the socket's own namespace the same call works. REF-NETNS in
 * suites/requirements/REFERENCES.md (CVE-2017-15115, fixed by df80cd9b28b9,
 * v4.14-rc6). Before the fix the association moved to a socket of
 * the caller's namespace while its transports stayed hashed in the old one (a
 * use-after-free), so a SUCCESS from the wrong namespace is the regression.
 *
 * The sut lives in the server namespace, where the case's thread starts; the
 * client namespace, where the peers live, is "the other one".
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../fixtures/assoc.h"
#include "../fixtures/io.h"
#include "../harness/runner/iut.h"
#include "suites.h"

#define NETNS_TAGS "CVE-2017-15115 linux-git:df80cd9b28b9"
#define NETNS_REQS "IMPL-LNX-NETNS"

static const char *side_name(enum pst_side side)
{
	return side == PST_CLIENT ? "client" : "server";
}

static void linux_only(const struct pst_ctx *ctx)
{
	if (ctx->profile != PST_PROFILE_LINUX)
		pst_skip("only the linux profile documents this: network namespaces are a Linux "
			 "facility the Solaris page and RFC 6458 do not know");
}

/*
 * The raw PEELOFF_FLAGS entry needs SCTP_SOCKOPT_PEELOFF_FLAGS (Linux >= 4.13):
 * SKIP where the kernel answers an id-0 probe with ENOPROTOOPT.
 */
static void need_entry(const struct pst_ctx *ctx, int sd)
{
	int r;

	if (ctx->entry != PST_ENTRY_RAW_FLAGS)
		return;
	r = pst_raw_peeloff_flags(sd, 0, 0);
	if (r >= 0)
		close(r);
	else if (errno == ENOPROTOOPT)
		pst_skip("the kernel has no SCTP_SOCKOPT_PEELOFF_FLAGS (ENOPROTOOPT; it exists "
			 "from Linux 4.13): IMPL-LNX-FLAGS-KERNEL");
}

/* The reason a setns() failed, as a SKIP where it is the missing privilege. */
static _Noreturn void enter_failed(enum pst_side side, int err)
{
	if (err == EPERM)
		pst_skip("setns() into the %s netns needs CAP_SYS_ADMIN, which this process lacks "
			 "(EPERM)",
			 side_name(side));
	pst_broken("setns() into the %s netns: %s", side_name(side), pst_errname(err));
}

/* Move the calling thread into one side's namespace, or SKIP/BROKEN. */
static void enter(const struct pst_ctx *ctx, enum pst_side side)
{
	if (pst_topo_enter(ctx->topo, side) < 0)
		enter_failed(side, errno);
}

/* Whether the calling thread is in one side's namespace (same nsfs inode). */
static bool thread_in(const struct pst_ctx *ctx, enum pst_side side)
{
	struct stat mine, theirs;

	PST_SAFE(stat("/proc/thread-self/ns/net", &mine));
	PST_SAFE(fstat(ctx->topo->nsfd[side], &theirs));
	return mine.st_dev == theirs.st_dev && mine.st_ino == theirs.st_ino;
}

/* Nothing lost: the association still on the sut, carrying data; no descriptor more. */
static void expect_untouched(struct pst_assoc_fx *fx, int fds_before, const char *after)
{
	char what[160];
	int state;

	snprintf(what, sizeof(what), "open descriptors after %s", after);
	PST_EXPECT_EQ(pst_count_fds(), fds_before, what);
	errno = 0;
	state = pst_assoc_state(fx->sut, fx->id[0]);
	PST_EXPECT(state == SCTP_ESTABLISHED,
		   "SCTP_STATUS of the association on the original socket after %s: expected "
		   "SCTP_ESTABLISHED (%d), got %d (%s)",
		   after, SCTP_ESTABLISHED, state,
		   state < 0 ? pst_errname(errno) : "another state");
	snprintf(what, sizeof(what), "the association on the original socket after %s", after);
	pst_expect_exchange(fx->sut, fx->id[0], fx->peer[0], what);
}

/* ---- (a) The calling thread setns()'d into the other namespace (REF-NETNS). ---- */

static void from_other_netns_gives_EINVAL(struct pst_ctx *ctx)
{
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	int before = pst_count_fds(), r, e;

	linux_only(ctx);
	need_entry(ctx, fx->sut);
	enter(ctx, PST_CLIENT);
	errno = 0;
	r = pst_peel(ctx, fx->sut, fx->id[0]);
	e = errno;
	enter(ctx, PST_SERVER);
	pst_check_errno_at(__FILE__, __LINE__, false,
			   "peeloff of a valid id by a thread in the client netns (the socket "
			   "lives in the server netns)",
			   r, e, EINVAL);
	if (r >= 0)
		close(r);
	expect_untouched(fx, before, "the call from the other netns");
}

/* ---- (a) Back in the socket's namespace, the same call works (REF-NETNS). ---- */

static void back_in_socket_netns_succeeds(struct pst_ctx *ctx)
{
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	int r, e, p;

	linux_only(ctx);
	need_entry(ctx, fx->sut);
	enter(ctx, PST_CLIENT);
	errno = 0;
	r = pst_peel(ctx, fx->sut, fx->id[0]);
	e = errno;
	enter(ctx, PST_SERVER);
	if (r >= 0)
		close(r);
	pst_check_errno_at(__FILE__, __LINE__, true,
			   "first, peeloff by a thread in the client netns", r, e, EINVAL);

	errno = 0;
	p = pst_peel(ctx, fx->sut, fx->id[0]);
	pst_check_ok_at(__FILE__, __LINE__, true,
			"the same peeloff after the thread returned to the server netns", p, errno);
	PST_EXPECT_ERRNO(pst_assoc_state(fx->sut, fx->id[0]), EINVAL);
	pst_expect_exchange(p, 0, fx->peer[0], "the peeled socket <-> its peer");
	close(p);
}

/*
 * No case asks with an invalid id (0, or one nobody owns) from the other
 * namespace: it gives EINVAL whether the kernel checks the namespace or not
 * (an unknown id is refused too), so it cannot tell the CVE-2017-15115 fix is
 * there. The cases above and below ask with the association's valid id,
 * which only the namespace check refuses.
 */

/* ---- (b) A second thread in the other namespace (REF-NETNS). ---- */

struct thread_job {
	const struct pst_ctx *ctx;
	int sut;
	sctp_assoc_t id;
	int enter_rc, enter_err; /* its setns() */
	int rc, err;		 /* its peeloff */
};

/* No pst_* assertion here: CUnit and the channel belong to the case's thread. */
static void *peel_from_client_netns(void *arg)
{
	struct thread_job *j = arg;

	errno = 0;
	j->enter_rc = pst_topo_enter(j->ctx->topo, PST_CLIENT);
	j->enter_err = errno;
	if (j->enter_rc < 0)
		return NULL;
	errno = 0;
	j->rc = pst_peel(j->ctx, j->sut, j->id);
	j->err = errno;
	return NULL;
}

static void second_thread_in_other_netns_gives_EINVAL(struct pst_ctx *ctx)
{
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	struct thread_job job = { .ctx = ctx, .sut = fx->sut, .id = fx->id[0], .rc = -1 };
	int before = pst_count_fds(), err, p;
	pthread_t t;

	linux_only(ctx);
	err = pthread_create(&t, NULL, peel_from_client_netns, &job);
	if (err)
		pst_broken("pthread_create: %s", pst_errname(err));
	err = pthread_join(t, NULL);
	if (err)
		pst_broken("pthread_join: %s", pst_errname(err));
	if (job.enter_rc < 0)
		enter_failed(PST_CLIENT, job.enter_err);
	if (!thread_in(ctx, PST_SERVER))
		pst_broken("the main thread left the server netns: the case cannot tell whose "
			   "netns counts");
	pst_check_errno_at(__FILE__, __LINE__, false,
			   "peeloff by a second thread in the client netns (the main thread and "
			   "the socket are in the server netns)",
			   job.rc, job.err, EINVAL);
	if (job.rc >= 0)
		close(job.rc);
	expect_untouched(fx, before, "the second thread's call");
	/* The main thread, which never left the socket's namespace, may. */
	errno = 0;
	p = pst_peel(ctx, fx->sut, fx->id[0]);
	pst_check_ok_at(__FILE__, __LINE__, false,
			"the same peeloff by the main thread, in the server netns", p, errno);
	if (p >= 0) {
		pst_expect_exchange(p, 0, fx->peer[0], "the peeled socket <-> its peer");
		close(p);
	}
}

/* ---- (c) The socket passed with SCM_RIGHTS to a child in the other namespace (7.6). ---- */

/* What the child tells the case, one record per step. */
struct step_report {
	int enter_rc, enter_err; /* its setns() */
	int rc, err;		 /* its peeloff */
};

/* The case's word to the child to take the next step. */
#define GO_ON 'g'

/* Send buf, with fd attached as SCM_RIGHTS when fd >= 0. */
static int send_with_fd(int chan, const void *buf, size_t len, int fd)
{
	union {
		char b[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} cbuf;
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };

	if (fd >= 0) {
		struct cmsghdr *c;

		memset(&cbuf, 0, sizeof(cbuf));
		m.msg_control = cbuf.b;
		m.msg_controllen = sizeof(cbuf.b);
		c = CMSG_FIRSTHDR(&m);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	return sendmsg(chan, &m, MSG_NOSIGNAL) == (ssize_t)len ? 0 : -1;
}

/*
 * Receive exactly len bytes within the timeout (timeout_ms < 0: no limit),
 * and the descriptor passed with them into *fd (-1 if none).
 */
static int recv_with_fd(int chan, void *buf, size_t len, int *fd, int timeout_ms)
{
	union {
		char b[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} cbuf;
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr m = { .msg_iov = &iov,
			    .msg_iovlen = 1,
			    .msg_control = cbuf.b,
			    .msg_controllen = sizeof(cbuf.b) };
	struct pollfd pfd = { .fd = chan, .events = POLLIN };
	struct cmsghdr *c;
	ssize_t n;

	*fd = -1;
	if (poll(&pfd, 1, timeout_ms) != 1) {
		errno = ETIMEDOUT;
		return -1;
	}
	n = recvmsg(chan, &m, MSG_CMSG_CLOEXEC);
	for (c = CMSG_FIRSTHDR(&m); n >= 0 && c; c = CMSG_NXTHDR(&m, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
			memcpy(fd, CMSG_DATA(c), sizeof(int));
	if (n != (ssize_t)len) {
		if (n >= 0)
			errno = EPROTO;
		return -1;
	}
	return 0;
}

/*
 * The child: gets the sut and the id, peels from the client namespace and
 * reports; on GO_ON peels from the server namespace and passes the new
 * descriptor back with its report. Only _exit(), never the case API.
 */
static _Noreturn void child_peels(const struct pst_ctx *ctx, int chan)
{
	struct step_report rep = { 0 };
	sctp_assoc_t id;
	int sd, ignored;
	char go;

	if (recv_with_fd(chan, &id, sizeof(id), &sd, -1) < 0 || sd < 0)
		_exit(1);
	errno = 0;
	rep.enter_rc = pst_topo_enter(ctx->topo, PST_CLIENT);
	rep.enter_err = errno;
	if (rep.enter_rc == 0) {
		errno = 0;
		rep.rc = pst_peel(ctx, sd, id);
		rep.err = errno;
		if (rep.rc >= 0)
			close(rep.rc);
	}
	if (send_with_fd(chan, &rep, sizeof(rep), -1) < 0 ||
	    recv_with_fd(chan, &go, sizeof(go), &ignored, -1) < 0 || go != GO_ON)
		_exit(1);
	memset(&rep, 0, sizeof(rep));
	errno = 0;
	rep.enter_rc = pst_topo_enter(ctx->topo, PST_SERVER);
	rep.enter_err = errno;
	rep.rc = -1;
	if (rep.enter_rc == 0) {
		errno = 0;
		rep.rc = pst_peel(ctx, sd, id);
		rep.err = errno;
	}
	_exit(send_with_fd(chan, &rep, sizeof(rep), rep.rc) < 0 ? 1 : 0);
}

static void passed_fd_follows_the_holder_netns(struct pst_ctx *ctx)
{
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	struct step_report rep;
	int sv[2], before, status, none, p;
	const char go = GO_ON;
	pid_t pid;

	linux_only(ctx);
	PST_SAFE(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
	pid = (pid_t)PST_SAFE(fork());
	if (pid == 0) {
		close(sv[0]);
		child_peels(ctx, sv[1]);
	}
	close(sv[1]);
	PST_SAFE(send_with_fd(sv[0], &fx->id[0], sizeof(fx->id[0]), fx->sut));

	/* Step 1: the child, holding the sut, in the client namespace. */
	before = pst_count_fds();
	if (recv_with_fd(sv[0], &rep, sizeof(rep), &none, PST_IO_TIMEOUT_MS) < 0)
		pst_broken("the child's first report: %s", pst_errname(errno));
	if (rep.enter_rc < 0)
		enter_failed(PST_CLIENT, rep.enter_err);
	pst_check_errno_at(__FILE__, __LINE__, false,
			   "peeloff by a child process in the client netns holding the socket "
			   "(passed with SCM_RIGHTS; the socket lives in the server netns)",
			   rep.rc, rep.err, EINVAL);
	expect_untouched(fx, before, "the child's call from the other netns");

	/* Step 2: the same child, back in the socket's namespace. */
	PST_SAFE(send_with_fd(sv[0], &go, sizeof(go), -1));
	if (recv_with_fd(sv[0], &rep, sizeof(rep), &p, PST_IO_TIMEOUT_MS) < 0)
		pst_broken("the child's second report: %s", pst_errname(errno));
	if (rep.enter_rc < 0)
		enter_failed(PST_SERVER, rep.enter_err);
	pst_check_ok_at(__FILE__, __LINE__, false,
			"the child's peeloff after it setns()'d into the server netns", rep.rc,
			rep.err);
	if (rep.rc >= 0) {
		PST_EXPECT(p >= 0, "the child's peeled descriptor: expected it passed back with "
				   "SCM_RIGHTS, got none");
		if (p >= 0)
			pst_expect_exchange(p, 0, fx->peer[0],
					    "the child's peeled socket <-> its peer");
	}
	if (p >= 0)
		close(p);
	close(sv[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			pst_broken("waitpid(the child): %s", pst_errname(errno));
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		pst_broken("the child ended with wait status 0x%x", (unsigned)status);
}

static const struct pst_case cases[] = {
	{ .name = "peeloff_from_another_netns_gives_EINVAL",
	  .fn = from_other_netns_gives_EINVAL,
	  .fixture = &pst_fx_assoc1,
	  .axes = PST_AXIS_FAMILY | PST_AXIS_ENTRY,
	  .reqs = NETNS_REQS,
	  .tags = NETNS_TAGS },
	{ .name = "peeloff_back_in_the_socket_netns_succeeds",
	  .fn = back_in_socket_netns_succeeds,
	  .fixture = &pst_fx_assoc1,
	  .axes = PST_AXIS_FAMILY | PST_AXIS_ENTRY,
	  .reqs = NETNS_REQS,
	  .tags = NETNS_TAGS },
	{ .name = "peeloff_by_a_second_thread_in_another_netns_gives_EINVAL",
	  .fn = second_thread_in_other_netns_gives_EINVAL,
	  .fixture = &pst_fx_assoc1,
	  .axes = PST_AXIS_FAMILY,
	  .reqs = NETNS_REQS,
	  .tags = NETNS_TAGS },
	{ .name = "peeloff_of_a_passed_fd_gives_EINVAL_in_another_netns_and_works_back_home",
	  .fn = passed_fd_follows_the_holder_netns,
	  .fixture = &pst_fx_assoc1,
	  .axes = PST_AXIS_FAMILY,
	  .reqs = NETNS_REQS,
	  .tags = NETNS_TAGS },
};

PST_SUITE(pst_suite_netns, "peeloff_netns", "Network namespaces (CVE-2017-15115)", cases);
