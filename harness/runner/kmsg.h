/*
 * The kernel's log during each case (/dev/kmsg, in the guest or on the
 * host): every line goes to the case's log, and a kernel report (BUG, Oops,
 * WARNING, KASAN, UBSAN, lockdep, refcount) makes the case an ERROR even if
 * its assertions passed.
 */
#ifndef PST_KMSG_H
#define PST_KMSG_H

#include <stdbool.h>

struct pst_kmsg {
	int fd; /* -1: no kernel log to read (then nothing is checked, and the run says so) */
};

/* Open /dev/kmsg positioned at its end. 0, or -1 (errno) with k->fd = -1. */
int pst_kmsg_open(struct pst_kmsg *k);
/* Skip what is there now: the next collect sees only what comes after. */
void pst_kmsg_skip(struct pst_kmsg *k);
/*
 * Read what the kernel logged since the last call: *lines (malloc'd, "kernel:
 * <text>" per line, or NULL) and *first_report (malloc'd, the first report
 * line, or NULL). Returns how many report lines there were.
 */
int pst_kmsg_collect(struct pst_kmsg *k, char **lines, char **first_report);
void pst_kmsg_close(struct pst_kmsg *k);
/* Is this log text a kernel report that must fail the case? */
bool pst_kmsg_is_report(const char *text);

#endif
