/*
 * Fault: shutdown() on a peeled socket returns 0 and does nothing at all:
 * receiving stays enabled (recv() waits for data instead of giving end of
 * file, and what the peer sends afterwards is delivered).
 */
// catches: peeled_state/peeled_shutdown_*/*
#include "peeled_fd.h"

int shutdown(int sd, int how)
{
	static int (*real)(int, int);

	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "shutdown");
	return pst_is_peeled(sd) ? 0 : real(sd, how);
}
