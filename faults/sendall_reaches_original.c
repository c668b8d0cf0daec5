/*
 * Fault: SCTP_SENDALL on a peeled socket sends the message to every
 * association of the original socket too, not only to the peeled one
 * (emulated: the message is also sent on the original socket with
 * SCTP_SENDALL).
 */
// catches: peeled_sending/peeled_send_SCTP_SENDALL_*
#include "peeled_send.h"

ssize_t sendmsg(int fd, const struct msghdr *m, int flags)
{
	sctp_assoc_t id;
	uint16_t f;
	int orig;

	if (pst_send_info(m, &f, &id) && (f & SCTP_SENDALL) && pst_is_peeled(fd) &&
	    (orig = pst_original_of(fd)) != PST_NO_SOCKET)
		(void)pst_resend(orig, m, SCTP_SENDALL, 0);
	return pst_real_sendmsg()(fd, m, flags);
}
