/*
 * When the kernel's peeloff cannot get what it allocates, and the migration
 * branches only some sockets take: REF-ALLOC-BEFORE-MOVE, REF-ALLOC-AFTER-MOVE,
 * REF-ENFILE, REF-MIGRATE-AUTH, REF-MIGRATE-PARTIAL-DELIVERY and REF-BUG-FD-PREPARE
 * (the 2025 double release when sock_alloc_file() fails) in
 * suites/requirements/REFERENCES.md. Linux only: the pages document no allocation
 * failure, and the stages below are Linux's.
 *
 * A peel allocates in three stages: sock_create() (inode, sock, endpoint),
 * sctp_sock_migrate() (the bound-address copy; the HMAC transforms when the
 * original endpoint has them) and, after the association has moved,
 * sock_alloc_file() (dentry, file). With the kernel's fault injection
 * (fixtures/fault_inject.h) the sweeps below make the 1st, 2nd, ... point of
 * one peel fail until a peel passes them all, so every allocation of this
 * kernel's path fails once, whatever their number; each failure is judged
 * by the stage its outcome shows (is the association still on the original
 * socket?). On a kernel without fault injection they SKIP.
 *
 * Reachable without it: ENFILE from sock_alloc_file() (fs.file-max below the
 * open-file count, caller without CAP_SYS_ADMIN), the auth_hmacs arm of
 * sctp_sock_migrate() and its partial-delivery block.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../fixtures/assoc.h"
#include "../fixtures/assoc_states.h"
#include "../fixtures/fault_inject.h"
#include "../fixtures/io.h"
#include "../harness/runner/iut.h"
#include "suites.h"

/*
 * A sweep uses one association per failure after the move, one per failure
 * that fails nothing, and one to end: a kernel with refcount trackers (the
 * sanitizer kernel, kernel/sanitize.config) allocates a tracker in the peel
 * whose failure only makes it unreliable (every other point on 6.1.192: 14
 * associations for a sweep).
 */
#define SWEEP_ASSOCS	  PST_MAX_ASSOCS
#define SWEEP_MAX_NTH	  200 /* far more allocation points than a peel has */
#define SYSCTL_MAX	  64
#define LINE_MAX_LEN	  256
#define PD_POINT	  4096 /* SCTP_PARTIAL_DELIVERY_POINT: small, so partial delivery starts */
#define PD_MSG_LEN	  (256 * 1024)	/* far above the association's receive window */
#define PD_SNDBUF	  (1024 * 1024) /* the peer queues the whole message at once */
#define PD_POLL_MS	  10
#define PD_PATTERN_STEP	  7   /* the message's bytes: no period a lost or repeated */
#define PD_PATTERN_PERIOD 251 /* chunk could hide behind (251: prime) */
#define PD_RECV_CHUNK	  8192
#define HELD_MSG	  "held in the partial-delivery lobby"
#define LATER_MSG	  "sent after the peel"
#define FILE_MAX_KNOB	  "/proc/sys/fs/file-max"
#define AUTH_KNOB	  "/proc/sys/net/sctp/auth_enable"
#define FILE_MAX_LOW	  "1" /* below any open-file count */
#define FILE_NR_KNOB	  "/proc/sys/fs/file-nr"
#define FILE_PAD_MAX	  256 /* files opened to lift the kernel's count (per-CPU batches of 32+) */
#define SCTP_DATA_TYPE	  0   /* the DATA chunk type (RFC 9260 3.2) */

static void skip_unless_linux(const struct pst_ctx *ctx)
{
	if (ctx->profile != PST_PROFILE_LINUX)
		pst_skip("the %s profile documents no allocation failure and no migration "
			 "internals: suites/requirements/REFERENCES.md describes Linux's",
			 pst_profile_name(ctx->profile));
}

/* ---- what a failed peel must not leave behind ---- */

/* SCTP sockets in use in the thread's netns (/proc/net/protocols: SCTP + SCTPv6). */
static int sctp_sockets_in_use(void)
{
	FILE *f = fopen("/proc/thread-self/net/protocols", "re");
	char line[LINE_MAX_LEN], name[LINE_MAX_LEN];
	int total = 0, n;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%255s %*u %d", name, &n) == 2 &&
		    (strcmp(name, "SCTP") == 0 || strcmp(name, "SCTPv6") == 0))
			total += n;
	fclose(f);
	return total;
}

