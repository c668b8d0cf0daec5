/*
 * The association's queues and waits at the moment of the peel, and the
 * failure paths around it (issue 27 item 3): a sender blocked for send
 * buffer, a connect still waiting for its association, an SCTP_SENDALL send
 * walking the associations, the send-buffer use of queued data, and EMFILE.
 * Each case peels, then closes the original socket and the peeled one, and
 * checks what user space can see on every kernel: data delivered once and
 * in order, the calls' results, SCTP_STATUS, /proc/net/sctp/assocs. A
 * sanitizer kernel sees the memory errors of the same paths besides (the
 * fixes each case guards are its tags). Where the documents are silent, the
 * reference is what Linux 6.1 did: REF-BLOCKED-CLOSE-BOTH, REF-CONNECT-WAIT,
 * REF-SENDALL-WALK, REF-MIGRATE-SNDBUF and REF-EMFILE-RETRY in
 * suites/requirements/REFERENCES.md.
 *
 * Nothing here waits for time to pass: a blocked thread is proven asleep in
 * its call with its association steady (fixtures/blocked_link.h), a full send
 * buffer by EAGAIN on a link that nothing can drain, a state by SCTP_STATUS,
 * the end of an association by its notification or end of file; deadlines
 * only turn hangs into messages. The one protocol timer a case relies on (the
 * connect wait's T1-init) is set for that association alone.
 *
 * Worker threads never call the assertion API (CUnit longjmps on the case's
 * thread only); they record what happened in the fixture data, which outlives
 * an aborted case body. After each case the kernel's taint flags must be
 * unchanged: a WARN, BUG or oops on these paths taints the kernel.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../fixtures/assoc.h"
#include "../fixtures/assoc_states.h"
#include "../fixtures/blocked_link.h"
#include "../fixtures/fd_table.h"
#include "../fixtures/io.h"
#include "../fixtures/netns_sysctl.h"
#include "../fixtures/sctp_mib.h"
#include "../fixtures/waiters.h"
#include "suites.h"

/* Buffers, as in REF-BLOCKED-SENDER: a few 1000-byte messages fill them. */
#define Q_SNDBUF      4096  /* the sut's SO_SNDBUF (the kernel doubles it) */
#define Q_RCVBUF      2048  /* each peer's SO_RCVBUF until it reads: a small window */
#define Q_RCVBUF_READ 65536 /* the peer's SO_RCVBUF once it reads: nothing dropped */
#define Q_MSGS	      16    /* a blocked sender's total: twice what the buffers hold */
#define Q_FILL_MAX    64    /* a filler's limit: far more messages than the buffers hold */
/*
 * Timers in both namespaces (ms): once a peer reads, its delayed SACK or the
 * zero-window probe reopens the flow in tens of ms, not a second.
 */
#define Q_RTO_MIN      10
#define Q_RTO_MAX      20
#define Q_SACK_TIMEOUT 10
#define Q_NO_TAINT     (-1L) /* /proc/sys/kernel/tainted could not be read */
#define Q_LINE_MAX     512
#define Q_TOKENS_MAX   64 /* fields of a /proc/net/sctp/assocs line: 30 or so */
#define Q_ASSOCS_TAIL  4  /* its last fields: wmema wmemq sndbuf rcvbuf */
/* Its first fields: ASSOC SOCK STY SST ST HBKT ASSOC-ID TX_QUEUE RX_QUEUE UID INODE. */
#define Q_FIELD_ASSOC_ID 6
#define Q_FIELD_TX_QUEUE 7
#define Q_FIELD_INODE	 10
#define Q_ASSOCS_HEAD	 11
#define Q_SENDALL_MSG	 "to every association"
#define Q_MARKER_MSG	 "after the walk"
#define Q_ASSOCS_FILE	 "/proc/thread-self/net/sctp/assocs"
#define Q_CONNECT_ASSOCS 1

/* The connect wait: where its peer listens, and how long its first INIT goes unanswered. */
#define CW_PORT	       5003 /* in the client netns; the sut has PST_SERVER_PORT */
#define CW_SILENT_HOST 0x63 /* a host number no topology address uses: nobody answers */
#define CW_T1_MS       1000 /* T1-init of the new association: its time in COOKIE_WAIT */

struct q_worker {
	struct pst_waiter w; /* first: the thread gets &w */
	int first, total;    /* numbered messages first .. first + total - 1 */
	unsigned char addrs[PST_PATHS * sizeof(struct sockaddr_in6)]; /* the connect's */
	int naddrs;
};

struct q_fx {
	struct pst_assoc_fx a; /* first: pst_assoc(ctx) */
	struct sctp_sack_info sack_default;
	long taint_before;
	int peer_mib;
	int p;		    /* the peeled socket while the case holds it, else -1 */
	int listener, conn; /* the connect wait's peer: listening, accepted */
	struct q_worker w[2];
};

static struct q_fx *qfx(const struct pst_ctx *ctx)
{
	return (struct q_fx *)ctx->fx;
}

static long read_taint(void)
{
	char buf[64];
	long v;

	if (pst_read_small("/proc/sys/kernel/tainted", buf, sizeof(buf)) <= 0 ||
	    sscanf(buf, "%ld", &v) != 1)
		return Q_NO_TAINT;
	return v;
}

/* ---- Fixtures ---- */

/* Before any association: the buffer surely applies to them. */
static void small_sndbuf(struct pst_ctx *ctx, int sut)
{
	int sndbuf = Q_SNDBUF;

	(void)ctx;
	PST_SAFE(setsockopt(sut, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf)));
}

/*
 * A small window, and a SACK for every packet while senders fill it, so that
 * no delayed SACK is pending when pst_link_steady() looks; peer_reads() puts
 * the delayed SACK back.
 */
static void small_window(struct pst_ctx *ctx, int peer, int i)
{
	struct q_fx *fx = qfx(ctx);
	struct sctp_sack_info at_once = { .sack_assoc_id = 0, .sack_delay = 0, .sack_freq = 1 };
	socklen_t len = sizeof(fx->sack_default);
	int rcvbuf = Q_RCVBUF;

	(void)i;
	PST_SAFE(setsockopt(peer, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)));
	PST_SAFE(getsockopt(peer, IPPROTO_SCTP, SCTP_DELAYED_SACK, &fx->sack_default, &len));
	PST_SAFE(setsockopt(peer, IPPROTO_SCTP, SCTP_DELAYED_SACK, &at_once, sizeof(at_once)));
}

