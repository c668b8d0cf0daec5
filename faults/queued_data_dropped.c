/*
 * Fault: the association's queued data is not migrated: whatever was waiting
 * for it on the original socket is lost (emulated: it is read and dropped
 * from the new socket right after the peel).
 */
// catches: peeloff_migration/peeloff_unread_data_moves_to_new_socket_in_order/*
// catches: peeloff_migration/peeloff_partly_read_message_rest_moves_to_new_socket/*
#include <errno.h>
#include <unistd.h>

#include "fault.h"

#define DRAIN_BUF 65536

int getsockopt(int sd, int level, int name, void *optval, socklen_t *optlen)
{
	int r = pst_real_getsockopt()(sd, level, name, optval, optlen);

	if (r >= 0 && pst_is_peeloff(level, name)) {
		static char buf[DRAIN_BUF];
		int nsd = *pst_peeloff_sd(name, optval);
		int saved = errno;
		struct msghdr m = { 0 };
		struct iovec iov = { buf, sizeof(buf) };

		m.msg_iov = &iov;
		m.msg_iovlen = 1;
		/* Data only: notifications still move, as in the kernel bug class. */
		while (recvmsg(nsd, &m, MSG_DONTWAIT) >= 0 && !(m.msg_flags & MSG_NOTIFICATION))
			m.msg_flags = 0;
		errno = saved;
	}
	return r;
}
