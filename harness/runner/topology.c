/*
 * Topology builder (see topology.h), all in-process over rtnetlink.
 *
 * Cost model (UML): every syscall is a round trip through the host's ptrace,
 * so requests are batched per namespace (one sendmsg, one recvmmsg for all
 * the ACKs) and the namespaces' sockets are opened while the thread is
 * passing through them anyway.
 */
#include "topology.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * Fixed ifindexes, chosen at creation, so that addresses can be added in the
 * same batch without looking the links up. Far above what a fresh namespace
 * uses (lo is 1; fallback tunnels such as sit0 or gre0 take the next few).
 * The two ends differ on purpose: linkwatch treats a carrier change of a
 * device whose ifindex equals its iflink (the peer's) as not urgent and
 * delays the operstate (IFF_RUNNING, IPv6 "link ready") by up to 1 s.
 */
#define IFINDEX(side, path) (100 + 10 * (side) + (path))

#define NL_MAXMSG	       8
#define NL_BUFSZ	       4096
#define NL_MSGROOM	       512 /* more than the largest message built here */
#define NL_RXBUFS	       8
#define NL_RXBUFSZ	       8192 /* a link message is ~1.5 KiB, more with newer kernels */
#define NL_TIMEOUT_MS	       5000 /* for the notifications awaited after the ACKs */
#define SELF_NETNS	       "/proc/thread-self/ns/net"
#define PRINTF_LIKE(fmt, args) __attribute__((format(printf, fmt, args)))

static const char *const side_name[PST_SIDES] = { "client", "server" };
static const char *const link_name[PST_SIDES][PST_PATHS] = { { "c0", "c1" }, { "s0", "s1" } };

/* One rtnetlink socket, bound to one namespace, with one batch of requests. */
struct nl {
	struct mnl_socket *sk;
	enum pst_side side;
	const char *ns; /* namespace name, for messages */
	_Alignas(struct nlmsghdr) char buf[NL_BUFSZ];
	size_t len;
	unsigned int nmsg, nacked;
	uint32_t seq0;
	unsigned int v6_pending;   /* V6_BITS per path: IPv6 addresses not yet announced */
	unsigned int oper_pending; /* bit per path: link not yet operationally up */
	uint32_t probe_seq;	   /* RTM_GETLINK whose answer may add to the above */
	int probe_path;
	char what[NL_MAXMSG][112]; /* each request, said for an error message */
};

PRINTF_LIKE(3, 4) static void set_err(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (!err || !len)
		return;
	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
}

/* The addressing plan: fills addr (4 or 16 bytes), returns the prefix length. */
static int plan_addr(enum pst_side side, int family, int path, unsigned char *addr)
{
	static const unsigned char v4net[PST_PATHS][3] = { { 192, 0, 2 }, { 198, 51, 100 } };

	if (family == AF_INET) {
		memcpy(addr, v4net[path], 3);
		addr[3] = (unsigned char)(side + 1);
		return 24;
	}
	/* 2001:db8:0:<path+1>::<side+1> */
	memset(addr, 0, 16);
	addr[0] = 0x20;
	addr[1] = 0x01;
	addr[2] = 0x0d;
	addr[3] = 0xb8;
	addr[7] = (unsigned char)(path + 1);
	addr[15] = (unsigned char)(side + 1);
	return 64;
}

void pst_topo_addr(enum pst_side side, int family, int path, struct sockaddr_storage *out,
		   socklen_t *len)
{
	memset(out, 0, sizeof(*out));
	*len = 0;
	if ((unsigned int)side >= PST_SIDES || path < 0 || path >= PST_PATHS)
		return;
	if (family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)out;

		sin->sin_family = AF_INET;
		plan_addr(side, family, path, (unsigned char *)&sin->sin_addr);
		*len = sizeof(*sin);
	} else if (family == AF_INET6) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)out;

		sin6->sin6_family = AF_INET6;
		plan_addr(side, family, path, sin6->sin6_addr.s6_addr);
		*len = sizeof(*sin6);
	}
}

static void ns_path(char *buf, size_t size, const char *name)
{
	snprintf(buf, size, "%s/%s", PST_NETNS_DIR, name);
}

/*
 * /run/netns must be a shared mount point so that a namespace unmounted here
 * is unmounted in every mount namespace too (and can then be freed).
 */
