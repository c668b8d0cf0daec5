/*
 * The association peeled off in other states than the accepted, idle,
 * established one the other suites peel; after each peel the original socket
 * is closed, then the peeled one (issue 27 item 3). The states:
 *
 * - opened by the one-to-many socket itself: sctp_connectx(), or sendmsg()
 *   to a peer address (an implicit association);
 * - COOKIE_ECHOED: the peer's COOKIE ACK held back by a socket filter
 *   (fixtures/sock_filter.h) on the original, and on the new socket until
 *   the original is closed;
 * - SHUTDOWN_PENDING (SCTP_EOF with data the peer's closed window holds back)
 *   and SHUTDOWN_RECEIVED (the peer shut down while that data is pending);
 * - with a path failed: the peer's socket drops what comes to one of its
 *   addresses, for this association only, until the path is reported
 *   unreachable;
 * - from a socket bound to the wildcard address, on the netns's automatic
 *   ASCONF list (net.sctp.default_auto_asconf).
 *
 * Each state is proven from the kernel before the peel (SCTP_STATUS,
 * SCTP_GET_PEER_ADDR_INFO, the peer's listener queue, the association's
 * window), and what follows is driven to its end, never waited out: the
 * peer reads, the filter is removed, heartbeats are requested. What Linux
 * 6.1 does where the documents are silent is a reference behaviour
 * (REF-PEEL-ACTIVE-OPEN, REF-PEEL-COOKIE-ECHOED, REF-PEEL-SHUTDOWN,
 * REF-PEEL-FAILED-PATH and REF-PEEL-WILDCARD in
 * suites/requirements/REFERENCES.md); RFC 6458 3.1 and 3.1.5 (the new socket
 * alone carries the association, close() of the original does not end it,
 * close() of the new one does) and 5.3.4 (a graceful shutdown delivers all
 * queued data) are requirements; the original's other association, and the
 * data queued on the peeled one, are safety checks. On a sanitizer kernel
 * the same paths (the outbound queue's owner, the ASCONF list, the bind
 * bucket, the transports) are checked for memory errors too.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../fixtures/addr.h"
#include "../fixtures/assoc.h"
#include "../fixtures/assoc_states.h"
#include "../fixtures/io.h"
#include "../fixtures/netns_sysctl.h"
#include "../fixtures/sctp_mib.h"
#include "../fixtures/sock_filter.h"
#include "../fixtures/waiters.h"
#include "suites.h"

#define MSG_MAX	    256	 /* every short message of this suite is shorter */
#define LINE_MAX_IN 1024 /* a line of /proc/net/sctp/assocs */
#define TARGET	    0	 /* the association peeled off (fixture peer 0) ... */
#define BYSTANDER   1	 /* ... and the one that stays on the original (peer 1) */

/* ---- Shared: states, notifications, the fixture data ---- */

static const char *state_name(int state)
{
	static const char *const names[] = { "EMPTY",
					     "CLOSED",
					     "COOKIE_WAIT",
					     "COOKIE_ECHOED",
					     "ESTABLISHED",
					     "SHUTDOWN_PENDING",
					     "SHUTDOWN_SENT",
					     "SHUTDOWN_RECEIVED",
					     "SHUTDOWN_ACK_SENT" };

	if (state >= 0 && state < (int)PST_ARRAY_SIZE(names))
		return names[state];
	return "an unknown state";
}

/* An association's state as text: "SHUTDOWN_PENDING", or the errno that came instead. */
static const char *state_text(int fd, sctp_assoc_t id)
{
	int st = pst_assoc_state(fd, id);

	return st < 0 ? pst_errname(errno) : state_name(st);
}

struct st_fx {
	struct pst_assoc_fx a; /* first: pst_assoc(ctx) */
	int p;		       /* the peeled socket, -1 */
	int listener;	       /* client side: what the sut opens an association to, -1 */
	int accepted;	       /* its accepted socket, -1 */
	unsigned lport;	       /* the listener's port */
	int peer_mib;	       /* the client netns's SCTP MIB (sctp_mib.h), -1 */
};

static struct st_fx *sfx(const struct pst_ctx *ctx)
{
	return (struct st_fx *)ctx->fx;
}

/* Before anything can fail: what the teardown closes. */
static void st_init(struct st_fx *fx)
{
	fx->p = fx->listener = fx->accepted = fx->peer_mib = -1;
	fx->a.sut = -1;
	fx->a.npeers = 0;
}

static void st_teardown(struct pst_ctx *ctx)
{
	struct st_fx *fx = sfx(ctx);

	if (fx->p >= 0)
		close(fx->p);
	if (fx->accepted >= 0)
		close(fx->accepted);
	if (fx->listener >= 0)
		close(fx->listener);
	if (fx->peer_mib >= 0)
		close(fx->peer_mib);
	pst_assoc_teardown(ctx);
}

/* SCTP_ASSOC_CHANGE on a one-to-one peer socket (set after its association exists). */
static void subscribe_peer(int peer)
{
	PST_SAFE(pst_subscribe(peer, SCTP_ASSOC_CHANGE));
}

/*
 * Close the original socket, and see its own association end: the peer of
 * the bystander gets SHUTDOWN_COMP (RFC 6458 3.1.5's graceful close). That
 * is how the case knows the close has run its course; without it the steps
 * after could run before it.
 */
static void close_original(struct st_fx *fx, int bystander)
{
	int seen;

	close(fx->a.sut);
	fx->a.sut = -1;
	if (pst_wait_assoc_change(fx->a.peer[bystander], 0, SCTP_SHUTDOWN_COMP, PST_IO_TIMEOUT_MS,
				  &seen) < 0)
		pst_broken("close(original): its own association did not end (its peer saw %s: %s)",
			   pst_assoc_change_name(seen), pst_errname(errno));
}

/*
 * Close the peeled socket: its association shuts down gracefully, the peer
 * gets SHUTDOWN_COMP (RFC 6458 3.1.5), under the check the case names.
 */
static void close_peeled(struct pst_ctx *ctx, int peer, const char *what)
{
	struct st_fx *fx = sfx(ctx);
	int seen;

	close(fx->p);
	fx->p = -1;
	pst_check(ctx, "close_peeled_ends_it");
	if (pst_wait_assoc_change(peer, 0, SCTP_SHUTDOWN_COMP, PST_IO_TIMEOUT_MS, &seen) < 0)
		pst_fail_at(
		    __FILE__, __LINE__, false,
		    "%s, after close(new socket): expected SCTP_ASSOC_CHANGE SHUTDOWN_COMP, "
		    "got %s (%s)",
		    what, pst_assoc_change_name(seen), pst_errname(errno));
	pst_check(ctx, NULL);
}

/* The peel under check "peels": the new descriptor, or the case ends (fatal). */
static int peel(struct pst_ctx *ctx, sctp_assoc_t id, const char *state)
{
	struct st_fx *fx = sfx(ctx);
	int p;

	pst_check(ctx, "peels");
	errno = 0;
	p = pst_peel(ctx, fx->a.sut, id);
	PST_ASSERT(p >= 0, "%s of an association in %s: expected a new descriptor, got -1 with %s",
		   pst_entry_name(ctx->entry), state, pst_errname(errno));
	pst_check(ctx, NULL);
	fx->p = p;
	return p;
}

/* The id left the original's list (RFC 6458 3.1: completely separated). */
static void expect_gone_from_original(struct pst_ctx *ctx, sctp_assoc_t id)
{
	int r = pst_assoc_listed(sfx(ctx)->a.sut, id);

	pst_check(ctx, "separated");
	PST_EXPECT(r == 0,
		   "SCTP_GET_ASSOC_ID_LIST of the original after the peel: expected no association "
		   "%d, got %s",
		   (int)id, r < 0 ? pst_errname(errno) : "it listed");
	pst_check(ctx, NULL);
}

/*
 * The original's other association is as it was: still its, listed alone,
 * carrying data both ways (safety: a peel must not disturb it).
 */
static void expect_bystander_untouched(struct pst_ctx *ctx, int i)
{
	struct st_fx *fx = sfx(ctx);
	sctp_assoc_t ids[PST_MAX_ASSOCS];
	char text[MSG_MAX];
	int n = pst_assoc_ids(fx->a.sut, ids, PST_MAX_ASSOCS);

	pst_check(ctx, "other_assoc_untouched");
	if (n < 0)
		snprintf(text, sizeof(text), "%s", pst_errname(errno));
	else
		pst_assoc_ids_text(ids, n, text, sizeof(text));
	PST_EXPECT(n == 1 && ids[0] == fx->a.id[i],
		   "the original's associations after the peel: expected only %d, got %s",
		   (int)fx->a.id[i], text);
	PST_EXPECT_EQ(pst_assoc_state(fx->a.sut, fx->a.id[i]), SCTP_ESTABLISHED,
		      "SCTP_STATUS state of the original's other association after the peel");
	pst_expect_exchange(fx->a.sut, fx->a.id[i], fx->a.peer[i],
			    "the original's other association after the peel");
	pst_check(ctx, NULL);
}

