/*
 * The peeled socket is a one-to-one style socket, "confined to operations
 * allowed on a one-to-one style SCTP socket": Linux sctp_peeloff(3) and
 * Solaris sctp_peeloff(3SOCKET) DESCRIPTION, RFC 6458 §9.2; the association
 * id of socket options is ignored on it (§8); SCTP_AUTOCLOSE is for
 * one-to-many sockets only (§8.1.8).
 *
 * Where the documents name no errno, the reference is a genuine one-to-one
 * socket built in the case: the accept()ed, connected server side of an
 * association, which is what the peeled socket is the analogue of. The same
 * operation must fail on both, with the same errno (any errno under the
 * rfc6458 profile, which names none). Where Linux departs from the documents
 * (REF-PEELED-STYLE in suites/requirements/REFERENCES.md), the case asserts the
 * documents and suites/deviations/peeled.tsv waives it, with the reference.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../fixtures/assoc.h"
#include "../fixtures/io.h"
#include "../fixtures/one_to_one.h"
#include "../fixtures/sctp_mib.h"
#include "suites.h"

#define OTHER_PORT  (PST_ONE2ONE_PORT + 1) /* another peer, in the client netns */
#define BACKLOG	    4
#define AUTOCLOSE_S 3600   /* long enough never to fire during the case if it is accepted */
#define BOGUS_ID    424242 /* an association id no socket of the case owns */
#define OUT_CTRL    "SctpOutCtrlChunks" /* MIB: control chunks (INIT among them) queued to send */

/* SCTP_STATUS of a socket's association, or BROKEN (a setup step). */
static struct sctp_status status_of(int fd, sctp_assoc_t id)
{
	struct sctp_status st = { .sstat_assoc_id = id };
	socklen_t len = sizeof(st);

	PST_SAFE(getsockopt(fd, IPPROTO_SCTP, SCTP_STATUS, &st, &len));
	return st;
}

/* The primary peer address of SCTP_STATUS, copied out of the packed struct. */
static void primary_of(const struct sctp_status *st, struct sockaddr_storage *ss)
{
	memcpy(ss, &st->sstat_primary.spinfo_address, sizeof(*ss));
}

/*
 * The same operation on the peeled socket and on a genuine one-to-one socket:
 * one row per operation, one verify function.
 */
typedef int (*sock_op)(const struct pst_ctx *ctx, int sock);

struct op_row {
	const char *what; /* "listen()" */
	sock_op op;
};

static int op_listen(const struct pst_ctx *ctx, int sock)
{
	(void)ctx;
	return listen(sock, BACKLOG);
}

static int op_accept(const struct pst_ctx *ctx, int sock)
{
	(void)ctx;
	return accept(sock, NULL, NULL);
}

static int op_bind(const struct pst_ctx *ctx, int sock)
{
	struct sockaddr_storage ss;
	socklen_t len = pst_addr(PST_SERVER, ctx->family, 0, 0, &ss);

	return bind(sock, (struct sockaddr *)&ss, len);
}

/* Another listener: the genuine one-to-one listener's first address. */
static int op_connect_other(const struct pst_ctx *ctx, int sock)
{
	struct sockaddr_storage ss;
	socklen_t len = pst_addr(PST_SERVER, ctx->family, 0, PST_ONE2ONE_PORT, &ss);

	return connect(sock, (struct sockaddr *)&ss, len);
}

/* The socket's own peer, at its primary address. */
static int op_connect_same_peer(const struct pst_ctx *ctx, int sock)
{
	struct sctp_status st = status_of(sock, 0);
	struct sockaddr_storage ss;

	primary_of(&st, &ss);
	return connect(sock, (struct sockaddr *)&ss, pst_salen(ctx->family));
}

/* sctp_connectx() (the kernel's SCTP_SOCKOPT_CONNECTX) to both addresses of another listener. */
static int op_connectx_other(const struct pst_ctx *ctx, int sock)
{
	unsigned char addrs[PST_PATHS * sizeof(struct sockaddr_in6)];

	pst_pack_addrs(PST_SERVER, ctx->family, PST_ONE2ONE_PORT, addrs);
	return pst_connectx(sock, (struct sockaddr *)addrs, PST_PATHS);
}

