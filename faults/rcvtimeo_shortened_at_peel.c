/*
 * Fault: the new socket inherits a receive timeout, but a shorter one than
 * the original's (emulated: right after a successful peel its SO_RCVTIMEO is
 * set to a tenth of what it reads), so a recv() on it gives EAGAIN too soon.
 */
// catches: peeloff_migrate_options/peeloff_new_socket_times_out_recv_at_inherited_rcvtimeo/*
#include <sys/time.h>

#include "fault.h"

#define SHORTER	 10 /* the inherited timeout divided by this */
#define US_PER_S 1000000L

int getsockopt(int sd, int level, int name, void *optval, socklen_t *optlen)
{
	int r = pst_real_getsockopt()(sd, level, name, optval, optlen);

	if (r >= 0 && pst_is_peeloff(level, name)) {
		int nsd = *pst_peeloff_sd(name, optval), saved = errno;
		struct timeval tv;
		socklen_t len = sizeof(tv);

		if (pst_real_getsockopt()(nsd, SOL_SOCKET, SO_RCVTIMEO, &tv, &len) == 0 &&
		    (tv.tv_sec || tv.tv_usec)) {
			long us = (tv.tv_sec * US_PER_S + tv.tv_usec) / SHORTER;

			tv.tv_sec = us / US_PER_S;
			tv.tv_usec = us % US_PER_S;
			setsockopt(nsd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		}
		errno = saved;
	}
	return r;
}