/* After close(original): the peeled association is still there, in state want. */
static void expect_outlives_original(struct pst_ctx *ctx, int want)
{
	int got = pst_assoc_state(sfx(ctx)->p, 0);

	pst_check(ctx, "outlives_original");
	PST_EXPECT(got == want,
		   "SCTP_STATUS of the peeled association after close(original): expected %s, got "
		   "%s",
		   state_name(want), got < 0 ? pst_errname(errno) : state_name(got));
	pst_check(ctx, NULL);
}

/* Is fd readable within ms? */
static bool readable(int fd, int ms)
{
	struct pollfd pf = { .fd = fd, .events = POLLIN };

	return poll(&pf, 1, ms) == 1;
}

/* The first id fd lists that is not `except` and not 0; 0 if none. */
static sctp_assoc_t other_id(int fd, sctp_assoc_t except)
{
	sctp_assoc_t ids[PST_MAX_ASSOCS];
	int n = pst_assoc_ids(fd, ids, PST_MAX_ASSOCS);

	for (int i = 0; i < n && i < PST_MAX_ASSOCS; i++)
		if (ids[i] && ids[i] != except)
			return ids[i];
	return 0;
}

/* ---- A listener on the client side that the sut opens an association to ---- */

/* Listening on both client addresses; accepted sockets report SCTP_ASSOC_CHANGE. */
static void open_listener(struct pst_ctx *ctx)
{
	struct st_fx *fx = sfx(ctx);

	PST_SAFE(pst_topo_enter(ctx->topo, PST_CLIENT));
	fx->listener = (int)PST_SAFE(socket(ctx->family, SOCK_STREAM, IPPROTO_SCTP));
	PST_SAFE(pst_bind_both(fx->listener, PST_CLIENT, ctx->family, 0));
	PST_SAFE(pst_subscribe(fx->listener, SCTP_ASSOC_CHANGE));
	PST_SAFE(listen(fx->listener, 1));
	fx->lport = pst_local_port(fx->listener);
	/* Back where the sut lives: a peeloff from another netns is refused. */
	PST_SAFE(pst_topo_enter(ctx->topo, PST_SERVER));
}

/* The listener's association, accepted (it is up: its accept queue has it). */
static void accept_it(struct st_fx *fx)
{
	if (!readable(fx->listener, PST_SETUP_TIMEOUT_MS))
		pst_broken("the client's listener has no association to accept after %d ms",
			   PST_SETUP_TIMEOUT_MS);
	fx->accepted = (int)PST_SAFE(accept(fx->listener, NULL, NULL));
}

/* ---- Opened by the one-to-many socket itself (REF-PEEL-ACTIVE-OPEN) ---- */

#define OPENING_MSG "the message that opened the association"

enum opener { OPEN_CONNECTX, OPEN_SENDMSG };

static void setup_one_and_listener(struct pst_ctx *ctx)
{
	st_init(sfx(ctx));
	pst_assoc_setup(ctx, 1);
	subscribe_peer(sfx(ctx)->a.peer[0]);
	open_listener(ctx);
}

static const struct pst_fixture fx_active = { "assoc1-and-a-listener", sizeof(struct st_fx),
					      setup_one_and_listener, st_teardown };

/* The sut opens an association to the listener; its id (from the sut's COMM_UP). */
static sctp_assoc_t open_actively(struct pst_ctx *ctx, enum opener how)
{
	struct st_fx *fx = sfx(ctx);
	struct sockaddr_storage to;
	socklen_t len = pst_addr(PST_CLIENT, ctx->family, 0, fx->lport, &to);
	union sctp_notification n;

	if (how == OPEN_CONNECTX) {
		unsigned char addrs[PST_PATHS * sizeof(struct sockaddr_in6)];

		pst_pack_addrs(PST_CLIENT, ctx->family, fx->lport, addrs);
		PST_SAFE(pst_connectx(fx->a.sut, (struct sockaddr *)addrs, PST_PATHS));
	} else {
		/* Blocking: sendmsg() returns once the association it opened is up. */
		PST_SAFE(sendto(fx->a.sut, OPENING_MSG, strlen(OPENING_MSG), MSG_NOSIGNAL,
				(struct sockaddr *)&to, len));
	}
	if (pst_recv_notification(fx->a.sut, SCTP_ASSOC_CHANGE, &n, PST_SETUP_TIMEOUT_MS) < 0 ||
	    n.sn_assoc_change.sac_state != SCTP_COMM_UP)
		pst_broken("the association the sut opened: no SCTP_COMM_UP on the sut (%s)",
			   pst_errname(errno));
	pst_log("the sut opened association %d by %s", (int)n.sn_assoc_change.sac_assoc_id,
		how == OPEN_CONNECTX ? "sctp_connectx()" : "sendmsg()");
	accept_it(fx);
	return n.sn_assoc_change.sac_assoc_id;
}

static void actively_opened(struct pst_ctx *ctx)
{
	const enum opener *how = ctx->param;
	struct st_fx *fx = sfx(ctx);
	struct sockaddr_storage want, got;
	socklen_t glen = sizeof(got);
	struct sctp_status s;
	sctp_assoc_t id = open_actively(ctx, *how);
	int p;

	if (*how == OPEN_SENDMSG)
		pst_log("the opening message is read after the peel, on the accepted side");
	p = peel(ctx, id, "ESTABLISHED, opened by the one-to-many socket");

	pst_check(ctx, "state_moves");
	if (pst_assoc_status(p, 0, &s) < 0)
		pst_fail_at(__FILE__, __LINE__, false,
			    "SCTP_STATUS on the new socket: expected association %d ESTABLISHED, "
			    "got %s",
			    (int)id, pst_errname(errno));
	else
		PST_EXPECT(s.sstat_state == SCTP_ESTABLISHED && s.sstat_assoc_id == id,
			   "SCTP_STATUS on the new socket: expected association %d ESTABLISHED, "
			   "got association %d %s",
			   (int)id, (int)s.sstat_assoc_id, state_name(s.sstat_state));
	pst_check(ctx, "peer_name");
	pst_addr(PST_CLIENT, ctx->family, 0, fx->lport, &want);
	if (getpeername(p, (struct sockaddr *)&got, &glen) < 0)
		pst_fail_at(__FILE__, __LINE__, false,
			    "getpeername() of the new socket: expected %s, got %s",
			    pst_addr_text(&want).s, pst_errname(errno));
	else
		PST_EXPECT(pst_same_addr(&got, &want),
			   "getpeername() of the new socket: expected %s (the address the "
			   "association was opened to), got %s",
			   pst_addr_text(&want).s, pst_addr_text(&got).s);
	pst_check(ctx, NULL);
	expect_gone_from_original(ctx, id);
	expect_bystander_untouched(ctx, 0);

	close_original(fx, 0);
	expect_outlives_original(ctx, SCTP_ESTABLISHED);
	pst_check(ctx, "data_once_in_order");
	if (*how == OPEN_SENDMSG) {
		char buf[MSG_MAX];
		ssize_t r = pst_recv_data(fx->accepted, buf, sizeof(buf), PST_IO_TIMEOUT_MS);

		PST_EXPECT(r == (ssize_t)strlen(OPENING_MSG) &&
			       memcmp(buf, OPENING_MSG, strlen(OPENING_MSG)) == 0,
			   "the accepted side: expected '%s' first, got %s", OPENING_MSG,
			   r < 0 ? pst_errname(errno) : "other bytes");
	}
	pst_expect_exchange(p, 0, fx->accepted,
			    "the new socket <-> the listener's side, after close(original)");
	pst_check(ctx, NULL);
	close_peeled(ctx, fx->accepted, "the listener's side");
}

static const enum opener by_connectx = OPEN_CONNECTX, by_sendmsg = OPEN_SENDMSG;

/* ---- COOKIE_ECHOED: the peer's COOKIE ACK held back (REF-PEEL-COOKIE-ECHOED) ---- */

/*
 * The sut's own timers (SCTP_RTOINFO, SCTP_INITMSG), set before any
 * association: once the filter is gone (the association is on the new
 * socket), the next COOKIE ECHO comes within CE_RTO_MAX_MS; the attempts
 * outlast the case many times over.
 */
#define CE_RTO_MIN_MS	  50
#define CE_RTO_INITIAL_MS 100
#define CE_RTO_MAX_MS	  200
#define CE_INIT_ATTEMPTS  100
#define CE_LOOK_MS	  1 /* between two looks at the handshake */
#define AFTER_PEEL_MSG	  "sent on the new socket"

