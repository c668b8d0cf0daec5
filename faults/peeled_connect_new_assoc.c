/*
 * Fault: connect() on a peeled socket starts an association with the address
 * it names and succeeds, as a one-to-many socket's would. Emulated: a new
 * SCTP socket of the calling thread's netns sends its INIT there (connect()
 * sends it before returning), and the call returns 0.
 */
// catches: peeled_state/peeled_connect_no_listener_fails_like_one_to_one/*
#include <fcntl.h>
#include <unistd.h>

#include "peeled_fd.h"

int connect(int sd, const struct sockaddr *addr, socklen_t len)
{
	static int (*real)(int, const struct sockaddr *, socklen_t);
	int s;

	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "connect");
	if (!pst_is_peeled(sd))
		return real(sd, addr, len);
	s = socket(addr->sa_family, SOCK_STREAM | SOCK_NONBLOCK, IPPROTO_SCTP);
	if (s >= 0) {
		real(s, addr, len);
		close(s);
	}
	return 0;
}
