/*
 * What an association carries besides its data, at the moment of a peel:
 * outbound DATA authenticated (RFC 4895) with a shared key that is deleted or
 * replaced around the peel, and control chunks the association keeps for
 * retransmission: an ASCONF (RFC 5061) whose answer has not come, the
 * ASCONF-ACK it keeps for a peer that may ask again, a stream reset request
 * (RFC 6525) still pending. Each case peels, closes the original socket, lets
 * the protocol run (timers shortened in the case's namespaces), and closes the
 * peeled one: the queued data must still reach the peer, in order and
 * authenticated, the retained chunk must complete on the new socket, and the
 * association must end gracefully with its own socket (RFC 6458 3.1, 3.1.5).
 * Where the documents are silent: REF-MIGRATE-AUTH-KEYS and
 * REF-MIGRATE-CONTROL-CHUNKS in suites/requirements/REFERENCES.md.
 *
 * Linux 6.1 (and every Debian line's prebuilt kernel, 5.10 to 7.2) gets both
 * wrong: a queued chunk's key reference is dropped and taken again around the
 * migration (the last drop frees a key already deleted), and retained control
 * chunks still name the original socket, which close() frees. Debian's
 * 6.12.118 fixes both ("sctp: hold shkey across socket migration", "sctp:
 * re-point retained control chunks on association migration"); the stock
 * kernels lose the data, warn, or panic. On a kernel without a sanitizer the
 * cases see what user space can: the data arriving (a key the peer does not
 * share makes it drop every packet), the retransmission timers firing after
 * the close (SCTP MIB, SCTP_GET_ASSOC_STATS), the chunk's completion (the
 * peer's notifications, the addresses, SCTP_STREAM_RESET_EVENT), the send
 * buffer accounting (/proc/net/sctp/assocs) and the kernel log.
 *
 * The answer to a request is held back by blackhole routes in the answering
 * side's namespace (fixtures/route_block.h): the request arrives and is
 * processed, its answer is lost, the sender keeps the chunk and retransmits
 * it, proven by its retransmission timer's counter, not by a sleep.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "../fixtures/assoc.h"
#include "../fixtures/assoc_states.h"
#include "../fixtures/io.h"
#include "../fixtures/netns_open.h"
#include "../fixtures/netns_sysctl.h"
#include "../fixtures/route_block.h"
#include "../fixtures/sctp_mib.h"
#include "../fixtures/waiters.h"
#include "suites.h"

#define AUTH_KNOB	  "net/sctp/auth_enable"
#define ADDIP_KNOB	  "net/sctp/addip_enable"
#define ADDIP_NOAUTH_KNOB "net/sctp/addip_noauth_enable"
#define RECONF_KNOB	  "net/sctp/reconf_enable"
#define KNOB_ON		  "1"
#define ASSOCS_PATH	  "/proc/thread-self/net/sctp/assocs"
#define ASSOCS_BUF	  8192 /* the table of a case: a few lines */
#define T4_EXPIREDS	  "SctpT4RtoExpireds"
#define SCTP_DATA_TYPE	  0    /* the DATA chunk type (RFC 9260 3.2) */
#define NO_KEY		  (-1) /* no SCTP_AUTHENTICATION_EVENT read yet */
#define SOME_WAIT_MS	  5    /* between two looks at a state that is about to change */

/* Behaviour only the Linux implementation facts document. */
static void linux_profile_only(const struct pst_ctx *ctx)
{
	if (ctx->profile != PST_PROFILE_LINUX)
		pst_skip("only the linux profile documents this (REF-MIGRATE-AUTH-KEYS, "
			 "REF-MIGRATE-CONTROL-CHUNKS): the man pages and RFC 6458 say nothing of "
			 "keys or retained chunks at a peel");
}

/*
 * One per-netns knob on in both namespaces, before any socket exists. Written
 * from inside each: 5.10's auth_enable handler changes the writer's netns,
 * not the file's.
 */
static void knob_on_both(const struct pst_ctx *ctx, const char *knob)
{
	for (int side = 0; side < PST_SIDES; side++) {
		PST_SAFE(pst_topo_enter(ctx->topo, (enum pst_side)side));
		pst_netns_sysctl_set(ctx, (enum pst_side)side, knob, KNOB_ON);
	}
}

/*
 * The same RTO bounds on a socket, for the associations it will have: the
 * netns sysctls do not reach the case's namespaces on every kernel (5.10's
 * handlers write the writer's netns), the socket option does.
 */
static void rto_on_socket(int fd, unsigned initial, unsigned max, unsigned min)
{
	struct sctp_rtoinfo rto = { .srto_assoc_id = SCTP_FUTURE_ASSOC,
				    .srto_initial = initial,
				    .srto_max = max,
				    .srto_min = min };

	PST_SAFE(setsockopt(fd, IPPROTO_SCTP, SCTP_RTOINFO, &rto, sizeof(rto)));
}

/* ---- /proc/net/sctp/assocs: the association's row ---- */

struct assoc_row {
	long tx_queue;	     /* TX_QUEUE: the association's send buffer use (sndbuf_used) */
	unsigned long inode; /* INODE: the socket that owns the association */
	long wmem_queued;    /* wmemq: the owning socket's queued send bytes, all associations */
};

/* Association id's row of the server's table: 0, or -1 (errno ENOENT: no such row). */
static int assoc_row_read(int fd, sctp_assoc_t id, struct assoc_row *out)
{
	char buf[ASSOCS_BUF];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n < 0)
		return -1;
	buf[n] = '\0';
	for (char *line = strchr(buf, '\n'); line && line[1]; line = strchr(line + 1, '\n')) {
		int aid;
		long txq;
		unsigned long ino;
		char *tail;
		long hb, wmema, wmemq;
		int ins, outs, maxrt, t1x, t2x, rtxc;

		if (sscanf(line + 1, "%*s %*s %*d %*d %*d %*d %d %ld %*d %*u %lu", &aid, &txq,
			   &ino) != 3 ||
		    aid != (int)id)
			continue;
		tail = strchr(line + 1, '\t');
		if (!tail || sscanf(tail, "%ld %d %d %d %d %d %d %ld %ld", &hb, &ins, &outs, &maxrt,
				    &t1x, &t2x, &rtxc, &wmema, &wmemq) != 9)
			continue;
		*out = (struct assoc_row){ .tx_queue = txq, .inode = ino, .wmem_queued = wmemq };
		return 0;
	}
	errno = ENOENT;
	return -1;
}

/* The row twice alike in a row (nothing moved in between): 0, or -1 (errno). */
static int assoc_row_steady(int fd, sctp_assoc_t id, struct assoc_row *out)
{
	struct assoc_row a, b;

	if (assoc_row_read(fd, id, &a) < 0)
		return -1;
	for (int tries = 0; tries < PST_SETUP_TIMEOUT_MS / SOME_WAIT_MS; tries++) {
		if (assoc_row_read(fd, id, &b) < 0)
			return -1;
		if (memcmp(&a, &b, sizeof(a)) == 0) {
			*out = b;
			return 0;
		}
		a = b;
		pst_sleep_ms(SOME_WAIT_MS);
	}
	errno = ETIMEDOUT;
	return -1;
}

static unsigned long inode_of(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 ? (unsigned long)st.st_ino : 0;
}

/*
 * The peeled socket's association is established (SCTP_STATUS); fatal: the
 * case ends here if not, since nothing after it could tell anything.
 */
static void expect_established(int p, bool fatal, const char *what)
{
	struct sctp_status st;

	errno = 0;
	if (pst_assoc_status(p, 0, &st) < 0)
		pst_fail_at(__FILE__, __LINE__, fatal,
			    "SCTP_STATUS of the association on the new socket %s: expected "
			    "SCTP_ESTABLISHED, got %s (no association)",
			    what, pst_errname(errno));
	else if (st.sstat_state != SCTP_ESTABLISHED)
		pst_fail_at(__FILE__, __LINE__, fatal,
			    "SCTP_STATUS of the association on the new socket %s: expected "
			    "SCTP_ESTABLISHED (%d), got state %d",
			    what, SCTP_ESTABLISHED, st.sstat_state);
}

/* Right after the peel the association is the new socket's (RFC 6458 3.1). */
static void expect_on_new_socket(struct pst_ctx *ctx, int p)
{
	pst_check(ctx, "assoc_on_new_socket");
	expect_established(p, true, "right after the peel");
	pst_check(ctx, NULL);
}

/* ===================== Queued DATA and its shared key ===================== */

