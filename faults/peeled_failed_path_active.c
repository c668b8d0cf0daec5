/*
 * Fault: a path that failed before the peel is ACTIVE again on the new
 * socket (SCTP_GET_PEER_ADDR_INFO), as if the migration had reset the
 * association's transports. Emulated for every peeled socket.
 */
// catches: peeloff_migrate_states/peeloff_with_failed_path_*/*
#include "peeled_fd.h"

int getsockopt(int sd, int level, int name, void *optval, socklen_t *optlen)
{
	int r = pst_real_getsockopt()(sd, level, name, optval, optlen);

	if (r == 0 && level == SOL_SCTP && name == SCTP_GET_PEER_ADDR_INFO &&
	    ((struct sctp_paddrinfo *)optval)->spinfo_state == SCTP_INACTIVE && pst_is_peeled(sd))
		((struct sctp_paddrinfo *)optval)->spinfo_state = SCTP_ACTIVE;
	return r;
}
