/*
 * Association ids: which ids sctp_peeloff() refuses, and one it must not.
 * Linux sctp_peeloff(3) ERRORS ("EINVAL: the assoc id passed is invalid");
 * Solaris sctp_peeloff(3SOCKET) ERRORS ("EINVAL: the id is 0 or greater than
 * the maximum number of associations for sock"); RFC 6458 9.2 (-1, no errno).
 *
 * The errno conditions are a table, one row per kind of id, one verify
 * function. Every row also proves that nothing was lost: afterwards the
 * original socket's associations still carry data both ways, whatever else
 * the row built still works, and the process has the same descriptors.
 *
 * How the Solaris sentence applies: illumos ids are per-socket slot numbers,
 * compared unsigned against the size of the socket's association table
 * (illumos socksctp.c, SIOCSCTPPEELOFF), so a negative id is "greater than
 * the maximum", and an id that names no association of sock (an empty slot:
 * 1 or 2 on a socket without such associations, another socket's or the
 * peer's number, an association peeled off or ended) is refused with EINVAL
 * as well (IMPL-SOL-ID-NOASSOC). Linux ids instead come from one system-wide
 * counter starting at 3 and are not bounded by a count: the test is "owned by
 * this socket" (REF-ASSOC-ID-OWNER, REF-LINUX-VS-DOCUMENTS). Either way a row is only
 * meaningful if its id names no association of the socket under test, so
 * verify() checks that first (SCTP_GET_ASSOC_ID_LIST) and SKIPs where the
 * target happens to own the number.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../fixtures/assoc.h"
#include "../fixtures/assoc_states.h"
#include "../fixtures/io.h"
#include "suites.h"

#define NEVER_ALLOCATED_OFFSET 1000 /* REF-ASSOC-ID-OWNER: the real id + 1000 */
#define OTHER_PORT	       (PST_SERVER_PORT + 1)
#define SILENT_HOST	       0x63 /* a host number no topology address uses: nobody answers */
#define SILENT_PORT	       9    /* discard; nobody is there to refuse it anyway */

/* The two-association fixture, plus what some rows build on top of it. */
struct ids_fx {
	struct pst_assoc_fx a; /* first, so pst_assoc(ctx) works */
	int other_sut;	       /* a second one-to-many socket ... */
	int other_peer;	       /* ... its peer ... */
	sctp_assoc_t other_id; /* ... and their association, as other_sut knows it */
	int peeled;	       /* the socket of a first, successful peel */
};

static void ids_setup(struct pst_ctx *ctx)
{
	struct ids_fx *fx = ctx->fx;

	fx->other_sut = fx->other_peer = fx->peeled = -1;
	pst_assoc_setup(ctx, 2);
}

static void ids_teardown(struct pst_ctx *ctx)
{
	struct ids_fx *fx = ctx->fx;

	if (fx->peeled >= 0)
		close(fx->peeled);
	if (fx->other_peer >= 0)
		close(fx->other_peer);
	if (fx->other_sut >= 0)
		close(fx->other_sut);
	pst_assoc_teardown(ctx);
}

static const struct pst_fixture fx_ids = { "assoc2+extras", sizeof(struct ids_fx), ids_setup,
					   ids_teardown };

/* ---- the ids of the table: each builds its condition and returns the id ---- */

static sctp_assoc_t never_allocated(struct pst_ctx *ctx)
{
	return pst_assoc(ctx)->id[0] + NEVER_ALLOCATED_OFFSET;
}

