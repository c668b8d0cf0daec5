/*
 * Socket options the one-to-many socket had before the peel, on the new
 * socket afterwards: the options peeloff_migration's table does not cover.
 * Each is set on the one-to-many socket before its associations exist (so it
 * surely applies to them; SCTP_PRIMARY_ADDR, which only an association has,
 * is set on the association before the peel), then the first association is
 * peeled off and the new socket must report what Linux 6.1 gave it: the
 * original's value for the SCTP options, the timeouts and the bound device
 * (REF-MIGRATE-SCTP-OPTIONS), a new socket's value for SO_MARK, SO_PRIORITY
 * and IP_TOS / IPV6_TCLASS (REF-MIGRATE-IP-OPTIONS). Where an option acts on
 * the wire or on received data the case shows it acting on the new socket:
 * the stream and PPID the peer receives, the context and association id in
 * the new socket's SCTP_RCVINFO, partial delivery, the source address the
 * peer sees, a receive timing out, the DSCP of the new socket's packets as
 * a raw socket at the peer sees them. The original socket keeps its own
 * setting and its other association keeps carrying data (a safety check).
 */
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "../fixtures/addr.h"
#include "../fixtures/assoc.h"
#include "../fixtures/io.h"
#include "../fixtures/netns_sysctl.h"
#include "suites.h"

#define ASSOCS	     2	 /* the first is peeled, the second stays on the original */
#define OPT_MAX	     256 /* every option value of this suite is shorter */
#define TEXT_MAX     256 /* an option's value in words */
#define MAX_FIELDS   3	 /* fields of one option a case compares */
#define MSG_MAX	     256 /* every short message of this suite is shorter */
#define SOME_WAIT_MS 10	 /* between two looks at a path state about to change */

/* ---- What a row is ---- */

enum field_kind {
	F_UINT, /* an unsigned integer of 1, 2, 4 or 8 bytes */
	F_HEX,	/* the same, an opaque value: in hexadecimal in messages */
	F_STR,	/* a NUL-terminated name */
	F_ADDR, /* a struct sockaddr_storage */
};

struct field {
	const char *name; /* NULL ends the list */
	size_t off, size;
	enum field_kind kind;
	unsigned mask; /* F_UINT: the bits that hold the value (0: all of them) */
};

/* When the case gives the option its value. */
enum set_when {
	SET_BEFORE_ASSOCS, /* on the one-to-many socket before it listens */
	SET_ON_ASSOC,	   /* on the association to be peeled, just before the peel */
};

struct optval {
	unsigned char b[OPT_MAX];
	socklen_t len;
};

struct opt_row {
	const char *name; /* "SCTP_ASSOCINFO" */
	int level, opt;
	int level6, opt6; /* on an AF_INET6 socket, when not 0: IPV6_TCLASS for IP_TOS */
	const void *val;  /* what to set, or NULL: fill() builds it */
	socklen_t len;
	void (*fill)(const struct pst_ctx *ctx, unsigned char *buf, socklen_t *len);
	bool has_id; /* an sctp_assoc_t at id_off selects the association */
	size_t id_off;
	struct field fields[MAX_FIELDS];
	bool inherited; /* what Linux 6.1 does */
	enum set_when when;
	bool multihomed; /* peers bound to both client addresses, paths confirmed promptly */
	/* Shows the option acting on the new socket p (NULL: it acts on nothing a case sees). */
	void (*acts)(struct pst_ctx *ctx, int p);
};

/* The fixture: the associations, and what the option read before the case set it. */
struct mo_fx {
	struct pst_assoc_fx a; /* first: pst_assoc() reads it */
	struct optval before;
};

static struct mo_fx *mo(const struct pst_ctx *ctx)
{
	return (struct mo_fx *)ctx->fx;
}

static void row_opt(const struct opt_row *row, int family, int *level, int *opt)
{
	bool v6 = family == AF_INET6 && row->opt6;

	*level = v6 ? row->level6 : row->level;
	*opt = v6 ? row->opt6 : row->opt;
}

/* Read the row's option on fd, asked with id when it has one. */
static int get_opt(int fd, const struct opt_row *row, int family, sctp_assoc_t id,
		   struct optval *out)
{
	int level, opt;

	row_opt(row, family, &level, &opt);
	memset(out, 0, sizeof(*out));
	if (row->has_id)
		memcpy(out->b + row->id_off, &id, sizeof(id));
	out->len = row->len;
	return getsockopt(fd, level, opt, out->b, &out->len);
}

static unsigned long long uint_of(const struct field *f, const struct optval *v)
{
	uint64_t u64 = 0;
	uint32_t u32 = 0;
	uint16_t u16 = 0;
	uint8_t u8 = 0;
	unsigned long long x;

	switch (f->size) {
	case sizeof(u8):
		memcpy(&u8, v->b + f->off, sizeof(u8));
		x = u8;
		break;
	case sizeof(u16):
		memcpy(&u16, v->b + f->off, sizeof(u16));
		x = u16;
		break;
	case sizeof(u32):
		memcpy(&u32, v->b + f->off, sizeof(u32));
		x = u32;
		break;
	default:
		memcpy(&u64, v->b + f->off, sizeof(u64));
		x = u64;
		break;
	}
	return f->mask ? x & f->mask : x;
}

static bool same_field(const struct field *f, const struct optval *a, const struct optval *b)
{
	switch (f->kind) {
	case F_STR:
		return strncmp((const char *)a->b + f->off, (const char *)b->b + f->off, f->size) ==
		       0;
	case F_ADDR: {
		struct sockaddr_storage x, y;

		memcpy(&x, a->b + f->off, sizeof(x));
		memcpy(&y, b->b + f->off, sizeof(y));
		return pst_same_addr(&x, &y);
	}
	default:
		return uint_of(f, a) == uint_of(f, b);
	}
}

static bool same(const struct opt_row *row, const struct optval *a, const struct optval *b)
{
	for (const struct field *f = row->fields; f < row->fields + MAX_FIELDS && f->name; f++)
		if (!same_field(f, a, b))
			return false;
	return true;
}

