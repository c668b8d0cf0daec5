/*
 * Fault: the O_NONBLOCK that sctp_peeloff_flags(SOCK_NONBLOCK) set on a
 * peeled socket is ignored by send(): without MSG_DONTWAIT it blocks on a
 * full send buffer (emulated: O_NONBLOCK is cleared for the call).
 */
// catches: peeled_sending/peeled_send_SOCK_NONBLOCK_*
#include <fcntl.h>

#include "peeled_send.h"

typedef ssize_t (*send_fn)(int, const void *, size_t, int);

/* fd's O_NONBLOCK cleared if fd is a peeled socket and the call may block: the old F_GETFL. */
static int drop_nonblock(int fd, int flags)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || !(fl & O_NONBLOCK) || (flags & MSG_DONTWAIT) || !pst_is_peeled(fd))
		return -1;
	fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	return fl;
}

static void restore(int fd, int fl)
{
	if (fl >= 0)
		fcntl(fd, F_SETFL, fl);
}

ssize_t sendmsg(int fd, const struct msghdr *m, int flags)
{
	int fl = drop_nonblock(fd, flags);
	ssize_t r = pst_real_sendmsg()(fd, m, flags);

	restore(fd, fl);
	return r;
}

ssize_t send(int fd, const void *buf, size_t len, int flags)
{
	static send_fn real;
	int fl = drop_nonblock(fd, flags);
	ssize_t r;

	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "send");
	r = real(fd, buf, len, flags);
	restore(fd, fl);
	return r;
}
