/*
 * Unit tests of the topology builder, against the real kernel: needs root,
 * veth and IPv6 (run it inside UML, see harness/runner/topology.h).
 */
#include "topology.h"
#include "unit.h"

#include <CUnit/Basic.h>
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SELF_NETNS    "/proc/thread-self/ns/net"
#define IO_TIMEOUT_MS 3000
/* Above this the peer missed the first packets (e.g. IPv6 address not ready). */
#define FIRST_EXCHANGE_MAX_MS 900
#define CREATE_MAX_MS	      250
/* IF_OPER_UP of <linux/if.h>, which clashes with <net/if.h> */
#define OPER_UP 6

/* CUnit assertions whose failure report says what was expected, then the expression. */
#define CHECK_IMPL(cond, msg, fatal)                                                       \
	CU_assertImplementation((cond) ? CU_TRUE : CU_FALSE, __LINE__, msg " [" #cond "]", \
				__FILE__, "", fatal)
#define CHECK(cond, msg)   CHECK_IMPL(cond, msg, CU_FALSE)
#define REQUIRE(cond, msg) CHECK_IMPL(cond, msg, CU_TRUE)

static const char *const link_names[PST_SIDES][PST_PATHS] = { { "c0", "c1" }, { "s0", "s1" } };
static const int families[] = { AF_INET, AF_INET6 };

static char errbuf[256];

static void prefix_for(char *buf, size_t size, const char *label)
{
	snprintf(buf, size, "psttest%d-%s", (int)getpid(), label);
}

static bool ns_exists(const char *name)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", PST_NETNS_DIR, name);
	return stat(path, &st) == 0;
}

static ino_t self_netns_ino(void)
{
	struct stat st;

	return stat(SELF_NETNS, &st) ? 0 : st.st_ino;
}

static int count_netns_entries(void)
{
	DIR *d = opendir(PST_NETNS_DIR);
	int n = 0;

	if (!d)
		return 0;
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Enter a side; returns an fd of the namespace to come back to, or -1. */
static int enter(const struct pst_topo *t, enum pst_side side)
{
	int back = open(SELF_NETNS, O_RDONLY | O_CLOEXEC);

	if (back < 0)
		return -1;
	if (pst_topo_enter(t, side)) {
		close(back);
		return -1;
	}
	return back;
}

static void leave(int back)
{
	CU_ASSERT_EQUAL_FATAL(setns(back, CLONE_NEWNET), 0);
	close(back);
}

/* A socket of the given side's namespace (it stays there once we leave). */
static int socket_in(const struct pst_topo *t, enum pst_side side, int family, int type)
{
	int back = enter(t, side);
	int fd;

	if (back < 0)
		return -1;
	fd = socket(family, type | SOCK_CLOEXEC, 0);
	leave(back);
	return fd;
}

static unsigned int link_flags(const struct pst_topo *t, enum pst_side side, const char *name)
{
	struct ifreq ifr;
	int fd = socket_in(t, side, AF_INET, SOCK_DGRAM);
	unsigned int flags = 0;

	if (fd < 0)
		return 0;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (!ioctl(fd, SIOCGIFFLAGS, &ifr))
		flags = (unsigned short)ifr.ifr_flags;
	close(fd);
	return flags;
}

static int operstate_cb(const struct nlattr *attr, void *data)
{
	if (mnl_attr_get_type(attr) == IFLA_OPERSTATE && !mnl_attr_validate(attr, MNL_TYPE_U8))
		*(int *)data = mnl_attr_get_u8(attr);
	return MNL_CB_OK;
}

/* RFC 2863 operstate (IF_OPER_*) of a link, as the kernel reports it, or -1. */
static int link_operstate(const struct pst_topo *t, enum pst_side side, const char *name)
{
	_Alignas(struct nlmsghdr) char buf[8192] = { 0 };
	int fd = socket_in(t, side, AF_NETLINK, SOCK_RAW); /* NETLINK_ROUTE is 0 */
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;
	int state = -1;
	ssize_t n;

	if (fd < 0)
		return -1;
	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	if (sendto(fd, buf, nlh->nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof(kernel)) > 0 &&
	    (n = recv(fd, buf, sizeof(buf), 0)) > 0 && mnl_nlmsg_ok(nlh, (int)n) &&
	    nlh->nlmsg_type == RTM_NEWLINK)
		mnl_attr_parse(nlh, sizeof(*ifi), operstate_cb, &state);
	close(fd);
	return state;
}

static bool link_running(const struct pst_topo *t, enum pst_side side, const char *name)
{
	return link_operstate(t, side, name) == OPER_UP &&
	       (link_flags(t, side, name) & IFF_RUNNING);
}

static bool link_up(const struct pst_topo *t, enum pst_side side, const char *name)
{
	return link_flags(t, side, name) & IFF_UP;
}

static int prefix_len(const struct sockaddr *mask)
{
	const unsigned char *b;
	size_t n;
	int bits = 0;

	if (!mask)
		return -1;
	if (mask->sa_family == AF_INET) {
		b = (const unsigned char *)&((const struct sockaddr_in *)mask)->sin_addr;
		n = 4;
	} else {
		b = ((const struct sockaddr_in6 *)mask)->sin6_addr.s6_addr;
		n = 16;
	}
	for (size_t i = 0; i < n; i++)
		bits += __builtin_popcount(b[i]);
	return bits;
}

static bool same_ip(const struct sockaddr *a, const struct sockaddr_storage *b)
{
	if (a->sa_family != b->ss_family)
		return false;
	if (a->sa_family == AF_INET)
		return ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
		       ((const struct sockaddr_in *)b)->sin_addr.s_addr;
	return !memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
		       &((const struct sockaddr_in6 *)b)->sin6_addr, 16);
}