/* The value's fields in words, "sasoc_asocmaxrxt 7, sasoc_cookie_life 30000". */
static const char *text(const struct opt_row *row, const struct optval *v)
{
	static char s[4][TEXT_MAX];
	static int which;
	char *out = s[which++ % 4];
	size_t n = 0;

	out[0] = '\0';
	for (const struct field *f = row->fields; f < row->fields + MAX_FIELDS && f->name; f++) {
		const char *sep = f == row->fields ? "" : ", ";

		if (n >= TEXT_MAX)
			break;
		if (f->kind == F_STR) {
			n += (size_t)snprintf(out + n, TEXT_MAX - n, "%s%s \"%.*s\"", sep, f->name,
					      (int)f->size, (const char *)v->b + f->off);
		} else if (f->kind == F_ADDR) {
			struct sockaddr_storage ss;

			memcpy(&ss, v->b + f->off, sizeof(ss));
			n += (size_t)snprintf(out + n, TEXT_MAX - n, "%s%s %s", sep, f->name,
					      pst_addr_text(&ss).s);
		} else if (f->mask || f->kind == F_HEX) {
			n += (size_t)snprintf(out + n, TEXT_MAX - n, "%s%s 0x%llx", sep, f->name,
					      uint_of(f, v));
		} else {
			n += (size_t)snprintf(out + n, TEXT_MAX - n, "%s%s %llu", sep, f->name,
					      uint_of(f, v));
		}
	}
	return out;
}

/* ---- The fixture: the option set, then the associations ---- */

/* Read what the option is, then give it the row's value (BROKEN if either fails). */
static void set_option(const struct pst_ctx *ctx, int fd, sctp_assoc_t id)
{
	const struct opt_row *row = ctx->param;
	unsigned char v[OPT_MAX] = { 0 };
	socklen_t len = row->len;
	int level, opt;

	if (row->fill)
		row->fill(ctx, v, &len);
	else
		memcpy(v, row->val, row->len);
	if (row->has_id)
		memcpy(v + row->id_off, &id, sizeof(id));
	if (get_opt(fd, row, ctx->family, id, &mo(ctx)->before) < 0)
		pst_broken("getsockopt(%s) on the one-to-many socket before setting it: %s",
			   row->name, pst_errname(errno));
	row_opt(row, ctx->family, &level, &opt);
	if (setsockopt(fd, level, opt, v, len) < 0)
		pst_broken("setsockopt(%s) on the one-to-many socket: %s", row->name,
			   pst_errname(errno));
}

static void prepare_sut(struct pst_ctx *ctx, int sut)
{
	set_option(ctx, sut, SCTP_FUTURE_ASSOC);
}

/*
 * A peer address is usable as the primary path once a heartbeat confirmed it:
 * with RTO.Initial at 100 ms (RTO.Min below it) the second path is probed at
 * once, not after the default 3 s.
 */
#define PROMPT_RTO_MIN_MS     50
#define PROMPT_RTO_INITIAL_MS 100

static void setup(struct pst_ctx *ctx)
{
	static const struct pst_sctp_timers prompt = { .rto_min = PROMPT_RTO_MIN_MS,
						       .rto_initial = PROMPT_RTO_INITIAL_MS };
	const struct opt_row *row = ctx->param;
	struct pst_assoc_opts o = {
		.prepare_sut = row->when == SET_BEFORE_ASSOCS ? prepare_sut : NULL,
		.peers_multihomed = row->multihomed,
	};

	if (row->multihomed)
		pst_sctp_timers_set(ctx, &prompt);
	pst_assoc_setup_with(ctx, ASSOCS, &o);
}

static const struct pst_fixture fx_option_set = { "assoc2-option-set-first", sizeof(struct mo_fx),
						  setup, pst_assoc_teardown };

/* ---- Receiving, for the rows that act on received data ---- */

/* What one received message carried. */
struct got {
	ssize_t n; /* its length, or -1 (errno in err) */
	int err, flags;
	bool has_rcvinfo;
	struct sctp_rcvinfo rcvinfo;
	struct sockaddr_storage from;
};

/* The next data message on fd within the timeout, notifications skipped. */
static struct got recv_data(int fd, void *buf, size_t len)
{
	struct got g = { .n = -1 };

	for (;;) {
		char cbuf[CMSG_SPACE(sizeof(struct sctp_rcvinfo))];
		struct iovec iov = { .iov_base = buf, .iov_len = len };
		struct msghdr m = { .msg_name = &g.from,
				    .msg_namelen = sizeof(g.from),
				    .msg_iov = &iov,
				    .msg_iovlen = 1,
				    .msg_control = cbuf,
				    .msg_controllen = sizeof(cbuf) };
		struct pollfd pf = { .fd = fd, .events = POLLIN };
		int r = poll(&pf, 1, PST_IO_TIMEOUT_MS);

		if (r <= 0) {
			g.err = r == 0 ? ETIMEDOUT : errno;
			return g;
		}
		memset(&g.from, 0, sizeof(g.from));
		g.n = recvmsg(fd, &m, MSG_DONTWAIT);
		if (g.n < 0) {
			g.err = errno;
			return g;
		}
		g.flags = m.msg_flags;
		if (g.flags & MSG_NOTIFICATION)
			continue;
		g.has_rcvinfo = false;
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
			if (c->cmsg_level == IPPROTO_SCTP && c->cmsg_type == SCTP_RCVINFO) {
				memcpy(&g.rcvinfo, CMSG_DATA(c), sizeof(g.rcvinfo));
				g.has_rcvinfo = true;
			}
		return g;
	}
}

static void set_int(int fd, int level, int opt, int v)
{
	PST_SAFE(setsockopt(fd, level, opt, &v, sizeof(v)));
}

/* peer sends msg; fd receives it (a failure of the check if not): what came. */
static struct got expect_message(int from, int fd, const char *msg, const char *where)
{
	char buf[MSG_MAX];
	size_t len = strlen(msg);
	struct got g;

	PST_SAFE(pst_send(from, 0, msg, len));
	g = recv_data(fd, buf, sizeof(buf));
	if (g.n < 0)
		pst_fail_at(__FILE__, __LINE__, false, "%s: expected the message '%s', got %s",
			    where, msg, pst_errname(g.err));
	else if (g.n != (ssize_t)len || memcmp(buf, msg, len) != 0)
		pst_fail_at(__FILE__, __LINE__, false,
			    "%s: expected the message '%s', got %zd other bytes", where, msg, g.n);
	return g;
}

