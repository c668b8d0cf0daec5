/*
 * What moves with the association, and what close() of either socket does.
 * RFC 6458 3.1 ("completely separated from the original socket"; close() of
 * the original does not end branched-off associations) and 3.1.5 (close() of
 * a branched-off socket ends that association only); where the documents are
 * silent (queued data and notifications, inherited options), the Linux
 * implementation facts: REF-MIGRATE-QUEUE, REF-MIGRATE-OPTIONS, REF-CLOSE,
 * REF-ORIGINAL-UNREACHABLE and REF-REASSOCIATE in suites/requirements/REFERENCES.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../fixtures/assoc.h"
#include "../fixtures/assoc_states.h"
#include "../fixtures/io.h"
#include "../fixtures/netns_sysctl.h"
#include "suites.h"

#define MSG_MAX	     256 /* every message of this suite is shorter */
#define OPT_MAX	     256 /* every socket option value of this suite is shorter */
#define ID_TEXT_LEN  160 /* association ids as text, for messages */
#define SOME_WAIT_MS 10	 /* between two looks at a state that is about to change */

/* The address the sut knows a peer by: the client's path-0 address and the peer's port. */
static socklen_t peer_addr(const struct pst_ctx *ctx, int peer, struct sockaddr_storage *ss)
{
	return pst_addr(PST_CLIENT, ctx->family, 0, pst_local_port(peer), ss);
}

static const char *notif_name(const void *buf)
{
	switch (((const union sctp_notification *)buf)->sn_header.sn_type) {
	case SCTP_ASSOC_CHANGE:
		return "SCTP_ASSOC_CHANGE";
	case SCTP_PEER_ADDR_CHANGE:
		return "SCTP_PEER_ADDR_CHANGE";
	case SCTP_SHUTDOWN_EVENT:
		return "SCTP_SHUTDOWN_EVENT";
	case SCTP_SENDER_DRY_EVENT:
		return "SCTP_SENDER_DRY_EVENT";
	default:
		return "another notification";
	}
}

/* What a receive gave, for a failure message. */
static const char *describe(ssize_t n, const void *buf, int flags)
{
	static char s[MSG_MAX + 64];

	if (n < 0)
		snprintf(s, sizeof(s), "%s", pst_errname(errno));
	else if (flags & MSG_NOTIFICATION)
		snprintf(s, sizeof(s), "%s", notif_name(buf));
	else
		snprintf(s, sizeof(s), "%zd bytes of data '%.*s'", n, (int)n, (const char *)buf);
	return s;
}

/* Nothing at all is queued on fd now. */
static void expect_nothing_queued(int fd, const char *what)
{
	char buf[MSG_MAX];
	int flags = 0;
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n = recvmsg(fd, &m, MSG_DONTWAIT);

	flags = m.msg_flags;
	PST_EXPECT(n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK),
		   "%s: expected nothing queued (EAGAIN), got %s", what, describe(n, buf, flags));
}

/* The next message on fd is the data msg, whole (with MSG_EOR). */
static void expect_data(int fd, const char *msg, const char *what)
{
	char buf[MSG_MAX];
	int flags = 0;
	ssize_t n = pst_recv_msg(fd, buf, sizeof(buf), PST_IO_TIMEOUT_MS, &flags);
	size_t len = strlen(msg);

	PST_EXPECT(n == (ssize_t)len && !(flags & MSG_NOTIFICATION) && (flags & MSG_EOR) &&
		       memcmp(buf, msg, len) == 0,
		   "%s: expected the whole message '%s', got %s%s", what, msg,
		   describe(n, buf, flags),
		   n >= 0 && !(flags & (MSG_EOR | MSG_NOTIFICATION)) ? " without MSG_EOR" : "");
}

/* The next message on fd is SCTP_ASSOC_CHANGE with this state, for this association. */
static void expect_assoc_change(int fd, unsigned state, sctp_assoc_t id, const char *what)
{
	union sctp_notification n;
	int flags = 0;
	ssize_t r = pst_recv_msg(fd, &n, sizeof(n), PST_IO_TIMEOUT_MS, &flags);

	if (r < 0 || !(flags & MSG_NOTIFICATION) || n.sn_header.sn_type != SCTP_ASSOC_CHANGE) {
		pst_fail_at(__FILE__, __LINE__, false, "%s: expected SCTP_ASSOC_CHANGE, got %s",
			    what, describe(r, &n, flags));
		return;
	}
	PST_EXPECT(n.sn_assoc_change.sac_state == state && n.sn_assoc_change.sac_assoc_id == id,
		   "%s: expected SCTP_ASSOC_CHANGE state %u of association %d, got state %u of "
		   "association %d",
		   what, state, (int)id, n.sn_assoc_change.sac_state,
		   (int)n.sn_assoc_change.sac_assoc_id);
}