static bool is_link_local(const struct sockaddr *a)
{
	return a->sa_family == AF_INET6 &&
	       IN6_IS_ADDR_LINKLOCAL(&((const struct sockaddr_in6 *)a)->sin6_addr);
}

static void print_addr(const char *what, const struct sockaddr *a)
{
	char s[INET6_ADDRSTRLEN] = "?";
	const void *p = &((const struct sockaddr_in6 *)a)->sin6_addr;

	if (a->sa_family == AF_INET)
		p = &((const struct sockaddr_in *)a)->sin_addr;
	inet_ntop(a->sa_family, p, s, sizeof(s));
	fprintf(stderr, "  %s: %s\n", what, s);
}

static bool is_ip(const struct sockaddr *a)
{
	return a && (a->sa_family == AF_INET || a->sa_family == AF_INET6);
}

/* Which family of the plan (0: IPv4, 1: IPv6) this address and prefix are, or -1. */
static int plan_match(const struct ifaddrs *i, enum pst_side side, int path)
{
	for (int f = 0; f < 2; f++) {
		struct sockaddr_storage want;
		socklen_t len;

		pst_topo_addr(side, families[f], path, &want, &len);
		if (same_ip(i->ifa_addr, &want) && prefix_len(i->ifa_netmask) == (f ? 64 : 24))
			return f;
	}
	return -1;
}

/* lo and both links up, each link with exactly the plan's two addresses. */
static void check_side_addresses(const struct pst_topo *t, enum pst_side side)
{
	struct ifaddrs *ifa0 = NULL;
	int back = enter(t, side);
	bool lo_up = false;
	int rc;

	CU_ASSERT_FATAL(back >= 0);
	rc = getifaddrs(&ifa0);
	leave(back);
	CU_ASSERT_EQUAL_FATAL(rc, 0);

	for (int p = 0; p < PST_PATHS; p++) {
		bool seen = false, up = true;
		int found[2] = { 0, 0 }, other = 0;

		for (const struct ifaddrs *i = ifa0; i; i = i->ifa_next) {
			int f;

			if (strcmp(i->ifa_name, link_names[side][p]))
				continue;
			seen = true;
			up = up && (i->ifa_flags & IFF_UP);
			if (!is_ip(i->ifa_addr) || is_link_local(i->ifa_addr))
				continue;
			f = plan_match(i, side, p);
			if (f >= 0) {
				found[f]++;
			} else {
				other++;
				print_addr("unexpected address", i->ifa_addr);
			}
		}
		CU_ASSERT_TRUE_FATAL(seen);
		CU_ASSERT_TRUE(up);
		CHECK(found[0] == 1, "the plan's IPv4 address and /24, once");
		CHECK(found[1] == 1, "the plan's IPv6 address and /64, once");
		CHECK(other == 0, "no other address but link-local");
	}
	for (const struct ifaddrs *i = ifa0; i; i = i->ifa_next) {
		if (!strcmp(i->ifa_name, "lo"))
			lo_up = i->ifa_flags & IFF_UP;
		/* The other side's ends never show up here. */
		for (int p = 0; p < PST_PATHS; p++)
			CU_ASSERT_STRING_NOT_EQUAL(i->ifa_name, link_names[!side][p]);
	}
	CU_ASSERT_TRUE(lo_up);
	freeifaddrs(ifa0);
}