static void ce_prepare_sut(struct pst_ctx *ctx, int sut)
{
	struct sctp_rtoinfo rto = { .srto_assoc_id = 0,
				    .srto_initial = CE_RTO_INITIAL_MS,
				    .srto_max = CE_RTO_MAX_MS,
				    .srto_min = CE_RTO_MIN_MS };
	struct sctp_initmsg init = { .sinit_max_attempts = CE_INIT_ATTEMPTS,
				     .sinit_max_init_timeo = CE_RTO_MAX_MS };

	(void)ctx;
	PST_SAFE(setsockopt(sut, IPPROTO_SCTP, SCTP_RTOINFO, &rto, sizeof(rto)));
	PST_SAFE(setsockopt(sut, IPPROTO_SCTP, SCTP_INITMSG, &init, sizeof(init)));
}

static void setup_cookie_echoed(struct pst_ctx *ctx)
{
	static const struct pst_assoc_opts quick_init = { .prepare_sut = ce_prepare_sut };

	st_init(sfx(ctx));
	pst_assoc_setup_with(ctx, 1, &quick_init);
	subscribe_peer(sfx(ctx)->a.peer[0]);
	open_listener(ctx);
}

static const struct pst_fixture fx_cookie_echoed = { "assoc1-listener-quick-init",
						     sizeof(struct st_fx), setup_cookie_echoed,
						     st_teardown };

/*
 * Open an association to the listener with a message, the COOKIE ACK
 * dropped by the sut's filter, and return its id once it is proven held:
 * the listener has it (the peer took the COOKIE ECHO and answered) while the
 * sut reports COOKIE_ECHOED.
 */
static sctp_assoc_t hold_in_cookie_echoed(struct pst_ctx *ctx)
{
	struct st_fx *fx = sfx(ctx);
	struct sockaddr_storage to;
	socklen_t len = pst_addr(PST_CLIENT, ctx->family, 0, fx->lport, &to);
	long start = pst_now_ms();
	sctp_assoc_t id = 0;
	int state = -1;

	if (pst_filter_drop_first_chunk(fx->a.sut, PST_CHUNK_COOKIE_ACK) < 0)
		pst_skip("COOKIE_ECHOED cannot be held here: SO_ATTACH_FILTER on the sut failed "
			 "(%s)",
			 pst_errname(errno));
	/* Non-blocking: it returns with the association in COOKIE_WAIT, the message queued. */
	PST_SAFE(sendto(fx->a.sut, OPENING_MSG, strlen(OPENING_MSG), MSG_NOSIGNAL | MSG_DONTWAIT,
			(struct sockaddr *)&to, len));
	for (;;) {
		if (!id)
			id = other_id(fx->a.sut, fx->a.id[0]);
		if (id)
			state = pst_assoc_state(fx->a.sut, id);
		if (state == SCTP_ESTABLISHED)
			pst_skip("COOKIE_ECHOED cannot be held here: the sut's socket filter did "
				 "not hold back the COOKIE ACK (the association came up), so this "
				 "kernel runs no socket filter on SCTP's packets");
		if (state == SCTP_COOKIE_ECHOED && readable(fx->listener, 0))
			break;
		if (pst_now_ms() - start > PST_SETUP_TIMEOUT_MS)
			pst_broken("the association to the listener: expected COOKIE_ECHOED with "
				   "the listener's side up within %d ms, got %s, the listener %s",
				   PST_SETUP_TIMEOUT_MS, id ? state_name(state) : "no id yet",
				   readable(fx->listener, 0) ? "ready" : "empty");
		pst_sleep_ms(CE_LOOK_MS);
	}
	pst_log("association %d held in COOKIE_ECHOED after %ld ms: the peer's side is up, its "
		"COOKIE ACK dropped by the sut's filter",
		(int)id, pst_now_ms() - start);
	return id;
}

/* Is a COMM_UP of association id the next message queued on fd (looked at, not read)? */
static bool comm_up_queued(int fd, sctp_assoc_t id)
{
	union sctp_notification n;
	ssize_t r = recv(fd, &n, sizeof(n), MSG_PEEK | MSG_DONTWAIT);

	return r >= (ssize_t)sizeof(n.sn_assoc_change) &&
	       n.sn_header.sn_type == SCTP_ASSOC_CHANGE &&
	       n.sn_assoc_change.sac_state == SCTP_COMM_UP && n.sn_assoc_change.sac_assoc_id == id;
}

/*
 * The peeled association is id, in COOKIE_ECHOED. ESTABLISHED passes only
 * if a COOKIE ACK came in the instant between the peel and the new socket's
 * filter: then its COMM_UP is queued on the new socket.
 */
static void expect_cookie_echoed(int p, sctp_assoc_t id, const char *what)
{
	struct sctp_status s;

	if (pst_assoc_status(p, 0, &s) < 0) {
		pst_fail_at(__FILE__, __LINE__, false,
			    "%s: expected association %d COOKIE_ECHOED, got %s", what, (int)id,
			    pst_errname(errno));
		return;
	}
	if (s.sstat_assoc_id == id && s.sstat_state == SCTP_ESTABLISHED && comm_up_queued(p, id)) {
		pst_log("%s: a COOKIE ACK came before the new socket's filter: ESTABLISHED", what);
		return;
	}
	PST_EXPECT(s.sstat_assoc_id == id && s.sstat_state == SCTP_COOKIE_ECHOED,
		   "%s: expected association %d COOKIE_ECHOED, got association %d %s", what,
		   (int)id, (int)s.sstat_assoc_id, state_name(s.sstat_state));
}

static void cookie_echoed(struct pst_ctx *ctx)
{
	struct st_fx *fx = sfx(ctx);
	sctp_assoc_t id = hold_in_cookie_echoed(ctx);
	char buf[MSG_MAX];
	int p = peel(ctx, id, "COOKIE_ECHOED"), seen;
	ssize_t r;

	/* The new socket holds the COOKIE ACK back too, until the original is closed. */
	if (pst_filter_drop_first_chunk(p, PST_CHUNK_COOKIE_ACK) < 0)
		pst_broken("SO_ATTACH_FILTER on the new socket: %s", pst_errname(errno));
	pst_check(ctx, "state_moves");
	expect_cookie_echoed(p, id, "SCTP_STATUS on the new socket");
	pst_check(ctx, NULL);
	expect_gone_from_original(ctx, id);
	expect_bystander_untouched(ctx, 0);
	close_original(fx, 0);
	pst_check(ctx, "outlives_original");
	expect_cookie_echoed(p, id, "SCTP_STATUS of the peeled association after close(original)");
	pst_check(ctx, NULL);

	/* The next COOKIE ECHO's answer reaches the new socket: the association comes up there. */
	PST_SAFE(pst_filter_remove(p));
	pst_check(ctx, "completes_on_new_socket");
	if (pst_wait_assoc_change(p, id, SCTP_COMM_UP, PST_IO_TIMEOUT_MS, &seen) < 0)
		pst_fail_at(
		    __FILE__, __LINE__, true,
		    "the new socket, the COOKIE ACK let through: expected SCTP_ASSOC_CHANGE "
		    "COMM_UP of association %d, got %s (%s)",
		    (int)id, pst_assoc_change_name(seen), pst_errname(errno));
	PST_EXPECT_EQ(pst_assoc_state(p, 0), SCTP_ESTABLISHED,
		      "SCTP_STATUS state of the peeled association after its COMM_UP");
	pst_check(ctx, NULL);

	/* What was queued in COOKIE_ECHOED arrives once, before what the new socket sends. */
	accept_it(fx);
	pst_check(ctx, "data_once_in_order");
	r = pst_recv_data(fx->accepted, buf, sizeof(buf), PST_IO_TIMEOUT_MS);
	PST_EXPECT(r == (ssize_t)strlen(OPENING_MSG) &&
		       memcmp(buf, OPENING_MSG, strlen(OPENING_MSG)) == 0,
		   "the accepted side: expected '%s' (queued in COOKIE_ECHOED) first, got %s",
		   OPENING_MSG, r < 0 ? pst_errname(errno) : "other bytes");
	r = pst_send(p, 0, AFTER_PEEL_MSG, strlen(AFTER_PEEL_MSG));
	pst_check_ok_at(__FILE__, __LINE__, false, "send on the new socket after its COMM_UP",
			(long)r, errno);
	r = pst_recv_data(fx->accepted, buf, sizeof(buf), PST_IO_TIMEOUT_MS);
	PST_EXPECT(r == (ssize_t)strlen(AFTER_PEEL_MSG) &&
		       memcmp(buf, AFTER_PEEL_MSG, strlen(AFTER_PEEL_MSG)) == 0,
		   "the accepted side: expected '%s' next (the first message once only), got %s",
		   AFTER_PEEL_MSG,
		   r < 0			       ? pst_errname(errno)
		   : r == (ssize_t)strlen(OPENING_MSG) ? "the first message again"
						       : "other bytes");
	pst_expect_exchange(p, 0, fx->accepted, "the new socket <-> the listener's side");
	pst_check(ctx, NULL);
	close_peeled(ctx, fx->accepted, "the listener's side");
}