/* Wait for one notification type on a peer (one-to-one) socket; fails the case if none. */
static void expect_notification(int fd, unsigned type, union sctp_notification *n, const char *what)
{
	if (pst_recv_notification(fd, type, n, PST_IO_TIMEOUT_MS) < 0)
		pst_fail_at(__FILE__, __LINE__, true, "%s: expected %s, got %s", what,
			    notif_name(&(union sctp_notification){ .sn_header.sn_type = type }),
			    pst_errname(errno));
}

/* Drop whatever is queued on fd now (setup). */
static void drain(int fd)
{
	char buf[MSG_MAX];

	while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) >= 0)
		;
}

/*
 * Send msgs from a peer (one-to-one) socket and return once the sut has
 * acknowledged them all, so they sit in its receive queue: the peer's
 * SCTP_SENDER_DRY_EVENT (RFC 6458 6.1.9) says nothing is left unacknowledged.
 * The subscription itself may queue one at once: dropped first.
 */
static void send_and_wait_queued(int peer, const char *const *msgs, int count)
{
	union sctp_notification n;

	PST_SAFE(pst_subscribe(peer, SCTP_SENDER_DRY_EVENT));
	drain(peer);
	for (int i = 0; i < count; i++)
		PST_SAFE(pst_send(peer, 0, msgs[i], strlen(msgs[i])));
	if (pst_recv_notification(peer, SCTP_SENDER_DRY_EVENT, &n, PST_IO_TIMEOUT_MS) < 0)
		pst_broken("the sut did not acknowledge the %d messages sent to it: %s", count,
			   pst_errname(errno));
}

/* Subscribe one notification type for the socket AND its existing associations. */
static int subscribe_all(int fd, unsigned type)
{
	struct sctp_event ev = { .se_assoc_id = SCTP_ALL_ASSOC,
				 .se_type = (uint16_t)type,
				 .se_on = 1 };

	return setsockopt(fd, IPPROTO_SCTP, SCTP_EVENT, &ev, sizeof(ev));
}

/* ---- A sut whose COMM_UP notifications are still unread ---- */

#define UNREAD_PEERS 2

/*
 * For the cases that wait until their peers' messages are acknowledged
 * (send_and_wait_queued): the sut's delayed SACK after 10 ms, not the
 * default 200 ms, set in both namespaces before any association exists.
 */
#define QUEUED_SACK_TIMEOUT_MS 10

static void setup_prompt_sacks(struct pst_ctx *ctx, int n)
{
	static const struct pst_sctp_timers prompt = { .sack_timeout = QUEUED_SACK_TIMEOUT_MS };

	pst_sctp_timers_set(ctx, &prompt);
	pst_assoc_setup(ctx, n);
}

static void setup_prompt_sacks1(struct pst_ctx *ctx)
{
	setup_prompt_sacks(ctx, 1);
}

static void setup_prompt_sacks2(struct pst_ctx *ctx)
{
	setup_prompt_sacks(ctx, 2);
}

static const struct pst_fixture fx_prompt_sacks1 = { "assoc1-prompt-sacks",
						     sizeof(struct pst_assoc_fx),
						     setup_prompt_sacks1, pst_assoc_teardown };
static const struct pst_fixture fx_prompt_sacks2 = { "assoc2-prompt-sacks",
						     sizeof(struct pst_assoc_fx),
						     setup_prompt_sacks2, pst_assoc_teardown };

/*
 * Like pst_fx_assoc2, but nothing is read from the sut: the SCTP_COMM_UP of
 * both associations is still queued there. The ids come from the id list.
 */
static void setup_unread_comm_up(struct pst_ctx *ctx)
{
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	unsigned char addrs[PST_PATHS * sizeof(struct sockaddr_in6)];
	sctp_assoc_t ids[PST_MAX_ASSOCS];
	int n = 0;

	fx->npeers = UNREAD_PEERS;
	fx->sut = -1;
	for (int i = 0; i < UNREAD_PEERS; i++)
		fx->peer[i] = -1;
	pst_pack_addrs(PST_SERVER, ctx->family, PST_SERVER_PORT, addrs);

	PST_SAFE(pst_topo_enter(ctx->topo, PST_SERVER));
	fx->sut = (int)PST_SAFE(socket(ctx->family, SOCK_SEQPACKET, IPPROTO_SCTP));
	PST_SAFE(pst_bind_both(fx->sut, PST_SERVER, ctx->family, PST_SERVER_PORT));
	PST_SAFE(pst_subscribe(fx->sut, SCTP_ASSOC_CHANGE));
	PST_SAFE(listen(fx->sut, PST_MAX_ASSOCS));

	PST_SAFE(pst_topo_enter(ctx->topo, PST_CLIENT));
	for (int i = 0; i < UNREAD_PEERS; i++) {
		fx->peer[i] = (int)PST_SAFE(socket(ctx->family, SOCK_STREAM, IPPROTO_SCTP));
		PST_SAFE(pst_connectx(fx->peer[i], (struct sockaddr *)addrs, PST_PATHS));
	}
	PST_SAFE(pst_topo_enter(ctx->topo, PST_SERVER));

	/* A connectx returns once COOKIE_ACK came: the sut has both; bounded all the same. */
	for (int waited = 0; waited < PST_SETUP_TIMEOUT_MS; waited += SOME_WAIT_MS) {
		n = pst_assoc_ids(fx->sut, ids, PST_MAX_ASSOCS);
		if (n >= UNREAD_PEERS)
			break;
		usleep(SOME_WAIT_MS * 1000);
	}
	if (n != UNREAD_PEERS)
		pst_broken("the sut lists %d associations, not %d", n, UNREAD_PEERS);
	for (int k = 0; k < n; k++) {
		unsigned port = pst_assoc_peer_port(fx->sut, ids[k]);
		int i = 0;

		while (i < UNREAD_PEERS && pst_local_port(fx->peer[i]) != port)
			i++;
		if (i == UNREAD_PEERS || fx->id[i])
			pst_broken("association %d: its peer port %u matches no peer", (int)ids[k],
				   port);
		fx->id[i] = ids[k];
	}
}

