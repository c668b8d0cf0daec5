/*
 * Fault: SCTP_EOF or SCTP_ABORT sent on a peeled socket ends the wrong
 * association: one that stayed on the original socket, not the peeled one
 * (emulated: the flag is sent on the original socket for its first
 * association instead, as if the peeled socket still reached its endpoint).
 */
// (make check runs the sctp_peeloff entry of each: the entry does not change what the
// shim breaks, and a case that catches it waits out its timeout; make fault-check runs all)
// catches: peeled_sending/peeled_send_SCTP_EOF_*/*/sctp_peeloff
// catches: peeled_sending/peeled_send_SCTP_ABORT_*/*/sctp_peeloff
#include "peeled_send.h"

ssize_t sendmsg(int fd, const struct msghdr *m, int flags)
{
	sctp_assoc_t id, ids[PST_IDS_MAX];
	uint16_t f;
	int orig;

	if (pst_send_info(m, &f, &id) && (f & (SCTP_EOF | SCTP_ABORT)) && pst_is_peeled(fd) &&
	    (orig = pst_original_of(fd)) != PST_NO_SOCKET && pst_ids_of(orig, ids) > 0)
		return pst_resend(orig, m, f & (SCTP_EOF | SCTP_ABORT), ids[0]);
	return pst_real_sendmsg()(fd, m, flags);
}
