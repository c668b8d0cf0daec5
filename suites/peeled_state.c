/*
 * The peeled socket's state and readiness, as a one-to-one style socket's
 * (RFC 6458 9.2, both man pages): SO_ACCEPTCONN, connect() to an address
 * where nothing listens, shutdown(SHUT_RD) and shutdown(SHUT_RDWR) (RFC 6458
 * 4.1.7), recv() and send() after the peer closed, and what poll() and epoll
 * report. Each case does the operation on the peeled socket and on a genuine
 * one-to-one socket in the same topology (fixtures/one_to_one.h: the
 * accept()ed server side of an association, the peeled socket's analogue).
 *
 * Where a document says what a one-to-one (stream) socket does (RFC 6458
 * 4.1.7; the Linux socket, recv, send and poll pages), the peeled socket is
 * held to it and the reference socket is only observed. Where none does (the
 * exact errno, which hang-up bits), the peeled socket must do what the
 * reference socket does: a reference behaviour (REF-PEELED-STATE-LIKE-ONE-TO-ONE
 * in suites/requirements/REFERENCES.md). What a document leaves open and
 * Linux 6.1's peeled socket was seen to do (recv() giving exactly 0 once
 * receiving is shut down) is a reference behaviour under the linux profile.
 * Where Linux departs from a document, the case asserts the document and
 * suites/deviations/peeled.tsv waives it.
 *
 * The peeled socket inherits the one-to-many socket's SCTP_ASSOC_CHANGE
 * subscription and the reference socket has none; the cases where the
 * association ends turn it off on the peeled socket first, so that a
 * notification neither reads as data nor makes the socket readable.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "../fixtures/assoc.h"
#include "../fixtures/io.h"
#include "../fixtures/one_to_one.h"
#include "../fixtures/sctp_mib.h"
#include "../fixtures/waiters.h"
#include "suites.h"

#define NO_LISTENER_PORT (PST_ONE2ONE_PORT + 2) /* nothing binds it in the client netns */
#define OUT_PACKETS	 "SctpOutSCTPPacks"	/* MIB: SCTP packets sent, any chunk */
#define IN_DATA		 "SctpInOrderChunks"	/* MIB: ordered DATA chunks received */
#define RECV_HANG_MS	 1000 /* SO_RCVTIMEO of a blocking recv: only a hang reaches it */
#define NAP_MS		 1    /* how often a state awaited is looked at */
#define MSG_BUF		 256  /* more than any message the cases send */
#define READY_BITS	 (POLLIN | POLLOUT | POLLRDHUP | POLLHUP | POLLERR)
#define HANGUP_BITS	 (POLLHUP | POLLERR)
#define BITS_WORDS	 64	       /* "POLLIN|POLLOUT|POLLRDHUP|POLLHUP|POLLERR" */
#define RX_WORDS	 (MSG_BUF + 8) /* a recv result in words: the data quoted */
#define GLUE_WORDS	 64	       /* the words between the parts of a longer text */
#define RECV_CALLS	 4 /* after the peer closed: the message, then end of file three times */

/* poll and epoll bits are the same numbers on Linux: one mask serves both. */
_Static_assert(POLLIN == EPOLLIN && POLLOUT == EPOLLOUT && POLLRDHUP == EPOLLRDHUP &&
		   POLLHUP == EPOLLHUP && POLLERR == EPOLLERR,
	       "poll and epoll readiness bits differ");

/* Turn off the SCTP_ASSOC_CHANGE the peeled socket inherited (the reference has none). */
static void quiet(int fd)
{
	struct sctp_event ev = { .se_type = SCTP_ASSOC_CHANGE, .se_on = 0 };

	PST_SAFE(setsockopt(fd, IPPROTO_SCTP, SCTP_EVENT, &ev, sizeof(ev)));
}

/*
 * Wait until fd's association is gone (SCTP_STATUS no longer finds it):
 * the SHUTDOWN handshake the peer's close() started has ended. BROKEN if it
 * has not within the I/O timeout: the rest of the case would prove nothing.
 */
static void await_assoc_end(int fd, const char *what)
{
	long deadline = pst_now_ms() + PST_IO_TIMEOUT_MS;

	while (pst_assoc_state(fd, 0) >= 0) {
		if (pst_now_ms() > deadline)
			pst_broken("%s: its association still exists %d ms after the peer closed "
				   "(state %d)",
				   what, PST_IO_TIMEOUT_MS, pst_assoc_state(fd, 0));
		pst_sleep_ms(NAP_MS);
	}
}

/* The peers of both sockets close; both associations end. */
static void peers_close(struct pst_one2one *g, struct pst_assoc_fx *fx, int p)
{
	close(g->client);
	g->client = -1;
	close(fx->peer[0]);
	fx->peer[0] = -1;
	await_assoc_end(g->acc, "the genuine one-to-one socket");
	await_assoc_end(p, "the peeled socket");
}

/* A packet counter of the server netns, or BROKEN. */
static long mib(int fd, const char *name)
{
	return PST_SAFE(pst_mib_get(fd, name));
}

/* The packets the association of fd (a one-to-one or peeled socket) has sent, or BROKEN. */
static unsigned long long assoc_opackets(int fd)
{
	struct sctp_assoc_stats st = { .sas_assoc_id = 0 };
	socklen_t len = sizeof(st);

	PST_SAFE(getsockopt(fd, IPPROTO_SCTP, SCTP_GET_ASSOC_STATS, &st, &len));
	return st.sas_opackets;
}

/*
 * The packets the server netns sends across one call on a socket. The netns
 * holds two associations then, the peeled socket's and the genuine
 * one-to-one socket's: what the other socket's association sends meanwhile
 * (a heartbeat) would pass for the call's, so it is watched with its own
 * counter (SCTP_GET_ASSOC_STATS) and a packet of it is BROKEN. The netns
 * counter is still what is read: it also sees an INIT of an association the
 * call starts, which no existing association counts.
 */