static const struct pst_fixture fx_unread_comm_up = { "assoc2-unread-comm-up",
						      sizeof(struct pst_assoc_fx),
						      setup_unread_comm_up, pst_assoc_teardown };

/* Behaviour only the Linux implementation facts (source) document. */
static void linux_profile_only(const struct pst_ctx *ctx, const char *source)
{
	if (ctx->profile != PST_PROFILE_LINUX)
		pst_skip("only the linux profile documents this (%s)", source);
}

/* ---- What moves ---- */

static void unread_data_moves_in_order(struct pst_ctx *ctx)
{
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	static const char *const moved[] = { "a1-m1", "a1-m2", "a1-m3" };
	static const char *const stays[] = { "a2-x1", "a2-x2" };
	int p;

	linux_profile_only(ctx, "REF-MIGRATE-QUEUE");
	send_and_wait_queued(fx->peer[0], moved, (int)PST_ARRAY_SIZE(moved));
	send_and_wait_queued(fx->peer[1], stays, (int)PST_ARRAY_SIZE(stays));
	p = (int)PST_ASSERT_OK(pst_peel(ctx, fx->sut, fx->id[0]));

	for (size_t i = 0; i < PST_ARRAY_SIZE(moved); i++)
		expect_data(p, moved[i], "the new socket, a message queued before the peel");
	expect_nothing_queued(p, "the new socket after its association's 3 messages");
	for (size_t i = 0; i < PST_ARRAY_SIZE(stays); i++)
		expect_data(fx->sut, stays[i], "the original socket, its other association's data");
	expect_nothing_queued(fx->sut, "the original socket after its other association's data");
	close(p);
}

#define PARTIAL_MSG  "0123456789ABCDEF"
#define PARTIAL_READ 4 /* bytes of it read on the original before the peel */

static void partial_message_rest_moves(struct pst_ctx *ctx)
{
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	static const char *const msg[] = { PARTIAL_MSG };
	char buf[MSG_MAX];
	int flags = 0;
	ssize_t n;
	int p;

	linux_profile_only(ctx, "REF-MIGRATE-QUEUE");
	send_and_wait_queued(fx->peer[0], msg, 1);
	n = pst_recv_msg(fx->sut, buf, PARTIAL_READ, PST_IO_TIMEOUT_MS, &flags);
	if (n != PARTIAL_READ || (flags & (MSG_EOR | MSG_NOTIFICATION)))
		pst_broken("reading %d bytes of '%s' on the sut gave %s (flags 0x%x)", PARTIAL_READ,
			   PARTIAL_MSG, describe(n, buf, flags), (unsigned)flags);
	p = (int)PST_ASSERT_OK(pst_peel(ctx, fx->sut, fx->id[0]));

	expect_data(p, PARTIAL_MSG + PARTIAL_READ,
		    "the new socket, the rest of a message partly read on the original");
	expect_nothing_queued(fx->sut,
			      "the original socket after the peel of a partly read message");
	close(p);
}

static void unread_notification_moves(struct pst_ctx *ctx)
{
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	int p;

	linux_profile_only(ctx, "REF-MIGRATE-QUEUE");
	p = (int)PST_ASSERT_OK(pst_peel(ctx, fx->sut, fx->id[0]));

	expect_assoc_change(p, SCTP_COMM_UP, fx->id[0],
			    "the new socket, its association's COMM_UP unread before the peel");
	expect_nothing_queued(p, "the new socket after its COMM_UP");
	expect_assoc_change(fx->sut, SCTP_COMM_UP, fx->id[1],
			    "the original socket, its other association's COMM_UP");
	expect_nothing_queued(fx->sut, "the original socket after the other COMM_UP");
	close(p);
}

