/*
 * Sending on the peeled socket, against a genuine one-to-one socket: the send
 * flags SCTP_EOF, SCTP_ABORT and SCTP_SENDALL, a foreign association id in the
 * send information, and SOCK_NONBLOCK on a full send buffer.
 *
 * RFC 6458 5.3.2 (SCTP_SNDRCV's sinfo_flags, sinfo_assoc_id) and 5.3.4
 * (SCTP_SNDINFO's snd_flags) say what each flag means and that the id is
 * ignored on a one-to-one style socket, which the peeled socket is (9.2); the
 * Linux page says what SOCK_NONBLOCK does. Each case does the same send on
 * the reference (fixtures/one_to_one.h) and records what each side did
 * (REF-PEELED-SENDING). Whatever the send does, it must reach this
 * association only: the association that stayed on the original socket, and
 * the reference's, stay ESTABLISHED and get nothing (safety checks).
 *
 * "Nothing reached another association" is proven, not waited for: a state
 * read right after the call (the SHUTDOWN and ABORT primitives change it
 * before sendmsg returns), the server netns's count of DATA chunks queued
 * (SctpOutOrderChunks: sctp_outq_tail counts each chunk as sendmsg queues it),
 * and a marker sent afterwards on the other association that must be the
 * first thing its peer reads (a stray message queued before it would arrive
 * first: same stream, ordered). A full send buffer is read from the kernel
 * (/proc/net/sctp/assocs: wmemq against sndbuf), never assumed from time.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../fixtures/assoc.h"
#include "../fixtures/assoc_states.h"
#include "../fixtures/io.h"
#include "../fixtures/netns_open.h"
#include "../fixtures/one_to_one.h"
#include "../fixtures/sctp_mib.h"
#include "../fixtures/waiters.h"
#include "suites.h"

#define FILL_ROUNDS	   5 /* fills of the send buffer before a settled full one is given up */
#define BOGUS_ID	   424242		  /* an association id no socket of the case owns */
#define OUT_DATA	   "SctpOutOrderChunks"	  /* MIB: ordered DATA chunks queued to send */
#define OUT_DATA_UNORDERED "SctpOutUnorderChunks" /* MIB: unordered DATA chunks queued */
/* MIB: DATA chunks the receiver dropped, for want of room among others. */
#define IN_DISCARDS  "SctpInDataChunkDiscards"
#define NOTIF_BUF    1024 /* a notification with an ABORT chunk and a short reason */
#define USER_ABORT   12	  /* RFC 4960 3.3.10.12: the User-Initiated Abort cause */
#define CAUSE_HDR    4	  /* an error cause's code and length, 16 bits each */
#define MARKER	     "marker"
#define LAST_WORDS   "queued before SCTP_EOF"
#define ABORT_REASON "the reason for the abort"

/* Buffers of the full-send-buffer case (the recipe of peeloff_blocked_sender). */
#define NB_SNDBUF   4096 /* SO_SNDBUF of the sending socket (the kernel doubles it) */
#define NB_RCVBUF   2048 /* the peer's SO_RCVBUF, before it connects: a small window */
#define NB_MSG_LEN  1000
#define NB_MAX_MSGS 1000 /* far more than the buffers hold: only a broken setup sends them all */
#define ASSOCS_PATH "/proc/thread-self/net/sctp/assocs"
#define ASSOCS_BUF  16384
#define SNDBUF_KNOB "/proc/sys/net/sctp/sndbuf_policy"
#define KNOB_BUF    16
#define WORDS	    160 /* what one side did, in words */

/* Which cmsg carries the send information: RFC 6458 5.3.4, or 5.3.2 (deprecated). */
enum sinfo_kind { SNDINFO, SNDRCV };

struct send_row {
	enum sinfo_kind kind;
	const char *what; /* "SCTP_SNDINFO" */
};

static const struct send_row via_sndinfo = { SNDINFO, "SCTP_SNDINFO" };
static const struct send_row via_sndrcv = { SNDRCV, "SCTP_SNDRCV" };

/* sendmsg() of buf with one send-information cmsg of kind carrying flags and id. */
static ssize_t send_info(int fd, enum sinfo_kind kind, uint16_t flags, sctp_assoc_t id,
			 const void *buf, size_t len)
{
	char cbuf[CMSG_SPACE(sizeof(struct sctp_sndrcvinfo))] = { 0 };
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	struct msghdr m = { .msg_iov = &iov,
			    .msg_iovlen = 1,
			    .msg_control = cbuf,
			    .msg_controllen = kind == SNDINFO
						  ? CMSG_SPACE(sizeof(struct sctp_sndinfo))
						  : CMSG_SPACE(sizeof(struct sctp_sndrcvinfo)) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);

	c->cmsg_level = IPPROTO_SCTP;
	if (kind == SNDINFO) {
		struct sctp_sndinfo si = { .snd_flags = flags, .snd_assoc_id = id };

		c->cmsg_type = SCTP_SNDINFO;
		c->cmsg_len = CMSG_LEN(sizeof(si));
		memcpy(CMSG_DATA(c), &si, sizeof(si));
	} else {
		struct sctp_sndrcvinfo si = { .sinfo_flags = flags, .sinfo_assoc_id = id };

		c->cmsg_type = SCTP_SNDRCV;
		c->cmsg_len = CMSG_LEN(sizeof(si));
		memcpy(CMSG_DATA(c), &si, sizeof(si));
	}
	/* Never block: a send that would is a result, not a hang. */
	return sendmsg(fd, &m, MSG_NOSIGNAL | MSG_DONTWAIT);
}