static bool wait_readable(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	return poll(&pfd, 1, IO_TIMEOUT_MS) == 1;
}

/* UDP ping from client to server and pong back, both bound to the plan's addresses. */
static void udp_pingpong(const struct pst_topo *t, int family, int path)
{
	struct sockaddr_storage ca, sa, from;
	socklen_t cl, sl, fl = sizeof(from);
	char buf[16];
	double t0 = now_ms();
	int srv = socket_in(t, PST_SERVER, family, SOCK_DGRAM);
	int cli = socket_in(t, PST_CLIENT, family, SOCK_DGRAM);
	ssize_t n;

	CU_ASSERT_FATAL(srv >= 0 && cli >= 0);
	pst_topo_addr(PST_CLIENT, family, path, &ca, &cl);
	pst_topo_addr(PST_SERVER, family, path, &sa, &sl);
	CU_ASSERT_EQUAL_FATAL(bind(srv, (struct sockaddr *)&sa, sl), 0);
	CU_ASSERT_EQUAL_FATAL(bind(cli, (struct sockaddr *)&ca, cl), 0);
	CU_ASSERT_EQUAL_FATAL(getsockname(srv, (struct sockaddr *)&sa, &sl), 0);

	CU_ASSERT_EQUAL_FATAL(sendto(cli, "ping", 4, 0, (struct sockaddr *)&sa, sl), 4);
	REQUIRE(wait_readable(srv), "the ping reaches the server");
	n = recvfrom(srv, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);
	CU_ASSERT_EQUAL_FATAL(n, 4);
	CU_ASSERT_NSTRING_EQUAL(buf, "ping", 4);
	CHECK(same_ip((struct sockaddr *)&from, &ca), "the ping comes from the client's address");
	CU_ASSERT_EQUAL_FATAL(sendto(srv, "pong", 4, 0, (struct sockaddr *)&from, fl), 4);
	REQUIRE(wait_readable(cli), "the pong reaches the client");
	CU_ASSERT_EQUAL_FATAL(recv(cli, buf, sizeof(buf), 0), 4);
	CU_ASSERT_NSTRING_EQUAL(buf, "pong", 4);
	if (now_ms() - t0 > FIRST_EXCHANGE_MAX_MS)
		fprintf(stderr, "  slow UDP exchange: family %d path %d: %.0f ms\n", family, path,
			now_ms() - t0);
	CHECK(now_ms() - t0 < FIRST_EXCHANGE_MAX_MS, "first exchange without retransmission");
	close(srv);
	close(cli);
}

/* TCP connect, ping and pong. */
static void tcp_pingpong(const struct pst_topo *t, int family, int path)
{
	struct sockaddr_storage ca, sa, peer;
	socklen_t cl, sl, pl = sizeof(peer);
	struct pollfd pfd;
	char buf[16];
	int lst = socket_in(t, PST_SERVER, family, SOCK_STREAM);
	int cli = socket_in(t, PST_CLIENT, family, SOCK_STREAM | SOCK_NONBLOCK);
	int acc, soerr = -1;
	socklen_t el = sizeof(soerr);

	CU_ASSERT_FATAL(lst >= 0 && cli >= 0);
	pst_topo_addr(PST_CLIENT, family, path, &ca, &cl);
	pst_topo_addr(PST_SERVER, family, path, &sa, &sl);
	CU_ASSERT_EQUAL_FATAL(bind(lst, (struct sockaddr *)&sa, sl), 0);
	CU_ASSERT_EQUAL_FATAL(listen(lst, 1), 0);
	CU_ASSERT_EQUAL_FATAL(getsockname(lst, (struct sockaddr *)&sa, &sl), 0);
	CU_ASSERT_EQUAL_FATAL(bind(cli, (struct sockaddr *)&ca, cl), 0);
	CU_ASSERT_FATAL(connect(cli, (struct sockaddr *)&sa, sl) == 0 || errno == EINPROGRESS);
	pfd = (struct pollfd){ .fd = cli, .events = POLLOUT };
	CU_ASSERT_EQUAL_FATAL(poll(&pfd, 1, IO_TIMEOUT_MS), 1);
	CU_ASSERT_EQUAL(getsockopt(cli, SOL_SOCKET, SO_ERROR, &soerr, &el), 0);
	REQUIRE(soerr == 0, "TCP connect succeeds");
	acc = accept(lst, (struct sockaddr *)&peer, &pl);
	CU_ASSERT_FATAL(acc >= 0);
	CU_ASSERT_TRUE(same_ip((struct sockaddr *)&peer, &ca));
	CU_ASSERT_EQUAL(send(cli, "ping", 4, 0), 4);
	CU_ASSERT_TRUE_FATAL(wait_readable(acc));
	CU_ASSERT_EQUAL(recv(acc, buf, sizeof(buf), 0), 4);
	CU_ASSERT_NSTRING_EQUAL(buf, "ping", 4);
	CU_ASSERT_EQUAL(send(acc, "pong", 4, 0), 4);
	CU_ASSERT_TRUE_FATAL(wait_readable(cli));
	CU_ASSERT_EQUAL(recv(cli, buf, sizeof(buf), 0), 4);
	CU_ASSERT_NSTRING_EQUAL(buf, "pong", 4);
	close(acc);
	close(lst);
	close(cli);
}

