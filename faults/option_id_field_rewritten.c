/*
 * Fault: a get on a peeled socket writes its association's own id into the id
 * field, as SCTP_STATUS does, where a one-to-one socket gives the field back as
 * the caller wrote it (emulated for SCTP_RTOINFO, SCTP_ASSOCINFO,
 * SCTP_PEER_ADDR_PARAMS and SCTP_DEFAULT_SNDINFO on every peeled socket). The
 * values stay right: only the reference behaviour REF-PEELED-OPTION-IDS
 * changes, so the cases are CHANGED, not FAIL.
 */
// catches: peeled_options/peeled_rtoinfo_get_reports_own_assoc_whatever_id/*
// catches: peeled_options/peeled_associnfo_get_reports_own_assoc_whatever_id/*
// catches: peeled_options/peeled_peer_addr_params_get_reports_own_assoc_whatever_id/*
// catches: peeled_options/peeled_default_sndinfo_get_reports_own_assoc_whatever_id/*
#include "option_ids.h"

int getsockopt(int sd, int level, int name, void *optval, socklen_t *optlen)
{
	long at = pst_option_id_at(level, name);
	int r = pst_real_getsockopt()(sd, level, name, optval, optlen);
	struct sctp_status st;
	socklen_t slen = sizeof(st);

	memset(&st, 0, sizeof(st));
	if (r == 0 && at >= 0 && optval && *optlen >= (socklen_t)at + sizeof(sctp_assoc_t) &&
	    pst_is_peeled(sd) && pst_real_getsockopt()(sd, SOL_SCTP, SCTP_STATUS, &st, &slen) == 0)
		memcpy((char *)optval + at, &st.sstat_assoc_id, sizeof(sctp_assoc_t));
	return r;
}