/* A send's result in words: "0", "23 bytes", "EINVAL". */
static const char *result_text(ssize_t r, int err, char *buf, size_t len)
{
	if (r < 0)
		snprintf(buf, len, "%s", pst_errname(err));
	else
		snprintf(buf, len, "%zd", r);
	return buf;
}

/* An association's state in words, for messages: "ESTABLISHED", "gone (EINVAL)". */
static const char *state_text(int fd, sctp_assoc_t id, char *buf, size_t len)
{
	int st;

	errno = 0;
	st = pst_assoc_state(fd, id);
	if (st < 0)
		snprintf(buf, len, "gone (%s)", pst_errname(errno));
	else if (st == SCTP_ESTABLISHED)
		snprintf(buf, len, "ESTABLISHED");
	else
		snprintf(buf, len, "state %d, no longer ESTABLISHED", st);
	return buf;
}

/*
 * The associations the send must not touch: the one that stayed on the
 * original socket and the reference's. Read right after the call: the
 * SHUTDOWN and ABORT primitives leave ESTABLISHED before sendmsg returns.
 */
static void expect_others_established(const struct pst_ctx *ctx, const struct pst_one2one *g,
				      const char *what)
{
	struct pst_assoc_fx *fx = pst_assoc(ctx);

	if (pst_assoc_state(fx->sut, fx->id[1]) != SCTP_ESTABLISHED) {
		char st[64];

		pst_fail_at(__FILE__, __LINE__, false,
			    "%s: expected the association that stayed on the original socket (id "
			    "%d) ESTABLISHED, got %s",
			    what, (int)fx->id[1], state_text(fx->sut, fx->id[1], st, sizeof(st)));
	}
	if (pst_assoc_state(g->acc, 0) != SCTP_ESTABLISHED) {
		char st[64];

		pst_fail_at(__FILE__, __LINE__, false,
			    "%s: expected the reference one-to-one socket's association "
			    "ESTABLISHED, got %s",
			    what, state_text(g->acc, 0, st, sizeof(st)));
	}
}

/*
 * The first data fd reads is MARKER, which the caller sends after the call
 * under test on fd's association: nothing the call queued came before it.
 */
static void expect_marker_first(int fd, const char *what)
{
	char buf[256];
	ssize_t n = pst_recv_data(fd, buf, sizeof(buf), PST_IO_TIMEOUT_MS);

	PST_EXPECT(n == (ssize_t)strlen(MARKER) && memcmp(buf, MARKER, strlen(MARKER)) == 0,
		   "%s: expected '%s' as the first message (nothing sent to it before), got %s",
		   what, MARKER,
		   n < 0   ? pst_errname(errno)
		   : n > 0 ? "another message first"
			   : "end of file");
}

/* Send MARKER on the original socket's other association and the reference, then read both. */
static void expect_nothing_reached_others(const struct pst_ctx *ctx, const struct pst_one2one *g,
					  const char *what)
{
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	char w[WORDS];

	/* A send that fails here is itself the harm: that association was ended. */
	snprintf(w, sizeof(w), "%s: the peer of the association on the original socket", what);
	if (pst_send(fx->sut, fx->id[1], MARKER, strlen(MARKER)) < 0)
		pst_fail_at(__FILE__, __LINE__, false,
			    "%s: expected the marker sent on the original socket, got %s", w,
			    pst_errname(errno));
	else
		expect_marker_first(fx->peer[1], w);
	snprintf(w, sizeof(w), "%s: the reference's peer", what);
	if (pst_send(g->acc, 0, MARKER, strlen(MARKER)) < 0)
		pst_fail_at(__FILE__, __LINE__, false,
			    "%s: expected the marker sent on the reference, got %s", w,
			    pst_errname(errno));
	else
		expect_marker_first(g->client, w);
}

/* One data message on fd is exactly msg. */
static bool expect_message(int fd, const char *msg, const char *what)
{
	char buf[256];
	ssize_t n = pst_recv_data(fd, buf, sizeof(buf), PST_IO_TIMEOUT_MS);

	if (n == (ssize_t)strlen(msg) && memcmp(buf, msg, strlen(msg)) == 0)
		return true;
	pst_fail_at(__FILE__, __LINE__, false, "%s: expected '%s', got %s", what, msg,
		    n < 0    ? pst_errname(errno)
		    : n == 0 ? "end of file"
			     : "other data");
	return false;
}

/* ---- SCTP_EOF: the graceful shutdown of this association, and only it ---- */