/* Nothing for the teardown to close yet, whatever ends the setup. */
static void q_init(struct pst_ctx *ctx)
{
	struct q_fx *fx = qfx(ctx);

	fx->a.npeers = 0;
	fx->a.sut = -1;
	fx->peer_mib = fx->p = fx->listener = fx->conn = -1;
	fx->taint_before = read_taint();
	if (ctx->profile != PST_PROFILE_LINUX)
		pst_skip("only the linux profile documents this (REF-BLOCKED-CLOSE-BOTH, "
			 "REF-CONNECT-WAIT, REF-SENDALL-WALK, REF-MIGRATE-SNDBUF, "
			 "REF-EMFILE-RETRY): the man pages and RFC 6458 say nothing of the queues "
			 "and waits of an association at the peel");
}

static void q_setup_small(struct pst_ctx *ctx, int n)
{
	static const struct pst_assoc_opts small = { .prepare_sut = small_sndbuf,
						     .prepare_peer = small_window };
	static const struct pst_sctp_timers quick = { .rto_min = Q_RTO_MIN,
						      .rto_initial = Q_RTO_MAX,
						      .rto_max = Q_RTO_MAX,
						      .sack_timeout = Q_SACK_TIMEOUT };
	struct q_fx *fx = qfx(ctx);

	q_init(ctx);
	pst_sctp_timers_set(ctx, &quick);
	/* The case thread is left in the server netns: a peel from another one is refused. */
	pst_assoc_setup_with(ctx, n, &small);
	fx->peer_mib = (int)PST_SAFE(pst_mib_open(ctx->topo, PST_CLIENT));
}

static void q_setup_small2(struct pst_ctx *ctx)
{
	q_setup_small(ctx, 2);
}

static void q_setup_small3(struct pst_ctx *ctx)
{
	q_setup_small(ctx, 3);
}

static void q_setup_plain(struct pst_ctx *ctx, int n)
{
	q_init(ctx);
	pst_assoc_setup(ctx, n);
}

static void q_setup_plain1(struct pst_ctx *ctx)
{
	q_setup_plain(ctx, Q_CONNECT_ASSOCS);
}

static void q_setup_plain3(struct pst_ctx *ctx)
{
	q_setup_plain(ctx, 3);
}

static void close_if_open(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Closes everything, then: a kernel that warned or oopsed during the case is a failure. */
static void q_teardown(struct pst_ctx *ctx)
{
	struct q_fx *fx = qfx(ctx);
	long after;

	close_if_open(&fx->p);
	close_if_open(&fx->conn);
	close_if_open(&fx->listener);
	pst_assoc_teardown(ctx);
	close_if_open(&fx->peer_mib);
	after = read_taint();
	pst_log("/proc/sys/kernel/tainted: %ld before the case, %ld after", fx->taint_before,
		after);
	if (fx->taint_before != Q_NO_TAINT && after != fx->taint_before)
		pst_fail_at(
		    __FILE__, __LINE__, false,
		    "/proc/sys/kernel/tainted: expected unchanged (%ld), got %ld: the kernel "
		    "warned or oopsed during the case (see the console log)",
		    fx->taint_before, after);
}

static const struct pst_fixture fx_small2 = { "queues-small2", sizeof(struct q_fx), q_setup_small2,
					      q_teardown };
static const struct pst_fixture fx_small3 = { "queues-small3", sizeof(struct q_fx), q_setup_small3,
					      q_teardown };
static const struct pst_fixture fx_plain1 = { "queues-plain1", sizeof(struct q_fx), q_setup_plain1,
					      q_teardown };
static const struct pst_fixture fx_plain3 = { "queues-plain3", sizeof(struct q_fx), q_setup_plain3,
					      q_teardown };

/* ---- Sending, and the threads that block in it ---- */

/* Sends the numbered messages first .. first + total - 1; stops at the first error. */
static void *sender_main(void *arg)
{
	struct q_worker *q = arg;
	struct pst_waiter *w = &q->w;
	unsigned char m[PST_BLOCKED_MSG_LEN];

	atomic_store(&w->tid, (int)gettid());
	for (int k = 0; k < q->total; k++) {
		ssize_t r;
		int err;

		pst_numbered_msg((uint32_t)(q->first + k), m);
		atomic_store(&w->in_call, true);
		r = pst_send_flags(w->fd, w->id, m, sizeof(m), 0, 0);
		err = errno;
		atomic_store(&w->in_call, false);
		if (r < 0) {
			pst_waiter_finish(w, r, err);
			return NULL;
		}
		atomic_fetch_add(&w->count, 1);
	}
	pst_waiter_finish(w, 0, 0);
	return NULL;
}

/* One SCTP_SENDALL send of Q_SENDALL_MSG on the one-to-many socket. */
static void *sendall_main(void *arg)
{
	struct pst_waiter *w = &((struct q_worker *)arg)->w;
	ssize_t r;
	int err;

	atomic_store(&w->tid, (int)gettid());
	atomic_store(&w->in_call, true);
	r = pst_send_flags(w->fd, 0, Q_SENDALL_MSG, sizeof(Q_SENDALL_MSG), SCTP_SENDALL, 0);
	err = errno;
	atomic_store(&w->in_call, false);
	pst_waiter_finish(w, r, r < 0 ? err : 0);
	return NULL;
}

/* A blocking sctp_connectx() (SCTP_SOCKOPT_CONNECTX): the association id, or -1. */
static void *connect_main(void *arg)
{
	struct q_worker *q = arg;
	struct pst_waiter *w = &q->w;
	sctp_assoc_t r;
	int err;

	atomic_store(&w->tid, (int)gettid());
	atomic_store(&w->in_call, true);
	r = pst_connectx(w->fd, (const struct sockaddr *)q->addrs, q->naddrs);
	err = errno;
	atomic_store(&w->in_call, false);
	pst_waiter_finish(w, r, r < 0 ? err : 0);
	return NULL;
}

/* Where a blocking connect sleeps: wchan or the kernel stack name one of these. */
static const char *const connect_wait_frames[] = { "sctp_wait_for_connect", "sctp_connect",
						   "connectx", NULL };

/* Start a sender of total messages from first on (fd, id) and wait until it is blocked. */
static int start_blocked_sender(struct q_worker *q, int fd, sctp_assoc_t id, int first, int total,
				const struct pst_link *l)
{
	int sent = 0;

	q->first = first;
	q->total = total;
	pst_waiter_start(&q->w, fd, id, sender_main);
	if (!pst_wait_blocked(&q->w, pst_send_wait_frames, l, PST_REACH_MS, &sent)) {
		if (atomic_load(&q->w.done))
			pst_broken("the sender never blocked: it %s after %d sends",
				   q->w.ret < 0 ? pst_errname(q->w.err) : "finished", sent);
		pst_broken("the sender was not seen asleep in sendmsg within %d ms (%d sends)",
			   PST_REACH_MS, sent);
	}
	return sent;
}

/*
 * Fill the send buffer with numbered messages on l's association, never
 * blocking (MSG_DONTWAIT), until a send gives EAGAIN while the association is
 * steady: then nothing can make room until the peer reads. The messages sent.
 */
static int fill_send_buffer(const struct pst_link *l)
{
	unsigned char m[PST_BLOCKED_MSG_LEN];
	char how[Q_LINE_MAX] = "";
	long start = pst_now_ms(), last_sent = start;
	int seq = 0;

	for (;;) {
		ssize_t r;
		int st;

		pst_numbered_msg((uint32_t)seq, m);
		r = pst_send_flags(l->fd, l->id, m, sizeof(m), 0, MSG_DONTWAIT);
		if (r == (ssize_t)sizeof(m)) {
			if (++seq > Q_FILL_MAX)
				pst_broken("the send buffer took %d messages and is still not full",
					   Q_FILL_MAX);
			last_sent = pst_now_ms();
			continue;
		}
		if (r >= 0 || errno != EAGAIN)
			pst_broken("filling the send buffer: message %d gave %zd (%s)", seq, r,
				   pst_errname(errno));
		/* Full for now; for good once nothing is left to be acked. */
		for (;;) {
			long t = pst_now_ms();

			st = pst_link_steady(l, how, sizeof(how));
			if (st > 0 || (st < 0 && t - last_sent >= PST_BLOCKED_QUIET_MS))
				break;
			if (t - start > PST_REACH_MS)
				pst_broken("the association never settled with its buffer full "
					   "(%d messages sent): %s",
					   seq, how);
			pst_sleep_ms(PST_POLL_MS);
		}
		r = pst_send_flags(l->fd, l->id, m, sizeof(m), 0, MSG_DONTWAIT);
		if (r < 0 && errno == EAGAIN) {
			pst_log("send buffer full after %d messages, %ld ms: %s", seq,
				pst_now_ms() - start,
				st > 0 ? how : "the kernel does not say more");
			return seq;
		}
		if (r != (ssize_t)sizeof(m))
			pst_broken("filling the send buffer: message %d gave %zd (%s)", seq, r,
				   pst_errname(errno));
		seq++;
		last_sent = pst_now_ms();
	}
}

/* Peer i is about to read: its delayed SACK back (see small_window), and room. */
static void peer_reads(struct q_fx *fx, int i)
{
	struct sctp_sack_info si = fx->sack_default;
	int rcvbuf = Q_RCVBUF_READ;

	si.sack_assoc_id = 0;
	PST_SAFE(setsockopt(fx->a.peer[i], IPPROTO_SCTP, SCTP_DELAYED_SACK, &si, sizeof(si)));
	PST_SAFE(setsockopt(fx->a.peer[i], SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)));
}

