/*
 * Fault: close() of a one-to-many socket also ends the associations peeled
 * off from it, as if they were still its own (emulated: before the close,
 * each of its peeled sockets still open has its association aborted with
 * SCTP_ABORT). The same as a migration that leaves what an association
 * keeps (retained control chunks, a queued chunk's key) tied to the original
 * socket, whose close takes it down.
 */
// catches: peeloff_migration/peeloff_close_original_keeps_peeled_assoc/*
// catches: peeloff_migrate_queues/peeloff_blocked_sender_then_close_original_and_peeled_*
// catches: peeloff_migrate_queues/peeloff_in_connect_wait_connectx_gets_ECONNREFUSED_*
// catches: peeloff_migrate_queues/peeloff_during_blocked_sendall_walk_skips_peeled_assoc/*
// catches: peeloff_migrate_queues/peeloff_with_data_queued_moves_its_send_buffer_use/*
// catches: peeloff_migrate_queues/peeloff_after_EMFILE_with_fd_free_succeeds_then_closes/*
// catches: peeloff_migrate_states/peeloff_assoc_opened_by_connectx_moves_and_outlives_original/*
// catches: peeloff_migrate_states/peeloff_assoc_opened_by_sendmsg_moves_and_outlives_original/*
// catches: peeloff_migrate_states/peeloff_in_cookie_echoed_comes_up_on_new_socket/*
// catches: peeloff_migrate_states/peeloff_in_shutdown_pending_*/*
// catches: peeloff_migrate_states/peeloff_in_shutdown_received_*/*
// catches: peeloff_migrate_states/peeloff_with_failed_path_*/*
// catches: peeloff_migrate_states/peeloff_from_wildcard_bound_socket_keeps_addresses_and_port/*
// catches: peeloff_migrate_chunks/peeloff_queued_data_*
// catches: peeloff_migrate_chunks/peeloff_asconf_*
// catches: peeloff_migrate_chunks/peeloff_authenticated_asconf_*
// catches: peeloff_migrate_chunks/peeloff_kept_asconf_ack_*
// catches: peeloff_migrate_chunks/peeloff_pending_stream_reset_*
#include <unistd.h>

#include "peel_track.h"

typedef int (*close_fn)(int);

int getsockopt(int sd, int level, int name, void *optval, socklen_t *optlen)
{
	return pst_tracked_getsockopt(sd, level, name, optval, optlen);
}

static void abort_assoc(int sd)
{
	char cbuf[CMSG_SPACE(sizeof(struct sctp_sndinfo))] = { 0 };
	struct sctp_sndinfo si = { .snd_flags = SCTP_ABORT };
	struct msghdr m = { .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);

	c->cmsg_level = IPPROTO_SCTP;
	c->cmsg_type = SCTP_SNDINFO;
	c->cmsg_len = CMSG_LEN(sizeof(si));
	memcpy(CMSG_DATA(c), &si, sizeof(si));
	(void)pst_real_sendmsg()(sd, &m, MSG_NOSIGNAL | MSG_DONTWAIT);
}

int close(int fd)
{
	static close_fn real;
	int saved = errno, n = pst_peel_count();

	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "close");
	for (int k = 0; k < n; k++)
		if (pst_peels[k].orig == fd && pst_peel_open(&pst_peels[k])) {
			abort_assoc(pst_peels[k].sd);
			pst_peels[k].orig = -1;
		}
	errno = saved;
	return real(fd);
}