/* ---- The options and how each acts ---- */

#define FIELD(type, member)                                                             \
	{                                                                               \
#member, offsetof(type, member), sizeof(((type *)0)->member), F_UINT, 0 \
	}
#define HEX_FIELD(type, member)                                                        \
	{                                                                              \
#member, offsetof(type, member), sizeof(((type *)0)->member), F_HEX, 0 \
	}
#define ID_AT(type, member) .has_id = true, .id_off = offsetof(type, member)

/*
 * The values: none is what Linux 6.1 gives a new socket (asocmaxrxt 10,
 * cookie life 60000 ms, stream 0, PPID 0, context 0, SACK delay 200 ms and
 * frequency 2, max burst 4, partial delivery point 0, fragment interleave 0,
 * mapped v4 addresses 1, adaptation indication 0, rcvinfo off, no timeouts,
 * mark 0, priority 0, TOS / traffic class 0, no device).
 */
static const struct sctp_assocparams associnfo = { .sasoc_assoc_id = SCTP_FUTURE_ASSOC,
						   .sasoc_asocmaxrxt = 7,
						   .sasoc_cookie_life = 30000 };
static const struct sctp_sndinfo sndinfo = { .snd_sid = 3,
					     .snd_ppid = 0x51525354,
					     .snd_context = 0x61626364,
					     .snd_assoc_id = SCTP_FUTURE_ASSOC };
static const struct sctp_sndrcvinfo send_param = { .sinfo_stream = 4,
						   .sinfo_ppid = 0x71727374,
						   .sinfo_context = 0x41424344,
						   .sinfo_assoc_id = SCTP_FUTURE_ASSOC };
static const struct sctp_assoc_value context = { .assoc_id = SCTP_FUTURE_ASSOC,
						 .assoc_value = 0x0c0ffee0 };
static const struct sctp_sack_info delayed_sack = { .sack_assoc_id = SCTP_FUTURE_ASSOC,
						    .sack_delay = 150,
						    .sack_freq = 3 };
static const struct sctp_assoc_value max_burst = { .assoc_id = SCTP_FUTURE_ASSOC,
						   .assoc_value = 7 };
/* Below one fragment of a message larger than the path MTU (1500 on the veths). */
static const uint32_t pd_point = 1000;
static const int on = 1;
static const int zero = 0;
static const struct sctp_setadaptation adaptation = { .ssb_adaptation_ind = 0x0a0b0c0d };
/* Short, since the case waits for it once. */
#define RCVTIMEO_US 100000
#define US_PER_MS   1000
#define US_PER_S    1000000
#define NS_PER_US   1000
/*
 * How much sooner than asked a timeout may end: the kernel rounds
 * SO_RCVTIMEO up to whole jiffies (sock_set_timeout), but the first one may
 * be partly gone when schedule_timeout() starts: one jiffy at HZ 100, the
 * coarsest of the kernels measured (UML).
 */
#define JIFFY_US_MAX 10000
static const struct timeval rcvtimeo = { .tv_usec = RCVTIMEO_US };
static const struct timeval sndtimeo = { .tv_sec = 2, .tv_usec = 500000 };
static const int mark = 7;
static const int priority = 5;	   /* 0 to 6 need no CAP_NET_ADMIN */
static const int dscp_af11 = 0x28; /* DSCP 10 (AF11) in the TOS / traffic class byte */

/* The stream and PPID of a message the new socket sent without send information. */
static void peer_sees_defaults(struct pst_ctx *ctx, int p, unsigned sid, uint32_t ppid)
{
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	struct got g;

	set_int(fx->peer[0], IPPROTO_SCTP, SCTP_RECVRCVINFO, on);
	g = expect_message(p, fx->peer[0], "with the defaults",
			   "the peer, a message sent on the new socket without send information");
	if (g.n < 0)
		return;
	if (!g.has_rcvinfo)
		pst_broken("the peer asked for SCTP_RCVINFO and got none");
	PST_EXPECT(g.rcvinfo.rcv_sid == sid && g.rcvinfo.rcv_ppid == ppid,
		   "the peer, a message sent on the new socket without send information: expected "
		   "stream %u and PPID 0x%08x (the inherited defaults), got stream %u and PPID "
		   "0x%08x",
		   sid, (unsigned)ppid, g.rcvinfo.rcv_sid, (unsigned)g.rcvinfo.rcv_ppid);
}

static void acts_sndinfo(struct pst_ctx *ctx, int p)
{
	peer_sees_defaults(ctx, p, sndinfo.snd_sid, sndinfo.snd_ppid);
}

static void acts_send_param(struct pst_ctx *ctx, int p)
{
	peer_sees_defaults(ctx, p, send_param.sinfo_stream, send_param.sinfo_ppid);
}

/* The SCTP_RCVINFO of a message the peer sends to the new socket. */
static struct got rcvinfo_on_new_socket(struct pst_ctx *ctx, int p)
{
	struct got g = expect_message(pst_assoc(ctx)->peer[0], p, "to the new socket",
				      "the new socket, a message from its peer");

	if (g.n >= 0 && !g.has_rcvinfo)
		pst_fail_at(__FILE__, __LINE__, false,
			    "the new socket, a message from its peer: expected an SCTP_RCVINFO "
			    "with it (SCTP_RECVRCVINFO is on), got none");
	return g;
}

static void acts_context(struct pst_ctx *ctx, int p)
{
	struct got g;

	set_int(p, IPPROTO_SCTP, SCTP_RECVRCVINFO, on);
	g = rcvinfo_on_new_socket(ctx, p);
	if (g.n >= 0 && g.has_rcvinfo)
		PST_EXPECT(g.rcvinfo.rcv_context == context.assoc_value,
			   "the new socket's SCTP_RCVINFO: expected rcv_context 0x%08x (the "
			   "inherited SCTP_CONTEXT), got 0x%08x",
			   (unsigned)context.assoc_value, (unsigned)g.rcvinfo.rcv_context);
}

