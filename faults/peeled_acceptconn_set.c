/*
 * Fault: SO_ACCEPTCONN of a peeled socket reads 1, as if it had been marked
 * with listen() (the one-to-many socket's value leaking into the copy).
 */
// catches: peeled_state/peeled_so_acceptconn_is_0/*
#include "peeled_fd.h"

int getsockopt(int sd, int level, int name, void *optval, socklen_t *optlen)
{
	int r = pst_real_getsockopt()(sd, level, name, optval, optlen);

	if (r == 0 && level == SOL_SOCKET && name == SO_ACCEPTCONN && pst_is_peeled(sd))
		*(int *)optval = 1;
	return r;
}
