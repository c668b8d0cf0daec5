/*
 * Fault: a send on a peeled socket whose sinfo_assoc_id or snd_assoc_id
 * names an association that stayed on the original socket goes to that
 * association, where a one-to-one socket ignores the id (emulated: the
 * message is sent on the original socket with that id instead).
 */
// (make check runs the sctp_peeloff entry of each: the entry does not change what the
// shim breaks, and a case that catches it waits out its timeout; make fault-check runs all)
// catches: peeled_sending/peeled_send_foreign_*/*/sctp_peeloff
#include "peeled_send.h"

ssize_t sendmsg(int fd, const struct msghdr *m, int flags)
{
	sctp_assoc_t id, ids[PST_IDS_MAX];
	uint16_t f;
	int orig;

	if (pst_send_info(m, &f, &id) && id != 0 && pst_is_peeled(fd) &&
	    (orig = pst_original_of(fd)) != PST_NO_SOCKET) {
		int n = pst_ids_of(orig, ids);

		for (int i = 0; i < n; i++)
			if (ids[i] == id)
				return pst_resend(orig, m, f, id);
	}
	return pst_real_sendmsg()(fd, m, flags);
}
