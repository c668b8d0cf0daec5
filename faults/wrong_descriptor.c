/*
 * Fault: the call hands back the original socket; the new one is closed.
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
		*pst_peeloff_sd(name, optval) = sd;
		r = sd;
	}
	return r;
}