static void later_notifications_go_to_new_socket(struct pst_ctx *ctx)
{
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	int p;

	/* The fixture subscribed SCTP_ASSOC_CHANGE; SHUTDOWN_EVENT for the existing ones too. */
	PST_SAFE(subscribe_all(fx->sut, SCTP_SHUTDOWN_EVENT));
	p = (int)PST_ASSERT_OK(pst_peel(ctx, fx->sut, fx->id[0]));
	/* The peer ends the association gracefully. */
	close(fx->peer[0]);
	fx->peer[0] = -1;

	{
		union sctp_notification n;
		int flags = 0;
		ssize_t r = pst_recv_msg(p, &n, sizeof(n), PST_IO_TIMEOUT_MS, &flags);

		PST_EXPECT(r >= 0 && (flags & MSG_NOTIFICATION) &&
			       n.sn_header.sn_type == SCTP_SHUTDOWN_EVENT,
			   "the new socket, after the peer's close: expected SCTP_SHUTDOWN_EVENT, "
			   "got %s",
			   describe(r, &n, flags));
	}
	expect_assoc_change(p, SCTP_SHUTDOWN_COMP, fx->id[0],
			    "the new socket, after the peer's close");
	/* Both were queued together with P's; none may have gone to the original. */
	expect_nothing_queued(fx->sut, "the original socket after the peeled association ended");
	pst_expect_exchange(fx->sut, fx->id[1], fx->peer[1],
			    "the original socket's other association afterwards");
	close(p);
}

/* ---- Socket options set on the original before the peel (REF-MIGRATE-OPTIONS) ---- */

#define ID_OF_ASSOC (-4242) /* marker: set with the peeled association's own id */

struct opt_row {
	const char *name;
	int level, opt;
	const void *val; /* what to set */
	socklen_t len;
	bool has_id;		 /* the value begins with an sctp_assoc_t */
	sctp_assoc_t set_id;	 /* which id to set it with when has_id */
	size_t cmp_off, cmp_len; /* the bytes that hold the value */
	size_t field;		 /* bytes per field of them, for messages (0: 4) */
};

static const int one = 1;
static const int rcvbuf = 40000;
static const int sndbuf = 50000;
static const struct linger linger_on = { .l_onoff = 1, .l_linger = 5 };
static const struct sctp_initmsg initmsg = { .sinit_num_ostreams = 7,
					     .sinit_max_instreams = 9,
					     .sinit_max_attempts = 3,
					     .sinit_max_init_timeo = 1234 };
static const struct sctp_event shutdown_on = { .se_type = SCTP_SHUTDOWN_EVENT, .se_on = 1 };
static const struct sctp_rtoinfo rtoinfo = { .srto_initial = 1500,
					     .srto_max = 4000,
					     .srto_min = 500 };
static const struct sctp_assoc_value maxseg = { .assoc_value = 1000 };
static const struct sctp_paddrparams paddrparams = { .spp_hbinterval = 7000,
						     .spp_pathmaxrxt = 4,
						     .spp_flags = SPP_HB_ENABLE };

/* A socket-wide option: set and read without an association id. */
#define SOCK_ROW(lvl, o, v)                                                            \
	{                                                                              \
		.name = #o, .level = (lvl), .opt = (o), .val = &(v), .len = sizeof(v), \
		.cmp_len = sizeof(v)                                                   \
	}
/* An option whose value starts with an association id; id: what to set it with. */
#define ID_ROW(o, v, id, member, n)                                                           \
	{                                                                                     \
		.name = #o, .level = IPPROTO_SCTP, .opt = (o), .val = &(v), .len = sizeof(v), \
		.has_id = true, .set_id = (id), .cmp_off = offsetof(__typeof__(v), member),   \
		.cmp_len = (n)                                                                \
	}

static const struct opt_row opt_nodelay = SOCK_ROW(IPPROTO_SCTP, SCTP_NODELAY, one);
static const struct opt_row opt_disable_frag = SOCK_ROW(IPPROTO_SCTP, SCTP_DISABLE_FRAGMENTS, one);
static const struct opt_row opt_keepalive = SOCK_ROW(SOL_SOCKET, SO_KEEPALIVE, one);
static const struct opt_row opt_rcvbuf = SOCK_ROW(SOL_SOCKET, SO_RCVBUF, rcvbuf);
static const struct opt_row opt_sndbuf = SOCK_ROW(SOL_SOCKET, SO_SNDBUF, sndbuf);
static const struct opt_row opt_linger = SOCK_ROW(SOL_SOCKET, SO_LINGER, linger_on);
static const struct opt_row opt_initmsg = { .name = "SCTP_INITMSG",
					    .level = IPPROTO_SCTP,
					    .opt = SCTP_INITMSG,
					    .val = &initmsg,
					    .len = sizeof(initmsg),
					    .cmp_len = sizeof(initmsg),
					    .field = sizeof(uint16_t) };
/* Subscribed for the socket and its associations: what P reports is its association's. */
static const struct opt_row opt_event =
    ID_ROW(SCTP_EVENT, shutdown_on, SCTP_ALL_ASSOC, se_on, sizeof(shutdown_on.se_on));