#define KEY_QUEUED	 1  /* active while the data is queued */
#define KEY_LATER	 2  /* made active around the peel */
#define AUTH_MSGS	 12 /* per association: far more than the peer's window holds */
#define AUTH_MSG_LEN	 1000
#define AUTH_SEQ_BYTES	 4	   /* each message starts with its number */
#define AUTH_PEER_RCVBUF 2048	   /* each peer's SO_RCVBUF before it connects: a small window */
#define AUTH_READ_RCVBUF 65536	   /* the peer's SO_RCVBUF once it reads: room for everything */
#define AUTH_SUT_SNDBUF	 131072	   /* the sut's SO_SNDBUF: both queues fit, no send blocks */
#define AUTH_LATER_SEQ	 AUTH_MSGS /* the message sent on the new socket after the peel */
/* Once the peer reads, zero-window probes and delayed SACKs reopen the flow in ms. */
#define AUTH_RTO_MIN	  10
#define AUTH_RTO_MAX	  20
#define AUTH_SACK_TIMEOUT 10

static const char key_queued_secret[] = "the key the queued data was sent with";
static const char key_later_secret[] = "the key made active around the peel";

struct auth_fx {
	struct pst_assoc_fx a; /* first: pst_assoc(ctx) */
	int assocs;	       /* the server's /proc/net/sctp/assocs */
};

static int set_key(int fd, sctp_assoc_t id, uint16_t number, const char *secret)
{
	size_t len = sizeof(struct sctp_authkey) + strlen(secret);
	struct sctp_authkey *k = calloc(1, len);
	int r;

	if (!k)
		return -1;
	k->sca_assoc_id = id;
	k->sca_keynumber = number;
	k->sca_keylength = (uint16_t)strlen(secret);
	memcpy(k->sca_key, secret, strlen(secret));
	r = setsockopt(fd, IPPROTO_SCTP, SCTP_AUTH_KEY, k, (socklen_t)len);
	free(k);
	return r;
}

static int key_op(int fd, int opt, sctp_assoc_t id, uint16_t number)
{
	struct sctp_authkeyid k = { .scact_assoc_id = id, .scact_keynumber = number };

	return setsockopt(fd, IPPROTO_SCTP, opt, &k, sizeof(k));
}

static int active_key(int fd, sctp_assoc_t id)
{
	struct sctp_authkeyid k = { .scact_assoc_id = id };
	socklen_t len = sizeof(k);

	if (getsockopt(fd, IPPROTO_SCTP, SCTP_AUTH_ACTIVE_KEY, &k, &len) < 0)
		return -1;
	return k.scact_keynumber;
}

/* Both keys on an endpoint, for the associations it will have. */
static void both_keys(int fd)
{
	PST_SAFE(set_key(fd, SCTP_FUTURE_ASSOC, KEY_QUEUED, key_queued_secret));
	PST_SAFE(set_key(fd, SCTP_FUTURE_ASSOC, KEY_LATER, key_later_secret));
}

static void auth_prepare_sut(struct pst_ctx *ctx, int sut)
{
	int sndbuf = AUTH_SUT_SNDBUF;

	(void)ctx;
	both_keys(sut);
	rto_on_socket(sut, AUTH_RTO_MAX, AUTH_RTO_MAX, AUTH_RTO_MIN);
	/* Both associations' messages queue without a send blocking (the default is 16 KiB). */
	PST_SAFE(setsockopt(sut, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf)));
}

/* The peer asks for authenticated DATA (so the sut signs what it sends) and reads little. */
static void auth_prepare_peer(struct pst_ctx *ctx, int peer, int i)
{
	struct sctp_authchunk ch = { .sauth_chunk = SCTP_DATA_TYPE };
	struct sctp_sack_info ack_at_once = { .sack_delay = 0, .sack_freq = 1 };
	int rcvbuf = AUTH_PEER_RCVBUF;

	(void)ctx;
	(void)i;
	PST_SAFE(setsockopt(peer, IPPROTO_SCTP, SCTP_AUTH_CHUNK, &ch, sizeof(ch)));
	both_keys(peer);
	rto_on_socket(peer, AUTH_RTO_MAX, AUTH_RTO_MAX, AUTH_RTO_MIN);
	PST_SAFE(setsockopt(peer, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)));
	/* Every packet acknowledged at once: the sut sees the window close without delay. */
	PST_SAFE(
	    setsockopt(peer, IPPROTO_SCTP, SCTP_DELAYED_SACK, &ack_at_once, sizeof(ack_at_once)));
}

static void auth_setup(struct pst_ctx *ctx)
{
	static const struct pst_assoc_opts keyed = { .prepare_sut = auth_prepare_sut,
						     .prepare_peer = auth_prepare_peer };
	static const struct pst_sctp_timers quick = { .rto_min = AUTH_RTO_MIN,
						      .rto_initial = AUTH_RTO_MAX,
						      .rto_max = AUTH_RTO_MAX,
						      .sack_timeout = AUTH_SACK_TIMEOUT };
	struct auth_fx *fx = ctx->fx;

	fx->a.sut = -1;
	fx->assocs = -1;
	linux_profile_only(ctx);
	/* Timers first: on 5.10 their write checks against the thread's netns as it was. */
	pst_sctp_timers_set(ctx, &quick);
	knob_on_both(ctx, AUTH_KNOB);
	pst_assoc_setup_with(ctx, 2, &keyed);
	fx->assocs = (int)PST_SAFE(pst_netns_open(ctx->topo, PST_SERVER, ASSOCS_PATH, O_RDONLY));
}

static void auth_teardown(struct pst_ctx *ctx)
{
	struct auth_fx *fx = ctx->fx;

	pst_assoc_teardown(ctx);
	if (fx->assocs >= 0)
		close(fx->assocs);
}

static const struct pst_fixture auth_fixture = { "assoc2-auth-keys", sizeof(struct auth_fx),
						 auth_setup, auth_teardown };

/* Message seq: its number, then a byte pattern that depends on it. */
static void make_msg(uint32_t seq, unsigned char *m)
{
	memset(m, 'a' + (int)(seq % 26), AUTH_MSG_LEN);
	memcpy(m, &seq, AUTH_SEQ_BYTES);
}

/* Does the sut sign its DATA on association id (the peer listed DATA in its AUTH chunks)? */
static bool sut_signs_data(int sut, sctp_assoc_t id)
{
	socklen_t len = sizeof(struct sctp_authchunks) + UINT8_MAX;
	struct sctp_authchunks *ac = calloc(1, len);
	bool found = false;

	if (!ac)
		return false;
	ac->gauth_assoc_id = id;
	if (getsockopt(sut, IPPROTO_SCTP, SCTP_PEER_AUTH_CHUNKS, ac, &len) == 0)
		for (uint32_t k = 0; k < ac->gauth_number_of_chunks && k < UINT8_MAX; k++)
			found |= ac->gauth_chunks[k] == SCTP_DATA_TYPE;
	free(ac);
	return found;
}

/*
 * Association id holds queued DATA that nothing will free until its peer
 * reads: the peer's window is closed (SCTP_STATUS), chunks are waiting, and
 * the association's row no longer moves.
 */
static void wait_queued(struct auth_fx *fx, sctp_assoc_t id, struct assoc_row *row)
{
	struct sctp_status st;

	for (long waited = 0;; waited += SOME_WAIT_MS) {
		PST_SAFE(pst_assoc_status(fx->a.sut, id, &st));
		if (st.sstat_rwnd == 0 && st.sstat_penddata + st.sstat_unackdata > 0)
			break;
		if (waited >= PST_SETUP_TIMEOUT_MS)
			pst_broken(
			    "association %d: the peer's window never closed with data queued "
			    "(rwnd %u, %u chunks pending, %u unacknowledged)",
			    (int)id, st.sstat_rwnd, st.sstat_penddata, st.sstat_unackdata);
		pst_sleep_ms(SOME_WAIT_MS);
	}
	PST_SAFE(assoc_row_steady(fx->assocs, id, row));
	if (row->tx_queue <= 0)
		pst_broken(
		    "association %d: no queued bytes in /proc/net/sctp/assocs (TX_QUEUE %ld)",
		    (int)id, row->tx_queue);
	pst_log("association %d queued: rwnd 0, %u chunks pending, %u unacknowledged, TX_QUEUE "
		"%ld, the socket's wmemq %ld",
		(int)id, st.sstat_penddata, st.sstat_unackdata, row->tx_queue, row->wmem_queued);
}

enum key_when { KEY_NEVER, KEY_BEFORE_PEEL, KEY_AFTER_PEEL };

struct auth_row {
	enum key_when activate_later; /* when KEY_LATER becomes the active key */
	enum key_when delete_queued;  /* when KEY_QUEUED is deleted from the association */
};