struct pk_watch {
	long netns;
	unsigned long long other;
};

static struct pk_watch pk_start(int m, int other)
{
	return (struct pk_watch){ mib(m, OUT_PACKETS), assoc_opackets(other) };
}

static long pk_sent(int m, int other, const struct pk_watch *w, const char *what)
{
	const long sent = mib(m, OUT_PACKETS) - w->netns;
	const unsigned long long o = assoc_opackets(other);

	if (o != w->other)
		pst_broken("%s: the other socket's association sent %llu packet(s) during the call "
			   "(a heartbeat?): the netns's %s cannot tell the call's own",
			   what, o - w->other, OUT_PACKETS);
	return sent;
}

/*
 * Results in words, for messages and observations (C11: a returned array
 * lives to the end of the full expression).
 */
struct bits_words {
	char s[BITS_WORDS];
};
struct ready_words {
	char s[2 * BITS_WORDS + GLUE_WORDS];
};
struct rx_words {
	char s[RX_WORDS];
};
struct calls_words {
	char s[RECV_CALLS * RX_WORDS + GLUE_WORDS];
};

static struct bits_words bits_text(unsigned bits)
{
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = { { POLLIN, "POLLIN" },
		      { POLLOUT, "POLLOUT" },
		      { POLLRDHUP, "POLLRDHUP" },
		      { POLLHUP, "POLLHUP" },
		      { POLLERR, "POLLERR" } };
	struct bits_words t = { "none" };
	size_t off = 0;

	for (size_t i = 0; i < PST_ARRAY_SIZE(names); i++)
		if (bits & names[i].bit)
			off += (size_t)snprintf(t.s + off, sizeof(t.s) - off, "%s%s",
						off ? "|" : "", names[i].name);
	return t;
}

/* What poll() and a level-triggered epoll report of fd at once. */
struct ready {
	unsigned poll, epoll;
};

static struct ready readiness(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN | POLLOUT | POLLRDHUP };
	/* data.fd: the fault shims read it to tell which socket an event is of. */
	struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT | EPOLLRDHUP, .data.fd = fd }, got;
	struct ready r = { 0, 0 };
	int ep = (int)PST_SAFE(epoll_create1(EPOLL_CLOEXEC));

	PST_SAFE(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev));
	if (PST_SAFE(poll(&pfd, 1, 0)) == 1)
		r.poll = (unsigned)pfd.revents & READY_BITS;
	if (PST_SAFE(epoll_wait(ep, &got, 1, 0)) == 1)
		r.epoll = got.events & READY_BITS;
	close(ep);
	return r;
}

/* Only the hang-up bits of r. */
static struct ready hangup(struct ready r)
{
	return (struct ready){ r.poll & HANGUP_BITS, r.epoll & HANGUP_BITS };
}

static struct ready_words ready_text(struct ready r)
{
	struct ready_words t;

	if (r.poll == r.epoll)
		snprintf(t.s, sizeof(t.s), "%s", bits_text(r.poll).s);
	else
		snprintf(t.s, sizeof(t.s), "poll %s, epoll %s", bits_text(r.poll).s,
			 bits_text(r.epoll).s);
	return t;
}

/* One recv() and its outcome. */
struct rx {
	ssize_t n;
	int err;
	char data[MSG_BUF];
};

static struct rx recv_one(int fd, int flags)
{
	struct rx r;

	errno = 0;
	r.n = recv(fd, r.data, sizeof(r.data) - 1, flags);
	r.err = errno;
	r.data[r.n > 0 ? r.n : 0] = '\0';
	return r;
}

static struct rx_words rx_text(const struct rx *r)
{
	struct rx_words t;

	if (r->n < 0)
		snprintf(t.s, sizeof(t.s), "%s", pst_errname(r->err));
	else if (r->n == 0)
		snprintf(t.s, sizeof(t.s), "0");
	else
		snprintf(t.s, sizeof(t.s), "'%s'", r->data);
	return t;
}