/* The next data message on fd is text (a C string, sent with its NUL). */
static bool expect_text(int fd, const char *text, const char *what)
{
	unsigned char buf[PST_BLOCKED_MSG_LEN * 2];
	ssize_t n = pst_read_whole_msg(fd, buf, sizeof(buf), PST_IO_TIMEOUT_MS);

	if (n == (ssize_t)strlen(text) + 1 && memcmp(buf, text, (size_t)n) == 0)
		return true;
	pst_fail_at(__FILE__, __LINE__, false, "%s: expected '%s', got %s", what, text,
		    n < 0    ? pst_errname(errno)
		    : n == 0 ? "end of file"
			     : "another message");
	return false;
}

/*
 * The next data message on peer is Q_MARKER_MSG; whatever comes before it is
 * a failure, read and named, so that what follows finds the stream clean.
 */
static void expect_marker_first(int peer, const char *what)
{
	unsigned char buf[PST_BLOCKED_MSG_LEN * 2];

	for (int k = 0; k <= Q_FILL_MAX; k++) {
		ssize_t n = pst_read_whole_msg(peer, buf, sizeof(buf), PST_IO_TIMEOUT_MS);
		bool sendall = n == (ssize_t)sizeof(Q_SENDALL_MSG) &&
			       memcmp(buf, Q_SENDALL_MSG, (size_t)n) == 0;

		if (n == (ssize_t)sizeof(Q_MARKER_MSG) && memcmp(buf, Q_MARKER_MSG, (size_t)n) == 0)
			return;
		pst_fail_at(__FILE__, __LINE__, false, "%s: expected '%s' first, got %s", what,
			    Q_MARKER_MSG,
			    n < 0     ? pst_errname(errno)
			    : n == 0  ? "end of file"
			    : sendall ? "the SCTP_SENDALL message"
				      : "another message");
		if (n <= 0)
			return;
	}
}

/* fd reads end of file next: its association was shut down gracefully. */
static void expect_eof(int fd, const char *what)
{
	unsigned char buf[PST_BLOCKED_MSG_LEN * 2];
	ssize_t n = pst_read_whole_msg(fd, buf, sizeof(buf), PST_IO_TIMEOUT_MS);

	PST_EXPECT(n == 0, "%s: expected end of file (the association shut down), got %s", what,
		   n < 0 ? pst_errname(errno) : "more data");
}

/*
 * close() of the original socket, then of the peeled one (RFC 6458 3.1:
 * the branched-off association outlives the original; 3.1.5: closing its
 * socket ends it). peer: the peeled association's peer.
 */
static void close_original_then_peeled(struct pst_ctx *ctx, struct q_fx *fx, int peer)
{
	pst_check(ctx, "original_close_keeps_peeled");
	close_if_open(&fx->a.sut);
	PST_EXPECT_EQ(pst_assoc_state(fx->p, 0), SCTP_ESTABLISHED,
		      "SCTP_STATUS state of the peeled association after close(original)");
	pst_expect_exchange(fx->p, 0, peer, "the peeled socket <-> its peer after close(original)");
	pst_check(ctx, "peeled_close_ends_assoc");
	close_if_open(&fx->p);
	expect_eof(peer, "the peer after close(peeled socket)");
	pst_check(ctx, NULL);
}

/* ---- A sender blocked at the peel; then the original and the peeled socket closed ---- */