/* The number the next open() would get: a descriptor reserved but never installed moves it. */
static int lowest_free_fd(void)
{
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	if (fd >= 0)
		close(fd);
	return fd;
}

struct leak_probe {
	int fds, next_fd, sockets;
};

static void leak_probe_take(struct leak_probe *p)
{
	p->fds = (int)PST_SAFE(pst_count_fds());
	p->next_fd = (int)PST_SAFE(lowest_free_fd());
	p->sockets = (int)PST_SAFE(sctp_sockets_in_use());
}

static void expect_nothing_leaked(const struct leak_probe *before, const char *after_what)
{
	struct leak_probe now;
	char what[LINE_MAX_LEN];

	leak_probe_take(&now);
	snprintf(what, sizeof(what), "open descriptors after %s", after_what);
	PST_EXPECT_EQ(now.fds, before->fds, what);
	snprintf(what, sizeof(what),
		 "the next descriptor number after %s (one reserved, not freed?)", after_what);
	PST_EXPECT_EQ(now.next_fd, before->next_fd, what);
	snprintf(what, sizeof(what),
		 "SCTP sockets in use in the netns after %s (the new one leaked?)", after_what);
	PST_EXPECT_EQ(now.sockets, before->sockets, what);
}

/* Error table rows 16-17: the association had moved, closing the new socket shut it down. */
static void expect_shut_down(const struct pst_assoc_fx *fx, int i, const char *why)
{
	struct sctp_status st;
	int seen;
	long r;

	errno = 0;
	r = pst_assoc_status(fx->sut, fx->id[i], &st);
	pst_check_errno_at(
	    __FILE__, __LINE__, false,
	    "SCTP_STATUS of the association on the original socket (moved, then shut "
	    "down)",
	    r, errno, EINVAL);
	if (pst_wait_assoc_change(fx->peer[i], 0, SCTP_SHUTDOWN_COMP, PST_IO_TIMEOUT_MS, &seen) < 0)
		pst_fail_at(__FILE__, __LINE__, false,
			    "the peer, after %s: expected SCTP_ASSOC_CHANGE SHUTDOWN_COMP (the "
			    "association moved, then the new socket was closed), got %s (%s)",
			    why, pst_assoc_change_name(seen), pst_errname(errno));
}

/* ---- allocation failures, with fault injection ---- */

enum stage {
	STAGE_BEFORE_MOVE, /* sock_create(), sctp_sock_migrate() before sctp_assoc_migrate() */
	STAGE_AFTER_MOVE,  /* sock_alloc_file() */
};

struct sweep_row {
	enum stage stage;
	bool auth; /* the original socket was created with net.sctp.auth_enable=1 */
};

struct sweep_fx {
	struct pst_assoc_fx a; /* first: pst_assoc(ctx) */
	struct pst_failslab slab;
	char auth_saved[PST_SIDES][SYSCTL_MAX];
	bool auth_set[PST_SIDES];
};

/* net.sctp.auth_enable of one side's netns (per netns: /proc/sys/net is the thread's). */
static void set_auth_enable(struct pst_ctx *ctx, struct sweep_fx *fx, enum pst_side side,
			    const char *value)
{
	PST_SAFE(pst_topo_enter(ctx->topo, side));
	if (!fx->auth_set[side]) {
		PST_SAFE(
		    pst_knob_read(AUTH_KNOB, fx->auth_saved[side], sizeof(fx->auth_saved[side])));
		fx->auth_set[side] = true;
	}
	PST_SAFE(pst_knob_write(AUTH_KNOB, value));
}

/* The sut asks its peers to authenticate their DATA (RFC 4895), so the HMACs are used. */
static void require_auth_for_data(struct pst_ctx *ctx, int sut)
{
	struct sctp_authchunk ch = { .sauth_chunk = SCTP_DATA_TYPE };

	(void)ctx;
	PST_SAFE(setsockopt(sut, SOL_SCTP, SCTP_AUTH_CHUNK, &ch, sizeof(ch)));
}

static void auth_assoc_setup(struct pst_ctx *ctx, int n)
{
	static const struct pst_assoc_opts auth_for_data = { .prepare_sut = require_auth_for_data };
	struct sweep_fx *fx = ctx->fx;

	set_auth_enable(ctx, fx, PST_SERVER, "1");
	set_auth_enable(ctx, fx, PST_CLIENT, "1");
	pst_assoc_setup_with(ctx, n, &auth_for_data);
}

