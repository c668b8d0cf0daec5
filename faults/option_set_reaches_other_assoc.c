/*
 * Fault: a set with a foreign association id on a peeled socket reaches that
 * association on the original socket (emulated: SCTP_RTOINFO, SCTP_ASSOCINFO,
 * SCTP_PEER_ADDR_PARAMS or SCTP_DEFAULT_SNDINFO set on a peeled socket with an
 * id that is neither 0 nor its own is set on the process's one-to-many
 * sockets too, where that id names one of their associations).
 */
// catches: peeled_options/peeled_rtoinfo_set_changes_own_assoc_whatever_id/*
// catches: peeled_options/peeled_associnfo_set_changes_own_assoc_whatever_id/*
// catches: peeled_options/peeled_peer_addr_params_set_changes_own_assoc_whatever_id/*
// catches: peeled_options/peeled_default_sndinfo_set_changes_own_assoc_whatever_id/*
#include "option_ids.h"

int setsockopt(int sd, int level, int name, const void *optval, socklen_t optlen)
{
	if (pst_foreign_option_id(sd, level, name, optval, optlen))
		for (int fd = 0; fd < PST_FAULT_MAX_FD; fd++)
			if (fd != sd && pst_is_one_to_many(fd))
				pst_real_setsockopt()(fd, level, name, optval, optlen);
	return pst_real_setsockopt()(sd, level, name, optval, optlen);
}