static int op_autoclose(const struct pst_ctx *ctx, int sock)
{
	int secs = AUTOCLOSE_S;

	(void)ctx;
	return setsockopt(sock, IPPROTO_SCTP, SCTP_AUTOCLOSE, &secs, sizeof(secs));
}

/* Run op with sock non-blocking, so that nothing it starts can hold the case. */
static int run_op(const struct pst_ctx *ctx, const struct op_row *row, int sock, int *err)
{
	int fl = (int)PST_SAFE(fcntl(sock, F_GETFL));
	int r;

	PST_SAFE(fcntl(sock, F_SETFL, fl | O_NONBLOCK));
	errno = 0;
	r = row->op(ctx, sock);
	*err = errno;
	PST_SAFE(fcntl(sock, F_SETFL, fl));
	return r;
}

static void verify_like_one_to_one(struct pst_ctx *ctx)
{
	const struct op_row *row = ctx->param;
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	struct pst_one2one g;
	char what[160];
	int ref_err, err, before, p, r;

	pst_one2one_setup(ctx, &g);
	p = pst_peel_first(ctx);

	r = run_op(ctx, row, g.acc, &ref_err);
	if (r != -1)
		pst_broken("%s on a genuine one-to-one socket succeeded (%d): no reference to "
			   "compare the peeled socket with",
			   row->what, r);
	pst_observe(ctx, PST_SEEN_REFERENCE, "%s fails with %s", row->what, pst_errname(ref_err));

	before = pst_count_fds();
	r = run_op(ctx, row, p, &err);
	if (r < 0)
		pst_observe(ctx, PST_SEEN_PEELED, "%s fails with %s", row->what, pst_errname(err));
	else
		pst_observe(ctx, PST_SEEN_PEELED, "%s succeeds (%d)", row->what, r);
	snprintf(what, sizeof(what), "%s on the peeled socket (a genuine one-to-one socket: %s)",
		 row->what, pst_errname(ref_err));
	pst_check(ctx, "errno_like_one_to_one");
	pst_check_errno_at(__FILE__, __LINE__, false, what, r, err,
			   ctx->profile == PST_PROFILE_RFC6458 ? PST_ANY_ERRNO : ref_err);
	if (r >= 0 && row->op == op_accept)
		close(r);
	pst_check(ctx, "descriptors_unchanged");
	PST_EXPECT_EQ(pst_count_fds(), before,
		      "open descriptors after the call on the peeled socket");
	pst_check(ctx, "association_undisturbed");
	pst_expect_exchange(p, 0, fx->peer[0], "the peeled socket's association after the call");
	close(p);
	pst_one2one_close(&g);
}

static const struct op_row listen_row = { "listen()", op_listen };
static const struct op_row accept_row = { "accept()", op_accept };
static const struct op_row bind_row = { "bind(a server address, port 0)", op_bind };
static const struct op_row connect_other_row = { "connect(another listener)", op_connect_other };
static const struct op_row connect_same_row = { "connect(its own peer)", op_connect_same_peer };
static const struct op_row connectx_other_row = { "sctp_connectx(another listener)",
						  op_connectx_other };
static const struct op_row autoclose_row = { "setsockopt(SCTP_AUTOCLOSE)", op_autoclose };

/* sendmsg() with msg_name; MSG_DONTWAIT so that it cannot block. */
static ssize_t send_to(int fd, const struct sockaddr_storage *to, socklen_t tolen, const char *msg)
{
	struct iovec iov = { .iov_base = (void *)msg, .iov_len = strlen(msg) };
	struct msghdr m = {
		.msg_name = (void *)to, .msg_namelen = tolen, .msg_iov = &iov, .msg_iovlen = 1
	};

	return sendmsg(fd, &m, MSG_NOSIGNAL | MSG_DONTWAIT);
}

