/*
 * Fault: a send on a peeled socket never raises SIGPIPE, as if MSG_NOSIGNAL
 * were always given (EPIPE is still returned).
 */
// catches: peeled_state/peeled_send_after_peer_close_gives_EPIPE_and_SIGPIPE/*
#include "peeled_fd.h"

ssize_t send(int sd, const void *buf, size_t len, int flags)
{
	static ssize_t (*real)(int, const void *, size_t, int);

	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "send");
	return real(sd, buf, len, pst_is_peeled(sd) ? flags | MSG_NOSIGNAL : flags);
}

ssize_t sendmsg(int sd, const struct msghdr *msg, int flags)
{
	static ssize_t (*real)(int, const struct msghdr *, int);

	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "sendmsg");
	return real(sd, msg, pst_is_peeled(sd) ? flags | MSG_NOSIGNAL : flags);
}