/* Per-association values, set for the association about to be peeled. */
static const struct opt_row opt_rtoinfo =
    ID_ROW(SCTP_RTOINFO, rtoinfo, ID_OF_ASSOC, srto_initial, 3 * sizeof(uint32_t));
static const struct opt_row opt_maxseg =
    ID_ROW(SCTP_MAXSEG, maxseg, ID_OF_ASSOC, assoc_value, sizeof(uint32_t));
/* hbinterval then pathmaxrxt: adjacent in the packed struct. */
static const struct opt_row opt_paddrparams =
    ID_ROW(SCTP_PEER_ADDR_PARAMS, paddrparams, ID_OF_ASSOC, spp_hbinterval,
	   sizeof(uint32_t) + sizeof(uint16_t));

/* The option's value bytes as numbers, field by field ("1500/4000/500"). */
static const char *opt_value(const struct opt_row *row, const unsigned char *buf)
{
	static char s[4][128];
	static int which;
	char *out = s[which++ % 4];
	const unsigned char *v = buf + row->cmp_off;
	size_t len = row->cmp_len, field = row->field ? row->field : sizeof(uint32_t);
	size_t off = 0, i = 0;

	out[0] = '\0';
	while (i < len && off < sizeof(s[0])) {
		size_t w = len - i >= field ? field : len - i >= sizeof(uint16_t) ? 2 : 1;
		unsigned long x;

		if (w == sizeof(uint32_t)) {
			uint32_t u;

			memcpy(&u, v + i, w);
			x = u;
		} else if (w == sizeof(uint16_t)) {
			uint16_t u;

			memcpy(&u, v + i, w);
			x = u;
		} else {
			x = v[i];
		}
		off += (size_t)snprintf(out + off, sizeof(s[0]) - off, "%s%lu", i ? "/" : "", x);
		i += w;
	}
	return out;
}

/* Read the row's option on fd (asked with id when it has one) into out. */
static int get_opt(int fd, const struct opt_row *row, sctp_assoc_t id, unsigned char *out)
{
	socklen_t len = row->len;

	/* The request carries the option's selector fields (e.g. se_type); the value is blanked. */
	memcpy(out, row->val, row->len);
	if (row->has_id)
		memcpy(out, &id, sizeof(id));
	memset(out + row->cmp_off, 0, row->cmp_len);
	return getsockopt(fd, row->level, row->opt, out, &len);
}

static void option_inherited(struct pst_ctx *ctx)
{
	const struct opt_row *row = ctx->param;
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	unsigned char before[OPT_MAX], set[OPT_MAX], orig[OPT_MAX], peeled[OPT_MAX];
	sctp_assoc_t id = row->set_id == ID_OF_ASSOC ? fx->id[0] : row->set_id;
	int p;

	linux_profile_only(ctx, "REF-MIGRATE-OPTIONS");
	PST_SAFE(get_opt(fx->sut, row, fx->id[0], before));
	memcpy(set, row->val, row->len);
	if (row->has_id)
		memcpy(set, &id, sizeof(id));
	PST_SAFE(setsockopt(fx->sut, row->level, row->opt, set, row->len));
	PST_SAFE(get_opt(fx->sut, row, fx->id[0], orig));
	/* Else the row could not tell an inherited value from a default one. */
	if (memcmp(before + row->cmp_off, orig + row->cmp_off, row->cmp_len) == 0)
		pst_broken("setting %s on the sut did not change what it reports (%s)", row->name,
			   opt_value(row, orig));

	p = (int)PST_ASSERT_OK(pst_peel(ctx, fx->sut, fx->id[0]));
	if (get_opt(p, row, 0, peeled) < 0)
		pst_fail_at(__FILE__, __LINE__, false,
			    "%s on the new socket: expected the original's value %s, got %s",
			    row->name, opt_value(row, orig), pst_errname(errno));
	else
		PST_EXPECT(memcmp(peeled + row->cmp_off, orig + row->cmp_off, row->cmp_len) == 0,
			   "%s on the new socket: expected the original's value %s, got %s "
			   "(the default is %s)",
			   row->name, opt_value(row, orig), opt_value(row, peeled),
			   opt_value(row, before));
	close(p);
}

/* ---- close() of either socket (RFC 6458 3.1, 3.1.5; REF-CLOSE) ---- */

static void subscribe_peer(int peer)
{
	PST_SAFE(pst_subscribe(peer, SCTP_ASSOC_CHANGE));
	PST_SAFE(pst_subscribe(peer, SCTP_SHUTDOWN_EVENT));
}

