/*
 * Documented errors, as tables: one row per condition, one verify function.
 * Linux sctp_peeloff(3) ERRORS (EBADF, ENOTSOCK, EINVAL), what Linux does
 * where the page is silent (the entries of suites/requirements/REFERENCES.md
 * the rows name: REF-NON-SCTP, REF-OPATH...), Solaris sctp_peeloff(3SOCKET)
 * ERRORS (EOPNOTSUPP, EINVAL), RFC 6458 §9.2 (-1 and some errno).
 *
 * Every row runs on a one-to-many socket with live associations (the
 * fixture) and proves afterwards that nothing was lost: the process has the
 * same open descriptors as before, the fixture's associations and any other
 * association the row set up (one-to-one, peeled) still carry data both ways.
 * Everything is made in the server namespace, where the case thread starts,
 * so no netns mismatch (EINVAL too on Linux) can stand in for the condition.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../fixtures/assoc.h"
#include "../fixtures/descriptors.h"
#include "../fixtures/io.h"
#include "../harness/runner/iut.h"
#include "suites.h"

/* Ports of the extra SCTP sockets some rows make, beside the fixture's PST_SERVER_PORT. */
#define ONE2ONE_PORT  (PST_SERVER_PORT + 1)
#define ONE2MANY_PORT (PST_SERVER_PORT + 2)
#define BACKLOG	      1
/* The first association id Linux hands out (0-2 are FUTURE/CURRENT/ALL). */
#define FIRST_ASSOC_ID 3
/* Ids grow from one system-wide counter: this one is never reached in a test run. */
#define NEVER_ISSUED_ID INT_MAX
/*
 * A supported flag, so that sctp_peeloff_flags() takes its own
 * SCTP_SOCKOPT_PEELOFF_FLAGS path (with 0 it is plain sctp_peeloff()).
 */
#define CALL_FLAGS    SOCK_CLOEXEC
#define MAX_SETUP_FDS 4

/* Which association id a row passes. */
enum id_kind {
	ID_VALID, /* the fixture's live association, on the one-to-many socket */
	ID_ZERO,  /* 0 (SCTP_FUTURE_ASSOC) */
	ID_FIRST, /* FIRST_ASSOC_ID */
	ID_OWN,	  /* the association of sd itself (one-to-one and peeled sockets) */
	ID_OTHER, /* the fixture's second association, still on the one-to-many socket */
	ID_NEVER, /* NEVER_ISSUED_ID */
};

static const char *const id_what[] = {
	[ID_VALID] = "a valid id",
	[ID_ZERO] = "id 0",
	[ID_FIRST] = "id 3",
	[ID_OWN] = "its own association id",
	[ID_OTHER] = "the id of an association of the original socket",
	[ID_NEVER] = "an id never handed out",
};

/* What a row set up: the descriptor to call on and what must survive the call. */
struct target {
	int sd;
	sctp_assoc_t own_id; /* for ID_OWN */
	int moved;	     /* index of the fixture's association peeled off by the setup, or -1 */
	int listener;	     /* >= 0: pair[1] is still waiting in this listener's accept queue */
	int pair[2];	     /* another association that must still carry data, or -1 */
	const char *pair_what;
	int fds[MAX_SETUP_FDS]; /* what the setup opened, closed at the end */
	int nfds;
};

struct errno_row {
	const char *sd_what;				     /* the descriptor, for the message */
	pst_make_fd make_fd;				     /* from descriptors.h, or NULL: */
	void (*make)(struct pst_ctx *ctx, struct target *t); /* built on the fixture */
	enum id_kind id;
	struct pst_errnos expected;
	bool linux_only; /* a condition only the linux profile documents */
};

static int keep(struct target *t, int fd)
{
	if (t->nfds == MAX_SETUP_FDS)
		pst_broken("more than %d setup descriptors", MAX_SETUP_FDS);
	t->fds[t->nfds++] = fd;
	return fd;
}

static void server_addr(int family, unsigned port, struct sockaddr_storage *ss, socklen_t *len)
{
	pst_topo_addr(PST_SERVER, family, 0, ss, len);
	pst_set_port(ss, port);
}

static sctp_assoc_t own_assoc_id(int fd)
{
	struct sctp_status st = { .sstat_assoc_id = 0 };
	socklen_t len = sizeof(st);

	/* On a one-to-one or peeled socket the id is ignored: its one association answers. */
	PST_SAFE(getsockopt(fd, IPPROTO_SCTP, SCTP_STATUS, &st, &len));
	return st.sstat_assoc_id;
}

