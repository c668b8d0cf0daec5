/* A topology's state against how it was built: see topo_state.h. */
#include "topo_state.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define SELF_NETNS  "/proc/thread-self/ns/net"
#define SCTP_TABLES "/proc/thread-self/net/sctp/"
/*
 * Large enough for a whole dump of a topology in one message batch; the
 * kernel sizes its dump buffers after the largest receive it has seen.
 */
#define DUMP_BUF   32768
#define FNV_OFFSET 1469598103934665603ull
#define FNV_PRIME  1099511628211ull
/* What the fingerprint covers, as notification groups (<linux/rtnetlink.h>). */
#define CHANGE_GROUPS                                                                \
	(RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR | RTMGRP_IPV4_ROUTE | \
	 RTMGRP_IPV6_ROUTE)

/* What a dump or the notifications bring, read and done with at once. */
static _Alignas(struct nlmsghdr) char rx[DUMP_BUF];

static void hash_bytes(uint64_t *h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++) {
		*h ^= b[i];
		*h *= FNV_PRIME;
	}
}

/*
 * Attributes that traffic or the clock move (counters, cache timestamps,
 * lifetimes), and padding, which comes and goes with where a message sits in
 * the kernel's buffer.
 */
static bool volatile_attr(uint16_t msg_type, uint16_t attr)
{
	switch (msg_type) {
	case RTM_NEWLINK: /* per-device IPv4/IPv6 data holds counters and timestamps */
		return attr == IFLA_STATS || attr == IFLA_STATS64 || attr == IFLA_AF_SPEC ||
		       attr == IFLA_PAD;
	case RTM_NEWADDR:
		return attr == IFA_CACHEINFO;
	case RTM_NEWROUTE:
		return attr == RTA_CACHEINFO || attr == RTA_EXPIRES || attr == RTA_PAD;
	default:
		return false;
	}
}

/* One message of a dump into the fingerprint: its header and its lasting attributes. */
static void hash_msg(uint64_t *h, const struct nlmsghdr *nlh)
{
	size_t hdr;
	const unsigned char *p = NLMSG_DATA(nlh);
	size_t len = nlh->nlmsg_len - NLMSG_HDRLEN;

	switch (nlh->nlmsg_type) {
	case RTM_NEWLINK:
		hdr = NLMSG_ALIGN(sizeof(struct ifinfomsg));
		break;
	case RTM_NEWADDR:
		hdr = NLMSG_ALIGN(sizeof(struct ifaddrmsg));
		break;
	case RTM_NEWROUTE:
		hdr = NLMSG_ALIGN(sizeof(struct rtmsg));
		break;
	default:
		return;
	}
	if (len < hdr)
		return;
	hash_bytes(h, &nlh->nlmsg_type, sizeof(nlh->nlmsg_type));
	hash_bytes(h, p, hdr);
	for (const struct rtattr *a = (const void *)(p + hdr); RTA_OK(a, (int)(len - hdr));) {
		if (!volatile_attr(nlh->nlmsg_type, a->rta_type))
			hash_bytes(h, a, a->rta_len);
		size_t step = RTA_ALIGN(a->rta_len);

		if (step > len - hdr)
			break;
		hdr += step;
		a = (const void *)(p + hdr);
	}
}

/* One dump (links, addresses or routes, every family) into the fingerprint. 0 or -1. */
static int dump_into(int fd, uint32_t seq, uint16_t type, uint64_t *h)
{
	struct {
		struct nlmsghdr nlh;
		struct rtmsg body; /* the largest of the three request headers, zeroed */
	} req = { .nlh = { .nlmsg_len = sizeof(req),
			   .nlmsg_type = type,
			   .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
			   .nlmsg_seq = seq } };

	if (send(fd, &req, sizeof(req), 0) != (ssize_t)sizeof(req))
		return -1;
	for (;;) {
		ssize_t n = recv(fd, rx, sizeof(rx), 0);
		int left = (int)n;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		for (const struct nlmsghdr *nlh = (const void *)rx; NLMSG_OK(nlh, left);
		     nlh = NLMSG_NEXT(nlh, left)) {
			if (nlh->nlmsg_seq != seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_DONE)
				return 0;
			if (nlh->nlmsg_type == NLMSG_ERROR)
				return -1;
			hash_msg(h, nlh);
		}
	}
}

