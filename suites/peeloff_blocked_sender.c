/*
 * Peeling off an association while another thread of the process is blocked
 * on it (CVE-2017-5986, CVE-2017-6353, CVE-2018-25015): REF-BLOCKED-SENDER,
 * REF-BLOCKED-CLOSE, REF-BLOCKED-OTHER, REF-BLOCKED-RECV and
 * REF-SNDBUF-RACE-HISTORY in suites/requirements/REFERENCES.md.
 *
 * The blocked state is proven, not hoped for: the socket under test has a
 * small send buffer, its peers a small receive buffer and they do not read,
 * so a thread sending 1000-byte messages soon sleeps in sendmsg. The case
 * waits until the kernel shows that thread inside the call, sleeping ('S')
 * and, where it shows it (/proc/<tid>/stack, wchan), sleeping in SCTP's
 * sendmsg, with its count of completed sends unchanged across the look, and
 * its association steady: the peer's window closed and nothing in flight
 * either way, so nothing can free the buffer any more (see link_steady).
 * Only then does the main thread peel off. No quiet period, no timer: a
 * deadline only turns a hang into a message.
 *
 * Not covered: CVE-2017-6353's variant where the blocked sendmsg itself
 * created the association. Such an association has id 0 until it is up
 * (REF-COOKIE-WAIT), so on this kernel there is nothing to pass to the peel.
 *
 * Worker threads never call the assertion API (CUnit longjmps on the case's
 * thread only): they record what happened in their struct, which lives in
 * the fixture data (heap) so that it outlives an aborted case body. Every
 * join is bounded. After each case the kernel's taint flags must be
 * unchanged: a WARN, BUG or oops in the peeloff path taints the kernel.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "../fixtures/assoc.h"
#include "../fixtures/io.h"
#include "../fixtures/netns_sysctl.h"
#include "../fixtures/sctp_mib.h"
#include "../fixtures/waiters.h"
#include "suites.h"

/* Buffers and sizes: the recipe of REF-BLOCKED-SENDER. */
#define BLK_SNDBUF	4096  /* the sut's SO_SNDBUF (the kernel doubles it) */
#define BLK_RCVBUF	2048  /* each peer's SO_RCVBUF, set before connecting: a small rwnd */
#define BLK_RCVBUF_READ 65536 /* the peer's SO_RCVBUF once it reads: nothing dropped */
#define BLK_MSG_LEN	1000  /* bytes per message: 7 fit before the sender blocks */
#define BLK_MSGS	16    /* the sender's total: twice what the buffers hold */
/*
 * Timers in both namespaces (ms): once the peer reads, its delayed SACK
 * (sack_timeout) or the zero-window probe (T3-rtx, RTO) reopens the flow in
 * a few tens of ms, not 1 s.
 */
#define BLK_RTO_MIN	 10
#define BLK_RTO_MAX	 20
#define BLK_SACK_TIMEOUT 10
/* Where the kernel cannot say whether the association is steady: no completed send for this long.
 */
#define BLK_QUIET_MS  300
#define BLK_SEQ_BYTES 4				/* each message starts with its sequence number */
#define BLK_NO_TAINT  (-1L)			/* /proc/sys/kernel/tainted could not be read */
#define BLK_DISCARDS  "SctpInDataChunkDiscards" /* DATA the peer's netns dropped, e.g. no room */

/* The sender's association, to tell a steady blocked state from a passing one. */
struct link {
	int sut, peer;
	sctp_assoc_t id;
	int peer_mib;	    /* the peer netns's SCTP MIB (sctp_mib.h) */
	long discards_base; /* its BLK_DISCARDS when the sender started */
};

struct blk_fx {
	struct pst_assoc_fx a; /* first: the shared I/O helpers take its fields */
	long taint_before;
	struct sctp_sack_info
	    sack_default; /* the peers' delayed SACK before blk_setup changed it */
	struct pst_waiter w;
	struct link l; /* the blocked sender's association */
};

static struct blk_fx *blk(const struct pst_ctx *ctx)
{
	return (struct blk_fx *)ctx->fx;
}

static long read_taint(void)
{
	char buf[64];
	long v;

	if (pst_read_small("/proc/sys/kernel/tainted", buf, sizeof(buf)) <= 0 ||
	    sscanf(buf, "%ld", &v) != 1)
		return BLK_NO_TAINT;
	return v;
}

/* ---- Which kernels refuse the peeloff with EBUSY (REF-SNDBUF-RACE-HISTORY) ---- */

/*
 * A release as "X.Y.Z[-rcN]..."; within a series an -rcN comes before patch
 * 0: its position is N - BLK_RC_BASE, a release's is its patch level.
 */
