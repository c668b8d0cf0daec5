/*
 * Fault: a free descriptor is looked for before the association is moved (as
 * FreeBSD and illumos do): on EMFILE the association stays on the original
 * socket, where the linux profile documents that it is torn down.
 */
// catches: peeloff_emfile/peeloff_no_free_fd_gives_EMFILE_*
// catches: peeloff_migrate_queues/peeloff_after_EMFILE_with_fd_free_succeeds_then_closes/*
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "fault.h"

int getsockopt(int sd, int level, int name, void *optval, socklen_t *optlen)
{
	if (pst_is_peeloff(level, name)) {
		/* Is there a free descriptor? dup() answers EMFILE when there is none. */
		int probe = fcntl(sd, F_DUPFD_CLOEXEC, 0);

		if (probe < 0 && errno == EMFILE)
			return -1;
		if (probe >= 0)
			close(probe);
	}
	return pst_real_getsockopt()(sd, level, name, optval, optlen);
}