static int fingerprint(struct pst_topo_state *s, enum pst_side side, uint64_t *h)
{
	static const uint16_t dumps[] = { RTM_GETLINK, RTM_GETADDR, RTM_GETROUTE };

	*h = FNV_OFFSET;
	s->dumps++;
	for (size_t i = 0; i < sizeof(dumps) / sizeof(dumps[0]); i++)
		if (dump_into(s->nl_fd[side], ++s->seq, dumps[i], h) < 0)
			return -1;
	return 0;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

void pst_topo_state_close(struct pst_topo_state *s)
{
	for (int side = 0; side < PST_SIDES; side++) {
		close_fd(&s->eps_fd[side]);
		close_fd(&s->assocs_fd[side]);
		close_fd(&s->nl_fd[side]);
		close_fd(&s->ev_fd[side]);
	}
}

/*
 * Read every notification waiting on a side's change socket. 0: there was
 * none; 1: there was at least one, or some were lost (ENOBUFS); -1: error.
 */
static int drain_changes(int fd)
{
	int any = 0;

	for (;;) {
		ssize_t n = recv(fd, rx, sizeof(rx), MSG_DONTWAIT);

		if (n > 0 || (n < 0 && errno == ENOBUFS))
			any = 1;
		else if (n < 0 && errno == EINTR)
			continue;
		else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return any;
		else
			return -1;
	}
}

/* The descriptors of one side, opened inside its namespace. */
static int open_side(struct pst_topo_state *s, const struct pst_topo *t, enum pst_side side)
{
	struct sockaddr_nl groups = { .nl_family = AF_NETLINK, .nl_groups = CHANGE_GROUPS };

	if (setns(t->nsfd[side], CLONE_NEWNET) < 0)
		return -1;
	s->eps_fd[side] = open(SCTP_TABLES "eps", O_RDONLY | O_CLOEXEC);
	s->assocs_fd[side] = open(SCTP_TABLES "assocs", O_RDONLY | O_CLOEXEC);
	s->nl_fd[side] = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	s->ev_fd[side] = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (s->eps_fd[side] < 0 || s->assocs_fd[side] < 0 || s->nl_fd[side] < 0 ||
	    s->ev_fd[side] < 0)
		return -1;
	return bind(s->ev_fd[side], (struct sockaddr *)&groups, sizeof(groups));
}

int pst_topo_state_open(struct pst_topo_state *s, const struct pst_topo *t, char *err,
			size_t errlen)
{
	int orig = open(SELF_NETNS, O_RDONLY | O_CLOEXEC);
	int side, e = 0;

	memset(s, 0, sizeof(*s));
	for (side = 0; side < PST_SIDES; side++)
		s->eps_fd[side] = s->assocs_fd[side] = s->nl_fd[side] = s->ev_fd[side] = -1;
	if (orig < 0) {
		snprintf(err, errlen, "open %s: %s", SELF_NETNS, strerror(errno));
		return -1;
	}
	for (side = 0; side < PST_SIDES && !e; side++)
		if (open_side(s, t, (enum pst_side)side) < 0)
			e = errno;
	if (setns(orig, CLONE_NEWNET) < 0 && !e)
		e = errno;
	close(orig);
	/* What the building notified is behind the fingerprint: not a change. */
	for (side = 0; side < PST_SIDES && !e; side++)
		if (drain_changes(s->ev_fd[side]) < 0 ||
		    fingerprint(s, (enum pst_side)side, &s->pristine[side]) < 0)
			e = errno ? errno : EIO;
	if (e) {
		snprintf(err, errlen, "the state of %s and %s (SCTP tables, rtnetlink): %s",
			 t->name[PST_CLIENT], t->name[PST_SERVER], strerror(e));
		pst_topo_state_close(s);
		return -1;
	}
	return 0;
}

/* Lines of a /proc/net table after its header, read from the start. */
static int table_entries(int fd)
{
	char buf[4096];
	off_t off = 0;
	int lines = 0;
	ssize_t n;

	while ((n = pread(fd, buf, sizeof(buf), off)) > 0) {
		for (ssize_t i = 0; i < n; i++)
			lines += buf[i] == '\n';
		off += n;
	}
	return n < 0 ? -1 : lines - 1;
}

int pst_topo_state_sctp(const struct pst_topo_state *s, enum pst_side side, int *eps, int *assocs)
{
	*eps = table_entries(s->eps_fd[side]);
	*assocs = table_entries(s->assocs_fd[side]);
	return *eps < 0 || *assocs < 0 ? -1 : 0;
}

/*
 * A side with no notification since the last look is as it was then, and the
 * last look found it pristine (else the topology is gone). Otherwise the
 * notifications are drained before the dumps, so that a change after the
 * dumps is a notification for the next look. Whatever notified and left the
 * state as built (a link's carrier settling, an address added and removed)
 * costs a fingerprint, never a wrong answer.
 */
bool pst_topo_state_pristine(struct pst_topo_state *s)
{
	for (int side = 0; side < PST_SIDES; side++) {
		int changes = drain_changes(s->ev_fd[side]);
		uint64_t now;

		if (changes == 0)
			continue;
		if (changes < 0 || fingerprint(s, (enum pst_side)side, &now) < 0 ||
		    now != s->pristine[side])
			return false;
	}
	return true;
}