static void close_original_keeps_peeled_assoc(struct pst_ctx *ctx)
{
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	union sctp_notification n;
	int p;

	subscribe_peer(fx->peer[0]);
	subscribe_peer(fx->peer[1]);
	p = (int)PST_ASSERT_OK(pst_peel(ctx, fx->sut, fx->id[0]));
	close(fx->sut);
	fx->sut = -1;

	/* The original's own association ends: its end is also when P's would have. */
	expect_notification(fx->peer[1], SCTP_ASSOC_CHANGE, &n,
			    "the original's other peer, after close(original)");
	PST_EXPECT(n.sn_assoc_change.sac_state == SCTP_SHUTDOWN_COMP,
		   "the original's other peer, after close(original): expected SCTP_ASSOC_CHANGE "
		   "SHUTDOWN_COMP (%u), got state %u",
		   SCTP_SHUTDOWN_COMP, n.sn_assoc_change.sac_state);

	expect_nothing_queued(fx->peer[0], "the peeled association's peer after close(original)");
	PST_EXPECT_EQ(pst_assoc_state(p, 0), SCTP_ESTABLISHED,
		      "SCTP_STATUS state of the peeled association after close(original)");
	pst_expect_exchange(p, 0, fx->peer[0], "the new socket <-> its peer after close(original)");
	close(p);
}

static void close_peeled_ends_only_its_assoc(struct pst_ctx *ctx)
{
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	sctp_assoc_t before[PST_MAX_ASSOCS] = { 0 }, after[PST_MAX_ASSOCS] = { 0 };
	char tb[ID_TEXT_LEN], ta[ID_TEXT_LEN];
	union sctp_notification n;
	int nb, na, p;

	subscribe_peer(fx->peer[0]);
	subscribe_peer(fx->peer[1]);
	p = (int)PST_ASSERT_OK(pst_peel(ctx, fx->sut, fx->id[0]));
	nb = (int)PST_SAFE(pst_assoc_ids(fx->sut, before, PST_MAX_ASSOCS));
	close(p);

	expect_notification(fx->peer[0], SCTP_ASSOC_CHANGE, &n,
			    "the peeled association's peer, after close(new socket)");
	PST_EXPECT(n.sn_assoc_change.sac_state == SCTP_SHUTDOWN_COMP,
		   "the peeled association's peer, after close(new socket): expected "
		   "SCTP_ASSOC_CHANGE SHUTDOWN_COMP (%u), got state %u",
		   SCTP_SHUTDOWN_COMP, n.sn_assoc_change.sac_state);

	na = pst_assoc_ids(fx->sut, after, PST_MAX_ASSOCS);
	if (na < 0)
		snprintf(ta, sizeof(ta), "%s", pst_errname(errno));
	else
		pst_assoc_ids_text(after, na, ta, sizeof(ta));
	pst_assoc_ids_text(before, nb, tb, sizeof(tb));
	PST_EXPECT(na == nb && memcmp(before, after, (size_t)nb * sizeof(*after)) == 0,
		   "the original's association ids after close(new socket): expected [%s], got "
		   "[%s]",
		   tb, ta);
	expect_nothing_queued(fx->peer[1], "the original's other peer after close(new socket)");
	expect_nothing_queued(fx->sut, "the original socket after close(new socket)");
	pst_expect_exchange(fx->sut, fx->id[1], fx->peer[1],
			    "the original's other association after close(new socket)");
}

/* ---- The original cannot reach the peeled association (REF-ORIGINAL-UNREACHABLE) ---- */

struct reach_row {
	const char *what;
	int (*call)(const struct pst_ctx *ctx, struct pst_assoc_fx *fx);
	struct pst_errnos expected;
};

static int send_with_id(const struct pst_ctx *ctx, struct pst_assoc_fx *fx)
{
	static const char msg[] = "must not be sent";

	(void)ctx;
	return (int)pst_send(fx->sut, fx->id[0], msg, sizeof(msg));
}

static int status_with_id(const struct pst_ctx *ctx, struct pst_assoc_fx *fx)
{
	(void)ctx;
	return pst_assoc_state(fx->sut, fx->id[0]);
}

static int peer_addrs_with_id(const struct pst_ctx *ctx, struct pst_assoc_fx *fx)
{
	char buf[sizeof(struct sctp_getaddrs) + PST_PATHS * sizeof(struct sockaddr_in6)];
	struct sctp_getaddrs *ga = (struct sctp_getaddrs *)buf;
	socklen_t len = sizeof(buf);

	(void)ctx;
	ga->assoc_id = fx->id[0];
	return getsockopt(fx->sut, IPPROTO_SCTP, SCTP_GET_PEER_ADDRS, buf, &len);
}

static int sendto_peer_address(const struct pst_ctx *ctx, struct pst_assoc_fx *fx)
{
	static const char msg[] = "must not be sent";
	struct sockaddr_storage ss;
	socklen_t len = peer_addr(ctx, fx->peer[0], &ss);

	return (int)sendto(fx->sut, msg, sizeof(msg), MSG_NOSIGNAL, (struct sockaddr *)&ss, len);
}

static int connect_peer_address(const struct pst_ctx *ctx, struct pst_assoc_fx *fx)
{
	struct sockaddr_storage ss;
	socklen_t len = peer_addr(ctx, fx->peer[0], &ss);
	int fl = fcntl(fx->sut, F_GETFL);

	/* Non-blocking: a wrongly started association shows as EINPROGRESS, not a hang. */
	if (fl < 0 || fcntl(fx->sut, F_SETFL, fl | O_NONBLOCK) < 0)
		pst_broken("making the sut non-blocking: %s", pst_errname(errno));
	return connect(fx->sut, (struct sockaddr *)&ss, len);
}