/* ---- SHUTDOWN_PENDING and SHUTDOWN_RECEIVED (REF-PEEL-SHUTDOWN) ---- */

/*
 * The peer's window holds the data back: its receive buffer is small and it
 * does not read (REF-BLOCKED-SENDER's recipe), so most of SD_MSGS stays
 * queued on the sut. The server's timers are short (a probe into the
 * closed window, and the retransmission of one the peer dropped, within
 * SD_RTO_MAX_MS) and both ends tolerate SD_MAX_RETRANS strikes, so nothing
 * gives up while the window is closed: in SHUTDOWN_PENDING the probes count
 * against the path and the association.
 */
#define SD_MSG_LEN	  1000
#define SD_MSGS		  12
#define SD_SEQ_BYTES	  4
#define SD_PEER_RCVBUF	  2048
#define SD_READ_RCVBUF	  65536
#define SD_RTO_MIN_MS	  20
#define SD_RTO_INITIAL_MS 40
#define SD_RTO_MAX_MS	  80
#define SD_SACK_MS	  10
#define SD_MAX_RETRANS	  2000
#define SD_LOOK_MS	  1
#define SD_NUM_MAX	  16 /* a sysctl value as text */

enum sd_kind { SD_PENDING, SD_RECEIVED };
struct sd_row {
	enum sd_kind kind;
	bool close_peeled_first; /* both sockets closed before the peer reads */
};

static void long_lived(int fd)
{
	struct sctp_assocparams ap = { .sasoc_assoc_id = 0, .sasoc_asocmaxrxt = SD_MAX_RETRANS };
	struct sctp_paddrparams pp = { .spp_assoc_id = 0, .spp_pathmaxrxt = SD_MAX_RETRANS };

	PST_SAFE(setsockopt(fd, IPPROTO_SCTP, SCTP_PEER_ADDR_PARAMS, &pp, sizeof(pp)));
	PST_SAFE(setsockopt(fd, IPPROTO_SCTP, SCTP_ASSOCINFO, &ap, sizeof(ap)));
}

static void sd_prepare_sut(struct pst_ctx *ctx, int sut)
{
	(void)ctx;
	long_lived(sut);
}

/* The target peer: a small window and a SACK for every packet. */
static void sd_prepare_peer(struct pst_ctx *ctx, int peer, int i)
{
	struct sctp_sack_info ack_at_once = { .sack_assoc_id = 0, .sack_delay = 0, .sack_freq = 1 };
	int rcvbuf = SD_PEER_RCVBUF;

	(void)ctx;
	long_lived(peer);
	if (i != TARGET)
		return;
	PST_SAFE(setsockopt(peer, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)));
	PST_SAFE(
	    setsockopt(peer, IPPROTO_SCTP, SCTP_DELAYED_SACK, &ack_at_once, sizeof(ack_at_once)));
}

static void set_ms(struct pst_ctx *ctx, const char *knob, unsigned ms)
{
	char v[SD_NUM_MAX];

	snprintf(v, sizeof(v), "%u", ms);
	pst_netns_sysctl_set(ctx, PST_SERVER, knob, v);
}

static void setup_shutdown(struct pst_ctx *ctx)
{
	static const struct pst_assoc_opts held = { .prepare_sut = sd_prepare_sut,
						    .prepare_peer = sd_prepare_peer };

	st_init(sfx(ctx));
	/*
	 * The server's side only: a peer in SHUTDOWN_SENT gives up at its T5
	 * guard, five times its rto_max, which stays the default there.
	 */
	set_ms(ctx, "net/sctp/rto_min", SD_RTO_MIN_MS);
	set_ms(ctx, "net/sctp/rto_max", SD_RTO_MAX_MS);
	set_ms(ctx, "net/sctp/rto_initial", SD_RTO_INITIAL_MS);
	set_ms(ctx, "net/sctp/sack_timeout", SD_SACK_MS);
	pst_assoc_setup_with(ctx, 2, &held);
	for (int i = 0; i < 2; i++)
		subscribe_peer(sfx(ctx)->a.peer[i]);
	sfx(ctx)->peer_mib = (int)PST_SAFE(pst_mib_open(ctx->topo, PST_CLIENT));
}

static const struct pst_fixture fx_shutdown = { "assoc2-held-window", sizeof(struct st_fx),
						setup_shutdown, st_teardown };

/* Message seq: its number, then a byte pattern that depends on it. */
static void make_msg(uint32_t seq, unsigned char *m)
{
	memset(m, 'a' + (int)(seq % 26), SD_MSG_LEN);
	memcpy(m, &seq, SD_SEQ_BYTES);
}

#define SD_DISCARDS "SctpInDataChunkDiscards" /* DATA the peer's netns dropped: no room */

/*
 * Nothing in flight can change what is queued: the peer's window is closed
 * (SCTP_STATUS), every DATA chunk the sut sent (first sends and
 * retransmissions) reached the peer, taken or dropped for want of room (the
 * client netns's SD_DISCARDS since discards_base), and the sut took every
 * SACK the peer sent (it sends one for every packet). 1 settled, 0 not yet.
 */
static int window_settled(const struct st_fx *fx, long discards_base, char *how, size_t len)
{
	struct sctp_status st = { .sstat_assoc_id = fx->a.id[TARGET] };
	struct sctp_assoc_stats sut = { .sas_assoc_id = fx->a.id[TARGET] },
				peer = { .sas_assoc_id = 0 };
	socklen_t l = sizeof(st);
	unsigned long long sent, arrived;
	long discards;

	if (getsockopt(fx->a.sut, IPPROTO_SCTP, SCTP_STATUS, &st, &l) < 0 || st.sstat_rwnd != 0)
		return 0;
	l = sizeof(sut);
	PST_SAFE(getsockopt(fx->a.sut, IPPROTO_SCTP, SCTP_GET_ASSOC_STATS, &sut, &l));
	l = sizeof(peer);
	PST_SAFE(getsockopt(fx->a.peer[TARGET], IPPROTO_SCTP, SCTP_GET_ASSOC_STATS, &peer, &l));
	discards = PST_SAFE(pst_mib_get(fx->peer_mib, SD_DISCARDS));
	sent = sut.sas_oodchunks + sut.sas_ouodchunks + sut.sas_rtxchunks;
	arrived = peer.sas_iodchunks + peer.sas_iuodchunks +
		  (unsigned long long)(discards - discards_base);
	snprintf(how, len,
		 "window 0, DATA chunks sent %llu, arrived %llu (%ld dropped), SACKs sent %llu, "
		 "taken %llu",
		 sent, arrived, discards - discards_base, (unsigned long long)peer.sas_osacks,
		 (unsigned long long)sut.sas_isacks);
	return sent == arrived && peer.sas_osacks == sut.sas_isacks;
}

/* ... queued on the target association; then wait until nothing in flight can change that. */
static void queue_behind_closed_window(struct st_fx *fx)
{
	unsigned char m[SD_MSG_LEN];
	long start = pst_now_ms();
	long discards_base = PST_SAFE(pst_mib_get(fx->peer_mib, SD_DISCARDS));
	char how[MSG_MAX] = "not looked at";

	for (uint32_t seq = 0; seq < SD_MSGS; seq++) {
		char cbuf[CMSG_SPACE(sizeof(struct sctp_sndinfo))] = { 0 };
		struct sctp_sndinfo si = { .snd_assoc_id = fx->a.id[TARGET] };
		struct iovec iov = { .iov_base = m, .iov_len = sizeof(m) };
		struct msghdr h = { .msg_iov = &iov,
				    .msg_iovlen = 1,
				    .msg_control = cbuf,
				    .msg_controllen = sizeof(cbuf) };
		struct cmsghdr *c = CMSG_FIRSTHDR(&h);

		make_msg(seq, m);
		c->cmsg_level = IPPROTO_SCTP;
		c->cmsg_type = SCTP_SNDINFO;
		c->cmsg_len = CMSG_LEN(sizeof(si));
		memcpy(CMSG_DATA(c), &si, sizeof(si));
		/* The send buffer takes them all: a send that would wait is a setup failure. */
		PST_SAFE(sendmsg(fx->a.sut, &h, MSG_NOSIGNAL | MSG_DONTWAIT));
	}
	while (!window_settled(fx, discards_base, how, sizeof(how))) {
		if (pst_now_ms() - start > PST_SETUP_TIMEOUT_MS)
			pst_broken("the target association did not settle behind the peer's closed "
				   "window within %d ms (%s)",
				   PST_SETUP_TIMEOUT_MS, how);
		pst_sleep_ms(SD_LOOK_MS);
	}
	pst_log("%d messages of %d bytes queued; settled after %ld ms: %s", SD_MSGS, SD_MSG_LEN,
		pst_now_ms() - start, how);
}

