/*
 * Fault: id 0 on a peeled socket is taken as SCTP_FUTURE_ASSOC, as on a
 * one-to-many socket: a get reports the socket's default for future
 * associations, a set changes only that default and not the association
 * (emulated for SCTP_RTOINFO, SCTP_ASSOCINFO, SCTP_PEER_ADDR_PARAMS and
 * SCTP_DEFAULT_SNDINFO: the get is answered by the process's one-to-many
 * socket, whose defaults the peeled socket copied; the set does nothing, the
 * default of a socket that gets no other association being unseen).
 */
// catches: peeled_options/peeled_rtoinfo_get_reports_own_assoc_whatever_id/*
// catches: peeled_options/peeled_rtoinfo_set_changes_own_assoc_whatever_id/*
// catches: peeled_options/peeled_associnfo_get_reports_own_assoc_whatever_id/*
// catches: peeled_options/peeled_associnfo_set_changes_own_assoc_whatever_id/*
// catches: peeled_options/peeled_peer_addr_params_get_reports_own_assoc_whatever_id/*
// catches: peeled_options/peeled_peer_addr_params_set_changes_own_assoc_whatever_id/*
// catches: peeled_options/peeled_default_sndinfo_get_reports_own_assoc_whatever_id/*
// catches: peeled_options/peeled_default_sndinfo_set_changes_own_assoc_whatever_id/*
#include "option_ids.h"

/* One of the four options, given id 0, on a peeled socket. */
static int id0_on_peeled(int sd, int level, int name, const void *optval, socklen_t optlen)
{
	long at = pst_option_id_at(level, name);
	sctp_assoc_t id;

	if (at < 0 || !optval || optlen < (socklen_t)at + sizeof(id))
		return 0;
	memcpy(&id, (const char *)optval + at, sizeof(id));
	return id == 0 && pst_is_peeled(sd);
}

int getsockopt(int sd, int level, int name, void *optval, socklen_t *optlen)
{
	if (optlen && id0_on_peeled(sd, level, name, optval, *optlen) &&
	    pst_get_from_one_to_many(sd, level, name, optval, optlen) == 0)
		return 0;
	return pst_real_getsockopt()(sd, level, name, optval, optlen);
}

int setsockopt(int sd, int level, int name, const void *optval, socklen_t optlen)
{
	if (id0_on_peeled(sd, level, name, optval, optlen))
		return 0;
	return pst_real_setsockopt()(sd, level, name, optval, optlen);
}