#define BLK_RC_BASE  1000
#define BLK_LAST_ANY 99999 /* the window lasts to the end of the series */

struct kver {
	int major, minor, pos;
};

static bool parse_release(const char *rel, struct kver *v)
{
	int patch = 0, rc = 0, n = 0;

	if (sscanf(rel, "%d.%d%n", &v->major, &v->minor, &n) != 2)
		return false;
	rel += n;
	if (sscanf(rel, ".%d%n", &patch, &n) == 1)
		rel += n;
	if (sscanf(rel, "-rc%d", &rc) == 1 && rc > 0)
		v->pos = rc - BLK_RC_BASE;
	else
		v->pos = patch;
	return true;
}

/*
 * Kernels that have dfcb9f4f99f1 ("deny peeloff operation on asocs with
 * threads sleeping on it": EBUSY) but not a0ff660058b8 (which removed it):
 * mainline v4.11-rc1 ... v4.15-rc8 and the stable series that took the first
 * fix and, later, the second (the stable versions of CVE-2017-6353 and
 * CVE-2018-25015 in REF-SNDBUF-RACE-HISTORY).
 */
static const struct {
	int major, minor, first, last;
} ebusy_windows[] = {
	{ 4, 11, 1 - BLK_RC_BASE, BLK_LAST_ANY },
	{ 4, 12, 1 - BLK_RC_BASE, BLK_LAST_ANY },
	{ 4, 13, 1 - BLK_RC_BASE, BLK_LAST_ANY },
	{ 4, 14, 1 - BLK_RC_BASE, 15 },
	{ 4, 15, 1 - BLK_RC_BASE, 8 - BLK_RC_BASE },
	{ 4, 10, 5, BLK_LAST_ANY },
	{ 4, 9, 24, 78 },
	{ 4, 4, 63, 113 },
	{ 3, 18, 50, 92 },
	{ 3, 16, 42, 54 },
	{ 3, 12, 72, BLK_LAST_ANY },
	{ 3, 2, 87, 99 },
};

static bool release_in_ebusy_window(const char *rel)
{
	struct kver v;

	if (!parse_release(rel, &v))
		return false;
	for (size_t i = 0; i < PST_ARRAY_SIZE(ebusy_windows); i++)
		if (ebusy_windows[i].major == v.major && ebusy_windows[i].minor == v.minor &&
		    v.pos >= ebusy_windows[i].first && v.pos <= ebusy_windows[i].last)
			return true;
	return false;
}

/*
 * Which way the kernel went is probed (the peel itself), and the case judges
 * that way. What Linux of the same release did is a reference check: a vendor
 * kernel that backported one of the two fixes differs there (CHANGED), never
 * in a requirement.
 */
static void expect_outcome_as_linux(struct pst_ctx *ctx, int p, int err)
{
	struct utsname u;
	bool window;

	if (uname(&u) < 0)
		pst_broken("uname: %s", pst_errname(errno));
	window = release_in_ebusy_window(u.release);
	pst_log("%s: %s; Linux %s %s", pst_entry_name(ctx->entry),
		p >= 0 ? "the peel succeeded" : pst_errname(err), u.release,
		window ? "is in the EBUSY window (dfcb9f4f99f1 without a0ff660058b8)"
		       : "is outside the EBUSY window");
	pst_check(ctx, "outcome_as_linux");
	if (window)
		PST_EXPECT(p < 0 && err == EBUSY,
			   "%s of the association a sender is blocked on, Linux %s (the EBUSY "
			   "window): expected -1 with EBUSY, got %s",
			   pst_entry_name(ctx->entry), u.release,
			   p >= 0 ? "a new descriptor" : pst_errname(err));
	else
		PST_EXPECT(p >= 0 || err != EBUSY,
			   "%s of the association a sender is blocked on, Linux %s (outside the "
			   "EBUSY window): expected a new descriptor, got -1 with EBUSY",
			   pst_entry_name(ctx->entry), u.release);
	pst_check(ctx, NULL);
}

/* SCTP_SOCKOPT_PEELOFF_FLAGS exists from Linux 4.13 (REF-PEELOFF-FLAGS-KERNEL). */
static void skip_flags_entry_on_old_kernel(const struct pst_ctx *ctx)
{
	struct utsname u;
	struct kver v;

	if (ctx->entry != PST_ENTRY_PEELOFF_FLAGS && ctx->entry != PST_ENTRY_RAW_FLAGS)
		return;
	if (uname(&u) == 0 && parse_release(u.release, &v) &&
	    (v.major < 4 || (v.major == 4 && v.minor < 13)))
		pst_skip("%s: kernel %s has no SCTP_SOCKOPT_PEELOFF_FLAGS (Linux >= 4.13)",
			 pst_entry_name(ctx->entry), u.release);
}