/* What the row does at this point of the case (before or after the peel) on fd. */
static void key_steps(const struct auth_row *row, enum key_when now, int fd, sctp_assoc_t id)
{
	if (row->activate_later == now)
		PST_SAFE(key_op(fd, SCTP_AUTH_ACTIVE_KEY, id, KEY_LATER));
	if (row->delete_queued == now)
		PST_SAFE(key_op(fd, SCTP_AUTH_DELETE_KEY, id, KEY_QUEUED));
}

/* What the peer reads: messages in order, and the key of the AUTH chunk before each. */
struct keyed_reader {
	int fd;
	int last_key; /* of the last SCTP_AUTHENTICATION_EVENT read, or NO_KEY */
};

/* The next whole message (0 at end of file, -1 errno), and the key it came under. */
static ssize_t read_keyed(struct keyed_reader *r, unsigned char *buf, size_t cap, int *key)
{
	size_t got = 0;

	for (;;) {
		struct iovec iov = { .iov_base = buf + got, .iov_len = cap - got };
		struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
		ssize_t n;

		if (got == cap) {
			errno = EMSGSIZE;
			return -1;
		}
		n = recvmsg(r->fd, &m, 0);
		if (n < 0) {
			if (errno == EAGAIN)
				errno = ETIMEDOUT;
			return -1;
		}
		if (n == 0)
			return (ssize_t)got;
		if (m.msg_flags & MSG_NOTIFICATION) {
			const union sctp_notification *no = (const void *)(buf + got);

			if ((size_t)n >= sizeof(no->sn_authkey_event) &&
			    no->sn_header.sn_type == SCTP_AUTHENTICATION_EVENT &&
			    no->sn_authkey_event.auth_indication == SCTP_AUTH_NEW_KEY)
				r->last_key = no->sn_authkey_event.auth_keynumber;
			continue;
		}
		got += (size_t)n;
		if (m.msg_flags & MSG_EOR) {
			*key = r->last_key;
			return (ssize_t)got;
		}
	}
}

/* The peer reads again: a large buffer, and a receive timeout to turn a loss into a message. */
static void peer_reads(int peer)
{
	int rcvbuf = AUTH_READ_RCVBUF;
	struct timeval tv = { .tv_sec = PST_IO_TIMEOUT_MS / PST_MS_PER_S,
			      .tv_usec = (PST_IO_TIMEOUT_MS % PST_MS_PER_S) * PST_MS_PER_S };

	PST_SAFE(setsockopt(peer, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)));
	PST_SAFE(setsockopt(peer, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
}

struct delivery {
	int delivered;	/* messages that arrived in order and intact */
	int wrong_key;	/* the first message that came under another key, or -1 */
	int key_seen;	/* and the key it came under */
	bool eof;	/* end of file right after them */
	char what[160]; /* what went wrong first, for the message */
};

/*
 * Peer reads messages 0 .. n-1 (those below later_from under KEY_QUEUED, the
 * rest under KEY_LATER), then expects end of file.
 */
static void read_all(int peer, int n, int later_from, struct delivery *d)
{
	struct keyed_reader r = { .fd = peer, .last_key = NO_KEY };
	unsigned char got[AUTH_MSG_LEN * 2], want[AUTH_MSG_LEN];

	*d = (struct delivery){ .wrong_key = -1 };
	peer_reads(peer);
	for (int seq = 0; seq < n; seq++) {
		int key = NO_KEY, expected = seq < later_from ? KEY_QUEUED : KEY_LATER;
		ssize_t len = read_keyed(&r, got, sizeof(got), &key);
		uint32_t gseq = 0;

		make_msg((uint32_t)seq, want);
		if (len <= 0) {
			snprintf(d->what, sizeof(d->what), "expected message %d of %d, got %s", seq,
				 n, len == 0 ? "end of file" : pst_errname(errno));
			return;
		}
		if (len >= AUTH_SEQ_BYTES)
			memcpy(&gseq, got, AUTH_SEQ_BYTES);
		if (len != AUTH_MSG_LEN || memcmp(got, want, AUTH_MSG_LEN) != 0) {
			snprintf(d->what, sizeof(d->what),
				 "expected message %d (%d bytes), got %zd bytes numbered %u", seq,
				 AUTH_MSG_LEN, len, gseq);
			return;
		}
		if (key != expected && d->wrong_key < 0) {
			d->wrong_key = seq;
			d->key_seen = key;
		}
		d->delivered++;
	}
	{
		ssize_t len = read_keyed(&r, got, sizeof(got), &(int){ 0 });

		d->eof = len == 0;
		if (!d->eof)
			snprintf(d->what, sizeof(d->what),
				 "after the %d messages expected end of file, got %s", n,
				 len < 0 ? pst_errname(errno) : "another message");
	}
}

/*
 * Data queued on both associations under KEY_QUEUED; the row's key steps
 * around the peel of the first; one more message on the new socket; the
 * original closed, then the new socket. Every message reaches its peer in
 * order, each under the key it was queued with, then end of file.
 */
static void queued_data_keeps_key(struct pst_ctx *ctx)
{
	const struct auth_row *row = ctx->param;
	struct auth_fx *fx = ctx->fx;
	struct pst_assoc_fx *a = &fx->a;
	struct assoc_row before[2], peeled, other;
	unsigned char m[AUTH_MSG_LEN];
	struct delivery d0, d1;
	int p, key;

	for (int i = 0; i < 2; i++) {
		PST_SAFE(key_op(a->sut, SCTP_AUTH_ACTIVE_KEY, a->id[i], KEY_QUEUED));
		if (!sut_signs_data(a->sut, a->id[i]))
			pst_broken("association %d: the peer did not ask for authenticated DATA "
				   "(SCTP_PEER_AUTH_CHUNKS): AUTH was not negotiated",
				   (int)a->id[i]);
		PST_SAFE(pst_subscribe(a->peer[i], SCTP_AUTHENTICATION_EVENT));
		for (uint32_t seq = 0; seq < AUTH_MSGS; seq++) {
			make_msg(seq, m);
			PST_SAFE(pst_send(a->sut, a->id[i], m, sizeof(m)));
		}
	}
	for (int i = 0; i < 2; i++)
		wait_queued(fx, a->id[i], &before[i]);

	key_steps(row, KEY_BEFORE_PEEL, a->sut, a->id[0]);
	p = (int)PST_ASSERT_OK(pst_peel(ctx, a->sut, a->id[0]));
	expect_on_new_socket(ctx, p);

	/* The queued bytes are the new socket's now, and no longer the original's. */
	pst_check(ctx, "send_buffer_follows_assoc");
	if (assoc_row_steady(fx->assocs, a->id[0], &peeled) < 0 ||
	    assoc_row_steady(fx->assocs, a->id[1], &other) < 0) {
		pst_fail_at(__FILE__, __LINE__, false,
			    "/proc/net/sctp/assocs after the peel: expected both associations' "
			    "rows, got %s",
			    pst_errname(errno));
	} else {
		PST_EXPECT(peeled.inode == inode_of(p) && peeled.tx_queue == before[0].tx_queue &&
			       peeled.wmem_queued == peeled.tx_queue,
			   "the peeled association's row: expected the new socket's (inode %lu) "
			   "with its %ld queued bytes, all of them charged to that socket (wmemq "
			   "%ld), got inode %lu, TX_QUEUE %ld, wmemq %ld",
			   inode_of(p), before[0].tx_queue, before[0].tx_queue, peeled.inode,
			   peeled.tx_queue, peeled.wmem_queued);
		PST_EXPECT(other.wmem_queued == other.tx_queue,
			   "the original socket's queued send bytes (wmemq) after the peel: "
			   "expected only its own association's %ld, got %ld (%ld before the peel, "
			   "both associations)",
			   other.tx_queue, other.wmem_queued, before[1].wmem_queued);
	}
	pst_check(ctx, "active_key_follows_assoc");
	key = active_key(p, 0);
	PST_EXPECT(key == (row->activate_later == KEY_BEFORE_PEEL ? KEY_LATER : KEY_QUEUED),
		   "SCTP_AUTH_ACTIVE_KEY on the new socket: expected key %d (the association's), "
		   "got %d%s%s",
		   row->activate_later == KEY_BEFORE_PEEL ? KEY_LATER : KEY_QUEUED, key,
		   key < 0 ? " " : "", key < 0 ? pst_errname(errno) : "");

	pst_check(ctx, NULL);
	key_steps(row, KEY_AFTER_PEEL, p, 0);
	make_msg(AUTH_LATER_SEQ, m);
	pst_check(ctx, "queued_data_delivered");
	errno = 0;
	pst_check_ok_at(__FILE__, __LINE__, false, "sending on the new socket after the peel",
			(long)pst_send(p, 0, m, sizeof(m)), errno);

	close(a->sut);
	a->sut = -1;
	pst_check(ctx, "assoc_survives_close_original");
	expect_established(p, false, "after close(original)");
	close(p);

	read_all(a->peer[0], AUTH_MSGS + 1, AUTH_LATER_SEQ, &d0);
	pst_check(ctx, "queued_data_delivered");
	PST_EXPECT(d0.delivered == AUTH_MSGS + 1,
		   "the peeled association's peer: expected the %d messages queued before the "
		   "peel and the one sent after it, in order, got %d of them, then: %s",
		   AUTH_MSGS, d0.delivered, d0.what);
	pst_check(ctx, "queued_data_keeps_its_key");
	PST_EXPECT(d0.wrong_key < 0,
		   "the key message %d came under (the peer's SCTP_AUTHENTICATION_EVENT before "
		   "it): expected key %d, got %d",
		   d0.wrong_key, d0.wrong_key < AUTH_LATER_SEQ ? KEY_QUEUED : KEY_LATER,
		   d0.key_seen);
	pst_check(ctx, "close_peeled_shuts_down");
	if (d0.delivered == AUTH_MSGS + 1)
		PST_EXPECT(d0.eof, "the peeled association's peer, after close(new socket): %s",
			   d0.what);

	read_all(a->peer[1], AUTH_MSGS, AUTH_MSGS, &d1);
	pst_check(ctx, "other_assoc_undisturbed");
	PST_EXPECT(d1.delivered == AUTH_MSGS && d1.wrong_key < 0 && d1.eof,
		   "the original's other association, shut down by close(original): expected its "
		   "%d queued messages under key %d, then end of file, got %d%s%s",
		   AUTH_MSGS, KEY_QUEUED, d1.delivered,
		   d1.wrong_key >= 0 ? " (one under another key)" : "", d1.what[0] ? d1.what : "");
}

static const struct auth_row key_deleted_before = { KEY_BEFORE_PEEL, KEY_BEFORE_PEEL };
static const struct auth_row key_deleted_after = { KEY_BEFORE_PEEL, KEY_AFTER_PEEL };
static const struct auth_row key_switched_before = { KEY_BEFORE_PEEL, KEY_NEVER };
static const struct auth_row key_switched_after = { KEY_AFTER_PEEL, KEY_NEVER };

/* ===================== Retained control chunks ===================== */

/*
 * Timers in both namespaces and on the sockets (ms): a lost answer's request
 * is sent again within CTL_RTO_MAX.
 */
#define CTL_RTO_MIN	 20
#define CTL_RTO_INITIAL	 40
#define CTL_RTO_MAX	 100
#define CTL_SACK_TIMEOUT 10
/*
 * Retransmissions before a path or the association is given up (defaults 5
 * and 10): a blocked window the machine stretches (a guest kept from running)
 * must not end the association.
 */
#define CTL_PATH_MAXRXT	 20
#define CTL_ASSOC_MAXRXT (CTL_PATH_MAXRXT * PST_PATHS)
#define CTL_MOVED_PATH	 1	    /* the address added or deleted: each side's second one */
#define CTL_RESET_STREAM 1	    /* the outgoing stream reset */
#define CTL_NO_STREAM	 UINT16_MAX /* beyond any stream: a reset request that cannot be sent */
#define CTL_STREAM_MSGS	 2	    /* sent on the stream before its reset: its SSN moves */
#define CTL_MSG_BUF	 256
/*
 * Hop limits (IP_TTL, IPV6_UNICAST_HOPS) no route sets: the original
 * socket's, and the new socket's, set after the peel. A chunk sent again
 * after the peel leaves with the hop limit of the socket it names.
 */
#define CTL_HOPS_ORIGINAL 33
#define CTL_HOPS_NEW	  44
/* Chunk types (RFC 5061 4.1, RFC 6525 3.1) and the SCTP header (RFC 9260 3). */
#define CID_ASCONF	0xC1
#define CID_ASCONF_ACK	0x80
#define CID_RECONF	0x82
#define SCTP_COMMON_HDR 12
#define SCTP_CHUNK_HDR	4
#define IPV4_TTL_OFFSET 8
#define IPV4_IHL_MASK	0x0f
#define IPV4_WORD	4
#define WIRE_BUF	2048 /* one packet: the path MTU of a veth is 1500 */

enum ctl_kind {
	CTL_ASCONF,	/* the sut's ASCONF, its ASCONF-ACK lost */
	CTL_ASCONF_ACK, /* the peer's ASCONF, the sut's ASCONF-ACK lost: the sut keeps it */
	CTL_RECONF,	/* the sut's stream reset request, the response lost */
};

struct ctl_row {
	enum ctl_kind kind;
	int bindx; /* ASCONF: SCTP_SOCKOPT_BINDX_ADD or _REM, the change held in flight */
	bool auth; /* ASCONF and ASCONF-ACK authenticated (else addip_noauth_enable) */
};

struct ctl_fx {
	struct pst_assoc_fx a;
	struct pst_route_block block;
	int mib[PST_SIDES];
	int wire; /* a raw SCTP socket in the client netns: what arrives there */
};

/* The hop limit of what fd sends: IP_TTL or IPV6_UNICAST_HOPS. */
static int hops_set(int fd, int family, int hops)
{
	return family == AF_INET
		   ? setsockopt(fd, IPPROTO_IP, IP_TTL, &hops, sizeof(hops))
		   : setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &hops, sizeof(hops));
}

