/*
 * Fault: sctp_bindx() on a peeled socket fails with EOPNOTSUPP, as if adding
 * and removing addresses were unsupported there, although a one-to-one
 * socket of the same stack allows both.
 */
// catches: peeled_addresses/peeled_bindx_add_like_one_to_one/*
// catches: peeled_addresses/peeled_bindx_rem_like_one_to_one/*
#include "fault.h"

typedef int (*setsockopt_fn)(int, int, int, const void *, socklen_t);

int setsockopt(int sd, int level, int name, const void *optval, socklen_t optlen)
{
	static setsockopt_fn real;

	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "setsockopt");
	if (level == SOL_SCTP &&
	    (name == SCTP_SOCKOPT_BINDX_ADD || name == SCTP_SOCKOPT_BINDX_REM) &&
	    pst_is_peeled(sd)) {
		errno = EOPNOTSUPP;
		return -1;
	}
	return real(sd, level, name, optval, optlen);
}
