/*
 * Multihoming on the peeled socket: the association keeps all its paths
 * after the peel, fails over between them, and reports path changes on the
 * new socket only. RFC 6458 3.1 (all control and data operations through the
 * new socket), Linux sctp_peeloff(3) DESCRIPTION; REF-MULTIHOMING-ADDRESSES and
 * REF-MULTIHOMING-FAILOVER in suites/requirements/REFERENCES.md.
 *
 * Its own fixture: both ends explicitly bound to both addresses of their side
 * (so the address lists are exact), and short timers in both namespaces (set
 * before the association exists, so every path of it starts with them): a
 * DATA chunk lost on a failed path is retransmitted over the other within
 * tens of ms. Path failure and recovery are driven, not waited for: Linux's
 * heartbeat timer fires at most every 200 ms (sctp_transport_timeout), so
 * the cases request heartbeats on the path (SPP_HB_DEMAND; RFC 4960 8.3 D:
 * each one unacknowledged counts against the path, and an acknowledged one
 * makes it active again) until the kernel reports the change.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../fixtures/addr.h"
#include "../fixtures/assoc.h"
#include "../fixtures/io.h"
#include "../fixtures/netns_sysctl.h"
#include "../fixtures/waiters.h"
#include "suites.h"

#define MSG_MAX 256

/*
 * Timers (ms) in both namespaces: a lost DATA chunk is retransmitted on the
 * other path after one RTO; SACKs come well within an RTO; a path's first
 * strike makes it potentially failed (data avoids it), its third failed.
 */
#define RTO_MIN_MS	 20
#define RTO_INITIAL_MS	 40
#define RTO_MAX_MS	 80
#define SACK_TIMEOUT_MS	 10
#define PATH_MAX_RETRANS 2
#define DEMAND_SLICE_MS	 10 /* after each requested heartbeat, how long to look for the report */
#define FAILOVER_ROUNDS	 3  /* messages each way over the surviving path */
#define FAILED_PATH	 0  /* the primary path: the fixture sets up over it */

/* "192.0.2.1:5001" / "[2001:db8:0:1::1]:5001" into one of a few rotating buffers. */
static const char *addr_str(const struct sockaddr_storage *ss)
{
	static char s[4][INET6_ADDRSTRLEN + 16];
	static int which;
	char *out = s[which++ % 4], a[INET6_ADDRSTRLEN] = "?";

	if (ss->ss_family == AF_INET6) {
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ss)->sin6_addr, a, sizeof(a));
		snprintf(out, sizeof(s[0]), "[%s]:%u", a, pst_port_of(ss));
	} else if (ss->ss_family == AF_INET) {
		inet_ntop(AF_INET, &((const struct sockaddr_in *)ss)->sin_addr, a, sizeof(a));
		snprintf(out, sizeof(s[0]), "%s:%u", a, pst_port_of(ss));
	} else {
		snprintf(out, sizeof(s[0]), "(family %u)", ss->ss_family);
	}
	return out;
}

/* ---- The fixture: one association, both ends bound to both their addresses ---- */

/* The sut also reports path changes: the cases watch a path fail over. */
static void prepare_sut(struct pst_ctx *ctx, int sut)
{
	(void)ctx;
	PST_SAFE(pst_subscribe(sut, SCTP_PEER_ADDR_CHANGE));
}

/* ---- Paths: confirmed before the cases look at them ---- */

/*
 * Every path of fd's association confirmed (RFC 4960 5.4: a peer address
 * the handshake did not use is UNCONFIRMED, carries no data, until a
 * heartbeat on it is answered). Linux first probes it after at least 200 ms;
 * a heartbeat requested now makes it ACTIVE in about an RTT, so failover has
 * a path to go to from the start.
 */
