/*
 * Fault: an SCTP_SENDALL send that slept in its walk of the associations
 * goes on into an association peeled off meanwhile, its list cursor not
 * revalidated (Linux before abb5f36771cc): the message reaches the peeled
 * association too, and when that association was freed meanwhile the walk
 * breaks (on a real kernel, a use after free). Emulated: after the send,
 * the message is sent again on each socket peeled from it during the call
 * that is still open, and the call fails with EPIPE if one was closed.
 */
// catches: peeloff_migrate_queues/peeloff_during_blocked_sendall_walk_skips_peeled_assoc/*
// catches: peeloff_migrate_queues/peeloff_and_close_during_blocked_sendall_walk_reaches_the_rest/*
#include "peel_track.h"

ssize_t sendmsg(int fd, const struct msghdr *m, int flags)
{
	int start = pst_peel_count(), end;
	ssize_t r;

	if (!(pst_send_flags(m) & SCTP_SENDALL) || pst_is_peeled(fd))
		return pst_real_sendmsg()(fd, m, flags);
	r = pst_real_sendmsg()(fd, m, flags);
	end = pst_peel_count();
	for (int k = start; r >= 0 && k < end; k++) {
		struct msghdr plain = { .msg_iov = m->msg_iov, .msg_iovlen = m->msg_iovlen };

		if (pst_peels[k].orig != fd)
			continue;
		if (!pst_peel_open(&pst_peels[k])) {
			errno = EPIPE;
			return -1;
		}
		(void)pst_real_sendmsg()(pst_peels[k].sd, &plain, MSG_NOSIGNAL);
	}
	return r;
}

int getsockopt(int sd, int level, int name, void *optval, socklen_t *optlen)
{
	return pst_tracked_getsockopt(sd, level, name, optval, optlen);
}