/* Bring the target association to the row's state and prove it; that state. */
static int hold_shutdown(struct pst_ctx *ctx, const struct sd_row *row)
{
	struct st_fx *fx = sfx(ctx);
	sctp_assoc_t id = fx->a.id[TARGET];
	int want = row->kind == SD_PENDING ? SCTP_SHUTDOWN_PENDING : SCTP_SHUTDOWN_RECEIVED;
	long start = pst_now_ms();
	int got;

	queue_behind_closed_window(fx);
	if (row->kind == SD_PENDING)
		PST_SAFE(pst_send_sflags(fx->a.sut, id, SCTP_EOF));
	else
		PST_SAFE(shutdown(fx->a.peer[TARGET], SHUT_WR));
	while ((got = pst_assoc_state(fx->a.sut, id)) != want) {
		if (pst_now_ms() - start > PST_SETUP_TIMEOUT_MS)
			pst_broken("the target association: expected %s within %d ms (data queued "
				   "behind the peer's closed window), got %s",
				   state_name(want), PST_SETUP_TIMEOUT_MS,
				   got < 0 ? pst_errname(errno) : state_name(got));
		pst_sleep_ms(SD_LOOK_MS);
	}
	pst_log("association %d held in %s", (int)id, state_name(want));
	return want;
}

/* One association's row of /proc/net/sctp/assocs (the thread's netns). */
struct assoc_row {
	sctp_assoc_t id;     /* which association: set by the caller */
	unsigned long inode; /* of the socket that owns it */
	long tx_queue;	     /* its send buffer use (sndbuf_used) */
	long wmem_queued;    /* its socket's sk_wmem_queued */
	bool found;
};

/* The rows of n associations, from one read of the table: 0, or -1 (errno; ENOENT: one missing). */
static int assoc_rows(struct assoc_row *rows, int n)
{
	FILE *f = fopen("/proc/thread-self/net/sctp/assocs", "re");
	char line[LINE_MAX_IN];
	int missing = n;

	if (!f)
		return -1;
	for (int i = 0; i < n; i++)
		rows[i].found = false;
	while (missing && fgets(line, sizeof(line), f)) {
		const char *tab = strchr(line, '\t');
		struct assoc_row r = { .found = true };
		int aid;

		/* ASSOC SOCK STY SST ST HBKT ASSOC-ID TX_QUEUE RX_QUEUE UID INODE ... */
		if (!tab || sscanf(line, "%*s %*s %*d %*d %*d %*d %d %ld %*d %*u %lu", &aid,
				   &r.tx_queue, &r.inode) != 3)
			continue;
		/* ... \t HBINT INS OUTS MAXRT T1X T2X RTXC wmema wmemq sndbuf rcvbuf */
		if (sscanf(tab, "%*u %*d %*d %*d %*d %*d %*d %*d %ld", &r.wmem_queued) != 1)
			continue;
		r.id = aid;
		for (int i = 0; i < n; i++)
			if (rows[i].id == aid && !rows[i].found) {
				rows[i] = r;
				missing--;
			}
	}
	fclose(f);
	if (missing)
		errno = ENOENT;
	return missing ? -1 : 0;
}

static unsigned long inode_of(int fd)
{
	struct stat sb;

	return fstat(fd, &sb) == 0 ? (unsigned long)sb.st_ino : 0;
}

/*
 * The queued data is the new socket's, as if it had always been: the
 * association's row names the new socket, its send buffer use is what it
 * was, and each socket's queued bytes are its own associations' only.
 */
static void expect_sndbuf_moved(struct pst_ctx *ctx, const struct assoc_row *before)
{
	struct st_fx *fx = sfx(ctx);
	struct assoc_row rows[] = { { .id = fx->a.id[TARGET] }, { .id = fx->a.id[BYSTANDER] } };
	const struct assoc_row *t = &rows[0], *b = &rows[1];

	pst_check(ctx, "sndbuf_moves");
	if (assoc_rows(rows, (int)PST_ARRAY_SIZE(rows)) < 0) {
		pst_fail_at(__FILE__, __LINE__, false,
			    "/proc/net/sctp/assocs after the peel: expected both associations, "
			    "got %s",
			    pst_errname(errno));
		pst_check(ctx, NULL);
		return;
	}
	PST_EXPECT(t->inode == inode_of(fx->p),
		   "/proc/net/sctp/assocs: expected the peeled association on the new socket "
		   "(inode %lu), got inode %lu (the original's is %lu)",
		   inode_of(fx->p), t->inode, inode_of(fx->a.sut));
	PST_EXPECT_EQ(t->tx_queue, before->tx_queue,
		      "the peeled association's send buffer use (TX_QUEUE) across the peel");
	PST_EXPECT(t->wmem_queued == t->tx_queue,
		   "the new socket's queued bytes (wmemq): expected its association's %ld, got %ld",
		   t->tx_queue, t->wmem_queued);
	PST_EXPECT(b->wmem_queued == b->tx_queue,
		   "the original's queued bytes (wmemq) after the peel: expected its remaining "
		   "association's %ld, got %ld",
		   b->tx_queue, b->wmem_queued);
	pst_check(ctx, NULL);
}

/* The peer reads what was queued: all of it, in order, once; then the association ends. */
static void expect_drained_then_closed(struct pst_ctx *ctx, int peer)
{
	int rcvbuf = SD_READ_RCVBUF;
	unsigned char got[SD_MSG_LEN * 2], want[SD_MSG_LEN];
	ssize_t n;

	PST_SAFE(setsockopt(peer, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)));
	pst_check(ctx, "data_once_in_order");
	for (uint32_t seq = 0; seq < SD_MSGS; seq++) {
		uint32_t gseq = 0;

		make_msg(seq, want);
		n = pst_recv_data(peer, got, sizeof(got), PST_IO_TIMEOUT_MS);
		if (n >= SD_SEQ_BYTES)
			memcpy(&gseq, got, SD_SEQ_BYTES);
		if (n != SD_MSG_LEN || memcmp(got, want, SD_MSG_LEN) != 0) {
			pst_fail_at(__FILE__, __LINE__, false,
				    "the peer reading the queued data: expected message %u of %d "
				    "(%d bytes), got %s",
				    seq, SD_MSGS, SD_MSG_LEN,
				    n < 0    ? pst_errname(errno)
				    : n == 0 ? "end of file"
					     : "another");
			if (n > 0)
				pst_log("got %zd bytes numbered %u", n, gseq);
			pst_check(ctx, NULL);
			return;
		}
	}
	/*
	 * A graceful shutdown: all data first, then the end (RFC 6458 5.3.4),
	 * and nothing else between (no message twice, none sent after the
	 * shutdown began). The end is the peer's SHUTDOWN_COMP: a peer that
	 * shut down itself (SHUT_WR) sees no end of file on Linux. A peer that
	 * did not may read end of file first: the SHUTDOWN it got ends its
	 * receiving (RCV_SHUTDOWN) before its SHUTDOWN_COMP is queued, a moment
	 * later (seen on a 2-vCPU guest): that end of file is read past, until
	 * the notification or the deadline.
	 */
	for (long deadline = pst_now_ms() + PST_IO_TIMEOUT_MS;;) {
		union sctp_notification *no = (union sctp_notification *)got;
		int flags = 0;

		n = pst_recv_msg(peer, got, sizeof(got), PST_IO_TIMEOUT_MS, &flags);
		if (n == 0 && pst_now_ms() < deadline) {
			pst_sleep_ms(PST_POLL_MS);
			continue;
		}
		if (n > 0 && !(flags & MSG_NOTIFICATION)) {
			pst_fail_at(__FILE__, __LINE__, false,
				    "the peer after the %d queued messages: expected no more data, "
				    "got %zd bytes more",
				    SD_MSGS, n);
			continue;
		}
		pst_check(ctx, "shutdown_completes");
		if (n > 0 && no->sn_header.sn_type == SCTP_ASSOC_CHANGE &&
		    no->sn_assoc_change.sac_state == SCTP_SHUTDOWN_COMP)
			break;
		if (n <= 0 || (no->sn_header.sn_type == SCTP_ASSOC_CHANGE &&
			       no->sn_assoc_change.sac_state != SCTP_COMM_UP)) {
			pst_fail_at(__FILE__, __LINE__, false,
				    "the peer after the %d queued messages: expected "
				    "SCTP_ASSOC_CHANGE SHUTDOWN_COMP, got %s",
				    SD_MSGS,
				    n < 0 ? pst_errname(errno)
				    : n == 0
					? "end of file"
					: pst_assoc_change_name(no->sn_assoc_change.sac_state));
			break;
		}
		pst_check(ctx, "data_once_in_order");
	}
	pst_check(ctx, NULL);
}

