/*
 * Fault: getpeername() on a peeled socket gives a zeroed address, the bug
 * fixed by "sctp: Initialize daddr on peeled off socket" (2022). Emulated
 * for every SCTP socket of type SOCK_SEQPACKET that is connected.
 */
// catches: peeled_socket/peeled_getpeername_is_primary_peer_address/*
// catches: peeloff_success/peeloff_v4_mapped_peer_on_ipv6_socket/*
// catches: peeloff_migrate_states/peeloff_assoc_opened_by_*/*
#include <dlfcn.h>
#include <string.h>
#include <sys/socket.h>

#include "fault.h"

int getpeername(int sd, struct sockaddr *addr, socklen_t *len)
{
	static int (*real)(int, struct sockaddr *, socklen_t *);
	int type = 0, proto = 0, r;
	socklen_t l = sizeof(int);

	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "getpeername");
	r = real(sd, addr, len);
	if (r == 0 && getsockopt(sd, SOL_SOCKET, SO_TYPE, &type, &l) == 0 &&
	    getsockopt(sd, SOL_SOCKET, SO_PROTOCOL, &proto, &l) == 0 && type == SOCK_SEQPACKET &&
	    proto == IPPROTO_SCTP) {
		sa_family_t family = addr->sa_family;

		memset(addr, 0, *len);
		addr->sa_family = family;
	}
	return r;
}
