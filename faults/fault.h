/*
 * Shared by the fault-injected implementations (the .c files beside it):
 * each is an LD_PRELOAD shim that breaks ONE documented behaviour at the
 * libsctp / getsockopt boundary. Its first comment says what it breaks; a
 * line "// catches: <suite/case glob> ..." names the cases that must fail
 * under it (tests/fault_check.sh checks that they do).
 */
#ifndef PST_FAULT_H
#define PST_FAULT_H

#include <dlfcn.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <sys/socket.h>

typedef int (*pst_getsockopt_fn)(int, int, int, void *, socklen_t *);

static inline pst_getsockopt_fn pst_real_getsockopt(void)
{
	static pst_getsockopt_fn real;

	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "getsockopt");
	return real;
}

/* Is this the kernel's peeloff getsockopt (either variant)? */
static inline int pst_is_peeloff(int level, int name)
{
	return level == SOL_SCTP &&
	       (name == SCTP_SOCKOPT_PEELOFF || name == SCTP_SOCKOPT_PEELOFF_FLAGS);
}

/* The new descriptor a successful peeloff getsockopt wrote into optval. */
static inline int *pst_peeloff_sd(int name, void *optval)
{
	return name == SCTP_SOCKOPT_PEELOFF ? &((sctp_peeloff_arg_t *)optval)->sd
					    : &((sctp_peeloff_flags_arg_t *)optval)->p_arg.sd;
}

/*
 * Is sd a SOCK_SEQPACKET SCTP socket with a peer (connected != 0: a peeled
 * socket, which keeps the original's type and has one association) or without
 * (a one-to-many socket)? One-to-one sockets are SOCK_STREAM. errno is left as
 * it was.
 */
static inline int pst_seqpacket_sctp(int sd, int connected)
{
	struct sockaddr_storage peer;
	socklen_t len = sizeof(int), plen = sizeof(peer);
	int type = 0, proto = 0, saved = errno, r;

	r = pst_real_getsockopt()(sd, SOL_SOCKET, SO_TYPE, &type, &len) == 0 &&
	    pst_real_getsockopt()(sd, SOL_SOCKET, SO_PROTOCOL, &proto, &len) == 0 &&
	    type == SOCK_SEQPACKET && proto == IPPROTO_SCTP &&
	    (getpeername(sd, (struct sockaddr *)&peer, &plen) == 0) == !!connected;
	errno = saved;
	return r;
}

/* A peeled socket; a one-to-many socket. */
static inline int pst_is_peeled(int sd)
{
	return pst_seqpacket_sctp(sd, 1);
}

static inline int pst_is_one_to_many(int sd)
{
	return pst_seqpacket_sctp(sd, 0);
}

#endif