static void acts_rcvinfo(struct pst_ctx *ctx, int p)
{
	sctp_assoc_t peeled = pst_assoc(ctx)->id[0];
	struct sctp_status st = { .sstat_assoc_id = 0 };
	socklen_t len = sizeof(st);
	struct got g = rcvinfo_on_new_socket(ctx, p);

	PST_SAFE(getsockopt(p, IPPROTO_SCTP, SCTP_STATUS, &st, &len));
	if (g.n >= 0 && g.has_rcvinfo)
		PST_EXPECT(g.rcvinfo.rcv_assoc_id == peeled && st.sstat_assoc_id == peeled,
			   "the new socket's SCTP_RCVINFO: expected rcv_assoc_id %d, the peeled "
			   "association's (and SCTP_STATUS's), got %d (SCTP_STATUS says %d)",
			   (int)peeled, (int)g.rcvinfo.rcv_assoc_id, (int)st.sstat_assoc_id);
}

/* Larger than the path MTU: it travels as several DATA fragments. */
#define PD_MSG_LEN 4000

static void acts_pd_point(struct pst_ctx *ctx, int p)
{
	static char msg[PD_MSG_LEN], got[PD_MSG_LEN + 1];
	struct got g;
	size_t total = 0;
	int parts = 0;

	for (size_t i = 0; i < sizeof(msg); i++)
		msg[i] = (char)('a' + i % ('z' - 'a' + 1));
	PST_SAFE(pst_send(pst_assoc(ctx)->peer[0], 0, msg, sizeof(msg)));
	g = recv_data(p, got, sizeof(got));
	if (g.n < 0) {
		pst_fail_at(__FILE__, __LINE__, false,
			    "the new socket, a %d-byte message from its peer: expected its first "
			    "part, got %s",
			    PD_MSG_LEN, pst_errname(g.err));
		return;
	}
	PST_EXPECT(
	    g.n < PD_MSG_LEN && !(g.flags & MSG_EOR),
	    "the new socket, the first read of a %d-byte message in fragments: expected a "
	    "part of it without MSG_EOR (partial delivery from %u bytes on), got %zd bytes%s",
	    PD_MSG_LEN, (unsigned)pd_point, g.n, (g.flags & MSG_EOR) ? " with MSG_EOR" : "");

	pst_check(ctx, "message_intact");
	for (;;) {
		parts++;
		if (total + (size_t)g.n > sizeof(msg) || memcmp(got, msg + total, (size_t)g.n)) {
			pst_fail_at(
			    __FILE__, __LINE__, false,
			    "the new socket, part %d of a %d-byte message: expected bytes %zu "
			    "to %zu of it, got %zd other bytes",
			    parts, PD_MSG_LEN, total, total + (size_t)g.n, g.n);
			return;
		}
		total += (size_t)g.n;
		if (g.flags & MSG_EOR)
			break;
		g = recv_data(p, got, sizeof(got));
		if (g.n < 0)
			break;
	}
	PST_EXPECT(total == sizeof(msg) && (g.flags & MSG_EOR),
		   "the new socket, a %d-byte message read in %d parts: expected all of it once, "
		   "ending with MSG_EOR, got %zu bytes%s",
		   PD_MSG_LEN, parts, total, g.n < 0 ? " and then nothing" : "");
}

/* The address fill() gives SCTP_PRIMARY_ADDR: the peer's second path. */
#define PRIMARY_PATH 1

static void fill_primary(const struct pst_ctx *ctx, unsigned char *buf, socklen_t *len)
{
	struct sctp_prim prim = { .ssp_assoc_id = 0 };
	struct sockaddr_storage ss;
	unsigned port = pst_local_port(pst_assoc(ctx)->peer[0]);

	pst_addr(PST_CLIENT, ctx->family, PRIMARY_PATH, port, &ss);
	memcpy(&prim.ssp_addr, &ss, sizeof(ss));
	memcpy(buf, &prim, sizeof(prim));
	*len = sizeof(prim);
}

/* The peer address of path PRIMARY_PATH is confirmed and active (BROKEN if it never is). */
static void wait_primary_path_active(const struct pst_ctx *ctx)
{
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	struct sctp_paddrinfo pi = { .spinfo_assoc_id = fx->id[0] };
	struct sockaddr_storage ss;
	int state = -1;

	pst_addr(PST_CLIENT, ctx->family, PRIMARY_PATH, pst_local_port(fx->peer[0]), &ss);
	for (int waited = 0; waited < PST_SETUP_TIMEOUT_MS; waited += SOME_WAIT_MS) {
		socklen_t len = sizeof(pi);

		memcpy(&pi.spinfo_address, &ss, sizeof(ss));
		pi.spinfo_assoc_id = fx->id[0];
		if (getsockopt(fx->sut, IPPROTO_SCTP, SCTP_GET_PEER_ADDR_INFO, &pi, &len) < 0)
			pst_broken("SCTP_GET_PEER_ADDR_INFO of %s: %s", pst_addr_text(&ss).s,
				   pst_errname(errno));
		state = pi.spinfo_state;
		if (state == SCTP_ACTIVE)
			return;
		usleep(SOME_WAIT_MS * US_PER_MS);
	}
	pst_broken("the peer's address %s never became active (state %d): it cannot be made "
		   "the primary path",
		   pst_addr_text(&ss).s, state);
}

static void acts_primary(struct pst_ctx *ctx, int p)
{
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	struct sockaddr_storage want, other;
	struct got g = expect_message(p, fx->peer[0], "over the primary path",
				      "the peer, a message sent on the new socket");

	pst_addr(PST_SERVER, ctx->family, PRIMARY_PATH, PST_SERVER_PORT, &want);
	pst_addr(PST_SERVER, ctx->family, 1 - PRIMARY_PATH, PST_SERVER_PORT, &other);
	if (g.n >= 0)
		PST_EXPECT(pst_same_addr(&g.from, &want),
			   "the peer, a message sent on the new socket: expected it from %s (over "
			   "the inherited primary path), got it from %s%s",
			   pst_addr_text(&want).s, pst_addr_text(&g.from).s,
			   pst_same_addr(&g.from, &other) ? " (the other path)" : "");
}

/* How long a recv() may block before the case gives up on its timeout: ten times it. */
#define RCVTIMEO_GUARD_US (10 * RCVTIMEO_US)

/* CLOCK_MONOTONIC in microseconds. */
static long long now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * US_PER_S + t.tv_nsec / NS_PER_US;
}

