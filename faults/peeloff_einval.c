/*
 * Fault injection: an implementation whose sctp_peeloff() always fails with
 * EINVAL. LD_PRELOADed into the test processes (through run.sh, into the UML
 * guest too); the success cases must catch it.
 */
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