/* Whatever arrived on fd, for the failure message. */
static void describe_arrival(int fd, char *out, size_t len)
{
	char buf[256];
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n = recvmsg(fd, &m, MSG_DONTWAIT);

	if (n < 0)
		snprintf(out, len, "a readable socket, but recvmsg gave %s", pst_errname(errno));
	else if (m.msg_flags & MSG_NOTIFICATION)
		snprintf(out, len, "a notification of type 0x%x",
			 ((union sctp_notification *)buf)->sn_header.sn_type);
	else
		snprintf(out, len, "%zd bytes of data", n);
}

/*
 * A one-to-one socket sends only on its own association: msg_name naming
 * another peer must fail, nothing may reach that peer, no association may be
 * set up with it, and nothing may go to the own peer either.
 *
 * "Nothing reaches the other peer" is read from the server netns's MIB, not
 * waited for: the other peer has no association, so anything reaching it
 * starts with an INIT, and sendmsg() queues an association's INIT before it
 * returns (sctp_sendmsg_to_asoc -> sctp_primitive_ASSOCIATE: the state
 * machine's reply goes through sctp_outq_tail, which counts OUT_CTRL, and is
 * flushed at once). So OUT_CTRL unchanged across the call means no INIT was
 * or will be sent. The probe at the end shows the counter sees one.
 */
static void sendmsg_to_other_peer_fails(struct pst_ctx *ctx)
{
	static const char misdirected[] = "addressed to the other peer";
	static const char marker[] = "marker";
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	struct sockaddr_storage other;
	socklen_t olen = pst_addr(PST_CLIENT, ctx->family, 0, OTHER_PORT, &other);
	struct pst_one2one g;
	struct pollfd pfd;
	char buf[256];
	ssize_t r, n;
	int s2, probe, p, err, mib;
	long ctrl0, ctrl1;

	pst_one2one_setup(ctx, &g);
	/* The other peer: a one-to-many listener in the client netns, told of every association. */
	PST_SAFE(pst_topo_enter(ctx->topo, PST_CLIENT));
	s2 = (int)PST_SAFE(socket(ctx->family, SOCK_SEQPACKET, IPPROTO_SCTP));
	PST_SAFE(bind(s2, (struct sockaddr *)&other, olen));
	PST_SAFE(pst_subscribe(s2, SCTP_ASSOC_CHANGE));
	PST_SAFE(listen(s2, BACKLOG));
	PST_SAFE(pst_topo_enter(ctx->topo, PST_SERVER));
	mib = (int)PST_SAFE(pst_mib_open(ctx->topo, PST_SERVER));
	p = pst_peel_first(ctx);

	ctrl0 = PST_SAFE(pst_mib_get(mib, OUT_CTRL));
	errno = 0;
	r = send_to(p, &other, olen, misdirected);
	err = errno;
	ctrl1 = PST_SAFE(pst_mib_get(mib, OUT_CTRL));
	pst_observe(ctx, PST_SEEN_PEELED, "%s%s", r < 0 ? "fails with " : "sends",
		    r < 0 ? pst_errname(err) : "");
	pst_check(ctx, "msg_name_refused");
	pst_check_errno_at(__FILE__, __LINE__, false,
			   "sendmsg(peeled socket, msg_name = another peer's address)", r, err,
			   PST_ANY_ERRNO);
	pst_check(ctx, "nothing_reaches_other_peer");
	PST_EXPECT(ctrl1 == ctrl0,
		   "the other peer: expected nothing sent towards it (no INIT: the server netns's "
		   "%s unchanged across the sendmsg, %ld), got %ld: the call started an "
		   "association",
		   OUT_CTRL, ctrl0, ctrl1);
	pfd = (struct pollfd){ .fd = s2, .events = POLLIN };
	if (poll(&pfd, 1, 0) == 1) {
		char desc[128];

		describe_arrival(s2, desc, sizeof(desc));
		pst_fail_at(__FILE__, __LINE__, false,
			    "the other peer: expected nothing (no association, no data), got %s",
			    desc);
	}
	/* The own peer must see the marker first: the misdirected message must not be there. */
	pst_check(ctx, NULL);
	PST_ASSERT_OK(pst_send(p, 0, marker, strlen(marker)));
	n = pst_recv_data(fx->peer[0], buf, sizeof(buf), PST_IO_TIMEOUT_MS);
	pst_check(ctx, "misdirected_not_delivered");
	PST_EXPECT(n == (ssize_t)strlen(marker) && memcmp(buf, marker, strlen(marker)) == 0,
		   "the peeled socket's own peer: expected '%s' as the first message, got %s",
		   marker,
		   n < 0 ? pst_errname(errno)
		   : n == (ssize_t)strlen(misdirected) && memcmp(buf, misdirected, (size_t)n) == 0
		       ? "the message addressed to the other peer"
		       : "other data");

	/* The reference: a genuine one-to-one socket refuses it. */
	errno = 0;
	if (send_to(g.acc, &other, olen, misdirected) >= 0)
		pst_broken(
		    "a genuine one-to-one socket sent to another peer's address: no reference");
	pst_observe(ctx, PST_SEEN_REFERENCE, "fails with %s", pst_errname(errno));

	/* And the other peer is reachable, and an INIT towards it shows in the counter. */
	probe = (int)PST_SAFE(socket(ctx->family, SOCK_SEQPACKET, IPPROTO_SCTP));
	ctrl0 = PST_SAFE(pst_mib_get(mib, OUT_CTRL));
	PST_SAFE(send_to(probe, &other, olen, "probe"));
	ctrl1 = PST_SAFE(pst_mib_get(mib, OUT_CTRL));
	if (ctrl1 == ctrl0)
		pst_broken("a probe's sendmsg to the other peer left %s at %ld: the counter "
			   "would not show an INIT, the check proves nothing",
			   OUT_CTRL, ctrl0);
	if (pst_recv_data(s2, buf, sizeof(buf), PST_IO_TIMEOUT_MS) < 0)
		pst_broken("the other peer is not reachable from the server (%s): the check proves "
			   "nothing",
			   pst_errname(errno));
	close(probe);
	close(mib);
	close(s2);
	close(p);
	pst_one2one_close(&g);
}