static void blocked_then_close_both(struct pst_ctx *ctx)
{
	struct q_fx *fx = qfx(ctx);
	struct q_worker *t0 = &fx->w[0], *t1 = &fx->w[1];
	struct pst_link l0, lp;
	int sent, c = 0;
	long peel_ms;

	pst_link_init(&l0, fx->a.sut, fx->a.id[0], fx->a.peer[0], fx->peer_mib);
	sent = start_blocked_sender(t0, fx->a.sut, fx->a.id[0], 0, Q_MSGS, &l0);
	peel_ms = pst_now_ms();
	errno = 0;
	fx->p = pst_peel(ctx, fx->a.sut, fx->a.id[0]);
	pst_check(ctx, "peel_succeeds");
	PST_ASSERT(fx->p >= 0,
		   "%s of the association a sender is blocked on: expected a new descriptor, got "
		   "-1 with %s",
		   pst_entry_name(ctx->entry), pst_errname(errno));

	pst_check(ctx, "sender_gets_epipe");
	if (!pst_waiter_join(&t0->w, PST_WAKE_MS))
		pst_fail_at(__FILE__, __LINE__, false,
			    "the blocked sendmsg on the original socket: expected -1 EPIPE within "
			    "%d ms of the peel, still blocked",
			    PST_WAKE_MS);
	else
		PST_EXPECT(t0->w.ret < 0 && t0->w.err == EPIPE && atomic_load(&t0->w.count) == sent,
			   "the blocked sendmsg on the original socket after the peel: expected -1 "
			   "EPIPE after %d sends, got %s after %d (%ld ms after the peel)",
			   sent, t0->w.ret < 0 ? pst_errname(t0->w.err) : "success",
			   atomic_load(&t0->w.count), t0->w.done_ms - peel_ms);

	/* The moved data fills the new socket's buffer too: a send there blocks at once. */
	pst_check(ctx, "peeled_buffer_full");
	lp = l0;
	lp.fd = fx->p;
	lp.id = 0;
	t1->first = sent;
	t1->total = 1;
	pst_waiter_start(&t1->w, fx->p, 0, sender_main);
	PST_ASSERT(pst_wait_blocked(&t1->w, pst_send_wait_frames, &lp, PST_REACH_MS, &c) && c == 0,
		   "a send on the peeled socket holding the moved data: expected it to block "
		   "(the buffer is as full as the original's was), got %s",
		   atomic_load(&t1->w.done) ? (t1->w.ret < 0 ? pst_errname(t1->w.err) : "success")
					    : "not asleep in sendmsg");

	pst_check(ctx, "original_close_keeps_peeled");
	close_if_open(&fx->a.sut);
	PST_EXPECT_EQ(pst_assoc_state(fx->p, 0), SCTP_ESTABLISHED,
		      "SCTP_STATUS state of the peeled association after close(original)");
	pst_check(ctx, "close_waits_for_sender");
	PST_EXPECT(pst_wait_blocked(&t1->w, pst_send_wait_frames, &lp, PST_REACH_MS, &c),
		   "the send blocked on the peeled socket, after close(original): expected still "
		   "asleep, got %s",
		   atomic_load(&t1->w.done) ? pst_errname(t1->w.err) : "not asleep in sendmsg");
	/* The call holds the socket: the close takes effect when it returns (close(2)). */
	close_if_open(&fx->p);
	PST_EXPECT(pst_wait_blocked(&t1->w, pst_send_wait_frames, NULL, PST_REACH_MS, &c),
		   "the send blocked on the peeled socket, after close(peeled socket): expected "
		   "still asleep, got %s",
		   atomic_load(&t1->w.done) ? pst_errname(t1->w.err) : "not asleep in sendmsg");
	PST_EXPECT_EQ(pst_assoc_state(fx->a.peer[0], 0), SCTP_ESTABLISHED,
		      "the peer's SCTP_STATUS state after close(peeled socket) while a send was "
		      "blocked on it");

	pst_check(ctx, "queued_data_delivered");
	peer_reads(fx, 0);
	pst_expect_numbered(fx->a.peer[0], 0, sent + 1,
			    "the peer reading the messages queued before the peel, then the one "
			    "the peeled socket's blocked send queued");
	pst_check(ctx, "sender_completes");
	if (!pst_waiter_join(&t1->w, PST_WAKE_MS))
		pst_fail_at(
		    __FILE__, __LINE__, false,
		    "the send blocked on the peeled socket: expected it to complete once the "
		    "peer read, still blocked");
	else
		PST_EXPECT(
		    t1->w.ret == 0 && atomic_load(&t1->w.count) == 1,
		    "the send blocked on the peeled socket: expected it to complete once the "
		    "peer read, got %s",
		    pst_errname(t1->w.err));
	/* The last reference gone, the close shuts the association down: nothing after it. */
	pst_check(ctx, "peeled_close_ends_assoc");
	expect_eof(fx->a.peer[0], "the peer after the last message");
}

/* ---- A connect waiting for the association that is peeled off ---- */

/* An address of the client's path-1 subnet that no host has: INITs to it go unanswered. */
static socklen_t silent_address(int family, struct sockaddr_storage *ss)
{
	socklen_t len = pst_addr(PST_CLIENT, family, 1, CW_PORT, ss);

	if (family == AF_INET6)
		((struct sockaddr_in6 *)ss)->sin6_addr.s6_addr[15] = CW_SILENT_HOST;
	else
		((unsigned char *)&((struct sockaddr_in *)ss)->sin_addr)[3] = CW_SILENT_HOST;
	return len;
}

/* The one association of sd other than known: its id (BROKEN if there is none). */
static sctp_assoc_t new_assoc(int sd, sctp_assoc_t known)
{
	sctp_assoc_t ids[PST_MAX_ASSOCS] = { 0 };
	int n = (int)PST_SAFE(pst_assoc_ids(sd, ids, PST_MAX_ASSOCS));

	for (int k = 0; k < n && k < PST_MAX_ASSOCS; k++)
		if (ids[k] != known)
			return ids[k];
	pst_broken("the connecting association is not in the socket's id list (%d ids)", n);
}

/*
 * The association's INIT goes first to an address nobody answers, and after
 * its T1-init (CW_T1_MS) to the peer's real one: for that long it is in
 * COOKIE_WAIT, with the id sctp_connectx() asked for, and the connecting
 * thread sleeps in the connect wait. It is peeled then, and comes up on the
 * new socket.
 */