static void eof_ends_only_its_association(struct pst_ctx *ctx)
{
	const struct send_row *row = ctx->param;
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	struct pst_one2one g;
	char what[WORDS], res[32];
	int p, seen = PST_NO_ASSOC_CHANGE, err;
	ssize_t r;

	pst_one2one_setup(ctx, &g);
	PST_SAFE(pst_subscribe(fx->peer[0], SCTP_ASSOC_CHANGE));
	p = pst_peel_first(ctx);
	snprintf(what, sizeof(what), "sendmsg(peeled socket, %s flags SCTP_EOF)", row->what);

	/* Data queued first: a graceful shutdown delivers it before the end. */
	PST_SAFE(pst_send(p, 0, LAST_WORDS, strlen(LAST_WORDS)));
	errno = 0;
	r = send_info(p, row->kind, SCTP_EOF, 0, NULL, 0);
	err = errno;
	pst_check(ctx, "others_established");
	expect_others_established(ctx, &g, what);
	pst_check(ctx, "eof_accepted");
	pst_check_ok_at(__FILE__, __LINE__, false, what, r, err);
	pst_check(ctx, "peer_shut_down_gracefully");
	if (expect_message(fx->peer[0], LAST_WORDS,
			   "the peeled association's peer, before the shutdown") &&
	    pst_wait_assoc_change(fx->peer[0], 0, SCTP_SHUTDOWN_COMP, PST_IO_TIMEOUT_MS, &seen) < 0)
		pst_fail_at(__FILE__, __LINE__, false,
			    "%s: expected the peer to see the association end gracefully "
			    "(SCTP_ASSOC_CHANGE SHUTDOWN_COMP), got %s (last change: %s)",
			    what, pst_errname(errno), pst_assoc_change_name(seen));
	pst_observe(ctx, PST_SEEN_PEELED, "%s; peer: %s", result_text(r, err, res, sizeof(res)),
		    pst_assoc_change_name(seen));
	pst_check(ctx, "nothing_to_other_peers");
	expect_nothing_reached_others(ctx, &g, what);
	pst_check(ctx, NULL);

	/* The reference, last: it may end its own association. */
	errno = 0;
	r = send_info(g.acc, row->kind, SCTP_EOF, 0, NULL, 0);
	err = errno;
	pst_observe(ctx, PST_SEEN_REFERENCE, "%s; its association %s",
		    result_text(r, err, res, sizeof(res)),
		    state_text(g.acc, 0, what, sizeof(what)));
	close(p);
	pst_one2one_close(&g);
}

/* ---- SCTP_ABORT: the abort of this association, the reason carried to the peer ---- */

/*
 * The peer's SCTP_ASSOC_CHANGE COMM_LOST carries what it received of the
 * ABORT chunk (RFC 6458 6.1.1 sac_info): the User-Initiated Abort cause must
 * be there, with the reason as its cause-specific information.
 */
static bool has_user_abort_cause(const unsigned char *info, size_t len, const char *reason)
{
	size_t rlen = strlen(reason);

	for (size_t k = CAUSE_HDR; k + rlen <= len; k++) {
		uint16_t code, clen;

		if (memcmp(info + k, reason, rlen) != 0)
			continue;
		memcpy(&code, info + k - CAUSE_HDR, sizeof(code));
		memcpy(&clen, info + k - CAUSE_HDR + sizeof(code), sizeof(clen));
		if (ntohs(code) == USER_ABORT && ntohs(clen) == CAUSE_HDR + rlen)
			return true;
	}
	return false;
}

/* The next SCTP_ASSOC_CHANGE on fd, whole (sac_info too): its length, or -1. */
static ssize_t recv_assoc_change(int fd, unsigned char *buf, size_t len)
{
	for (;;) {
		int flags = 0;
		ssize_t n = pst_recv_msg(fd, buf, len, PST_IO_TIMEOUT_MS, &flags);
		const struct sctp_assoc_change *ac = (const struct sctp_assoc_change *)buf;

		if (n < 0)
			return -1;
		if ((flags & MSG_NOTIFICATION) && (size_t)n >= sizeof(*ac) &&
		    ac->sac_type == SCTP_ASSOC_CHANGE)
			return n;
	}
}

static void abort_ends_only_its_association(struct pst_ctx *ctx)
{
	const struct send_row *row = ctx->param;
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	unsigned char note[NOTIF_BUF];
	const struct sctp_assoc_change *ac = (const struct sctp_assoc_change *)note;
	struct pst_one2one g;
	char what[WORDS], res[32];
	int p, err;
	ssize_t r, n;

	pst_one2one_setup(ctx, &g);
	PST_SAFE(pst_subscribe(fx->peer[0], SCTP_ASSOC_CHANGE));
	p = pst_peel_first(ctx);
	snprintf(what, sizeof(what), "sendmsg(peeled socket, %s flags SCTP_ABORT, '%s')", row->what,
		 ABORT_REASON);

	errno = 0;
	r = send_info(p, row->kind, SCTP_ABORT, 0, ABORT_REASON, strlen(ABORT_REASON));
	err = errno;
	pst_check(ctx, "others_established");
	expect_others_established(ctx, &g, what);
	pst_check(ctx, "abort_accepted");
	pst_check_ok_at(__FILE__, __LINE__, false, what, r, err);
	pst_check(ctx, "peer_sees_abort");
	n = recv_assoc_change(fx->peer[0], note, sizeof(note));
	if (n < 0 || ac->sac_state != SCTP_COMM_LOST)
		pst_fail_at(__FILE__, __LINE__, false,
			    "%s: expected the peer to see the association aborted "
			    "(SCTP_ASSOC_CHANGE COMM_LOST), got %s",
			    what,
			    n < 0 ? pst_errname(errno) : pst_assoc_change_name(ac->sac_state));
	pst_check(ctx, "abort_cause_user_initiated");
	if (n >= 0 && ac->sac_state == SCTP_COMM_LOST)
		PST_EXPECT(
		    has_user_abort_cause(ac->sac_info, (size_t)n - sizeof(*ac), ABORT_REASON),
		    "%s: expected the peer's ABORT to carry the cause User-Initiated Abort "
		    "(%d) with '%s' (the msg_iov), got %zu bytes of sac_info without it",
		    what, USER_ABORT, ABORT_REASON, (size_t)n - sizeof(*ac));
	pst_observe(ctx, PST_SEEN_PEELED, "%s; peer: %s", result_text(r, err, res, sizeof(res)),
		    n < 0 ? pst_errname(errno) : pst_assoc_change_name(ac->sac_state));
	pst_check(ctx, "nothing_to_other_peers");
	expect_nothing_reached_others(ctx, &g, what);
	pst_check(ctx, NULL);

	errno = 0;
	r = send_info(g.acc, row->kind, SCTP_ABORT, 0, ABORT_REASON, strlen(ABORT_REASON));
	err = errno;
	pst_observe(ctx, PST_SEEN_REFERENCE, "%s; its association %s",
		    result_text(r, err, res, sizeof(res)),
		    state_text(g.acc, 0, what, sizeof(what)));
	close(p);
	pst_one2one_close(&g);
}