static void auth_restore(struct pst_ctx *ctx, struct sweep_fx *fx)
{
	for (int side = 0; side < PST_SIDES; side++)
		if (fx->auth_set[side] && pst_topo_enter(ctx->topo, (enum pst_side)side) == 0 &&
		    pst_knob_write(AUTH_KNOB, fx->auth_saved[side]) < 0)
			pst_log("restoring %s failed: %s", AUTH_KNOB, pst_errname(errno));
}

static void sweep_setup(struct pst_ctx *ctx)
{
	const struct sweep_row *row = ctx->param;
	struct sweep_fx *fx = ctx->fx;

	pst_failslab_init(&fx->slab);
	skip_unless_linux(ctx);
	if (row->auth)
		auth_assoc_setup(ctx, SWEEP_ASSOCS);
	else
		pst_assoc_setup(ctx, SWEEP_ASSOCS);
	for (int i = 0; i < SWEEP_ASSOCS; i++)
		PST_SAFE(pst_subscribe(fx->a.peer[i], SCTP_ASSOC_CHANGE));
	pst_failslab_begin(ctx, &fx->slab);
}

static void sweep_teardown(struct pst_ctx *ctx)
{
	struct sweep_fx *fx = ctx->fx;

	pst_failslab_end(&fx->slab);
	pst_assoc_teardown(ctx);
	auth_restore(ctx, fx);
}

static const struct pst_fixture sweep_fixture = { "alloc_sweep", sizeof(struct sweep_fx),
						  sweep_setup, sweep_teardown };

/* Error table rows 14, 15 (and ENOBUFS: inet_create()/inet6_create() when sk_alloc() fails). */
static bool before_move_errno(int err)
{
	return err == ENOMEM || err == ENOBUFS || err == ENFILE;
}

static void judge_kept(struct pst_assoc_fx *fx, int i, unsigned nth, int err,
		       const struct leak_probe *before)
{
	char what[LINE_MAX_LEN];

	PST_EXPECT(before_move_errno(err),
		   "peel with allocation %u failing before the association moved: expected ENOMEM, "
		   "ENOBUFS or ENFILE (error table rows 14-15), got %s",
		   nth, pst_errname(err));
	snprintf(what, sizeof(what), "the failed peel (allocation %u)", nth);
	expect_nothing_leaked(before, what);
	snprintf(what, sizeof(what),
		 "the association on the original socket after allocation %u failed", nth);
	pst_expect_exchange(fx->sut, fx->id[i], fx->peer[i], what);
}

static void judge_moved(struct pst_assoc_fx *fx, int i, unsigned nth, int err,
			const struct leak_probe *before)
{
	char what[LINE_MAX_LEN];

	PST_EXPECT(err == ENOMEM,
		   "peel with allocation %u failing after the association moved "
		   "(sock_alloc_file): expected ENOMEM (error table row 17), got %s",
		   nth, pst_errname(err));
	snprintf(what, sizeof(what), "the failed peel (allocation %u)", nth);
	expect_nothing_leaked(before, what);
	snprintf(what, sizeof(what), "allocation %u failed after the move", nth);
	expect_shut_down(fx, i, what);
}

