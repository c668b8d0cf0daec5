/*
 * A successful peeloff: what it returns, that the association now lives on
 * the new socket and no longer on the original. Linux sctp_peeloff(3)
 * DESCRIPTION and RETURN VALUE; RFC 6458 §9.2 and §3.1.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../fixtures/assoc.h"
#include "../fixtures/io.h"
#include "suites.h"

static void returns_new_sctp_socket(struct pst_ctx *ctx)
{
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	int before = pst_count_fds();
	struct stat st;
	int p = (int)PST_ASSERT_OK(pst_peel(ctx, fx->sut, fx->id[0]));

	PST_EXPECT(p != fx->sut, "expected a new descriptor, got the original one (%d)", p);
	PST_EXPECT_EQ(pst_count_fds(), before + 1, "open descriptors after the peeloff");
	PST_ASSERT(fstat(p, &st) == 0, "fstat(new fd %d): expected success, got %s", p,
		   pst_errname(errno));
	PST_EXPECT(S_ISSOCK(st.st_mode), "new fd %d: expected a socket, got st_mode 0%o", p,
		   (unsigned)st.st_mode);
	PST_EXPECT_EQ(pst_sockopt_int(p, SOL_SOCKET, SO_PROTOCOL), IPPROTO_SCTP,
		      "SO_PROTOCOL of the new socket (IPPROTO_SCTP)");
	PST_EXPECT_EQ(pst_sockopt_int(p, SOL_SOCKET, SO_DOMAIN), ctx->family,
		      "SO_DOMAIN of the new socket (the original's family)");
	close(p);
}

static void new_socket_carries_data_both_ways(struct pst_ctx *ctx)
{
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	int p = (int)PST_ASSERT_OK(pst_peel(ctx, fx->sut, fx->id[0]));

	pst_expect_exchange(p, 0, fx->peer[0], "peeled socket <-> peer");
	close(p);
}

static void assoc_unreachable_through_original(struct pst_ctx *ctx)
{
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	static const char msg[] = "must not be sent";
	int p = (int)PST_ASSERT_OK(pst_peel(ctx, fx->sut, fx->id[0]));

	PST_EXPECT_ERRNO(pst_assoc_state(fx->sut, fx->id[0]), EINVAL);
	PST_EXPECT_ERRNO(pst_send(fx->sut, fx->id[0], msg, sizeof(msg)), EPIPE);
	/* And the association itself is alive, on the new socket. */
	PST_EXPECT_OK(pst_assoc_state(p, 0));
	close(p);
}

static void other_assoc_stays_on_original(struct pst_ctx *ctx)
{
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	int p = (int)PST_ASSERT_OK(pst_peel(ctx, fx->sut, fx->id[0]));

	pst_expect_exchange(fx->sut, fx->id[1], fx->peer[1], "original socket <-> other peer");
	pst_expect_exchange(p, 0, fx->peer[0], "peeled socket <-> its peer");
	close(p);
}

/*
 * An IPv6 one-to-many socket with an IPv4 peer: the association's addresses
 * are v4-mapped (REF-V4-MAPPED). The sut listens on the IPv6 wildcard with
 * IPV6_V6ONLY off; the peer is a plain IPv4 one-to-one socket.
 */
static void setup_v4_mapped(struct pst_ctx *ctx)
{
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	struct sockaddr_in6 any = { .sin6_family = AF_INET6, .sin6_port = htons(PST_SERVER_PORT) };
	struct sockaddr_storage server;
	socklen_t len = pst_addr(PST_SERVER, AF_INET, 0, PST_SERVER_PORT, &server);
	int off = 0;
	union sctp_notification n;

	fx->npeers = 1;
	fx->sut = fx->peer[0] = -1;
	PST_SAFE(pst_topo_enter(ctx->topo, PST_SERVER));
	fx->sut = (int)PST_SAFE(socket(AF_INET6, SOCK_SEQPACKET, IPPROTO_SCTP));
	PST_SAFE(setsockopt(fx->sut, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off)));
	PST_SAFE(bind(fx->sut, (struct sockaddr *)&any, sizeof(any)));
	PST_SAFE(pst_subscribe(fx->sut, SCTP_ASSOC_CHANGE));
	PST_SAFE(listen(fx->sut, 1));
	PST_SAFE(pst_topo_enter(ctx->topo, PST_CLIENT));
	fx->peer[0] = (int)PST_SAFE(socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP));
	PST_SAFE(connect(fx->peer[0], (struct sockaddr *)&server, len));
	PST_SAFE(pst_topo_enter(ctx->topo, PST_SERVER));
	PST_SAFE(pst_recv_notification(fx->sut, SCTP_ASSOC_CHANGE, &n, PST_SETUP_TIMEOUT_MS));
	fx->id[0] = n.sn_assoc_change.sac_assoc_id;
}