static void on_guard(int sig)
{
	(void)sig; /* only interrupts the recv() */
}

static void acts_rcvtimeo(struct pst_ctx *ctx, int p)
{
	struct sigaction sa = { .sa_handler = on_guard }, old;
	struct itimerval guard = { .it_value = { .tv_sec = RCVTIMEO_GUARD_US / US_PER_S,
						 .tv_usec = RCVTIMEO_GUARD_US % US_PER_S } };
	struct itimerval none = { 0 };
	char buf[MSG_MAX];
	long long start, waited;
	ssize_t n;
	int err;

	(void)ctx;
	/* No SA_RESTART: a recv() that does not time out ends in EINTR, not in a hung case. */
	PST_SAFE(sigaction(SIGALRM, &sa, &old));
	PST_SAFE(setitimer(ITIMER_REAL, &guard, NULL));
	start = now_us();
	errno = 0;
	n = recv(p, buf, sizeof(buf), 0);
	err = errno;
	waited = now_us() - start;
	setitimer(ITIMER_REAL, &none, NULL);
	sigaction(SIGALRM, &old, NULL);
	pst_log("recv() on the new socket returned %s after %lld ms",
		n < 0 ? pst_errname(err) : "data", waited / US_PER_MS);
	/* At the inherited timeout: not before it (a shorter one), not never (none). */
	PST_EXPECT(
	    n < 0 && (err == EAGAIN || err == EWOULDBLOCK) && waited >= RCVTIMEO_US - JIFFY_US_MAX,
	    "recv() on the new socket with nothing to read: expected -1 EAGAIN after the "
	    "inherited %ld ms SO_RCVTIMEO (at least %ld ms: a jiffy at HZ 100 may be cut "
	    "short), got %s after %lld ms%s",
	    (long)(RCVTIMEO_US / US_PER_MS), (long)((RCVTIMEO_US - JIFFY_US_MAX) / US_PER_MS),
	    n < 0 ? pst_errname(err) : "a message", waited / US_PER_MS,
	    n < 0 && err == EINTR ? " (still blocked when the case's guard ran out)" : "");
}

/* The interface that holds the server's path-0 address (the thread is in the server netns). */
static void fill_path0_device(const struct pst_ctx *ctx, unsigned char *buf, socklen_t *len)
{
	struct sockaddr_storage want;
	struct ifaddrs *all;
	bool found = false;

	pst_addr(PST_SERVER, ctx->family, 0, 0, &want);
	PST_SAFE(getifaddrs(&all));
	memset(buf, 0, IFNAMSIZ);
	for (struct ifaddrs *i = all; i && !found; i = i->ifa_next) {
		struct sockaddr_storage ss = { 0 };

		if (!i->ifa_addr || i->ifa_addr->sa_family != ctx->family)
			continue;
		memcpy(&ss, i->ifa_addr, pst_salen(ctx->family));
		found = pst_same_addr(&ss, &want);
		if (found)
			snprintf((char *)buf, IFNAMSIZ, "%s", i->ifa_name);
	}
	freeifaddrs(all);
	if (!found)
		pst_broken("no interface of the server holds %s", pst_addr_text(&want).s);
	*len = (socklen_t)strlen((const char *)buf) + 1;
}

/* ---- The DSCP of the packets each socket sends, seen at the client ---- */

#define SCTP_COMMON_LEN 12 /* ports, verification tag, checksum */
#define CHUNK_HDR_LEN	4  /* type, flags, length */
#define DATA_HDR_LEN	16 /* the chunk header, TSN, stream, sequence, PPID */
#define CHUNK_DATA	0
#define CHUNK_ALIGN	4
#define IHL_UNIT	4    /* the IPv4 header length counts 32-bit words */
#define IHL_MASK	0x0f /* of the header's first byte */
#define PKT_MAX		2048

/* Does an SCTP packet (from its common header on) carry DATA whose payload is msg, to port? */
static bool carries(const unsigned char *s, size_t n, unsigned port, const char *msg)
{
	size_t len = strlen(msg);
	uint16_t dport;

	if (n < SCTP_COMMON_LEN)
		return false;
	memcpy(&dport, s + sizeof(uint16_t), sizeof(dport));
	if (ntohs(dport) != port)
		return false;
	for (size_t off = SCTP_COMMON_LEN; off + CHUNK_HDR_LEN <= n;) {
		uint16_t clen;

		memcpy(&clen, s + off + sizeof(uint16_t), sizeof(clen));
		clen = ntohs(clen);
		if (clen < CHUNK_HDR_LEN || off + clen > n)
			return false;
		if (s[off] == CHUNK_DATA && clen == DATA_HDR_LEN + len &&
		    memcmp(s + off + DATA_HDR_LEN, msg, len) == 0)
			return true;
		off += (clen + CHUNK_ALIGN - 1) / CHUNK_ALIGN * CHUNK_ALIGN;
	}
	return false;
}

/* One packet of the raw socket: its SCTP part, and the TOS or traffic class it came with. */
static ssize_t raw_packet(int raw, int family, unsigned char *pkt, const unsigned char **sctp,
			  int *tos)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = pkt, .iov_len = PKT_MAX };
	struct msghdr m = { .msg_iov = &iov,
			    .msg_iovlen = 1,
			    .msg_control = cbuf,
			    .msg_controllen = sizeof(cbuf) };
	ssize_t n = recvmsg(raw, &m, MSG_DONTWAIT);
	size_t hdr = 0;

	if (n < 0)
		return n;
	*tos = -1;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
		if (family == AF_INET && c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TOS)
			*tos = *(unsigned char *)CMSG_DATA(c);
		if (family == AF_INET6 && c->cmsg_level == IPPROTO_IPV6 &&
		    c->cmsg_type == IPV6_TCLASS)
			memcpy(tos, CMSG_DATA(c), sizeof(*tos));
	}
	/* An IPv4 raw socket gets the IP header too, an IPv6 one does not. */
	if (family == AF_INET) {
		hdr = n > 0 ? (size_t)(pkt[0] & IHL_MASK) * IHL_UNIT : SIZE_MAX;
		if (hdr > (size_t)n)
			return -1;
	}
	*sctp = pkt + hdr;
	return n - (ssize_t)hdr;
}