/* A second one-to-many socket (another port) with an association of its own. */
static sctp_assoc_t of_another_socket(struct pst_ctx *ctx)
{
	struct ids_fx *fx = ctx->fx;
	struct sockaddr_storage ss;
	socklen_t len;
	union sctp_notification n;

	pst_topo_addr(PST_SERVER, ctx->family, 0, &ss, &len);
	pst_set_port(&ss, OTHER_PORT);
	fx->other_sut = (int)PST_SAFE(socket(ctx->family, SOCK_SEQPACKET, IPPROTO_SCTP));
	PST_SAFE(bind(fx->other_sut, (struct sockaddr *)&ss, len));
	PST_SAFE(pst_subscribe(fx->other_sut, SCTP_ASSOC_CHANGE));
	PST_SAFE(listen(fx->other_sut, 1));

	PST_SAFE(pst_topo_enter(ctx->topo, PST_CLIENT));
	fx->other_peer = (int)PST_SAFE(socket(ctx->family, SOCK_STREAM, IPPROTO_SCTP));
	PST_SAFE(pst_connectx(fx->other_peer, (struct sockaddr *)&ss, 1));
	PST_SAFE(pst_topo_enter(ctx->topo, PST_SERVER));

	if (pst_recv_notification(fx->other_sut, SCTP_ASSOC_CHANGE, &n, PST_SETUP_TIMEOUT_MS) < 0 ||
	    n.sn_assoc_change.sac_state != SCTP_COMM_UP)
		pst_broken("the second one-to-many socket: no SCTP_COMM_UP (%s)",
			   pst_errname(errno));
	fx->other_id = n.sn_assoc_change.sac_assoc_id;
	return fx->other_id;
}

static void other_socket_still_works(struct pst_ctx *ctx)
{
	struct ids_fx *fx = ctx->fx;

	pst_expect_exchange(fx->other_sut, fx->other_id, fx->other_peer,
			    "the other one-to-many socket's association, whose id was passed");
}

/* The same association as the peer's one-to-one socket numbers it. */
static sctp_assoc_t of_the_peer(struct pst_ctx *ctx)
{
	struct sctp_status st;

	PST_SAFE(pst_assoc_status(pst_assoc(ctx)->peer[0], 0, &st));
	return st.sstat_assoc_id;
}

/* Peel the first association off once (through the case's entry point). */
static sctp_assoc_t already_peeled(struct pst_ctx *ctx)
{
	struct ids_fx *fx = ctx->fx;
	int p = pst_peel(ctx, fx->a.sut, fx->a.id[0]);

	pst_check_ok_at(__FILE__, __LINE__, true, "the first peel of the id", p, errno);
	fx->peeled = p;
	return fx->a.id[0];
}

static void first_peel_still_works(struct pst_ctx *ctx)
{
	struct ids_fx *fx = ctx->fx;
	struct sctp_status st;

	pst_expect_exchange(fx->peeled, 0, fx->a.peer[0],
			    "the socket of the first peel, after the second peel failed");
	if (PST_EXPECT_OK(pst_assoc_status(fx->peeled, 0, &st)) >= 0)
		PST_EXPECT_EQ(st.sstat_assoc_id, fx->a.id[0],
			      "SCTP_STATUS id on the socket of the first peel (REF-ASSOC-ID-OWNER: "
			      "the same id)");
}

/* End the first association one way and wait until the socket under test has seen it end. */
static void end_first_assoc(struct pst_ctx *ctx, int how, const char *what)
{
	struct pst_assoc_fx *a = pst_assoc(ctx);
	int seen;

	if (pst_wait_assoc_change(a->sut, a->id[0], how, PST_IO_TIMEOUT_MS, &seen) < 0)
		pst_broken(
		    "%s: expected SCTP_ASSOC_CHANGE %s on the socket under test, got %s (%s)", what,
		    pst_assoc_change_name(how), pst_assoc_change_name(seen), pst_errname(errno));
}

static sctp_assoc_t shut_down(struct pst_ctx *ctx)
{
	struct pst_assoc_fx *a = pst_assoc(ctx);

	PST_SAFE(pst_send_sflags(a->sut, a->id[0], SCTP_EOF));
	end_first_assoc(ctx, SCTP_SHUTDOWN_COMP, "graceful shutdown (SCTP_EOF)");
	return a->id[0];
}

static sctp_assoc_t aborted_locally(struct pst_ctx *ctx)
{
	struct pst_assoc_fx *a = pst_assoc(ctx);

	PST_SAFE(pst_send_sflags(a->sut, a->id[0], SCTP_ABORT));
	end_first_assoc(ctx, SCTP_COMM_LOST, "local abort (SCTP_ABORT)");
	return a->id[0];
}

