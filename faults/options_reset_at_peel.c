/*
 * Fault: the new socket does not inherit the original's SCTP options, receive
 * and send timeouts and bound device, nor does its association keep its
 * primary path (emulated: right after a successful peel each is set on the
 * new socket to what a socket just made has, and the primary path back to
 * the first of the association's peer addresses).
 */
// catches: peeloff_migrate_options/peeloff_new_socket_inherits_*
// catches: peeloff_migrate_options/peeloff_new_socket_sends_with_inherited_*
// catches: peeloff_migrate_options/peeloff_new_socket_reports_inherited_context_in_rcvinfo/*
// catches: peeloff_migrate_options/peeloff_new_socket_delivers_partially_at_inherited_pd_point/*
// catches: peeloff_migrate_options/peeloff_new_socket_gets_rcvinfo_with_its_assoc_id/*
// catches: peeloff_migrate_options/peeloff_new_socket_sends_over_inherited_primary_addr/*
// catches: peeloff_migrate_options/peeloff_new_socket_times_out_recv_at_inherited_rcvtimeo/*
#include <net/if.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "fault.h"

#define OPT_MAX	  256 /* every option below is shorter */
#define ADDRS_MAX 4   /* peer addresses read for the primary path */

static const struct {
	int level, name;
	socklen_t size;
} reset[] = {
	{ SOL_SCTP, SCTP_ASSOCINFO, sizeof(struct sctp_assocparams) },
	{ SOL_SCTP, SCTP_DEFAULT_SNDINFO, sizeof(struct sctp_sndinfo) },
	{ SOL_SCTP, SCTP_DEFAULT_SEND_PARAM, sizeof(struct sctp_sndrcvinfo) },
	{ SOL_SCTP, SCTP_CONTEXT, sizeof(struct sctp_assoc_value) },
	{ SOL_SCTP, SCTP_DELAYED_SACK, sizeof(struct sctp_sack_info) },
	{ SOL_SCTP, SCTP_MAX_BURST, sizeof(struct sctp_assoc_value) },
	{ SOL_SCTP, SCTP_PARTIAL_DELIVERY_POINT, sizeof(uint32_t) },
	{ SOL_SCTP, SCTP_FRAGMENT_INTERLEAVE, sizeof(int) },
	{ SOL_SCTP, SCTP_I_WANT_MAPPED_V4_ADDR, sizeof(int) },
	{ SOL_SCTP, SCTP_ADAPTATION_LAYER, sizeof(struct sctp_setadaptation) },
	{ SOL_SCTP, SCTP_RECVRCVINFO, sizeof(int) },
	{ SOL_SOCKET, SO_RCVTIMEO, sizeof(struct timeval) },
	{ SOL_SOCKET, SO_SNDTIMEO, sizeof(struct timeval) },
	{ SOL_SOCKET, SO_BINDTODEVICE, IFNAMSIZ },
};

/* The association's primary path back to its first peer address. */
static void reset_primary(int nsd)
{
	char buf[sizeof(struct sctp_getaddrs) + ADDRS_MAX * sizeof(struct sockaddr_in6)] = { 0 };
	struct sctp_getaddrs *ga = (struct sctp_getaddrs *)buf;
	socklen_t len = sizeof(buf);
	struct sctp_prim prim = { .ssp_assoc_id = 0 };
	const struct sockaddr *first = (const struct sockaddr *)ga->addrs;

	if (pst_real_getsockopt()(nsd, SOL_SCTP, SCTP_GET_PEER_ADDRS, buf, &len) < 0 ||
	    ga->addr_num < 1)
		return;
	memcpy(&prim.ssp_addr, first,
	       first->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
					    : sizeof(struct sockaddr_in));
	setsockopt(nsd, SOL_SCTP, SCTP_PRIMARY_ADDR, &prim, sizeof(prim));
}

/* Each option of the list as a socket just made of the same family has it. */
static void reset_options(int nsd)
{
	struct sockaddr_storage me;
	socklen_t mlen = sizeof(me);
	int fresh, saved = errno;

	if (getsockname(nsd, (struct sockaddr *)&me, &mlen) < 0)
		return;
	fresh = socket(me.ss_family, SOCK_SEQPACKET, IPPROTO_SCTP);
	if (fresh < 0)
		return;
	for (size_t i = 0; i < sizeof(reset) / sizeof(reset[0]); i++) {
		/* Zeroed: association id 0, the fresh socket's own value. */
		unsigned char v[OPT_MAX] = { 0 };
		socklen_t len = reset[i].size;

		if (pst_real_getsockopt()(fresh, reset[i].level, reset[i].name, v, &len) == 0)
			setsockopt(nsd, reset[i].level, reset[i].name, v, len);
	}
	close(fresh);
	reset_primary(nsd);
	errno = saved;
}

int getsockopt(int sd, int level, int name, void *optval, socklen_t *optlen)
{
	int r = pst_real_getsockopt()(sd, level, name, optval, optlen);

	if (r >= 0 && pst_is_peeloff(level, name))
		reset_options(*pst_peeloff_sd(name, optval));
	return r;
}
