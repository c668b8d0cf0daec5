/*
 * Fault: the migration keeps only the first local address: on a peeled
 * socket SCTP_GET_LOCAL_ADDRS (sctp_getladdrs()) lists one address, for its
 * association and for its endpoint, while the original listed them all.
 */
// catches: peeloff_migrate_states/peeloff_from_wildcard_bound_socket_keeps_addresses_and_port/*
// catches: peeloff_multihoming/peeloff_new_socket_lists_both_local_addresses/*
#include "peeled_fd.h"

int getsockopt(int sd, int level, int name, void *optval, socklen_t *optlen)
{
	int r = pst_real_getsockopt()(sd, level, name, optval, optlen);

	if (r == 0 && level == SOL_SCTP && name == SCTP_GET_LOCAL_ADDRS && optval &&
	    ((struct sctp_getaddrs *)optval)->addr_num > 1 && pst_is_peeled(sd))
		((struct sctp_getaddrs *)optval)->addr_num = 1;
	return r;
}