static int netns_dir_ready(char *err, size_t errlen)
{
	if (mkdir(PST_NETNS_DIR, 0755) && errno != EEXIST) {
		set_err(err, errlen, "mkdir %s: %s", PST_NETNS_DIR, strerror(errno));
		return -1;
	}
	if (!mount("", PST_NETNS_DIR, "none", MS_SHARED | MS_REC, NULL))
		return 0;
	/* EINVAL: not a mount point yet, so make it one by binding it onto itself. */
	if (errno != EINVAL ||
	    mount(PST_NETNS_DIR, PST_NETNS_DIR, "none", MS_BIND | MS_REC, NULL) ||
	    mount("", PST_NETNS_DIR, "none", MS_SHARED | MS_REC, NULL)) {
		set_err(err, errlen, "making %s a shared mount: %s", PST_NETNS_DIR,
			strerror(errno));
		return -1;
	}
	return 0;
}

static int nl_open(struct nl *n, enum pst_side side, const char *ns, unsigned int groups)
{
	int one = 1;

	n->side = side;
	n->ns = ns;
	n->len = 0;
	n->nmsg = 0;
	n->nacked = 0;
	n->seq0 = 1;
	n->v6_pending = 0;
	n->oper_pending = 0;
	n->probe_seq = 0;
	n->sk = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!n->sk)
		return -1;
	/* Best effort: the kernel's own words make a better error message. */
	setsockopt(mnl_socket_get_fd(n->sk), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	if (groups && mnl_socket_bind(n->sk, groups, MNL_SOCKET_AUTOPID)) {
		int e = errno;

		mnl_socket_close(n->sk);
		n->sk = NULL;
		errno = e;
		return -1;
	}
	return 0;
}

static void nl_close(struct nl *n)
{
	if (n->sk)
		mnl_socket_close(n->sk);
	n->sk = NULL;
}

/* Start the next request of the batch; every one asks for an ACK. */
PRINTF_LIKE(4, 5)
static struct nlmsghdr *nl_msg(struct nl *n, uint16_t type, uint16_t flags, const char *fmt, ...)
{
	struct nlmsghdr *nlh;
	va_list ap;

	/* Sizes are fixed by this file: running out is a bug here, not a runtime condition. */
	if (n->nmsg >= NL_MAXMSG || n->len + NL_MSGROOM > sizeof(n->buf))
		abort();
	/* libmnl leaves attribute padding and nest gaps as they were. */
	memset(n->buf + n->len, 0, NL_MSGROOM);
	nlh = mnl_nlmsg_put_header(n->buf + n->len);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = n->seq0 + n->nmsg;
	va_start(ap, fmt);
	vsnprintf(n->what[n->nmsg], sizeof(n->what[0]), fmt, ap);
	va_end(ap);
	n->nmsg++;
	return nlh;
}

static void nl_msg_end(struct nl *n, const struct nlmsghdr *nlh)
{
	n->len += nlh->nlmsg_len;
}

static void put_link_hdr(struct nlmsghdr *nlh, int ifindex, unsigned flags, unsigned change)
{
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));

	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	ifi->ifi_flags = flags;
	ifi->ifi_change = change;
}

static void add_link_updown(struct nl *n, int ifindex, const char *name, bool up)
{
	struct nlmsghdr *nlh;

	nlh = nl_msg(n, RTM_NEWLINK, 0, "setting %s %s in %s", name, up ? "up" : "down", n->ns);
	put_link_hdr(nlh, ifindex, up ? IFF_UP : 0, IFF_UP);
	nl_msg_end(n, nlh);
}

/*
 * One request makes both ends, each directly in its namespace, so the names
 * never exist in the caller's namespace. The first end comes up with it; the
 * peer cannot: veth opens it before tying the pair together (ENOTCONN).
 */