static void confirm_paths(int fd, sctp_assoc_t id, const char *who)
{
	struct sockaddr_storage addrs[PST_PATHS * 2];
	int n = pst_sctp_addrs(fd, SCTP_GET_PEER_ADDRS, id, addrs, (int)PST_ARRAY_SIZE(addrs));

	if (n < 0)
		pst_broken("SCTP_GET_PEER_ADDRS of %s: %s", who, pst_errname(errno));
	for (int i = 0; i < n && i < (int)PST_ARRAY_SIZE(addrs); i++) {
		struct sctp_paddrparams pp = { .spp_assoc_id = id, .spp_flags = SPP_HB_DEMAND };
		long start = pst_now_ms();
		int st;

		if (pst_path_state(fd, id, &addrs[i]) != SCTP_UNCONFIRMED)
			continue;
		memcpy(&pp.spp_address, &addrs[i], sizeof(pp.spp_address));
		PST_SAFE(setsockopt(fd, IPPROTO_SCTP, SCTP_PEER_ADDR_PARAMS, &pp, sizeof(pp)));
		while ((st = pst_path_state(fd, id, &addrs[i])) == SCTP_UNCONFIRMED &&
		       pst_now_ms() - start < PST_SETUP_TIMEOUT_MS)
			pst_sleep_ms(PST_POLL_MS);
		if (st != SCTP_ACTIVE)
			pst_broken("%s's path to %s: expected it confirmed (SCTP_ACTIVE) after a "
				   "requested heartbeat, got state %d",
				   who, addr_str(&addrs[i]), st);
	}
}

static void setup_multihomed(struct pst_ctx *ctx)
{
	static const struct pst_assoc_opts multihomed = { .prepare_sut = prepare_sut,
							  .peers_multihomed = true };
	static const struct pst_sctp_timers fast_failover = { .rto_min = RTO_MIN_MS,
							      .rto_initial = RTO_INITIAL_MS,
							      .rto_max = RTO_MAX_MS,
							      .sack_timeout = SACK_TIMEOUT_MS,
							      .path_max_retrans =
								  PATH_MAX_RETRANS };

	struct pst_assoc_fx *fx = pst_assoc(ctx);

	pst_sctp_timers_set(ctx, &fast_failover);
	pst_assoc_setup_with(ctx, 1, &multihomed);
	confirm_paths(fx->sut, fx->id[0], "the sut");
	confirm_paths(fx->peer[0], 0, "the peer");
}

static const struct pst_fixture fx_multihomed = { "assoc1-multihomed-fast-failover",
						  sizeof(struct pst_assoc_fx), setup_multihomed,
						  pst_assoc_teardown };

static const char *addr_list(const struct sockaddr_storage *a, int n)
{
	static char s[2][256];
	static int which;
	char *out = s[which++ % 2];
	size_t off = 0;

	out[0] = '\0';
	for (int i = 0; i < n && off < sizeof(s[0]); i++)
		off += (size_t)snprintf(out + off, sizeof(s[0]) - off, "%s%s", i ? " " : "",
					addr_str(&a[i]));
	return n ? out : "none";
}

/* The list is exactly both paths' addresses of one side (any order). */
static void expect_both_paths(const struct pst_ctx *ctx, int opt, enum pst_side side, unsigned port,
			      const char *what)
{
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	struct sockaddr_storage want[PST_PATHS], got[PST_PATHS * 4];
	int p = (int)PST_ASSERT_OK(pst_peel(ctx, fx->sut, fx->id[0]));
	int n = pst_sctp_addrs(p, opt, 0, got, (int)PST_ARRAY_SIZE(got));
	bool ok;

	for (int path = 0; path < PST_PATHS; path++)
		pst_addr(side, ctx->family, path, port, &want[path]);
	if (n < 0) {
		pst_fail_at(__FILE__, __LINE__, false, "%s: expected %s, got %s", what,
			    addr_list(want, PST_PATHS), pst_errname(errno));
		close(p);
		return;
	}
	ok = n == PST_PATHS;
	for (int w = 0; ok && w < PST_PATHS; w++) {
		bool found = false;

		for (int g = 0; g < n; g++)
			found = found || pst_same_addr(&want[w], &got[g]);
		ok = found;
	}
	PST_EXPECT(ok, "%s: expected exactly %s, got %s", what, addr_list(want, PST_PATHS),
		   addr_list(got, n < (int)PST_ARRAY_SIZE(got) ? n : (int)PST_ARRAY_SIZE(got)));
	close(p);
}