static void alloc_failure_sweep(struct pst_ctx *ctx)
{
	const struct sweep_row *row = ctx->param;
	struct sweep_fx *sfx = ctx->fx;
	struct pst_assoc_fx *fx = &sfx->a;
	unsigned kept = 0, moved = 0, nth;
	int i = 0;

	if (row->auth)
		/* Gone by the peel: the new socket's endpoint gets no transforms of its own. */
		set_auth_enable(ctx, sfx, PST_SERVER, "0");
	for (nth = 1; nth <= SWEEP_MAX_NTH; nth++) {
		struct leak_probe before;
		int r, err, left;

		if (i >= SWEEP_ASSOCS)
			pst_broken("the sweep used all %d associations by allocation %u",
				   SWEEP_ASSOCS, nth);
		leak_probe_take(&before);
		PST_SAFE(pst_fail_nth_arm(&sfx->slab, nth));
		errno = 0;
		r = pst_raw_peeloff(fx->sut, fx->id[i]);
		err = errno;
		left = (int)PST_SAFE(pst_fail_nth_left(&sfx->slab));
		if (r >= 0) {
			close(r);
			i++;
			if (left > 0) {
				pst_log("allocation %u: the peel has %u allocation points", nth,
					nth - 1);
				break;
			}
			pst_log("allocation %u failed, the peel succeeded anyway", nth);
			continue;
		}
		if (pst_assoc_state(fx->sut, fx->id[i]) >= 0) {
			pst_log("allocation %u: %s, the association stayed", nth, pst_errname(err));
			kept++;
			if (row->stage == STAGE_BEFORE_MOVE)
				judge_kept(fx, i, nth, err, &before);
			continue;
		}
		pst_log("allocation %u: %s, the association had moved", nth, pst_errname(err));
		moved++;
		if (row->stage == STAGE_AFTER_MOVE)
			judge_moved(fx, i, nth, err, &before);
		else
			break;
		i++;
	}
	if (nth > SWEEP_MAX_NTH)
		pst_broken("the peel still failed with allocation %d failing", SWEEP_MAX_NTH);
	if (row->stage == STAGE_BEFORE_MOVE && kept == 0)
		pst_broken("no injected failure left the association where it was: fault injection "
			   "does not reach sock_create()");
	if (row->stage == STAGE_AFTER_MOVE && moved == 0)
		pst_broken("no injected failure came after the association moved: fault injection "
			   "does not reach sock_alloc_file()");
	if (i < SWEEP_ASSOCS)
		pst_expect_exchange(
		    fx->sut, fx->id[SWEEP_ASSOCS - 1], fx->peer[SWEEP_ASSOCS - 1],
		    "an association the sweep did not peel, on the original socket");
}

static const struct sweep_row before_move = { .stage = STAGE_BEFORE_MOVE };
static const struct sweep_row before_move_auth = { .stage = STAGE_BEFORE_MOVE, .auth = true };
static const struct sweep_row after_move = { .stage = STAGE_AFTER_MOVE };

/* ---- ENFILE: fs.file-max reached, without fault injection ---- */

struct caps {
	struct __user_cap_header_struct hdr;
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
};

static int caps_get(struct caps *c)
{
	c->hdr = (struct __user_cap_header_struct){ .version = _LINUX_CAPABILITY_VERSION_3 };
	return (int)syscall(SYS_capget, &c->hdr, c->data);
}

static int caps_set(struct caps *c)
{
	return (int)syscall(SYS_capset, &c->hdr, c->data);
}

