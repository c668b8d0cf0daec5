/*
 * Fault: sctp_bindx() on a peeled socket changes the original socket, which
 * shares its port, instead of the peeled one (emulated: SCTP_SOCKOPT_BINDX_ADD
 * or _REM on a peeled socket goes to the listening one-to-many SCTP socket of
 * the process bound to the same port, when there is one).
 */
// catches: peeled_addresses/peeled_bindx_add_like_one_to_one/*
// catches: peeled_addresses/peeled_bindx_rem_like_one_to_one/*
#include <netinet/in.h>

#include "fault.h"

#define FD_SCAN_MAX 256 /* far above the descriptors a case holds */

typedef int (*setsockopt_fn)(int, int, int, const void *, socklen_t);

/* The local port of sd, or 0. */
static unsigned port_of(int sd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getsockname(sd, (struct sockaddr *)&ss, &len) < 0)
		return 0;
	if (ss.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

/* Is fd a listening one-to-many SCTP socket? */
static int is_listening_one_to_many(int fd)
{
	int type = 0, proto = 0, listening = 0;
	socklen_t len = sizeof(int);

	return pst_real_getsockopt()(fd, SOL_SOCKET, SO_TYPE, &type, &len) == 0 &&
	       pst_real_getsockopt()(fd, SOL_SOCKET, SO_PROTOCOL, &proto, &len) == 0 &&
	       pst_real_getsockopt()(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) == 0 &&
	       type == SOCK_SEQPACKET && proto == IPPROTO_SCTP && listening;
}

int setsockopt(int sd, int level, int name, const void *optval, socklen_t optlen)
{
	static setsockopt_fn real;
	unsigned port;

	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "setsockopt");
	if (level != SOL_SCTP ||
	    (name != SCTP_SOCKOPT_BINDX_ADD && name != SCTP_SOCKOPT_BINDX_REM) ||
	    !pst_is_peeled(sd))
		return real(sd, level, name, optval, optlen);
	port = port_of(sd);
	for (int fd = 0; port && fd < FD_SCAN_MAX; fd++)
		if (fd != sd && is_listening_one_to_many(fd) && port_of(fd) == port)
			return real(fd, level, name, optval, optlen);
	return real(sd, level, name, optval, optlen);
}