static bool create_ok(struct pst_topo *t, const char *label)
{
	char prefix[48];
	int rc;

	prefix_for(prefix, sizeof(prefix), label);
	errbuf[0] = '\0';
	rc = pst_topo_create(t, prefix, errbuf, sizeof(errbuf));
	if (rc)
		fprintf(stderr, "  pst_topo_create(%s): %s\n", prefix, errbuf);
	return rc == 0;
}

static void test_create_destroy(void)
{
	struct pst_topo t;
	char want[64];
	ino_t before = self_netns_ino();

	CU_ASSERT_TRUE_FATAL(create_ok(&t, "basic"));
	CU_ASSERT_TRUE(t.created);
	prefix_for(want, sizeof(want), "basic-client");
	CU_ASSERT_STRING_EQUAL(t.name[PST_CLIENT], want);
	prefix_for(want, sizeof(want), "basic-server");
	CU_ASSERT_STRING_EQUAL(t.name[PST_SERVER], want);
	for (int s = 0; s < PST_SIDES; s++) {
		struct stat st;

		CHECK(ns_exists(t.name[s]), "namespace file in /run/netns");
		CU_ASSERT_TRUE(t.nsfd[s] >= 0 && fstat(t.nsfd[s], &st) == 0);
	}
	CHECK(self_netns_ino() == before, "caller's netns unchanged");
	/* No name was ever created in the caller's namespace. */
	for (int s = 0; s < PST_SIDES; s++)
		for (int p = 0; p < PST_PATHS; p++)
			CU_ASSERT_EQUAL(if_nametoindex(link_names[s][p]), 0);

	pst_topo_destroy(&t);
	CU_ASSERT_FALSE(t.created);
	for (int s = 0; s < PST_SIDES; s++) {
		CHECK(!ns_exists(t.name[s]), "namespace file gone after destroy");
		CU_ASSERT_EQUAL(t.nsfd[s], -1);
	}
	pst_topo_destroy(&t); /* idempotent */
	CU_ASSERT_FALSE(t.created);
	CU_ASSERT_EQUAL(self_netns_ino(), before);

	/* A never-created (zeroed) topology is a no-op too, fds 0 untouched. */
	memset(&t, 0, sizeof(t));
	pst_topo_destroy(&t);
	CU_ASSERT_NOT_EQUAL(fcntl(0, F_GETFD), -1);
}

static void test_enter(void)
{
	struct pst_topo t;
	ino_t before = self_netns_ino();

	CU_ASSERT_TRUE_FATAL(create_ok(&t, "enter"));
	for (int s = 0; s < PST_SIDES; s++) {
		struct stat st;
		int back = enter(&t, (enum pst_side)s);

		CU_ASSERT_FATAL(back >= 0);
		CU_ASSERT_EQUAL(fstat(t.nsfd[s], &st), 0);
		CHECK(self_netns_ino() == st.st_ino, "pst_topo_enter moved this thread there");
		CU_ASSERT_NOT_EQUAL(st.st_ino, before);
		leave(back);
	}
	CU_ASSERT_EQUAL(self_netns_ino(), before);
	errno = 0;
	CU_ASSERT_EQUAL(pst_topo_enter(&t, PST_SIDES), -1);
	CU_ASSERT_EQUAL(errno, EINVAL);
	pst_topo_destroy(&t);
	CHECK(pst_topo_enter(&t, PST_CLIENT) == -1, "enter refused once destroyed");
}