/* ---- The fixture: small buffers, set before the associations exist ---- */

/* Before any association: the buffer surely applies to them. */
static void blk_prepare_sut(struct pst_ctx *ctx, int sut)
{
	int sndbuf = BLK_SNDBUF;

	(void)ctx;
	PST_SAFE(setsockopt(sut, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf)));
}

/*
 * A small receive window, and a SACK for every packet while the sender
 * blocks: no delayed SACK is pending when link_steady looks. peer_reads()
 * restores the delayed SACK, whose timer carries the reopened window once
 * the peer reads (immediate SACKs leave that to the zero-window probes, one
 * RTO each).
 */
static void blk_prepare_peer(struct pst_ctx *ctx, int peer, int i)
{
	struct blk_fx *fx = blk(ctx);
	struct sctp_sack_info ack_at_once = { .sack_assoc_id = 0, .sack_delay = 0, .sack_freq = 1 };
	socklen_t len = sizeof(fx->sack_default);
	int rcvbuf = BLK_RCVBUF;

	(void)i;
	PST_SAFE(setsockopt(peer, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)));
	PST_SAFE(getsockopt(peer, IPPROTO_SCTP, SCTP_DELAYED_SACK, &fx->sack_default, &len));
	PST_SAFE(
	    setsockopt(peer, IPPROTO_SCTP, SCTP_DELAYED_SACK, &ack_at_once, sizeof(ack_at_once)));
}

static void blk_setup(struct pst_ctx *ctx, int n)
{
	static const struct pst_assoc_opts small_buffers = { .prepare_sut = blk_prepare_sut,
							     .prepare_peer = blk_prepare_peer };
	static const struct pst_sctp_timers quick_probes = {
		.rto_min = BLK_RTO_MIN,
		.rto_initial = BLK_RTO_MAX,
		.rto_max = BLK_RTO_MAX,
		.sack_timeout = BLK_SACK_TIMEOUT,
	};
	struct blk_fx *fx = blk(ctx);

	fx->a.npeers = 0; /* nothing for the teardown to close if the case skips */
	fx->a.sut = -1;
	fx->l.peer_mib = -1;
	fx->taint_before = read_taint();
	if (ctx->profile != PST_PROFILE_LINUX)
		pst_skip("only the linux profile documents this (REF-BLOCKED-SENDER, "
			 "REF-SNDBUF-RACE-HISTORY): the man pages and RFC 6458 say nothing about a "
			 "blocked sender");
	pst_sctp_timers_set(ctx, &quick_probes);
	/* The case thread is left in the server netns: a peeloff from another one is refused. */
	pst_assoc_setup_with(ctx, n, &small_buffers);
	fx->l.peer_mib = (int)PST_SAFE(pst_mib_open(ctx->topo, PST_CLIENT));
}

static void blk_setup1(struct pst_ctx *ctx)
{
	blk_setup(ctx, 1);
}

static void blk_setup2(struct pst_ctx *ctx)
{
	blk_setup(ctx, 2);
}

/* Closes everything, then: a kernel that warned or oopsed during the case is a failure. */
static void blk_teardown(struct pst_ctx *ctx)
{
	struct blk_fx *fx = blk(ctx);
	long after;

	pst_assoc_teardown(ctx);
	if (fx->l.peer_mib >= 0)
		close(fx->l.peer_mib);
	after = read_taint();
	pst_log("/proc/sys/kernel/tainted: %ld before the case, %ld after", fx->taint_before,
		after);
	if (fx->taint_before != BLK_NO_TAINT && after != fx->taint_before)
		pst_fail_at(
		    __FILE__, __LINE__, false,
		    "/proc/sys/kernel/tainted: expected unchanged (%ld), got %ld: the kernel "
		    "warned or oopsed during the case (see the console log)",
		    fx->taint_before, after);
}

static const struct pst_fixture blk_fx1 = { "blocked1", sizeof(struct blk_fx), blk_setup1,
					    blk_teardown };
static const struct pst_fixture blk_fx2 = { "blocked2", sizeof(struct blk_fx), blk_setup2,
					    blk_teardown };

/* ---- The worker threads ---- */

/* Message seq: its number, then a byte pattern that depends on it. */
static void make_msg(uint32_t seq, unsigned char *m)
{
	memset(m, 'a' + (int)(seq % 26), BLK_MSG_LEN);
	memcpy(m, &seq, BLK_SEQ_BYTES);
}