/* A raw SCTP socket in the client netns: a copy of every SCTP packet arriving there. */
static int wire_open(const struct pst_ctx *ctx)
{
	int fd, on = 1;

	PST_SAFE(pst_topo_enter(ctx->topo, PST_CLIENT));
	fd = socket(ctx->family, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_SCTP);
	if (fd >= 0 && ctx->family == AF_INET6 &&
	    setsockopt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &on, sizeof(on)) < 0) {
		close(fd);
		fd = -1;
	}
	PST_SAFE(pst_topo_enter(ctx->topo, PST_SERVER));
	if (fd < 0)
		pst_broken("a raw SCTP socket in the client netns: %s", pst_errname(errno));
	return fd;
}

/* Does the SCTP packet sctp (len bytes) carry a chunk of this type? */
static bool carries_chunk(const unsigned char *sctp, size_t len, unsigned type)
{
	for (size_t off = SCTP_COMMON_HDR; off + SCTP_CHUNK_HDR <= len;) {
		size_t clen = (size_t)sctp[off + 2] << 8 | sctp[off + 3];

		if (sctp[off] == type)
			return true;
		if (clen < SCTP_CHUNK_HDR)
			return false;
		off += (clen + SCTP_CHUNK_HDR - 1) & ~(size_t)(SCTP_CHUNK_HDR - 1);
	}
	return false;
}

/*
 * The hop limit the next packet arriving at the client with a chunk of this
 * type came with (the IPv4 header's TTL, or IPV6_HOPLIMIT): -1 (errno
 * ETIMEDOUT) if none came within the timeout.
 */
static int wire_hops(int fd, int family, unsigned type, int timeout_ms)
{
	for (long deadline = pst_now_ms() + timeout_ms;;) {
		unsigned char buf[WIRE_BUF];
		char cbuf[CMSG_SPACE(sizeof(int))];
		struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
		struct msghdr m = { .msg_iov = &iov,
				    .msg_iovlen = 1,
				    .msg_control = cbuf,
				    .msg_controllen = sizeof(cbuf) };
		struct pollfd pf = { .fd = fd, .events = POLLIN };
		long left = deadline - pst_now_ms();
		ssize_t n;

		if (left <= 0 || poll(&pf, 1, (int)left) != 1) {
			errno = ETIMEDOUT;
			return -1;
		}
		n = recvmsg(fd, &m, MSG_DONTWAIT);
		if (n <= 0)
			continue;
		if (family == AF_INET) {
			size_t ihl = (size_t)(buf[0] & IPV4_IHL_MASK) * IPV4_WORD;

			if ((size_t)n > ihl && carries_chunk(buf + ihl, (size_t)n - ihl, type))
				return buf[IPV4_TTL_OFFSET];
			continue;
		}
		if (!carries_chunk(buf, (size_t)n, type))
			continue;
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
			if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_HOPLIMIT) {
				int hops;

				memcpy(&hops, CMSG_DATA(c), sizeof(hops));
				return hops;
			}
	}
}

/* The retransmission limits of the associations fd will have (CTL_*_MAXRXT). */
static void patient(int fd)
{
	struct sctp_paddrparams pp = { .spp_assoc_id = SCTP_FUTURE_ASSOC,
				       .spp_pathmaxrxt = CTL_PATH_MAXRXT };
	struct sctp_assocparams ap = { .sasoc_assoc_id = SCTP_FUTURE_ASSOC,
				       .sasoc_asocmaxrxt = CTL_ASSOC_MAXRXT };

	PST_SAFE(setsockopt(fd, IPPROTO_SCTP, SCTP_PEER_ADDR_PARAMS, &pp, sizeof(pp)));
	PST_SAFE(setsockopt(fd, IPPROTO_SCTP, SCTP_ASSOCINFO, &ap, sizeof(ap)));
}

