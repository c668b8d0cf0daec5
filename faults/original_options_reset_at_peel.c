/*
 * Fault: a peel resets the original socket's own options, those its other
 * associations and the ones it has yet to make live by (emulated: right after
 * a successful peel, the options the new socket is given, and SO_MARK,
 * SO_PRIORITY and IP_TOS / IPV6_TCLASS, are set on the original to what a
 * socket just made has).
 */
// catches: peeloff_migrate_options/peeloff_new_socket_inherits_*
// catches: peeloff_migrate_options/peeloff_new_socket_sends_with_inherited_*
// catches: peeloff_migrate_options/peeloff_new_socket_reports_inherited_context_in_rcvinfo/*
// catches: peeloff_migrate_options/peeloff_new_socket_delivers_partially_at_inherited_pd_point/*
// catches: peeloff_migrate_options/peeloff_new_socket_gets_rcvinfo_with_its_assoc_id/*
// catches: peeloff_migrate_options/peeloff_new_socket_times_out_recv_at_inherited_rcvtimeo/*
// catches: peeloff_migrate_options/peeloff_new_socket_does_not_inherit_*
// catches: peeloff_migrate_options/peeloff_new_socket_sends_without_original_tos/*
#include "option_reset.h"

static void set_int(int sd, int level, int name, int v)
{
	setsockopt(sd, level, name, &v, sizeof(v));
}

int getsockopt(int sd, int level, int name, void *optval, socklen_t *optlen)
{
	int r = pst_real_getsockopt()(sd, level, name, optval, optlen);

	if (r >= 0 && pst_is_peeloff(level, name)) {
		int saved = errno;

		pst_fault_reset_copied_opts(sd);
		if (pst_fault_family(sd) == AF_INET6)
			set_int(sd, IPPROTO_IPV6, IPV6_TCLASS, 0);
		else
			set_int(sd, IPPROTO_IP, IP_TOS, 0);
		set_int(sd, SOL_SOCKET, SO_MARK, 0);
		set_int(sd, SOL_SOCKET, SO_PRIORITY, 0);
		errno = saved;
	}
	return r;
}