static void test_addresses(void)
{
	struct pst_topo t;

	CU_ASSERT_TRUE_FATAL(create_ok(&t, "addr"));
	check_side_addresses(&t, PST_CLIENT);
	check_side_addresses(&t, PST_SERVER);
	pst_topo_destroy(&t);
}

/*
 * create returns with all four ends operationally up (carrier seen by
 * linkwatch, qdisc active), and soon: not after linkwatch's 1 s rate limit
 * for "non-urgent" events. IFF_RUNNING alone would not do: a link linkwatch
 * has not seen yet is "unknown", which counts as running.
 */
static void test_running_at_once(void)
{
	struct pst_topo t;
	double t0 = now_ms(), took;

	CU_ASSERT_TRUE_FATAL(create_ok(&t, "run"));
	took = now_ms() - t0;
	if (took > CREATE_MAX_MS)
		fprintf(stderr, "  create took %.0f ms\n", took);
	CHECK(took < CREATE_MAX_MS, "create well within linkwatch's 1 s rate limit");
	for (int s = 0; s < PST_SIDES; s++)
		for (int p = 0; p < PST_PATHS; p++)
			CHECK(link_running(&t, (enum pst_side)s, link_names[s][p]),
			      "operationally up when create returns");
	pst_topo_destroy(&t);
}

/* NODAD: bind() to the IPv6 addresses works right after create, no wait. */
static void test_ipv6_bind_at_once(void)
{
	struct pst_topo t;

	CU_ASSERT_TRUE_FATAL(create_ok(&t, "bind6"));
	for (int s = 0; s < PST_SIDES; s++) {
		for (int p = 0; p < PST_PATHS; p++) {
			struct sockaddr_storage a;
			socklen_t len;
			int fd = socket_in(&t, (enum pst_side)s, AF_INET6, SOCK_DGRAM);
			int rc;

			CU_ASSERT_FATAL(fd >= 0);
			pst_topo_addr((enum pst_side)s, AF_INET6, p, &a, &len);
			rc = bind(fd, (struct sockaddr *)&a, len);
			if (rc)
				fprintf(stderr, "  bind %s path %d: %s\n", s ? "server" : "client",
					p, strerror(errno));
			CU_ASSERT_EQUAL(rc, 0);
			close(fd);
		}
	}
	pst_topo_destroy(&t);
}

/* Right after create, with no settling time: both families over both paths. */
static void test_pingpong(void)
{
	struct pst_topo t;

	CU_ASSERT_TRUE_FATAL(create_ok(&t, "ping"));
	for (int p = 0; p < PST_PATHS; p++) {
		for (int f = 0; f < 2; f++) {
			udp_pingpong(&t, families[f], p);
			tcp_pingpong(&t, families[f], p);
		}
	}
	pst_topo_destroy(&t);
}

struct thread_create {
	struct pst_topo t;
	bool ok;
	ino_t before, after;
};

static void *create_in_thread(void *arg)
{
	struct thread_create *c = arg;

	c->before = self_netns_ino();
	c->ok = create_ok(&c->t, "thread");
	c->after = self_netns_ino();
	return NULL;
}

/*
 * From a thread other than the main one: only that thread moves while
 * building, and the namespaces are new ones (thread-self, not self).
 */
static void test_create_in_thread(void)
{
	struct thread_create c;
	ino_t main_ino = self_netns_ino();
	pthread_t th;

	memset(&c, 0, sizeof(c));
	CU_ASSERT_EQUAL_FATAL(pthread_create(&th, NULL, create_in_thread, &c), 0);
	CU_ASSERT_EQUAL_FATAL(pthread_join(th, NULL), 0);
	CU_ASSERT_TRUE_FATAL(c.ok);
	CU_ASSERT_EQUAL(c.after, c.before);
	CU_ASSERT_EQUAL(self_netns_ino(), main_ino);
	for (int s = 0; s < PST_SIDES; s++) {
		struct stat st;

		CU_ASSERT_EQUAL(fstat(c.t.nsfd[s], &st), 0);
		CU_ASSERT_NOT_EQUAL(st.st_ino, main_ino);
	}
	udp_pingpong(&c.t, AF_INET6, 0);
	pst_topo_destroy(&c.t);
}