static void shutdown_state(struct pst_ctx *ctx)
{
	const struct sd_row *row = ctx->param;
	struct st_fx *fx = sfx(ctx);
	sctp_assoc_t id = fx->a.id[TARGET];
	int want = hold_shutdown(ctx, row), p, seen;
	struct assoc_row before = { .id = id };
	static const char late[] = "sent after the shutdown began";

	if (assoc_rows(&before, 1) < 0)
		pst_broken("/proc/net/sctp/assocs has no row for association %d: %s", (int)id,
			   pst_errname(errno));
	pst_log("before the peel: TX_QUEUE %ld, the original's wmemq %ld", before.tx_queue,
		before.wmem_queued);
	p = peel(ctx, id, state_name(want));

	pst_check(ctx, "state_moves");
	PST_EXPECT(pst_assoc_state(p, 0) == want,
		   "SCTP_STATUS of the peeled association: expected %s, got %s", state_name(want),
		   state_text(p, 0));
	pst_check(ctx, NULL);
	expect_sndbuf_moved(ctx, &before);
	expect_gone_from_original(ctx, id);
	expect_bystander_untouched(ctx, BYSTANDER);
	close_original(fx, BYSTANDER);
	expect_outlives_original(ctx, want);

	/* The shutdown goes on: the new socket's user may add no data (RFC 4960 9.2). */
	pst_check(ctx, "new_data_refused");
	PST_EXPECT_ERRNO(pst_send(p, 0, late, sizeof(late)), ESHUTDOWN);
	pst_check(ctx, NULL);

	if (row->close_peeled_first) {
		/* Both sockets gone; the association finishes on its own once the peer reads. */
		close(p);
		fx->p = -1;
		expect_drained_then_closed(ctx, fx->a.peer[TARGET]);
		return;
	}
	expect_drained_then_closed(ctx, fx->a.peer[TARGET]);
	pst_check(ctx, "completes_on_new_socket");
	if (pst_wait_assoc_change(p, 0, SCTP_SHUTDOWN_COMP, PST_IO_TIMEOUT_MS, &seen) < 0)
		pst_fail_at(__FILE__, __LINE__, false,
			    "the new socket after the peer read everything: expected "
			    "SCTP_ASSOC_CHANGE SHUTDOWN_COMP, got %s (%s)",
			    pst_assoc_change_name(seen), pst_errname(errno));
	pst_check(ctx, NULL);
	close(p);
	fx->p = -1;
}

static const struct sd_row sd_pending = { SD_PENDING, false },
			   sd_pending_closed = { SD_PENDING, true },
			   sd_received = { SD_RECEIVED, false },
			   sd_received_closed = { SD_RECEIVED, true };

/* ---- A path already failed (REF-PEEL-FAILED-PATH) ---- */

/*
 * Timers in both namespaces (ms), as peeloff_multihoming's: a path's third
 * unanswered heartbeat fails it; a DATA chunk lost on it goes over the
 * other path after one RTO.
 */
#define FP_RTO_MIN_MS	    20
#define FP_RTO_INITIAL_MS   40
#define FP_RTO_MAX_MS	    80
#define FP_SACK_MS	    10
#define FP_PATH_MAX_RETRANS 2
#define FP_DEMAND_SLICE_MS                                                    \
	10 /* after each requested heartbeat, how long to look for the report \
	    */
#define FAILED_PATH 0
#define GOOD_PATH   1

static void fp_prepare_sut(struct pst_ctx *ctx, int sut)
{
	(void)ctx;
	PST_SAFE(pst_subscribe(sut, SCTP_PEER_ADDR_CHANGE));
}

/* Request a heartbeat on fd's path to addr now (SPP_HB_DEMAND). */
static void demand_heartbeat(int fd, sctp_assoc_t id, const struct sockaddr_storage *addr)
{
	struct sctp_paddrparams pp = { .spp_assoc_id = id, .spp_flags = SPP_HB_DEMAND };

	memcpy(&pp.spp_address, addr, sizeof(pp.spp_address));
	PST_SAFE(setsockopt(fd, IPPROTO_SCTP, SCTP_PEER_ADDR_PARAMS, &pp, sizeof(pp)));
}

/*
 * Drive fd's path to addr with requested heartbeats until fd reports it in
 * this SCTP_PEER_ADDR_CHANGE state; 0, or -1 after PST_IO_TIMEOUT_MS of it.
 * Only notifications come on fd meanwhile (no data is sent to it).
 */
static int drive_path(int fd, sctp_assoc_t id, const struct sockaddr_storage *addr, int state,
		      int *demands)
{
	for (*demands = 0; *demands * FP_DEMAND_SLICE_MS < PST_IO_TIMEOUT_MS;) {
		union sctp_notification n;
		int flags = 0;
		ssize_t r;

		demand_heartbeat(fd, id, addr);
		(*demands)++;
		r = pst_recv_msg(fd, &n, sizeof(n), FP_DEMAND_SLICE_MS, &flags);
		if (r >= (ssize_t)sizeof(n.sn_paddr_change) && (flags & MSG_NOTIFICATION) &&
		    n.sn_header.sn_type == SCTP_PEER_ADDR_CHANGE &&
		    n.sn_paddr_change.spc_state == state) {
			struct sockaddr_storage a;

			/* A packed member: copied out before use. */
			memcpy(&a, &n.sn_paddr_change.spc_aaddr, sizeof(a));
			if (pst_same_addr(&a, addr))
				return 0;
		}
	}
	return -1;
}

static void setup_failed_path(struct pst_ctx *ctx)
{
	static const struct pst_assoc_opts multihomed = { .prepare_sut = fp_prepare_sut,
							  .peers_multihomed = true };
	static const struct pst_sctp_timers fast_failover = { .rto_min = FP_RTO_MIN_MS,
							      .rto_initial = FP_RTO_INITIAL_MS,
							      .rto_max = FP_RTO_MAX_MS,
							      .sack_timeout = FP_SACK_MS,
							      .path_max_retrans =
								  FP_PATH_MAX_RETRANS };
	struct st_fx *fx = sfx(ctx);

	st_init(fx);
	pst_sctp_timers_set(ctx, &fast_failover);
	pst_assoc_setup_with(ctx, 2, &multihomed);
	for (int i = 0; i < 2; i++) {
		struct sockaddr_storage a;
		int demands;

		subscribe_peer(fx->a.peer[i]);
		/* Both paths of both associations confirmed: a failover has a path to go to. */
		for (int path = 0; path < PST_PATHS; path++) {
			pst_addr(PST_CLIENT, ctx->family, path, pst_local_port(fx->a.peer[i]), &a);
			if (pst_path_state(fx->a.sut, fx->a.id[i], &a) == SCTP_UNCONFIRMED &&
			    drive_path(fx->a.sut, fx->a.id[i], &a, SCTP_ADDR_CONFIRMED, &demands) <
				0)
				pst_broken("association %d's path to %s: not confirmed after %d "
					   "requested heartbeats",
					   (int)fx->a.id[i], pst_addr_text(&a).s, demands);
		}
	}
}

static const struct pst_fixture fx_failed_path = { "assoc2-multihomed-fast-failover",
						   sizeof(struct st_fx), setup_failed_path,
						   st_teardown };