/* The open-file count the limit check reads (file-nr's first field), or -1. */
static long files_counted(void)
{
	char buf[LINE_MAX_LEN];
	int fd = open(FILE_NR_KNOB, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return strtol(buf, NULL, 10);
}

/*
 * The limit check reads an approximate count (per-CPU batches not yet folded
 * in): with few files open on an SMP guest it reads 0 (Debian's 5.10.262 under
 * QEMU, 2 CPUs: file-nr said 0 with 110 descriptors open), and a limit of 1 is
 * never reached. Open files until the count it reads is above the limit; their
 * descriptors go into pad (the count is returned; close them with file_pad_close).
 */
static int file_pad_open(int *pad)
{
	int n = 0;
	long limit = strtol(FILE_MAX_LOW, NULL, 10), counted;

	while ((counted = files_counted()) <= limit && n < FILE_PAD_MAX) {
		pad[n] = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (pad[n] < 0)
			break;
		n++;
	}
	if (counted <= limit) {
		while (n > 0)
			close(pad[--n]);
		pst_broken("%s says %ld open files even after %d more: the limit %s cannot be "
			   "reached",
			   FILE_NR_KNOB, counted, FILE_PAD_MAX, FILE_MAX_LOW);
	}
	return n;
}

static void file_pad_close(const int *pad, int n)
{
	while (n > 0)
		close(pad[--n]);
}

/*
 * Peel with fs.file-max below the open-file count and CAP_SYS_ADMIN out of
 * the effective set (it lets root past the limit): the result and errno.
 * The limit is global (the case declares it: the runner saved it and puts it
 * back after the case, however the case ends). It is lifted again at once,
 * to what it read before: no other process of the system should go without
 * files longer than the peel, and the runner's restore comes only after the
 * case and its checks.
 */
static int peel_above_file_max(struct pst_ctx *ctx, int sd, sctp_assoc_t id, int *err)
{
	char before[SYSCTL_MAX];
	struct caps c, dropped;
	int r = -1;

	PST_SAFE(caps_get(&c));
	dropped = c;
	dropped.data[CAP_TO_INDEX(CAP_SYS_ADMIN)].effective &= ~CAP_TO_MASK(CAP_SYS_ADMIN);
	if (pst_knob_read(FILE_MAX_KNOB, before, sizeof(before)) < 0)
		pst_broken("reading %s: %s", FILE_MAX_KNOB, pst_errname(errno));
	if (pst_global_set(ctx, FILE_MAX_KNOB, FILE_MAX_LOW) < 0)
		pst_broken("writing %s to %s: %s", FILE_MAX_LOW, FILE_MAX_KNOB, pst_errname(errno));
	*err = EPERM;
	if (caps_set(&dropped) == 0) {
		errno = 0;
		r = pst_raw_peeloff(sd, id);
		*err = errno;
		caps_set(&c);
	}
	/* (root again: past the limit, it can open the knob) */
	if (pst_global_set(ctx, FILE_MAX_KNOB, before) < 0)
		pst_log("lifting %s back to %s failed (the runner restores it after the case): %s",
			FILE_MAX_KNOB, before, pst_errname(errno));
	return r;
}

static void file_max_gives_enfile(struct pst_ctx *ctx)
{
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	struct leak_probe before;
	int r, err, pad[FILE_PAD_MAX], npad;

	skip_unless_linux(ctx);
	PST_SAFE(pst_subscribe(fx->peer[0], SCTP_ASSOC_CHANGE));
	npad = file_pad_open(pad);
	/* With the pad open: a number reserved by the peel and never freed shows. */
	leak_probe_take(&before);
	r = peel_above_file_max(ctx, fx->sut, fx->id[0], &err);
	pst_check_errno_at(__FILE__, __LINE__, false,
			   "peel with fs.file-max below the open files, caller without "
			   "CAP_SYS_ADMIN",
			   r, err, ENFILE);
	if (r >= 0)
		close(r);
	expect_nothing_leaked(&before, "the ENFILE");
	file_pad_close(pad, npad);
	expect_shut_down(fx, 0, "the ENFILE");
	pst_expect_exchange(fx->sut, fx->id[1], fx->peer[1],
			    "the original socket's other association, after the ENFILE");
}

/* ---- the auth_hmacs arm of sctp_sock_migrate() ---- */

static void auth_setup(struct pst_ctx *ctx)
{
	skip_unless_linux(ctx);
	auth_assoc_setup(ctx, 2);
}

static void auth_teardown(struct pst_ctx *ctx)
{
	pst_assoc_teardown(ctx);
	auth_restore(ctx, ctx->fx);
}

static const struct pst_fixture auth_fixture = { "assoc2_auth", sizeof(struct sweep_fx), auth_setup,
						 auth_teardown };

/* Does the peer authenticate the DATA it sends (SCTP_PEER_AUTH_CHUNKS lists DATA)? */
static bool peer_authenticates_data(int peer)
{
	socklen_t len = sizeof(struct sctp_authchunks) + UINT8_MAX;
	struct sctp_authchunks *ac = calloc(1, len);
	bool found = false;

	if (!ac)
		return false;
	if (getsockopt(peer, SOL_SCTP, SCTP_PEER_AUTH_CHUNKS, ac, &len) == 0)
		for (uint32_t k = 0; k < ac->gauth_number_of_chunks && k < UINT8_MAX; k++)
			found |= ac->gauth_chunks[k] == SCTP_DATA_TYPE;
	free(ac);
	return found;
}

static void auth_survives_auth_disable(struct pst_ctx *ctx)
{
	struct sweep_fx *sfx = ctx->fx;
	struct pst_assoc_fx *fx = &sfx->a;
	int r;

	if (!peer_authenticates_data(fx->peer[0]))
		pst_broken("the peer does not authenticate its DATA (SCTP_PEER_AUTH_CHUNKS): the "
			   "association did not negotiate AUTH");
	/* Off before the peel: the new socket's endpoint is created without transforms. */
	set_auth_enable(ctx, sfx, PST_SERVER, "0");
	r = (int)PST_ASSERT_OK(pst_raw_peeloff(fx->sut, fx->id[0]));
	pst_expect_exchange(r, 0, fx->peer[0],
			    "the peeled association, whose DATA must carry a valid AUTH: checked "
			    "with the HMAC transforms the new socket got from the original");
	pst_expect_exchange(fx->sut, fx->id[1], fx->peer[1],
			    "the original socket's other association (AUTH on DATA)");
	close(r);
}

/* ---- the partial-delivery block of sctp_sock_migrate() ---- */

enum pd_which {
	PD_PEEL_IN_PD, /* the association in partial delivery */
	PD_PEEL_OTHER, /* the one whose message waits in the lobby */
};

struct pd_row {
	enum pd_which which;
};

static void pd_fill(unsigned char *buf, size_t len)
{
	for (size_t k = 0; k < len; k++)
		buf[k] = (unsigned char)(k * PD_PATTERN_STEP + k / PD_PATTERN_PERIOD);
}

/* Read one whole message (until MSG_EOR) from fd: its length, or -1 (errno) on a gap. */
static ssize_t recv_whole(int fd, unsigned char *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		int flags = 0;
		size_t want = len - got < PD_RECV_CHUNK ? len - got : PD_RECV_CHUNK;
		ssize_t n = pst_recv_msg(fd, buf + got, want, PST_IO_TIMEOUT_MS, &flags);

		if (n < 0)
			return -1;
		if (flags & MSG_NOTIFICATION)
			continue;
		got += (size_t)n;
		if (flags & MSG_EOR)
			return (ssize_t)got;
	}
	errno = EMSGSIZE;
	return -1;
}

