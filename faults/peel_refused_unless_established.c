/*
 * Fault: only an ESTABLISHED association can be peeled off: one still being
 * set up (COOKIE_ECHOED) or being shut down (SHUTDOWN_PENDING,
 * SHUTDOWN_RECEIVED) gives EINVAL, as an implementation that checked the
 * association's state first would.
 */
// catches: peeloff_migrate_states/peeloff_in_cookie_echoed_comes_up_on_new_socket/*
// catches: peeloff_migrate_states/peeloff_in_shutdown_pending_*/*
// catches: peeloff_migrate_states/peeloff_in_shutdown_received_*/*
#include "fault.h"

int getsockopt(int sd, int level, int name, void *optval, socklen_t *optlen)
{
	if (pst_is_peeloff(level, name) && optval) {
		/* Both arguments begin with the association id (the flags one in its p_arg). */
		struct sctp_status st = { .sstat_assoc_id =
					      ((sctp_peeloff_arg_t *)optval)->associd };
		socklen_t len = sizeof(st);

		if (pst_real_getsockopt()(sd, SOL_SCTP, SCTP_STATUS, &st, &len) == 0 &&
		    st.sstat_state != SCTP_ESTABLISHED) {
			errno = EINVAL;
			return -1;
		}
	}
	return pst_real_getsockopt()(sd, level, name, optval, optlen);
}
