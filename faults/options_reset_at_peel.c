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
#include <string.h>

#include "option_reset.h"

#define ADDRS_MAX 4 /* peer addresses read for the primary path */

/* The association's primary path back to its first peer address. */
static void reset_primary(int nsd)
{
	char buf[sizeof(struct sctp_getaddrs) + ADDRS_MAX * sizeof(struct sockaddr_in6)] = { 0 };
	struct sctp_getaddrs *ga = (struct sctp_getaddrs *)buf;
	socklen_t len = sizeof(buf);
	struct sctp_prim prim = { .ssp_assoc_id = 0 };
	const struct sockaddr *first = (const struct sockaddr *)ga->addrs;
	int saved = errno;

	if (pst_real_getsockopt()(nsd, SOL_SCTP, SCTP_GET_PEER_ADDRS, buf, &len) == 0 &&
	    ga->addr_num >= 1) {
		memcpy(&prim.ssp_addr, first,
		       first->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
						    : sizeof(struct sockaddr_in));
		setsockopt(nsd, SOL_SCTP, SCTP_PRIMARY_ADDR, &prim, sizeof(prim));
	}
	errno = saved;
}

int getsockopt(int sd, int level, int name, void *optval, socklen_t *optlen)
{
	int r = pst_real_getsockopt()(sd, level, name, optval, optlen);

	if (r >= 0 && pst_is_peeloff(level, name)) {
		pst_fault_reset_copied_opts(*pst_peeloff_sd(name, optval));
		reset_primary(*pst_peeloff_sd(name, optval));
	}
	return r;
}
