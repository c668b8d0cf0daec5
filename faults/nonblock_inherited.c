/*
 * Fault: the new descriptor inherits the original's O_NONBLOCK (as FreeBSD does).
 */
// catches: peeloff_flags/*
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "fault.h"

int getsockopt(int sd, int level, int name, void *optval, socklen_t *optlen)
{
	int r = pst_real_getsockopt()(sd, level, name, optval, optlen);

	if (r >= 0 && pst_is_peeloff(level, name) && (fcntl(sd, F_GETFL) & O_NONBLOCK)) {
		int nsd = *pst_peeloff_sd(name, optval);

		fcntl(nsd, F_SETFL, fcntl(nsd, F_GETFL) | O_NONBLOCK);
	}
	return r;
}
