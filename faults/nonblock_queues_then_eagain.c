/*
 * Fault: send() on a SOCK_NONBLOCK peeled socket whose send buffer is full
 * queues the message and still returns EAGAIN, so a caller that retries
 * sends it twice (emulated: on EAGAIN the buffer is widened for one more
 * send, then set back, and EAGAIN returned).
 */
// catches: peeled_sending/peeled_send_SOCK_NONBLOCK_*
#include <fcntl.h>

#include "fault.h"

typedef ssize_t (*send_fn)(int, const void *, size_t, int);

#define WIDER 64 /* times the send buffer, for the one send that is queued anyway */

ssize_t send(int fd, const void *buf, size_t len, int flags)
{
	static send_fn real;
	int fl = fcntl(fd, F_GETFL), size = 0, wide;
	socklen_t sl = sizeof(size);
	ssize_t r;

	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "send");
	r = real(fd, buf, len, flags);
	/* Only the send that relies on O_NONBLOCK: MSG_DONTWAIT ones (filling the buffer) pass. */
	if (r >= 0 || errno != EAGAIN || fl < 0 || !(fl & O_NONBLOCK) || (flags & MSG_DONTWAIT) ||
	    !pst_is_peeled(fd) || pst_real_getsockopt()(fd, SOL_SOCKET, SO_SNDBUF, &size, &sl) < 0)
		return r;
	wide = size * WIDER;
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &wide, sizeof(wide));
	real(fd, buf, len, flags);
	size /= 2; /* the kernel doubles what is set: set half of what it reported */
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
	errno = EAGAIN;
	return -1;
}
