/*
 * Fault: every successful peeloff leaks one extra descriptor.
 */
// catches: peeloff_success/peeloff_returns_new_sctp_socket/*
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "fault.h"

int getsockopt(int sd, int level, int name, void *optval, socklen_t *optlen)
{
	int r = pst_real_getsockopt()(sd, level, name, optval, optlen);

	if (r >= 0 && pst_is_peeloff(level, name) && dup(*pst_peeloff_sd(name, optval)) < 0)
		return r; /* nothing leaked after all */
	return r;
}