/* Sends BLK_MSGS messages on (fd, id), counting each; stops at the first error. */
static void *sender_main(void *arg)
{
	struct pst_waiter *w = arg;
	unsigned char m[BLK_MSG_LEN];

	atomic_store(&w->tid, (int)gettid());
	for (int seq = 0; seq < BLK_MSGS; seq++) {
		ssize_t r;

		make_msg((uint32_t)seq, m);
		atomic_store(&w->in_call, true);
		r = pst_send(w->fd, w->id, m, sizeof(m));
		atomic_store(&w->in_call, false);
		if (r < 0) {
			pst_waiter_finish(w, r, errno);
			return NULL;
		}
		atomic_fetch_add(&w->count, 1);
	}
	pst_waiter_finish(w, 0, 0);
	return NULL;
}

/*
 * Nothing can free the sender's buffer until the peer reads. The sut sees the
 * peer's window closed (SCTP_STATUS); every DATA chunk it sent (first sends
 * and retransmissions) has reached the peer, accepted or discarded for want
 * of room (the peer netns's BLK_DISCARDS); and every SACK the peer sent has
 * been processed by the sut (SCTP_GET_ASSOC_STATS on both ends; the peer
 * acks every packet at once, see blk_setup). Then the peer's last SACK
 * acknowledged all it accepted and offered no room, and its window opens
 * only when it reads: any DATA sent from now on is discarded, no SACK frees
 * a byte. 1 steady, 0 not (yet), -1 the kernel does not say.
 */
static int link_steady(const struct link *l, char *how, size_t howlen)
{
	struct sctp_status st = { .sstat_assoc_id = l->id };
	struct sctp_assoc_stats sut = { .sas_assoc_id = l->id }, peer = { .sas_assoc_id = 0 };
	socklen_t len = sizeof(st);
	unsigned long long sent, arrived;
	long discards;

	if (getsockopt(l->sut, IPPROTO_SCTP, SCTP_STATUS, &st, &len) < 0 || st.sstat_rwnd != 0)
		return 0;
	len = sizeof(sut);
	if (getsockopt(l->sut, IPPROTO_SCTP, SCTP_GET_ASSOC_STATS, &sut, &len) < 0)
		return -1;
	len = sizeof(peer);
	if (getsockopt(l->peer, IPPROTO_SCTP, SCTP_GET_ASSOC_STATS, &peer, &len) < 0)
		return -1;
	if ((discards = pst_mib_get(l->peer_mib, BLK_DISCARDS)) < 0)
		return -1;
	sent = sut.sas_oodchunks + sut.sas_ouodchunks + sut.sas_rtxchunks;
	arrived = peer.sas_iodchunks + peer.sas_iuodchunks +
		  (unsigned long long)(discards - l->discards_base);
	snprintf(how, howlen,
		 "peer window 0, DATA chunks sent %llu (%llu again), arrived %llu (%ld "
		 "discarded), SACKs sent %llu, received %llu",
		 sent, (unsigned long long)sut.sas_rtxchunks, arrived, discards - l->discards_base,
		 (unsigned long long)peer.sas_osacks, (unsigned long long)sut.sas_isacks);
	return sent == arrived && peer.sas_osacks == sut.sas_isacks;
}

/*
 * Wait (at most limit_ms: a bound for hangs) until the worker is inside its
 * call, asleep in one of the frames, its count the same before and after
 * that look and (l given) its association steady. Where the kernel does not
 * say whether it is steady, the count must also have stood still for
 * BLK_QUIET_MS. false if it returned or never got there; *count_out: its
 * count then.
 */
static bool wait_asleep(struct pst_waiter *w, const char *const *frames, const struct link *l,
			long limit_ms, int *count_out)
{
	long start = pst_now_ms(), since = start;
	int last = atomic_load(&w->count);
	char how[128] = "", steady[192] = "no association to watch";

	for (;;) {
		long t = pst_now_ms();
		int c = atomic_load(&w->count), st = 1;

		if (c != last) {
			last = c;
			since = t;
		}
		*count_out = c;
		if (atomic_load(&w->done))
			return false;
		if (l && (st = link_steady(l, steady, sizeof(steady))) < 0)
			snprintf(steady, sizeof(steady),
				 "the kernel does not say if the association is steady: quiet %ld "
				 "ms",
				 t - since);
		if (atomic_load(&w->in_call) && (st > 0 || (st < 0 && t - since >= BLK_QUIET_MS)) &&
		    pst_asleep_in(atomic_load(&w->tid), frames, how, sizeof(how)) !=
			PST_NOT_ASLEEP &&
		    atomic_load(&w->count) == c && atomic_load(&w->in_call)) {
			pst_log("worker %d asleep after %d completed sends, %ld ms after the look "
				"began: %s; %s",
				atomic_load(&w->tid), c, t - start, how, steady);
			return true;
		}
		if (t - start > limit_ms)
			return false;
		pst_sleep_ms(PST_POLL_MS);
	}
}

