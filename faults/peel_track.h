/*
 * For the shims of the queues-and-waits cases (suites/peeloff_migrate_queues.c):
 * every successful peel of the process is remembered, in order: the original
 * descriptor, the new one and the new socket's inode (a closed number may be
 * reused by another file: the inode tells). Peels and sends may happen in
 * different threads, so the count is read and written atomically.
 */
#ifndef PST_FAULT_PEEL_TRACK_H
#define PST_FAULT_PEEL_TRACK_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

#include "fault.h"

#define PST_PEELS_MAX 64 /* more than any case peels */

struct pst_peel_rec {
	int orig, sd;
	ino_t ino;
};

static struct pst_peel_rec pst_peels[PST_PEELS_MAX];
static int pst_npeels;

typedef ssize_t (*pst_sendmsg_fn)(int, const struct msghdr *, int);

static inline pst_sendmsg_fn pst_real_sendmsg(void)
{
	static pst_sendmsg_fn real;

	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "sendmsg");
	return real;
}

/* How many peels were made so far: records 0 .. that - 1 are complete. */
static inline int pst_peel_count(void)
{
	return __atomic_load_n(&pst_npeels, __ATOMIC_SEQ_CST);
}

/* The real getsockopt, and the peel remembered when it was one that succeeded. */
static inline int pst_tracked_getsockopt(int sd, int level, int name, void *optval,
					 socklen_t *optlen)
{
	int r = pst_real_getsockopt()(sd, level, name, optval, optlen);
	int n = pst_peel_count();
	struct stat st;

	if (r < 0 || !pst_is_peeloff(level, name) || !optval || n >= PST_PEELS_MAX)
		return r;
	pst_peels[n].orig = sd;
	pst_peels[n].sd = *pst_peeloff_sd(name, optval);
	pst_peels[n].ino = fstat(pst_peels[n].sd, &st) == 0 ? st.st_ino : 0;
	__atomic_store_n(&pst_npeels, n + 1, __ATOMIC_SEQ_CST);
	return r;
}

/* Is the peeled socket of p still open under its number? errno is kept. */
static inline bool pst_peel_open(const struct pst_peel_rec *p)
{
	struct stat st;
	int saved = errno;
	bool open = p->ino && fstat(p->sd, &st) == 0 && st.st_ino == p->ino;

	errno = saved;
	return open;
}

/* The snd_flags of m's SCTP_SNDINFO or the sinfo_flags of its SCTP_SNDRCV; 0 if none. */
static inline uint16_t pst_send_flags(const struct msghdr *m)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR((struct msghdr *)m, c)) {
		if (c->cmsg_level != IPPROTO_SCTP)
			continue;
		if (c->cmsg_type == SCTP_SNDINFO) {
			struct sctp_sndinfo si;

			memcpy(&si, CMSG_DATA(c), sizeof(si));
			return si.snd_flags;
		}
		if (c->cmsg_type == SCTP_SNDRCV) {
			struct sctp_sndrcvinfo si;

			memcpy(&si, CMSG_DATA(c), sizeof(si));
			return si.sinfo_flags;
		}
	}
	return 0;
}

/* SCTP_STATUS of a peeled (or one-to-one) socket's association; 0 or -1. */
static inline int pst_peeled_status(int sd, struct sctp_status *st)
{
	socklen_t len = sizeof(*st);

	memset(st, 0, sizeof(*st));
	return pst_real_getsockopt()(sd, SOL_SCTP, SCTP_STATUS, st, &len);
}

#endif