static void connect_wait_peeled(struct pst_ctx *ctx)
{
	struct q_fx *fx = qfx(ctx);
	struct q_worker *q = &fx->w[0];
	struct sctp_rtoinfo t1 = { .srto_assoc_id = SCTP_FUTURE_ASSOC,
				   .srto_initial = CW_T1_MS,
				   .srto_max = CW_T1_MS,
				   .srto_min = Q_RTO_MIN };
	struct sockaddr_storage real, silent;
	socklen_t rlen, slen;
	char how[Q_LINE_MAX];
	sctp_assoc_t id;
	int state;

	/* The peer: a one-to-one listener at the client's path-0 address. */
	rlen = pst_addr(PST_CLIENT, ctx->family, 0, CW_PORT, &real);
	PST_SAFE(pst_topo_enter(ctx->topo, PST_CLIENT));
	fx->listener = (int)PST_SAFE(socket(ctx->family, SOCK_STREAM, IPPROTO_SCTP));
	PST_SAFE(bind(fx->listener, (struct sockaddr *)&real, rlen));
	PST_SAFE(listen(fx->listener, 1));
	PST_SAFE(pst_topo_enter(ctx->topo, PST_SERVER));

	slen = silent_address(ctx->family, &silent);
	memcpy(q->addrs, &silent, slen);
	memcpy(q->addrs + slen, &real, rlen);
	q->naddrs = PST_PATHS;
	PST_SAFE(setsockopt(fx->a.sut, IPPROTO_SCTP, SCTP_RTOINFO, &t1, sizeof(t1)));
	pst_waiter_start(&q->w, fx->a.sut, 0, connect_main);
	if (pst_waiter_settle(&q->w, connect_wait_frames, PST_REACH_MS, how, sizeof(how)) ==
	    PST_NOT_ASLEEP)
		pst_broken("sctp_connectx() was not seen asleep in the connect wait: %s", how);
	pst_log("the connecting thread: %s", how);
	id = new_assoc(fx->a.sut, fx->a.id[0]);
	state = pst_assoc_state(fx->a.sut, id);
	if (state != SCTP_COOKIE_WAIT || atomic_load(&q->w.done))
		pst_broken("the connecting association %d before the peel: state %d, the connect "
			   "%s; expected COOKIE_WAIT with the connect waiting",
			   (int)id, state, atomic_load(&q->w.done) ? "returned" : "waiting");

	fx->p = (int)PST_ASSERT_OK(pst_peel(ctx, fx->a.sut, id));
	state = pst_assoc_state(fx->p, 0);
	if (state != SCTP_COOKIE_WAIT)
		pst_broken("the peeled association right after the peel: state %d, not "
			   "COOKIE_WAIT: it came up too early to tell the peel came first",
			   state);

	pst_check(ctx, "connect_refused");
	if (!pst_waiter_join(&q->w, CW_T1_MS + PST_WAKE_MS))
		pst_fail_at(__FILE__, __LINE__, true,
			    "sctp_connectx() of the association peeled off while it waited: "
			    "expected -1 ECONNREFUSED once the association came up, still waiting "
			    "%d ms later",
			    CW_T1_MS + PST_WAKE_MS);
	PST_EXPECT(q->w.ret < 0 && q->w.err == ECONNREFUSED,
		   "sctp_connectx() of the association peeled off while it waited: expected -1 "
		   "ECONNREFUSED (f14fe6395a8b: its association moved), got %s",
		   q->w.ret < 0 ? pst_errname(q->w.err) : "success");
	if (q->w.ret >= 0)
		pst_log("sctp_connectx() returned association id %zd", q->w.ret);

	pst_check(ctx, "assoc_up_on_new_socket");
	PST_ASSERT(pst_wait_assoc_change(fx->p, 0, SCTP_COMM_UP, PST_IO_TIMEOUT_MS, &state) == 0,
		   "the peeled socket: expected SCTP_ASSOC_CHANGE COMM_UP of its association, got "
		   "%s (%s)",
		   pst_assoc_change_name(state), pst_errname(errno));
	PST_EXPECT_EQ(pst_assoc_state(fx->p, 0), SCTP_ESTABLISHED,
		      "SCTP_STATUS state on the peeled socket after COMM_UP");
	fx->conn = (int)PST_SAFE(accept(fx->listener, NULL, NULL));
	pst_expect_exchange(fx->p, 0, fx->conn, "the peeled socket <-> the accepted peer");
	{
		char buf[Q_LINE_MAX];
		ssize_t n = recv(fx->a.sut, buf, sizeof(buf), MSG_DONTWAIT);

		PST_EXPECT(n < 0 && errno == EAGAIN,
			   "the original socket after the peeled association came up: expected "
			   "nothing queued (EAGAIN), got %s",
			   n < 0 ? pst_errname(errno) : "a message");
	}

	pst_check(ctx, "other_assoc_undisturbed");
	pst_expect_exchange(fx->a.sut, fx->a.id[0], fx->a.peer[0],
			    "the original socket's established association");
	close_original_then_peeled(ctx, fx, fx->conn);
}

/* ---- SCTP_SENDALL asleep in its walk while an association is peeled ---- */

struct sendall_row {
	bool close_peeled; /* the peeled socket is closed (its association freed) before the walk
			      goes on */
};

/* Peer reads nothing but its association's end (SCTP_SHUTDOWN_COMP); it must be subscribed. */
static void expect_only_the_end(int peer, const char *what)
{
	char buf[Q_LINE_MAX];
	long start = pst_now_ms();

	for (;;) {
		int flags = 0;
		long left = PST_IO_TIMEOUT_MS - (pst_now_ms() - start);
		ssize_t n = pst_recv_msg(peer, buf, sizeof(buf), left > 0 ? (int)left : 0, &flags);
		const union sctp_notification *no = (const void *)buf;

		if (n < 0 || n == 0) {
			pst_fail_at(__FILE__, __LINE__, false,
				    "%s: expected SCTP_ASSOC_CHANGE SHUTDOWN_COMP, got %s", what,
				    n < 0 ? pst_errname(errno) : "end of file first");
			return;
		}
		if (!(flags & MSG_NOTIFICATION)) {
			pst_fail_at(__FILE__, __LINE__, false,
				    "%s: expected no data before the association's end, got %zd "
				    "bytes",
				    what, n);
			return;
		}
		if (no->sn_header.sn_type == SCTP_ASSOC_CHANGE &&
		    no->sn_assoc_change.sac_state == SCTP_SHUTDOWN_COMP)
			return;
	}
}