static void add_veth(struct nl *n, const struct pst_topo *t, int path)
{
	const char *cn = link_name[PST_CLIENT][path], *sn = link_name[PST_SERVER][path];
	struct nlattr *linkinfo, *data, *peer;
	struct nlmsghdr *nlh;

	nlh = nl_msg(n, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, "creating veth %s/%s", cn, sn);
	put_link_hdr(nlh, IFINDEX(PST_CLIENT, path), IFF_UP, IFF_UP);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, cn);
	mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)t->nsfd[PST_CLIENT]);
	linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	peer = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	put_link_hdr(nlh, IFINDEX(PST_SERVER, path), 0, 0);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, sn);
	mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)t->nsfd[PST_SERVER]);
	mnl_attr_nest_end(nlh, peer);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, linkinfo);
	nl_msg_end(n, nlh);
}

static void add_addr(struct nl *n, int family, int path)
{
	unsigned char a[16];
	char str[INET6_ADDRSTRLEN];
	int plen = plan_addr(n->side, family, path, a);
	size_t alen = family == AF_INET ? 4 : 16;
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;

	inet_ntop(family, a, str, sizeof(str));
	nlh = nl_msg(n, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, "adding %s/%d to %s", str, plen,
		     link_name[n->side][path]);
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (unsigned char)family;
	ifa->ifa_prefixlen = (unsigned char)plen;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = IFINDEX(n->side, path);
	if (family == AF_INET) {
		mnl_attr_put(nlh, IFA_LOCAL, alen, a);
	} else {
		/* Usable at once: no tentative phase, no DAD delay. */
		ifa->ifa_flags = IFA_F_NODAD;
	}
	mnl_attr_put(nlh, IFA_ADDRESS, alen, a);
	nl_msg_end(n, nlh);
}

static int nl_send(struct nl *n, char *err, size_t errlen)
{
	if (mnl_socket_sendto(n->sk, n->buf, n->len) < 0) {
		set_err(err, errlen, "netlink send in %s: %s", n->ns, strerror(errno));
		return -1;
	}
	return 0;
}

static int extack_cb(const struct nlattr *attr, void *data)
{
	if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
	    !mnl_attr_validate(attr, MNL_TYPE_NUL_STRING))
		*(const char **)data = mnl_attr_get_str(attr);
	return MNL_CB_OK;
}

static int nl_error(struct nl *n, const struct nlmsghdr *nlh, char *err, size_t errlen)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	uint32_t i = nlh->nlmsg_seq - n->seq0;
	const char *msg = NULL;

	if (e->error == 0) {
		n->nacked++;
		return 0;
	}
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
		unsigned int off = sizeof(*e);

		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			off += mnl_nlmsg_get_payload_len(&e->msg);
		if (off < mnl_nlmsg_get_payload_len(nlh))
			mnl_attr_parse(nlh, off, extack_cb, &msg);
	}
	set_err(err, errlen, "%s: %s%s%s", i < n->nmsg ? n->what[i] : "netlink request",
		strerror(-e->error), msg ? ": " : "", msg ? msg : "");
	errno = -e->error;
	return -1;
}

static int ifa_address_cb(const struct nlattr *attr, void *data)
{
	if (mnl_attr_get_type(attr) == IFA_ADDRESS && mnl_attr_get_payload_len(attr) == 16)
		*(const void **)data = mnl_attr_get_payload(attr);
	return MNL_CB_OK;
}

/*
 * The IPv6 announcements a link that comes up owes: its plan address (bit
 * path) and its link-local address (bit path + PST_PATHS). The link-local
 * one too, so that nothing of the building is still being notified when the
 * topology is handed out (topo_state.h: a notification costs the reuse check
 * its dumps).
 */
#define V6_BITS(path) ((1u << (path)) | (1u << ((path) + PST_PATHS)))

/* An announced (hence non-tentative, routed) IPv6 address: is it one we wait for? */
static void nl_newaddr(struct nl *n, const struct nlmsghdr *nlh)
{
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	const void *addr = NULL;
	unsigned char want[16];
	int path;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifa) || ifa->ifa_family != AF_INET6 ||
	    (ifa->ifa_flags & IFA_F_TENTATIVE))
		return;
	path = (int)ifa->ifa_index - IFINDEX(n->side, 0);
	if (path < 0 || path >= PST_PATHS)
		return;
	plan_addr(n->side, AF_INET6, path, want);
	mnl_attr_parse(nlh, sizeof(*ifa), ifa_address_cb, &addr);
	if (addr && !memcmp(addr, want, 16))
		n->v6_pending &= ~(1u << path);
	else if (addr && IN6_IS_ADDR_LINKLOCAL((const struct in6_addr *)addr))
		n->v6_pending &= ~(1u << (path + PST_PATHS));
}