/* ---- SCTP_SENDALL: no effect on a one-to-one socket ---- */

/* One send on fd, and how many DATA chunks the server netns queued meanwhile. */
static ssize_t send_counted(int mib, int fd, enum sinfo_kind kind, uint16_t flags, sctp_assoc_t id,
			    const char *msg, int *err, long *chunks)
{
	long before = PST_SAFE(pst_mib_get(mib, OUT_DATA));
	ssize_t r;

	errno = 0;
	r = send_info(fd, kind, flags, id, msg, strlen(msg));
	*err = errno;
	*chunks = PST_SAFE(pst_mib_get(mib, OUT_DATA)) - before;
	return r;
}

static void sendall_sends_on_its_association_only(struct pst_ctx *ctx)
{
	static const char msg[] = "sent with SCTP_SENDALL";
	const struct send_row *row = ctx->param;
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	struct pst_one2one g;
	char what[WORDS], res[32];
	int p, err, mib;
	long chunks;
	ssize_t r;

	pst_one2one_setup(ctx, &g);
	mib = (int)PST_SAFE(pst_mib_open(ctx->topo, PST_SERVER));
	p = pst_peel_first(ctx);
	snprintf(what, sizeof(what), "sendmsg(peeled socket, %s flags SCTP_SENDALL)", row->what);

	r = send_counted(mib, p, row->kind, SCTP_SENDALL, 0, msg, &err, &chunks);
	pst_check(ctx, "sendall_plain_send");
	if (pst_check_ok_at(__FILE__, __LINE__, false, what, r, err) >= 0) {
		PST_EXPECT_EQ(r, strlen(msg), "bytes sent with SCTP_SENDALL");
		/* Once, and only once: the marker sent next is the next message. */
		if (expect_message(fx->peer[0], msg, "the peeled association's peer")) {
			PST_SAFE(pst_send(p, 0, MARKER, strlen(MARKER)));
			expect_marker_first(fx->peer[0],
					    "the peeled association's peer, after the message");
		}
	}
	pst_check(ctx, "only_its_association");
	PST_EXPECT(r < 0 || chunks == 1,
		   "%s: expected one DATA chunk queued in the server netns (%s: the message, on "
		   "this association only), got %ld",
		   what, OUT_DATA, chunks);
	expect_nothing_reached_others(ctx, &g, what);
	pst_observe(ctx, PST_SEEN_PEELED, "%s; %ld DATA chunk(s) queued",
		    result_text(r, err, res, sizeof(res)), chunks);
	pst_check(ctx, NULL);

	r = send_counted(mib, g.acc, row->kind, SCTP_SENDALL, 0, msg, &err, &chunks);
	pst_observe(ctx, PST_SEEN_REFERENCE, "%s; %ld DATA chunk(s) queued",
		    result_text(r, err, res, sizeof(res)), chunks);
	close(mib);
	close(p);
	pst_one2one_close(&g);
}

/* ---- A foreign association id: ignored, the data goes to this association ---- */

