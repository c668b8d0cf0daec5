/* The kernel log window of a case: see kmsg.h. */
#include "kmsg.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#define KMSG_RECORD_MAX 8192	      /* a /dev/kmsg read returns one record, at most this long */
#define KMEMLEAK_MAX	(1024 * 1024) /* kmemleak's list read at most: thousands of objects */

/*
 * A report line this close after another report line is the same report's
 * (lockdep's "DEBUG_LOCKS_WARN_ON" and the WARNING it prints, say); so is the
 * WARNING of the checkers that WARN after their own lines (refcount_t, ODEBUG,
 * list corruption, ref_tracker's list of holders) within KREPORT_LOOK lines.
 */
#define KREPORT_JOIN   3
#define KREPORT_FOLLOW 3   /* telling lines after the first that the summary takes */
#define KREPORT_LOOK   80  /* lines looked through for them (UML prints every "?" frame) */
#define KREPORT_MAX    480 /* the summary's length at most: it is one line of a message */

/*
 * What kernel reports start with, as the kernel prints them, and the kind
 * each is: the sanitizers' own first, then the generic BUG/WARNING they (or
 * the WARN they call) print too. A mark is matched anywhere in the line but
 * an anchored one only at its start.
 */
static const struct {
	const char *mark;
	const char *kind;
	bool anchored;
} report_marks[] = {
	{ "KASAN:", "KASAN", false },
	{ "possible circular locking dependency detected", "lockdep", false },
	{ "possible recursive locking detected", "lockdep", false },
	{ "inconsistent lock state", "lockdep", false },
	{ "possible irq lock inversion dependency detected", "lockdep", false },
	{ "lock order detected", "lockdep", false }, /* HARDIRQ-safe -> -unsafe, ... */
	{ "bad unlock balance detected", "lockdep", false },
	{ "held lock freed", "lockdep", false },
	{ "lock held when returning to user space", "lockdep", false },
	{ "still has locks held", "lockdep", false },
	{ "Nested lock was not taken", "lockdep", false },
	{ "trying to register non-static key", "lockdep", false },
	{ "DEBUG_LOCKS_WARN_ON", "lockdep", false },
	{ "BUG: MAX_LOCK", "lockdep", false }, /* its tables ran out: it stops checking */
	{ "suspicious RCU usage", "lockdep (RCU)", false },
	{ "ODEBUG:", "ODEBUG", false },
	{ "refcount_t:", "refcount_t", false },
	{ "list_add corruption", "list corruption", false },
	{ "list_add double add", "list corruption", false },
	{ "list_del corruption", "list corruption", false },
	/* (not its "N new suspected memory leaks" line: the list it sums up is read) */
	{ "unreferenced object 0x", "kmemleak", false },
	{ "ref_tracker:", "ref_tracker", false },
	{ "reference already released", "ref_tracker", false },
	{ "unregister_netdevice: waiting for", "netdev refcount", false },
	{ "UBSAN:", "UBSAN", false },
	{ "detected stall", "RCU stall", false },
	{ "blocked for more than", "hung task", false },
	{ "general protection fault", "Oops", false },
	{ "Kernel panic", "panic", false },
	{ "kernel BUG at", "BUG", false },
	{ "BUG:", "BUG", false },
	{ "BUG ", "SLUB", true }, /* "BUG kmalloc-64 (Not tainted): Object already free" */
	{ "Oops", "Oops", false },
	{ "WARNING:", "WARNING", false },
};

const char *pst_kmsg_report_kind(const char *text)
{
	for (size_t i = 0; i < sizeof(report_marks) / sizeof(report_marks[0]); i++) {
		const char *m = report_marks[i].mark;

		if (report_marks[i].anchored ? strncmp(text, m, strlen(m)) == 0
					     : strstr(text, m) != NULL)
			return report_marks[i].kind;
	}
	return NULL;
}

bool pst_kmsg_is_report(const char *text)
{
	return pst_kmsg_report_kind(text) != NULL;
}