static const struct pst_fixture fx_v4_mapped = { "v4_mapped", sizeof(struct pst_assoc_fx),
						 setup_v4_mapped, pst_assoc_teardown };

static void v4_mapped_peer(struct pst_ctx *ctx)
{
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	struct sockaddr_storage want, got;
	socklen_t len = sizeof(got);
	const struct sockaddr_in *v4 = (const struct sockaddr_in *)&want;
	const struct sockaddr_in6 *v6 = (const struct sockaddr_in6 *)&got;
	int p = (int)PST_ASSERT_OK(pst_peel(ctx, fx->sut, fx->id[0]));

	pst_addr(PST_CLIENT, AF_INET, 0, 0, &want);
	PST_EXPECT_EQ(pst_sockopt_int(p, SOL_SOCKET, SO_DOMAIN), AF_INET6,
		      "SO_DOMAIN of the new socket (the original's AF_INET6)");
	PST_ASSERT_OK(getpeername(p, (struct sockaddr *)&got, &len));
	PST_EXPECT(got.ss_family == AF_INET6 && IN6_IS_ADDR_V4MAPPED(&v6->sin6_addr) &&
		       memcmp(&v6->sin6_addr.s6_addr[12], &v4->sin_addr, 4) == 0,
		   "getpeername(new socket): expected the peer's IPv4 address (%s) v4-mapped "
		   "in family %d (::ffff:...), got %s",
		   pst_addr_text(&want).s, AF_INET6, pst_addr_text(&got).s);
	pst_expect_exchange(p, 0, fx->peer[0], "peeled IPv6 socket <-> IPv4 peer");
	close(p);
}

static const struct pst_case cases[] = {
	{ .name = "peeloff_v4_mapped_peer_on_ipv6_socket",
	  .fn = v4_mapped_peer,
	  .fixture = &fx_v4_mapped,
	  .axes = PST_AXIS_ENTRY,
	  .needs = PST_NEED_IPV6,
	  .reqs = "LNX-DESC-BRANCH SOL-DESC-BRANCH RFC-9.2-BRANCH IMPL-LNX-GETPEERNAME",
	  .tags = "linux-git:8467dda0c265" },
	{ .name = "peeloff_returns_new_sctp_socket",
	  .fn = returns_new_sctp_socket,
	  .fixture = &pst_fx_assoc1,
	  .axes = PST_AXIS_FAMILY | PST_AXIS_ENTRY,
	  .reqs = "LNX-RET-FD SOL-RET-FD RFC-9.2-RET RFC-9.2-BRANCH" },
	{ .name = "peeloff_new_socket_carries_data_both_ways",
	  .fn = new_socket_carries_data_both_ways,
	  .fixture = &pst_fx_assoc1,
	  .axes = PST_AXIS_FAMILY,
	  .reqs = "LNX-DESC-BRANCH SOL-DESC-BRANCH RFC-3.1-SEPARATE" },
	{ .name = "peeloff_assoc_unreachable_through_original",
	  .fn = assoc_unreachable_through_original,
	  .fixture = &pst_fx_assoc1,
	  .axes = PST_AXIS_FAMILY,
	  .reqs = "RFC-3.1-SEPARATE" },
	{ .name = "peeloff_other_assoc_stays_on_original",
	  .fn = other_assoc_stays_on_original,
	  .fixture = &pst_fx_assoc2,
	  .axes = PST_AXIS_FAMILY,
	  .reqs = "LNX-DESC-BRANCH RFC-3.1-SEPARATE" },
};

PST_SUITE(pst_suite_success, "peeloff_success",
	  "Linux sctp_peeloff(3) DESCRIPTION, RETURN VALUE; RFC 6458 9.2, 3.1", cases);
