/*
 * Fault: poll() and epoll_wait() never report a peeled socket readable: the
 * peer's data is queued but POLLIN is missing. epoll events are matched to
 * their socket by data.fd, as the cases register them.
 */
// catches: peeled_state/peeled_poll_data_and_room_like_one_to_one/*
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
	for (nfds_t i = 0; r > 0 && i < n; i++)
		if (fds[i].revents && pst_is_peeled(fds[i].fd)) {
			fds[i].revents &= (short)~(POLLIN | POLLRDNORM);
			if (!fds[i].revents)
				r--;
		}
	return r;
}

int epoll_wait(int ep, struct epoll_event *ev, int max, int timeout)
{
	static int (*real)(int, struct epoll_event *, int, int);
	int r, kept = 0;

	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "epoll_wait");
	r = real(ep, ev, max, timeout);
	for (int i = 0; i < r; i++) {
		if (pst_is_peeled(ev[i].data.fd))
			ev[i].events &= ~(unsigned)(EPOLLIN | EPOLLRDNORM);
		if (ev[i].events)
			ev[kept++] = ev[i];
	}
	return r < 0 ? r : kept;
}