static void acts_tos(struct pst_ctx *ctx, int p)
{
	static const char to_peeled[] = "from the new socket";
	static const char to_original[] = "from the original socket";
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	unsigned char pkt[PKT_MAX];
	int seen_peeled = -1, seen_original = -1, raw;
	unsigned pport = pst_local_port(fx->peer[0]), oport = pst_local_port(fx->peer[1]);
	long long start;

	/* Every SCTP packet that reaches the client netns, with its TOS / traffic class. */
	PST_SAFE(pst_topo_enter(ctx->topo, PST_CLIENT));
	raw = (int)PST_SAFE(socket(ctx->family, SOCK_RAW, IPPROTO_SCTP));
	PST_SAFE(pst_topo_enter(ctx->topo, PST_SERVER));
	if (ctx->family == AF_INET)
		set_int(raw, IPPROTO_IP, IP_RECVTOS, on);
	else
		set_int(raw, IPPROTO_IPV6, IPV6_RECVTCLASS, on);

	PST_SAFE(pst_send(p, 0, to_peeled, strlen(to_peeled)));
	PST_SAFE(pst_send(fx->sut, fx->id[1], to_original, strlen(to_original)));
	start = now_us();
	for (;;) {
		struct pollfd pf = { .fd = raw, .events = POLLIN };
		const unsigned char *s = NULL;
		long ms;
		ssize_t n;
		int tos;

		ms = (long)((now_us() - start) / US_PER_MS);
		if ((seen_peeled >= 0 && seen_original >= 0) || ms >= PST_IO_TIMEOUT_MS ||
		    poll(&pf, 1, (int)(PST_IO_TIMEOUT_MS - ms)) <= 0)
			break;
		n = raw_packet(raw, ctx->family, pkt, &s, &tos);
		if (n < 0 || tos < 0)
			continue;
		if (carries(s, (size_t)n, pport, to_peeled))
			seen_peeled = tos & IPTOS_DSCP_MASK;
		if (carries(s, (size_t)n, oport, to_original))
			seen_original = tos & IPTOS_DSCP_MASK;
	}
	close(raw);
	/* Read by the peers, so that nothing of it is left for the exchange that follows. */
	{
		char buf[MSG_MAX];

		(void)recv_data(fx->peer[0], buf, sizeof(buf));
		(void)recv_data(fx->peer[1], buf, sizeof(buf));
	}
	pst_log("DSCP of the DATA the client received: 0x%02x from the original socket, 0x%02x "
		"from the new socket (-1: none seen)",
		seen_original, seen_peeled);
	if (seen_original < 0)
		pst_broken("the raw socket at the client saw no DATA from the original socket");
	/* The original's packets still carry what it was set (its getsockopt said so before). */
	pst_check(ctx, "original_undisturbed");
	PST_EXPECT(seen_original == dscp_af11,
		   "the DATA the original socket sent after the peel: expected DSCP 0x%02x as it "
		   "was set, got 0x%02x",
		   (unsigned)dscp_af11, (unsigned)seen_original);
	pst_check(ctx, "acts_on_new_socket");
	if (seen_peeled < 0)
		pst_fail_at(__FILE__, __LINE__, false,
			    "the raw socket at the client: expected the DATA the new socket sent, "
			    "saw none");
	else
		PST_EXPECT(seen_peeled == 0,
			   "the DATA the new socket sent: expected DSCP 0x00 (a new socket's, not "
			   "inherited), got 0x%02x (the original's is 0x%02x)",
			   (unsigned)seen_peeled, (unsigned)seen_original);
}

/* ---- The case ---- */

static void option_after_peel(struct pst_ctx *ctx)
{
	const struct opt_row *row = ctx->param;
	struct mo_fx *fx = mo(ctx);
	struct pst_assoc_fx *a = &fx->a;
	/* The primary path is the association's: what stays is the other association's. */
	sctp_assoc_t orig_id = row->when == SET_ON_ASSOC ? a->id[1] : SCTP_FUTURE_ASSOC;
	struct optval assoc0, orig_before, orig_after, peeled;
	const struct optval *want;
	int p;

	if (ctx->profile != PST_PROFILE_LINUX)
		pst_skip("only the linux profile documents this (%s)",
			 row->inherited ? "REF-MIGRATE-SCTP-OPTIONS" : "REF-MIGRATE-IP-OPTIONS");
	if (row->when == SET_ON_ASSOC) {
		wait_primary_path_active(ctx);
		set_option(ctx, a->sut, a->id[0]);
	}
	if (get_opt(a->sut, row, ctx->family, a->id[0], &assoc0) < 0)
		pst_broken("%s of the association to be peeled: %s", row->name, pst_errname(errno));
	/* Else the case could not tell an inherited value from a new socket's. */
	if (same(row, &assoc0, &fx->before))
		pst_broken("setting %s did not change what the association reports (%s)", row->name,
			   text(row, &assoc0));
	if (get_opt(a->sut, row, ctx->family, orig_id, &orig_before) < 0)
		pst_broken("%s of the original socket: %s", row->name, pst_errname(errno));

	p = (int)PST_ASSERT_OK(pst_peel(ctx, a->sut, a->id[0]));
	want = row->inherited ? &assoc0 : &fx->before;
	pst_check(ctx, row->inherited ? "value_inherited" : "value_not_inherited");
	if (get_opt(p, row, ctx->family, 0, &peeled) < 0) {
		pst_fail_at(__FILE__, __LINE__, false, "%s on the new socket: expected %s, got %s",
			    row->name, text(row, want), pst_errname(errno));
	} else {
		pst_log("%s: %s before the case set it, %s on the original before the peel, "
			"%s on the new socket",
			row->name, text(row, &fx->before), text(row, &assoc0), text(row, &peeled));
		PST_EXPECT(same(row, &peeled, want),
			   "%s on the new socket: expected %s (%s), got %s", row->name,
			   text(row, want),
			   row->inherited ? "the original's" : "a new socket's, not inherited",
			   text(row, &peeled));
	}
	/* Also where the value was not: a getter that lies shows here. */
	if (row->acts) {
		pst_check(ctx, "acts_on_new_socket");
		row->acts(ctx, p);
	}

	pst_check(ctx, "original_undisturbed");
	if (get_opt(a->sut, row, ctx->family, orig_id, &orig_after) < 0)
		pst_fail_at(__FILE__, __LINE__, false,
			    "%s of the original socket after the peel: expected %s, got %s",
			    row->name, text(row, &orig_before), pst_errname(errno));
	else
		PST_EXPECT(same(row, &orig_after, &orig_before),
			   "%s of the original socket after the peel: expected %s as before, got "
			   "%s",
			   row->name, text(row, &orig_before), text(row, &orig_after));
	pst_expect_exchange(a->sut, a->id[1], a->peer[1],
			    "the original socket's other association after the peel");
	pst_check(ctx, NULL);
	close(p);
}