static void sendall_walk_peeled(struct pst_ctx *ctx)
{
	const struct sendall_row *row = ctx->param;
	struct q_fx *fx = qfx(ctx);
	struct q_worker *q = &fx->w[0];
	struct pst_link l0;
	int filled, c = 0;

	PST_SAFE(pst_subscribe(fx->a.peer[1], SCTP_ASSOC_CHANGE));
	pst_link_init(&l0, fx->a.sut, fx->a.id[0], fx->a.peer[0], fx->peer_mib);
	filled = fill_send_buffer(&l0);
	/* The walk starts at the first association, whose buffer is full: it sleeps there. */
	pst_waiter_start(&q->w, fx->a.sut, 0, sendall_main);
	if (!pst_wait_blocked(&q->w, pst_send_wait_frames, &l0, PST_REACH_MS, &c))
		pst_broken(
		    "the SCTP_SENDALL send was not seen asleep at the first association (%s)",
		    atomic_load(&q->w.done) ? pst_errname(q->w.err) : "not asleep");
	fx->p = (int)PST_ASSERT_OK(pst_peel(ctx, fx->a.sut, fx->a.id[1]));
	pst_check(ctx, "walk_still_asleep");
	PST_ASSERT(pst_wait_blocked(&q->w, pst_send_wait_frames, &l0, PST_REACH_MS, &c),
		   "the SCTP_SENDALL send asleep at the first association, after the second was "
		   "peeled: expected still asleep, got %s",
		   atomic_load(&q->w.done) ? pst_errname(q->w.err) : "not asleep");
	if (row->close_peeled) {
		/* Its association freed while the walk still sleeps before it. */
		pst_check(ctx, "peeled_close_ends_assoc");
		close_if_open(&fx->p);
		expect_only_the_end(fx->a.peer[1], "the peeled association's peer, after "
						   "close(peeled socket)");
	}

	pst_check(ctx, "others_get_it_once");
	peer_reads(fx, 0);
	if (pst_expect_numbered(fx->a.peer[0], 0, filled,
				"the first association's peer, the messages that filled the "
				"buffer"))
		expect_text(fx->a.peer[0], Q_SENDALL_MSG,
			    "the first association's peer, after the messages that filled the "
			    "buffer");
	pst_check(ctx, "sendall_completes");
	if (!pst_waiter_join(&q->w, PST_WAKE_MS))
		pst_fail_at(__FILE__, __LINE__, true,
			    "the SCTP_SENDALL send: expected it to complete once the first peer "
			    "read, still asleep");
	PST_EXPECT(q->w.ret == (ssize_t)sizeof(Q_SENDALL_MSG),
		   "the SCTP_SENDALL send: expected %zu (the message's length), got %s",
		   sizeof(Q_SENDALL_MSG), q->w.ret < 0 ? pst_errname(q->w.err) : "another length");
	pst_check(ctx, "others_get_it_once");
	expect_text(fx->a.peer[2], Q_SENDALL_MSG, "the third association's peer");
	pst_check(ctx, NULL);
	if (row->close_peeled) {
		close_if_open(&fx->a.sut);
		return;
	}
	/* Sent after the walk on the same stream: it comes first unless the walk reached P. */
	pst_check(ctx, "peeled_not_reached");
	PST_SAFE(pst_send_flags(fx->p, 0, Q_MARKER_MSG, sizeof(Q_MARKER_MSG), 0, 0));
	expect_marker_first(fx->a.peer[1],
			    "the peeled association's peer, after the SCTP_SENDALL walk");
	close_original_then_peeled(ctx, fx, fx->a.peer[1]);
}

/* ---- The send-buffer use of queued data moves with it ---- */

/* One association's line of /proc/net/sctp/assocs (the thread's netns). */
struct assoc_line {
	unsigned long inode; /* of the socket that holds the association */
	long txq;	     /* the association's send-buffer use (sndbuf_used) */
	long wmema, wmemq;   /* its socket's sk_wmem_alloc and sk_wmem_queued */
};

/* 0, or -1 when the file has no line for id (or cannot be read: errno). */
static int read_assoc_line(sctp_assoc_t id, struct assoc_line *out)
{
	FILE *f = fopen(Q_ASSOCS_FILE, "re");
	char line[Q_LINE_MAX];
	int found = -1;

	if (!f)
		return -1;
	while (found < 0 && fgets(line, sizeof(line), f)) {
		char *tok[Q_TOKENS_MAX], *save = NULL;
		int n = 0, aid;

		for (char *t = strtok_r(line, " \t\n", &save); t && n < Q_TOKENS_MAX;
		     t = strtok_r(NULL, " \t\n", &save))
			tok[n++] = t;
		if (n < Q_ASSOCS_HEAD + Q_ASSOCS_TAIL ||
		    sscanf(tok[Q_FIELD_ASSOC_ID], "%d", &aid) != 1 || aid != (int)id)
			continue;
		out->txq = strtol(tok[Q_FIELD_TX_QUEUE], NULL, 10);
		out->inode = strtoul(tok[Q_FIELD_INODE], NULL, 10);
		out->wmema = strtol(tok[n - Q_ASSOCS_TAIL], NULL, 10);
		out->wmemq = strtol(tok[n - Q_ASSOCS_TAIL + 1], NULL, 10);
		found = 0;
	}
	fclose(f);
	return found;
}

static unsigned long inode_of(int fd)
{
	struct stat st;

	PST_SAFE(fstat(fd, &st));
	return (unsigned long)st.st_ino;
}

static void log_line(const char *when, sctp_assoc_t id, const struct assoc_line *l)
{
	pst_log("%s: association %d on socket inode %lu: TX_QUEUE %ld, its socket's wmema %ld, "
		"wmemq %ld",
		when, (int)id, l->inode, l->txq, l->wmema, l->wmemq);
}

/* A one-byte MSG_DONTWAIT send: its result, errno kept. */
static ssize_t try_send(int fd, sctp_assoc_t id)
{
	static const char one[] = "x";

	return pst_send_flags(fd, id, one, sizeof(one), 0, MSG_DONTWAIT);
}

/* Wait (bounded) for SCTP_SENDER_DRY_EVENT on fd: nothing of its association is unacked. */
static void wait_dry(int fd, const char *what)
{
	union sctp_notification n;

	PST_ASSERT(pst_recv_notification(fd, SCTP_SENDER_DRY_EVENT, &n, PST_IO_TIMEOUT_MS) == 0,
		   "%s: expected SCTP_SENDER_DRY_EVENT once the peer read everything, got %s", what,
		   pst_errname(errno));
}

static int subscribe_dry(int fd, sctp_assoc_t id)
{
	struct sctp_event ev = { .se_assoc_id = id, .se_type = SCTP_SENDER_DRY_EVENT, .se_on = 1 };

	return setsockopt(fd, IPPROTO_SCTP, SCTP_EVENT, &ev, sizeof(ev));
}

