/*
 * Fault: SCTP_GET_ASSOC_NUMBER and SCTP_GET_ASSOC_ID_LIST on a peeled socket
 * name an association besides its own (emulated: one more, with the id after
 * the last one listed).
 */
// catches: peeled_addresses/peeled_assoc_number_names_own_association_only/*
// catches: peeled_addresses/peeled_assoc_id_list_names_own_association_only/*
#include <stdint.h>

#include "fault.h"

int getsockopt(int sd, int level, int name, void *optval, socklen_t *optlen)
{
	socklen_t room = optlen ? *optlen : 0;
	int r = pst_real_getsockopt()(sd, level, name, optval, optlen);

	if (r < 0 || level != SOL_SCTP || !optval || !optlen || !pst_is_peeled(sd))
		return r;
	if (name == SCTP_GET_ASSOC_NUMBER) {
		*(uint32_t *)optval += 1;
	} else if (name == SCTP_GET_ASSOC_ID_LIST) {
		struct sctp_assoc_ids *ids = optval;
		uint32_t n = ids->gaids_number_of_ids;
		socklen_t need = (socklen_t)(sizeof(*ids) + (n + 1) * sizeof(sctp_assoc_t));

		if (n > 0 && need <= room) {
			ids->gaids_assoc_id[n] = ids->gaids_assoc_id[n - 1] + 1;
			ids->gaids_number_of_ids = n + 1;
			*optlen = need;
		}
	}
	return r;
}