static void test_two_coexist(void)
{
	struct pst_topo a, b;

	CU_ASSERT_TRUE_FATAL(create_ok(&a, "twoa"));
	if (!create_ok(&b, "twob")) {
		pst_topo_destroy(&a);
		CU_FAIL_FATAL("second topology");
	}
	for (int s = 0; s < PST_SIDES; s++) {
		CU_ASSERT_TRUE(ns_exists(a.name[s]));
		CU_ASSERT_TRUE(ns_exists(b.name[s]));
	}
	udp_pingpong(&a, AF_INET, 0);
	udp_pingpong(&b, AF_INET6, 1);
	pst_topo_destroy(&a);
	/* b is untouched by a's teardown. */
	for (int s = 0; s < PST_SIDES; s++) {
		CU_ASSERT_FALSE(ns_exists(a.name[s]));
		CU_ASSERT_TRUE(ns_exists(b.name[s]));
	}
	udp_pingpong(&b, AF_INET, 0);
	pst_topo_destroy(&b);
}

static void test_set_path(void)
{
	struct pst_topo t;

	CU_ASSERT_TRUE_FATAL(create_ok(&t, "path"));
	for (int p = 0; p < PST_PATHS; p++) {
		CU_ASSERT_EQUAL(pst_topo_set_path(&t, p, false), 0);
		for (int s = 0; s < PST_SIDES; s++) {
			/* this path down at both ends, the other one still up */
			CU_ASSERT_FALSE(link_up(&t, (enum pst_side)s, link_names[s][p]));
			CU_ASSERT_TRUE(link_up(&t, (enum pst_side)s, link_names[s][!p]));
		}
		udp_pingpong(&t, AF_INET6, !p); /* the other path still carries traffic */
		CU_ASSERT_EQUAL(pst_topo_set_path(&t, p, true), 0);
		for (int s = 0; s < PST_SIDES; s++)
			CU_ASSERT_TRUE(link_up(&t, (enum pst_side)s, link_names[s][p]));
		/* up again as it was: addresses (IPv6 too) and traffic at once */
		check_side_addresses(&t, PST_CLIENT);
		check_side_addresses(&t, PST_SERVER);
		udp_pingpong(&t, AF_INET, p);
		udp_pingpong(&t, AF_INET6, p);
	}
	CHECK(pst_topo_set_path(&t, 0, true) == 0, "up on an up path: no error");
	errno = 0;
	CU_ASSERT_EQUAL(pst_topo_set_path(&t, PST_PATHS, false), -1);
	CU_ASSERT_EQUAL(errno, EINVAL);
	CU_ASSERT_EQUAL(pst_topo_set_path(&t, -1, true), -1);
	pst_topo_destroy(&t);
	CHECK(pst_topo_set_path(&t, 0, true) == -1, "set_path refused once destroyed");
}

/*
 * Down and straight up again, then traffic at once: set_path(up) must not
 * return before the path carries packets (no stale state from the down).
 */
static void test_flap(void)
{
	struct pst_topo t;

	CU_ASSERT_TRUE_FATAL(create_ok(&t, "flap"));
	for (int i = 0; i < 3; i++) {
		for (int p = 0; p < PST_PATHS; p++) {
			CU_ASSERT_EQUAL(pst_topo_set_path(&t, p, false), 0);
			CU_ASSERT_EQUAL(pst_topo_set_path(&t, p, true), 0);
			udp_pingpong(&t, families[i % 2], p);
			tcp_pingpong(&t, families[(i + 1) % 2], p);
		}
	}
	pst_topo_destroy(&t);
}

static void check_addr(enum pst_side side, int family, int path, const char *want)
{
	struct sockaddr_storage ss;
	socklen_t len = 12345;
	char s[INET6_ADDRSTRLEN] = "";

	memset(&ss, 0xa5, sizeof(ss));
	pst_topo_addr(side, family, path, &ss, &len);
	CU_ASSERT_EQUAL(ss.ss_family, family);
	if (family == AF_INET) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)&ss;

		CU_ASSERT_EQUAL(len, sizeof(struct sockaddr_in));
		CU_ASSERT_EQUAL(sin->sin_port, 0);
		inet_ntop(AF_INET, &sin->sin_addr, s, sizeof(s));
	} else {
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)&ss;

		CU_ASSERT_EQUAL(len, sizeof(struct sockaddr_in6));
		CU_ASSERT_EQUAL(sin6->sin6_port, 0);
		CU_ASSERT_EQUAL(sin6->sin6_scope_id, 0);
		CU_ASSERT_EQUAL(sin6->sin6_flowinfo, 0);
		inet_ntop(AF_INET6, &sin6->sin6_addr, s, sizeof(s));
	}
	if (strcmp(s, want))
		fprintf(stderr, "  pst_topo_addr: got %s, want %s\n", s, want);
	CU_ASSERT_STRING_EQUAL(s, want);
}

