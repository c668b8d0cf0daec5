/*
 * Fault: a descriptor that is not a socket gives EBADF instead of ENOTSOCK.
 */
// catches: peeloff_errors/*ENOTSOCK*
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "fault.h"

int getsockopt(int sd, int level, int name, void *optval, socklen_t *optlen)
{
	int r = pst_real_getsockopt()(sd, level, name, optval, optlen);

	if (r < 0 && errno == ENOTSOCK && pst_is_peeloff(level, name))
		errno = EBADF;
	return r;
}