static sctp_assoc_t aborted_by_peer(struct pst_ctx *ctx)
{
	struct pst_assoc_fx *a = pst_assoc(ctx);
	struct linger abort_on_close = { .l_onoff = 1, .l_linger = 0 };

	PST_SAFE(
	    setsockopt(a->peer[0], SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof(abort_on_close)));
	close(a->peer[0]);
	a->peer[0] = -1;
	end_first_assoc(ctx, SCTP_COMM_LOST, "abort by the peer (close with SO_LINGER {1, 0})");
	return a->id[0];
}

/* ---- the table ---- */

struct id_row {
	const char *what;			   /* the id, in words */
	sctp_assoc_t id;			   /* when make is NULL */
	sctp_assoc_t (*make)(struct pst_ctx *ctx); /* builds the condition, gives the id */
	void (*after)(struct pst_ctx *ctx);	   /* what else must still work */
	bool ends_first;			   /* the condition used up the first association */
	struct pst_errnos expected;
};

static void verify(struct pst_ctx *ctx)
{
	const struct id_row *row = ctx->param;
	struct pst_assoc_fx *a = pst_assoc(ctx);
	sctp_assoc_t id = row->make ? row->make(ctx) : row->id;
	int before = pst_count_fds();
	int listed = pst_assoc_listed(a->sut, id);
	char what[160];
	long r;
	int e;

	if (listed < 0)
		pst_broken("SCTP_GET_ASSOC_ID_LIST of the socket under test: %s",
			   pst_errname(errno));
	if (listed)
		pst_skip("%s (%d) names an association of the socket under test on this target: "
			 "it is not an invalid id here",
			 row->what, (int)id);

	snprintf(what, sizeof(what), "%s(the socket under test, %s = %d)",
		 pst_entry_name(ctx->entry), row->what, (int)id);
	errno = 0;
	r = pst_peel(ctx, a->sut, id);
	e = errno;
	pst_check_errno_at(__FILE__, __LINE__, false, what, r, e,
			   pst_expected_errno(ctx, row->expected));
	if (r >= 0)
		close((int)r);

	PST_EXPECT_EQ(pst_count_fds(), before, "open descriptors after the failed call");
	if (!row->ends_first)
		pst_expect_exchange(a->sut, a->id[0], a->peer[0],
				    "the first association on the original socket after the call");
	pst_expect_exchange(a->sut, a->id[1], a->peer[1],
			    "the second association on the original socket after the call");
	if (row->after)
		row->after(ctx);
}

/* Every profile: Linux EINVAL, Solaris EINVAL (see the top comment), RFC 6458 any errno. */
#define EINVAL_ALL                            \
	{                                     \
		EINVAL, EINVAL, PST_ANY_ERRNO \
	}

static const struct id_row id_future = { "id 0 (SCTP_FUTURE_ASSOC)", SCTP_FUTURE_ASSOC,
					 .expected = EINVAL_ALL };
static const struct id_row id_current = { "id 1 (SCTP_CURRENT_ASSOC)", SCTP_CURRENT_ASSOC,
					  .expected = EINVAL_ALL };
static const struct id_row id_all = { "id 2 (SCTP_ALL_ASSOC)", SCTP_ALL_ASSOC,
				      .expected = EINVAL_ALL };
static const struct id_row id_minus_1 = { "id -1", -1, .expected = EINVAL_ALL };
static const struct id_row id_int_max = { "id INT_MAX", INT_MAX, .expected = EINVAL_ALL };
static const struct id_row id_int_min = { "id INT_MIN", INT_MIN, .expected = EINVAL_ALL };
static const struct id_row id_never = { "an id never allocated (the real one + 1000)",
					.make = never_allocated, .expected = EINVAL_ALL };
static const struct id_row id_other = { "the id of another one-to-many socket's association",
					.make = of_another_socket,
					.after = other_socket_still_works, .expected = EINVAL_ALL };
static const struct id_row id_peer = { "the id the peer uses for the same association",
				       .make = of_the_peer, .expected = EINVAL_ALL };
static const struct id_row id_peeled = { "an id already peeled off", .make = already_peeled,
					 .after = first_peel_still_works, .ends_first = true,
					 .expected = EINVAL_ALL };
static const struct id_row id_shut_down = { "the id of an association shut down (SCTP_EOF)",
					    .make = shut_down, .ends_first = true,
					    .expected = EINVAL_ALL };
