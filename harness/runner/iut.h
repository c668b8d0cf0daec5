/*
 * The implementation under test is the kernel plus libsctp. libsctp is
 * opened at run time (default libsctp.so.1, or --libsctp PATH), so a vendor
 * build can be tested and a missing symbol is a reported failure, not a link
 * error. Calls resolve through the global scope, so an LD_PRELOAD shim that
 * interposes sctp_peeloff or getsockopt (fault injection) is honoured.
 */
#ifndef PST_IUT_H
#define PST_IUT_H

#include <netinet/in.h>
#include <netinet/sctp.h>
#include <stdbool.h>
#include <stddef.h>

struct pst_iut {
	char path[4096];  /* what was opened */
	char version[64]; /* libsctp's file name target, e.g. "libsctp.so.1.0.19" */
	int (*peeloff)(int sd, sctp_assoc_t id);
	int (*peeloff_flags)(int sd, sctp_assoc_t id, unsigned flags); /* NULL: not exported */
};

extern struct pst_iut pst_iut;

/* Open libsctp (path NULL: the default). 0, or -1 with the reason in err. */
int pst_iut_load(const char *path, char *err, size_t errlen);

/* The kernel's own interface, without libsctp: getsockopt(SCTP_SOCKOPT_PEELOFF[_FLAGS]). */
int pst_raw_peeloff(int sd, sctp_assoc_t id);
int pst_raw_peeloff_flags(int sd, sctp_assoc_t id, unsigned flags);

#endif