static void foreign_assoc_id_is_ignored(struct pst_ctx *ctx)
{
	const struct send_row *row = ctx->param;
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	struct pst_one2one g;
	const struct {
		const char *what, *msg;
		sctp_assoc_t id;
	} ids[] = {
		{ "the id of the association on the original socket", "sent with the other id",
		  fx->id[1] },
		{ "an id nobody owns", "sent with a bogus id", BOGUS_ID },
	};
	char what[WORDS], seen_p[WORDS] = "", seen_r[WORDS] = "", res[32];
	int p, err, mib;
	long chunks;
	ssize_t r;

	pst_one2one_setup(ctx, &g);
	mib = (int)PST_SAFE(pst_mib_open(ctx->topo, PST_SERVER));
	p = pst_peel_first(ctx);
	for (size_t i = 0; i < PST_ARRAY_SIZE(ids); i++) {
		size_t used = strlen(seen_p);

		snprintf(what, sizeof(what), "sendmsg(peeled socket, %s id = %s)", row->what,
			 ids[i].what);
		r = send_counted(mib, p, row->kind, 0, ids[i].id, ids[i].msg, &err, &chunks);
		pst_check(ctx, "foreign_id_ignored");
		if (pst_check_ok_at(__FILE__, __LINE__, false, what, r, err) >= 0)
			expect_message(fx->peer[0], ids[i].msg,
				       "the peeled association's peer (the id ignored)");
		pst_check(ctx, "nothing_to_other_peers");
		PST_EXPECT(r < 0 || chunks == 1,
			   "%s: expected one DATA chunk queued in the server netns (%s: on this "
			   "association only), got %ld",
			   what, OUT_DATA, chunks);
		snprintf(seen_p + used, sizeof(seen_p) - used, "%s%s: %s", i ? "; " : "",
			 ids[i].id == BOGUS_ID ? "bogus id" : "other id",
			 result_text(r, err, res, sizeof(res)));
	}
	expect_nothing_reached_others(ctx, &g, "after the sends with foreign ids");
	pst_check(ctx, NULL);
	pst_observe(ctx, PST_SEEN_PEELED, "%s, each to its own peer", seen_p);

	for (size_t i = 0; i < PST_ARRAY_SIZE(ids); i++) {
		size_t used = strlen(seen_r);

		r = send_counted(mib, g.acc, row->kind, 0, ids[i].id, ids[i].msg, &err, &chunks);
		snprintf(seen_r + used, sizeof(seen_r) - used, "%s%s: %s", i ? "; " : "",
			 ids[i].id == BOGUS_ID ? "bogus id" : "other id",
			 result_text(r, err, res, sizeof(res)));
		if (r >= 0 && pst_recv_data(g.client, what, sizeof(what), PST_IO_TIMEOUT_MS) < 0)
			pst_log("the reference's peer did not get '%s': %s", ids[i].msg,
				pst_errname(errno));
	}
	pst_observe(ctx, PST_SEEN_REFERENCE, "%s", seen_r);
	close(mib);
	close(p);
	pst_one2one_close(&g);
}

/* ---- SOCK_NONBLOCK on a full send buffer: EAGAIN at once ---- */

struct nb_fx {
	struct pst_assoc_fx a; /* first: pst_assoc() reads it */
	int peer_mib;	       /* the client netns's MIB */
	long discards_base;
	struct pst_waiter w; /* outlives an aborted case body */
};

/* What the kernel says of one association's send queue. */
struct sendq {
	int wmemq, sndbuf, txq; /* /proc/net/sctp/assocs: wmemq, sndbuf, TX_QUEUE */
	int unackdata;		/* SCTP_STATUS */
	unsigned rwnd;		/* the peer's window, SCTP_STATUS */
	unsigned long long isacks;
};

static void nb_prepare_peer(struct pst_ctx *ctx, int peer, int i)
{
	struct sctp_sack_info at_once = { .sack_delay = 0, .sack_freq = 1 };
	int rcvbuf = NB_RCVBUF;

	(void)ctx;
	(void)i;
	PST_SAFE(setsockopt(peer, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)));
	/* Every packet acked at once: no delayed SACK left to free room later. */
	PST_SAFE(setsockopt(peer, IPPROTO_SCTP, SCTP_DELAYED_SACK, &at_once, sizeof(at_once)));
}

static void nb_setup(struct pst_ctx *ctx)
{
	static const struct pst_assoc_opts small_window = { .prepare_peer = nb_prepare_peer };
	struct nb_fx *fx = ctx->fx;

	fx->peer_mib = -1;
	pst_assoc_setup_with(ctx, 1, &small_window);
	fx->peer_mib = (int)PST_SAFE(pst_mib_open(ctx->topo, PST_CLIENT));
}

static void nb_teardown(struct pst_ctx *ctx)
{
	struct nb_fx *fx = ctx->fx;

	pst_assoc_teardown(ctx);
	if (fx->peer_mib >= 0)
		close(fx->peer_mib);
}

static const struct pst_fixture nb_fixture = { "small_window", sizeof(struct nb_fx), nb_setup,
					       nb_teardown };

/* The row of association id in /proc/net/sctp/assocs (fd: opened in its netns). 0, or -1. */
static int assocs_row(int fd, sctp_assoc_t id, struct sendq *q)
{
	char buf[ASSOCS_BUF];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n < 0)
		return -1;
	buf[n] = '\0';
	for (char *line = strchr(buf, '\n'); line && line[1]; line = strchr(line + 1, '\n')) {
		const char *tail;
		int rid, txq, wmema;

		if (sscanf(line + 1, "%*s %*s %*d %*d %*d %*d %d %d", &rid, &txq) != 2 ||
		    rid != (int)id || !(tail = strchr(line + 1, '\t')))
			continue;
		if (sscanf(tail, "%*u %*d %*d %*d %*d %*d %*d %d %d %d", &wmema, &q->wmemq,
			   &q->sndbuf) != 3)
			return -1;
		q->txq = txq;
		return 0;
	}
	errno = ENOENT;
	return -1;
}

/* The send queue of the peeled socket's association; BROKEN if the kernel does not say. */
static struct sendq sendq_of(int assocs, int p, sctp_assoc_t id)
{
	struct sctp_status st = { .sstat_assoc_id = 0 };
	struct sctp_assoc_stats as = { .sas_assoc_id = 0 };
	socklen_t len = sizeof(st);
	struct sendq q;

