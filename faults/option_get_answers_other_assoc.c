/*
 * Fault: a get with a foreign association id on a peeled socket reports that
 * association (emulated: SCTP_RTOINFO, SCTP_ASSOCINFO, SCTP_PEER_ADDR_PARAMS or
 * SCTP_DEFAULT_SNDINFO got on a peeled socket with an id that is neither 0 nor
 * its own is answered by the process's one-to-many socket that has an
 * association of that id).
 */
// catches: peeled_options/peeled_rtoinfo_get_reports_own_assoc_whatever_id/*
// catches: peeled_options/peeled_associnfo_get_reports_own_assoc_whatever_id/*
// catches: peeled_options/peeled_peer_addr_params_get_reports_own_assoc_whatever_id/*
// catches: peeled_options/peeled_default_sndinfo_get_reports_own_assoc_whatever_id/*
#include "option_ids.h"

int getsockopt(int sd, int level, int name, void *optval, socklen_t *optlen)
{
	if (optlen && pst_foreign_option_id(sd, level, name, optval, *optlen) &&
	    pst_get_from_one_to_many(sd, level, name, optval, optlen) == 0)
		return 0;
	return pst_real_getsockopt()(sd, level, name, optval, optlen);
}