/* Lines of a report that tell nothing of the bug: its frame, the machine, the dump. */
static const char *const dull_starts[] = {
	"CPU: ",
	"Hardware name",
	"Call Trace",
	"Stack:",
	"Modules linked in",
	"RIP:",
	"Code:",
	"hex dump",
	"backtrace",
	"Tainted:",
	"<TASK>",
	"</TASK>",
	"Memory state around",
	"The buggy address",
	"Allocated",
	"Freed",
	"Last potentially",
	"other info that might help",
	"but task is already holding",
};

/* Frames of the reporting machinery itself: the bug is in the caller. */
static const char *const machinery[] = {
	"dump_stack",
	"show_stack",
	"print_report",
	"print_address_description",
	"kasan_",
	"__kasan",
	"__asan_",
	"report_bug",
	"__warn",
	"warn_slowpath",
	"refcount_warn",
	"debug_print_object",
	"__list_add_valid",
	"__list_del_entry_valid",
	"kmemleak_",
	"kmem_cache_alloc",
	"__kmem_cache_alloc",
	"kmalloc",
	"__kmalloc",
	"slab_",
	"lockdep_",
	"print_",
	"panic",
	"die",
	"debug_check",
	"save_stack_trace",
	"stack_trace_save",
	"set_track",
	"__create_object",
	"create_object",
	"__kmem_cache_alloc",
};

/* Where those checkers WARN from ("WARNING: CPU: 0 PID: 61 at lib/refcount.c:28 ..."). */
static const char *const checker_files[] = {
	" at lib/refcount.c:",
	" at lib/debugobjects.c:",
	" at lib/list_debug.c:",
	" at lib/ref_tracker.c:",
};

static bool starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool checker_warning(const char *s)
{
	if (!strstr(s, "WARNING:"))
		return false;
	for (size_t i = 0; i < sizeof(checker_files) / sizeof(checker_files[0]); i++)
		if (strstr(s, checker_files[i]))
			return true;
	return false;
}

static bool hex_byte_then_space(const char *s)
{
	return isxdigit((unsigned char)s[0]) && isxdigit((unsigned char)s[1]) && s[2] == ' ';
}

/*
 * A separator (==== or ----) or a dump: nothing but hex words and spaces
 * (a stack), bytes ("00 00 5e 00  ..^." kmemleak's), or an address and a
 * colon first (">ffff888006a3ef00: fc fc 00", KASAN's shadow).
 */
static bool filler(const char *s)
{
	bool hex_only = true;
	size_t n = strlen(s), digits;

	if (n == 0 || strspn(s, "=") == n || strspn(s, "-") == n)
		return true;
	for (const char *p = s; *p && hex_only; p++)
		hex_only = isxdigit((unsigned char)*p) || *p == ' ';
	if (hex_only || (hex_byte_then_space(s) && hex_byte_then_space(s + 3)))
		return true;
	s += *s == '>';
	digits = strspn(s, "0123456789abcdefABCDEF");
	return digits >= sizeof(unsigned) * 2 && s[digits] == ':';
}

/*
 * The part of a line worth a place in the summary, or NULL: a frame
 * " [<6003ab12>] sctp_sock_migrate+0x1a/0x2b0" gives "sctp_sock_migrate+0x1a/0x2b0";
 * unreliable frames ("? name") and the reporting machinery's give nothing.
 */