/* ---- The table ---- */

#define ROW_INT(sym, lvl, o, v, inh)                                                              \
	static const struct opt_row sym = { .name = #o,                                           \
					    .level = (lvl),                                       \
					    .opt = (o),                                           \
					    .val = &(v),                                          \
					    .len = sizeof(int),                                   \
					    .fields = { { "value", 0, sizeof(int), F_UINT, 0 } }, \
					    .inherited = (inh) }

static const struct opt_row row_associnfo = {
	.name = "SCTP_ASSOCINFO",
	.level = IPPROTO_SCTP,
	.opt = SCTP_ASSOCINFO,
	.val = &associnfo,
	.len = sizeof(associnfo),
	ID_AT(struct sctp_assocparams, sasoc_assoc_id),
	.fields = { FIELD(struct sctp_assocparams, sasoc_asocmaxrxt),
		    FIELD(struct sctp_assocparams, sasoc_cookie_life) },
	.inherited = true,
};
static const struct opt_row row_sndinfo = {
	.name = "SCTP_DEFAULT_SNDINFO",
	.level = IPPROTO_SCTP,
	.opt = SCTP_DEFAULT_SNDINFO,
	.val = &sndinfo,
	.len = sizeof(sndinfo),
	ID_AT(struct sctp_sndinfo, snd_assoc_id),
	.fields = { FIELD(struct sctp_sndinfo, snd_sid), HEX_FIELD(struct sctp_sndinfo, snd_ppid),
		    HEX_FIELD(struct sctp_sndinfo, snd_context) },
	.inherited = true,
	.acts = acts_sndinfo,
};
static const struct opt_row row_send_param = {
	.name = "SCTP_DEFAULT_SEND_PARAM",
	.level = IPPROTO_SCTP,
	.opt = SCTP_DEFAULT_SEND_PARAM,
	.val = &send_param,
	.len = sizeof(send_param),
	ID_AT(struct sctp_sndrcvinfo, sinfo_assoc_id),
	.fields = { FIELD(struct sctp_sndrcvinfo, sinfo_stream),
		    HEX_FIELD(struct sctp_sndrcvinfo, sinfo_ppid),
		    HEX_FIELD(struct sctp_sndrcvinfo, sinfo_context) },
	.inherited = true,
	.acts = acts_send_param,
};
static const struct opt_row row_context = {
	.name = "SCTP_CONTEXT",
	.level = IPPROTO_SCTP,
	.opt = SCTP_CONTEXT,
	.val = &context,
	.len = sizeof(context),
	ID_AT(struct sctp_assoc_value, assoc_id),
	.fields = { HEX_FIELD(struct sctp_assoc_value, assoc_value) },
	.inherited = true,
	.acts = acts_context,
};
static const struct opt_row row_delayed_sack = {
	.name = "SCTP_DELAYED_SACK",
	.level = IPPROTO_SCTP,
	.opt = SCTP_DELAYED_SACK,
	.val = &delayed_sack,
	.len = sizeof(delayed_sack),
	ID_AT(struct sctp_sack_info, sack_assoc_id),
	.fields = { FIELD(struct sctp_sack_info, sack_delay),
		    FIELD(struct sctp_sack_info, sack_freq) },
	.inherited = true,
};
static const struct opt_row row_max_burst = {
	.name = "SCTP_MAX_BURST",
	.level = IPPROTO_SCTP,
	.opt = SCTP_MAX_BURST,
	.val = &max_burst,
	.len = sizeof(max_burst),
	ID_AT(struct sctp_assoc_value, assoc_id),
	.fields = { FIELD(struct sctp_assoc_value, assoc_value) },
	.inherited = true,
};
static const struct opt_row row_pd_point = {
	.name = "SCTP_PARTIAL_DELIVERY_POINT",
	.level = IPPROTO_SCTP,
	.opt = SCTP_PARTIAL_DELIVERY_POINT,
	.val = &pd_point,
	.len = sizeof(pd_point),
	.fields = { { "value", 0, sizeof(pd_point), F_UINT, 0 } },
	.inherited = true,
	.acts = acts_pd_point,
};
ROW_INT(row_frag_interleave, IPPROTO_SCTP, SCTP_FRAGMENT_INTERLEAVE, on, true);
ROW_INT(row_mapped_v4, IPPROTO_SCTP, SCTP_I_WANT_MAPPED_V4_ADDR, zero, true);
static const struct opt_row row_adaptation = {
	.name = "SCTP_ADAPTATION_LAYER",
	.level = IPPROTO_SCTP,
	.opt = SCTP_ADAPTATION_LAYER,
	.val = &adaptation,
	.len = sizeof(adaptation),
	.fields = { HEX_FIELD(struct sctp_setadaptation, ssb_adaptation_ind) },
	.inherited = true,
};
static const struct opt_row row_recvrcvinfo = {
	.name = "SCTP_RECVRCVINFO",
	.level = IPPROTO_SCTP,
	.opt = SCTP_RECVRCVINFO,
	.val = &on,
	.len = sizeof(on),
	.fields = { { "value", 0, sizeof(int), F_UINT, 0 } },
	.inherited = true,
	.acts = acts_rcvinfo,
};
static const struct opt_row row_primary = {
	.name = "SCTP_PRIMARY_ADDR",
	.level = IPPROTO_SCTP,
	.opt = SCTP_PRIMARY_ADDR,
	.len = sizeof(struct sctp_prim),
	.fill = fill_primary,
	ID_AT(struct sctp_prim, ssp_assoc_id),
	.fields = { { "ssp_addr", offsetof(struct sctp_prim, ssp_addr),
		      sizeof(struct sockaddr_storage), F_ADDR, 0 } },
	.inherited = true,
	.when = SET_ON_ASSOC,
	.multihomed = true,
	.acts = acts_primary,
};
static const struct opt_row row_rcvtimeo = {
	.name = "SO_RCVTIMEO",
	.level = SOL_SOCKET,
	.opt = SO_RCVTIMEO,
	.val = &rcvtimeo,
	.len = sizeof(rcvtimeo),
	.fields = { FIELD(struct timeval, tv_sec), FIELD(struct timeval, tv_usec) },
	.inherited = true,
	.acts = acts_rcvtimeo,
};
static const struct opt_row row_sndtimeo = {
	.name = "SO_SNDTIMEO",
	.level = SOL_SOCKET,
	.opt = SO_SNDTIMEO,
	.val = &sndtimeo,
	.len = sizeof(sndtimeo),
	.fields = { FIELD(struct timeval, tv_sec), FIELD(struct timeval, tv_usec) },
	.inherited = true,
};
ROW_INT(row_mark, SOL_SOCKET, SO_MARK, mark, false);
ROW_INT(row_priority, SOL_SOCKET, SO_PRIORITY, priority, false);
static const struct opt_row row_bindtodevice = {
	.name = "SO_BINDTODEVICE",
	.level = SOL_SOCKET,
	.opt = SO_BINDTODEVICE,
	.len = IFNAMSIZ,
	.fill = fill_path0_device,
	.fields = { { "device", 0, IFNAMSIZ, F_STR, 0 } },
	.inherited = true,
};
/* IP_TOS on an IPv4 socket, IPV6_TCLASS on an IPv6 one; the ECN bits are the kernel's. */
static const struct opt_row row_tos = {
	.name = "IP_TOS / IPV6_TCLASS",
	.level = IPPROTO_IP,
	.opt = IP_TOS,
	.level6 = IPPROTO_IPV6,
	.opt6 = IPV6_TCLASS,
	.val = &dscp_af11,
	.len = sizeof(dscp_af11),
	.fields = { { "DSCP", 0, sizeof(int), F_UINT, IPTOS_DSCP_MASK } },
	.inherited = false,
	.acts = acts_tos,
};