/*
 * Peer 0 sends a message far above the window: partial delivery starts (pd
 * point) and stalls, nothing read. Peer 1's message then waits in the lobby.
 */
static void enter_partial_delivery(struct pst_assoc_fx *fx, const unsigned char *big)
{
	uint32_t pd_point = PD_POINT;
	int sndbuf = PD_SNDBUF, flags = 0;
	unsigned char peek[PD_RECV_CHUNK];
	struct iovec iov = { .iov_base = peek, .iov_len = sizeof(peek) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct pollfd p = { .fd = fx->sut, .events = POLLIN };
	struct sctp_status st;
	int waited;

	PST_SAFE(setsockopt(fx->sut, SOL_SCTP, SCTP_PARTIAL_DELIVERY_POINT, &pd_point,
			    sizeof(pd_point)));
	PST_SAFE(setsockopt(fx->peer[0], SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf)));
	PST_SAFE(pst_send(fx->peer[0], 0, big, PD_MSG_LEN));
	if (poll(&p, 1, PST_IO_TIMEOUT_MS) != 1)
		pst_broken("nothing of the large message reached the socket under test");
	/* MSG_PEEK: reading would open the window and let the message complete. */
	PST_SAFE(recvmsg(fx->sut, &m, MSG_PEEK | MSG_DONTWAIT));
	flags = m.msg_flags;
	if (flags & (MSG_EOR | MSG_NOTIFICATION))
		pst_broken("expected the start of the large message without MSG_EOR (partial "
			   "delivery), got msg_flags %#x",
			   (unsigned)flags);
	PST_SAFE(pst_send(fx->peer[1], 0, HELD_MSG, sizeof(HELD_MSG)));
	/* Acknowledged by the sut: it is in the lobby. */
	for (waited = 0;; waited += PD_POLL_MS) {
		PST_SAFE(pst_assoc_status(fx->peer[1], 0, &st));
		if (st.sstat_unackdata == 0)
			break;
		if (waited >= PST_IO_TIMEOUT_MS)
			pst_broken("the message of the second peer was not acknowledged");
		usleep(PD_POLL_MS * 1000);
	}
}

static void expect_held_msg(int fd, const char *where)
{
	char buf[sizeof(HELD_MSG) * 2];
	ssize_t n;

	errno = 0;
	n = pst_recv_data(fd, buf, sizeof(buf), PST_IO_TIMEOUT_MS);
	PST_EXPECT(n == (ssize_t)sizeof(HELD_MSG) && memcmp(buf, HELD_MSG, sizeof(HELD_MSG)) == 0,
		   "the second peer's message, held in the lobby during partial delivery: expected "
		   "it on %s, got %zd bytes (%s)",
		   where, n, pst_errname(errno));
}