/* A blocking recv on fd returns within RECV_HANG_MS whatever happens. */
static void bound_recv(int fd)
{
	struct timeval tv = { .tv_sec = RECV_HANG_MS / PST_MS_PER_S,
			      .tv_usec = (RECV_HANG_MS % PST_MS_PER_S) * PST_US_PER_MS };

	PST_SAFE(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
}

/*
 * SO_ACCEPTCONN (socket(7)): 0, "not a listening socket". The peeled socket
 * was never marked with listen(); the one-to-many socket it came from was,
 * and must read 1, or the option would not show the difference.
 */
static void so_acceptconn_is_0(struct pst_ctx *ctx)
{
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	struct pst_one2one g;
	int p, v = -1, ref = pst_sockopt_int(fx->sut, SOL_SOCKET, SO_ACCEPTCONN);
	socklen_t len = sizeof(v);

	if (ref != 1)
		pst_broken("SO_ACCEPTCONN of the listening one-to-many socket: expected 1, got %d: "
			   "the option does not tell a listening socket, the check proves nothing",
			   ref);
	pst_one2one_setup(ctx, &g);
	p = pst_peel_first(ctx);

	ref = pst_sockopt_int(g.acc, SOL_SOCKET, SO_ACCEPTCONN);
	pst_observe(ctx, PST_SEEN_REFERENCE, "SO_ACCEPTCONN %d", ref);
	PST_ASSERT_OK(getsockopt(p, SOL_SOCKET, SO_ACCEPTCONN, &v, &len));
	pst_observe(ctx, PST_SEEN_PEELED, "SO_ACCEPTCONN %d", v);
	pst_check(ctx, "not_listening");
	PST_EXPECT(v == 0,
		   "SO_ACCEPTCONN of the peeled socket: expected 0 (not a listening socket, as the "
		   "genuine one-to-one socket: %d), got %d",
		   ref, v);
	close(p);
	pst_one2one_close(&g);
}

/* connect() with fd non-blocking, so that nothing it starts can hold the case. */
static int connect_nonblocking(int fd, const struct sockaddr_storage *to, socklen_t tolen, int *err)
{
	int fl = (int)PST_SAFE(fcntl(fd, F_GETFL));
	int r;

	PST_SAFE(fcntl(fd, F_SETFL, fl | O_NONBLOCK));
	errno = 0;
	r = connect(fd, (const struct sockaddr *)to, tolen);
	*err = errno;
	PST_SAFE(fcntl(fd, F_SETFL, fl));
	return r;
}

/*
 * connect() to an address where nothing listens: a connected one-to-one
 * socket refuses it (connect(2): EISCONN, "already connected"), sends
 * nothing towards that address, and keeps its association. "Nothing sent" is
 * the server netns's packet counter unchanged across the call: connect()
 * sends its INIT before it returns (sctp_primitive_ASSOCIATE), so a call
 * that started an association has counted it; the probe at the end shows
 * that the counter does see such an INIT.
 */
static void connect_no_listener_fails(struct pst_ctx *ctx)
{
	static const struct pst_errnos expected = { EISCONN, EISCONN, PST_ANY_ERRNO };
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	struct sockaddr_storage to;
	socklen_t tolen = pst_addr(PST_CLIENT, ctx->family, 0, NO_LISTENER_PORT, &to);
	struct pst_one2one g;
	int p, m, probe, r, err, ref_err;
	long pk0, pk1, sent;
	struct pk_watch w;

	pst_one2one_setup(ctx, &g);
	p = pst_peel_first(ctx);
	m = (int)PST_SAFE(pst_mib_open(ctx->topo, PST_SERVER));

	r = connect_nonblocking(g.acc, &to, tolen, &ref_err);
	pst_observe(ctx, PST_SEEN_REFERENCE, "%s", r < 0 ? pst_errname(ref_err) : "0 (connected)");

	w = pk_start(m, g.acc);
	r = connect_nonblocking(p, &to, tolen, &err);
	sent = pk_sent(m, g.acc, &w, "connect(peeled socket)");
	pst_observe(ctx, PST_SEEN_PEELED, "%s, %ld packets sent", r < 0 ? pst_errname(err) : "0",
		    sent);
	pst_check(ctx, "connect_refused");
	pst_check_errno_at(__FILE__, __LINE__, false,
			   "connect(peeled socket, an address where nothing listens)", r, err,
			   pst_expected_errno(ctx, expected));
	pst_check(ctx, "errno_like_one_to_one");
	PST_EXPECT(r < 0 && err == ref_err,
		   "connect(peeled socket, an address where nothing listens): expected %s, as the "
		   "genuine one-to-one socket, got %s",
		   pst_errname(ref_err), r < 0 ? pst_errname(err) : "success");
	pst_check(ctx, "nothing_sent");
	PST_EXPECT(sent == 0,
		   "the server netns: expected no packet sent by connect() on the peeled socket "
		   "(%s), got %ld sent: it started an association with %s",
		   OUT_PACKETS, sent, pst_addr_text(&to).s);
	pst_check(ctx, "association_undisturbed");
	pst_expect_exchange(p, 0, fx->peer[0], "the peeled socket's association after connect()");

	/* The probe: a fresh socket's connect() there is counted. */
	PST_SAFE(pst_topo_enter(ctx->topo, PST_SERVER));
	probe = (int)PST_SAFE(socket(ctx->family, SOCK_STREAM, IPPROTO_SCTP));
	pk0 = mib(m, OUT_PACKETS);
	connect_nonblocking(probe, &to, tolen, &err);
	pk1 = mib(m, OUT_PACKETS);
	if (pk1 == pk0)
		pst_broken(
		    "a fresh socket's connect() to %s left %s at %ld (%s): the counter would "
		    "not show an INIT, the check proves nothing",
		    pst_addr_text(&to).s, OUT_PACKETS, pk0, pst_errname(err));
	close(probe);
	close(m);
	close(p);
	pst_one2one_close(&g);
}

/* Wait until the server netns has received one more DATA chunk than `before`. */
static void await_data_in(int m, long before, const char *what)
{
	long deadline = pst_now_ms() + PST_IO_TIMEOUT_MS;

	while (mib(m, IN_DATA) <= before) {
		if (pst_now_ms() > deadline)
			pst_broken(
			    "%s: the peer's message did not reach the server netns within %d "
			    "ms (%s still %ld): no proof it was there to be delivered",
			    what, PST_IO_TIMEOUT_MS, IN_DATA, before);
		pst_sleep_ms(NAP_MS);
	}
}

/*
 * Under the linux profile, recv(MSG_DONTWAIT) after shutdown(how) gave
 * exactly 0 at once, and again after the peer's message arrived (late, when
 * one was sent): what Linux 6.1 did (ref), where the RFC says "Disables".
 */
static void expect_eof_at_once(const struct pst_ctx *ctx, const char *how, const struct rx *eof,
			       const struct rx *late, bool late_tried, const char *ref)
{
	char after[RX_WORDS + GLUE_WORDS] = "";

	if (ctx->profile != PST_PROFILE_LINUX) {
		pst_log("%s: RFC 6458 4.1.7 does not say how a disabled recv() ends: its value is "
			"not compared",
			pst_profile_name(ctx->profile));
		return;
	}
	if (late_tried)
		snprintf(after, sizeof(after), ", then %s after the peer's message arrived",
			 rx_text(late).s);
	pst_check(ctx, "end_of_file_at_once");
	PST_EXPECT(
	    eof->n == 0 && (!late_tried || late->n == 0),
	    "recv(peeled socket, MSG_DONTWAIT) after %s: expected 0 (end of file) at once%s, "
	    "as on Linux 6.1 (%s), got %s%s",
	    how, late_tried ? ", also after the peer's message arrived" : "", ref, rx_text(eof).s,
	    after);
}

/* What shutdown(SHUT_RD) did to one socket, and what it did afterwards. */
struct shut_rd {
	int ret, err;
	long sent;	  /* packets the server netns sent across the call */
	int state;	  /* SCTP_STATUS state right after it */
	struct rx eof;	  /* recv(MSG_DONTWAIT) with nothing queued */
	struct rx late;	  /* recv(MSG_DONTWAIT) after the peer's message arrived */
	bool still_sends; /* a message sent afterwards reached the peer */
};

/* shutdown(fd, SHUT_RD); other: the socket whose association is not under test. */
static void shut_rd_call(int m, int fd, int other, struct shut_rd *s)
{
	const struct pk_watch w = pk_start(m, other);

	errno = 0;
	s->ret = shutdown(fd, SHUT_RD);
	s->err = errno;
	s->sent = pk_sent(m, other, &w, "shutdown(SHUT_RD)");
	s->state = pst_assoc_state(fd, 0);
	s->eof = recv_one(fd, MSG_DONTWAIT);
}

static void shut_rd_after(int m, int fd, int peer, struct shut_rd *s, const char *what)
{
	static const char late[] = "sent after SHUT_RD", still[] = "still sending";
	char buf[MSG_BUF];
	long in0 = mib(m, IN_DATA);

	PST_SAFE(pst_send(peer, 0, late, strlen(late)));
	await_data_in(m, in0, what);
	s->late = recv_one(fd, MSG_DONTWAIT);
	errno = 0;
	s->still_sends =
	    send(fd, still, strlen(still), MSG_NOSIGNAL | MSG_DONTWAIT) == (ssize_t)strlen(still) &&
	    pst_recv_data(peer, buf, sizeof(buf), PST_IO_TIMEOUT_MS) == (ssize_t)strlen(still) &&
	    memcmp(buf, still, strlen(still)) == 0;
}

static void shut_rd_observe(const struct pst_ctx *ctx, enum pst_side_seen side,
			    const struct shut_rd *s)
{

	pst_observe(ctx, side,
		    "%s; %ld packets sent; state %d; recv %s, after the peer's message %s; "
		    "sending %s",
		    s->ret < 0 ? pst_errname(s->err) : "0", s->sent, s->state, rx_text(&s->eof).s,
		    rx_text(&s->late).s, s->still_sends ? "works" : "fails");
}

/*
 * RFC 6458 4.1.7, SHUT_RD: "Disables further receive operations. No SCTP
 * protocol action is taken." Disabled: recv() delivers nothing, not even a
 * message the peer sends afterwards, which the server netns is seen to
 * receive. No action: no packet is sent across the call, the association
 * stays ESTABLISHED and still carries data to the peer. How a disabled
 * recv() says so the RFC leaves open: Linux 6.1 gives 0 (end of file) at
 * once, on the peeled and the genuine socket alike (a reference behaviour).
 */
static void shutdown_rd_disables_receive_only(struct pst_ctx *ctx)
{
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	struct shut_rd ref, got;
	struct pst_one2one g;
	int p, m;

	pst_one2one_setup(ctx, &g);
	p = pst_peel_first(ctx);
	quiet(p);
	m = (int)PST_SAFE(pst_mib_open(ctx->topo, PST_SERVER));

	/* Both calls before any data moves: no SACK may be due while the counter is read. */
	shut_rd_call(m, g.acc, p, &ref);
	shut_rd_call(m, p, g.acc, &got);
	shut_rd_after(m, g.acc, g.client, &ref, "the genuine one-to-one socket");
	shut_rd_after(m, p, fx->peer[0], &got, "the peeled socket");
	shut_rd_observe(ctx, PST_SEEN_REFERENCE, &ref);
	shut_rd_observe(ctx, PST_SEEN_PEELED, &got);

	pst_check(ctx, NULL);
	pst_check_ok_at(__FILE__, __LINE__, false, "shutdown(peeled socket, SHUT_RD)", got.ret,
			got.err);
	pst_check(ctx, "no_protocol_action");
	PST_EXPECT(got.sent == 0 && got.state == SCTP_ESTABLISHED && got.still_sends,
		   "shutdown(peeled socket, SHUT_RD): expected no SCTP protocol action (no packet "
		   "sent, the association ESTABLISHED (%d) and still carrying data to the peer), "
		   "got %ld packets sent, state %d, sending %s",
		   SCTP_ESTABLISHED, got.sent, got.state, got.still_sends ? "works" : "fails");
	pst_check(ctx, "receive_disabled");
	PST_EXPECT(got.eof.n <= 0 && got.late.n <= 0,
		   "recv(peeled socket) after shutdown(SHUT_RD): expected no data (receive "
		   "disabled), also after the peer's message arrived, got %s, then %s",
		   rx_text(&got.eof).s, rx_text(&got.late).s);
	expect_eof_at_once(ctx, "shutdown(SHUT_RD)", &got.eof, &got.late, true,
			   "REF-PEELED-STATE-LIKE-ONE-TO-ONE");
	close(m);
	close(p);
	pst_one2one_close(&g);
}

/* What shutdown(SHUT_RDWR) did to one socket. */
struct shut_rdwr {
	int ret, err;
	int state;	/* SCTP_STATUS state right after it (-1: the association is gone) */
	bool peer_told; /* the peer got SCTP_SHUTDOWN_EVENT */
	ssize_t sent;	/* a send afterwards */
	int send_err;
	struct rx eof;	/* recv(MSG_DONTWAIT) afterwards */
	bool late_sent; /* the association stayed: the peer sent a message, seen arriving */
	struct rx late; /* recv(MSG_DONTWAIT) then */
};

/*
 * Does SCTP_SHUTDOWN_EVENT reach peer (subscribed to it) within the I/O
 * timeout? Data before it is passed over. Once the SHUTDOWN has arrived the
 * peer's socket also reads end of file, so a 0 means "not yet", not "never".
 */
static bool await_shutdown_event(int peer)
{
	long deadline = pst_now_ms() + PST_IO_TIMEOUT_MS;

	for (long left; (left = deadline - pst_now_ms()) >= 0;) {
		struct pollfd pfd = { .fd = peer, .events = POLLIN };
		union sctp_notification n;
		struct iovec iov = { .iov_base = &n, .iov_len = sizeof(n) };
		struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
		ssize_t r;

		if (poll(&pfd, 1, (int)left) <= 0)
			return false;
		r = recvmsg(peer, &m, MSG_DONTWAIT);
		if (r > 0 && (m.msg_flags & MSG_NOTIFICATION) &&
		    n.sn_header.sn_type == SCTP_SHUTDOWN_EVENT)
			return true;
		if (r == 0)
			pst_sleep_ms(NAP_MS);
		else if (r < 0 && errno != EAGAIN)
			return false;
	}
	return false;
}

static void shut_rdwr(int m, int fd, int peer, struct shut_rdwr *s, const char *what)
{
	static const char msg[] = "sent after SHUT_RDWR", late[] = "the peer's, after SHUT_RDWR";

	errno = 0;
	s->ret = shutdown(fd, SHUT_RDWR);
	s->err = errno;
	s->state = pst_assoc_state(fd, 0);
	errno = 0;
	s->sent = send(fd, msg, strlen(msg), MSG_NOSIGNAL | MSG_DONTWAIT);
	s->send_err = errno;
	s->eof = recv_one(fd, MSG_DONTWAIT);
	/* Only a shutdown that started tells the peer: still ESTABLISHED, nothing to wait for. */
	s->peer_told = s->state != SCTP_ESTABLISHED && await_shutdown_event(peer);
	/*
	 * Receive disabled: while the association stays (a shutdown that started
	 * lets the peer send nothing new), a message the peer sends, seen
	 * arriving in the server netns, is never delivered.
	 */
	s->late_sent = s->state == SCTP_ESTABLISHED;
	if (s->late_sent) {
		const long in0 = mib(m, IN_DATA);

		PST_SAFE(send(peer, late, strlen(late), MSG_NOSIGNAL | MSG_DONTWAIT));
		await_data_in(m, in0, what);
		s->late = recv_one(fd, MSG_DONTWAIT);
	}
}

static void shut_rdwr_observe(const struct pst_ctx *ctx, enum pst_side_seen side,
			      const struct shut_rdwr *s)
{

	pst_observe(ctx, side, "%s; state %d, the peer %s; send %s; recv %s%s%s",
		    s->ret < 0 ? pst_errname(s->err) : "0", s->state,
		    s->peer_told ? "told (SHUTDOWN_EVENT)" : "not told",
		    s->sent < 0 ? pst_errname(s->send_err) : "succeeds", rx_text(&s->eof).s,
		    s->late_sent ? ", after the peer's message " : "",
		    s->late_sent ? rx_text(&s->late).s : "");
}

/*
 * RFC 6458 4.1.7, SHUT_RDWR: "Disables further send and receive operations,
 * and initiates the SCTP shutdown sequence." Started: the association has
 * left ESTABLISHED when the call returns and the peer gets
 * SCTP_SHUTDOWN_EVENT. Send disabled: a send afterwards fails, with EPIPE
 * under the linux profile (send(2): "The local end has been shut down on a
 * connection oriented socket"). Receive disabled: recv() delivers nothing,
 * not even a message the peer sends afterwards while the association stays;
 * exactly 0 at once is what Linux 6.1 gave (a reference behaviour).
 */
static void shutdown_rdwr_disables_io_and_starts_shutdown(struct pst_ctx *ctx)
{
	static const struct pst_errnos epipe = { EPIPE, PST_ANY_ERRNO, PST_ANY_ERRNO };
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	struct shut_rdwr ref, got;
	struct pst_one2one g;
	int p, m;

	pst_one2one_setup(ctx, &g);
	PST_SAFE(pst_subscribe(g.client, SCTP_SHUTDOWN_EVENT));
	PST_SAFE(pst_subscribe(fx->peer[0], SCTP_SHUTDOWN_EVENT));
	p = pst_peel_first(ctx);
	quiet(p);
	m = (int)PST_SAFE(pst_mib_open(ctx->topo, PST_SERVER));

	shut_rdwr(m, g.acc, g.client, &ref, "the genuine one-to-one socket");
	shut_rdwr_observe(ctx, PST_SEEN_REFERENCE, &ref);
	shut_rdwr(m, p, fx->peer[0], &got, "the peeled socket");
	shut_rdwr_observe(ctx, PST_SEEN_PEELED, &got);

	pst_check(ctx, NULL);
	pst_check_ok_at(__FILE__, __LINE__, false, "shutdown(peeled socket, SHUT_RDWR)", got.ret,
			got.err);
	pst_check(ctx, "shutdown_started");
	PST_EXPECT(got.state != SCTP_ESTABLISHED && got.peer_told,
		   "shutdown(peeled socket, SHUT_RDWR): expected the SCTP shutdown sequence "
		   "started (the association out of ESTABLISHED, the peer told within %d ms), got "
		   "state %d and the peer %s",
		   PST_IO_TIMEOUT_MS, got.state, got.peer_told ? "told" : "not told");
	pst_check(ctx, "send_disabled");
	pst_check_errno_at(__FILE__, __LINE__, false,
			   "send(peeled socket) after shutdown(SHUT_RDWR) (send disabled)",
			   got.sent, got.send_err, pst_expected_errno(ctx, epipe));
	pst_check(ctx, "receive_disabled");
	PST_EXPECT(got.eof.n <= 0 && (!got.late_sent || got.late.n <= 0),
		   "recv(peeled socket) after shutdown(SHUT_RDWR): expected no data (receive "
		   "disabled)%s, got %s%s%s",
		   got.late_sent ? ", also after the peer's message arrived" : "",
		   rx_text(&got.eof).s, got.late_sent ? ", then " : "",
		   got.late_sent ? rx_text(&got.late).s : "");
	expect_eof_at_once(ctx, "shutdown(SHUT_RDWR)", &got.eof, &got.late, got.late_sent,
			   "REF-PEELED-SHUTDOWN-RDWR");
	close(m);
	close(p);
	pst_one2one_close(&g);
}

/* recv() on one socket after its peer sent a last message and closed. */
struct after_close {
	struct rx r[RECV_CALLS];
};

static void recv_after_close(int fd, struct after_close *a)
{
	bound_recv(fd);
	for (int i = 0; i < RECV_CALLS - 1; i++)
		a->r[i] = recv_one(fd, 0);
	a->r[RECV_CALLS - 1] = recv_one(fd, MSG_DONTWAIT);
}

static struct calls_words after_close_text(const struct after_close *a)
{
	struct calls_words t;

	snprintf(t.s, sizeof(t.s), "%s, then %s, %s, %s (the last with MSG_DONTWAIT)",
		 rx_text(&a->r[0]).s, rx_text(&a->r[1]).s, rx_text(&a->r[2]).s,
		 rx_text(&a->r[3]).s);
	return t;
}

/*
 * recv() after the peer closed (recv(2): "When a stream socket peer has
 * performed an orderly shutdown, the return value will be 0"): the message
 * the peer sent before it closed comes first, then end of file, and again on
 * every later call, blocking or not, never an error. The case waits until
 * the association has ended on both sockets, so that every call sees the
 * final state; a blocking call is bounded (SO_RCVTIMEO) in case it hangs.
 */
static void recv_after_peer_close_gives_eof(struct pst_ctx *ctx)
{
	static const char last[] = "last words";
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	struct after_close ref, got;
	struct pst_one2one g;
	struct calls_words text;
	int p;

	pst_one2one_setup(ctx, &g);
	p = pst_peel_first(ctx);
	quiet(p);
	PST_SAFE(pst_send(g.client, 0, last, strlen(last)));
	PST_SAFE(pst_send(fx->peer[0], 0, last, strlen(last)));
	peers_close(&g, fx, p);

	recv_after_close(g.acc, &ref);
	pst_observe(ctx, PST_SEEN_REFERENCE, "%s", after_close_text(&ref).s);
	recv_after_close(p, &got);
	text = after_close_text(&got);
	pst_observe(ctx, PST_SEEN_PEELED, "%s", text.s);

	pst_check(ctx, "data_before_eof");
	PST_EXPECT(got.r[0].n == (ssize_t)strlen(last) && strcmp(got.r[0].data, last) == 0,
		   "recv(peeled socket) after the peer sent '%s' and closed: expected '%s' first, "
		   "got %s",
		   last, last, text.s);
	pst_check(ctx, "end_of_file");
	PST_EXPECT(got.r[1].n == 0 && got.r[2].n == 0 && got.r[3].n == 0,
		   "recv(peeled socket) after the peer closed: expected 0 (end of file) on every "
		   "call after the data, got %s",
		   text.s);
	close(p);
	pst_one2one_close(&g);
}

/* A send after the association ended, without and with MSG_NOSIGNAL. */
struct tx {
	ssize_t r[2];
	int err[2];
	bool sigpipe[2];
};

static bool sigpipe_pending(void)
{
	sigset_t s;

	PST_SAFE(sigpending(&s));
	return sigismember(&s, SIGPIPE) == 1;
}

/* Take a pending SIGPIPE (SIGPIPE is blocked): the next look starts clean. */
static void drain_sigpipe(void)
{
	static const struct timespec now = { 0, 0 };
	sigset_t s;

	sigemptyset(&s);
	sigaddset(&s, SIGPIPE);
	while (sigtimedwait(&s, NULL, &now) == SIGPIPE)
		;
}

static void send_after_close(int fd, struct tx *t)
{
	static const char msg[] = "after the close";
	static const int flags[2] = { MSG_DONTWAIT, MSG_DONTWAIT | MSG_NOSIGNAL };

	for (int i = 0; i < 2; i++) {
		drain_sigpipe();
		errno = 0;
		t->r[i] = send(fd, msg, strlen(msg), flags[i]);
		t->err[i] = errno;
		t->sigpipe[i] = sigpipe_pending();
	}
	drain_sigpipe();
}

static void tx_observe(const struct pst_ctx *ctx, enum pst_side_seen side, const struct tx *t)
{
	pst_observe(ctx, side, "%s %s; with MSG_NOSIGNAL %s %s",
		    t->r[0] < 0 ? pst_errname(t->err[0]) : "sent",
		    t->sigpipe[0] ? "and SIGPIPE" : "no SIGPIPE",
		    t->r[1] < 0 ? pst_errname(t->err[1]) : "sent",
		    t->sigpipe[1] ? "and SIGPIPE" : "no SIGPIPE");
}

/*
 * send() after the peer closed (send(2), MSG_NOSIGNAL: "Don't generate a
 * SIGPIPE signal if the peer on a stream-oriented socket has closed the
 * connection. The EPIPE error is still returned."): EPIPE with and without
 * the flag, SIGPIPE only without it. The signal is seen blocked and pending
 * (sigpending), never through a handler, and nothing may be sent: the
 * association is gone and a one-to-one socket must not start another. (The
 * EPIPE entry of send(2), "The local end has been shut down", is the
 * shutdown(SHUT_RDWR) case's.)
 */
static void send_after_peer_close_gives_epipe(struct pst_ctx *ctx)
{
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	struct pst_one2one g;
	struct tx ref, got;
	sigset_t pipe_set, old;
	int p, m;
	long pk0, pk1;

	pst_one2one_setup(ctx, &g);
	p = pst_peel_first(ctx);
	quiet(p);
	m = (int)PST_SAFE(pst_mib_open(ctx->topo, PST_SERVER));
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	PST_SAFE(sigprocmask(SIG_BLOCK, &pipe_set, &old));
	peers_close(&g, fx, p);

	send_after_close(g.acc, &ref);
	tx_observe(ctx, PST_SEEN_REFERENCE, &ref);
	pk0 = mib(m, OUT_PACKETS);
	send_after_close(p, &got);
	pk1 = mib(m, OUT_PACKETS);
	tx_observe(ctx, PST_SEEN_PEELED, &got);
	PST_SAFE(sigprocmask(SIG_SETMASK, &old, NULL));

	pst_check(ctx, "epipe");
	pst_check_errno_at(__FILE__, __LINE__, false, "send(peeled socket) after the peer closed",
			   got.r[0], got.err[0], EPIPE);
	pst_check_errno_at(__FILE__, __LINE__, false,
			   "send(peeled socket, MSG_NOSIGNAL) after the peer closed", got.r[1],
			   got.err[1], EPIPE);
	pst_check(ctx, "sigpipe_raised");
	PST_EXPECT(got.sigpipe[0],
		   "send(peeled socket) after the peer closed: expected SIGPIPE raised (pending, "
		   "blocked), got none");
	pst_check(ctx, "no_sigpipe_with_nosignal");
	PST_EXPECT(!got.sigpipe[1],
		   "send(peeled socket, MSG_NOSIGNAL) after the peer closed: expected no SIGPIPE, "
		   "got one pending");
	pst_check(ctx, "nothing_sent");
	PST_EXPECT(pk1 == pk0,
		   "the server netns: expected no packet sent by the sends on the peeled socket "
		   "whose association ended (%s %ld before), got %ld sent",
		   OUT_PACKETS, pk0, pk1 - pk0);
	close(m);
	close(p);
	pst_one2one_close(&g);
}

/* Poll fd for POLLIN until it comes or the I/O timeout: its readiness then. */
static struct ready await_pollin(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	PST_SAFE(poll(&pfd, 1, PST_IO_TIMEOUT_MS));
	return readiness(fd);
}

/* Readiness of one socket while idle, with room to send, and once data came. */
struct data_room {
	struct ready idle, data;
	bool sent;	/* the non-blocking send after POLLOUT succeeded */
	bool delivered; /* and the peer received that message */
	struct rx got;	/* what recv then read */
};

static const char data_msg[] = "data";

static void data_and_room(int fd, int peer, struct data_room *d)
{
	static const char room[] = "room";

	d->idle = readiness(fd);
	d->sent =
	    send(fd, room, strlen(room), MSG_NOSIGNAL | MSG_DONTWAIT) == (ssize_t)strlen(room);
	/* The send under test: a message lost is its failure, not the setup's. */
	if (d->sent) {
		char buf[MSG_BUF];

		d->delivered = pst_recv_data(peer, buf, sizeof(buf), PST_IO_TIMEOUT_MS) ==
				   (ssize_t)strlen(room) &&
			       memcmp(buf, room, strlen(room)) == 0;
	}
	PST_SAFE(pst_send(peer, 0, data_msg, strlen(data_msg)));
	d->data = await_pollin(fd);
	d->got = recv_one(fd, MSG_DONTWAIT);
}

static void data_room_observe(const struct pst_ctx *ctx, enum pst_side_seen side,
			      const struct data_room *d)
{

	pst_observe(ctx, side, "idle %s; with data %s", ready_text(d->idle).s,
		    ready_text(d->data).s);
}

/*
 * poll() and epoll (poll(2): POLLOUT "Writing is now possible", POLLIN
 * "There is data to read"): idle with an empty send buffer, the socket is
 * writable (and a non-blocking send then succeeds), and reports what the
 * genuine one-to-one socket reports; once the peer's message came (polled
 * for, within the I/O timeout), it is readable and recv() gets the message.
 */
static void poll_data_and_room_like_one_to_one(struct pst_ctx *ctx)
{
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	struct data_room ref, got;
	struct pst_one2one g;
	int p;

	pst_one2one_setup(ctx, &g);
	p = pst_peel_first(ctx);
	quiet(p);

	data_and_room(g.acc, g.client, &ref);
	data_room_observe(ctx, PST_SEEN_REFERENCE, &ref);
	data_and_room(p, fx->peer[0], &got);
	data_room_observe(ctx, PST_SEEN_PEELED, &got);

	pst_check(ctx, "pollout_with_room");
	PST_EXPECT((got.idle.poll & POLLOUT) && (got.idle.epoll & POLLOUT) && got.sent &&
		       got.delivered,
		   "the idle peeled socket, nothing queued to send: expected POLLOUT from poll and "
		   "epoll and a non-blocking send to succeed and reach the peer, got %s, the send "
		   "%s",
		   ready_text(got.idle).s,
		   !got.sent	   ? "failed"
		   : got.delivered ? "succeeded and reached the peer"
				   : "succeeded but the peer never got the message (within the I/O "
				     "timeout)");
	pst_check(ctx, "idle_like_one_to_one");
	PST_EXPECT(got.idle.poll == ref.idle.poll && got.idle.epoll == ref.idle.epoll,
		   "the idle peeled socket: expected %s, as the genuine one-to-one socket, got %s",
		   ready_text(ref.idle).s, ready_text(got.idle).s);
	pst_check(ctx, "pollin_on_data");
	PST_EXPECT((got.data.poll & POLLIN) && (got.data.epoll & POLLIN) &&
		       got.got.n == (ssize_t)strlen(data_msg) &&
		       strcmp(got.got.data, data_msg) == 0,
		   "the peeled socket after its peer sent '%s': expected POLLIN from poll (within "
		   "%d ms) and epoll, and recv to get it, got %s and recv %s",
		   data_msg, PST_IO_TIMEOUT_MS, ready_text(got.data).s, rx_text(&got.got).s);
	close(p);
	pst_one2one_close(&g);
}

/*
 * poll() and epoll after the peer's shutdown (poll(2): POLLRDHUP "Stream
 * socket peer closed connection"): once the association the peer closed has
 * ended, the peeled socket reports POLLRDHUP, and hangs up (POLLHUP, POLLERR)
 * exactly as the genuine one-to-one socket does, where no document says
 * which.
 */
static void poll_after_peer_close_gives_pollrdhup(struct pst_ctx *ctx)
{
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	struct pst_one2one g;
	struct ready ref, got;
	int p;

	pst_one2one_setup(ctx, &g);
	p = pst_peel_first(ctx);
	quiet(p);
	peers_close(&g, fx, p);

	ref = readiness(g.acc);
	pst_observe(ctx, PST_SEEN_REFERENCE, "%s", ready_text(ref).s);
	got = readiness(p);
	pst_observe(ctx, PST_SEEN_PEELED, "%s", ready_text(got).s);

	pst_check(ctx, "rdhup_after_peer_shutdown");
	PST_EXPECT((got.poll & POLLRDHUP) && (got.epoll & POLLRDHUP),
		   "the peeled socket after its peer closed: expected POLLRDHUP from poll and "
		   "epoll, got %s (the genuine one-to-one socket: %s)",
		   ready_text(got).s, ready_text(ref).s);
	pst_check(ctx, "hangup_like_one_to_one");
	PST_EXPECT((got.poll & HANGUP_BITS) == (ref.poll & HANGUP_BITS) &&
		       (got.epoll & HANGUP_BITS) == (ref.epoll & HANGUP_BITS),
		   "the peeled socket after its peer closed: expected the hang-up bits "
		   "(POLLHUP, POLLERR) of the genuine one-to-one socket, %s, got %s (in all: %s; "
		   "the genuine socket: %s)",
		   ready_text(hangup(ref)).s, ready_text(hangup(got)).s, ready_text(got).s,
		   ready_text(ref).s);
	close(p);
	pst_one2one_close(&g);
}

#define ONE2ONE "LNX-DESC-ONE2ONE SOL-DESC-ONE2ONE RFC-9.2-ONE2ONE"
#define LIKE	"REF-PEELED-STATE-LIKE-ONE-TO-ONE"
#define STATE_CASE(cname, cfn, ccontract, creqs, cchecks)                            \
	{                                                                            \
		.name = (cname), .fn = (cfn), .fixture = &pst_fx_assoc1,             \
		.axes = PST_AXIS_FAMILY | PST_AXIS_ENTRY, .reqs = ONE2ONE " " creqs, \
		.checks = (cchecks), .contract = (ccontract)                         \
	}

static const struct pst_case cases[] = {
	STATE_CASE("peeled_so_acceptconn_is_0", so_acceptconn_is_0, "SO_ACCEPTCONN",
		   "MAN-SO-ACCEPTCONN", "not_listening"),
	STATE_CASE("peeled_connect_no_listener_fails_like_one_to_one", connect_no_listener_fails,
		   "connect to an address with no listener", "MAN-CONNECT-EISCONN",
		   "connect_refused ref:errno_like_one_to_one=" LIKE
		   " safety:nothing_sent safety:association_undisturbed"),
	STATE_CASE("peeled_shutdown_rd_disables_receive_only", shutdown_rd_disables_receive_only,
		   "shutdown(SHUT_RD)", "RFC-4.1.7-SHUT-RD",
		   "no_protocol_action receive_disabled ref:end_of_file_at_once=" LIKE),
	STATE_CASE("peeled_shutdown_rdwr_disables_io_and_starts_shutdown",
		   shutdown_rdwr_disables_io_and_starts_shutdown, "shutdown(SHUT_RDWR)",
		   "RFC-4.1.7-SHUT-RDWR MAN-SEND-EPIPE",
		   "shutdown_started send_disabled receive_disabled "
		   "ref:end_of_file_at_once=REF-PEELED-SHUTDOWN-RDWR"),
	STATE_CASE("peeled_recv_after_peer_close_gives_eof", recv_after_peer_close_gives_eof,
		   "recv after the peer closed", "MAN-RECV-EOF", "data_before_eof end_of_file"),
	STATE_CASE("peeled_send_after_peer_close_gives_EPIPE_and_SIGPIPE",
		   send_after_peer_close_gives_epipe, "send after the peer closed",
		   "MAN-SEND-NOSIGNAL",
		   "epipe sigpipe_raised no_sigpipe_with_nosignal safety:nothing_sent"),
	STATE_CASE("peeled_poll_data_and_room_like_one_to_one", poll_data_and_room_like_one_to_one,
		   "poll/epoll: data and room", "MAN-POLLIN MAN-POLLOUT",
		   "pollout_with_room ref:idle_like_one_to_one=" LIKE " pollin_on_data"),
	STATE_CASE("peeled_poll_after_peer_close_gives_POLLRDHUP",
		   poll_after_peer_close_gives_pollrdhup, "poll/epoll: after the peer's shutdown",
		   "MAN-POLLRDHUP", "rdhup_after_peer_shutdown ref:hangup_like_one_to_one=" LIKE),
};

PST_SUITE(pst_suite_peeled_state, "peeled_state",
	  "The peeled socket's state and readiness, as a one-to-one socket's: RFC 6458 9.2, "
	  "4.1.7; the Linux socket, recv, send and poll pages",
	  cases);