/* Start the sender on (sut, id) and wait until it is blocked; its completed sends. */
static int start_blocked_sender(struct blk_fx *fx, int i)
{
	struct pst_waiter *w = &fx->w;
	int sent = 0;

	fx->l.sut = fx->a.sut;
	fx->l.peer = fx->a.peer[i];
	fx->l.id = fx->a.id[i];
	fx->l.discards_base = pst_mib_get(fx->l.peer_mib, BLK_DISCARDS);
	pst_waiter_start(w, fx->a.sut, fx->a.id[i], sender_main);
	if (!wait_asleep(w, pst_send_wait_frames, &fx->l, PST_REACH_MS, &sent)) {
		if (atomic_load(&w->done))
			pst_broken("the sender never blocked: it %s after %d sends",
				   w->ret < 0 ? pst_errname(w->err) : "finished", sent);
		pst_broken("the sender was not seen asleep in sendmsg within %d ms (%d sends)",
			   PST_REACH_MS, sent);
	}
	if (sent >= BLK_MSGS - 1)
		pst_broken("the sender blocked only after %d of %d messages", sent, BLK_MSGS);
	return sent;
}

/* ---- Reading what the peer got ---- */

/* Peer i is about to read: back to its delayed SACK (see blk_setup). */
static void peer_reads(struct blk_fx *fx, int i)
{
	struct sctp_sack_info si = fx->sack_default;
	int rcvbuf = BLK_RCVBUF_READ;

	si.sack_assoc_id = 0;
	PST_SAFE(setsockopt(fx->a.peer[i], IPPROTO_SCTP, SCTP_DELAYED_SACK, &si, sizeof(si)));
	PST_SAFE(setsockopt(fx->a.peer[i], SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)));
}

/* One whole message (up to MSG_EOR), notifications skipped: its length, 0 at EOF, -1. */
static ssize_t read_msg(int fd, unsigned char *buf, size_t cap, int timeout_ms)
{
	size_t got = 0;

	for (;;) {
		struct iovec iov = { .iov_base = buf + got, .iov_len = cap - got };
		struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
		ssize_t n;
		struct timeval tv = { .tv_sec = timeout_ms / PST_MS_PER_S,
				      .tv_usec = (timeout_ms % PST_MS_PER_S) * PST_US_PER_MS };

		if (got == cap) {
			errno = EMSGSIZE;
			return -1;
		}
		if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0)
			return -1;
		n = recvmsg(fd, &m, 0);
		if (n < 0) {
			if (errno == EAGAIN)
				errno = ETIMEDOUT;
			return -1;
		}
		if (n == 0)
			return (ssize_t)got; /* end of file (0), or a message cut short by it */
		if (m.msg_flags & MSG_NOTIFICATION) {
			/* Not expected on the peer; skip it (its bytes went to buf + got). */
			continue;
		}
		got += (size_t)n;
		if (m.msg_flags & MSG_EOR)
			return (ssize_t)got;
	}
}

/* The peer reads messages first .. first+n-1 of the sender, in order and intact. */
static bool expect_messages(int peer, int first, int n, const char *what)
{
	unsigned char got[BLK_MSG_LEN * 2], want[BLK_MSG_LEN];

	for (int seq = first; seq < first + n; seq++) {
		ssize_t len = read_msg(peer, got, sizeof(got), PST_IO_TIMEOUT_MS);
		uint32_t gseq = 0;

		make_msg((uint32_t)seq, want);
		if (len <= 0) {
			pst_fail_at(__FILE__, __LINE__, false,
				    "%s: expected message %d of %d, got %s", what, seq + 1,
				    first + n, len == 0 ? "end of file" : pst_errname(errno));
			return false;
		}
		if (len >= BLK_SEQ_BYTES)
			memcpy(&gseq, got, BLK_SEQ_BYTES);
		if (len != BLK_MSG_LEN || memcmp(got, want, BLK_MSG_LEN) != 0) {
			pst_fail_at(__FILE__, __LINE__, false,
				    "%s: expected message %d (%d bytes), got %zd bytes numbered %u",
				    what, seq, BLK_MSG_LEN, len, gseq);
			return false;
		}
	}
	return true;
}