	PST_SAFE(assocs_row(assocs, id, &q));
	PST_SAFE(getsockopt(p, IPPROTO_SCTP, SCTP_STATUS, &st, &len));
	len = sizeof(as);
	PST_SAFE(getsockopt(p, IPPROTO_SCTP, SCTP_GET_ASSOC_STATS, &as, &len));
	q.unackdata = st.sstat_unackdata;
	q.rwnd = st.sstat_rwnd;
	q.isacks = as.sas_isacks;
	return q;
}

/* No room: a send must wait (net/sctp/socket.c: sctp_wspace() <= 0). */
static bool sendq_full(const struct sendq *q, bool per_assoc)
{
	return (per_assoc ? q->txq : q->wmemq) >= q->sndbuf;
}

/*
 * Nothing can free room until the peer reads: its window is closed, every
 * DATA chunk sent has reached it (accepted or discarded) and every SACK it
 * sent has been processed here (SCTP_GET_ASSOC_STATS on both ends).
 */
static bool link_steady(const struct nb_fx *fx, int p, char *how, size_t len)
{
	struct sctp_status st = { .sstat_assoc_id = 0 };
	struct sctp_assoc_stats s = { .sas_assoc_id = 0 }, r = { .sas_assoc_id = 0 };
	socklen_t l = sizeof(st);
	unsigned long long sent, arrived;
	long discards = pst_mib_get(fx->peer_mib, IN_DISCARDS);

	if (getsockopt(p, IPPROTO_SCTP, SCTP_STATUS, &st, &l) < 0 || discards < 0)
		return false;
	l = sizeof(s);
	if (getsockopt(p, IPPROTO_SCTP, SCTP_GET_ASSOC_STATS, &s, &l) < 0)
		return false;
	l = sizeof(r);
	if (getsockopt(fx->a.peer[0], IPPROTO_SCTP, SCTP_GET_ASSOC_STATS, &r, &l) < 0)
		return false;
	sent = s.sas_oodchunks + s.sas_ouodchunks + s.sas_rtxchunks;
	arrived =
	    r.sas_iodchunks + r.sas_iuodchunks + (unsigned long long)(discards - fx->discards_base);
	snprintf(how, len,
		 "peer window %u, DATA chunks sent %llu, arrived %llu, SACKs sent %llu, "
		 "received %llu",
		 st.sstat_rwnd, sent, arrived, (unsigned long long)r.sas_osacks,
		 (unsigned long long)s.sas_isacks);
	return st.sstat_rwnd == 0 && sent == arrived && r.sas_osacks == s.sas_isacks;
}

/* Thread body: one send without MSG_DONTWAIT: only the descriptor's O_NONBLOCK keeps it from
 * blocking. */
static void *plain_send_main(void *arg)
{
	struct pst_waiter *w = arg;
	static const char one_more[NB_MSG_LEN];
	ssize_t r;

	atomic_store(&w->tid, (int)gettid());
	atomic_store(&w->in_call, true);
	r = send(w->fd, one_more, sizeof(one_more), MSG_NOSIGNAL);
	atomic_store(&w->in_call, false);
	pst_waiter_finish(w, r, errno);
	return NULL;
}

/* Send NB_MSG_LEN-byte messages with MSG_DONTWAIT until fd has no room: how many went. */
static int fill(int fd)
{
	static const char msg[NB_MSG_LEN];

	for (int i = 0; i < NB_MAX_MSGS; i++)
		if (send(fd, msg, sizeof(msg), MSG_DONTWAIT | MSG_NOSIGNAL) < 0) {
			if (errno != EAGAIN)
				pst_broken("filling the send buffer: message %d: %s", i + 1,
					   pst_errname(errno));
			return i;
		}
	pst_broken("%d messages of %d bytes sent without the buffer filling", NB_MAX_MSGS,
		   NB_MSG_LEN);
}

static bool sndbuf_per_assoc(void)
{
	char buf[KNOB_BUF];

	return pst_read_small(SNDBUF_KNOB, buf, sizeof(buf)) > 0 && buf[0] == '1';
}

/*
 * DATA chunks the netns has queued to send, ordered or not: sctp_outq_tail()
 * counts each as it queues it (Linux 6.1 net/sctp/outqueue.c); a SACK, a
 * retransmission or a window probe moves neither counter.
 */
static long data_queued(int mib)
{
	return PST_SAFE(pst_mib_get(mib, OUT_DATA)) +
	       PST_SAFE(pst_mib_get(mib, OUT_DATA_UNORDERED));
}

/* The reference: O_NONBLOCK set with fcntl, the buffer filled the same way, one plain send. */
static void observe_reference_nonblock(const struct pst_ctx *ctx, const struct pst_one2one *g)
{
	static const char msg[NB_MSG_LEN];
	int sndbuf = NB_SNDBUF, sent;
	char res[32];
	ssize_t r;

	PST_SAFE(setsockopt(g->acc, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf)));
	PST_SAFE(fcntl(g->acc, F_SETFL, fcntl(g->acc, F_GETFL) | O_NONBLOCK));
	sent = fill(g->acc);
	errno = 0;
	r = send(g->acc, msg, sizeof(msg), MSG_NOSIGNAL);
	pst_observe(ctx, PST_SEEN_REFERENCE, "O_NONBLOCK, %d messages queued, then send(): %s",
		    sent, result_text(r, errno, res, sizeof(res)));
}