static const struct id_row id_aborted = { "the id of an association aborted (SCTP_ABORT)",
					  .make = aborted_locally, .ends_first = true,
					  .expected = EINVAL_ALL };
static const struct id_row id_peer_aborted = { "the id of an association the peer aborted",
					       .make = aborted_by_peer, .ends_first = true,
					       .expected = EINVAL_ALL };

/* ---- an association still being set up: it exists, so it can be peeled ---- */

/*
 * An address of the client's subnet that no host has: INITs to it go
 * unanswered (no ARP / neighbour reply), so the association stays in
 * COOKIE_WAIT. Not a real client address with a closed port: the client's
 * SCTP stack answers that INIT with an ABORT (RFC 9260 8.4), and the
 * association is gone before the peel (seen: SCTP_STATUS EINVAL at once).
 */
static void silent_address(int family, struct sockaddr_storage *ss, socklen_t *len)
{
	pst_topo_addr(PST_CLIENT, family, 1, ss, len);
	if (family == AF_INET6)
		((struct sockaddr_in6 *)ss)->sin6_addr.s6_addr[15] = SILENT_HOST;
	else
		((unsigned char *)&((struct sockaddr_in *)ss)->sin_addr)[3] = SILENT_HOST;
	pst_set_port(ss, SILENT_PORT);
}

/*
 * A non-blocking connect that still reports the id: SCTP_SOCKOPT_CONNECTX3
 * fills it in on EINPROGRESS (the older SCTP_SOCKOPT_CONNECTX returns it
 * only once the association is up). The id, or -1.
 */
static sctp_assoc_t connectx_nonblocking(int fd, const struct sockaddr *addr, socklen_t len)
{
	struct sctp_getaddrs_old arg = { .assoc_id = 0,
					 .addr_num = (int)len, /* bytes, not a count */
					 .addrs = (struct sockaddr *)addr };
	socklen_t arglen = sizeof(arg);

	if (getsockopt(fd, IPPROTO_SCTP, SCTP_SOCKOPT_CONNECTX3, &arg, &arglen) < 0 &&
	    errno != EINPROGRESS)
		return -1;
	return arg.assoc_id > 0 ? arg.assoc_id : -1;
}

static void cookie_wait_can_be_peeled(struct pst_ctx *ctx)
{
	struct pst_assoc_fx *a = pst_assoc(ctx);
	/* One INIT only: should the case end early, the association dies on its own. */
	struct sctp_initmsg one_init = { .sinit_max_attempts = 1 };
	struct sockaddr_storage silent;
	struct sctp_status st;
	socklen_t len;
	sctp_assoc_t id;
	int flags, before, p;
	long r;

	if (ctx->profile != PST_PROFILE_LINUX)
		pst_skip("only the linux profile documents peeling an association still being "
			 "set up (REF-COOKIE-WAIT)");
	silent_address(ctx->family, &silent, &len);
	PST_SAFE(setsockopt(a->sut, IPPROTO_SCTP, SCTP_INITMSG, &one_init, sizeof(one_init)));
	flags = (int)PST_SAFE(fcntl(a->sut, F_GETFL));
	PST_SAFE(fcntl(a->sut, F_SETFL, flags | O_NONBLOCK));
	id = connectx_nonblocking(a->sut, (struct sockaddr *)&silent, len);
	PST_SAFE(fcntl(a->sut, F_SETFL, flags));
	if (id < 0)
		pst_broken("non-blocking SCTP_SOCKOPT_CONNECTX3 to a silent address: %s",
			   pst_errname(errno));
	PST_SAFE(pst_assoc_status(a->sut, id, &st));
	if (st.sstat_state != SCTP_COOKIE_WAIT)
		pst_broken(
		    "the new association: expected COOKIE_WAIT before the peel, got state %d",
		    st.sstat_state);

	before = pst_count_fds();
	errno = 0;
	p = pst_peel(ctx, a->sut, id);
	pst_check_ok_at(__FILE__, __LINE__, true, "peel of an association in COOKIE_WAIT", p,
			errno);
	PST_EXPECT_EQ(pst_count_fds(), before + 1, "open descriptors after the peel");
	errno = 0;
	r = pst_assoc_status(p, 0, &st);
	if (pst_check_ok_at(__FILE__, __LINE__, false, "SCTP_STATUS on the new socket", r, errno) >=
	    0) {
		PST_EXPECT_EQ(st.sstat_state, SCTP_COOKIE_WAIT,
			      "SCTP_STATUS state on the new socket (COOKIE_WAIT)");
		PST_EXPECT_EQ(st.sstat_assoc_id, id, "SCTP_STATUS id on the new socket");
	}
	errno = 0;
	r = pst_assoc_status(a->sut, id, &st);
	pst_check_errno_at(__FILE__, __LINE__, false,
			   "SCTP_STATUS of the peeled id on the original socket", r, errno, EINVAL);
	PST_EXPECT_EQ(pst_assoc_listed(a->sut, id), 0,
		      "the id in the original socket's SCTP_GET_ASSOC_ID_LIST (1 = still listed)");
	pst_expect_exchange(a->sut, a->id[0], a->peer[0],
			    "the established association on the original socket");
	close(p);
}

