/*
 * Fault: a kernel without the CVE-2017-15115 fix: the peel works from a
 * thread in another network namespace (emulated: the shim moves the calling
 * thread into the socket's namespace for the call, and back).
 */
// catches: peeloff_netns/*
#include <errno.h>
#include <fcntl.h>
#include <linux/sockios.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "fault.h"

int getsockopt(int sd, int level, int name, void *optval, socklen_t *optlen)
{
	int sock_ns, mine, r, saved;

	if (!pst_is_peeloff(level, name))
		return pst_real_getsockopt()(sd, level, name, optval, optlen);
	sock_ns = ioctl(sd, SIOCGSKNS);
	mine = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (sock_ns >= 0 && mine >= 0)
		setns(sock_ns, CLONE_NEWNET);
	r = pst_real_getsockopt()(sd, level, name, optval, optlen);
	saved = errno;
	if (mine >= 0) {
		setns(mine, CLONE_NEWNET);
		close(mine);
	}
	if (sock_ns >= 0)
		close(sock_ns);
	errno = saved;
	return r;
}