/* ---- The cases ---- */

/*
 * The kernel refused with EBUSY: that changed nothing; the sender stays
 * blocked until the peer reads, then finishes.
 */
static void expect_ebusy(struct pst_ctx *ctx, struct blk_fx *fx, int sent)
{
	struct pst_waiter *w = &fx->w;
	int again = 0;

	pst_check(ctx, "refusal_changed_nothing");
	PST_EXPECT(wait_asleep(w, pst_send_wait_frames, &fx->l, PST_REACH_MS, &again) &&
		       again == sent,
		   "sender after the refused peeloff: expected still blocked after %d sends, got "
		   "%s after %d",
		   sent, atomic_load(&w->done) ? pst_errname(w->err) : "not blocked", again);
	peer_reads(fx, 0);
	expect_messages(fx->a.peer[0], 0, BLK_MSGS, "peer reading everything after the EBUSY");
	PST_EXPECT(pst_waiter_join(w, PST_WAKE_MS) && w->ret == 0,
		   "sender: expected all %d sends to complete once the peer read, got %s after %d",
		   BLK_MSGS, w->started ? "still blocked" : pst_errname(w->err),
		   atomic_load(&w->count));
	pst_expect_exchange(fx->a.sut, fx->a.id[0], fx->a.peer[0],
			    "the association on the original socket after the EBUSY");
	pst_check(ctx, NULL);
}

/* The blocked sender returns -1 EPIPE within PST_WAKE_MS of the peel at peel_ms. */
static void expect_sender_epipe(struct pst_waiter *w, long peel_ms, int sent)
{
	if (!pst_waiter_join(w, PST_WAKE_MS)) {
		pst_fail_at(__FILE__, __LINE__, false,
			    "blocked sendmsg: expected -1 EPIPE within %d ms of the peeloff, still "
			    "blocked",
			    PST_WAKE_MS);
		return;
	}
	pst_log("the blocked sendmsg returned %zd (%s) %ld ms after the peeloff", w->ret,
		pst_errname(w->ret < 0 ? w->err : 0), w->done_ms - peel_ms);
	pst_check_errno_at(__FILE__, __LINE__, false,
			   "the blocked sendmsg on the original socket after its association was "
			   "peeled off",
			   w->ret, w->err, EPIPE);
	PST_EXPECT_EQ(atomic_load(&w->count), sent, "sends completed by the blocked sender");
}

static void blocked_sender_gets_epipe(struct pst_ctx *ctx)
{
	struct blk_fx *fx = blk(ctx);
	int before = pst_count_fds(), sent, p, err;
	long peel_ms;

	skip_flags_entry_on_old_kernel(ctx);
	sent = start_blocked_sender(fx, 0);
	peel_ms = pst_now_ms();
	errno = 0;
	p = pst_peel(ctx, fx->a.sut, fx->a.id[0]);
	err = errno;
	expect_outcome_as_linux(ctx, p, err);
	if (p < 0 && err == EBUSY) {
		expect_ebusy(ctx, fx, sent);
		return;
	}
	PST_ASSERT(p >= 0,
		   "%s of the association a sender is blocked on: expected a new descriptor, got "
		   "-1 with %s",
		   pst_entry_name(ctx->entry), pst_errname(err));
	pst_check(ctx, "sender_gets_epipe");
	expect_sender_epipe(&fx->w, peel_ms, sent);
	/* What was queued before the peel arrives, through P (REF-BLOCKED-SENDER)... */
	pst_check(ctx, "queued_data_delivered");
	peer_reads(fx, 0);
	expect_messages(fx->a.peer[0], 0, sent, "peer reading the messages sent before the peel");
	/* ... and the message of the failed send does not: the next one is P's. */
	pst_expect_exchange(p, 0, fx->a.peer[0], "peeled socket <-> peer, after those messages");
	close(p);
	pst_check(ctx, "descriptors_unchanged");
	PST_EXPECT_EQ(pst_count_fds(), before, "open descriptors after closing the peeled socket");
}

