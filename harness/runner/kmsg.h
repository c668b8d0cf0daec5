/*
 * The kernel's log during each case (/dev/kmsg, in the guest or on the
 * host): every line goes to the case's log, and a kernel report (BUG, Oops,
 * WARNING, and each sanitizer's: KASAN, lockdep, ODEBUG, refcount_t, list
 * corruption, UBSAN, ...) fails the case whatever its assertions said (the
 * harness's safety check no_kernel_report). kmemleak's list is read apart,
 * once after the run (pst_kmsg_leaks(), runner.c).
 */
#ifndef PST_KMSG_H
#define PST_KMSG_H

#include <stdbool.h>
#include <stddef.h>

struct pst_kmsg {
	int fd; /* -1: no kernel log to read (then nothing is checked, and the run says so) */
	/* /sys/kernel/debug/kmemleak of a kernel that has kmemleak (CONFIG_DEBUG_KMEMLEAK), or -1
	 */
	int leak_fd;
};

#define PST_KMEMLEAK "/sys/kernel/debug/kmemleak"

/*
 * The reports in a stream of kernel log lines, fed one at a time: how many,
 * and the first one summed up for a failure message, "KIND: first line |
 * the next telling lines" (without "KIND: " when the line names it, as
 * "BUG: KASAN: ..." does), where KIND names the sanitizer or the kind of
 * report ("KASAN", "lockdep", "ODEBUG", "refcount_t", "list corruption",
 * "kmemleak", ..., "WARNING", "BUG"). Lines of one report (the WARNING that
 * follows "refcount_t: underflow") count once.
 */
struct pst_kreport {
	int count;
	char *summary; /* malloc'd, or NULL: no report yet */
	/* the scanner's own state */
	int since;    /* lines since the last report line; -1: none yet */
	int wanted;   /* lines the summary still takes */
	int looked;   /* lines looked at for the summary since its first */
	bool generic; /* the summary's kind is WARNING: a checker's own line may follow */
	size_t len;
};

void pst_kreport_init(struct pst_kreport *r);
void pst_kreport_line(struct pst_kreport *r, const char *text);
void pst_kreport_free(struct pst_kreport *r);

/*
 * Open /dev/kmsg positioned at its end. 0, or -1 (errno) with k->fd = -1.
 * And kmemleak when the kernel has it (mounting debugfs first when mount is
 * true: only in a disposable guest), its earlier findings (boot's) set aside;
 * not with PST_KMEMLEAK=0 (a scan costs about a second under UML: a faster
 * run without leak scans).
 */
int pst_kmsg_open(struct pst_kmsg *k, bool mount);
/*
 * Read what the kernel logged since the last call: *lines (malloc'd, "kernel:
 * <text>" per line, or NULL) and *first_report (malloc'd, the first report's
 * summary as struct pst_kreport gives it, or NULL). Returns how many reports
 * there were.
 */
int pst_kmsg_collect(struct pst_kmsg *k, char **lines, char **first_report);
/*
 * kmemleak's findings now: a scan of the kernel's memory, then its list of
 * unreferenced objects, which is then cleared (each is said once). Like
 * pst_kmsg_collect: *lines ("kmemleak: <text>" per line) and *first_report,
 * and how many objects. 0 and NULLs without kmemleak.
 */
int pst_kmsg_leaks(struct pst_kmsg *k, char **lines, char **first_report);
void pst_kmsg_close(struct pst_kmsg *k);
/* Which kind of kernel report this log line starts ("KASAN", ...), or NULL: none. */
const char *pst_kmsg_report_kind(const char *text);
/* Is this log text a kernel report that must fail the case? */
bool pst_kmsg_is_report(const char *text);

#endif