static const char *telling(const char *line)
{
	const char *s = line + strspn(line, " \t");

	if (starts(s, "[<")) {
		const char *e = strstr(s, ">]");

		if (!e)
			return NULL;
		s = e + 2;
		s += strspn(s, " ");
		if (starts(s, "? "))
			return NULL;
		for (size_t i = 0; i < sizeof(machinery) / sizeof(machinery[0]); i++)
			if (starts(s, machinery[i]))
				return NULL;
		return *s ? s : NULL;
	}
	if (filler(s) || strstr(s, "Not tainted") || strstr(s, "Tainted: ") || checker_warning(s))
		return NULL;
	for (size_t i = 0; i < sizeof(dull_starts) / sizeof(dull_starts[0]); i++)
		if (starts(s, dull_starts[i]))
			return NULL;
	/* a frame printed without its address (lockdep's, x86's): "  func+0x1/0x2" */
	if (s != line && strstr(s, "+0x") && !strchr(s, ' ')) {
		for (size_t i = 0; i < sizeof(machinery) / sizeof(machinery[0]); i++)
			if (starts(s, machinery[i]))
				return NULL;
	}
	return s;
}

void pst_kreport_init(struct pst_kreport *r)
{
	memset(r, 0, sizeof(*r));
	r->since = -1;
}

void pst_kreport_free(struct pst_kreport *r)
{
	free(r->summary);
	pst_kreport_init(r);
}

static void summary_add(struct pst_kreport *r, const char *sep, const char *text)
{
	size_t n = strlen(sep) + strlen(text);
	char *nb;

	if (r->len + n > KREPORT_MAX)
		n = KREPORT_MAX > r->len ? KREPORT_MAX - r->len : 0;
	if (n == 0 || !(nb = realloc(r->summary, r->len + n + 1)))
		return;
	r->summary = nb;
	r->len += (size_t)snprintf(nb + r->len, n + 1, "%s%s", sep, text);
}

/*
 * The summary's first part: "KIND: line" (the kind left out when the line
 * says it, as "BUG: KASAN: ..." does), in place of the one there if any.
 */
static void summary_lead(struct pst_kreport *r, const char *kind, const char *text)
{
	const char *rest = r->summary ? strstr(r->summary, " | ") : NULL;
	char *old = r->summary;

	r->summary = NULL;
	r->len = 0;
	r->generic = false;
	if (!strstr(text, kind))
		summary_add(r, kind, ": ");
	summary_add(r, "", text + strspn(text, " \t"));
	if (rest)
		summary_add(r, "", rest);
	free(old);
}

void pst_kreport_line(struct pst_kreport *r, const char *text)
{
	const char *kind = pst_kmsg_report_kind(text);
	const char *t;

	if (kind) {
		bool joins = r->since >= 0 && (r->since <= KREPORT_JOIN ||
					       (r->since <= KREPORT_LOOK && checker_warning(text)));

		if (!joins) {
			r->count++;
			if (r->summary)
				r->wanted = 0; /* the summary is of the first report only */
		}
		r->since = 0;
		if (joins && r->count == 1 && r->generic && strcmp(kind, "WARNING") != 0) {
			/*
			 * The checker's own line after its WARN (UML prints the WARNING
			 * first): it names the report, in place of the WARNING line.
			 */
			summary_lead(r, kind, text);
			return;
		}
		if (!r->summary) {
			summary_lead(r, kind, text);
			r->generic = strcmp(kind, "WARNING") == 0;
			r->wanted = KREPORT_FOLLOW;
			r->looked = 0;
			return;
		}
	} else if (r->since >= 0) {
		r->since++;
	}
	if (!r->summary || r->wanted <= 0 || ++r->looked > KREPORT_LOOK)
		return;
	t = telling(text);
	if (t) {
		summary_add(r, " | ", t);
		r->wanted--;
	}
}

static void append(char **buf, size_t *len, const char *prefix, const char *text, size_t n)
{
	char *nb = realloc(*buf, *len + strlen(prefix) + n + 2);

	if (!nb)
		return;
	*buf = nb;
	*len += (size_t)sprintf(nb + *len, "%s%.*s\n", prefix, (int)n, text);
}

/* Tell kmemleak what to do ("scan", "clear"). 0, or -1 (errno). */
static int kmemleak_do(int fd, const char *what)
{
	return write(fd, what, strlen(what)) == (ssize_t)strlen(what) ? 0 : -1;
}

