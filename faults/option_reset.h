/*
 * For the shims of the options a peeled socket starts with
 * (suites/peeloff_migrate_options.c): the options the suite sets before the
 * peel, and setting each on a socket to what a socket just made has.
 */
#ifndef PST_FAULT_OPTION_RESET_H
#define PST_FAULT_OPTION_RESET_H

#include <net/if.h>
#include <stdint.h>
#include <sys/time.h>
#include <unistd.h>

#include "fault.h"

#define PST_FAULT_OPT_MAX 256 /* every option below is shorter */

/* The options of the suite a Linux 6.1 peel copies to the new socket. */
static const struct {
	int level, name;
	socklen_t size;
} pst_fault_copied_opts[] = {
	{ SOL_SCTP, SCTP_ASSOCINFO, sizeof(struct sctp_assocparams) },
	{ SOL_SCTP, SCTP_DEFAULT_SNDINFO, sizeof(struct sctp_sndinfo) },
	{ SOL_SCTP, SCTP_DEFAULT_SEND_PARAM, sizeof(struct sctp_sndrcvinfo) },
	{ SOL_SCTP, SCTP_CONTEXT, sizeof(struct sctp_assoc_value) },
	{ SOL_SCTP, SCTP_DELAYED_SACK, sizeof(struct sctp_sack_info) },
	{ SOL_SCTP, SCTP_MAX_BURST, sizeof(struct sctp_assoc_value) },
	{ SOL_SCTP, SCTP_PARTIAL_DELIVERY_POINT, sizeof(uint32_t) },
	{ SOL_SCTP, SCTP_FRAGMENT_INTERLEAVE, sizeof(int) },
	{ SOL_SCTP, SCTP_I_WANT_MAPPED_V4_ADDR, sizeof(int) },
	{ SOL_SCTP, SCTP_ADAPTATION_LAYER, sizeof(struct sctp_setadaptation) },
	{ SOL_SCTP, SCTP_RECVRCVINFO, sizeof(int) },
	{ SOL_SOCKET, SO_RCVTIMEO, sizeof(struct timeval) },
	{ SOL_SOCKET, SO_SNDTIMEO, sizeof(struct timeval) },
	{ SOL_SOCKET, SO_BINDTODEVICE, IFNAMSIZ },
};

/* The family of an SCTP socket (getsockname), or -1. */
static inline int pst_fault_family(int sd)
{
	struct sockaddr_storage me;
	socklen_t len = sizeof(me);

	return getsockname(sd, (struct sockaddr *)&me, &len) < 0 ? -1 : me.ss_family;
}

/*
 * Each option of the list on sd as a socket of its family just made has it
 * (read with association id 0: the fresh socket's own value; set with id 0:
 * sd's own value, its association's on a peeled socket). errno is kept.
 */
static inline void pst_fault_reset_copied_opts(int sd)
{
	int family = pst_fault_family(sd), fresh, saved = errno;

	fresh = family < 0 ? -1 : socket(family, SOCK_SEQPACKET, IPPROTO_SCTP);
	if (fresh < 0) {
		errno = saved;
		return;
	}
	for (size_t i = 0; i < sizeof(pst_fault_copied_opts) / sizeof(pst_fault_copied_opts[0]);
	     i++) {
		unsigned char v[PST_FAULT_OPT_MAX] = { 0 };
		socklen_t len = pst_fault_copied_opts[i].size;

		if (pst_real_getsockopt()(fresh, pst_fault_copied_opts[i].level,
					  pst_fault_copied_opts[i].name, v, &len) == 0)
			setsockopt(sd, pst_fault_copied_opts[i].level,
				   pst_fault_copied_opts[i].name, v, len);
	}
	close(fresh);
	errno = saved;
}

/* An int option of one socket set on another (if it can be read). */
static inline void pst_fault_copy_int(int from, int to, int level, int name)
{
	int v = 0;
	socklen_t len = sizeof(v);

	if (pst_real_getsockopt()(from, level, name, &v, &len) == 0)
		setsockopt(to, level, name, &v, len);
}

#endif