static void blocked_sender_then_close_gets_epipe(struct pst_ctx *ctx)
{
	struct blk_fx *fx = blk(ctx);
	int before = pst_count_fds(), sent, p, err;
	long peel_ms;

	sent = start_blocked_sender(fx, 0);
	peel_ms = pst_now_ms();
	errno = 0;
	p = pst_peel(ctx, fx->a.sut, fx->a.id[0]);
	err = errno;
	/* At once, while the sender is still waking up (CVE-2018-25015). */
	if (p >= 0)
		close(p);
	expect_outcome_as_linux(ctx, p, err);
	if (p < 0 && err == EBUSY) {
		expect_ebusy(ctx, fx, sent);
		return;
	}
	PST_ASSERT(p >= 0,
		   "peeloff of the association a sender is blocked on: expected a new descriptor, "
		   "got -1 with %s",
		   pst_errname(err));
	pst_check(ctx, "sender_gets_epipe");
	expect_sender_epipe(&fx->w, peel_ms, sent);
	pst_check(ctx, "descriptors_unchanged");
	PST_EXPECT_EQ(pst_count_fds(), before, "open descriptors after closing the peeled socket");
	/* close() shuts the association down gracefully: queued data first, then the end. */
	pst_check(ctx, "queued_data_delivered");
	peer_reads(fx, 0);
	if (expect_messages(fx->a.peer[0], 0, sent,
			    "peer reading the messages sent before the peel and close")) {
		unsigned char buf[BLK_MSG_LEN * 2];
		ssize_t n = read_msg(fx->a.peer[0], buf, sizeof(buf), PST_IO_TIMEOUT_MS);
		PST_EXPECT(n == 0,
			   "peer after the %d queued messages: expected end of file (the closed "
			   "peeled socket shut the association down), got %s",
			   sent, n < 0 ? pst_errname(errno) : "more data");
	}
}

static void other_assoc_leaves_sender_blocked(struct pst_ctx *ctx)
{
	struct blk_fx *fx = blk(ctx);
	struct pst_waiter *w = &fx->w;
	int sent = start_blocked_sender(fx, 0), again = 0;
	int p = (int)PST_ASSERT_OK(pst_peel(ctx, fx->a.sut, fx->a.id[1]));
	bool still = wait_asleep(w, pst_send_wait_frames, &fx->l, PST_REACH_MS, &again);

	/* Fatal: with the sender gone, unblocking it below would only time out. */
	PST_ASSERT(still && again == sent,
		   "sender blocked on the other association: expected still blocked after %d "
		   "sends, got %s after %d sends",
		   sent,
		   atomic_load(&w->done) ? (w->ret < 0 ? pst_errname(w->err) : "finished")
					 : "not asleep in sendmsg",
		   again);
	pst_expect_exchange(p, 0, fx->a.peer[1], "peeled socket <-> its peer");
	/* Unblock it: the peer reads everything, the sender completes every send. */
	peer_reads(fx, 0);
	expect_messages(fx->a.peer[0], 0, BLK_MSGS, "peer of the blocked sender reading");
	if (!pst_waiter_join(w, PST_WAKE_MS))
		pst_fail_at(__FILE__, __LINE__, false,
			    "sender: expected all %d sends to complete once its peer read, still "
			    "blocked after %d",
			    BLK_MSGS, atomic_load(&w->count));
	else
		PST_EXPECT(w->ret == 0 && atomic_load(&w->count) == BLK_MSGS,
			   "sender: expected all %d sends to complete, got %s after %d", BLK_MSGS,
			   pst_errname(w->err), atomic_load(&w->count));
	pst_expect_exchange(fx->a.sut, fx->a.id[0], fx->a.peer[0],
			    "the blocked sender's association, still on the original socket");
	close(p);
}