static void expect_big_msg(int fd, const unsigned char *big, const char *where)
{
	static unsigned char got[PD_MSG_LEN];
	ssize_t n;

	errno = 0;
	n = recv_whole(fd, got, PD_MSG_LEN);
	PST_EXPECT(n == PD_MSG_LEN && memcmp(got, big, PD_MSG_LEN) == 0,
		   "the large message in partial delivery: expected all %d bytes, in order, on %s, "
		   "got %zd (%s)",
		   PD_MSG_LEN, where, n, pst_errname(errno));
}

/* Peer 0's association is the one in partial delivery; peer 1's message waits in the lobby. */
static int pd_peer(enum pd_which which)
{
	return which == PD_PEEL_IN_PD ? 0 : 1;
}

/* Fill big, start partial delivery with it, then peel which: the new socket. */
static int pd_peel(struct pst_ctx *ctx, unsigned char *big, enum pd_which which)
{
	struct pst_assoc_fx *fx = pst_assoc(ctx);

	skip_unless_linux(ctx);
	pd_fill(big, PD_MSG_LEN);
	enter_partial_delivery(fx, big);
	return (int)PST_ASSERT_OK(pst_raw_peeloff(fx->sut, fx->id[pd_peer(which)]));
}

static void peel_during_partial_delivery(struct pst_ctx *ctx)
{
	const struct pd_row *row = ctx->param;
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	static unsigned char big[PD_MSG_LEN];
	int r = pd_peel(ctx, big, row->which);

	if (row->which == PD_PEEL_IN_PD) {
		/* The original socket is out of partial delivery: the lobby is delivered. */
		expect_held_msg(fx->sut, "the original socket, once the association in partial "
					 "delivery was peeled");
		expect_big_msg(r, big, "the peeled socket");
	} else {
		expect_held_msg(r, "the peeled socket, at once");
		expect_big_msg(fx->sut, big, "the original socket, still in partial delivery");
	}
	pst_expect_exchange(r, 0, fx->peer[pd_peer(row->which)],
			    "the peeled association, after the partial delivery");
	close(r);
}

/*
 * Partial delivery has ended on the original socket, not only its lobby been
 * emptied: a message another association sends after the peel is delivered
 * there, not held for a partial delivery that no longer exists.
 */
static void peel_in_pd_lets_later_messages_through(struct pst_ctx *ctx)
{
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	static unsigned char big[PD_MSG_LEN];
	char buf[sizeof(LATER_MSG) * 2];
	ssize_t n = -1;
	bool got_later = false;
	int r = pd_peel(ctx, big, PD_PEEL_IN_PD);

	PST_SAFE(pst_send(fx->peer[1], 0, LATER_MSG, sizeof(LATER_MSG)));
	/* The held message comes first (the case above checks it); the later one after it. */
	errno = 0;
	for (int msgs = 0; msgs < 2 && !got_later; msgs++) {
		n = pst_recv_data(fx->sut, buf, sizeof(buf), PST_IO_TIMEOUT_MS);
		got_later = n == (ssize_t)sizeof(LATER_MSG) &&
			    memcmp(buf, LATER_MSG, sizeof(LATER_MSG)) == 0;
	}
	PST_EXPECT(got_later,
		   "a message the second peer sent after the association in partial delivery was "
		   "peeled: expected it on the original socket, got %zd bytes (%s)",
		   n, pst_errname(errno));
	close(r);
}

/*
 * The held message went with its association: once the original socket's own
 * partial delivery ends, nothing of the peeled association is left in its
 * lobby to be delivered there.
 */
static void peel_other_leaves_nothing_behind(struct pst_ctx *ctx)
{
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	static unsigned char big[PD_MSG_LEN], got[PD_MSG_LEN];
	char buf[sizeof(HELD_MSG) * 2];
	ssize_t n;
	int shown, r = pd_peel(ctx, big, PD_PEEL_OTHER);

	if (recv_whole(fx->sut, got, PD_MSG_LEN) != PD_MSG_LEN)
		pst_broken("the large message did not complete on the original socket: %s",
			   pst_errname(errno));
	/*
	 * Looked at once, not waited for: the kernel queues the last piece and
	 * splices the lobby onto the receive queue in the same step, before that
	 * piece can be read (sctp_ulpq_tail_event -> sctp_ulpq_clear_pd).
	 */
	errno = 0;
	n = pst_recv_data(fx->sut, buf, sizeof(buf), 0);
	shown = n > 0 ? (int)n : 0;
	PST_EXPECT(n < 0,
		   "the original socket after its partial delivery ended: expected no message of "
		   "the peeled association left behind, got %zd bytes ('%.*s')",
		   n, shown, buf);
	close(r);
}

