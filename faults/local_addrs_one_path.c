/*
 * Fault: a multihomed endpoint or association reports only its first local
 * address (SCTP_GET_LOCAL_ADDRS, what sctp_getladdrs() reads): the second
 * path is lost.
 */
// catches: peeled_addresses/peeled_getladdrs_lists_every_local_address/*
// catches: peeloff_multihoming/peeloff_new_socket_lists_both_local_addresses/*
#include "fault.h"

int getsockopt(int sd, int level, int name, void *optval, socklen_t *optlen)
{
	int r = pst_real_getsockopt()(sd, level, name, optval, optlen);

	if (r == 0 && level == SOL_SCTP && name == SCTP_GET_LOCAL_ADDRS && optval &&
	    ((struct sctp_getaddrs *)optval)->addr_num > 1)
		((struct sctp_getaddrs *)optval)->addr_num = 1;
	return r;
}