/* accept() within the I/O timeout: -1 with errno (ETIMEDOUT) if nothing is waiting. */
static int accept_within(int listener)
{
	struct pollfd p = { .fd = listener, .events = POLLIN };
	int r;

	do
		r = poll(&p, 1, PST_IO_TIMEOUT_MS);
	while (r < 0 && errno == EINTR);
	if (r == 0)
		errno = ETIMEDOUT;
	return r > 0 ? accept4(listener, NULL, NULL, SOCK_CLOEXEC) : -1;
}

static void make_sut(struct pst_ctx *ctx, struct target *t)
{
	t->sd = pst_assoc(ctx)->sut;
}

static void make_opath_of_sut(struct pst_ctx *ctx, struct target *t)
{
	t->sd = keep(t, pst_fd_opath_of(pst_assoc(ctx)->sut));
}

static int sctp_socket(struct pst_ctx *ctx, struct target *t, int type)
{
	return keep(t, (int)PST_SAFE(socket(ctx->family, type | SOCK_CLOEXEC, IPPROTO_SCTP)));
}

static int sctp_listener(struct pst_ctx *ctx, struct target *t, int type, unsigned port)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd = sctp_socket(ctx, t, type);

	server_addr(ctx->family, port, &ss, &len);
	PST_SAFE(bind(fd, (struct sockaddr *)&ss, len));
	PST_SAFE(listen(fd, BACKLOG));
	return fd;
}

static void make_one2one_unconnected(struct pst_ctx *ctx, struct target *t)
{
	t->sd = sctp_socket(ctx, t, SOCK_STREAM);
}

static void make_one2one_listening(struct pst_ctx *ctx, struct target *t)
{
	t->sd = sctp_listener(ctx, t, SOCK_STREAM, ONE2ONE_PORT);
}

/*
 * A one-to-one listener and a one-to-one client connected to it, both in the
 * server namespace; the association waits in the accept queue. The client's
 * own id in *client_id.
 */
static int one2one_connect(struct pst_ctx *ctx, struct target *t, sctp_assoc_t *client_id)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int client;

	t->listener = sctp_listener(ctx, t, SOCK_STREAM, ONE2ONE_PORT);
	client = sctp_socket(ctx, t, SOCK_STREAM);
	server_addr(ctx->family, ONE2ONE_PORT, &ss, &len);
	*client_id = (sctp_assoc_t)PST_SAFE(pst_connectx(client, (struct sockaddr *)&ss, 1));
	t->pair[0] = client;
	t->pair_what = "the one-to-one association, after the failed call";
	return client;
}

static void make_one2one_pending(struct pst_ctx *ctx, struct target *t)
{
	sctp_assoc_t client_id;

	one2one_connect(ctx, t, &client_id);
	t->sd = t->listener;
}

/* The one-to-one association, accepted: pair[0] the client, pair[1] the accepted socket. */
static void one2one_established(struct pst_ctx *ctx, struct target *t, sctp_assoc_t *client_id)
{
	one2one_connect(ctx, t, client_id);
	t->pair[1] = keep(t, (int)PST_SAFE(accept_within(t->listener)));
	t->listener = -1;
}

static void make_one2one_client(struct pst_ctx *ctx, struct target *t)
{
	one2one_established(ctx, t, &t->own_id);
	t->sd = t->pair[0];
}

static void make_one2one_accepted(struct pst_ctx *ctx, struct target *t)
{
	sctp_assoc_t client_id;

	one2one_established(ctx, t, &client_id);
	t->sd = t->pair[1];
	t->own_id = own_assoc_id(t->sd);
}

static void make_one2many_unbound(struct pst_ctx *ctx, struct target *t)
{
	t->sd = sctp_socket(ctx, t, SOCK_SEQPACKET);
}

static void make_one2many_listening(struct pst_ctx *ctx, struct target *t)
{
	t->sd = sctp_listener(ctx, t, SOCK_SEQPACKET, ONE2MANY_PORT);
}