static void ctl_prepare_sut(struct pst_ctx *ctx, int sut)
{
	const struct ctl_row *row = ctx->param;
	struct sctp_assoc_value reset = { .assoc_id = SCTP_FUTURE_ASSOC,
					  .assoc_value = SCTP_ENABLE_RESET_STREAM_REQ };

	rto_on_socket(sut, CTL_RTO_INITIAL, CTL_RTO_MAX, CTL_RTO_MIN);
	patient(sut);
	PST_SAFE(pst_subscribe(sut, SCTP_PEER_ADDR_CHANGE));
	if (row->kind == CTL_RECONF) {
		PST_SAFE(pst_subscribe(sut, SCTP_STREAM_RESET_EVENT));
		PST_SAFE(
		    setsockopt(sut, IPPROTO_SCTP, SCTP_ENABLE_STREAM_RESET, &reset, sizeof(reset)));
	}
}

static void ctl_prepare_peer(struct pst_ctx *ctx, int peer, int i)
{
	const struct ctl_row *row = ctx->param;
	struct sctp_assoc_value reset = { .assoc_id = SCTP_FUTURE_ASSOC,
					  .assoc_value = SCTP_ENABLE_RESET_STREAM_REQ };
	int on = 1;

	(void)i;
	rto_on_socket(peer, CTL_RTO_INITIAL, CTL_RTO_MAX, CTL_RTO_MIN);
	patient(peer);
	if (row->kind == CTL_RECONF) {
		/* Incoming requests are granted only where requests are enabled. */
		PST_SAFE(setsockopt(peer, IPPROTO_SCTP, SCTP_ENABLE_STREAM_RESET, &reset,
				    sizeof(reset)));
		PST_SAFE(setsockopt(peer, IPPROTO_SCTP, SCTP_RECVRCVINFO, &on, sizeof(on)));
	}
}

static void ctl_setup(struct pst_ctx *ctx)
{
	static const struct pst_sctp_timers quick = { .rto_min = CTL_RTO_MIN,
						      .rto_initial = CTL_RTO_INITIAL,
						      .rto_max = CTL_RTO_MAX,
						      .sack_timeout = CTL_SACK_TIMEOUT };
	const struct ctl_row *row = ctx->param;
	struct ctl_fx *fx = ctx->fx;
	struct pst_assoc_opts opts = {
		.prepare_sut = ctl_prepare_sut,
		.prepare_peer = ctl_prepare_peer,
		/* the peer's own ASCONF needs an address of its own to move */
		.peers_multihomed = row->kind == CTL_ASCONF_ACK
	};

	fx->a.sut = -1;
	fx->wire = -1;
	fx->mib[PST_CLIENT] = fx->mib[PST_SERVER] = -1;
	linux_profile_only(ctx);
	/* Timers first: on 5.10 their write checks against the thread's netns as it was. */
	pst_sctp_timers_set(ctx, &quick);
	if (row->kind == CTL_RECONF) {
		knob_on_both(ctx, RECONF_KNOB);
	} else {
		knob_on_both(ctx, ADDIP_KNOB);
		knob_on_both(ctx, row->auth ? AUTH_KNOB : ADDIP_NOAUTH_KNOB);
	}
	pst_assoc_setup_with(ctx, 1, &opts);
	PST_SAFE(pst_subscribe(fx->a.peer[0], SCTP_PEER_ADDR_CHANGE));
	PST_SAFE(pst_subscribe(fx->a.peer[0], SCTP_STREAM_RESET_EVENT));
	PST_SAFE(pst_subscribe(fx->a.peer[0], SCTP_ASSOC_CHANGE));
	for (int side = 0; side < PST_SIDES; side++)
		fx->mib[side] = (int)PST_SAFE(pst_mib_open(ctx->topo, (enum pst_side)side));
	PST_SAFE(hops_set(fx->a.sut, ctx->family, CTL_HOPS_ORIGINAL));
	/* The answers come from the side that did not send the request. */
	PST_SAFE(pst_route_block_open(&fx->block, ctx->topo,
				      row->kind == CTL_ASCONF_ACK ? PST_SERVER : PST_CLIENT,
				      ctx->family));
}

static void ctl_teardown(struct pst_ctx *ctx)
{
	struct ctl_fx *fx = ctx->fx;

	pst_route_block_close(&fx->block);
	if (fx->wire >= 0)
		close(fx->wire);
	for (int side = 0; side < PST_SIDES; side++)
		if (fx->mib[side] >= 0)
			close(fx->mib[side]);
	pst_assoc_teardown(ctx);
}

static const struct pst_fixture ctl_fixture = { "assoc1-retained-chunks", sizeof(struct ctl_fx),
						ctl_setup, ctl_teardown };

static void block_answers(struct ctl_fx *fx, bool on)
{
	if (pst_route_block_set(&fx->block, on) < 0)
		pst_broken("%s the blackhole routes in the %s netns: %s",
			   on ? "adding" : "removing",
			   fx->block.from == PST_CLIENT ? "client" : "server", pst_errname(errno));
}

/* side's CTL_MOVED_PATH address of the case's family, with port. */
static socklen_t moved_addr(const struct pst_ctx *ctx, enum pst_side side, unsigned port,
			    struct sockaddr_storage *ss)
{
	return pst_addr(side, ctx->family, CTL_MOVED_PATH, port, ss);
}

/* SCTP_SOCKOPT_BINDX_ADD or _REM of one address (the kernel's, not libsctp's). */
static int bindx_one(int fd, int opt, const struct sockaddr_storage *ss, socklen_t len)
{
	return setsockopt(fd, IPPROTO_SCTP, opt, ss, len);
}

/* The SCTP_PEER_ADDR_CHANGE state an ASCONF with this bindx option makes its receiver report. */
static int change_of(int opt)
{
	return opt == SCTP_SOCKOPT_BINDX_ADD ? SCTP_ADDR_ADDED : SCTP_ADDR_REMOVED;
}

static const char *change_name(int state)
{
	return state == SCTP_ADDR_ADDED ? "SCTP_ADDR_ADDED" : "SCTP_ADDR_REMOVED";
}

/*
 * fd reports SCTP_PEER_ADDR_CHANGE state for address want within the
 * timeout (other notifications and data passed over). 0, or -1 (errno).
 */
