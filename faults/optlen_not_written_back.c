/*
 * Fault: a larger optlen is left as the caller passed it instead of written back as 8 / 12.
 */
// catches: peeloff_raw_getsockopt/*
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "fault.h"

int getsockopt(int sd, int level, int name, void *optval, socklen_t *optlen)
{
	socklen_t asked = optlen ? *optlen : 0;
	int r = pst_real_getsockopt()(sd, level, name, optval, optlen);

	if (r >= 0 && pst_is_peeloff(level, name) && optlen)
		*optlen = asked;
	return r;
}