/* The fixture's first association, peeled off through the kernel's own getsockopt. */
static void make_peeled(struct pst_ctx *ctx, struct target *t)
{
	struct pst_assoc_fx *fx = pst_assoc(ctx);

	t->sd = keep(t, (int)PST_SAFE(pst_raw_peeloff(fx->sut, fx->id[0])));
	t->own_id = fx->id[0];
	t->moved = 0;
	t->pair[0] = t->sd;
	t->pair[1] = fx->peer[0];
	t->pair_what = "the already peeled socket's association, after the failed call";
}

static sctp_assoc_t pick_id(const struct pst_ctx *ctx, enum id_kind kind, const struct target *t)
{
	const struct pst_assoc_fx *fx = pst_assoc(ctx);

	switch (kind) {
	case ID_VALID:
		return fx->id[0];
	case ID_ZERO:
		return 0;
	case ID_FIRST:
		return FIRST_ASSOC_ID;
	case ID_OWN:
		return t->own_id;
	case ID_OTHER:
		if (fx->npeers < 2)
			pst_broken("the row needs a fixture with two associations");
		return fx->id[1];
	case ID_NEVER:
		return NEVER_ISSUED_ID;
	}
	pst_broken("unknown id kind %d", (int)kind);
}

/* Nothing lost: every association the case set up still carries data both ways. */
static void expect_nothing_lost(const struct pst_ctx *ctx, struct target *t)
{
	const struct pst_assoc_fx *fx = pst_assoc(ctx);
	char what[128];

	for (int i = 0; i < fx->npeers; i++) {
		if (i == t->moved)
			continue;
		snprintf(what, sizeof(what),
			 "association %d of the one-to-many socket, after the failed call", i + 1);
		pst_expect_exchange(fx->sut, fx->id[i], fx->peer[i], what);
	}
	if (t->listener >= 0) {
		int fd = accept_within(t->listener);

		PST_EXPECT(fd >= 0,
			   "the association waiting in the one-to-one listener's accept queue: "
			   "expected accept() to give it after the failed call, got %s",
			   pst_errname(errno));
		if (fd < 0)
			return;
		t->pair[1] = keep(t, fd);
	}
	if (t->pair[0] >= 0)
		pst_expect_exchange(t->pair[0], 0, t->pair[1], t->pair_what);
}

static void verify(struct pst_ctx *ctx)
{
	const struct errno_row *row = ctx->param;
	struct target t = { .sd = -1, .moved = -1, .listener = -1, .pair = { -1, -1 } };
	char what[256];
	sctp_assoc_t id;
	long ret;
	int before, err;

	if (row->linux_only && ctx->profile != PST_PROFILE_LINUX)
		pst_skip("only the linux profile documents what %s gives", row->sd_what);
	if (row->make_fd) {
		t.sd = row->make_fd();
		/* A number that is no open descriptor is not ours to close later. */
		if (fcntl(t.sd, F_GETFD) >= 0)
			keep(&t, t.sd);
	} else {
		row->make(ctx, &t);
	}
	id = pick_id(ctx, row->id, &t);
	snprintf(what, sizeof(what), "%s(%s, %s)", pst_entry_name(ctx->entry), row->sd_what,
		 id_what[row->id]);

	pst_log("%s: sd %d, id %d, flags %#x", what, t.sd, (int)id, (unsigned)CALL_FLAGS);
	before = pst_count_fds();
	errno = 0;
	ret = pst_peel_flags(ctx, t.sd, id, CALL_FLAGS);
	err = errno;
	pst_check(ctx, "fails");
	pst_check_errno_at(__FILE__, __LINE__, false, what, ret, err, PST_ANY_ERRNO);
	/*
	 * Which errno: what the profile's page documents, or where the Linux page is
	 * silent and the row declares it, what Linux was seen to give (a reference).
	 */
	if (ret == -1) {
		pst_check(ctx, ctx->profile == PST_PROFILE_LINUX &&
				       pst_check_class(ctx->tc, "errno_as_linux") == PST_CHECK_REF
				   ? "errno_as_linux"
				   : "errno_documented");
		pst_check_errno_at(__FILE__, __LINE__, false, what, ret, err,
				   pst_expected_errno(ctx, row->expected));
	}
	pst_check(ctx, "descriptors_unchanged");
	PST_EXPECT_EQ(pst_count_fds(), before, "open descriptors after the failed call");
	pst_check(ctx, "nothing_lost");
	expect_nothing_lost(ctx, &t);
	for (int i = 0; i < t.nfds; i++)
		close(t.fds[i]);
}