static void sndbuf_use_moves(struct pst_ctx *ctx)
{
	struct q_fx *fx = qfx(ctx);
	struct sctp_status before = { .sstat_assoc_id = fx->a.id[0] }, after = { 0 };
	struct assoc_line q0, q1, m0, m1, d0, d1;
	struct pst_link l0;
	socklen_t len = sizeof(before);
	bool room;
	int filled;

	pst_link_init(&l0, fx->a.sut, fx->a.id[0], fx->a.peer[0], fx->peer_mib);
	filled = fill_send_buffer(&l0);
	/* The buffer is the socket's: full for its other association too. */
	if (try_send(fx->a.sut, fx->a.id[1]) >= 0 || errno != EAGAIN)
		pst_broken("a send on the original's other association before the peel: %s, not "
			   "EAGAIN (the socket's buffer is shared)",
			   pst_errname(errno));
	if (read_assoc_line(fx->a.id[0], &q0) < 0 || read_assoc_line(fx->a.id[1], &q1) < 0)
		pst_broken("%s lists no line for association %d or %d", Q_ASSOCS_FILE,
			   (int)fx->a.id[0], (int)fx->a.id[1]);
	log_line("before the peel", fx->a.id[0], &q0);
	log_line("before the peel", fx->a.id[1], &q1);
	if (q0.txq <= 0 || q0.wmemq != q0.txq + q1.txq)
		pst_broken("before the peel the original's wmemq is %ld, its associations' "
			   "TX_QUEUE %ld and %ld: the accounting this case compares with is not "
			   "there",
			   q0.wmemq, q0.txq, q1.txq);
	PST_SAFE(getsockopt(fx->a.sut, IPPROTO_SCTP, SCTP_STATUS, &before, &len));

	fx->p = (int)PST_ASSERT_OK(pst_peel(ctx, fx->a.sut, fx->a.id[0]));
	PST_SAFE(subscribe_dry(fx->p, 0));
	PST_SAFE(subscribe_dry(fx->a.sut, fx->a.id[1]));

	pst_check(ctx, "sndbuf_moves");
	if (read_assoc_line(fx->a.id[0], &m0) < 0 || read_assoc_line(fx->a.id[1], &m1) < 0)
		pst_fail_at(__FILE__, __LINE__, true, "%s after the peel: no line for %d or %d",
			    Q_ASSOCS_FILE, (int)fx->a.id[0], (int)fx->a.id[1]);
	log_line("after the peel", fx->a.id[0], &m0);
	log_line("after the peel", fx->a.id[1], &m1);
	PST_EXPECT(m0.inode == inode_of(fx->p),
		   "the peeled association's line: expected the peeled socket's inode %lu, got %lu",
		   inode_of(fx->p), m0.inode);
	PST_EXPECT_EQ(m0.txq, q0.txq, "the peeled association's TX_QUEUE after the peel");
	PST_EXPECT_EQ(m0.wmemq, q0.txq,
		      "the peeled socket's wmemq after the peel (all of the association's queued "
		      "bytes)");
	PST_EXPECT_EQ(m1.wmemq, q1.txq,
		      "the original socket's wmemq after the peel (its other association's bytes "
		      "only)");
	len = sizeof(after);
	PST_SAFE(getsockopt(fx->p, IPPROTO_SCTP, SCTP_STATUS, &after, &len));
	PST_EXPECT(after.sstat_state == before.sstat_state &&
		       after.sstat_unackdata == before.sstat_unackdata &&
		       after.sstat_penddata == before.sstat_penddata &&
		       after.sstat_rwnd == before.sstat_rwnd,
		   "SCTP_STATUS on the peeled socket: expected the original's for the association "
		   "(state %d, unackdata %u, penddata %u, rwnd %u), got state %d, unackdata %u, "
		   "penddata %u, rwnd %u",
		   before.sstat_state, before.sstat_unackdata, before.sstat_penddata,
		   before.sstat_rwnd, after.sstat_state, after.sstat_unackdata,
		   after.sstat_penddata, after.sstat_rwnd);

	pst_check(ctx, "room_follows");
	errno = 0;
	room = try_send(fx->a.sut, fx->a.id[1]) > 0;
	PST_EXPECT(room,
		   "a send on the original's other association after the peel: expected room "
		   "(the peeled data's bytes left with it), got %s",
		   pst_errname(errno));
	errno = 0;
	PST_EXPECT(try_send(fx->p, 0) < 0 && errno == EAGAIN,
		   "a send on the peeled socket after the peel: expected EAGAIN (its buffer holds "
		   "the moved data), got %s",
		   errno ? pst_errname(errno) : "success");

	pst_check(ctx, "queued_data_delivered");
	peer_reads(fx, 0);
	pst_expect_numbered(fx->a.peer[0], 0, filled,
			    "the peer reading what was queued before the peel");
	if (room)
		expect_text(fx->a.peer[1], "x",
			    "the other association's peer, the send made after the peel");

	pst_check(ctx, "sndbuf_freed");
	wait_dry(fx->p, "the peeled socket");
	wait_dry(fx->a.sut, "the original socket's other association");
	if (read_assoc_line(fx->a.id[0], &d0) == 0 && read_assoc_line(fx->a.id[1], &d1) == 0) {
		log_line("all acked", fx->a.id[0], &d0);
		log_line("all acked", fx->a.id[1], &d1);
		PST_EXPECT(d0.txq == 0 && d0.wmemq == 0 && d1.txq == 0 && d1.wmemq == 0,
			   "send-buffer use once everything was acked: expected 0 everywhere, got "
			   "the peeled association's TX_QUEUE %ld and socket's wmemq %ld, the "
			   "original's %ld and %ld",
			   d0.txq, d0.wmemq, d1.txq, d1.wmemq);
	} else {
		pst_fail_at(__FILE__, __LINE__, false,
			    "%s once all was acked: no line for %d or %d", Q_ASSOCS_FILE,
			    (int)fx->a.id[0], (int)fx->a.id[1]);
	}
	pst_check(ctx, NULL);
	close_original_then_peeled(ctx, fx, fx->a.peer[0]);
}

/* ---- EMFILE at the peel, then a peel with a descriptor free ---- */

static void emfile_then_retry(struct pst_ctx *ctx)
{
	struct q_fx *fx = qfx(ctx);
	struct pst_fd_fill fill = { .n = 0 };
	int before, err, r;

	/* An entry point the profile or libsctp lacks SKIPs here, not with the table full. */
	r = pst_peel(ctx, fx->a.sut, SCTP_FUTURE_ASSOC);
	if (r >= 0)
		close(r);
	PST_SAFE(pst_subscribe(fx->a.peer[0], SCTP_ASSOC_CHANGE));
	before = pst_count_fds();
	pst_fd_table_fill(&fill);
	errno = 0;
	r = pst_peel(ctx, fx->a.sut, fx->a.id[0]);
	err = errno;
	pst_fd_table_unfill(&fill);
	if (r >= 0)
		close(r);

	pst_check(ctx, "emfile_as_linux");
	pst_check_errno_at(__FILE__, __LINE__, false, "peel with every descriptor number in use", r,
			   err, EMFILE);
	pst_check(ctx, "descriptors_unchanged");
	PST_EXPECT_EQ(pst_count_fds(), before, "open descriptors after the failed peel");
	pst_check(ctx, "assoc_torn_down");
	PST_EXPECT_EQ(pst_assoc_listed(fx->a.sut, fx->a.id[0]), 0,
		      "the id the failed peel named, in the original's SCTP_GET_ASSOC_ID_LIST (1 = "
		      "still listed)");
	{
		int seen;

		PST_EXPECT(pst_wait_assoc_change(fx->a.peer[0], 0, SCTP_SHUTDOWN_COMP,
						 PST_IO_TIMEOUT_MS, &seen) == 0,
			   "the failed peel's association, at its peer: expected SCTP_ASSOC_CHANGE "
			   "SHUTDOWN_COMP, got %s (%s)",
			   pst_assoc_change_name(seen), pst_errname(errno));
	}

	/* The socket came out of the failed call unlocked and whole: the next peel works. */
	pst_check(ctx, "retry_succeeds");
	errno = 0;
	fx->p = pst_peel(ctx, fx->a.sut, fx->a.id[1]);
	PST_ASSERT(fx->p >= 0,
		   "%s of another association after the EMFILE, a descriptor free: expected a new "
		   "descriptor, got -1 with %s",
		   pst_entry_name(ctx->entry), pst_errname(errno));
	pst_expect_exchange(fx->p, 0, fx->a.peer[1], "the peeled socket <-> its peer");
	pst_check(ctx, "other_assoc_undisturbed");
	pst_expect_exchange(fx->a.sut, fx->a.id[2], fx->a.peer[2],
			    "the original's association that no call named");
	close_original_then_peeled(ctx, fx, fx->a.peer[1]);
}

