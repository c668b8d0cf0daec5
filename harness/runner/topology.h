/*
 * One topology per case: two network namespaces, "client" and "server",
 * joined by two veth pairs (two paths), each end with one IPv4 and one IPv6
 * address, loopback up. Built in-process over rtnetlink: in UML a fork+exec
 * costs ~20 ms, a 14-command `ip` script ~1 s.
 *
 * Namespaces are named the iproute2 way (bind mounts under /run/netns), so
 * `ip netns list` and `ip -n NAME addr` can inspect them during a run.
 *
 * Facts the builder relies on: the veths have fixed ifindexes (c0=100,
 * c1=101, s0=110, s1=111: equal ifindexes on both ends delay the carrier
 * change by up to 1 s); each namespace sets keep_addr_on_down=1 so that a
 * path taken down and up again keeps its IPv6 address, and
 * default/accept_dad=0 so that the links' link-local addresses are usable
 * (and routed) from the start, not a second or two later; create and
 * set_path(up) return only once the links are operationally up, so the first
 * packet of a case is never dropped.
 */
#ifndef PST_TOPOLOGY_H
#define PST_TOPOLOGY_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

enum pst_side { PST_CLIENT, PST_SERVER, PST_SIDES };
#define PST_PATHS     2 /* veth pairs, hence addresses per family per side */
#define PST_NETNS_DIR "/run/netns"

struct pst_topo {
	char name[PST_SIDES][64]; /* namespace names: "<prefix>-client", "<prefix>-server" */
	int nsfd[PST_SIDES];	  /* open /run/netns/<name>, for setns() */
	bool created;
};

/*
 * Build the topology; the namespaces are "<prefix>-client" and
 * "<prefix>-server". On failure returns -1, leaves nothing behind and puts
 * the reason in err. The calling thread's netns is unchanged on return.
 */
int pst_topo_create(struct pst_topo *t, const char *prefix, char *err, size_t errlen);
/* Delete both namespaces (and with them the veths). Idempotent. */
void pst_topo_destroy(struct pst_topo *t);
/* Move the calling thread into one side's namespace. 0 or -1 (errno). */
int pst_topo_enter(const struct pst_topo *t, enum pst_side side);
/* Set one path's link (both veth ends) up or down: multihoming failover. */
int pst_topo_set_path(const struct pst_topo *t, int path, bool up);

/*
 * The fixed addressing plan (documentation ranges, RFC 5737 / RFC 3849):
 * path 0: 192.0.2.0/24 and 2001:db8:0:1::/64, path 1: 198.51.100.0/24 and
 * 2001:db8:0:2::/64; client .1 / ::1, server .2 / ::2. port 0 in the result.
 */
void pst_topo_addr(enum pst_side side, int family, int path, struct sockaddr_storage *out,
		   socklen_t *len);

/*
 * Remove namespaces under /run/netns whose names start with "<tag>" and
 * whose creating run (the pid after the tag) is gone: what a killed run left.
 * Returns how many were removed.
 */
int pst_topo_sweep_stale(const char *tag);

#endif
