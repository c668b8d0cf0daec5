/*
 * Fault: the association's state does not move with it: SCTP_STATUS on a
 * peeled socket reports ESTABLISHED whatever the state (one peeled in
 * COOKIE_ECHOED or in a shutdown looks established). Emulated for every
 * peeled socket.
 */
// catches: peeloff_migrate_states/peeloff_in_cookie_echoed_comes_up_on_new_socket/*
// catches: peeloff_migrate_states/peeloff_in_shutdown_pending_*/*
// catches: peeloff_migrate_states/peeloff_in_shutdown_received_*/*
#include "peeled_fd.h"

int getsockopt(int sd, int level, int name, void *optval, socklen_t *optlen)
{
	int r = pst_real_getsockopt()(sd, level, name, optval, optlen);

	if (r == 0 && level == SOL_SCTP && name == SCTP_STATUS && pst_is_peeled(sd))
		((struct sctp_status *)optval)->sstat_state = SCTP_ESTABLISHED;
	return r;
}
