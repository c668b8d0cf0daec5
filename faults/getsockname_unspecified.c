/*
 * Fault: getsockname() on a peeled socket names the unspecified address
 * (0.0.0.0 or ::) at its port, not one of its association's local addresses:
 * what Linux's IPv6 peeled socket does (REF-PEELED-GETSOCKNAME), emulated on
 * every peeled socket, IPv4 included.
 */
// catches: peeled_addresses/peeled_getsockname_names_address_at_original_port/ipv4/*
#include <string.h>

#include "fault.h"

int getsockname(int sd, struct sockaddr *addr, socklen_t *len)
{
	static int (*real)(int, struct sockaddr *, socklen_t *);
	int r;

	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "getsockname");
	r = real(sd, addr, len);
	if (r == 0 && pst_is_peeled(sd)) {
		if (addr->sa_family == AF_INET && *len >= sizeof(struct sockaddr_in))
			((struct sockaddr_in *)addr)->sin_addr.s_addr = htonl(INADDR_ANY);
		else if (addr->sa_family == AF_INET6 && *len >= sizeof(struct sockaddr_in6))
			((struct sockaddr_in6 *)addr)->sin6_addr = in6addr_any;
	}
	return r;
}
