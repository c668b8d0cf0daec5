/*
 * Fault: a multihomed association reports only its first peer address
 * (SCTP_GET_PEER_ADDRS, what sctp_getpaddrs() reads): the second path is lost.
 */
// catches: peeloff_multihoming/peeloff_new_socket_lists_both_peer_addresses/*
// catches: peeled_addresses/peeled_getpaddrs_lists_every_peer_address/*
#include <errno.h>

#include "fault.h"

int getsockopt(int sd, int level, int name, void *optval, socklen_t *optlen)
{
	int r = pst_real_getsockopt()(sd, level, name, optval, optlen);

	if (r == 0 && level == SOL_SCTP && name == SCTP_GET_PEER_ADDRS && optval &&
	    ((struct sctp_getaddrs *)optval)->addr_num > 1)
		((struct sctp_getaddrs *)optval)->addr_num = 1;
	return r;
}
