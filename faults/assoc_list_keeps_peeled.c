/*
 * Fault: the original socket still counts and lists an association after it
 * was peeled off: SCTP_GET_ASSOC_NUMBER one too many, SCTP_GET_ASSOC_ID_LIST
 * with the peeled id still in it (emulated: every peel of the process is
 * remembered and added back to the original's answers).
 */
// catches: peeled_addresses/peeled_assoc_number_names_own_association_only/*
// catches: peeled_addresses/peeled_assoc_id_list_names_own_association_only/*
#include <stdint.h>

#include "fault.h"

#define MAX_PEELS 64 /* more than any case peels */

static struct {
	int sd;
	sctp_assoc_t id;
} peels[MAX_PEELS];
static int npeels;

int getsockopt(int sd, int level, int name, void *optval, socklen_t *optlen)
{
	socklen_t room = optlen ? *optlen : 0;
	sctp_assoc_t peel_id = 0;
	int r;

	if (pst_is_peeloff(level, name) && optval)
		peel_id = name == SCTP_SOCKOPT_PEELOFF
			      ? ((sctp_peeloff_arg_t *)optval)->associd
			      : ((sctp_peeloff_flags_arg_t *)optval)->p_arg.associd;
	r = pst_real_getsockopt()(sd, level, name, optval, optlen);
	if (r < 0 || !optval || !optlen)
		return r;
	if (pst_is_peeloff(level, name) && npeels < MAX_PEELS) {
		peels[npeels].sd = sd;
		peels[npeels++].id = peel_id;
	} else if (level == SOL_SCTP && name == SCTP_GET_ASSOC_NUMBER) {
		for (int i = 0; i < npeels; i++)
			*(uint32_t *)optval += peels[i].sd == sd;
	} else if (level == SOL_SCTP && name == SCTP_GET_ASSOC_ID_LIST) {
		struct sctp_assoc_ids *ids = optval;

		for (int i = 0; i < npeels; i++) {
			socklen_t need = (socklen_t)(sizeof(*ids) + (ids->gaids_number_of_ids + 1) *
									sizeof(sctp_assoc_t));

			if (peels[i].sd != sd || need > room)
				continue;
			ids->gaids_assoc_id[ids->gaids_number_of_ids++] = peels[i].id;
			*optlen = need;
		}
	}
	return r;
}
