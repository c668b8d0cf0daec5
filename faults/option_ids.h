/*
 * For the shims that break the options carrying an association id on a
 * peeled socket (suites/peeled_options.c): which options, where their id is,
 * and which of the process's sockets is a peeled one or a one-to-many one.
 */
#ifndef PST_FAULT_OPTION_IDS_H
#define PST_FAULT_OPTION_IDS_H

#include <stddef.h>
#include <string.h>

#include "fault.h"

#define PST_FAULT_MAX_FD 1024 /* a case's process has far fewer descriptors open */

typedef int (*pst_setsockopt_fn)(int, int, int, const void *, socklen_t);

static inline pst_setsockopt_fn pst_real_setsockopt(void)
{
	static pst_setsockopt_fn real;

	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "setsockopt");
	return real;
}

/* Where the association id of one of the four options is; -1: not one of them. */
static inline long pst_option_id_at(int level, int name)
{
	if (level != SOL_SCTP)
		return -1;
	switch (name) {
	case SCTP_RTOINFO:
		return (long)offsetof(struct sctp_rtoinfo, srto_assoc_id);
	case SCTP_ASSOCINFO:
		return (long)offsetof(struct sctp_assocparams, sasoc_assoc_id);
	case SCTP_PEER_ADDR_PARAMS:
		return (long)offsetof(struct sctp_paddrparams, spp_assoc_id);
	case SCTP_DEFAULT_SNDINFO:
		return (long)offsetof(struct sctp_sndinfo, snd_assoc_id);
	default:
		return -1;
	}
}

/*
 * The id an option names on a peeled socket, if it is one the socket's own
 * association does not have (not 0, not its own); 0 otherwise.
 */
static inline sctp_assoc_t pst_foreign_option_id(int sd, int level, int name, const void *optval,
						 socklen_t optlen)
{
	long at = pst_option_id_at(level, name);
	struct sctp_status st;
	socklen_t slen = sizeof(st);
	sctp_assoc_t id;

	if (at < 0 || !optval || optlen < (socklen_t)at + sizeof(id) || !pst_is_peeled(sd))
		return 0;
	memcpy(&id, (const char *)optval + at, sizeof(id));
	memset(&st, 0, sizeof(st));
	if (id == 0 || pst_real_getsockopt()(sd, SOL_SCTP, SCTP_STATUS, &st, &slen) != 0 ||
	    st.sstat_assoc_id == id)
		return 0;
	return id;
}

/*
 * The get answered by another of the process's sockets: the first
 * one-to-many socket but sd whose getsockopt of the same option succeeds
 * (its answer into optval). 0 then; -1: none answered (optval untouched).
 */
static inline int pst_get_from_one_to_many(int sd, int level, int name, void *optval,
					   socklen_t *optlen)
{
	unsigned char buf[sizeof(struct sctp_paddrparams)]; /* the largest of the four */
	socklen_t len;

	if (!optlen || *optlen > sizeof(buf))
		return -1;
	for (int fd = 0; fd < PST_FAULT_MAX_FD; fd++) {
		len = *optlen;
		memcpy(buf, optval, len);
		if (fd != sd && pst_is_one_to_many(fd) &&
		    pst_real_getsockopt()(fd, level, name, buf, &len) == 0) {
			memcpy(optval, buf, len);
			*optlen = len;
			return 0;
		}
	}
	return -1;
}

#endif
