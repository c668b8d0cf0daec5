/*
 * Fault: the peeled association gets a new id: SCTP_STATUS on a peeled
 * socket reports an association id other than the one the association had
 * on the original socket (emulated: one more, on every connected SCTP socket
 * of type SOCK_SEQPACKET, i.e. a peeled one).
 */
// catches: peeled_socket/peeled_sctp_status_ignores_assoc_id
// catches: peeloff_migrate_states/peeloff_assoc_opened_by_*/*
// catches: peeloff_migrate_states/peeloff_in_cookie_echoed_comes_up_on_new_socket/*
#include "fault.h"

int getsockopt(int sd, int level, int name, void *optval, socklen_t *optlen)
{
	int r = pst_real_getsockopt()(sd, level, name, optval, optlen);
	struct sockaddr_storage peer;
	socklen_t plen = sizeof(peer), l = sizeof(int);
	int type = 0, proto = 0;

	if (r == 0 && level == SOL_SCTP && name == SCTP_STATUS &&
	    pst_real_getsockopt()(sd, SOL_SOCKET, SO_TYPE, &type, &l) == 0 &&
	    pst_real_getsockopt()(sd, SOL_SOCKET, SO_PROTOCOL, &proto, &l) == 0 &&
	    type == SOCK_SEQPACKET && proto == IPPROTO_SCTP &&
	    getpeername(sd, (struct sockaddr *)&peer, &plen) == 0)
		((struct sctp_status *)optval)->sstat_assoc_id += 1;
	return r;
}