static void failed_path(struct pst_ctx *ctx)
{
	struct st_fx *fx = sfx(ctx);
	int peer = fx->a.peer[TARGET], demands, s, p;
	sctp_assoc_t id = fx->a.id[TARGET];
	struct sockaddr_storage failed, good, other[PST_PATHS];

	pst_addr(PST_CLIENT, ctx->family, FAILED_PATH, pst_local_port(peer), &failed);
	pst_addr(PST_CLIENT, ctx->family, GOOD_PATH, pst_local_port(peer), &good);
	/* The target's peer stops getting what comes to its path-0 address. */
	if (pst_filter_drop_to(peer, &failed) < 0)
		pst_skip("a path of one association cannot be failed here: SO_ATTACH_FILTER on the "
			 "peer failed (%s)",
			 pst_errname(errno));
	if (drive_path(fx->a.sut, id, &failed, SCTP_ADDR_UNREACHABLE, &demands) < 0)
		pst_broken("the path to %s: no SCTP_PEER_ADDR_CHANGE ADDR_UNREACHABLE after %d "
			   "unanswered heartbeats (state %s)",
			   pst_addr_text(&failed).s, demands,
			   pst_path_state_name(pst_path_state(fx->a.sut, id, &failed)));
	if ((s = pst_path_state(fx->a.sut, id, &failed)) != SCTP_INACTIVE)
		pst_broken("the path to %s after ADDR_UNREACHABLE: expected INACTIVE, got %s",
			   pst_addr_text(&failed).s, pst_path_state_name(s));
	pst_log("the path to %s failed after %d unanswered heartbeats", pst_addr_text(&failed).s,
		demands);

	p = peel(ctx, id, "ESTABLISHED with a failed path");
	pst_check(ctx, "failed_path_stays_failed");
	PST_EXPECT(
	    (s = pst_path_state(p, 0, &failed)) == SCTP_INACTIVE,
	    "the new socket's path to %s (failed before the peel): expected INACTIVE, got %s",
	    pst_addr_text(&failed).s, pst_path_state_name(s));
	PST_EXPECT((s = pst_path_state(p, 0, &good)) == SCTP_ACTIVE,
		   "the new socket's path to %s: expected ACTIVE, got %s", pst_addr_text(&good).s,
		   pst_path_state_name(s));
	pst_check(ctx, NULL);
	expect_gone_from_original(ctx, id);

	pst_check(ctx, "other_assoc_untouched");
	for (int path = 0; path < PST_PATHS; path++) {
		pst_addr(PST_CLIENT, ctx->family, path, pst_local_port(fx->a.peer[BYSTANDER]),
			 &other[path]);
		PST_EXPECT((s = pst_path_state(fx->a.sut, fx->a.id[BYSTANDER], &other[path])) ==
			       SCTP_ACTIVE,
			   "the original's other association, its path to %s: expected ACTIVE, "
			   "got %s",
			   pst_addr_text(&other[path]).s, pst_path_state_name(s));
	}
	pst_check(ctx, NULL);
	expect_bystander_untouched(ctx, BYSTANDER);
	close_original(fx, BYSTANDER);
	expect_outlives_original(ctx, SCTP_ESTABLISHED);

	pst_check(ctx, "other_path_carries_data");
	pst_expect_exchange(p, 0, peer, "the new socket <-> its peer, one path failed");
	PST_EXPECT((s = pst_path_state(p, 0, &failed)) == SCTP_INACTIVE,
		   "the new socket's path to %s after data flowed: expected still INACTIVE, got %s",
		   pst_addr_text(&failed).s, pst_path_state_name(s));
	pst_check(ctx, NULL);

	/* The path comes back: the new socket's heartbeats are answered again. */
	PST_SAFE(pst_filter_remove(peer));
	pst_check(ctx, "recovery_on_new_socket");
	if (drive_path(p, 0, &failed, SCTP_ADDR_AVAILABLE, &demands) < 0)
		pst_fail_at(__FILE__, __LINE__, false,
			    "the new socket, its peer answering on %s again: expected "
			    "SCTP_PEER_ADDR_CHANGE ADDR_AVAILABLE, got none after %d requested "
			    "heartbeats (state %s)",
			    pst_addr_text(&failed).s, demands,
			    pst_path_state_name(pst_path_state(p, 0, &failed)));
	pst_check(ctx, NULL);
	close_peeled(ctx, peer, "the peer");
}

/* ---- Bound to the wildcard address (REF-PEEL-WILDCARD) ---- */

static void setup_wildcard(struct pst_ctx *ctx)
{
	static const struct pst_assoc_opts wildcard_sut = { .sut_wildcard = true };

	st_init(sfx(ctx));
	/* The sut, and a socket peeled from it, join the netns's automatic ASCONF list. */
	pst_netns_sysctl_set(ctx, PST_SERVER, "net/sctp/default_auto_asconf", "1");
	pst_assoc_setup_with(ctx, 2, &wildcard_sut);
	for (int i = 0; i < 2; i++)
		subscribe_peer(sfx(ctx)->a.peer[i]);
}

static const struct pst_fixture fx_wildcard = { "assoc2-wildcard-auto-asconf", sizeof(struct st_fx),
						setup_wildcard, st_teardown };

/* The two lists hold the same addresses (any order). */
static bool same_set(const struct sockaddr_storage *a, int na, const struct sockaddr_storage *b,
		     int nb)
{
	if (na != nb || na < 0 || na > PST_ADDRS_MAX)
		return false;
	for (int i = 0; i < na; i++) {
		bool found = false;

		for (int j = 0; j < nb && !found; j++)
			found = pst_same_addr(&a[i], &b[j]);
		if (!found)
			return false;
	}
	return true;
}

static const char *list_text(const struct sockaddr_storage *a, int n)
{
	static char s[2][512];
	static int which;
	char *out = s[which++ % 2];
	size_t off = 0;

	if (n < 0)
		return pst_errname(errno);
	snprintf(out, sizeof(s[0]), "none");
	for (int i = 0; i < n && i < PST_ADDRS_MAX && off < sizeof(s[0]); i++)
		off += (size_t)snprintf(out + off, sizeof(s[0]) - off, "%s%s", i ? ", " : "",
					pst_addr_text(&a[i]).s);
	return out;
}

/* The wildcard address of family with the server port. */
static void wildcard_addr(int family, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	ss->ss_family = (sa_family_t)family;
	pst_set_port(ss, PST_SERVER_PORT);
	if (family == AF_INET)
		((struct sockaddr_in *)ss)->sin_addr.s_addr = htonl(INADDR_ANY);
	else
		((struct sockaddr_in6 *)ss)->sin6_addr = in6addr_any;
}

/* A socket of the family bound to the wildcard address and the server port: 0, or -1 (errno). */
static int bind_port_again(int family)
{
	struct sockaddr_storage ss;
	int fd = socket(family, SOCK_SEQPACKET, IPPROTO_SCTP), r, e;

	if (fd < 0)
		return -1;
	wildcard_addr(family, &ss);
	r = bind(fd, (struct sockaddr *)&ss, pst_salen(family));
	e = errno;
	close(fd);
	errno = e;
	return r;
}

