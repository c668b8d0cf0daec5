/*
 * Fault: DATA queued under a shared key is lost when its association is
 * peeled off, as when the migration frees the key the queued chunks hold and
 * the peer drops everything signed with what is left (emulated: right after a
 * peel whose association authenticates its DATA and has DATA queued, the
 * association is aborted).
 */
// catches: peeloff_migrate_chunks/peeloff_queued_data_reaches_peer_*
// catches: peeloff_migrate_chunks/peeloff_queued_data_keeps_its_key_*
#include <stdint.h>
#include <string.h>
#include <sys/uio.h>

#include "fault.h"

#define SCTP_DATA_TYPE 0 /* the DATA chunk type (RFC 9260 3.2) */
#define CHUNKS_MAX     UINT8_MAX

/* Does the association of peeled socket sd sign its DATA, and has it DATA queued? */
static int signs_queued_data(int sd)
{
	struct sctp_status st = { .sstat_assoc_id = 0 };
	char buf[sizeof(struct sctp_authchunks) + CHUNKS_MAX];
	struct sctp_authchunks *ac = (struct sctp_authchunks *)buf;
	socklen_t len = sizeof(st);
	int signs = 0;

	if (pst_real_getsockopt()(sd, IPPROTO_SCTP, SCTP_STATUS, &st, &len) < 0 ||
	    st.sstat_penddata + st.sstat_unackdata == 0)
		return 0;
	memset(buf, 0, sizeof(buf));
	len = sizeof(buf);
	if (pst_real_getsockopt()(sd, IPPROTO_SCTP, SCTP_PEER_AUTH_CHUNKS, ac, &len) < 0)
		return 0;
	for (uint32_t k = 0; k < ac->gauth_number_of_chunks && k < CHUNKS_MAX; k++)
		signs |= ac->gauth_chunks[k] == SCTP_DATA_TYPE;
	return signs;
}

int getsockopt(int sd, int level, int name, void *optval, socklen_t *optlen)
{
	int r = pst_real_getsockopt()(sd, level, name, optval, optlen);

	if (r >= 0 && pst_is_peeloff(level, name)) {
		int nsd = *pst_peeloff_sd(name, optval), saved = errno;

		if (signs_queued_data(nsd)) {
			char cbuf[CMSG_SPACE(sizeof(struct sctp_sndinfo))] = { 0 };
			struct sctp_sndinfo si = { .snd_flags = SCTP_ABORT };
			struct msghdr m = { .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
			struct cmsghdr *c = CMSG_FIRSTHDR(&m);

			c->cmsg_level = IPPROTO_SCTP;
			c->cmsg_type = SCTP_SNDINFO;
			c->cmsg_len = CMSG_LEN(sizeof(si));
			memcpy(CMSG_DATA(c), &si, sizeof(si));
			sendmsg(nsd, &m, MSG_NOSIGNAL);
		}
		errno = saved;
	}
	return r;
}