/* sctp_peeloff on the peeled socket: it is not a one-to-many socket. */
static void peeloff_of_peeled_fails(struct pst_ctx *ctx)
{
	static const struct pst_errnos expected = { EINVAL, EOPNOTSUPP, PST_ANY_ERRNO };
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	int p = pst_peel_first(ctx);
	const struct {
		const char *what;
		sctp_assoc_t id;
	} ids[] = {
		{ "sctp_peeloff(peeled socket, its own association id)", fx->id[0] },
		{ "sctp_peeloff(peeled socket, id 0)", 0 },
		{ "sctp_peeloff(peeled socket, an id nobody owns)", BOGUS_ID },
	};
	int before = pst_count_fds();

	for (size_t i = 0; i < PST_ARRAY_SIZE(ids); i++) {
		errno = 0;
		int r = pst_peel(ctx, p, ids[i].id);

		if (i == 0)
			pst_observe(ctx, PST_SEEN_PEELED, "%s%s",
				    r < 0 ? "fails with " : "succeeds",
				    r < 0 ? pst_errname(errno) : "");
		pst_check_errno_at(__FILE__, __LINE__, false, ids[i].what, r, errno,
				   pst_expected_errno(ctx, expected));
		if (r >= 0)
			close(r);
	}
	PST_EXPECT_EQ(pst_count_fds(), before, "open descriptors after the failed calls");
	pst_expect_exchange(p, 0, fx->peer[0], "the peeled socket's association after the calls");
	close(p);
}

static const char *type_name(int t)
{
	return t == SOCK_STREAM ? "SOCK_STREAM" : t == SOCK_SEQPACKET ? "SOCK_SEQPACKET" : "other";
}

/* RFC 6458 §4: a one-to-one style socket is a SOCK_STREAM socket. */
static void so_type_is_sock_stream(struct pst_ctx *ctx)
{
	int p = pst_peel_first(ctx);
	int type = -1;
	socklen_t len = sizeof(type);

	PST_ASSERT_OK(getsockopt(p, SOL_SOCKET, SO_TYPE, &type, &len));
	pst_observe(ctx, PST_SEEN_PEELED, "%s", type_name(type));
	pst_check(ctx, "so_type_sock_stream");
	PST_EXPECT(type == SOCK_STREAM,
		   "SO_TYPE of the peeled socket: expected SOCK_STREAM (%d, a one-to-one style "
		   "socket), got %s (%d)",
		   SOCK_STREAM, type_name(type), type);
	close(p);
}