static int wait_addr_change(int fd, int state, const struct sockaddr_storage *want, int timeout_ms)
{
	long deadline = pst_now_ms() + timeout_ms;

	for (;;) {
		union sctp_notification n;
		long left = deadline - pst_now_ms();
		struct sockaddr_storage got;

		if (left < 0 ||
		    pst_recv_notification(fd, SCTP_PEER_ADDR_CHANGE, &n, (int)left) < 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		memcpy(&got, &n.sn_paddr_change.spc_aaddr, sizeof(got));
		pst_log("SCTP_PEER_ADDR_CHANGE state %d for %s", n.sn_paddr_change.spc_state,
			pst_addr_text(&got).s);
		if (n.sn_paddr_change.spc_state == state && pst_same_addr(&got, want))
			return 0;
	}
}

/* SCTP_SET_PEER_PRIMARY_ADDR: ask the peer to make the sut's first address its primary. */
static int ask_peer_primary(const struct pst_ctx *ctx, int fd)
{
	struct sctp_setpeerprim prim = { 0 };
	struct sockaddr_storage first;

	/* (a packed struct: the address is built aside, then copied in) */
	pst_addr(PST_SERVER, ctx->family, 0, PST_SERVER_PORT, &first);
	memcpy(&prim.sspp_addr, &first, sizeof(first));
	return setsockopt(fd, IPPROTO_SCTP, SCTP_SET_PEER_PRIMARY_ADDR, &prim, sizeof(prim));
}

/* How many local addresses association id of fd has (SCTP_GET_LOCAL_ADDRS), or -1. */
static int local_addr_count(int fd, sctp_assoc_t id)
{
	char buf[sizeof(struct sctp_getaddrs) + PST_PATHS * 2 * sizeof(struct sockaddr_in6)];
	struct sctp_getaddrs *ga = (struct sctp_getaddrs *)buf;
	socklen_t len = sizeof(buf);

	/* Id 0 would ask for the endpoint's bound addresses, not the association's. */
	ga->assoc_id = id;
	if (getsockopt(fd, IPPROTO_SCTP, SCTP_GET_LOCAL_ADDRS, buf, &len) < 0)
		return -1;
	return (int)ga->addr_num;
}

/* Wait until association id of fd has n local addresses: 0, or -1 (errno ETIMEDOUT). */
static int wait_local_addrs(int fd, sctp_assoc_t id, int n, int timeout_ms)
{
	for (long waited = 0; local_addr_count(fd, id) != n; waited += SOME_WAIT_MS) {
		if (waited >= timeout_ms) {
			errno = ETIMEDOUT;
			return -1;
		}
		pst_sleep_ms(SOME_WAIT_MS);
	}
	return 0;
}

/* One of side's MIB counters, BROKEN if it cannot be read. */
static long mib(const struct ctl_fx *fx, enum pst_side side, const char *name)
{
	long v = pst_mib_get(fx->mib[side], name);

	if (v < 0)
		pst_broken("%s of the %s netns: %s", name, side == PST_CLIENT ? "client" : "server",
			   pst_errname(errno));
	return v;
}

/* Wait until side's counter is above since: the new value, or -1 when it stayed. */
static long wait_counter_above(const struct ctl_fx *fx, enum pst_side side, const char *name,
			       long since)
{
	for (long waited = 0;; waited += SOME_WAIT_MS) {
		long v = mib(fx, side, name);

		if (v > since)
			return v;
		if (waited >= PST_IO_TIMEOUT_MS)
			return -1;
		pst_sleep_ms(SOME_WAIT_MS);
	}
}

/* Control chunks association of fd has sent (SCTP_GET_ASSOC_STATS), or -1. */
static long long ctrl_chunks_sent(int fd, sctp_assoc_t id)
{
	struct sctp_assoc_stats s = { .sas_assoc_id = id };
	socklen_t len = sizeof(s);

	if (getsockopt(fd, IPPROTO_SCTP, SCTP_GET_ASSOC_STATS, &s, &len) < 0)
		return -1;
	return (long long)s.sas_octrlchunks;
}

/* Wait until the association of fd has sent a control chunk more than since: true if it did. */
static bool wait_ctrl_sent(int fd, sctp_assoc_t id, long long since)
{
	for (long waited = 0; waited < PST_IO_TIMEOUT_MS; waited += SOME_WAIT_MS) {
		if (ctrl_chunks_sent(fd, id) > since)
			return true;
		pst_sleep_ms(SOME_WAIT_MS);
	}
	return false;
}

/* The peeled association lives on after close(original) and ends with close(new socket). */
static void expect_goes_on_then_ends(struct pst_ctx *ctx, int p, int peer)
{
	int seen = PST_NO_ASSOC_CHANGE;

	pst_check(ctx, "assoc_survives_close_original");
	expect_established(p, false, "after close(original) and the retained chunk's completion");
	pst_check(ctx, "data_after_completion_intact");
	pst_expect_exchange(p, 0, peer, "the new socket <-> its peer after the retained chunk");
	close(p);
	pst_check(ctx, "close_peeled_shuts_down");
	if (pst_wait_assoc_change(peer, 0, SCTP_SHUTDOWN_COMP, PST_IO_TIMEOUT_MS, &seen) < 0)
		pst_fail_at(__FILE__, __LINE__, false,
			    "the peer, after close(new socket): expected SCTP_ASSOC_CHANGE "
			    "SHUTDOWN_COMP, got %s (%s)",
			    pst_assoc_change_name(seen), pst_errname(errno));
	pst_check(ctx, NULL);
}

/* What shows that the retained chunk was sent again. */
enum retx_proof {
	RETX_T4_SUT,  /* the server netns's T4 expiries: the sut's ASCONF */
	RETX_T4_PEER, /* the client netns's: the peer's ASCONF, answered from what the sut kept */
	RETX_CONTROL_CHUNK, /* the association's control chunks sent: a stream reset request */
};

/*
 * The original is closed; the retained chunk must be sent again afterwards
 * (its timer fires with the original gone, the answer still held back); then
 * the answers flow again.
 */
static void close_original_then_retransmit(struct pst_ctx *ctx, struct ctl_fx *fx, int p,
					   enum retx_proof proof, unsigned chunk_type)
{
	long long sent = ctrl_chunks_sent(p, 0);
	enum pst_side side = proof == RETX_T4_PEER ? PST_CLIENT : PST_SERVER;
	long t4 = mib(fx, side, T4_EXPIREDS);
	int hops;

	/* What leaves through the new socket from now on has its hop limit. */
	PST_SAFE(hops_set(p, ctx->family, CTL_HOPS_NEW));
	fx->wire = wire_open(ctx);

	close(fx->a.sut);
	fx->a.sut = -1;
	pst_check(ctx, "assoc_survives_close_original");
	expect_established(p, true, "right after close(original)");
	pst_check(ctx, "retained_chunk_completes");
	if (proof == RETX_CONTROL_CHUNK)
		PST_EXPECT(wait_ctrl_sent(p, 0, sent),
			   "the peeled association after close(original): expected its stream "
			   "reset request sent again (SCTP_GET_ASSOC_STATS control chunks above "
			   "%lld), got none for %d ms",
			   sent, PST_IO_TIMEOUT_MS);
	else
		PST_EXPECT(wait_counter_above(fx, side, T4_EXPIREDS, t4) >= 0,
			   "%s after close(original): expected its T4 timer to fire again (the "
			   "ASCONF unanswered), got %s %ld for %d ms",
			   proof == RETX_T4_SUT ? "the peeled association" : "the peer",
			   T4_EXPIREDS, t4, PST_IO_TIMEOUT_MS);
	if (proof == RETX_T4_PEER)
		/* The answer to the peer's retransmission is the ASCONF-ACK the sut kept. */
		PST_EXPECT(wait_ctrl_sent(p, 0, sent),
			   "the peeled association after close(original): expected it to send its "
			   "kept ASCONF-ACK again, got no control chunk sent (%lld) for %d ms",
			   sent, PST_IO_TIMEOUT_MS);
	pst_check(ctx, NULL);
	block_answers(fx, false);

	pst_check(ctx, "retransmission_leaves_new_socket");
	hops = wire_hops(fx->wire, ctx->family, chunk_type, PST_IO_TIMEOUT_MS);
	if (hops < 0)
		pst_fail_at(
		    __FILE__, __LINE__, false,
		    "the chunk kept at the peel, sent again: expected it at the peer with the "
		    "new socket's hop limit %d, got no such packet (%s)",
		    CTL_HOPS_NEW, pst_errname(errno));
	else
		PST_EXPECT(
		    hops == CTL_HOPS_NEW,
		    "the chunk kept at the peel, sent again: expected it to leave through the "
		    "new socket (hop limit %d, set there after the peel), got hop limit %d%s",
		    CTL_HOPS_NEW, hops,
		    hops == CTL_HOPS_ORIGINAL ? " (the closed original socket's)" : "");
	pst_check(ctx, NULL);
	close(fx->wire);
	fx->wire = -1;
}

/* The sut's ASCONF (row->bindx of its second address) in flight at the peel. */
static void asconf_in_flight(struct pst_ctx *ctx)
{
	const struct ctl_row *row = ctx->param;
	struct ctl_fx *fx = ctx->fx;
	struct pst_assoc_fx *a = &fx->a;
	struct sockaddr_storage moved;
	socklen_t len = moved_addr(ctx, PST_SERVER, PST_SERVER_PORT, &moved);
	int held = row->bindx, p;
	long t4;

	if (held == SCTP_SOCKOPT_BINDX_ADD) {
		/* Something to add: the second address goes first, answered. */
		PST_SAFE(bindx_one(a->sut, SCTP_SOCKOPT_BINDX_REM, &moved, len));
		if (wait_addr_change(a->peer[0], SCTP_ADDR_REMOVED, &moved, PST_IO_TIMEOUT_MS) <
			0 ||
		    wait_local_addrs(a->sut, a->id[0], 1, PST_IO_TIMEOUT_MS) < 0)
			pst_broken("removing %s from the association before the case: the ASCONF "
				   "was not answered (no SCTP_ADDR_REMOVED at the peer, or the "
				   "association still lists %d local addresses)",
				   pst_addr_text(&moved).s, local_addr_count(a->sut, a->id[0]));
	}
	block_answers(fx, true);
	PST_SAFE(bindx_one(a->sut, held, &moved, len));
	/* The peer got it and acted on it; its ASCONF-ACK went into the blackhole. */
	if (wait_addr_change(a->peer[0], change_of(held), &moved, PST_IO_TIMEOUT_MS) < 0)
		pst_broken("the peer did not report %s for %s: the ASCONF did not arrive "
			   "(addip_enable not negotiated?)",
			   change_name(change_of(held)), pst_addr_text(&moved).s);
	t4 = mib(fx, PST_SERVER, T4_EXPIREDS);
	if (wait_counter_above(fx, PST_SERVER, T4_EXPIREDS, t4) < 0)
		pst_broken(
		    "the sut's T4 timer did not fire with the ASCONF-ACK blocked: the ASCONF "
		    "is not outstanding");

	p = (int)PST_ASSERT_OK(pst_peel(ctx, a->sut, a->id[0]));
	expect_on_new_socket(ctx, p);
	close_original_then_retransmit(ctx, fx, p, RETX_T4_SUT, CID_ASCONF);

	pst_check(ctx, "retained_chunk_completes");
	if (held == SCTP_SOCKOPT_BINDX_REM)
		PST_EXPECT(wait_local_addrs(p, a->id[0], 1, PST_IO_TIMEOUT_MS) == 0,
			   "the peeled association's local addresses once the answers flow: "
			   "expected 1 (the deletion acknowledged), got %d",
			   local_addr_count(p, a->id[0]));
	/*
	 * A next ASCONF goes out only once the held one was acknowledged (until
	 * then it waits behind it): asking the peer to make the first address
	 * its primary changes nothing of the address the held one moved.
	 */
	PST_SAFE(ask_peer_primary(ctx, p));
	{
		struct sockaddr_storage first;

		pst_addr(PST_SERVER, ctx->family, 0, PST_SERVER_PORT, &first);
		PST_EXPECT(wait_addr_change(a->peer[0], SCTP_ADDR_MADE_PRIM, &first,
					    PST_IO_TIMEOUT_MS) == 0,
			   "the peer, after SCTP_SET_PEER_PRIMARY_ADDR on the new socket: expected "
			   "SCTP_ADDR_MADE_PRIM for %s (an ASCONF sent only once the one held at "
			   "the peel was acknowledged), got %s",
			   pst_addr_text(&first).s, pst_errname(errno));
	}
	pst_check(ctx, NULL);
	expect_goes_on_then_ends(ctx, p, a->peer[0]);
}

/* The peer's ASCONF answered by the sut, whose ASCONF-ACK is lost: the sut keeps it. */
static void asconf_ack_retained(struct pst_ctx *ctx)
{
	struct ctl_fx *fx = ctx->fx;
	struct pst_assoc_fx *a = &fx->a;
	struct sockaddr_storage moved;
	socklen_t len = moved_addr(ctx, PST_CLIENT, pst_local_port(a->peer[0]), &moved);
	struct sctp_status st;
	long t4;
	int p;

	PST_SAFE(pst_assoc_status(a->peer[0], 0, &st));
	block_answers(fx, true);
	PST_SAFE(bindx_one(a->peer[0], SCTP_SOCKOPT_BINDX_REM, &moved, len));
	if (wait_addr_change(a->sut, SCTP_ADDR_REMOVED, &moved, PST_IO_TIMEOUT_MS) < 0)
		pst_broken("the sut did not report SCTP_ADDR_REMOVED for %s: the peer's ASCONF did "
			   "not arrive",
			   pst_addr_text(&moved).s);
	t4 = mib(fx, PST_CLIENT, T4_EXPIREDS);
	if (wait_counter_above(fx, PST_CLIENT, T4_EXPIREDS, t4) < 0)
		pst_broken("the peer's T4 timer did not fire with the sut's ASCONF-ACK blocked");

	p = (int)PST_ASSERT_OK(pst_peel(ctx, a->sut, a->id[0]));
	expect_on_new_socket(ctx, p);
	close_original_then_retransmit(ctx, fx, p, RETX_T4_PEER, CID_ASCONF_ACK);
	pst_check(ctx, "retained_chunk_completes");
	PST_EXPECT(wait_local_addrs(a->peer[0], st.sstat_assoc_id, 1, PST_IO_TIMEOUT_MS) == 0,
		   "the peer's local addresses once the answers flow: expected 1 (its deletion "
		   "acknowledged by the ASCONF-ACK the peeled association kept), got %d",
		   local_addr_count(a->peer[0], st.sstat_assoc_id));
	PST_SAFE(bindx_one(a->peer[0], SCTP_SOCKOPT_BINDX_ADD, &moved, len));
	PST_EXPECT(wait_addr_change(p, SCTP_ADDR_ADDED, &moved, PST_IO_TIMEOUT_MS) == 0,
		   "the new socket, after the peer added %s back: expected SCTP_ADDR_ADDED (the "
		   "peer's next ASCONF, possible only once the first was acknowledged), got %s",
		   pst_addr_text(&moved).s, pst_errname(errno));
	pst_check(ctx, NULL);
	expect_goes_on_then_ends(ctx, p, a->peer[0]);
}

/* SCTP_RESET_STREAMS of one outgoing stream on association id of fd. */
static int reset_stream(int fd, sctp_assoc_t id, uint16_t stream)
{
	/* (aligned as the struct: a char array of its size need not be, UBSan says) */
	_Alignas(struct sctp_reset_streams) char
	    buf[sizeof(struct sctp_reset_streams) + sizeof(uint16_t)];
	struct sctp_reset_streams *r = (struct sctp_reset_streams *)buf;

	r->srs_assoc_id = id;
	r->srs_flags = SCTP_STREAM_RESET_OUTGOING;
	r->srs_number_streams = 1;
	r->srs_stream_list[0] = stream;
	return setsockopt(fd, IPPROTO_SCTP, SCTP_RESET_STREAMS, buf, sizeof(buf));
}

/*
 * Is a stream reset request of association id outstanding? A request for a
 * stream that does not exist says, without sending anything: EINPROGRESS while
 * one is, EINVAL (the stream) when none is. The errno.
 */
static int reset_pending_errno(int fd, sctp_assoc_t id)
{
	errno = 0;
	if (reset_stream(fd, id, CTL_NO_STREAM) == 0)
		return 0;
	return errno;
}

/* One message on a stream (SCTP_SNDINFO). */
static ssize_t send_on_stream(int fd, sctp_assoc_t id, uint16_t stream, const char *msg)
{
	char cbuf[CMSG_SPACE(sizeof(struct sctp_sndinfo))] = { 0 };
	struct iovec iov = { .iov_base = (void *)msg, .iov_len = strlen(msg) };
	struct msghdr m = { .msg_iov = &iov,
			    .msg_iovlen = 1,
			    .msg_control = cbuf,
			    .msg_controllen = sizeof(cbuf) };
	struct sctp_sndinfo si = { .snd_sid = stream, .snd_assoc_id = id };
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);

	c->cmsg_level = IPPROTO_SCTP;
	c->cmsg_type = SCTP_SNDINFO;
	c->cmsg_len = CMSG_LEN(sizeof(si));
	memcpy(CMSG_DATA(c), &si, sizeof(si));
	return sendmsg(fd, &m, MSG_NOSIGNAL);
}

