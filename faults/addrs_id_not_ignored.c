/*
 * Fault: a peeled socket does not ignore the association id of its address
 * lists (RFC 6458 8): SCTP_GET_PEER_ADDRS / SCTP_GET_LOCAL_ADDRS with a
 * nonzero id other than its own association's give EINVAL, as a one-to-many
 * socket does for an id it does not own.
 */
// catches: peeled_addresses/peeled_getpaddrs_lists_every_peer_address/*
// catches: peeled_addresses/peeled_getladdrs_lists_every_local_address/*
#include "fault.h"

/* The id of the association of a peeled socket (SCTP_STATUS, id ignored), or 0. */
static sctp_assoc_t own_id(int sd)
{
	struct sctp_status st = { .sstat_assoc_id = 0 };
	socklen_t len = sizeof(st);

	return pst_real_getsockopt()(sd, SOL_SCTP, SCTP_STATUS, &st, &len) == 0 ? st.sstat_assoc_id
										: 0;
}

int getsockopt(int sd, int level, int name, void *optval, socklen_t *optlen)
{
	if (level == SOL_SCTP && (name == SCTP_GET_PEER_ADDRS || name == SCTP_GET_LOCAL_ADDRS) &&
	    optval && optlen && *optlen >= sizeof(struct sctp_getaddrs)) {
		sctp_assoc_t id = ((struct sctp_getaddrs *)optval)->assoc_id;

		if (id != 0 && pst_is_peeled(sd) && id != own_id(sd)) {
			errno = EINVAL;
			return -1;
		}
	}
	return pst_real_getsockopt()(sd, level, name, optval, optlen);
}