static void nonblock_full_buffer_gives_eagain(struct pst_ctx *ctx)
{
	struct nb_fx *fx = ctx->fx;
	struct pst_waiter *w = &fx->w;
	struct pst_one2one g;
	struct sendq before, after;
	const bool per_assoc = sndbuf_per_assoc();
	char how[WORDS], steady[WORDS] = "not looked at", res[32];
	int sndbuf = NB_SNDBUF, p, assocs, sent, mib;
	sctp_assoc_t id;
	enum pst_sleep s;
	long start, queued;

	if (ctx->profile != PST_PROFILE_LINUX)
		pst_skip("only the linux profile documents sctp_peeloff_flags (SOCK_NONBLOCK): the "
			 "Solaris page and RFC 6458 document no flags variant");
	pst_one2one_setup(ctx, &g);
	assocs = (int)PST_SAFE(pst_netns_open(ctx->topo, PST_SERVER, ASSOCS_PATH, O_RDONLY));
	mib = (int)PST_SAFE(pst_mib_open(ctx->topo, PST_SERVER));
	fx->discards_base = PST_SAFE(pst_mib_get(fx->peer_mib, IN_DISCARDS));
	errno = 0;
	p = pst_peel_flags(ctx, fx->a.sut, fx->a.id[0], SOCK_NONBLOCK);
	pst_check_ok_at(__FILE__, __LINE__, true, "peeloff with SOCK_NONBLOCK", p, errno);
	id = fx->a.id[0];
	PST_SAFE(setsockopt(p, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf)));

	/*
	 * Full, and steady: no SACK in flight can make room before the call. A SACK
	 * that arrived after the EAGAIN (the peer's window closes only as it fills)
	 * leaves room: fill again, until the settled buffer is full.
	 */
	sent = 0;
	for (int round = 1;; round++) {
		sent += fill(p);
		for (start = pst_now_ms(); !link_steady(fx, p, steady, sizeof(steady));
		     pst_sleep_ms(PST_POLL_MS))
			if (pst_now_ms() - start > PST_REACH_MS)
				pst_broken("the association did not settle within %d ms (%s)",
					   PST_REACH_MS, steady);
		before = sendq_of(assocs, p, id);
		if (sendq_full(&before, per_assoc))
			break;
		if (round == FILL_ROUNDS)
			pst_broken("after %d rounds of filling (%d messages, each ended by EAGAIN) "
				   "the settled send buffer still has room (wmemq %d, TX_QUEUE %d, "
				   "sndbuf %d): the case cannot show a full buffer",
				   round, sent, before.wmemq, before.txq, before.sndbuf);
	}
	pst_log("%d messages queued; %s; wmemq %d, TX_QUEUE %d of sndbuf %d, %d unacked", sent,
		steady, before.wmemq, before.txq, before.sndbuf, before.unackdata);

	/* send() without MSG_DONTWAIT: only SOCK_NONBLOCK keeps it from blocking. */
	queued = data_queued(mib);
	memset(w, 0, sizeof(*w));
	pst_waiter_start(w, p, 0, plain_send_main);
	s = pst_waiter_settle(w, pst_send_wait_frames, PST_REACH_MS, how, sizeof(how));
	if (s != PST_NOT_ASLEEP) {
		pst_check(ctx, "eagain_at_once");
		pst_fail_at(__FILE__, __LINE__, false,
			    "send() on the SOCK_NONBLOCK peeled socket with a full send buffer "
			    "(wmemq %d, sndbuf %d): expected -1 EAGAIN at once, got it asleep in "
			    "the call (%s): it blocked",
			    before.wmemq, before.sndbuf, how);
		pst_observe(ctx, PST_SEEN_PEELED, "blocked in send()");
		/* Abort the association: that wakes the sender, and the case can end. */
		PST_SAFE(pst_send_sflags(p, 0, SCTP_ABORT));
		if (!pst_waiter_join(w, PST_WAKE_MS))
			pst_broken("the blocked sender did not return after the abort");
		close(p);
		close(mib);
		close(assocs);
		pst_one2one_close(&g);
		return;
	}
	if (!pst_waiter_join(w, PST_WAKE_MS))
		pst_broken("send() neither slept nor returned within %d ms", PST_WAKE_MS);
	after = sendq_of(assocs, p, id);
	queued = data_queued(mib) - queued;
	if (after.isacks != before.isacks && w->ret >= 0)
		pst_broken("a SACK arrived during the send (%llu before, %llu after): it may have "
			   "made room; the case cannot judge",
			   before.isacks, after.isacks);
	pst_check(ctx, "eagain_at_once");
	pst_check_errno_at(__FILE__, __LINE__, false,
			   "send() without MSG_DONTWAIT on the SOCK_NONBLOCK peeled socket, its "
			   "send buffer full",
			   w->ret, w->err, EAGAIN);
	pst_observe(ctx, PST_SEEN_PEELED, "SOCK_NONBLOCK, %d messages queued, then send(): %s",
		    sent, result_text(w->ret, w->err, res, sizeof(res)));
	/*
	 * Nothing queued: the netns's DATA counters, which only a queued send
	 * moves, whatever came back meanwhile; the queue's size too, when no SACK
	 * arrived that could have freed some of it.
	 */
	pst_check(ctx, "nothing_queued");
	PST_EXPECT(queued == 0,
		   "the server netns after the send on the full buffer: expected no DATA chunk "
		   "queued (%s + %s unchanged), got %ld",
		   OUT_DATA, OUT_DATA_UNORDERED, queued);
	if (after.isacks == before.isacks)
		PST_EXPECT(after.wmemq == before.wmemq && after.txq == before.txq,
			   "the send queue after the send on the full buffer: expected unchanged "
			   "(wmemq %d, TX_QUEUE %d), got wmemq %d, TX_QUEUE %d",
			   before.wmemq, before.txq, after.wmemq, after.txq);
	else
		pst_log("a SACK arrived during the send (%llu before, %llu after): the queue's "
			"size is not compared, the DATA counters are",
			before.isacks, after.isacks);
	pst_check(ctx, NULL);
	observe_reference_nonblock(ctx, &g);
	close(p);
	close(mib);
	close(assocs);
	pst_one2one_close(&g);
}