/* sctp_copy_descendant(), which copies the SCTP options, and its fixes. */
#define COPY_TAGS     "linux-git:636d25d557d1 linux-git:fe81d9f6182d"
#define SCTP_REF      "REF-MIGRATE-SCTP-OPTIONS"
#define IP_REF	      "REF-MIGRATE-IP-OPTIONS"
#define SAFE	      "safety:original_undisturbed"
#define INHERITS      "ref:value_inherited=" SCTP_REF " " SAFE
#define ACTS	      "ref:value_inherited=" SCTP_REF " ref:acts_on_new_socket=" SCTP_REF " " SAFE
#define NOT_INHERITED "ref:value_not_inherited=" IP_REF " " SAFE

#define CASE(cname, row, creqs, cchecks, ctags)                                                 \
	{                                                                                       \
		.name = (cname), .fn = option_after_peel, .fixture = &fx_option_set,            \
		.axes = PST_AXIS_FAMILY, .reqs = (creqs), .checks = (cchecks), .tags = (ctags), \
		.param = &(row)                                                                 \
	}
#define SCTP_OPT(cname, row, cchecks) \
	CASE(cname, row, "IMPL-LNX-MIGRATE-SCTP-OPTS", cchecks, COPY_TAGS)
#define SOCK_OPT(cname, row, cchecks) CASE(cname, row, "IMPL-LNX-MIGRATE-SCTP-OPTS", cchecks, NULL)
#define IP_OPT(cname, row, cchecks)   CASE(cname, row, "IMPL-LNX-MIGRATE-IP-OPTS", cchecks, NULL)

static const struct pst_case cases[] = {
	SCTP_OPT("peeloff_new_socket_inherits_associnfo", row_associnfo, INHERITS),
	SCTP_OPT("peeloff_new_socket_sends_with_inherited_default_sndinfo", row_sndinfo, ACTS),
	SCTP_OPT("peeloff_new_socket_sends_with_inherited_default_send_param", row_send_param,
		 ACTS),
	SCTP_OPT("peeloff_new_socket_reports_inherited_context_in_rcvinfo", row_context, ACTS),
	SCTP_OPT("peeloff_new_socket_inherits_delayed_sack", row_delayed_sack, INHERITS),
	SCTP_OPT("peeloff_new_socket_inherits_max_burst", row_max_burst, INHERITS),
	SCTP_OPT("peeloff_new_socket_delivers_partially_at_inherited_pd_point", row_pd_point,
		 ACTS " safety:message_intact"),
	SCTP_OPT("peeloff_new_socket_inherits_fragment_interleave", row_frag_interleave, INHERITS),
	SCTP_OPT("peeloff_new_socket_inherits_mapped_v4_addr", row_mapped_v4, INHERITS),
	SCTP_OPT("peeloff_new_socket_inherits_adaptation_layer", row_adaptation, INHERITS),
	SCTP_OPT("peeloff_new_socket_gets_rcvinfo_with_its_assoc_id", row_recvrcvinfo, ACTS),
	SOCK_OPT("peeloff_new_socket_sends_over_inherited_primary_addr", row_primary, ACTS),
	SOCK_OPT("peeloff_new_socket_times_out_recv_at_inherited_rcvtimeo", row_rcvtimeo, ACTS),
	SOCK_OPT("peeloff_new_socket_inherits_sndtimeo", row_sndtimeo, INHERITS),
	SOCK_OPT("peeloff_new_socket_inherits_bindtodevice", row_bindtodevice, INHERITS),
	IP_OPT("peeloff_new_socket_does_not_inherit_so_mark", row_mark, NOT_INHERITED),
	IP_OPT("peeloff_new_socket_does_not_inherit_so_priority", row_priority, NOT_INHERITED),
	IP_OPT("peeloff_new_socket_sends_without_original_tos", row_tos,
	       NOT_INHERITED " ref:acts_on_new_socket=" IP_REF),
};

PST_SUITE(pst_suite_migrate_options, "peeloff_migrate_options",
	  "Options set before the peel, on the new socket: Linux implementation", cases);
