/*
 * Fault: the peel happens, then the call says EINVAL and closes the new socket: the association is
 * lost.
 */
// catches: peeloff_success/*
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "fault.h"

int getsockopt(int sd, int level, int name, void *optval, socklen_t *optlen)
{
	int r = pst_real_getsockopt()(sd, level, name, optval, optlen);

	if (r >= 0 && pst_is_peeloff(level, name)) {
		close(*pst_peeloff_sd(name, optval));
		errno = EINVAL;
		return -1;
	}
	return r;
}
