/*
 * Fault: on a peeled socket the data the peer sent just before it closed is
 * lost when the association ends. Emulated: once the association is gone,
 * recv() and recvmsg() first drop every data message still queued.
 */
// catches: peeled_state/peeled_recv_after_peer_close_gives_eof/*
#include "peeled_fd.h"

#define DROP_BUF 65536

static void drop_queued_data(int sd)
{
	static ssize_t (*real)(int, struct msghdr *, int);
	static char buf[DROP_BUF];

	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "recvmsg");
	if (!pst_is_peeled(sd) || !pst_fault_assoc_gone(sd))
		return;
	for (;;) {
		struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
		struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
		char peek[1];
		struct iovec piov = { .iov_base = peek, .iov_len = sizeof(peek) };
		struct msghdr pm = { .msg_iov = &piov, .msg_iovlen = 1 };

		/* Look first: a notification stays, only data goes. */
		if (real(sd, &pm, MSG_PEEK | MSG_DONTWAIT) <= 0 ||
		    (pm.msg_flags & MSG_NOTIFICATION))
			return;
		if (real(sd, &m, MSG_DONTWAIT) <= 0)
			return;
	}
}

ssize_t recvmsg(int sd, struct msghdr *msg, int flags)
{
	static ssize_t (*real)(int, struct msghdr *, int);

	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "recvmsg");
	drop_queued_data(sd);
	return real(sd, msg, flags);
}

ssize_t recv(int sd, void *buf, size_t len, int flags)
{
	static ssize_t (*real)(int, void *, size_t, int);

	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "recv");
	drop_queued_data(sd);
	return real(sd, buf, len, flags);
}