static void original_cannot_reach(struct pst_ctx *ctx)
{
	const struct reach_row *row = ctx->param;
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	int p = (int)PST_ASSERT_OK(pst_peel(ctx, fx->sut, fx->id[0]));
	int before = pst_count_fds();
	sctp_assoc_t ids[PST_MAX_ASSOCS];
	char text[ID_TEXT_LEN];
	int r, n;

	errno = 0;
	r = row->call(ctx, fx);
	pst_check_errno_at(__FILE__, __LINE__, false, row->what, r, errno,
			   pst_expected_errno(ctx, row->expected));
	n = pst_assoc_ids(fx->sut, ids, PST_MAX_ASSOCS);
	if (n < 0)
		snprintf(text, sizeof(text), "%s", pst_errname(errno));
	else
		pst_assoc_ids_text(ids, n, text, sizeof(text));
	PST_EXPECT(n == 0, "the original's association ids afterwards: expected none, got %s",
		   text);
	PST_EXPECT_EQ(pst_count_fds(), before, "open descriptors after the call");
	pst_expect_exchange(p, 0, fx->peer[0], "the new socket <-> its peer afterwards");
	close(p);
}

/* The RFC says only that the association is out of the original's reach: any errno there. */
static const struct reach_row reach_send = { "send on the original with the peeled id",
					     send_with_id,
					     { EPIPE, PST_ANY_ERRNO, PST_ANY_ERRNO } };
static const struct reach_row reach_status = { "SCTP_STATUS on the original with the peeled id",
					       status_with_id,
					       { EINVAL, PST_ANY_ERRNO, PST_ANY_ERRNO } };
static const struct reach_row reach_paddrs = {
	"SCTP_GET_PEER_ADDRS on the original with the peeled id",
	peer_addrs_with_id,
	{ EINVAL, PST_ANY_ERRNO, PST_ANY_ERRNO }
};
static const struct reach_row reach_sendto = {
	"sendto() on the original to the peeled association's peer address",
	sendto_peer_address,
	{ EADDRNOTAVAIL, PST_ANY_ERRNO, PST_ANY_ERRNO }
};
static const struct reach_row reach_connect = {
	"connect() on the original to the peeled association's peer address",
	connect_peer_address,
	{ EADDRNOTAVAIL, PST_ANY_ERRNO, PST_ANY_ERRNO }
};

/* ---- After close(P) the original can associate with the same peer again (10.6f) ---- */

/* The listener l gets a connection that carries msg. */
static void expect_accepted_message(int l, const char *msg)
{
	struct pollfd pf = { .fd = l, .events = POLLIN };
	char buf[MSG_MAX];
	ssize_t r;
	int a;

	PST_ASSERT(poll(&pf, 1, PST_IO_TIMEOUT_MS) == 1,
		   "the listener at the old peer address: expected a connection, got none");
	a = (int)PST_ASSERT_OK(accept(l, NULL, NULL));
	r = pst_recv_data(a, buf, sizeof(buf), PST_IO_TIMEOUT_MS);
	PST_EXPECT(r == (ssize_t)strlen(msg) && memcmp(buf, msg, strlen(msg)) == 0,
		   "the old peer address: expected '%s', got %s", msg,
		   r < 0 ? pst_errname(errno) : "other bytes");
	close(a);
}

static void new_assoc_to_same_peer_after_close(struct pst_ctx *ctx)
{
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	static const char msg[] = "to the same peer again";
	struct sockaddr_storage ss;
	socklen_t len;
	union sctp_notification n;
	ssize_t r;
	int p, l;

	linux_profile_only(ctx, "REF-REASSOCIATE");
	len = peer_addr(ctx, fx->peer[0], &ss);
	PST_SAFE(pst_subscribe(fx->peer[0], SCTP_ASSOC_CHANGE));
	p = (int)PST_ASSERT_OK(pst_peel(ctx, fx->sut, fx->id[0]));
	close(p);
	expect_notification(fx->peer[0], SCTP_ASSOC_CHANGE, &n,
			    "the peer, after close(new socket)");
	if (n.sn_assoc_change.sac_state != SCTP_SHUTDOWN_COMP)
		pst_broken("the peer got SCTP_ASSOC_CHANGE state %u, not SHUTDOWN_COMP",
			   n.sn_assoc_change.sac_state);
	close(fx->peer[0]);
	fx->peer[0] = -1;

	/* A listener at the very address and port the peeled association had. */
	PST_SAFE(pst_topo_enter(ctx->topo, PST_CLIENT));
	l = (int)PST_SAFE(socket(ctx->family, SOCK_STREAM, IPPROTO_SCTP));
	PST_SAFE(bind(l, (struct sockaddr *)&ss, len));
	PST_SAFE(listen(l, 1));
	PST_SAFE(pst_topo_enter(ctx->topo, PST_SERVER));

	errno = 0;
	r = sendto(fx->sut, msg, strlen(msg), MSG_NOSIGNAL, (struct sockaddr *)&ss, len);
	pst_check_ok_at(__FILE__, __LINE__, false,
			"sendto() on the original to the old peer address after close(new socket)",
			(long)r, errno);
	if (pst_recv_notification(fx->sut, SCTP_ASSOC_CHANGE, &n, PST_IO_TIMEOUT_MS) < 0)
		pst_fail_at(__FILE__, __LINE__, true,
			    "the original socket, sending to the old peer address: expected "
			    "SCTP_ASSOC_CHANGE COMM_UP of a new association, got %s",
			    pst_errname(errno));
	PST_EXPECT(n.sn_assoc_change.sac_state == SCTP_COMM_UP &&
		       n.sn_assoc_change.sac_assoc_id != fx->id[0],
		   "the original socket: expected COMM_UP of a new association (not %d), got state "
		   "%u of association %d",
		   (int)fx->id[0], n.sn_assoc_change.sac_state,
		   (int)n.sn_assoc_change.sac_assoc_id);

	expect_accepted_message(l, msg);
	close(l);
}