static int operstate_cb(const struct nlattr *attr, void *data)
{
	if (mnl_attr_get_type(attr) == IFLA_OPERSTATE && !mnl_attr_validate(attr, MNL_TYPE_U8))
		*(int *)data = mnl_attr_get_u8(attr);
	return MNL_CB_OK;
}

/*
 * A link message: the answer to our probe (the state before our requests)
 * or a notification. Up, carrier and operstate up is what to wait for: a
 * link opened without carrier keeps a noop qdisc that drops every packet
 * (a lost first ARP or NS costs a 1 s retransmission) until linkwatch sees
 * the carrier come on, activates it and only then notifies. Carrier too,
 * since the operstate in a notification may still be the one from before a
 * down that linkwatch has not caught up with. A link that was down and
 * comes up also has its kept IPv6 address re-announced (and its local route
 * re-inserted) by the DAD work: wait for that too.
 */
static void nl_newlink(struct nl *n, const struct nlmsghdr *nlh)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	int path, oper = -1;
	unsigned int bit;
	bool running;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifi))
		return;
	path = ifi->ifi_index - IFINDEX(n->side, 0);
	if (path < 0 || path >= PST_PATHS)
		return;
	bit = 1u << path;
	mnl_attr_parse(nlh, sizeof(*ifi), operstate_cb, &oper);
	running = (ifi->ifi_flags & (IFF_UP | IFF_LOWER_UP)) == (IFF_UP | IFF_LOWER_UP) &&
		  oper == IF_OPER_UP;
	if (n->probe_seq && nlh->nlmsg_seq == n->probe_seq && path == n->probe_path) {
		if (!(ifi->ifi_flags & IFF_UP))
			n->v6_pending |= V6_BITS(path);
		if (!running)
			n->oper_pending |= bit;
	} else if (running) {
		n->oper_pending &= ~bit;
	}
}

/* Ask for a link's state as it is before the requests that follow in the batch. */
static void add_link_probe(struct nl *n, int path)
{
	const char *name = link_name[n->side][path];
	struct nlmsghdr *nlh = nl_msg(n, RTM_GETLINK, 0, "looking up %s in %s", name, n->ns);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));

	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = IFINDEX(n->side, path);
	/* Just the header is wanted, but the kernel has no such filter for doit. */
	n->probe_seq = nlh->nlmsg_seq;
	n->probe_path = path;
	nl_msg_end(n, nlh);
}

/*
 * Collect the ACKs of the batch, then the notifications the caller marked
 * pending: links operationally up (see nl_newlink) and IPv6 addresses
 * announced. A NODAD address gets its local route and joins its
 * solicited-node group in the kernel's DAD work, asynchronously, and the
 * announcement comes from there; until then a peer's first packets to it
 * could be dropped.
 */