static const struct pd_row pd_in_pd = { .which = PD_PEEL_IN_PD };
static const struct pd_row pd_other = { .which = PD_PEEL_OTHER };

#define ALLOC_TAGS "linux-next:FD_PREPARE"

static const struct pst_case cases[] = {
	{ .name = "peeloff_alloc_failure_before_move_gives_error_keeps_assoc",
	  .fn = alloc_failure_sweep,
	  .fixture = &sweep_fixture,
	  .axes = PST_AXIS_FAMILY,
	  .needs = PST_NEED_FAULT_INJECTION,
	  .reqs = "IMPL-LNX-ALLOC-BEFORE-MOVE",
	  .globals = PST_FAILSLAB_GLOBALS,
	  .param = &before_move },
	{ .name = "peeloff_alloc_failure_in_auth_copy_gives_error_keeps_assoc",
	  .fn = alloc_failure_sweep,
	  .fixture = &sweep_fixture,
	  .needs = PST_NEED_FAULT_INJECTION,
	  .reqs = "IMPL-LNX-ALLOC-BEFORE-MOVE IMPL-LNX-MIGRATE-AUTH",
	  .globals = PST_FAILSLAB_GLOBALS,
	  .param = &before_move_auth },
	{ .name = "peeloff_alloc_failure_after_move_gives_ENOMEM_shuts_assoc_down",
	  .fn = alloc_failure_sweep,
	  .fixture = &sweep_fixture,
	  .axes = PST_AXIS_FAMILY,
	  .needs = PST_NEED_FAULT_INJECTION,
	  .reqs = "IMPL-LNX-ALLOC-AFTER-MOVE",
	  .globals = PST_FAILSLAB_GLOBALS,
	  .tags = ALLOC_TAGS,
	  .param = &after_move },
	{ .name = "peeloff_file_max_reached_gives_ENFILE_shuts_assoc_down",
	  .fn = file_max_gives_enfile,
	  .fixture = &pst_fx_assoc2,
	  .reqs = "IMPL-LNX-ENFILE",
	  .globals = (const char *const[]){ FILE_MAX_KNOB, NULL },
	  .tags = ALLOC_TAGS },
	{ .name = "peeloff_keeps_auth_after_auth_enable_cleared",
	  .fn = auth_survives_auth_disable,
	  .fixture = &auth_fixture,
	  .reqs = "IMPL-LNX-MIGRATE-AUTH" },
	{ .name = "peeloff_of_assoc_in_partial_delivery_releases_lobby",
	  .fn = peel_during_partial_delivery,
	  .fixture = &pst_fx_assoc2,
	  .reqs = "IMPL-LNX-MIGRATE-PD",
	  .param = &pd_in_pd },
	{ .name = "peeloff_during_other_assocs_partial_delivery_takes_its_held_message",
	  .fn = peel_during_partial_delivery,
	  .fixture = &pst_fx_assoc2,
	  .reqs = "IMPL-LNX-MIGRATE-PD",
	  .param = &pd_other },
	{ .name = "peeloff_of_assoc_in_partial_delivery_lets_later_messages_through",
	  .fn = peel_in_pd_lets_later_messages_through,
	  .fixture = &pst_fx_assoc2,
	  .reqs = "IMPL-LNX-MIGRATE-PD" },
	{ .name = "peeloff_during_other_assocs_partial_delivery_leaves_nothing_of_it_behind",
	  .fn = peel_other_leaves_nothing_behind,
	  .fixture = &pst_fx_assoc2,
	  .reqs = "IMPL-LNX-MIGRATE-PD" },
};

PST_SUITE(pst_suite_alloc_failure, "peeloff_alloc_failure",
	  "allocation failures (fault injection), ENFILE, AUTH and partial delivery in the "
	  "migration: Linux implementation",
	  cases);
