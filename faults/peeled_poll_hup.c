/*
 * Fault: poll() and epoll_wait() report POLLHUP on a peeled socket once its
 * association has ended, where a one-to-one socket whose peer closed hangs
 * up no such way. epoll events are matched to their socket by data.fd.
 */
// catches: peeled_state/peeled_poll_after_peer_close_gives_POLLRDHUP/*
#include <poll.h>
#include <sys/epoll.h>

#include "peeled_fd.h"

int poll(struct pollfd *fds, nfds_t n, int timeout)
{
	static int (*real)(struct pollfd *, nfds_t, int);
	int r;

	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "poll");
	r = real(fds, n, timeout);
	for (nfds_t i = 0; r >= 0 && i < n; i++)
		if (pst_is_peeled(fds[i].fd) && pst_fault_assoc_gone(fds[i].fd)) {
			if (!fds[i].revents)
				r++;
			fds[i].revents |= POLLHUP;
		}
	return r;
}

int epoll_wait(int ep, struct epoll_event *ev, int max, int timeout)
{
	static int (*real)(int, struct epoll_event *, int, int);
	int r;

	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "epoll_wait");
	r = real(ep, ev, max, timeout);

	for (int i = 0; i < r; i++)
		if (pst_is_peeled(ev[i].data.fd) && pst_fault_assoc_gone(ev[i].data.fd))
			ev[i].events |= EPOLLHUP;
	return r;
}
