/*
 * Fault: libsctp's sctp_peeloff() always fails with EINVAL.
 */
// catches: peeloff_success/peeloff_returns_new_sctp_socket/*/sctp_peeloff
#include <errno.h>
#include <netinet/in.h>
#include <netinet/sctp.h>

int sctp_peeloff(int sd, sctp_assoc_t id)
{
	(void)sd;
	(void)id;
	errno = EINVAL;
	return -1;
}
