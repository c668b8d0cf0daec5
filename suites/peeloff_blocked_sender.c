/*
 * Peeling off an association while another thread of the process is blocked
 * on it (CVE-2017-5986, CVE-2017-6353, CVE-2018-25015): implementations.md
 * "Historical bugs" and error table row 13; observed-linux-6.1.md 8.1-8.7,
 * 11.3 and "Consequences for the suite" 3.
 *
 * The blocked state is proven, not hoped for: the socket under test has a
 * small send buffer, its peers a small receive buffer and they do not read,
 * so a thread sending 1000-byte messages soon sleeps in sendmsg. The case
 * waits until that thread is inside the call, its count of completed sends
 * has not moved for a quiet period, it is sleeping ('S') and, where the
 * kernel shows it (/proc/<tid>/stack, wchan), sleeping in SCTP's sendmsg,
 * and its association is steady: the peer's window is closed and every SACK
 * the peer sent has arrived, so nothing can free the buffer any more (see
 * link_steady). Only then does the main thread peel off.
 *
 * Not covered: CVE-2017-6353's variant where the blocked sendmsg itself
 * created the association. Such an association has id 0 until it is up
 * (observed 9), so on this kernel there is nothing to pass to the peel.
 *
 * Worker threads never call the assertion API (CUnit longjmps on the case's
 * thread only): they record what happened in their struct, which lives in
 * the fixture data (heap) so that it outlives an aborted case body. Every
 * join is bounded. After each case the kernel's taint flags must be
 * unchanged: a WARN, BUG or oops in the peeloff path taints the kernel.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "../fixtures/assoc.h"
#include "../fixtures/io.h"
#include "suites.h"

/* Buffers and sizes: observed 8.1 and "Consequences for the suite" 3. */
#define BLK_SNDBUF	4096  /* the sut's SO_SNDBUF (the kernel doubles it) */
#define BLK_RCVBUF	2048  /* each peer's SO_RCVBUF, set before connecting: a small rwnd */
#define BLK_RCVBUF_READ 65536 /* the peer's SO_RCVBUF once it reads: nothing dropped */
#define BLK_MSG_LEN	1000  /* bytes per message: 7 fit before the sender blocks */
#define BLK_MSGS	16    /* the sender's total: twice what the buffers hold */
/* Timing: no completed send for BLK_QUIET_MS (and a steady association) is blocked. */
#define BLK_QUIET_MS  300
#define BLK_REACH_MS  3000  /* the blocked state is reached in well under this (seen: ~50 ms) */
#define BLK_WAKE_MS   2000  /* a woken thread returns within this (observed: within 1 s) */
#define BLK_POLL_MS   10    /* how often the state of a worker is looked at */
#define BLK_SEQ_BYTES 4	    /* each message starts with its sequence number */
#define BLK_RECV_BUF  2048  /* the blocked receiver's buffer */
#define BLK_PROC_BUF  4096  /* enough for /proc/<tid>/stack, stat, wchan */
#define BLK_NO_TAINT  (-1L) /* /proc/sys/kernel/tainted could not be read */
#define BLK_MS_PER_S  1000L
#define BLK_NS_PER_MS 1000000L
#define BLK_NS_PER_S  1000000000L

/* A thread that blocks in sendmsg or recvmsg on the sut; written by it, read by the case. */
struct worker {
	pthread_t th;
	bool started; /* not yet joined */
	int fd;
	sctp_assoc_t id;
	atomic_int tid;
	atomic_int count;    /* completed sends */
	atomic_bool in_call; /* inside sendmsg/recvmsg */
	atomic_bool done;    /* returned for good; ret, err, ... below are final */
	ssize_t ret;
	int err;
	int msg_flags;
	long done_ms; /* CLOCK_MONOTONIC, when the last call returned */
	char buf[BLK_RECV_BUF];
};