/* getpeername() gives the association's primary peer address, as SCTP_STATUS reports it. */
static void getpeername_is_primary_peer(struct pst_ctx *ctx)
{
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	int p = pst_peel_first(ctx);
	struct sctp_status st = status_of(p, 0);
	struct sockaddr_storage primary, peer, own;
	socklen_t len = sizeof(peer), olen = sizeof(own);

	primary_of(&st, &primary);
	memset(&peer, 0, sizeof(peer));
	PST_ASSERT_OK(getpeername(p, (struct sockaddr *)&peer, &len));
	pst_observe(ctx, PST_SEEN_PEELED, "%s (SCTP_STATUS primary: %s)", pst_addr_text(&peer).s,
		    pst_addr_text(&primary).s);
	pst_check(ctx, "primary_peer_address");
	PST_EXPECT(pst_same_addr(&peer, &primary),
		   "getpeername(peeled socket): expected the primary peer address %s, got %s",
		   pst_addr_text(&primary).s, pst_addr_text(&peer).s);
	/* And that primary is the peer's: its port is the one the peer's socket is bound to. */
	PST_SAFE(getsockname(fx->peer[0], (struct sockaddr *)&own, &olen));
	PST_EXPECT_EQ(pst_port_of(&peer), pst_port_of(&own),
		      "getpeername(peeled socket) port vs the peer socket's own port");
	close(p);
}

/*
 * RFC 6458 §8: on a branched-off socket the association id of a socket option
 * is ignored. Whatever id SCTP_STATUS is given on the peeled socket, it reports
 * the association that was peeled, as the original socket reported it before
 * the peel (primary peer address, streams, state). Under the linux profile
 * that includes its id: the association keeps the id it had
 * (REF-PEELED-ASSOC-ID-IGNORED). The documents say nothing of the id a
 * one-to-one socket reports, so under the other profiles it is not compared.
 */
static void sctp_status_ignores_assoc_id(struct pst_ctx *ctx)
{
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	const struct sctp_status before = status_of(fx->sut, fx->id[0]);
	struct sockaddr_storage before_addr;
	const bool check_id = ctx->profile == PST_PROFILE_LINUX;
	int p = pst_peel_first(ctx);
	const struct {
		const char *what;
		sctp_assoc_t id;
	} ids[] = {
		{ "id 0", 0 },
		{ "its own association id", fx->id[0] },
		{ "the id of another association (still on the original socket)", fx->id[1] },
		{ "an id nobody owns", BOGUS_ID },
	};

	primary_of(&before, &before_addr);
	if (before.sstat_assoc_id != fx->id[0])
		pst_broken(
		    "SCTP_STATUS on the original socket before the peel: expected association "
		    "id %d, got %d",
		    (int)fx->id[0], (int)before.sstat_assoc_id);
	for (size_t i = 0; i < PST_ARRAY_SIZE(ids); i++) {
		struct sctp_status st = { .sstat_assoc_id = ids[i].id };
		struct sockaddr_storage addr;
		socklen_t len = sizeof(st);

		if (getsockopt(p, IPPROTO_SCTP, SCTP_STATUS, &st, &len) < 0) {
			pst_fail_at(
			    __FILE__, __LINE__, false,
			    "SCTP_STATUS(peeled socket, %s): expected the peeled association, "
			    "got %s",
			    ids[i].what, pst_errname(errno));
			continue;
		}
		primary_of(&st, &addr);
		if (i == PST_ARRAY_SIZE(ids) - 1)
			pst_observe(ctx, PST_SEEN_PEELED, "with %s: association id %d, peer %s",
				    ids[i].what, (int)st.sstat_assoc_id, pst_addr_text(&addr).s);
		PST_EXPECT(
		    (!check_id || st.sstat_assoc_id == before.sstat_assoc_id) &&
			pst_same_addr(&addr, &before_addr) &&
			st.sstat_state == before.sstat_state &&
			st.sstat_instrms == before.sstat_instrms &&
			st.sstat_outstrms == before.sstat_outstrms,
		    "SCTP_STATUS(peeled socket, %s): expected the peeled association as the "
		    "original socket reported it before the peel (id %d%s, peer %s, state %d, "
		    "%u in / %u out streams), got id %d, peer %s, state %d, %u / %u",
		    ids[i].what, (int)before.sstat_assoc_id,
		    check_id ? "" : ", not compared under this profile",
		    pst_addr_text(&before_addr).s, before.sstat_state, before.sstat_instrms,
		    before.sstat_outstrms, (int)st.sstat_assoc_id, pst_addr_text(&addr).s,
		    st.sstat_state, st.sstat_instrms, st.sstat_outstrms);
	}
	close(p);
}