static void test_addr_plan(void)
{
	struct sockaddr_storage ss;
	socklen_t len = 1;

	check_addr(PST_CLIENT, AF_INET, 0, "192.0.2.1");
	check_addr(PST_SERVER, AF_INET, 0, "192.0.2.2");
	check_addr(PST_CLIENT, AF_INET, 1, "198.51.100.1");
	check_addr(PST_SERVER, AF_INET, 1, "198.51.100.2");
	check_addr(PST_CLIENT, AF_INET6, 0, "2001:db8:0:1::1");
	check_addr(PST_SERVER, AF_INET6, 0, "2001:db8:0:1::2");
	check_addr(PST_CLIENT, AF_INET6, 1, "2001:db8:0:2::1");
	check_addr(PST_SERVER, AF_INET6, 1, "2001:db8:0:2::2");
	/* Out of the plan: nothing (length 0). */
	pst_topo_addr(PST_CLIENT, AF_INET, PST_PATHS, &ss, &len);
	CU_ASSERT_EQUAL(len, 0);
	len = 1;
	pst_topo_addr(PST_CLIENT, AF_UNIX, 0, &ss, &len);
	CU_ASSERT_EQUAL(len, 0);
}

/* An empty file in /run/netns: enough for the name-matching part of the sweep. */
static void touch_netns(const char *name)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", PST_NETNS_DIR, name);
	fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
}

static void unlink_netns(const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", PST_NETNS_DIR, name);
	unlink(path);
}

static void test_sweep_stale(void)
{
	static const char tag[] = "pstsweep";
	struct pst_topo dead, live;
	char prefix[64], odd[3][64];
	pid_t child = fork();
	int rc;

	CU_ASSERT_FATAL(child >= 0);
	if (child == 0)
		_exit(0);
	REQUIRE(waitpid(child, NULL, 0) == child, "child reaped: its pid is free");
	CU_ASSERT_EQUAL(kill(child, 0), -1);

	snprintf(prefix, sizeof(prefix), "%s%d-x", tag, (int)child);
	rc = pst_topo_create(&dead, prefix, errbuf, sizeof(errbuf));
	if (rc)
		fprintf(stderr, "  create %s: %s\n", prefix, errbuf);
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	snprintf(prefix, sizeof(prefix), "%s%d-x", tag, (int)getpid());
	rc = pst_topo_create(&live, prefix, errbuf, sizeof(errbuf));
	if (rc)
		fprintf(stderr, "  create %s: %s\n", prefix, errbuf);
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	/* Names that only look alike: no pid, no '-' after it, another tag. */
	snprintf(odd[0], sizeof(odd[0]), "%sx%d-client", tag, (int)child);
	snprintf(odd[1], sizeof(odd[1]), "%s%dclient", tag, (int)child);
	snprintf(odd[2], sizeof(odd[2]), "other%s%d-client", tag, (int)child);
	for (int i = 0; i < 3; i++)
		touch_netns(odd[i]);

	CHECK(pst_topo_sweep_stale(tag) == 2, "the dead run's client and server swept");
	for (int s = 0; s < PST_SIDES; s++) {
		CU_ASSERT_FALSE(ns_exists(dead.name[s]));
		CU_ASSERT_TRUE(ns_exists(live.name[s]));
	}
	for (int i = 0; i < 3; i++) {
		CU_ASSERT_TRUE(ns_exists(odd[i]));
		unlink_netns(odd[i]);
	}
	CHECK(pst_topo_sweep_stale(tag) == 0, "a second sweep finds nothing");
	/* Already swept: must still be harmless. */
	pst_topo_destroy(&dead);
	pst_topo_destroy(&live);
	for (int s = 0; s < PST_SIDES; s++)
		CU_ASSERT_FALSE(ns_exists(live.name[s]));
}