#define FX2(cname, fn_, creqs)                                                                    \
	{                                                                                         \
		.name = (cname), .fn = (fn_), .fixture = &pst_fx_assoc2, .axes = PST_AXIS_FAMILY, \
		.reqs = (creqs)                                                                   \
	}
#define OPT(row)                                                                            \
	{                                                                                   \
		.name = "peeloff_new_socket_inherits_option_" #row, .fn = option_inherited, \
		.fixture = &pst_fx_assoc1, .axes = PST_AXIS_FAMILY,                         \
		.reqs = "IMPL-LNX-MIGRATE-OPTS", .param = &opt_##row                        \
	}
#define REACH(row, cname)                                                                      \
	{                                                                                      \
		.name = (cname), .fn = original_cannot_reach, .fixture = &pst_fx_assoc1,       \
		.axes = PST_AXIS_FAMILY, .reqs = "RFC-3.1-SEPARATE IMPL-LNX-ORIG-UNREACHABLE", \
		.param = &reach_##row                                                          \
	}

static const struct pst_case cases[] = {
	{ .name = "peeloff_unread_data_moves_to_new_socket_in_order",
	  .fn = unread_data_moves_in_order,
	  .fixture = &fx_prompt_sacks2,
	  .axes = PST_AXIS_FAMILY,
	  .reqs = "IMPL-LNX-MIGRATE-QUEUE" },
	{ .name = "peeloff_partly_read_message_rest_moves_to_new_socket",
	  .fn = partial_message_rest_moves,
	  .fixture = &fx_prompt_sacks1,
	  .axes = PST_AXIS_FAMILY,
	  .reqs = "IMPL-LNX-MIGRATE-QUEUE" },
	{ .name = "peeloff_unread_notification_moves_to_new_socket",
	  .fn = unread_notification_moves,
	  .fixture = &fx_unread_comm_up,
	  .axes = PST_AXIS_FAMILY,
	  .reqs = "IMPL-LNX-MIGRATE-QUEUE" },
	FX2("peeloff_later_notifications_arrive_on_new_socket_only",
	    later_notifications_go_to_new_socket, "RFC-3.1-SEPARATE"),
	OPT(nodelay),
	OPT(rcvbuf),
	OPT(sndbuf),
	OPT(keepalive),
	OPT(linger),
	OPT(initmsg),
	OPT(event),
	OPT(rtoinfo),
	OPT(disable_frag),
	OPT(maxseg),
	OPT(paddrparams),
	FX2("peeloff_close_original_keeps_peeled_assoc", close_original_keeps_peeled_assoc,
	    "RFC-3.1-CLOSE-ORIG"),
	FX2("peeloff_close_peeled_ends_only_its_assoc", close_peeled_ends_only_its_assoc,
	    "RFC-3.1.5-CLOSE-PEELED"),
	REACH(send, "peeloff_original_send_with_peeled_id_fails"),
	REACH(status, "peeloff_original_status_with_peeled_id_fails"),
	REACH(paddrs, "peeloff_original_peer_addrs_with_peeled_id_fails"),
	REACH(sendto, "peeloff_original_sendto_peeled_peer_fails_without_new_assoc"),
	REACH(connect, "peeloff_original_connect_peeled_peer_fails_without_new_assoc"),
	{ .name = "peeloff_original_reassociates_with_peer_after_close_peeled",
	  .fn = new_assoc_to_same_peer_after_close,
	  .fixture = &pst_fx_assoc1,
	  .axes = PST_AXIS_FAMILY,
	  .reqs = "IMPL-LNX-REASSOC" },
};

PST_SUITE(pst_suite_migration, "peeloff_migration",
	  "What moves with the association: RFC 6458 3.1, 3.1.5; Linux implementation", cases);
