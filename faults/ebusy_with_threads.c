/*
 * Fault: EBUSY whenever the process has another thread, an over-broad form of
 * the v4.11-v4.15 check "deny peeloff on asocs with threads sleeping on it"
 * (dfcb9f4f99f1): a blocked sender, a blocked receiver or parallel peels
 * then make the peel fail.
 */
// catches: peeloff_blocked_sender/* peeloff_concurrency/*
// catches: peeloff_migrate_queues/peeloff_blocked_sender_then_close_original_and_peeled_*
// catches: peeloff_migrate_queues/peeloff_in_connect_wait_connectx_gets_ECONNREFUSED_*
// catches: peeloff_migrate_queues/*sendall*
#include <dirent.h>
#include <errno.h>
#include <unistd.h>

#include "fault.h"

static int threads(void)
{
	DIR *d = opendir("/proc/self/task");
	int n = 0;

	if (!d)
		return 1;
	while (readdir(d))
		n++;
	closedir(d);
	return n - 2; /* "." and ".." */
}

int getsockopt(int sd, int level, int name, void *optval, socklen_t *optlen)
{
	if (pst_is_peeloff(level, name) && threads() > 1) {
		errno = EBUSY;
		return -1;
	}
	return pst_real_getsockopt()(sd, level, name, optval, optlen);
}
