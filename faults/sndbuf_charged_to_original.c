/*
 * Fault: the data queued on an association stays charged to the original
 * socket's send buffer after the association is peeled off, until it is
 * acked (Linux before d04adf1b3551): the original gets no room back, though
 * none of that data is its own any more. Emulated: a non-blocking send on a
 * socket gives EAGAIN while an association peeled off it has data in flight
 * (SCTP_STATUS sstat_unackdata of the peeled socket).
 */
// catches: peeloff_migrate_queues/peeloff_with_data_queued_moves_its_send_buffer_use/*
#include "peel_track.h"

ssize_t sendmsg(int fd, const struct msghdr *m, int flags)
{
	int n = pst_peel_count();

	for (int k = 0; (flags & MSG_DONTWAIT) && k < n; k++) {
		struct sctp_status st;

		if (pst_peels[k].orig == fd && pst_peel_open(&pst_peels[k]) &&
		    pst_peeled_status(pst_peels[k].sd, &st) == 0 && st.sstat_unackdata > 0) {
			errno = EAGAIN;
			return -1;
		}
	}
	return pst_real_sendmsg()(fd, m, flags);
}

int getsockopt(int sd, int level, int name, void *optval, socklen_t *optlen)
{
	return pst_tracked_getsockopt(sd, level, name, optval, optlen);
}