static int nl_wait(struct nl *n, char *err, size_t errlen)
{
	struct mmsghdr mm[NL_RXBUFS];
	struct iovec iov[NL_RXBUFS];
	int fd = mnl_socket_get_fd(n->sk);
	char *rx = malloc(NL_RXBUFS * NL_RXBUFSZ); /* malloc: suitably aligned for nlmsghdr */
	int ret = -1;

	if (!rx) {
		set_err(err, errlen, "netlink receive in %s: %s", n->ns, strerror(errno));
		return -1;
	}
	while (n->nacked < n->nmsg || n->v6_pending || n->oper_pending) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int got, r;

		for (int i = 0; i < NL_RXBUFS; i++) {
			iov[i].iov_base = rx + i * NL_RXBUFSZ;
			iov[i].iov_len = NL_RXBUFSZ;
			memset(&mm[i], 0, sizeof(mm[i]));
			mm[i].msg_hdr.msg_iov = &iov[i];
			mm[i].msg_hdr.msg_iovlen = 1;
		}
		/* The kernel handled the batch inside sendmsg: the ACKs are already queued. */
		got = recvmmsg(fd, mm, NL_RXBUFS, MSG_DONTWAIT, NULL);
		for (int i = 0; i < got; i++) {
			const struct nlmsghdr *nlh = iov[i].iov_base;
			int len = (int)mm[i].msg_len;

			if (mm[i].msg_hdr.msg_flags & MSG_TRUNC) {
				errno = EMSGSIZE;
				set_err(err, errlen, "netlink message in %s over %d bytes", n->ns,
					NL_RXBUFSZ);
				goto out;
			}
			for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
				if (nlh->nlmsg_type == NLMSG_ERROR &&
				    mnl_nlmsg_get_payload_len(nlh) >= sizeof(struct nlmsgerr)) {
					if (nl_error(n, nlh, err, errlen))
						goto out;
				} else if (nlh->nlmsg_type == RTM_NEWADDR) {
					nl_newaddr(n, nlh);
				} else if (nlh->nlmsg_type == RTM_NEWLINK) {
					nl_newlink(n, nlh);
				}
			}
		}
		if (got >= 0 || errno == EINTR)
			continue;
		if (errno != EAGAIN) {
			set_err(err, errlen, "netlink receive in %s: %s", n->ns, strerror(errno));
			goto out;
		}
		r = poll(&pfd, 1, NL_TIMEOUT_MS);
		if (r == 0) {
			errno = ETIMEDOUT;
			set_err(err, errlen,
				"%s: %d ms and still %u ACKs, links 0x%x, IPv6 0x%x to come", n->ns,
				NL_TIMEOUT_MS, n->nmsg - n->nacked, n->oper_pending, n->v6_pending);
			goto out;
		}
		if (r < 0 && errno != EINTR) {
			set_err(err, errlen, "poll on netlink in %s: %s", n->ns, strerror(errno));
			goto out;
		}
	}
	ret = 0;
out:
	free(rx);
	return ret;
}

/*
 * By default a link going down loses its IPv6 addresses (IPv4 ones stay). A
 * path taken down and up again must come back as it was, in both families.
 * Links made afterwards get link-local addresses without duplicate address
 * detection: usable at once, with their routes in, rather than a second or
 * two later (a topology then looks the same to every case that gets it).
 * /proc/sys/net is the opening thread's netns: call this while inside it.
 */
static int ipv6_knobs(char *err, size_t errlen, const char *ns)
{
	static const char *const knobs[] = { "/proc/sys/net/ipv6/conf/all/keep_addr_on_down",
					     "/proc/sys/net/ipv6/conf/default/accept_dad" };
	static const char *const values[] = { "1", "0" };

	for (size_t i = 0; i < sizeof(knobs) / sizeof(knobs[0]); i++) {
		int fd = open(knobs[i], O_WRONLY | O_CLOEXEC);
		int ok = fd >= 0 && write(fd, values[i], 1) == 1;
		int e = errno;

		if (fd >= 0)
			close(fd);
		if (!ok) {
			set_err(err, errlen, "%s in %s: %s%s", knobs[i], ns, strerror(e),
				e == ENOENT ? " (no IPv6? modprobe ipv6)" : "");
			errno = e;
			return -1;
		}
	}
	return 0;
}

static void topo_init(struct pst_topo *t)
{
	for (int s = 0; s < PST_SIDES; s++) {
		t->name[s][0] = '\0';
		t->nsfd[s] = -1;
	}
	t->created = false;
}

/* Undo a namespace: its bind mount if mounted, its file if we made it. */
static void ns_remove(const char *name, bool mounted, bool made)
{
	char path[PATH_MAX];

	ns_path(path, sizeof(path), name);
	if (mounted)
		umount2(path, MNT_DETACH);
	if (made)
		unlink(path);
}