static void lists_both_peer_addresses(struct pst_ctx *ctx)
{
	expect_both_paths(ctx, SCTP_GET_PEER_ADDRS, PST_CLIENT,
			  pst_local_port(pst_assoc(ctx)->peer[0]),
			  "SCTP_GET_PEER_ADDRS on the new socket (the client's two addresses)");
}

static void lists_both_local_addresses(struct pst_ctx *ctx)
{
	expect_both_paths(ctx, SCTP_GET_LOCAL_ADDRS, PST_SERVER, PST_SERVER_PORT,
			  "SCTP_GET_LOCAL_ADDRS on the new socket (the server's two addresses)");
}

/* ---- Failover ---- */

/* SCTP_PEER_ADDR_CHANGE notifications seen on P while waiting for something else. */
struct seen {
	bool unreachable, available;
	struct sockaddr_storage unreachable_addr, available_addr;
};

static void note(struct seen *s, const union sctp_notification *n)
{
	struct sockaddr_storage a;

	if (n->sn_header.sn_type != SCTP_PEER_ADDR_CHANGE)
		return;
	memcpy(&a, &n->sn_paddr_change.spc_aaddr, sizeof(a));
	pst_log("SCTP_PEER_ADDR_CHANGE %s state %d", addr_str(&a), n->sn_paddr_change.spc_state);
	if (n->sn_paddr_change.spc_state == SCTP_ADDR_UNREACHABLE && !s->unreachable) {
		s->unreachable = true;
		s->unreachable_addr = a;
	} else if (n->sn_paddr_change.spc_state == SCTP_ADDR_AVAILABLE && !s->available) {
		s->available = true;
		s->available_addr = a;
	}
}

/*
 * The next message on fd within the timeout: data (its length, *notif false)
 * or a notification (noted in s when s is not NULL, *notif true). -1 with
 * errno (ETIMEDOUT when nothing came).
 */
static ssize_t recv_noting(int fd, void *buf, size_t len, struct seen *s, bool *notif,
			   int timeout_ms)
{
	int flags = 0;
	ssize_t n = pst_recv_msg(fd, buf, len, timeout_ms, &flags);

	*notif = n >= 0 && (flags & MSG_NOTIFICATION);
	if (*notif && s && (size_t)n >= sizeof(struct sctp_paddr_change)) {
		union sctp_notification u;

		/* buf may be unaligned for the union: copy it out first. */
		memcpy(&u, buf, (size_t)n < sizeof(u) ? (size_t)n : sizeof(u));
		note(s, &u);
	}
	return n;
}

/* The next data message on fd, noting the notifications read on the way. */
static ssize_t recv_data_noting(int fd, void *buf, size_t len, struct seen *s, int timeout_ms)
{
	for (;;) {
		bool notif = false;
		ssize_t n = recv_noting(fd, buf, len, s, &notif, timeout_ms);

		if (n < 0 || !notif)
			return n;
	}
}

/* One message from -> to, arriving whole within the I/O timeout. */
static bool one_way(int from, int to, struct seen *s, const char *msg, const char *what)
{
	char buf[MSG_MAX];
	size_t len = strlen(msg);
	ssize_t n;

	if (pst_send(from, 0, msg, len) != (ssize_t)len) {
		pst_fail_at(__FILE__, __LINE__, false, "%s: sending '%s' failed with %s", what, msg,
			    pst_errname(errno));
		return false;
	}
	n = recv_data_noting(to, buf, sizeof(buf), s, PST_IO_TIMEOUT_MS);
	if (n != (ssize_t)len || memcmp(buf, msg, len) != 0) {
		pst_fail_at(__FILE__, __LINE__, false, "%s: expected '%s' to arrive, got %s", what,
			    msg, n < 0 ? pst_errname(errno) : "other bytes");
		return false;
	}
	return true;
}