/*
 * Expected errnos {linux, solaris, rfc6458}. Linux's page names EBADF,
 * ENOTSOCK and EINVAL (a bad id, or a one-to-one socket), REFERENCES.md the
 * rest. Solaris's page names EOPNOTSUPP for any open sock that is not a
 * one-to-many SCTP socket and EINVAL for a bad id, nothing for a descriptor
 * that is not open. RFC 6458 names no errno.
 */
/* clang-format off */
#define ANY	     PST_ANY_ERRNO
#define NOT_OPEN     { EBADF, ANY, ANY }
#define NOT_SOCKET   { ENOTSOCK, EOPNOTSUPP, ANY }
#define OTHER_PROTO4 { EOPNOTSUPP, EOPNOTSUPP, ANY }  /* IPv4, raw, AF_UNIX: their getsockopt */
#define OTHER_PROTO6 { ENOPROTOOPT, EOPNOTSUPP, ANY } /* IPv6, netlink: their getsockopt */
#define NOT_ONE2MANY { EINVAL, EOPNOTSUPP, ANY }      /* SCTP one-to-one, or peeled */
#define BAD_ID	     { EINVAL, EINVAL, ANY }
/* clang-format on */

#define RET	"LNX-RET-ERR SOL-RET-ERR RFC-9.2-RET"
#define R_EBADF "LNX-ERR-EBADF " RET
#define R_NSOCK "LNX-ERR-ENOTSOCK SOL-ERR-EOPNOTSUPP " RET
#define R_OTHER "IMPL-LNX-ERR-NONSCTP SOL-ERR-EOPNOTSUPP " RET
#define R_1TO1	"LNX-ERR-EINVAL-ONE2ONE SOL-ERR-EOPNOTSUPP " RET
#define R_BADID "LNX-ERR-EINVAL-ID SOL-ERR-EINVAL-ID " RET

/*
 * The checks of every row; a row whose errno on Linux is documented only by
 * what Linux was seen to give also declares that as a reference check.
 */
#define CHECKS	       "fails errno_documented safety:descriptors_unchanged safety:nothing_lost"
#define CHECKS_NONSCTP CHECKS " ref:errno_as_linux=REF-NON-SCTP"

/* A row: the case (entry-point variants), its condition and its expectation. */
/* clang-format off */
#define ROW_CHECKS(cname, fx, creqs, cneeds, cchecks, ...)                                    \
	{ .name = (cname), .fn = verify, .fixture = &(fx), .axes = PST_AXIS_ENTRY,            \
	  .needs = (cneeds), .reqs = (creqs), .checks = (cchecks),                            \
	  .param = &(const struct errno_row){ __VA_ARGS__ } }
/* clang-format on */
#define ROW(cname, fx, creqs, cneeds, ...) ROW_CHECKS(cname, fx, creqs, cneeds, CHECKS, __VA_ARGS__)
/* A descriptor of descriptors.h, called with the fixture's valid id. */
#define FD(cname, what, fdfn, exp, creqs)                                                         \
	ROW(cname, pst_fx_assoc1, creqs, 0, .sd_what = (what), .make_fd = (fdfn), .id = ID_VALID, \
	    .expected = exp)
/* A socket of another protocol: its errno on Linux is REF-NON-SCTP's. */
#define OTHER(cname, what, fdfn, exp, cneeds)                                                \
	ROW_CHECKS(cname, pst_fx_assoc1, R_OTHER, cneeds, CHECKS_NONSCTP, .sd_what = (what), \
		   .make_fd = (fdfn), .id = ID_VALID, .expected = exp)
/* A descriptor built on the fixture fx, called with the id of kind idk. */
#define MK(cname, fx, what, mkfn, idk, exp, creqs) \
	ROW(cname, fx, creqs, 0, .sd_what = (what), .make = (mkfn), .id = (idk), .expected = exp)