static void wildcard_bound(struct pst_ctx *ctx)
{
	struct st_fx *fx = sfx(ctx);
	sctp_assoc_t id = fx->a.id[TARGET];
	struct sockaddr_storage l0[PST_ADDRS_MAX], l1[PST_ADDRS_MAX], r0[PST_ADDRS_MAX],
	    r1[PST_ADDRS_MAX];
	struct sockaddr_storage e0[PST_ADDRS_MAX], e1[PST_ADDRS_MAX], n0, n1;
	socklen_t n0len = sizeof(n0), n1len = sizeof(n1);
	int nl0, nl1, nr0, nr1, ne0, ne1, p, r;
	long start;

	nl0 = pst_sctp_addrs(fx->a.sut, SCTP_GET_LOCAL_ADDRS, id, l0, PST_ADDRS_MAX);
	nr0 = pst_sctp_addrs(fx->a.sut, SCTP_GET_PEER_ADDRS, id, r0, PST_ADDRS_MAX);
	ne0 = pst_sctp_addrs(fx->a.sut, SCTP_GET_LOCAL_ADDRS, 0, e0, PST_ADDRS_MAX);
	if (nl0 < 1 || nr0 < 1 || ne0 < 1 || getsockname(fx->a.sut, (struct sockaddr *)&n0, &n0len))
		pst_broken("the sut's addresses: %s", pst_errname(errno));
	pst_log("on the wildcard-bound original: the association's local addresses %s; the "
		"endpoint's %s",
		list_text(l0, nl0), list_text(e0, ne0));

	p = peel(ctx, id, "ESTABLISHED, on a wildcard-bound socket");
	pst_check(ctx, "assoc_addresses_kept");
	/* On the new (one-to-one style) socket any id names its association. */
	nl1 = pst_sctp_addrs(p, SCTP_GET_LOCAL_ADDRS, id, l1, PST_ADDRS_MAX);
	nr1 = pst_sctp_addrs(p, SCTP_GET_PEER_ADDRS, 0, r1, PST_ADDRS_MAX);
	PST_EXPECT(same_set(l0, nl0, l1, nl1),
		   "SCTP_GET_LOCAL_ADDRS of the association on the new socket: expected what it "
		   "had on the original (%s), got %s",
		   list_text(l0, nl0), list_text(l1, nl1));
	PST_EXPECT(same_set(r0, nr0, r1, nr1),
		   "SCTP_GET_PEER_ADDRS on the new socket: expected what the association had on "
		   "the original (%s), got %s",
		   list_text(r0, nr0), list_text(r1, nr1));
	pst_check(ctx, "endpoint_like_original");
	ne1 = pst_sctp_addrs(p, SCTP_GET_LOCAL_ADDRS, 0, e1, PST_ADDRS_MAX);
	PST_EXPECT(same_set(e0, ne0, e1, ne1),
		   "SCTP_GET_LOCAL_ADDRS of the new socket's endpoint (id 0): expected the "
		   "original's wildcard expansion (%s), got %s",
		   list_text(e0, ne0), list_text(e1, ne1));
	/*
	 * The port; the address is logged only: once it has associations a
	 * wildcard-bound socket names one of its addresses, which an IPv4
	 * socket peeled from it copies and an IPv6 one does not ([::]).
	 */
	if (getsockname(p, (struct sockaddr *)&n1, &n1len) < 0)
		pst_fail_at(__FILE__, __LINE__, false,
			    "getsockname() of the new socket: expected port %d, got %s",
			    PST_SERVER_PORT, pst_errname(errno));
	else
		PST_EXPECT(pst_port_of(&n1) == PST_SERVER_PORT,
			   "getsockname() of the new socket: expected the original's port %d, got "
			   "%s",
			   PST_SERVER_PORT, pst_addr_text(&n1).s);
	pst_log("getsockname(): the original %s, the new socket %s", pst_addr_text(&n0).s,
		pst_addr_text(&n1).s);
	pst_check(ctx, NULL);
	expect_gone_from_original(ctx, id);
	expect_bystander_untouched(ctx, BYSTANDER);

	close_original(fx, BYSTANDER);
	expect_outlives_original(ctx, SCTP_ESTABLISHED);
	pst_check(ctx, "data_once_in_order");
	pst_expect_exchange(p, 0, fx->a.peer[TARGET], "the new socket <-> its peer");
	pst_check(ctx, "port_held_by_new_socket");
	PST_EXPECT_ERRNO(bind_port_again(ctx->family), EADDRINUSE);
	pst_check(ctx, NULL);
	close_peeled(ctx, fx->a.peer[TARGET], "the peer");

	/* Both sockets gone: the port is free again, once the association has ended. */
	pst_check(ctx, "port_released");
	start = pst_now_ms();
	while ((r = bind_port_again(ctx->family)) < 0 && errno == EADDRINUSE &&
	       pst_now_ms() - start < PST_IO_TIMEOUT_MS)
		pst_sleep_ms(SD_LOOK_MS);
	PST_EXPECT(r == 0,
		   "bind() to the wildcard address and port %d after both sockets closed: "
		   "expected success, got %s",
		   PST_SERVER_PORT, pst_errname(errno));
	pst_check(ctx, NULL);
}

/* ---- The cases ---- */

/* Every peel of an IPv6 socket copies its sctp_sock past the IPv6 part. */
#define TAG_COPY_V6 "linux-git:fe81d9f6182d"
/* The outbound queue's chunks change owner at the peel (send buffer accounting). */
#define TAG_OUTQ "linux-git:d04adf1b3551 linux-git:a8dd397903a6 linux-git:5c3e82fe1596 " TAG_COPY_V6

/* The checks every case declares; each case adds its own. */
#define CHECKS_COMMON                                                                          \
	"peels separated outlives_original close_peeled_ends_it safety:other_assoc_untouched " \
	"safety:data_once_in_order "

#define REQS_COMMON "RFC-9.2-BRANCH RFC-3.1-SEPARATE RFC-3.1-CLOSE-ORIG RFC-3.1.5-CLOSE-PEELED "
/* Where no document says an association in that state can be peeled (the peel is a reference). */
#define REQS_STATE "RFC-3.1-SEPARATE RFC-3.1-CLOSE-ORIG "

#define ACTIVE(cname, row)                                                                \
	{                                                                                 \
		.name = (cname), .fn = actively_opened, .fixture = &fx_active,            \
		.axes = PST_AXIS_FAMILY, .reqs = REQS_COMMON "IMPL-LNX-PEEL-ACTIVE-OPEN", \
		.tags = "linux-git:8467dda0c265 " TAG_COPY_V6,                            \
		.checks = CHECKS_COMMON "ref:state_moves=REF-PEEL-ACTIVE-OPEN "           \
					"ref:peer_name=REF-PEELED-GETPEERNAME",           \
		.param = &(row)                                                           \
	}

#define SHUTDOWN_CASE(cname, row)                                                            \
	{                                                                                    \
		.name = (cname), .fn = shutdown_state, .fixture = &fx_shutdown,              \
		.axes = PST_AXIS_FAMILY,                                                     \
		.reqs = REQS_STATE "RFC-5.3.4-EOF IMPL-LNX-PEEL-SHUTDOWN", .tags = TAG_OUTQ, \
		.checks = "ref:peels=REF-PEEL-SHUTDOWN separated outlives_original "         \
			  "safety:other_assoc_untouched safety:data_once_in_order "          \
			  "shutdown_completes ref:state_moves=REF-PEEL-SHUTDOWN "            \
			  "ref:sndbuf_moves=REF-PEEL-SHUTDOWN "                              \
			  "ref:new_data_refused=REF-PEEL-SHUTDOWN "                          \
			  "ref:completes_on_new_socket=REF-PEEL-SHUTDOWN",                   \
		.param = &(row)                                                              \
	}

static const struct pst_case cases[] = {
	ACTIVE("peeloff_assoc_opened_by_connectx_moves_and_outlives_original", by_connectx),
	ACTIVE("peeloff_assoc_opened_by_sendmsg_moves_and_outlives_original", by_sendmsg),
	{ .name = "peeloff_in_cookie_echoed_comes_up_on_new_socket",
	  .fn = cookie_echoed,
	  .fixture = &fx_cookie_echoed,
	  .axes = PST_AXIS_FAMILY,
	  .reqs = REQS_STATE "RFC-3.1.5-CLOSE-PEELED IMPL-LNX-PEEL-COOKIE-ECHOED",
	  .tags = TAG_OUTQ,
	  .checks = "ref:peels=REF-PEEL-COOKIE-ECHOED separated outlives_original "
		    "close_peeled_ends_it safety:other_assoc_untouched safety:data_once_in_order "
		    "ref:state_moves=REF-PEEL-COOKIE-ECHOED "
		    "ref:completes_on_new_socket=REF-PEEL-COOKIE-ECHOED" },
	SHUTDOWN_CASE("peeloff_in_shutdown_pending_completes_shutdown_on_new_socket", sd_pending),
	SHUTDOWN_CASE("peeloff_in_shutdown_pending_then_both_closed_delivers_all_data",
		      sd_pending_closed),
	SHUTDOWN_CASE("peeloff_in_shutdown_received_completes_shutdown_on_new_socket", sd_received),
	SHUTDOWN_CASE("peeloff_in_shutdown_received_then_both_closed_delivers_all_data",
		      sd_received_closed),
	{ .name = "peeloff_with_failed_path_keeps_it_failed_other_path_carries_data",
	  .fn = failed_path,
	  .fixture = &fx_failed_path,
	  .axes = PST_AXIS_FAMILY,
	  .reqs = REQS_COMMON "IMPL-LNX-PEEL-FAILED-PATH",
	  .tags = TAG_COPY_V6,
	  .checks = "peels separated outlives_original close_peeled_ends_it "
		    "safety:other_assoc_untouched "
		    "ref:failed_path_stays_failed=REF-PEEL-FAILED-PATH "
		    "ref:other_path_carries_data=REF-PEEL-FAILED-PATH "
		    "ref:recovery_on_new_socket=REF-PEEL-FAILED-PATH" },
	{ .name = "peeloff_from_wildcard_bound_socket_keeps_addresses_and_port",
	  .fn = wildcard_bound,
	  .fixture = &fx_wildcard,
	  .axes = PST_AXIS_FAMILY,
	  .reqs = REQS_COMMON "IMPL-LNX-PEEL-WILDCARD",
	  .tags = "CVE-2021-23133 linux-git:34e5b0118685 linux-git:6feb37b3b06e " TAG_COPY_V6,
	  .checks = CHECKS_COMMON "ref:assoc_addresses_kept=REF-PEEL-WILDCARD "
				  "ref:endpoint_like_original=REF-PEEL-WILDCARD "
				  "ref:port_held_by_new_socket=REF-PEEL-WILDCARD "
				  "ref:port_released=REF-PEEL-WILDCARD" },
};

PST_SUITE(pst_suite_migrate_states, "peeloff_migrate_states",
	  "The association peeled in other states: opened actively, COOKIE_ECHOED, "
	  "SHUTDOWN_PENDING, SHUTDOWN_RECEIVED, a failed path, a wildcard-bound socket; then "
	  "both sockets closed",
	  cases);
