/*
 * Fault: the new socket inherits the original's SO_MARK, SO_PRIORITY and
 * IP_TOS (IPV6_TCLASS on an IPv6 socket), as a socket cloned whole from the
 * original would (emulated: right after a successful peel each is read on
 * the original and set on the new socket).
 */
// catches: peeloff_migrate_options/peeloff_new_socket_does_not_inherit_so_mark/*
// catches: peeloff_migrate_options/peeloff_new_socket_does_not_inherit_so_priority/*
// catches: peeloff_migrate_options/peeloff_new_socket_sends_without_original_tos/*
#include "option_reset.h"

int getsockopt(int sd, int level, int name, void *optval, socklen_t *optlen)
{
	int r = pst_real_getsockopt()(sd, level, name, optval, optlen);

	if (r >= 0 && pst_is_peeloff(level, name)) {
		int nsd = *pst_peeloff_sd(name, optval), saved = errno;

		/* The TOS first: setting IP_TOS sets the priority too. */
		if (pst_fault_family(sd) == AF_INET6)
			pst_fault_copy_int(sd, nsd, IPPROTO_IPV6, IPV6_TCLASS);
		else
			pst_fault_copy_int(sd, nsd, IPPROTO_IP, IP_TOS);
		pst_fault_copy_int(sd, nsd, SOL_SOCKET, SO_MARK);
		pst_fault_copy_int(sd, nsd, SOL_SOCKET, SO_PRIORITY);
		errno = saved;
	}
	return r;
}