int pst_topo_create(struct pst_topo *t, const char *prefix, char *err, size_t errlen)
{
	struct nl nl[PST_SIDES];
	bool made[PST_SIDES] = { false, false }, mounted[PST_SIDES] = { false, false };
	bool away = false; /* is the thread outside its original netns? */
	char path[PATH_MAX];
	int orig = -1;
	int s;

	topo_init(t);
	for (s = 0; s < PST_SIDES; s++)
		nl[s].sk = NULL;
	if (!prefix || !*prefix || strchr(prefix, '/') ||
	    strlen(prefix) + sizeof("-client") > sizeof(t->name[0])) {
		set_err(err, errlen, "bad namespace prefix \"%s\"", prefix ? prefix : "(null)");
		return -1;
	}
	for (s = 0; s < PST_SIDES; s++)
		snprintf(t->name[s], sizeof(t->name[s]), "%s-%s", prefix, side_name[s]);

	orig = open(SELF_NETNS, O_RDONLY | O_CLOEXEC);
	if (orig < 0) {
		set_err(err, errlen, "open %s: %s", SELF_NETNS, strerror(errno));
		goto fail;
	}
	if (netns_dir_ready(err, errlen))
		goto fail;
	/* Claim both names first: an existing one fails before anything is built. */
	for (s = 0; s < PST_SIDES; s++) {
		int fd;

		ns_path(path, sizeof(path), t->name[s]);
		fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
		if (fd < 0) {
			set_err(err, errlen, "%s %s: %s", errno == EEXIST ? "netns" : "create",
				path, errno == EEXIST ? "already exists" : strerror(errno));
			goto fail;
		}
		close(fd);
		made[s] = true;
	}
	/*
	 * Straight from one new namespace into the next: netns are not nested,
	 * and it saves a setns(). thread-self, not self: only this thread moved.
	 */
	for (s = 0; s < PST_SIDES; s++) {
		ns_path(path, sizeof(path), t->name[s]);
		if (unshare(CLONE_NEWNET)) {
			set_err(err, errlen, "unshare(CLONE_NEWNET): %s", strerror(errno));
			goto fail;
		}
		away = true;
		if (mount(SELF_NETNS, path, "none", MS_BIND, NULL)) {
			set_err(err, errlen, "bind mount %s: %s", path, strerror(errno));
			goto fail;
		}
		mounted[s] = true;
		t->nsfd[s] = open(path, O_RDONLY | O_CLOEXEC);
		if (t->nsfd[s] < 0) {
			set_err(err, errlen, "open %s: %s", path, strerror(errno));
			goto fail;
		}
		if (ipv6_knobs(err, errlen, t->name[s]))
			goto fail;
		/* The socket stays bound to the namespace it is created in. */
		if (nl_open(&nl[s], (enum pst_side)s, t->name[s],
			    RTMGRP_LINK | RTMGRP_IPV6_IFADDR)) {
			set_err(err, errlen, "netlink socket in %s: %s", t->name[s],
				strerror(errno));
			goto fail;
		}
	}
	if (setns(orig, CLONE_NEWNET)) {
		set_err(err, errlen, "setns back to the original netns: %s", strerror(errno));
		goto fail;
	}
	away = false;

	/*
	 * The pairs first (the client's batch, sent first), then the server
	 * ends up, then the addresses on each side.
	 */
	for (int p = 0; p < PST_PATHS; p++) {
		add_veth(&nl[PST_CLIENT], t, p);
		add_link_updown(&nl[PST_SERVER], IFINDEX(PST_SERVER, p), link_name[PST_SERVER][p],
				true);
	}
	for (s = 0; s < PST_SIDES; s++) {
		for (int p = 0; p < PST_PATHS; p++) {
			add_addr(&nl[s], AF_INET, p);
			add_addr(&nl[s], AF_INET6, p);
		}
		nl[s].oper_pending = (1u << PST_PATHS) - 1;
		for (int p = 0; p < PST_PATHS; p++)
			nl[s].v6_pending |= V6_BITS(p);
	}
	for (s = 0; s < PST_SIDES; s++)
		if (nl_send(&nl[s], err, errlen))
			goto fail;
	for (s = 0; s < PST_SIDES; s++)
		if (nl_wait(&nl[s], err, errlen))
			goto fail;
	/*
	 * lo last: the DAD work announces an address just before it inserts
	 * the local route, under the RTNL lock; this request takes that lock
	 * too, so once it is ACKed the routes are in.
	 */
	for (s = 0; s < PST_SIDES; s++) {
		nl[s].len = 0;
		nl[s].seq0 += nl[s].nmsg;
		nl[s].nmsg = 0;
		nl[s].nacked = 0;
		add_link_updown(&nl[s], 1, "lo", true);
		if (nl_send(&nl[s], err, errlen))
			goto fail;
	}
	for (s = 0; s < PST_SIDES; s++)
		if (nl_wait(&nl[s], err, errlen))
			goto fail;

	for (s = 0; s < PST_SIDES; s++)
		nl_close(&nl[s]);
	close(orig);
	t->created = true;
	return 0;

fail:
	for (s = 0; s < PST_SIDES; s++)
		nl_close(&nl[s]);
	if (away && setns(orig, CLONE_NEWNET)) {
		/* Cannot happen short of a kernel bug; say so rather than hide it. */
		size_t l = err ? strlen(err) : 0;

		if (err && l < errlen)
			snprintf(err + l, errlen - l, " (and setns back failed: %s)",
				 strerror(errno));
	}
	for (s = 0; s < PST_SIDES; s++) {
		if (t->nsfd[s] >= 0)
			close(t->nsfd[s]);
		t->nsfd[s] = -1;
		ns_remove(t->name[s], mounted[s], made[s]);
	}
	if (orig >= 0)
		close(orig);
	return -1;
}

