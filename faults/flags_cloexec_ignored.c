/*
 * Fault: SOCK_CLOEXEC in sctp_peeloff_flags() is ignored.
 */
// catches: peeloff_flags/*CLOEXEC*
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "fault.h"

int getsockopt(int sd, int level, int name, void *optval, socklen_t *optlen)
{
	if (level == SOL_SCTP && name == SCTP_SOCKOPT_PEELOFF_FLAGS && optval && optlen &&
	    *optlen >= (socklen_t)sizeof(sctp_peeloff_flags_arg_t))
		((sctp_peeloff_flags_arg_t *)optval)->flags &= ~(unsigned)SOCK_CLOEXEC;
	return pst_real_getsockopt()(sd, level, name, optval, optlen);
}