/*
 * Has shutdown() started a graceful shutdown? On receipt of the primitive
 * the endpoint leaves ESTABLISHED (RFC 4960 9.2: SHUTDOWN-PENDING, or
 * SHUTDOWN-SENT when nothing is outstanding) before the call returns (Linux:
 * sctp_shutdown -> sctp_primitive_SHUTDOWN); the association may even be
 * gone already. Still ESTABLISHED afterwards: nothing was started.
 */
static bool still_established(int fd)
{
	return pst_assoc_state(fd, 0) == SCTP_ESTABLISHED;
}

/* A one-to-one socket's shutdown(SHUT_WR) starts a graceful shutdown: the peer is told. */
static void shutdown_wr_starts_graceful_shutdown(struct pst_ctx *ctx)
{
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	union sctp_notification n;
	struct pst_one2one g;
	int p;

	pst_one2one_setup(ctx, &g);
	PST_SAFE(pst_subscribe(g.client, SCTP_SHUTDOWN_EVENT));
	PST_SAFE(pst_subscribe(fx->peer[0], SCTP_SHUTDOWN_EVENT));
	p = pst_peel_first(ctx);

	/* The reference: the genuine socket's shutdown starts at once, and its peer is told. */
	PST_SAFE(shutdown(g.acc, SHUT_WR));
	pst_observe(ctx, PST_SEEN_REFERENCE, "leaves ESTABLISHED, the peer gets SHUTDOWN_EVENT");
	if (still_established(g.acc))
		pst_broken("shutdown(SHUT_WR) on a genuine one-to-one socket returned with its "
			   "association still ESTABLISHED: the state cannot show a shutdown");
	if (pst_recv_notification(g.client, SCTP_SHUTDOWN_EVENT, &n, PST_IO_TIMEOUT_MS) < 0)
		pst_broken("shutdown(SHUT_WR) on a genuine one-to-one socket: its peer got no "
			   "SCTP_SHUTDOWN_EVENT (%s): no reference",
			   pst_errname(errno));

	PST_EXPECT_OK(shutdown(p, SHUT_WR));
	pst_observe(ctx, PST_SEEN_PEELED, "%s",
		    still_established(p) ? "still ESTABLISHED" : "leaves ESTABLISHED");
	pst_check(ctx, "shutdown_wr_graceful");
	if (still_established(p))
		pst_fail_at(__FILE__, __LINE__, false,
			    "shutdown(peeled socket, SHUT_WR): expected the peer to get "
			    "SCTP_SHUTDOWN_EVENT (a graceful shutdown, as on a genuine one-to-one "
			    "socket), got none: the association is still ESTABLISHED after the "
			    "call returned, so no SHUTDOWN was started");
	else if (pst_recv_notification(fx->peer[0], SCTP_SHUTDOWN_EVENT, &n, PST_IO_TIMEOUT_MS) < 0)
		pst_fail_at(
		    __FILE__, __LINE__, false,
		    "shutdown(peeled socket, SHUT_WR): expected the peer to get "
		    "SCTP_SHUTDOWN_EVENT within %d ms (a graceful shutdown, as on a genuine "
		    "one-to-one socket), got %s",
		    PST_IO_TIMEOUT_MS, pst_errname(errno));
	close(p);
	pst_one2one_close(&g);
}