static void blocked_recv_keeps_waiting(struct pst_ctx *ctx)
{
	struct blk_fx *fx = blk(ctx);
	struct pst_waiter *w = &fx->w;
	static const char to_peeled[] = "for the peeled socket";
	static const char to_orig[] = "for the original socket";
	char buf[PST_WAITER_BUF];
	int dummy = 0, p;
	ssize_t n;

	pst_waiter_start(w, fx->a.sut, 0, pst_waiter_recv_main);
	if (!wait_asleep(w, pst_recv_wait_frames, NULL, PST_REACH_MS, &dummy))
		pst_broken("the receiver was not seen asleep in recvmsg within %d ms (%s)",
			   PST_REACH_MS, atomic_load(&w->done) ? "it returned" : "not asleep");
	p = (int)PST_ASSERT_OK(pst_peel(ctx, fx->a.sut, fx->a.id[0]));
	PST_EXPECT(wait_asleep(w, pst_recv_wait_frames, NULL, PST_REACH_MS, &dummy),
		   "recvmsg blocked on the original socket: expected to keep waiting after the "
		   "peeloff, got %s",
		   atomic_load(&w->done) ? "it returned" : "not asleep in recvmsg");

	/* Data of the peeled association goes to P, and does not wake the receiver. */
	PST_ASSERT(pst_send(fx->a.peer[0], 0, to_peeled, sizeof(to_peeled)) ==
		       (ssize_t)sizeof(to_peeled),
		   "peer of the peeled association: sending failed with %s", pst_errname(errno));
	n = pst_recv_data(p, buf, sizeof(buf), PST_IO_TIMEOUT_MS);
	PST_EXPECT(n == (ssize_t)sizeof(to_peeled) &&
		       memcmp(buf, to_peeled, sizeof(to_peeled)) == 0,
		   "peeled socket: expected '%s', got %s", to_peeled,
		   n < 0 ? pst_errname(errno) : "other bytes");
	PST_EXPECT(wait_asleep(w, pst_recv_wait_frames, NULL, PST_REACH_MS, &dummy),
		   "recvmsg blocked on the original socket: expected to keep waiting after data "
		   "came for the peeled association, got %s",
		   atomic_load(&w->done) ? "it returned" : "not asleep in recvmsg");

	/* Data of the original socket's other association wakes it. */
	PST_ASSERT(pst_send(fx->a.peer[1], 0, to_orig, sizeof(to_orig)) == (ssize_t)sizeof(to_orig),
		   "peer of the other association: sending failed with %s", pst_errname(errno));
	if (!pst_waiter_join(w, PST_WAKE_MS)) {
		pst_fail_at(
		    __FILE__, __LINE__, false,
		    "recvmsg blocked on the original socket: expected to return '%s' within "
		    "%d ms of its arrival, still blocked",
		    to_orig, PST_WAKE_MS);
	} else {
		PST_EXPECT(w->ret == (ssize_t)sizeof(to_orig) &&
			       !(w->msg_flags & MSG_NOTIFICATION) &&
			       memcmp(w->buf, to_orig, sizeof(to_orig)) == 0,
			   "recvmsg blocked on the original socket: expected '%s', got %zd bytes "
			   "(%s, flags 0x%x)",
			   to_orig, w->ret, pst_errname(w->ret < 0 ? w->err : 0), w->msg_flags);
	}
	close(p);
}

#define BLK_TAGS_SENDER                                                      \
	"CVE-2017-5986 CVE-2017-6353 CVE-2018-25015 linux-git:2dcab5984841 " \
	"linux-git:dfcb9f4f99f1 "                                            \
	"linux-git:a0ff660058b8"

/*
 * EBUSY or EPIPE is what a named Linux did (reference checks); what follows
 * either way must hold: nothing queued is lost, nothing leaks.
 */
#define BLK_CHECKS_SENDER                                                                        \
	"ref:outcome_as_linux=REF-SNDBUF-RACE-HISTORY ref:sender_gets_epipe=REF-BLOCKED-SENDER " \
	"refusal_changed_nothing safety:queued_data_delivered safety:descriptors_unchanged"

static const struct pst_case cases[] = {
	{ .name = "peeloff_blocked_sender_gets_EPIPE",
	  .fn = blocked_sender_gets_epipe,
	  .fixture = &blk_fx1,
	  .axes = PST_AXIS_FAMILY | PST_AXIS_ENTRY,
	  .reqs = "IMPL-LNX-SNDBUF-RACE IMPL-LNX-BLOCKED-QUEUED",
	  .tags = BLK_TAGS_SENDER,
	  .checks = BLK_CHECKS_SENDER },
	{ .name = "peeloff_then_close_blocked_sender_gets_EPIPE",
	  .fn = blocked_sender_then_close_gets_epipe,
	  .fixture = &blk_fx1,
	  .axes = PST_AXIS_FAMILY,
	  .reqs = "IMPL-LNX-SNDBUF-RACE IMPL-LNX-BLOCKED-CLOSE",
	  .tags = "CVE-2018-25015 linux-git:a0ff660058b8",
	  .checks = BLK_CHECKS_SENDER },
	{ .name = "peeloff_other_assoc_leaves_blocked_sender_blocked",
	  .fn = other_assoc_leaves_sender_blocked,
	  .fixture = &blk_fx2,
	  .axes = PST_AXIS_FAMILY,
	  .reqs = "IMPL-LNX-BLOCKED-OTHER",
	  .tags = "CVE-2017-6353 linux-git:dfcb9f4f99f1" },
	{ .name = "peeloff_leaves_blocked_recv_waiting",
	  .fn = blocked_recv_keeps_waiting,
	  .fixture = &blk_fx2,
	  .axes = PST_AXIS_FAMILY,
	  .reqs = "IMPL-LNX-BLOCKED-RECV" },
};

PST_SUITE(pst_suite_blocked_sender, "peeloff_blocked_sender",
	  "A sender blocked on the association (CVE-2017-5986, CVE-2017-6353, CVE-2018-25015)",
	  cases);