/* Request a heartbeat on P's path to addr now (SPP_HB_DEMAND). */
static void demand_heartbeat(int p, const struct sockaddr_storage *addr)
{
	struct sctp_paddrparams pp = { .spp_assoc_id = 0, .spp_flags = SPP_HB_DEMAND };

	memcpy(&pp.spp_address, addr, sizeof(pp.spp_address));
	PST_SAFE(setsockopt(p, IPPROTO_SCTP, SCTP_PEER_ADDR_PARAMS, &pp, sizeof(pp)));
}

/*
 * Drive the path to addr with requested heartbeats until P has reported its
 * address in this state (UNREACHABLE: each unanswered one is a strike, and
 * the report is queued as the last strike is counted; AVAILABLE: the first
 * answered one), looking for the report DEMAND_SLICE_MS after each request.
 * A report missing after PST_IO_TIMEOUT_MS of that is a failure.
 */
static void wait_paddr(int p, struct seen *s, int state, const struct sockaddr_storage *addr,
		       const char *what)
{
	bool *flag = state == SCTP_ADDR_UNREACHABLE ? &s->unreachable : &s->available;
	struct sockaddr_storage *got =
	    state == SCTP_ADDR_UNREACHABLE ? &s->unreachable_addr : &s->available_addr;
	char buf[MSG_MAX];
	int demands = 0;

	while (!*flag) {
		bool notif = false;
		ssize_t n;

		demand_heartbeat(p, addr);
		demands++;
		n = recv_noting(p, buf, sizeof(buf), s, &notif, DEMAND_SLICE_MS);
		if (n < 0 && errno != ETIMEDOUT)
			pst_fail_at(__FILE__, __LINE__, true,
				    "%s: reading the new socket for SCTP_PEER_ADDR_CHANGE: %s",
				    what, pst_errname(errno));
		if (n < 0 && demands * DEMAND_SLICE_MS >= PST_IO_TIMEOUT_MS)
			pst_fail_at(__FILE__, __LINE__, true,
				    "%s: expected SCTP_PEER_ADDR_CHANGE %s for %s on the new "
				    "socket, got none after %d requested heartbeats on that path "
				    "(%d ms)",
				    what,
				    state == SCTP_ADDR_UNREACHABLE ? "ADDR_UNREACHABLE"
								   : "ADDR_AVAILABLE",
				    addr_str(addr), demands, demands * DEMAND_SLICE_MS);
		if (n >= 0 && !notif)
			pst_log("%s: %zd bytes of unexpected data on the new socket", what, n);
	}
	pst_log("%s: reported after %d requested heartbeats", what, demands);
	PST_EXPECT(pst_same_addr(got, addr), "%s: expected the notification for %s, got it for %s",
		   what, addr_str(addr), addr_str(got));
}

static void expect_nothing_on_original(int sut, const char *what)
{
	union sctp_notification n;
	ssize_t r = recv(sut, &n, sizeof(n), MSG_DONTWAIT);

	PST_EXPECT(r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK),
		   "%s: expected nothing on the original socket (EAGAIN), got %s", what,
		   r < 0 ? pst_errname(errno)
		   : r >= (ssize_t)sizeof(n.sn_header) &&
			   n.sn_header.sn_type == SCTP_PEER_ADDR_CHANGE
		       ? "SCTP_PEER_ADDR_CHANGE"
		       : "a message");
}

/* The client's address on the failed path, as P knows it. */
static void failed_peer_addr(const struct pst_ctx *ctx, struct sockaddr_storage *ss)
{
	pst_addr(PST_CLIENT, ctx->family, FAILED_PATH, pst_local_port(pst_assoc(ctx)->peer[0]), ss);
}

static void path_down(const struct pst_ctx *ctx)
{
	PST_SAFE(pst_topo_set_path(ctx->topo, FAILED_PATH, false));
	pst_log("path %d down", FAILED_PATH);
}

/*
 * Close P while its path is still down with an ABORT: a graceful shutdown
 * would take RTOs to finish over the other path (long after the case), and
 * nothing is left to check.
 */
static void abort_and_close(int p)
{
	struct linger abort_on_close = { .l_onoff = 1, .l_linger = 0 };

	PST_SAFE(setsockopt(p, SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof(abort_on_close)));
	close(p);
}

