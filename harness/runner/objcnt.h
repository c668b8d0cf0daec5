/*
 * The kernel's own count of each kind of SCTP object (sock, ep, assoc,
 * transport, chunk, bind_addr, bind_bucket, addr, datamsg, keys), which a
 * kernel built with CONFIG_SCTP_DBG_OBJCNT shows in
 * /proc/net/sctp/sctp_dbg_objcnt. The counts are of the whole kernel, every
 * network namespace: read before and after a case, when nothing else runs,
 * they say exactly what the case left behind.
 */
#ifndef PST_OBJCNT_H
#define PST_OBJCNT_H

#include <stdbool.h>
#include <stddef.h>

#define PST_OBJCNT_PATH	 "/proc/net/sctp/sctp_dbg_objcnt"
#define PST_OBJCNT_KINDS 16 /* the kernel has 10 (6.1, 6.12); room for more */
#define PST_OBJCNT_NAME	 16

struct pst_objcnt {
	int n; /* kinds read */
	char name[PST_OBJCNT_KINDS][PST_OBJCNT_NAME];
	long count[PST_OBJCNT_KINDS];
};

/* The counts in text ("sock: 3\nep: 3\n...", padded lines). 0, or -1: none there. */
int pst_objcnt_parse(const char *text, struct pst_objcnt *c);
/* The counts now (PST_OBJCNT_PATH). 0, or -1 (errno): the kernel has none. */
int pst_objcnt_read(struct pst_objcnt *c);
/* a - b, kind by kind (b's kinds are a's: the same kernel) into *d. */
void pst_objcnt_sub(const struct pst_objcnt *a, const struct pst_objcnt *b, struct pst_objcnt *d);
/* Are they the same, kind by kind? */
bool pst_objcnt_equal(const struct pst_objcnt *a, const struct pst_objcnt *b);
/*
 * What got has beyond want, kind by kind, as "assoc +1, transport +2" (the
 * kinds with more only) into buf. Returns how many kinds had more.
 */
int pst_objcnt_more(const struct pst_objcnt *got, const struct pst_objcnt *want, char *buf,
		    size_t len);

#endif