/* The next data message on the peer and its SCTP_RCVINFO stream sequence number: -1 if none. */
static int recv_ssn(int peer, uint16_t stream, const char *msg)
{
	for (long deadline = pst_now_ms() + PST_IO_TIMEOUT_MS; pst_now_ms() < deadline;) {
		char buf[CTL_MSG_BUF], cbuf[CMSG_SPACE(sizeof(struct sctp_rcvinfo))];
		struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
		struct msghdr m = { .msg_iov = &iov,
				    .msg_iovlen = 1,
				    .msg_control = cbuf,
				    .msg_controllen = sizeof(cbuf) };
		struct timeval tv = { .tv_sec = PST_IO_TIMEOUT_MS / PST_MS_PER_S };
		ssize_t n;

		if (setsockopt(peer, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0)
			return -1;
		n = recvmsg(peer, &m, 0);
		if (n < 0)
			return -1;
		if (m.msg_flags & MSG_NOTIFICATION)
			continue;
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
			if (c->cmsg_level == IPPROTO_SCTP && c->cmsg_type == SCTP_RCVINFO) {
				struct sctp_rcvinfo ri;

				memcpy(&ri, CMSG_DATA(c), sizeof(ri));
				if (ri.rcv_sid == stream && (size_t)n == strlen(msg) &&
				    memcmp(buf, msg, (size_t)n) == 0)
					return ri.rcv_ssn;
			}
		errno = EPROTO;
		return -1;
	}
	errno = ETIMEDOUT;
	return -1;
}

/* The sut's outgoing stream reset request pending at the peel. */
static void stream_reset_pending(struct pst_ctx *ctx)
{
	struct ctl_fx *fx = ctx->fx;
	struct pst_assoc_fx *a = &fx->a;
	static const char before_msg[] = "on the stream before its reset";
	static const char after_msg[] = "on the stream after its reset";
	union sctp_notification n;
	struct sctp_status st;
	int p, err, ssn;

	/* The stream's SSN moves on; the reset needs nothing of it left unacknowledged. */
	for (int k = 0; k < CTL_STREAM_MSGS; k++) {
		PST_SAFE(send_on_stream(a->sut, a->id[0], CTL_RESET_STREAM, before_msg));
		if (recv_ssn(a->peer[0], CTL_RESET_STREAM, before_msg) != k)
			pst_broken("message %d on stream %d: it did not arrive with SSN %d (%s)", k,
				   CTL_RESET_STREAM, k, pst_errname(errno));
	}
	for (long waited = 0;; waited += SOME_WAIT_MS) {
		PST_SAFE(pst_assoc_status(a->sut, a->id[0], &st));
		if (st.sstat_unackdata == 0 && st.sstat_penddata == 0)
			break;
		if (waited >= PST_IO_TIMEOUT_MS)
			pst_broken("the messages on stream %d were never acknowledged",
				   CTL_RESET_STREAM);
		pst_sleep_ms(SOME_WAIT_MS);
	}

	block_answers(fx, true);
	PST_SAFE(reset_stream(a->sut, a->id[0], CTL_RESET_STREAM));
	/* The peer reset its incoming stream; its response went into the blackhole. */
	if (pst_recv_notification(a->peer[0], SCTP_STREAM_RESET_EVENT, &n, PST_IO_TIMEOUT_MS) < 0)
		pst_broken(
		    "the peer reported no SCTP_STREAM_RESET_EVENT: the request did not arrive "
		    "(%s)",
		    pst_errname(errno));
	if ((err = reset_pending_errno(a->sut, a->id[0])) != EINPROGRESS)
		pst_broken("SCTP_RESET_STREAMS with the request unanswered: expected EINPROGRESS "
			   "(one outstanding), got %s",
			   pst_errname(err));

	p = (int)PST_ASSERT_OK(pst_peel(ctx, a->sut, a->id[0]));
	expect_on_new_socket(ctx, p);
	pst_check(ctx, "pending_reset_follows_assoc");
	err = reset_pending_errno(p, 0);
	PST_EXPECT(err == EINPROGRESS,
		   "SCTP_RESET_STREAMS on the new socket: expected EINPROGRESS (the request "
		   "outstanding at the peel is the association's), got %s",
		   pst_errname(err));
	pst_check(ctx, NULL);
	close_original_then_retransmit(ctx, fx, p, RETX_CONTROL_CHUNK, CID_RECONF);

	pst_check(ctx, "retained_chunk_completes");
	if (pst_recv_notification(p, SCTP_STREAM_RESET_EVENT, &n, PST_IO_TIMEOUT_MS) < 0)
		pst_fail_at(
		    __FILE__, __LINE__, false,
		    "the new socket once the answers flow: expected SCTP_STREAM_RESET_EVENT "
		    "(the request kept at the peel answered), got %s",
		    pst_errname(errno));
	else
		PST_EXPECT((n.sn_strreset_event.strreset_flags & SCTP_STREAM_RESET_OUTGOING_SSN) &&
			       !(n.sn_strreset_event.strreset_flags &
				 (SCTP_STREAM_RESET_DENIED | SCTP_STREAM_RESET_FAILED)),
			   "SCTP_STREAM_RESET_EVENT on the new socket: expected OUTGOING_SSN, "
			   "performed, got flags 0x%x",
			   n.sn_strreset_event.strreset_flags);
	err = reset_pending_errno(p, 0);
	PST_EXPECT(err == EINVAL,
		   "SCTP_RESET_STREAMS on the new socket after the response: expected EINVAL (no "
		   "request outstanding, the stream does not exist), got %s",
		   pst_errname(err));
	PST_SAFE(send_on_stream(p, 0, CTL_RESET_STREAM, after_msg));
	ssn = recv_ssn(a->peer[0], CTL_RESET_STREAM, after_msg);
	PST_EXPECT(ssn == 0,
		   "the first message on stream %d after its reset: expected SSN 0 at the peer, "
		   "got %d%s%s",
		   CTL_RESET_STREAM, ssn, ssn < 0 ? " " : "", ssn < 0 ? pst_errname(errno) : "");
	pst_check(ctx, NULL);
	expect_goes_on_then_ends(ctx, p, a->peer[0]);
}

static const struct ctl_row asconf_del = { CTL_ASCONF, SCTP_SOCKOPT_BINDX_REM, false };
static const struct ctl_row asconf_add = { CTL_ASCONF, SCTP_SOCKOPT_BINDX_ADD, false };
static const struct ctl_row asconf_del_auth = { CTL_ASCONF, SCTP_SOCKOPT_BINDX_REM, true };
static const struct ctl_row asconf_ack = { CTL_ASCONF_ACK, SCTP_SOCKOPT_BINDX_REM, false };
static const struct ctl_row reconf = { CTL_RECONF, 0, false };

/* ===================== The cases ===================== */

#define TAG_SHKEY "linux-stable-6.12.118:sctp-hold-shkey-across-socket-migration"
#define TAG_REPOINT                                                                   \
	"linux-stable-6.12.118:sctp-re-point-retained-control-chunks-on-association-" \
	"migration"
#define AUTH_REQS                                                         \
	"IMPL-LNX-MIGRATE-AUTH-KEYS RFC-3.1-SEPARATE RFC-3.1-CLOSE-ORIG " \
	"RFC-3.1.5-CLOSE-PEELED"
#define AUTH_CHECKS                                                                \
	"safety:queued_data_delivered safety:other_assoc_undisturbed "             \
	"ref:queued_data_keeps_its_key=REF-MIGRATE-AUTH-KEYS "                     \
	"ref:active_key_follows_assoc=REF-MIGRATE-AUTH-KEYS "                      \
	"ref:send_buffer_follows_assoc=REF-MIGRATE-AUTH-KEYS assoc_on_new_socket " \
	"assoc_survives_close_original close_peeled_shuts_down"
#define CTL_REQS \
	"IMPL-LNX-MIGRATE-CONTROL RFC-3.1-SEPARATE RFC-3.1-CLOSE-ORIG RFC-3.1.5-CLOSE-PEELED"
#define CTL_CHECKS                                                                               \
	"ref:retained_chunk_completes=REF-MIGRATE-CONTROL-CHUNKS "                               \
	"ref:retransmission_leaves_new_socket=REF-MIGRATE-CONTROL-CHUNKS "                       \
	"assoc_on_new_socket assoc_survives_close_original safety:data_after_completion_intact " \
	"close_peeled_shuts_down"

#define AUTH_CASE(cname, row)                                                           \
	{                                                                               \
		.name = (cname), .fn = queued_data_keeps_key, .fixture = &auth_fixture, \
		.axes = PST_AXIS_FAMILY, .reqs = AUTH_REQS, .tags = TAG_SHKEY,          \
		.checks = AUTH_CHECKS, .param = &(row)                                  \
	}
#define CTL_CASE(cname, fn_, row, extra)                                                           \
	{                                                                                          \
		.name = (cname), .fn = (fn_), .fixture = &ctl_fixture, .axes = PST_AXIS_FAMILY,    \
		.reqs = CTL_REQS, .tags = TAG_REPOINT, .checks = CTL_CHECKS extra, .param = &(row) \
	}

static const struct pst_case cases[] = {
	AUTH_CASE("peeloff_queued_data_reaches_peer_with_its_key_deleted_before_peel",
		  key_deleted_before),
	AUTH_CASE("peeloff_queued_data_reaches_peer_with_its_key_deleted_after_peel",
		  key_deleted_after),
	AUTH_CASE("peeloff_queued_data_keeps_its_key_when_active_key_changes_before_peel",
		  key_switched_before),
	AUTH_CASE("peeloff_queued_data_keeps_its_key_when_active_key_changes_after_peel",
		  key_switched_after),
	CTL_CASE("peeloff_asconf_deleting_address_in_flight_completes_after_close_original",
		 asconf_in_flight, asconf_del, ""),
	CTL_CASE("peeloff_asconf_adding_address_in_flight_completes_after_close_original",
		 asconf_in_flight, asconf_add, ""),
	CTL_CASE("peeloff_authenticated_asconf_in_flight_completes_after_close_original",
		 asconf_in_flight, asconf_del_auth, ""),
	CTL_CASE("peeloff_kept_asconf_ack_answers_peer_after_close_original", asconf_ack_retained,
		 asconf_ack, ""),
	CTL_CASE("peeloff_pending_stream_reset_completes_after_close_original",
		 stream_reset_pending, reconf,
		 " ref:pending_reset_follows_assoc=REF-MIGRATE-CONTROL-CHUNKS"),
};

PST_SUITE(pst_suite_migrate_chunks, "peeloff_migrate_chunks",
	  "What the association carries at the peel besides its data: queued DATA and its AUTH "
	  "key, retained ASCONF, ASCONF-ACK and stream reset (RFC 6458 3.1, 3.1.5; Linux "
	  "implementation)",
	  cases);
