/*
 * Fault: an invalid association id gives ENOENT (as FreeBSD does) instead of EINVAL.
 */
// catches: peeloff_assoc_ids/*
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "fault.h"

int getsockopt(int sd, int level, int name, void *optval, socklen_t *optlen)
{
	int r = pst_real_getsockopt()(sd, level, name, optval, optlen);

	if (r < 0 && errno == EINVAL && pst_is_peeloff(level, name))
		errno = ENOENT;
	return r;
}