#define ONE2ONE "LNX-DESC-ONE2ONE SOL-DESC-ONE2ONE RFC-9.2-ONE2ONE"
#define LIKE(cname, cop, row, caxes, creqs)                                               \
	{                                                                                 \
		.name = (cname), .fn = verify_like_one_to_one, .fixture = &pst_fx_assoc1, \
		.axes = (caxes), .reqs = (creqs), .param = &(row), .contract = (cop),     \
		.checks = "errno_like_one_to_one safety:descriptors_unchanged "           \
			  "safety:association_undisturbed"                                \
	}

static const struct pst_case cases[] = {
	LIKE("peeled_listen_fails_like_one_to_one", "listen", listen_row, 0, ONE2ONE),
	LIKE("peeled_accept_fails_like_one_to_one", "accept", accept_row, 0, ONE2ONE),
	LIKE("peeled_bind_fails_like_one_to_one", "bind", bind_row, PST_AXIS_FAMILY, ONE2ONE),
	LIKE("peeled_connect_other_listener_fails_like_one_to_one", "connect to another listener",
	     connect_other_row, PST_AXIS_FAMILY, ONE2ONE),
	LIKE("peeled_connect_own_peer_fails_like_one_to_one", "connect to its own peer",
	     connect_same_row, PST_AXIS_FAMILY, ONE2ONE),
	LIKE("peeled_connectx_other_listener_fails_like_one_to_one",
	     "sctp_connectx to another listener", connectx_other_row, PST_AXIS_FAMILY, ONE2ONE),
	LIKE("peeled_autoclose_fails_like_one_to_one", "SCTP_AUTOCLOSE", autoclose_row, 0,
	     ONE2ONE " RFC-8.1.8-AUTOCLOSE"),
	{ .name = "peeled_sendmsg_to_other_peer_fails",
	  .fn = sendmsg_to_other_peer_fails,
	  .contract = "sendmsg to another peer's address",
	  .fixture = &pst_fx_assoc1,
	  .axes = PST_AXIS_FAMILY,
	  .reqs = ONE2ONE,
	  .checks =
	      "msg_name_refused misdirected_not_delivered safety:nothing_reaches_other_peer" },
	{ .name = "peeled_peeloff_gives_EINVAL",
	  .fn = peeloff_of_peeled_fails,
	  .contract = "sctp_peeloff",
	  .fixture = &pst_fx_assoc1,
	  .axes = PST_AXIS_ENTRY,
	  .reqs = "LNX-ERR-EINVAL-ONE2ONE SOL-ERR-EOPNOTSUPP LNX-RET-ERR SOL-RET-ERR " ONE2ONE },
	{ .name = "peeled_so_type_is_sock_stream",
	  .fn = so_type_is_sock_stream,
	  .contract = "SO_TYPE",
	  .fixture = &pst_fx_assoc1,
	  .axes = PST_AXIS_ENTRY,
	  .reqs = ONE2ONE " IMPL-LNX-SOCKTYPE",
	  .checks = "so_type_sock_stream" },
	{ .name = "peeled_getpeername_is_primary_peer_address",
	  .fn = getpeername_is_primary_peer,
	  .contract = "getpeername",
	  .fixture = &pst_fx_assoc1,
	  .axes = PST_AXIS_FAMILY,
	  .reqs = "IMPL-LNX-GETPEERNAME " ONE2ONE,
	  .tags = "linux-git:8467dda0c265",
	  .checks = "primary_peer_address" },
	{ .name = "peeled_sctp_status_ignores_assoc_id",
	  .fn = sctp_status_ignores_assoc_id,
	  .contract = "SCTP_STATUS with any association id",
	  .fixture = &pst_fx_assoc2,
	  .reqs = "RFC-8-ASSOCID-IGNORED " ONE2ONE },
	{ .name = "peeled_shutdown_wr_starts_graceful_shutdown",
	  .fn = shutdown_wr_starts_graceful_shutdown,
	  .contract = "shutdown(SHUT_WR)",
	  .fixture = &pst_fx_assoc1,
	  .reqs = ONE2ONE,
	  .checks = "shutdown_wr_graceful" },
};

PST_SUITE(pst_suite_peeled, "peeled_socket",
	  "The peeled socket is one-to-one: RFC 6458 9.2, 8, 8.1.8; both man pages", cases);
