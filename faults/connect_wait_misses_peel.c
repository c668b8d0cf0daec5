/*
 * Fault: a blocking sctp_connectx() whose association was peeled off while
 * it waited returns success, with that association's id, once the
 * association is up on the new socket: the connect wait does not notice the
 * move (Linux before f14fe6395a8b). Emulated: the connect's ECONNREFUSED is
 * turned into the id of the association of the peeled socket whose primary
 * peer address has the connect's port.
 */
// catches: peeloff_migrate_queues/peeloff_in_connect_wait_connectx_gets_ECONNREFUSED_*
#include <unistd.h>

#include "peel_track.h"

#define FD_SCAN 1024 /* the descriptors searched for the peeled socket */

typedef int (*setsockopt_fn)(int, int, int, const void *, socklen_t);

static unsigned port_of(const struct sockaddr_storage *ss)
{
	return ss->ss_family == AF_INET6 ? ((const struct sockaddr_in6 *)ss)->sin6_port
					 : ((const struct sockaddr_in *)ss)->sin_port;
}

int setsockopt(int sd, int level, int name, const void *optval, socklen_t optlen)
{
	static setsockopt_fn real;
	struct sockaddr_storage first = { 0 };
	int r;

	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "setsockopt");
	r = real(sd, level, name, optval, optlen);
	if (r >= 0 || errno != ECONNREFUSED || level != SOL_SCTP || name != SCTP_SOCKOPT_CONNECTX ||
	    !optval)
		return r;
	memcpy(&first, optval,
	       optlen < sizeof(struct sockaddr_in6) ? optlen : sizeof(struct sockaddr_in6));
	for (int fd = 0; fd < FD_SCAN; fd++) {
		struct sockaddr_storage primary;
		struct sctp_status st;

		if (fd == sd || !pst_is_peeled(fd) || pst_peeled_status(fd, &st) < 0)
			continue;
		memcpy(&primary, &st.sstat_primary.spinfo_address, sizeof(primary));
		if (port_of(&primary) == port_of(&first))
			return (int)st.sstat_assoc_id;
	}
	errno = ECONNREFUSED;
	return r;
}