static void test_exists_fails(void)
{
	struct pst_topo a, b;
	char prefix[48], other[64];
	ino_t before = self_netns_ino();
	int entries;
	struct stat st0, st1;

	CU_ASSERT_TRUE_FATAL(create_ok(&a, "dup"));
	CU_ASSERT_EQUAL(fstat(a.nsfd[PST_CLIENT], &st0), 0);
	entries = count_netns_entries();

	prefix_for(prefix, sizeof(prefix), "dup");
	errbuf[0] = '\0';
	CU_ASSERT_EQUAL(pst_topo_create(&b, prefix, errbuf, sizeof(errbuf)), -1);
	CHECK(strstr(errbuf, "exists") != NULL, "the error says the name exists");
	CU_ASSERT_FALSE(b.created);
	CHECK(count_netns_entries() == entries, "nothing new left in /run/netns");
	CU_ASSERT_EQUAL(self_netns_ino(), before);
	pst_topo_destroy(&b); /* harmless on a failed one, and must not touch a's */
	for (int s = 0; s < PST_SIDES; s++)
		CU_ASSERT_TRUE(ns_exists(a.name[s]));
	/* a is still the same namespace, and still works. */
	{
		char path[PATH_MAX];

		snprintf(path, sizeof(path), "%s/%s", PST_NETNS_DIR, a.name[PST_CLIENT]);
		CU_ASSERT_EQUAL(stat(path, &st1), 0);
		CU_ASSERT_EQUAL(st0.st_ino, st1.st_ino);
	}
	udp_pingpong(&a, AF_INET, 1);
	pst_topo_destroy(&a);

	/* Only the server name taken: the client one made meanwhile is removed again. */
	prefix_for(prefix, sizeof(prefix), "half");
	snprintf(other, sizeof(other), "%s-server", prefix);
	touch_netns(other);
	entries = count_netns_entries();
	errbuf[0] = '\0';
	CU_ASSERT_EQUAL(pst_topo_create(&b, prefix, errbuf, sizeof(errbuf)), -1);
	CHECK(strstr(errbuf, "exists") != NULL, "the error says the name exists");
	snprintf(other, sizeof(other), "%s-client", prefix);
	CU_ASSERT_FALSE(ns_exists(other));
	CU_ASSERT_EQUAL(count_netns_entries(), entries);
	CU_ASSERT_EQUAL(self_netns_ino(), before);
	snprintf(other, sizeof(other), "%s-server", prefix);
	CHECK(ns_exists(other), "the existing name, not ours, left alone");
	unlink_netns(other);

	/* A bad prefix is refused up front. */
	CU_ASSERT_EQUAL(pst_topo_create(&b, "a/b", errbuf, sizeof(errbuf)), -1);
	CU_ASSERT_EQUAL(pst_topo_create(&b, "", errbuf, sizeof(errbuf)), -1);
	CU_ASSERT_EQUAL(count_netns_entries(), entries - 1);
}

/* Many in a row: nothing leaks (fds, names). */
static void test_repeat(void)
{
	int fds_before = 0, fds_after = 0, entries = count_netns_entries();
	DIR *d = opendir("/proc/self/fd");

	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	while (readdir(d))
		fds_before++;
	closedir(d);
	for (int i = 0; i < 10; i++) {
		struct pst_topo t;

		CU_ASSERT_TRUE_FATAL(create_ok(&t, "rep"));
		pst_topo_destroy(&t);
	}
	d = opendir("/proc/self/fd");
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	while (readdir(d))
		fds_after++;
	closedir(d);
	CU_ASSERT_EQUAL(fds_after, fds_before);
	CU_ASSERT_EQUAL(count_netns_entries(), entries);
}

int main(void)
{
	static const struct pst_unit_test tests[] = {
		{ "addr plan", test_addr_plan },
		{ "create and destroy", test_create_destroy },
		{ "enter", test_enter },
		{ "addresses and links", test_addresses },
		{ "links running when create returns", test_running_at_once },
		{ "IPv6 bind at once", test_ipv6_bind_at_once },
		{ "ping-pong both paths and families", test_pingpong },
		{ "two topologies coexist", test_two_coexist },
		{ "create from another thread", test_create_in_thread },
		{ "set path down and up", test_set_path },
		{ "path flap, traffic at once", test_flap },
		{ "sweep stale", test_sweep_stale },
		{ "existing name fails cleanly", test_exists_fails },
		{ "repeat without leaks", test_repeat },
	};

	return pst_unit_main("topology", tests, sizeof(tests) / sizeof(tests[0]), NULL, NULL);
}
