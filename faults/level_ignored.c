/*
 * Fault: SCTP's getsockopt ignores the level: SCTP_SOCKOPT_PEELOFF's number
 * (102) at the IP level of an SCTP socket peels off, as at SOL_SCTP, instead
 * of going to the address family's getsockopt (emulated: such a call is made
 * at SOL_SCTP).
 */
// catches: peeloff_raw_getsockopt/raw_getsockopt_102_at_the_IP_level_gives_ENOPROTOOPT/*
#include "fault.h"

int getsockopt(int sd, int level, int name, void *optval, socklen_t *optlen)
{
	int proto = 0;
	socklen_t l = sizeof(proto);

	if ((level == SOL_IP || level == SOL_IPV6) && name == SCTP_SOCKOPT_PEELOFF &&
	    pst_real_getsockopt()(sd, SOL_SOCKET, SO_PROTOCOL, &proto, &l) == 0 &&
	    proto == IPPROTO_SCTP)
		level = SOL_SCTP;
	return pst_real_getsockopt()(sd, level, name, optval, optlen);
}
