/*
 * Fault: close() of a one-to-many socket also ends the associations that
 * were peeled off from it (emulated: each successful peel is remembered,
 * and closing the original first aborts the new sockets' associations).
 */
// catches: peeloff_migrate_states/peeloff_assoc_opened_by_connectx_moves_and_outlives_original/*
// catches: peeloff_migrate_states/peeloff_assoc_opened_by_sendmsg_moves_and_outlives_original/*
// catches: peeloff_migrate_states/peeloff_in_cookie_echoed_comes_up_on_new_socket/*
// catches: peeloff_migrate_states/peeloff_in_shutdown_pending_*/*
// catches: peeloff_migrate_states/peeloff_in_shutdown_received_*/*
// catches: peeloff_migrate_states/peeloff_with_failed_path_*/*
// catches: peeloff_migrate_states/peeloff_from_wildcard_bound_socket_keeps_addresses_and_port/*
// catches: peeloff_migration/peeloff_close_original_keeps_peeled_assoc/*
#include <string.h>
#include <unistd.h>

#include "fault.h"

#define PEELS_MAX 64 /* peels remembered at once: far more than a case makes */

static struct {
	int original, peeled;
	int used;
} peels[PEELS_MAX];

int getsockopt(int sd, int level, int name, void *optval, socklen_t *optlen)
{
	int r = pst_real_getsockopt()(sd, level, name, optval, optlen);

	/* The kernel returns the new descriptor (REF-RAW-RETURN). */
	if (r >= 0 && pst_is_peeloff(level, name))
		for (int i = 0; i < PEELS_MAX; i++)
			if (!peels[i].used) {
				peels[i].original = sd;
				peels[i].peeled = *pst_peeloff_sd(name, optval);
				peels[i].used = 1;
				break;
			}
	return r;
}

/* The association of a one-to-one style socket ends with an ABORT (SCTP_ABORT, no data). */
static void abort_assoc(int fd)
{
	char cbuf[CMSG_SPACE(sizeof(struct sctp_sndinfo))] = { 0 };
	struct sctp_sndinfo si = { .snd_flags = SCTP_ABORT };
	struct msghdr m = { .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	int saved = errno;

	c->cmsg_level = IPPROTO_SCTP;
	c->cmsg_type = SCTP_SNDINFO;
	c->cmsg_len = CMSG_LEN(sizeof(si));
	memcpy(CMSG_DATA(c), &si, sizeof(si));
	sendmsg(fd, &m, MSG_NOSIGNAL);
	errno = saved;
}

int close(int fd)
{
	static int (*real)(int);

	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "close");
	for (int i = 0; i < PEELS_MAX; i++) {
		if (!peels[i].used)
			continue;
		if (peels[i].original == fd)
			abort_assoc(peels[i].peeled);
		if (peels[i].original == fd || peels[i].peeled == fd)
			peels[i].used = 0;
	}
	return real(fd);
}