/* ---- The cases ---- */

static const struct sendall_row sendall_kept = { .close_peeled = false };
static const struct sendall_row sendall_closed = { .close_peeled = true };

#define CLOSE_CHECKS "original_close_keeps_peeled peeled_close_ends_assoc"
#define CLOSE_REQS   "RFC-3.1-CLOSE-ORIG RFC-3.1.5-CLOSE-PEELED"
#define SENDALL_TAGS "linux-git:abb5f36771cc linux-git:4910280503f3 linux-git:ba59fb027307"
#define SENDALL_CHECKS                                                                   \
	"ref:walk_still_asleep=REF-SENDALL-WALK ref:sendall_completes=REF-SENDALL-WALK " \
	"ref:peeled_not_reached=REF-SENDALL-WALK safety:others_get_it_once " CLOSE_CHECKS

static const struct pst_case cases[] = {
	{ .name = "peeloff_blocked_sender_then_close_original_and_peeled_loses_nothing",
	  .fn = blocked_then_close_both,
	  .fixture = &fx_small2,
	  .axes = PST_AXIS_FAMILY,
	  .reqs = "IMPL-LNX-BLOCKED-CLOSE-BOTH IMPL-LNX-SNDBUF-RACE " CLOSE_REQS,
	  .tags = "CVE-2017-5986 CVE-2017-6353 CVE-2018-25015 linux-git:2dcab5984841 "
		  "linux-git:dfcb9f4f99f1 linux-git:a0ff660058b8",
	  .checks = "ref:peel_succeeds=REF-BLOCKED-SENDER ref:sender_gets_epipe=REF-BLOCKED-SENDER "
		    "ref:peeled_buffer_full=REF-MIGRATE-SNDBUF "
		    "ref:close_waits_for_sender=REF-BLOCKED-CLOSE-BOTH "
		    "ref:sender_completes=REF-BLOCKED-CLOSE-BOTH "
		    "safety:queued_data_delivered " CLOSE_CHECKS },
	{ .name = "peeloff_in_connect_wait_connectx_gets_ECONNREFUSED_assoc_up_on_new_socket",
	  .fn = connect_wait_peeled,
	  .fixture = &fx_plain1,
	  .axes = PST_AXIS_FAMILY,
	  .reqs = "IMPL-LNX-CONNECT-WAIT IMPL-LNX-COOKIE-WAIT " CLOSE_REQS,
	  .tags = "linux-git:f14fe6395a8b linux-git:668c9beb9020",
	  .checks =
	      "ref:connect_refused=REF-CONNECT-WAIT ref:assoc_up_on_new_socket=REF-CONNECT-WAIT "
	      "safety:other_assoc_undisturbed " CLOSE_CHECKS },
	{ .name = "peeloff_during_blocked_sendall_walk_skips_peeled_assoc",
	  .fn = sendall_walk_peeled,
	  .fixture = &fx_small3,
	  .axes = PST_AXIS_FAMILY,
	  .reqs = "IMPL-LNX-SENDALL-WALK " CLOSE_REQS,
	  .tags = SENDALL_TAGS,
	  .checks = SENDALL_CHECKS,
	  .param = &sendall_kept },
	{ .name = "peeloff_and_close_during_blocked_sendall_walk_reaches_the_rest",
	  .fn = sendall_walk_peeled,
	  .fixture = &fx_small3,
	  .axes = PST_AXIS_FAMILY,
	  .reqs = "IMPL-LNX-SENDALL-WALK RFC-3.1.5-CLOSE-PEELED",
	  .tags = SENDALL_TAGS,
	  .checks = SENDALL_CHECKS,
	  .param = &sendall_closed },
	{ .name = "peeloff_with_data_queued_moves_its_send_buffer_use",
	  .fn = sndbuf_use_moves,
	  .fixture = &fx_small2,
	  .axes = PST_AXIS_FAMILY,
	  .reqs = "IMPL-LNX-MIGRATE-SNDBUF " CLOSE_REQS,
	  .tags = "linux-git:d04adf1b3551 linux-git:a8dd397903a6 linux-git:5c3e82fe1596",
	  .checks =
	      "ref:sndbuf_moves=REF-MIGRATE-SNDBUF ref:room_follows=REF-MIGRATE-SNDBUF "
	      "ref:sndbuf_freed=REF-MIGRATE-SNDBUF safety:queued_data_delivered " CLOSE_CHECKS },
	{ .name = "peeloff_after_EMFILE_with_fd_free_succeeds_then_closes",
	  .fn = emfile_then_retry,
	  .fixture = &fx_plain3,
	  .axes = PST_AXIS_ENTRY,
	  .reqs = "IMPL-LNX-EMFILE-RETRY IMPL-LNX-EMFILE LNX-RET-FD " CLOSE_REQS,
	  .tags = "linux-git:6dfe4b97e08e linux-next:FD_PREPARE",
	  .checks = "ref:emfile_as_linux=REF-EMFILE ref:assoc_torn_down=REF-EMFILE retry_succeeds "
		    "safety:descriptors_unchanged safety:other_assoc_undisturbed " CLOSE_CHECKS },
};

PST_SUITE(pst_suite_migrate_queues, "peeloff_migrate_queues",
	  "Queues and waits at the peel: a blocked sender, a connect wait, SCTP_SENDALL, "
	  "send-buffer accounting, EMFILE (Linux implementation; RFC 6458 3.1, 3.1.5)",
	  cases);