int pst_kmsg_open(struct pst_kmsg *k, bool mount_debugfs)
{
	const char *want = getenv("PST_KMEMLEAK");
	bool off = want && strcmp(want, "0") == 0; /* no leak scans, asked for */
	char *lines, *first;

	/* (debugfs may be there already: then this fails, harmlessly) */
	if (!off && mount_debugfs && access(PST_KMEMLEAK, F_OK) != 0)
		mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
	k->leak_fd = off ? -1 : open(PST_KMEMLEAK, O_RDWR | O_CLOEXEC);
	/* What boot left unreferenced is no case's. */
	if (k->leak_fd >= 0 && pst_kmsg_leaks(k, &lines, &first) >= 0) {
		free(lines);
		free(first);
	}
	k->fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (k->fd < 0)
		return -1;
	lseek(k->fd, 0, SEEK_END);
	return 0;
}

/* kmemleak's list, whole (NUL-terminated, malloc'd), or NULL; at most KMEMLEAK_MAX bytes. */
static char *kmemleak_text(int fd)
{
	size_t len = 0, cap = KMSG_RECORD_MAX;
	char *text = malloc(cap), *nt;
	ssize_t n;

	if (!text || lseek(fd, 0, SEEK_SET) < 0) {
		free(text);
		return NULL;
	}
	while ((n = read(fd, text + len, cap - 1 - len)) > 0) {
		len += (size_t)n;
		if (len + 1 < cap)
			continue;
		if (cap >= KMEMLEAK_MAX || !(nt = realloc(text, cap * 2)))
			break; /* what was read is enough to say so */
		text = nt;
		cap *= 2;
	}
	text[len] = '\0';
	return text;
}

int pst_kmsg_leaks(struct pst_kmsg *k, char **lines, char **first_report)
{
	struct pst_kreport r;
	size_t len = 0;
	char *text, *p;

	*lines = NULL;
	*first_report = NULL;
	if (k->leak_fd < 0)
		return 0;
	if (kmemleak_do(k->leak_fd, "scan") < 0 || !(text = kmemleak_text(k->leak_fd))) {
		/* kmemleak turned itself off (out of its pool, or after a bug of its own) */
		close(k->leak_fd);
		k->leak_fd = -1;
		return 0;
	}
	pst_kreport_init(&r);
	for (p = text; *p;) {
		char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		if (nl)
			*nl = '\0';
		append(lines, &len, "kmemleak: ", p, n);
		pst_kreport_line(&r, p);
		p = nl ? nl + 1 : p + n;
	}
	free(text);
	kmemleak_do(k->leak_fd, "clear");
	*first_report = r.summary;
	return r.count;
}

int pst_kmsg_collect(struct pst_kmsg *k, char **lines, char **first_report)
{
	char rec[KMSG_RECORD_MAX];
	size_t len = 0;
	struct pst_kreport r;

	*lines = NULL;
	*first_report = NULL;
	if (k->fd < 0)
		return 0;
	pst_kreport_init(&r);
	for (;;) {
		ssize_t n = read(k->fd, rec, sizeof(rec) - 1);
		char *text, *end;

		if (n < 0 && errno == EPIPE)
			continue; /* records were overwritten before we read them: go on */
		if (n <= 0)
			break;
		rec[n] = '\0';
		/* "prio,seq,usec,flags;text\n" then " KEY=value" continuation lines */
		text = strchr(rec, ';');
		text = text ? text + 1 : rec;
		end = strchr(text, '\n');
		if (end)
			*end = '\0';
		append(lines, &len, "kernel: ", text, strlen(text));
		pst_kreport_line(&r, text);
	}
	*first_report = r.summary;
	return r.count;
}

void pst_kmsg_close(struct pst_kmsg *k)
{
	if (k->fd >= 0)
		close(k->fd);
	if (k->leak_fd >= 0)
		close(k->leak_fd);
	k->fd = -1;
	k->leak_fd = -1;
}