static const struct pst_case cases[] = {
	/* 1. Not an open descriptor (REF-BAD-DESCRIPTOR). */
	FD("peeloff_negative_fd_gives_EBADF", "-1", pst_fd_negative, NOT_OPEN, R_EBADF),
	FD("peeloff_closed_fd_gives_EBADF", "a closed descriptor", pst_fd_closed, NOT_OPEN,
	   R_EBADF),
	FD("peeloff_fd_at_rlimit_nofile_gives_EBADF",
	   "the number RLIMIT_NOFILE, beyond every descriptor", pst_fd_above_rlimit, NOT_OPEN,
	   R_EBADF),
	FD("peeloff_fd_int_max_gives_EBADF", "INT_MAX", pst_fd_int_max, NOT_OPEN, R_EBADF),
	/* O_PATH opens the socket for path operations only: no file operations, EBADF (1.12). */
	ROW("peeloff_opath_socket_fd_gives_EBADF", pst_fx_assoc1,
	    "IMPL-LNX-ERR-OPATH LNX-ERR-EBADF LNX-RET-ERR", 0,
	    .sd_what = "an O_PATH descriptor of the one-to-many socket", .make = make_opath_of_sut,
	    .id = ID_VALID, .expected = NOT_OPEN, .linux_only = true),

	/* 2. Open, but not a socket (REF-NOT-A-SOCKET). */
	FD("peeloff_regular_file_gives_ENOTSOCK", "a regular file", pst_fd_regular_file, NOT_SOCKET,
	   R_NSOCK),
	FD("peeloff_pipe_gives_ENOTSOCK", "a pipe", pst_fd_pipe, NOT_SOCKET, R_NSOCK),
	FD("peeloff_dev_null_gives_ENOTSOCK", "/dev/null", pst_fd_dev_null, NOT_SOCKET, R_NSOCK),
	FD("peeloff_eventfd_gives_ENOTSOCK", "an eventfd", pst_fd_eventfd, NOT_SOCKET, R_NSOCK),
	FD("peeloff_directory_gives_ENOTSOCK", "a directory", pst_fd_directory, NOT_SOCKET,
	   R_NSOCK),
	FD("peeloff_epoll_fd_gives_ENOTSOCK", "an epoll descriptor", pst_fd_epoll, NOT_SOCKET,
	   R_NSOCK),

	/* 3. Sockets of other protocols and families (REF-NON-SCTP). */
	OTHER("peeloff_tcp4_socket_gives_EOPNOTSUPP", "a TCP/IPv4 socket", pst_fd_tcp4,
	      OTHER_PROTO4, 0),
	OTHER("peeloff_tcp4_listening_socket_gives_EOPNOTSUPP", "a listening TCP/IPv4 socket",
	      pst_fd_tcp4_listening, OTHER_PROTO4, 0),
	OTHER("peeloff_tcp6_socket_gives_ENOPROTOOPT", "a TCP/IPv6 socket", pst_fd_tcp6,
	      OTHER_PROTO6, PST_NEED_IPV6),
	OTHER("peeloff_tcp6_listening_socket_gives_ENOPROTOOPT", "a listening TCP/IPv6 socket",
	      pst_fd_tcp6_listening, OTHER_PROTO6, PST_NEED_IPV6),
	OTHER("peeloff_udp4_socket_gives_EOPNOTSUPP", "a UDP/IPv4 socket", pst_fd_udp4,
	      OTHER_PROTO4, 0),
	OTHER("peeloff_udp6_socket_gives_ENOPROTOOPT", "a UDP/IPv6 socket", pst_fd_udp6,
	      OTHER_PROTO6, PST_NEED_IPV6),
	OTHER("peeloff_raw_ipv4_sctp_socket_gives_EOPNOTSUPP", "a raw IPv4 socket of protocol 132",
	      pst_fd_raw_sctp4, OTHER_PROTO4, 0),
	OTHER("peeloff_unix_stream_socket_gives_EOPNOTSUPP", "an AF_UNIX stream socket",
	      pst_fd_unix_stream, OTHER_PROTO4, 0),
	OTHER("peeloff_unix_dgram_socket_gives_EOPNOTSUPP", "an AF_UNIX datagram socket",
	      pst_fd_unix_dgram, OTHER_PROTO4, 0),
	OTHER("peeloff_unix_seqpacket_socket_gives_EOPNOTSUPP", "an AF_UNIX seqpacket socket",
	      pst_fd_unix_seqpacket, OTHER_PROTO4, 0),
	OTHER("peeloff_netlink_socket_gives_ENOPROTOOPT", "an AF_NETLINK socket", pst_fd_netlink,
	      OTHER_PROTO6, 0),

	/* 4. SCTP one-to-one sockets (REF-ONE-TO-ONE-SOCKET). */
	MK("peeloff_one2one_unconnected_id_3_gives_EINVAL", pst_fx_assoc1,
	   "an unconnected one-to-one SCTP socket", make_one2one_unconnected, ID_FIRST,
	   NOT_ONE2MANY, R_1TO1),
	MK("peeloff_one2one_unconnected_id_0_gives_EINVAL", pst_fx_assoc1,
	   "an unconnected one-to-one SCTP socket", make_one2one_unconnected, ID_ZERO, NOT_ONE2MANY,
	   R_1TO1),
	MK("peeloff_one2one_listening_gives_EINVAL", pst_fx_assoc1,
	   "a listening one-to-one SCTP socket", make_one2one_listening, ID_FIRST, NOT_ONE2MANY,
	   R_1TO1),
	MK("peeloff_one2one_listening_with_pending_assoc_gives_EINVAL", pst_fx_assoc1,
	   "a listening one-to-one SCTP socket with an association not accepted yet",
	   make_one2one_pending, ID_ZERO, NOT_ONE2MANY, R_1TO1),
	MK("peeloff_one2one_connected_own_id_gives_EINVAL", pst_fx_assoc1,
	   "a connected one-to-one SCTP socket", make_one2one_client, ID_OWN, NOT_ONE2MANY, R_1TO1),
	MK("peeloff_one2one_connected_id_0_gives_EINVAL", pst_fx_assoc1,
	   "a connected one-to-one SCTP socket", make_one2one_client, ID_ZERO, NOT_ONE2MANY,
	   R_1TO1),
	MK("peeloff_one2one_accepted_own_id_gives_EINVAL", pst_fx_assoc1,
	   "an accept()ed one-to-one SCTP socket", make_one2one_accepted, ID_OWN, NOT_ONE2MANY,
	   R_1TO1),

	/* 5. One-to-many SCTP sockets without any association (REF-ASSOC-ID-OWNER). */
	MK("peeloff_one2many_unbound_id_3_gives_EINVAL", pst_fx_assoc1,
	   "an unbound one-to-many SCTP socket", make_one2many_unbound, ID_FIRST, BAD_ID, R_BADID),
	MK("peeloff_one2many_unbound_id_0_gives_EINVAL", pst_fx_assoc1,
	   "an unbound one-to-many SCTP socket", make_one2many_unbound, ID_ZERO, BAD_ID, R_BADID),
	MK("peeloff_one2many_listening_id_3_gives_EINVAL", pst_fx_assoc1,
	   "a listening one-to-many SCTP socket with no association", make_one2many_listening,
	   ID_FIRST, BAD_ID, R_BADID),
	MK("peeloff_one2many_listening_id_0_gives_EINVAL", pst_fx_assoc1,
	   "a listening one-to-many SCTP socket with no association", make_one2many_listening,
	   ID_ZERO, BAD_ID, R_BADID),
	/* Another socket's live association id: it must not move (REF-ASSOC-ID-OWNER). */
	MK("peeloff_one2many_listening_foreign_id_gives_EINVAL", pst_fx_assoc1,
	   "a listening one-to-many SCTP socket with no association", make_one2many_listening,
	   ID_VALID, BAD_ID, R_BADID),
	MK("peeloff_assoc_id_0_gives_EINVAL", pst_fx_assoc1, "the one-to-many socket", make_sut,
	   ID_ZERO, BAD_ID, R_BADID),

	/* 6. An already peeled socket as sd (REF-PEELED-AS-SD). */
	MK("peeloff_peeled_socket_own_id_gives_EINVAL", pst_fx_assoc2, "an already peeled socket",
	   make_peeled, ID_OWN, NOT_ONE2MANY, R_1TO1),
	MK("peeloff_peeled_socket_id_0_gives_EINVAL", pst_fx_assoc2, "an already peeled socket",
	   make_peeled, ID_ZERO, NOT_ONE2MANY, R_1TO1),
	MK("peeloff_peeled_socket_other_assoc_id_gives_EINVAL", pst_fx_assoc2,
	   "an already peeled socket", make_peeled, ID_OTHER, NOT_ONE2MANY, R_1TO1),
	MK("peeloff_peeled_socket_bogus_id_gives_EINVAL", pst_fx_assoc2, "an already peeled socket",
	   make_peeled, ID_NEVER, NOT_ONE2MANY, R_1TO1),
};

PST_SUITE(pst_suite_errors, "peeloff_errors",
	  "Linux sctp_peeloff(3) ERRORS; Solaris ERRORS; RFC 6458 9.2 RETURN", cases);