#define SENDING_REQS "RFC-9.2-ONE2ONE LNX-DESC-ONE2ONE SOL-DESC-ONE2ONE"
#define FLAG_CASE(cname, cfn, row, creqs, cchecks, ccontract)                           \
	{                                                                               \
		.name = (cname), .fn = (cfn), .fixture = &pst_fx_assoc2,                \
		.axes = PST_AXIS_FAMILY | PST_AXIS_ENTRY, .reqs = (creqs SENDING_REQS), \
		.param = &(row), .checks = (cchecks), .contract = (ccontract)           \
	}
#define EOF_CHECKS                                                          \
	"eof_accepted peer_shut_down_gracefully safety:others_established " \
	"safety:nothing_to_other_peers"
#define ABORT_CHECKS                                                                           \
	"abort_accepted peer_sees_abort abort_cause_user_initiated safety:others_established " \
	"safety:nothing_to_other_peers"
#define SENDALL_CHECKS "sendall_plain_send safety:only_its_association"
#define ID_CHECKS      "foreign_id_ignored safety:nothing_to_other_peers"

static const struct pst_case cases[] = {
	FLAG_CASE("peeled_send_SCTP_EOF_sndinfo_shuts_down_only_its_association",
		  eof_ends_only_its_association, via_sndinfo, "RFC-5.3.4-EOF ", EOF_CHECKS,
		  "send with SCTP_EOF"),
	FLAG_CASE("peeled_send_SCTP_EOF_sndrcv_shuts_down_only_its_association",
		  eof_ends_only_its_association, via_sndrcv, "RFC-5.3.4-EOF ", EOF_CHECKS,
		  "send with SCTP_EOF"),
	FLAG_CASE("peeled_send_SCTP_ABORT_sndinfo_aborts_only_its_association",
		  abort_ends_only_its_association, via_sndinfo, "RFC-5.3.4-ABORT ", ABORT_CHECKS,
		  "send with SCTP_ABORT"),
	FLAG_CASE("peeled_send_SCTP_ABORT_sndrcv_aborts_only_its_association",
		  abort_ends_only_its_association, via_sndrcv, "RFC-5.3.4-ABORT ", ABORT_CHECKS,
		  "send with SCTP_ABORT"),
	FLAG_CASE("peeled_send_SCTP_SENDALL_sndinfo_sends_on_its_association_only",
		  sendall_sends_on_its_association_only, via_sndinfo, "RFC-5.3.4-SENDALL ",
		  SENDALL_CHECKS, "send with SCTP_SENDALL"),
	FLAG_CASE("peeled_send_SCTP_SENDALL_sndrcv_sends_on_its_association_only",
		  sendall_sends_on_its_association_only, via_sndrcv, "RFC-5.3.4-SENDALL ",
		  SENDALL_CHECKS, "send with SCTP_SENDALL"),
	FLAG_CASE("peeled_send_foreign_snd_assoc_id_is_ignored", foreign_assoc_id_is_ignored,
		  via_sndinfo, "RFC-5.3.4-ASSOCID ", ID_CHECKS,
		  "send with a foreign association id"),
	FLAG_CASE("peeled_send_foreign_sinfo_assoc_id_is_ignored", foreign_assoc_id_is_ignored,
		  via_sndrcv, "RFC-5.3.2-ASSOCID ", ID_CHECKS,
		  "send with a foreign association id"),
	{ .name = "peeled_send_SOCK_NONBLOCK_full_buffer_gives_EAGAIN_at_once",
	  .fn = nonblock_full_buffer_gives_eagain,
	  .fixture = &nb_fixture,
	  .axes = PST_AXIS_FAMILY | PST_AXIS_FLAGS_ENTRY,
	  .needs = PST_NEED_PEELOFF_FLAGS_KERNEL,
	  .reqs = "LNX-FLAGS-NONBLOCK " SENDING_REQS,
	  .checks = "eagain_at_once nothing_queued",
	  .contract = "send on a full send buffer (SOCK_NONBLOCK)" },
};

PST_SUITE(pst_suite_peeled_sending, "peeled_sending",
	  "Sending on the peeled socket: RFC 6458 5.3.2, 5.3.4, 9.2; sctp_peeloff(3) flags", cases);