/* The sender's association, to tell a steady blocked state from a passing one. */
struct link {
	int sut, peer;
	sctp_assoc_t id;
};

struct blk_fx {
	struct pst_assoc_fx a; /* first: the shared I/O helpers take its fields */
	long taint_before;
	struct sctp_sack_info
	    sack_default; /* the peers' delayed SACK before blk_setup changed it */
	struct worker w;
	struct link l; /* the blocked sender's association */
};

static struct blk_fx *blk(const struct pst_ctx *ctx)
{
	return (struct blk_fx *)ctx->fx;
}

static long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * BLK_MS_PER_S + t.tv_nsec / BLK_NS_PER_MS;
}

static void sleep_ms(long ms)
{
	struct timespec t = { .tv_sec = ms / BLK_MS_PER_S,
			      .tv_nsec = (ms % BLK_MS_PER_S) * BLK_NS_PER_MS };

	while (nanosleep(&t, &t) < 0 && errno == EINTR)
		;
}

/* A whole small file into buf (NUL-terminated): its length, or -1. */
static ssize_t read_small(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return -1;
	n = fread(buf, 1, len - 1, f);
	fclose(f);
	buf[n] = '\0';
	return (ssize_t)n;
}

static long read_taint(void)
{
	char buf[64];
	long v;

	if (read_small("/proc/sys/kernel/tainted", buf, sizeof(buf)) <= 0 ||
	    sscanf(buf, "%ld", &v) != 1)
		return BLK_NO_TAINT;
	return v;
}

/* ---- Which kernels refuse the peeloff with EBUSY (implementations.md row 13) ---- */

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
 * CVE-2018-25015 in implementations.md "Historical bugs").
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

/* Whether the running kernel refuses the peel with EBUSY; logs the decision. */
static bool kernel_gives_ebusy(void)
{
	struct utsname u;
	bool in;

	if (uname(&u) < 0)
		pst_broken("uname: %s", pst_errname(errno));
	in = release_in_ebusy_window(u.release);
	pst_log(
	    "kernel %s: %s", u.release,
	    in ? "in the EBUSY window (dfcb9f4f99f1 without a0ff660058b8): expect EBUSY"
	       : "outside the EBUSY window: expect the peel to succeed and EPIPE for the sender");
	return in;
}

/* SCTP_SOCKOPT_PEELOFF_FLAGS exists from Linux 4.13 (implementations.md). */
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
 * blocks: no delayed SACK can free its buffer after the quiet period.
 * peer_reads() restores the delayed SACK, whose timer carries the reopened
 * window once the peer reads (immediate SACKs leave that to the zero-window
 * probes, ~1 s each).
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
	struct blk_fx *fx = blk(ctx);

	fx->a.npeers = 0; /* nothing for the teardown to close if the case skips */
	fx->a.sut = -1;
	fx->taint_before = read_taint();
	if (ctx->profile != PST_PROFILE_LINUX)
		pst_skip(
		    "only the linux profile documents this (implementations.md row 13, "
		    "observed 8): the man pages and RFC 6458 say nothing about a blocked sender");
	/* The case thread is left in the server netns: a peeloff from another one is refused. */
	pst_assoc_setup_with(ctx, n, &small_buffers);
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

static void finish(struct worker *w, ssize_t ret, int err)
{
	w->ret = ret;
	w->err = err;
	w->done_ms = now_ms();
	atomic_store(&w->done, true);
}

/* Sends BLK_MSGS messages on (fd, id), counting each; stops at the first error. */
static void *sender_main(void *arg)
{
	struct worker *w = arg;
	unsigned char m[BLK_MSG_LEN];

	atomic_store(&w->tid, (int)gettid());
	for (int seq = 0; seq < BLK_MSGS; seq++) {
		ssize_t r;

		make_msg((uint32_t)seq, m);
		atomic_store(&w->in_call, true);
		r = pst_send(w->fd, w->id, m, sizeof(m));
		atomic_store(&w->in_call, false);
		if (r < 0) {
			finish(w, r, errno);
			return NULL;
		}
		atomic_fetch_add(&w->count, 1);
	}
	finish(w, 0, 0);
	return NULL;
}

