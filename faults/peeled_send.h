/*
 * For the shims that break sending on a peeled socket: tell a peeled socket
 * (SCTP, SOCK_SEQPACKET, connected) from the others, find the one-to-many
 * socket it was peeled from (listening on the same port, in this process),
 * and read the send information of a sendmsg().
 */
#ifndef PST_FAULT_PEELED_SEND_H
#define PST_FAULT_PEELED_SEND_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "fault.h"

#define PST_FD_SCAN   1024 /* the descriptors searched for the original socket */
#define PST_IDS_MAX   16   /* association ids read from the original socket */
#define PST_NO_SOCKET (-1)

typedef ssize_t (*pst_sendmsg_fn)(int, const struct msghdr *, int);

static inline pst_sendmsg_fn pst_real_sendmsg(void)
{
	static pst_sendmsg_fn real;

	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "sendmsg");
	return real;
}

static inline int pst_sockopt(int fd, int name)
{
	int v = -1;
	socklen_t l = sizeof(v);

	return pst_real_getsockopt()(fd, SOL_SOCKET, name, &v, &l) == 0 ? v : -1;
}

static inline bool pst_is_sctp(int fd, int type)
{
	return pst_sockopt(fd, SO_PROTOCOL) == IPPROTO_SCTP && pst_sockopt(fd, SO_TYPE) == type;
}

static inline int pst_local_port_of(int fd)
{
	struct sockaddr_storage ss;
	socklen_t l = sizeof(ss);

	if (getsockname(fd, (struct sockaddr *)&ss, &l) < 0)
		return -1;
	return ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
					: ((struct sockaddr_in *)&ss)->sin_port;
}

/* The listening one-to-many socket on the peeled socket's port, or PST_NO_SOCKET. */
static inline int pst_original_of(int peeled)
{
	int port = pst_local_port_of(peeled);

	for (int fd = 0; fd < PST_FD_SCAN; fd++)
		if (fd != peeled && pst_is_sctp(fd, SOCK_SEQPACKET) &&
		    pst_sockopt(fd, SO_ACCEPTCONN) == 1 && pst_local_port_of(fd) == port)
			return fd;
	return PST_NO_SOCKET;
}

/* The association ids fd lists (SCTP_GET_ASSOC_ID_LIST), up to PST_IDS_MAX: how many. */
static inline int pst_ids_of(int fd, sctp_assoc_t *ids)
{
	sctp_assoc_t buf[1 + PST_IDS_MAX];
	socklen_t l = sizeof(buf);
	const struct sctp_assoc_ids *list = (const struct sctp_assoc_ids *)buf;
	int n = 0;

	if (pst_real_getsockopt()(fd, SOL_SCTP, SCTP_GET_ASSOC_ID_LIST, buf, &l) < 0)
		return 0;
	for (uint32_t i = 0; i < list->gaids_number_of_ids && i < PST_IDS_MAX; i++)
		ids[n++] = list->gaids_assoc_id[i];
	return n;
}

/* The flags and association id of m's SCTP_SNDINFO or SCTP_SNDRCV; false if it has none. */
static inline bool pst_send_info(const struct msghdr *m, uint16_t *flags, sctp_assoc_t *id)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR((struct msghdr *)m, c)) {
		if (c->cmsg_level != IPPROTO_SCTP)
			continue;
		if (c->cmsg_type == SCTP_SNDINFO) {
			struct sctp_sndinfo si;

			memcpy(&si, CMSG_DATA(c), sizeof(si));
			*flags = si.snd_flags;
			*id = si.snd_assoc_id;
			return true;
		}
		if (c->cmsg_type == SCTP_SNDRCV) {
			struct sctp_sndrcvinfo si;

			memcpy(&si, CMSG_DATA(c), sizeof(si));
			*flags = si.sinfo_flags;
			*id = si.sinfo_assoc_id;
			return true;
		}
	}
	return false;
}

/* sendmsg() of m's data on fd with SCTP_SNDINFO {flags, id} instead of m's own cmsgs. */
static inline ssize_t pst_resend(int fd, const struct msghdr *m, uint16_t flags, sctp_assoc_t id)
{
	char cbuf[CMSG_SPACE(sizeof(struct sctp_sndinfo))] = { 0 };
	struct sctp_sndinfo si = { .snd_flags = flags, .snd_assoc_id = id };
	struct msghdr copy = { .msg_iov = m->msg_iov,
			       .msg_iovlen = m->msg_iovlen,
			       .msg_control = cbuf,
			       .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&copy);

	c->cmsg_level = IPPROTO_SCTP;
	c->cmsg_type = SCTP_SNDINFO;
	c->cmsg_len = CMSG_LEN(sizeof(si));
	memcpy(CMSG_DATA(c), &si, sizeof(si));
	return pst_real_sendmsg()(fd, &copy, MSG_NOSIGNAL | MSG_DONTWAIT);
}

#endif
