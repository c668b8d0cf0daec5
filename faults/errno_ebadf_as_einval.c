/*
 * Fault: a bad descriptor gives EINVAL instead of EBADF.
 */
// catches: peeloff_errors/*EBADF*
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "fault.h"

int getsockopt(int sd, int level, int name, void *optval, socklen_t *optlen)
{
	int r = pst_real_getsockopt()(sd, level, name, optval, optlen);

	if (r < 0 && errno == EBADF && pst_is_peeloff(level, name))
		errno = EINVAL;
	return r;
}
