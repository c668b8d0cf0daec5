/*
 * Fault: closing the original socket ends the associations peeled off it, as
 * when the migration leaves what an association keeps (retained control
 * chunks, a queued chunk's key) tied to the original socket and its close
 * takes that down with it (emulated: when a descriptor is closed, every
 * association peeled off it is aborted first).
 */
// catches: peeloff_migrate_chunks/peeloff_queued_data_*
// catches: peeloff_migrate_chunks/peeloff_asconf_*
// catches: peeloff_migrate_chunks/peeloff_authenticated_asconf_*
// catches: peeloff_migrate_chunks/peeloff_kept_asconf_ack_*
// catches: peeloff_migrate_chunks/peeloff_pending_stream_reset_*
#include <string.h>
#include <sys/uio.h>

#include "fault.h"

#define PEELS_MAX 64 /* far more peels than a case keeps open */

struct peel {
	int orig, peeled;
};

static struct peel peels[PEELS_MAX];
static int npeels;

static void forget(int i)
{
	peels[i] = peels[--npeels];
}

int getsockopt(int sd, int level, int name, void *optval, socklen_t *optlen)
{
	int r = pst_real_getsockopt()(sd, level, name, optval, optlen);

	if (r >= 0 && pst_is_peeloff(level, name) && npeels < PEELS_MAX)
		peels[npeels++] = (struct peel){ sd, *pst_peeloff_sd(name, optval) };
	return r;
}

/* SCTP_ABORT on the peeled socket's association (its only one: id 0). */
static void abort_assoc(int sd)
{
	static ssize_t (*real_sendmsg)(int, const struct msghdr *, int);
	char cbuf[CMSG_SPACE(sizeof(struct sctp_sndinfo))] = { 0 };
	struct sctp_sndinfo si = { .snd_flags = SCTP_ABORT };
	struct msghdr m = { .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);

	if (!real_sendmsg)
		*(void **)&real_sendmsg = dlsym(RTLD_NEXT, "sendmsg");
	c->cmsg_level = IPPROTO_SCTP;
	c->cmsg_type = SCTP_SNDINFO;
	c->cmsg_len = CMSG_LEN(sizeof(si));
	memcpy(CMSG_DATA(c), &si, sizeof(si));
	real_sendmsg(sd, &m, MSG_NOSIGNAL);
}

int close(int fd)
{
	static int (*real_close)(int);
	int saved = errno;

	if (!real_close)
		*(void **)&real_close = dlsym(RTLD_NEXT, "close");
	for (int i = 0; i < npeels;) {
		if (peels[i].orig == fd) {
			abort_assoc(peels[i].peeled);
			forget(i);
		} else if (peels[i].peeled == fd) {
			forget(i);
		} else {
			i++;
		}
	}
	errno = saved;
	return real_close(fd);
}
