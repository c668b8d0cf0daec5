/*
 * For the shims of the peeled socket's state (faults/peeled_*.c): which
 * descriptor is a peeled socket, and whether its association still exists.
 * On Linux a peeled socket is an SCTP socket of type SOCK_SEQPACKET that has
 * a peer (a one-to-many socket has none: getpeername gives ENOTCONN), and it
 * keeps that peer after its association ended. The genuine one-to-one
 * socket the cases compare with is SOCK_STREAM, so the shims leave it alone.
 */
#ifndef PST_FAULT_PEELED_FD_H
#define PST_FAULT_PEELED_FD_H

#include <stdbool.h>

#include "fault.h"

/* Has the peeled socket's association ended (SCTP_STATUS no longer finds it)? */
static inline bool pst_fault_assoc_gone(int fd)
{
	struct sctp_status st = { .sstat_assoc_id = 0 };
	socklen_t len = sizeof(st);

	return pst_real_getsockopt()(fd, SOL_SCTP, SCTP_STATUS, &st, &len) < 0;
}

#endif