static void data_flows_after_path_failure(struct pst_ctx *ctx)
{
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	struct seen s = { 0 };
	int p = (int)PST_ASSERT_OK(pst_peel(ctx, fx->sut, fx->id[0]));

	path_down(ctx);
	for (int i = 0; i < FAILOVER_ROUNDS; i++) {
		char there[32], back[32];

		snprintf(there, sizeof(there), "over-path-1-%d", i);
		snprintf(back, sizeof(back), "back-over-path-1-%d", i);
		if (!one_way(p, fx->peer[0], NULL, there, "new socket -> peer, path 0 down") ||
		    !one_way(fx->peer[0], p, &s, back, "peer -> new socket, path 0 down"))
			break;
	}
	abort_and_close(p);
}

/* Peel, take path 0 down, and wait for its ADDR_UNREACHABLE on P: the new socket. */
static int peel_and_lose_path(struct pst_ctx *ctx, struct sockaddr_storage *failed, struct seen *s)
{
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	int p = (int)PST_ASSERT_OK(pst_peel(ctx, fx->sut, fx->id[0]));

	failed_peer_addr(ctx, failed);
	path_down(ctx);
	wait_paddr(p, s, SCTP_ADDR_UNREACHABLE, failed, "path 0 down");
	return p;
}

static void path_failure_reported_on_new_socket(struct pst_ctx *ctx)
{
	struct sockaddr_storage failed;
	struct seen s = { 0 };
	int p = peel_and_lose_path(ctx, &failed, &s);

	/* It was queued when P's was: had it gone to the original too, it would be there. */
	expect_nothing_on_original(pst_assoc(ctx)->sut, "path 0 down");
	abort_and_close(p);
}

static void path_recovery_reported_on_new_socket(struct pst_ctx *ctx)
{
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	struct sockaddr_storage failed;
	struct seen s = { 0 };
	int p = peel_and_lose_path(ctx, &failed, &s);

	PST_SAFE(pst_topo_set_path(ctx->topo, FAILED_PATH, true));
	pst_log("path %d up", FAILED_PATH);
	wait_paddr(p, &s, SCTP_ADDR_AVAILABLE, &failed, "path 0 back up");
	expect_nothing_on_original(fx->sut, "path 0 down and up again");
	one_way(p, fx->peer[0], NULL, "after-recovery", "new socket -> peer, path 0 back up");
	close(p);
}

#define MH(cname, fn_, creqs)                                                                     \
	{                                                                                         \
		.name = (cname), .fn = (fn_), .fixture = &fx_multihomed, .axes = PST_AXIS_FAMILY, \
		.reqs = (creqs)                                                                   \
	}

static const struct pst_case cases[] = {
	MH("peeloff_new_socket_lists_both_peer_addresses", lists_both_peer_addresses,
	   "LNX-DESC-BRANCH RFC-3.1-SEPARATE IMPL-LNX-MH-ADDRS"),
	MH("peeloff_new_socket_lists_both_local_addresses", lists_both_local_addresses,
	   "LNX-DESC-BRANCH RFC-3.1-SEPARATE IMPL-LNX-MH-ADDRS"),
	MH("peeloff_new_socket_data_flows_both_ways_after_path_failure",
	   data_flows_after_path_failure, "LNX-DESC-BRANCH RFC-3.1-SEPARATE IMPL-LNX-MH-FAILOVER"),
	MH("peeloff_path_failure_reported_on_new_socket_only", path_failure_reported_on_new_socket,
	   "RFC-3.1-SEPARATE IMPL-LNX-MH-PADDR-EVENT"),
	MH("peeloff_path_recovery_reported_on_new_socket_only",
	   path_recovery_reported_on_new_socket, "RFC-3.1-SEPARATE IMPL-LNX-MH-PADDR-EVENT"),
};

PST_SUITE(pst_suite_multihoming, "peeloff_multihoming",
	  "Multihoming on the peeled socket: RFC 6458 3.1; Linux sctp_peeloff(3) DESCRIPTION",
	  cases);
