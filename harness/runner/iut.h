/*
 * The implementation under test is the kernel plus libsctp. libsctp is
 * opened at run time (default libsctp.so.1, or --libsctp PATH), so a vendor
 * build can be tested and a missing symbol is a reported failure, not a link
 * error. Calls resolve through the global scope, so an LD_PRELOAD shim that
 * interposes sctp_peeloff or getsockopt (fault injection) is honoured.
 *
 * A program may also link libsctp statically: then its sctp_peeloff_flags is
 * the static archive's (libsctp.a), which has it where a shared libsctp.so.1
 * may not export it (Debian's 1.0.18-1.0.21). That code, as a shared object
 * (harness/runner/libsctp-archive.sh, --libsctp-archive; by default with the
 * default libsctp, build/libsctp-archive.so from the machine's libsctp-dev),
 * is where sctp_peeloff_flags comes from when the library does not export
 * it. The missing export stays a finding of its own (suites/libsctp.c).
 */
#ifndef PST_IUT_H
#define PST_IUT_H

#include <netinet/in.h>
#include <netinet/sctp.h>
#include <stdbool.h>
#include <stddef.h>

#ifndef PST_DEFAULT_LIBSCTP_ARCHIVE /* (make ARCH=arm64: build/arm64/...) */
#define PST_DEFAULT_LIBSCTP_ARCHIVE "build/libsctp-archive.so" /* made by the Makefile */
#endif

struct pst_iut {
	char path[4096];	  /* what was opened */
	char version[64];	  /* libsctp's file name target, e.g. "libsctp.so.1.0.19" */
	char archive[4096];	  /* the static archive's code as a shared object; "" none */
	char archive_origin[256]; /* its package, archive and member (libsctp-archive.sh) */
	char flags_source[4608];  /* where sctp_peeloff_flags comes from, for the reports */
	bool flags_exported;	  /* the library under test exports sctp_peeloff_flags */
	int (*peeloff)(int sd, sctp_assoc_t id);
	int (*peeloff_flags)(int sd, sctp_assoc_t id, unsigned flags); /* NULL: from neither */
};

extern struct pst_iut pst_iut;

/*
 * Open libsctp (path NULL: the default) and the static archive's code (archive
 * NULL: PST_DEFAULT_LIBSCTP_ARCHIVE when path is NULL and that file exists, else
 * none). 0, or -1 with the reason in err.
 */
int pst_iut_load(const char *path, const char *archive, char *err, size_t errlen);

/* The kernel's own interface, without libsctp: getsockopt(SCTP_SOCKOPT_PEELOFF[_FLAGS]). */
int pst_raw_peeloff(int sd, sctp_assoc_t id);
int pst_raw_peeloff_flags(int sd, sctp_assoc_t id, unsigned flags);

#endif