void pst_topo_destroy(struct pst_topo *t)
{
	if (!t || !t->created)
		return;
	for (int s = 0; s < PST_SIDES; s++) {
		if (t->nsfd[s] >= 0)
			close(t->nsfd[s]);
		t->nsfd[s] = -1;
		/* The last reference gone, the kernel frees the netns and its veths. */
		ns_remove(t->name[s], true, true);
	}
	t->created = false;
}

int pst_topo_enter(const struct pst_topo *t, enum pst_side side)
{
	if (!t || !t->created || (unsigned int)side >= PST_SIDES || t->nsfd[side] < 0) {
		errno = EINVAL;
		return -1;
	}
	return setns(t->nsfd[side], CLONE_NEWNET);
}

int pst_topo_set_path(const struct pst_topo *t, int path, bool up)
{
	struct nl nl[PST_SIDES];
	char err[160];
	int orig, s, ret = -1, e = 0;

	if (!t || !t->created || path < 0 || path >= PST_PATHS) {
		errno = EINVAL;
		return -1;
	}
	for (s = 0; s < PST_SIDES; s++)
		nl[s].sk = NULL;
	orig = open(SELF_NETNS, O_RDONLY | O_CLOEXEC);
	if (orig < 0)
		return -1;
	for (s = 0; s < PST_SIDES; s++) {
		if (setns(t->nsfd[s], CLONE_NEWNET) ||
		    nl_open(&nl[s], (enum pst_side)s, t->name[s],
			    up ? RTMGRP_LINK | RTMGRP_IPV6_IFADDR : 0)) {
			e = errno;
			break;
		}
	}
	if (setns(orig, CLONE_NEWNET) && !e)
		e = errno;
	close(orig);
	if (e)
		goto out;
	for (s = 0; s < PST_SIDES; s++) {
		if (up)
			add_link_probe(&nl[s], path);
		add_link_updown(&nl[s], IFINDEX(s, path), link_name[s][path], up);
		if (nl_send(&nl[s], err, sizeof(err))) {
			e = errno;
			goto out;
		}
	}
	for (s = 0; s < PST_SIDES; s++) {
		if (nl_wait(&nl[s], err, sizeof(err))) {
			e = errno;
			goto out;
		}
	}
	ret = 0;
out:
	for (s = 0; s < PST_SIDES; s++)
		nl_close(&nl[s]);
	if (ret)
		errno = e ? e : EIO;
	return ret;
}

int pst_topo_sweep_stale(const char *tag)
{
	size_t tl = tag ? strlen(tag) : 0;
	struct dirent *de;
	char path[PATH_MAX];
	int removed = 0;
	DIR *d = opendir(PST_NETNS_DIR);

	if (!d)
		return 0;
	while ((de = readdir(d))) {
		const char *p = de->d_name;
		char *end;
		long pid;

		if (tl && strncmp(p, tag, tl))
			continue;
		p += tl;
		if (*p < '0' || *p > '9')
			continue;
		errno = 0;
		pid = strtol(p, &end, 10);
		if (errno || *end != '-' || pid <= 0 || pid > INT_MAX)
			continue;
		/* EPERM means alive too: only ESRCH says the run is gone. */
		if (!kill((pid_t)pid, 0) || errno != ESRCH)
			continue;
		ns_path(path, sizeof(path), de->d_name);
		umount2(path, MNT_DETACH);
		if (!unlink(path))
			removed++;
	}
	closedir(d);
	return removed;
}
