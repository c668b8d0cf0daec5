/*
 * Fault: getsockname() on a peeled socket names port 0, as if the peel had
 * not carried the original's port to the new socket (the address itself as
 * the kernel gave it: on IPv6 Linux 6.1's unspecified address).
 */
// catches: peeled_addresses/peeled_getsockname_names_address_at_original_port/*
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
			((struct sockaddr_in *)addr)->sin_port = 0;
		else if (addr->sa_family == AF_INET6 && *len >= sizeof(struct sockaddr_in6))
			((struct sockaddr_in6 *)addr)->sin6_port = 0;
	}
	return r;
}