/* One blocking recvmsg on fd. */
static void *receiver_main(void *arg)
{
	struct worker *w = arg;
	struct iovec iov = { .iov_base = w->buf, .iov_len = sizeof(w->buf) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t r;

	atomic_store(&w->tid, (int)gettid());
	atomic_store(&w->in_call, true);
	r = recvmsg(w->fd, &m, 0);
	atomic_store(&w->in_call, false);
	w->msg_flags = m.msg_flags;
	finish(w, r, r < 0 ? errno : 0);
	return NULL;
}

static void start_worker(struct worker *w, int fd, sctp_assoc_t id, void *(*fn)(void *))
{
	int e;

	w->fd = fd;
	w->id = id;
	e = pthread_create(&w->th, NULL, fn, w);
	if (e)
		pst_broken("pthread_create: %s", pst_errname(e));
	w->started = true;
}

/* Join within ms; false if the thread is still running then. */
static bool join_within(struct worker *w, long ms)
{
	struct timespec dl;

	if (!w->started)
		return true;
	clock_gettime(CLOCK_REALTIME, &dl);
	dl.tv_sec += ms / BLK_MS_PER_S;
	dl.tv_nsec += (ms % BLK_MS_PER_S) * BLK_NS_PER_MS;
	if (dl.tv_nsec >= BLK_NS_PER_S) {
		dl.tv_sec++;
		dl.tv_nsec -= BLK_NS_PER_S;
	}
	if (pthread_timedjoin_np(w->th, NULL, &dl) != 0)
		return false;
	w->started = false;
	return true;
}

/* ---- Is the worker asleep in the kernel, where we think? ---- */

enum evidence { EV_NO, EV_YES, EV_STATE_ONLY };

static const char *const send_frames[] = { "sctp_wait_for_sndbuf", "sctp_sendmsg", NULL };
/* (Debian's x86-64 6.1: sctp_wait_for_packet is inlined, wchan says sctp_skb_recv_datagram.) */
static const char *const recv_frames[] = { "sctp_wait_for_packet", "sctp_skb_recv_datagram",
					   "sctp_recvmsg", NULL };

static const char *find_frame(const char *text, const char *const *frames)
{
	for (; *frames; frames++)
		if (strstr(text, *frames))
			return *frames;
	return NULL;
}

/*
 * EV_YES: thread tid sleeps ('S') and its wchan or kernel stack names one of
 * the frames (UML 6.1: wchan says "release_sock", the stack shows
 * sctp_sendmsg_to_asoc, where sctp_wait_for_sndbuf is inlined; Debian's x86-64
 * 5.10: wchan says 0, the stack has no scheduler frame). EV_STATE_ONLY:
 * it sleeps, but the kernel shows neither. EV_NO: it does not sleep there.
 */
static enum evidence asleep_in(int tid, const char *const *frames, char *how, size_t howlen)
{
	char path[64], buf[BLK_PROC_BUF];
	const char *state, *f;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
	if (read_small(path, buf, sizeof(buf)) <= 0 || !(state = strrchr(buf, ')')) ||
	    state[1] != ' ' || state[2] != 'S')
		return EV_NO;
	snprintf(path, sizeof(path), "/proc/self/task/%d/wchan", tid);
	if (read_small(path, buf, sizeof(buf)) > 0 && (f = find_frame(buf, frames))) {
		snprintf(how, howlen, "state S, wchan %s", f);
		return EV_YES;
	}
	/* (State S says it sleeps: x86-64 5.10's stack starts above the scheduler's frames.) */
	snprintf(path, sizeof(path), "/proc/self/task/%d/stack", tid);
	if (read_small(path, buf, sizeof(buf)) > 0) {
		if (!(f = find_frame(buf, frames)))
			return EV_NO;
		snprintf(how, howlen, "state S, kernel stack sleeping in %s", f);
		return EV_YES;
	}
	snprintf(how, howlen, "state S (the kernel shows no stack or wchan)");
	return EV_STATE_ONLY;
}

/*
 * Nothing can free the sender's buffer until the peer reads: the sut sees
 * the peer's window closed (SCTP_STATUS), and every SACK the peer sent has
 * arrived (SCTP_GET_ASSOC_STATS on both ends; the peer acks every packet at
 * once, see blk_setup). Without it, a SACK still on its way lets the sender
 * complete a few more sends after a quiet period (seen at ~250 ms with the
 * default delayed SACK). -1: the kernel does not say.
 */
static int link_steady(const struct link *l, char *how, size_t howlen)
{
	struct sctp_status st = { .sstat_assoc_id = l->id };
	struct sctp_assoc_stats sut = { .sas_assoc_id = l->id }, peer = { .sas_assoc_id = 0 };
	socklen_t len = sizeof(st);

	if (getsockopt(l->sut, IPPROTO_SCTP, SCTP_STATUS, &st, &len) < 0 || st.sstat_rwnd != 0)
		return 0;
	len = sizeof(sut);
	if (getsockopt(l->sut, IPPROTO_SCTP, SCTP_GET_ASSOC_STATS, &sut, &len) < 0)
		return -1;
	len = sizeof(peer);
	if (getsockopt(l->peer, IPPROTO_SCTP, SCTP_GET_ASSOC_STATS, &peer, &len) < 0)
		return -1;
	snprintf(how, howlen, "peer window 0, SACKs sent %llu, received %llu",
		 (unsigned long long)peer.sas_osacks, (unsigned long long)sut.sas_isacks);
	return peer.sas_osacks == sut.sas_isacks;
}

/*
 * Wait (at most limit_ms) until the worker is inside its call, its count has
 * not moved for BLK_QUIET_MS, it sleeps in one of the frames and (l given)
 * its association is steady. false if it returned or never got there;
 * *count_out: its count then.
 */
static bool wait_asleep(struct worker *w, const char *const *frames, const struct link *l,
			long limit_ms, int *count_out)
{
	long start = now_ms(), since = start;
	int last = atomic_load(&w->count);
	char how[128] = "", steady[128] = "no association to watch";

	for (;;) {
		long t = now_ms();
		int c = atomic_load(&w->count);

		if (c != last) {
			last = c;
			since = t;
		}
		*count_out = c;
		if (atomic_load(&w->done))
			return false;
		if (atomic_load(&w->in_call) && t - since >= BLK_QUIET_MS &&
		    (!l || link_steady(l, steady, sizeof(steady)) != 0) &&
		    asleep_in(atomic_load(&w->tid), frames, how, sizeof(how)) != EV_NO &&
		    atomic_load(&w->count) == c) {
			pst_log(
			    "worker %d asleep after %d completed sends: in its call, quiet %ld ms, "
			    "%s; %s",
			    atomic_load(&w->tid), c, t - since, how, steady);
			return true;
		}
		if (t - start > limit_ms)
			return false;
		sleep_ms(BLK_POLL_MS);
	}
}

/* Start the sender on (sut, id) and wait until it is blocked; its completed sends. */
static int start_blocked_sender(struct blk_fx *fx, int i)
{
	struct worker *w = &fx->w;
	int sent = 0;

	fx->l = (struct link){ fx->a.sut, fx->a.peer[i], fx->a.id[i] };
	start_worker(w, fx->a.sut, fx->a.id[i], sender_main);
	if (!wait_asleep(w, send_frames, &fx->l, BLK_REACH_MS, &sent)) {
		if (atomic_load(&w->done))
			pst_broken("the sender never blocked: it %s after %d sends",
				   w->ret < 0 ? pst_errname(w->err) : "finished", sent);
		pst_broken("the sender was not seen asleep in sendmsg within %d ms (%d sends)",
			   BLK_REACH_MS, sent);
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
		struct timeval tv = { .tv_sec = timeout_ms / BLK_MS_PER_S,
				      .tv_usec = (timeout_ms % BLK_MS_PER_S) * BLK_MS_PER_S };

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
 * On a kernel with the EBUSY check: the peel fails with EBUSY and changes
 * nothing; the sender stays blocked until the peer reads, then finishes.
 */
static void expect_ebusy(struct blk_fx *fx, int sent, int p, int err)
{
	struct worker *w = &fx->w;
	int again = 0;

	pst_check_errno_at(
	    __FILE__, __LINE__, false,
	    "peeloff of the association a sender is blocked on (EBUSY window kernel)", p, err,
	    EBUSY);
	PST_EXPECT(wait_asleep(w, send_frames, &fx->l, BLK_REACH_MS, &again) && again == sent,
		   "sender after the refused peeloff: expected still blocked after %d sends, got "
		   "%s after %d",
		   sent, atomic_load(&w->done) ? pst_errname(w->err) : "not blocked", again);
	peer_reads(fx, 0);
	expect_messages(fx->a.peer[0], 0, BLK_MSGS, "peer reading everything after the EBUSY");
	PST_EXPECT(join_within(w, BLK_WAKE_MS) && w->ret == 0,
		   "sender: expected all %d sends to complete once the peer read, got %s after %d",
		   BLK_MSGS, w->started ? "still blocked" : pst_errname(w->err),
		   atomic_load(&w->count));
	pst_expect_exchange(fx->a.sut, fx->a.id[0], fx->a.peer[0],
			    "the association on the original socket after the EBUSY");
}

/* The blocked sender returns -1 EPIPE within BLK_WAKE_MS of the peel at peel_ms. */
static void expect_sender_epipe(struct worker *w, long peel_ms, int sent)
{
	if (!join_within(w, BLK_WAKE_MS)) {
		pst_fail_at(__FILE__, __LINE__, false,
			    "blocked sendmsg: expected -1 EPIPE within %d ms of the peeloff, still "
			    "blocked",
			    BLK_WAKE_MS);
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
	bool ebusy = kernel_gives_ebusy();
	int before = pst_count_fds(), sent, p, err;
	long peel_ms;

	skip_flags_entry_on_old_kernel(ctx);
	sent = start_blocked_sender(fx, 0);
	peel_ms = now_ms();
	errno = 0;
	p = pst_peel(ctx, fx->a.sut, fx->a.id[0]);
	err = errno;
	if (ebusy) {
		expect_ebusy(fx, sent, p, err);
		if (p >= 0)
			close(p);
		return;
	}
	PST_ASSERT(p >= 0,
		   "%s of the association a sender is blocked on: expected a new descriptor, got "
		   "-1 with %s",
		   pst_entry_name(ctx->entry), pst_errname(err));
	expect_sender_epipe(&fx->w, peel_ms, sent);
	/* What was queued before the peel arrives, through P (observed 8.3b)... */
	peer_reads(fx, 0);
	expect_messages(fx->a.peer[0], 0, sent, "peer reading the messages sent before the peel");
	/* ... and the message of the failed send does not: the next one is P's. */
	pst_expect_exchange(p, 0, fx->a.peer[0], "peeled socket <-> peer, after those messages");
	close(p);
	PST_EXPECT_EQ(pst_count_fds(), before, "open descriptors after closing the peeled socket");
}

static void blocked_sender_then_close_gets_epipe(struct pst_ctx *ctx)
{
	struct blk_fx *fx = blk(ctx);
	bool ebusy = kernel_gives_ebusy();
	int before = pst_count_fds(), sent, p, err;
	long peel_ms;

	sent = start_blocked_sender(fx, 0);
	peel_ms = now_ms();
	errno = 0;
	p = pst_peel(ctx, fx->a.sut, fx->a.id[0]);
	err = errno;
	/* At once, while the sender is still waking up (CVE-2018-25015). */
	if (p >= 0)
		close(p);
	if (ebusy) {
		expect_ebusy(fx, sent, p, err);
		return;
	}
	PST_ASSERT(p >= 0,
		   "peeloff of the association a sender is blocked on: expected a new descriptor, "
		   "got -1 with %s",
		   pst_errname(err));
	expect_sender_epipe(&fx->w, peel_ms, sent);
	PST_EXPECT_EQ(pst_count_fds(), before, "open descriptors after closing the peeled socket");
	/* close() shuts the association down gracefully: queued data first, then the end. */
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
	struct worker *w = &fx->w;
	int sent = start_blocked_sender(fx, 0), again = 0;
	int p = (int)PST_ASSERT_OK(pst_peel(ctx, fx->a.sut, fx->a.id[1]));
	bool still = wait_asleep(w, send_frames, &fx->l, BLK_REACH_MS, &again);

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
	if (!join_within(w, BLK_WAKE_MS))
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
	struct worker *w = &fx->w;
	static const char to_peeled[] = "for the peeled socket";
	static const char to_orig[] = "for the original socket";
	char buf[BLK_RECV_BUF];
	int dummy = 0, p;
	ssize_t n;

	start_worker(w, fx->a.sut, 0, receiver_main);
	if (!wait_asleep(w, recv_frames, NULL, BLK_REACH_MS, &dummy))
		pst_broken("the receiver was not seen asleep in recvmsg within %d ms (%s)",
			   BLK_REACH_MS, atomic_load(&w->done) ? "it returned" : "not asleep");
	p = (int)PST_ASSERT_OK(pst_peel(ctx, fx->a.sut, fx->a.id[0]));
	PST_EXPECT(wait_asleep(w, recv_frames, NULL, BLK_REACH_MS, &dummy),
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
	PST_EXPECT(wait_asleep(w, recv_frames, NULL, BLK_REACH_MS, &dummy),
		   "recvmsg blocked on the original socket: expected to keep waiting after data "
		   "came for the peeled association, got %s",
		   atomic_load(&w->done) ? "it returned" : "not asleep in recvmsg");

	/* Data of the original socket's other association wakes it. */
	PST_ASSERT(pst_send(fx->a.peer[1], 0, to_orig, sizeof(to_orig)) == (ssize_t)sizeof(to_orig),
		   "peer of the other association: sending failed with %s", pst_errname(errno));
	if (!join_within(w, BLK_WAKE_MS)) {
		pst_fail_at(
		    __FILE__, __LINE__, false,
		    "recvmsg blocked on the original socket: expected to return '%s' within "
		    "%d ms of its arrival, still blocked",
		    to_orig, BLK_WAKE_MS);
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

static const struct pst_case cases[] = {
	{ .name = "peeloff_blocked_sender_gets_EPIPE",
	  .fn = blocked_sender_gets_epipe,
	  .fixture = &blk_fx1,
	  .axes = PST_AXIS_FAMILY | PST_AXIS_ENTRY,
	  .reqs = "IMPL-LNX-SNDBUF-RACE IMPL-LNX-BLOCKED-QUEUED",
	  .tags = BLK_TAGS_SENDER },
	{ .name = "peeloff_then_close_blocked_sender_gets_EPIPE",
	  .fn = blocked_sender_then_close_gets_epipe,
	  .fixture = &blk_fx1,
	  .axes = PST_AXIS_FAMILY,
	  .reqs = "IMPL-LNX-SNDBUF-RACE IMPL-LNX-BLOCKED-CLOSE",
	  .tags = "CVE-2018-25015 linux-git:a0ff660058b8" },
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