#define REQS_EINVAL "LNX-ERR-EINVAL-ID SOL-ERR-EINVAL-ID LNX-RET-ERR SOL-RET-ERR RFC-9.2-RET"
#define ROW(cname, row, caxes, creqs)                                               \
	{                                                                           \
		.name = (cname), .fn = verify, .fixture = &fx_ids, .axes = (caxes), \
		.reqs = REQS_EINVAL " " creqs, .param = &(row)                      \
	}
#define ENTRY	  PST_AXIS_ENTRY
#define FAM_ENTRY (PST_AXIS_FAMILY | PST_AXIS_ENTRY)
#define RESERVED  "IMPL-LNX-ID-RESERVED IMPL-SOL-ID-NOASSOC"
#define NOT_OWNED "IMPL-LNX-ID-OWNER IMPL-SOL-ID-NOASSOC"

static const struct pst_case cases[] = {
	ROW("peeloff_id_0_future_assoc_gives_EINVAL", id_future, ENTRY, RESERVED),
	ROW("peeloff_id_1_current_assoc_gives_EINVAL", id_current, ENTRY, RESERVED),
	ROW("peeloff_id_2_all_assoc_gives_EINVAL", id_all, ENTRY, RESERVED),
	ROW("peeloff_id_minus_1_gives_EINVAL", id_minus_1, ENTRY, RESERVED),
	ROW("peeloff_id_INT_MAX_gives_EINVAL", id_int_max, ENTRY, NOT_OWNED),
	ROW("peeloff_id_INT_MIN_gives_EINVAL", id_int_min, ENTRY, RESERVED),
	ROW("peeloff_id_never_allocated_gives_EINVAL", id_never, ENTRY, NOT_OWNED),
	ROW("peeloff_id_of_another_socket_gives_EINVAL", id_other, FAM_ENTRY, NOT_OWNED),
	ROW("peeloff_id_of_the_peer_gives_EINVAL", id_peer, FAM_ENTRY, NOT_OWNED),
	ROW("peeloff_id_already_peeled_gives_EINVAL", id_peeled, FAM_ENTRY, NOT_OWNED),
	ROW("peeloff_id_shut_down_gives_EINVAL", id_shut_down, FAM_ENTRY, NOT_OWNED),
	ROW("peeloff_id_aborted_locally_gives_EINVAL", id_aborted, FAM_ENTRY, NOT_OWNED),
	ROW("peeloff_id_aborted_by_peer_gives_EINVAL", id_peer_aborted, FAM_ENTRY, NOT_OWNED),
	{ .name = "peeloff_id_in_cookie_wait_can_be_peeled",
	  .fn = cookie_wait_can_be_peeled,
	  .fixture = &pst_fx_assoc1,
	  .axes = FAM_ENTRY,
	  .reqs = "IMPL-LNX-COOKIE-WAIT LNX-RET-FD RFC-3.1-SEPARATE" },
};

PST_SUITE(pst_suite_assoc_ids, "peeloff_assoc_ids",
	  "Association ids: Linux EINVAL, Solaris EINVAL, RFC 6458 9.2", cases);
