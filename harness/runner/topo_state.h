/*
 * What a topology looks like after a case, against how it was built: its
 * SCTP endpoints and associations (/proc/net/sctp/eps and assocs, through
 * descriptors opened inside each namespace and kept, so a look is one pread
 * each) and a fingerprint of its links, addresses and routes (rtnetlink
 * dumps, without the counters and timestamps that traffic moves). The runner
 * gives the next case the same topology only when nothing of it changed.
 *
 * A look at links, addresses and routes is cheap when nothing happened: each
 * side also has an rtnetlink socket subscribed to their change notifications,
 * and while it has received none since the last look, nothing changed; any
 * notification (or a lost one: ENOBUFS) means the dumps are compared again.
 */
#ifndef PST_TOPO_STATE_H
#define PST_TOPO_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "topology.h"

struct pst_topo_state {
	int eps_fd[PST_SIDES];	  /* /proc/net/sctp/eps of each side */
	int assocs_fd[PST_SIDES]; /* /proc/net/sctp/assocs of each side */
	int nl_fd[PST_SIDES];	  /* an rtnetlink socket in each side, for dumps */
	int ev_fd[PST_SIDES];	  /* and one subscribed to link, address and route changes */
	uint64_t pristine[PST_SIDES];
	uint32_t seq;
	unsigned dumps; /* fingerprints taken (tests): the cost of a look */
};

/*
 * Open the descriptors (visiting each namespace; the calling thread's netns
 * is unchanged on return) and take the pristine fingerprint. 0, or -1 with
 * the reason in err and nothing left open.
 */
int pst_topo_state_open(struct pst_topo_state *s, const struct pst_topo *t, char *err,
			size_t errlen);
void pst_topo_state_close(struct pst_topo_state *s);
/* Entries in one side's eps and assocs tables. 0, or -1 if they cannot be read. */
int pst_topo_state_sctp(const struct pst_topo_state *s, enum pst_side side, int *eps, int *assocs);
/* Links, addresses and routes of both sides as they were built. */
bool pst_topo_state_pristine(struct pst_topo_state *s);

#endif
