/*
 * How a case is declared and what its body may call.
 *
 * Suites are data (as in KUnit): a struct pst_suite holds an array of
 * struct pst_case. A case names the requirement ids it checks, the tags
 * (CVE, fixing commit) of the bug it guards against, what it needs from the
 * target, and the variant axes it is expanded over (address family, entry
 * point): one case is written once and runs as "name/ipv4", "name/ipv6"...
 *
 * Every case runs in its own forked process, inside a topology no other case
 * changed (see PST_NEED_FRESH_TOPOLOGY). In the
 * body, PST_EXPECT_* records a failure and goes on, PST_ASSERT_* stops the
 * case; pst_broken() (setup failed: BROKEN, never FAIL) and pst_skip() stop
 * it with a reason. All of them go through CUnit's assertion API. Nothing
 * recorded is undone by what comes after it: the verdict is the worst of
 * everything the case reported (harness/runner/judge.h).
 *
 * A failure belongs to a check: the one pst_check() named last, or the
 * case's unnamed checks. A waiver (suites/deviations/) excuses one named
 * check, never the unnamed ones and never a safety check.
 */
#ifndef PST_CASE_H
#define PST_CASE_H

#include <errno.h>
#include <netinet/in.h> /* before sctp.h, which defines IPPROTO_SCTP as a macro */
#include <netinet/sctp.h>
#include <stdbool.h>
#include <stddef.h>

#include "topology.h"

/* What a case needs from the target; a missing need gives SKIP, with the reason. */
enum pst_need {
	PST_NEED_IPV6 = 1u << 0,
	PST_NEED_PEELOFF_FLAGS_KERNEL = 1u << 1, /* SCTP_SOCKOPT_PEELOFF_FLAGS, Linux >= 4.13 */
	PST_NEED_FAULT_INJECTION = 1u << 2, /* CONFIG_FAULT_INJECTION: /proc/thread-self/fail-nth */
	/*
	 * Not a SKIP reason: namespaces no earlier case ran in. A reused
	 * topology is as it was built (no endpoint, association, link,
	 * address, route or sysctl changed), but its MIB counters
	 * (/proc/net/sctp/snmp), link statistics and neighbour entries go on
	 * from the earlier cases: a case that reads them as absolute values
	 * needs this (one that compares before and after does not).
	 */
	PST_NEED_FRESH_TOPOLOGY = 1u << 3,
};

/* Variant axes a case expands over. */
enum pst_axis {
	PST_AXIS_FAMILY = 1u << 0, /* ipv4, ipv6 */
	PST_AXIS_ENTRY = 1u << 1,  /* the four ways to peel off, see enum pst_entry */
	/* Only the two that take flags: sctp_peeloff_flags() and SCTP_SOCKOPT_PEELOFF_FLAGS. */
	PST_AXIS_FLAGS_ENTRY = 1u << 2,
};

/* The four ways into the kernel's peeloff: libsctp's two calls and the raw getsockopts. */
enum pst_entry {
	PST_ENTRY_PEELOFF,	 /* libsctp sctp_peeloff() */
	PST_ENTRY_PEELOFF_FLAGS, /* libsctp sctp_peeloff_flags() */
	PST_ENTRY_RAW,		 /* getsockopt(SCTP_SOCKOPT_PEELOFF) */
	PST_ENTRY_RAW_FLAGS,	 /* getsockopt(SCTP_SOCKOPT_PEELOFF_FLAGS) */
	PST_ENTRY_COUNT
};

/*
 * Which documents set the expectations (--profile): the Linux man page plus
 * what Linux is documented to do where the page is silent, the Solaris/illumos
 * page, or only what RFC 6458 promises.
 */
enum pst_profile { PST_PROFILE_LINUX, PST_PROFILE_SOLARIS, PST_PROFILE_RFC6458, PST_PROFILE_COUNT };
const char *pst_profile_name(enum pst_profile p);
/* -1 if name is not a profile. */
int pst_profile_parse(const char *name);

/*
 * The errno each profile documents for one condition. PST_ANY_ERRNO: the
 * profile documents failure but no errno for it (RFC 6458 lists none).
 */
#define PST_ANY_ERRNO (-1)
struct pst_errnos {
	int linux_errno, solaris_errno, rfc_errno;
};

struct pst_ctx;

struct pst_fixture {
	const char *name;
	size_t size; /* bytes of fixture data, zeroed, at ctx->fx */
	void (*setup)(struct pst_ctx *ctx);
	void (*teardown)(struct pst_ctx *ctx);
};

struct pst_case {
	const char *name; /* states the behaviour: "peeloff_closed_fd_gives_EBADF" */
	void (*fn)(struct pst_ctx *ctx);
	const struct pst_fixture *fixture; /* NULL: the bare topology */
	unsigned axes;			   /* enum pst_axis bits */
	unsigned needs;			   /* enum pst_need bits */
	const char *reqs;		   /* requirement ids, space separated */
	const char *tags;		   /* "CVE-2017-15115 linux-git:df80cd9b28b9" */
	/*
	 * The checks pst_check() may name, space separated: "msg_name_refused
	 * safety:nothing_reaches_other_peer ref:assoc_torn_down=REF-EMFILE".
	 * A plain check is a requirement (a sentence of a man page or the RFC:
	 * a miss is FAIL). A "safety:" check (data or an INIT reaching a peer it
	 * must not, a descriptor leaked, another association disturbed) is a
	 * requirement that can never be waived. A "ref:ID=CITATION" check is a
	 * reference behaviour: what a named Linux did where the documents are
	 * silent (the citation, suites/requirements/REFERENCES.md): a miss is
	 * CHANGED, never FAIL.
	 */
	const char *checks;
	/*
	 * The knobs outside the case's namespaces it may change, by path,
	 * NULL-terminated: (const char *const[]){ "/proc/sys/fs/file-max", NULL }.
	 * System-wide sysctls (not /proc/sys/net, which is the netns's), debugfs
	 * knobs (failslab, fail_page_alloc), module parameters. The runner
	 * (harness/runner/globals.h), not the case process, saves each before
	 * the case starts and writes it back after the case ended, however it
	 * ended (a crash, a timeout's SIGKILL, the run interrupted); no other
	 * runner on the kernel runs a case declaring the same knob meanwhile.
	 * The case writes them with pst_global_set(), which refuses (BROKEN) a
	 * path not listed here, and restores none of them itself; a sysctl
	 * outside /proc/sys/net the case process writes without declaring it
	 * is seen by the runner (procwatch.h) and makes the case BROKEN.
	 */
	const char *const *globals;
	const void *param; /* the row, for table-driven cases */
	/*
	 * A case of the peeled socket's one-to-one contract names the operation
	 * it checks ("getsockname", "send with SCTP_EOF"); the matrix's
	 * one-to-one table has one row per operation: the documents (.reqs),
	 * what the peeled socket and the reference one-to-one socket did
	 * (pst_observe()), and the verdict. NULL: not such a case.
	 */
	const char *contract;
};

struct pst_suite {
	const char *name;
	const char *area; /* which part of the documents it covers */
	const struct pst_case *cases;
	size_t ncases;
};

#define PST_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define PST_SUITE(sym, sname, sarea, scases)              \
	const struct pst_suite sym = { .name = (sname),   \
				       .area = (sarea),   \
				       .cases = (scases), \
				       .ncases = PST_ARRAY_SIZE(scases) }

/* What a running case sees. */
struct pst_ctx {
	const struct pst_case *tc;
	const struct pst_topo *topo;
	int family;	      /* AF_INET or AF_INET6 (AF_INET when not a family variant) */
	enum pst_entry entry; /* PST_ENTRY_PEELOFF when not an entry variant */
	enum pst_profile profile;
	const void *param;
	void *fx; /* fixture data */
};

/* Peel off through the case's entry point: the new fd, or -1 with errno. */
int pst_peel(const struct pst_ctx *ctx, int sd, sctp_assoc_t id);
/* The same, with flags (plain sctp_peeloff and raw PEELOFF ignore them). */
int pst_peel_flags(const struct pst_ctx *ctx, int sd, sctp_assoc_t id, unsigned flags);
const char *pst_entry_name(enum pst_entry e);
/*
 * Why a case cannot peel through entry point e under this profile and
 * library (the text of its skip, in buf), or NULL if it can. The runner asks
 * before it starts the case, pst_peel_flags() again at the call.
 */
const char *pst_entry_unavailable(enum pst_profile profile, enum pst_entry e, char *buf,
				  size_t len);

/*
 * The failures recorded from here on belong to check id, which the case
 * declares in .checks (an undeclared id is the case's own bug: BROKEN).
 * NULL: back to the case's unnamed checks.
 */
void pst_check(const struct pst_ctx *ctx, const char *id);

/*
 * Checks the harness makes of every case: all are safety checks. A kernel
 * report (BUG, WARNING, a sanitizer's: kmsg.h) during the case fails
 * no_kernel_report.
 */
#define PST_CHECK_NO_FD_LEAK	   "no_descriptor_leak"
#define PST_CHECK_NO_SCTP_LEAK	   "no_sctp_leak"
#define PST_CHECK_NO_KERNEL_REPORT "no_kernel_report"
#define PST_CHECK_SAFETY	   "safety:"

#define PST_CHECK_REFERENCE "ref:"

enum pst_check_class { PST_CHECK_UNDECLARED, PST_CHECK_PLAIN, PST_CHECK_SAFE, PST_CHECK_REF };
/* What case tc declares id to be (the harness's own checks are safety checks). */
enum pst_check_class pst_check_class(const struct pst_case *tc, const char *id);
/* A reference check's citation ("REF-EMFILE"), into buf; NULL if id is none. */
const char *pst_check_reference(const struct pst_case *tc, const char *id, char *buf, size_t len);

/*
 * Write value into a knob the case declares in .globals (all of it, from
 * offset 0): 0, or -1 with errno. An undeclared path is the case's own bug:
 * BROKEN, nothing written.
 */
int pst_global_set(const struct pst_ctx *ctx, const char *path, const char *value);

/* The errno the run's profile expects. */
int pst_expected_errno(const struct pst_ctx *ctx, struct pst_errnos e);

/* errno as its name: "EBADF"; "0" for success. */
const char *pst_errname(int err);

/* How many descriptors the process has open (for "nothing leaked"); -1 if it cannot tell. */
int pst_count_fds(void);

/*
 * What one side of a one-to-one contract case did, in a few words ("EINVAL",
 * "2 addresses: 10.0.0.1, 10.0.1.1", "POLLIN|POLLOUT"): the matrix's
 * one-to-one table shows it beside the other side's. Also a log line.
 */
enum pst_side_seen { PST_SEEN_PEELED, PST_SEEN_REFERENCE };
/* How the log line begins: the reports read the observations back from the log. */
#define PST_SEEN_PEELED_PREFIX	  "seen on the peeled socket: "
#define PST_SEEN_REFERENCE_PREFIX "seen on the reference one-to-one socket: "
void pst_observe(const struct pst_ctx *ctx, enum pst_side_seen side, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A line in the case's own log (JUnit system-out). */
void pst_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Record a failure (through CUnit); fatal ones end the case. */
void pst_fail_at(const char *file, int line, bool fatal, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* End the case as SKIP / BROKEN, with the reason. */
_Noreturn void pst_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void pst_broken_at(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
#define pst_broken(...) pst_broken_at(__FILE__, __LINE__, __VA_ARGS__)

/* Checks on a call that must fail with one errno: "expected EBADF, got EINVAL". */
bool pst_check_errno_at(const char *file, int line, bool fatal, const char *what, long ret, int err,
			int expected);
#define PST_EXPECT_ERRNO(call, exp)                                                         \
	({                                                                                  \
		errno = 0;                                                                  \
		long pst_r_ = (long)(call);                                                 \
		pst_check_errno_at(__FILE__, __LINE__, false, #call, pst_r_, errno, (exp)); \
	})
#define PST_ASSERT_ERRNO(call, exp)                                                        \
	({                                                                                 \
		errno = 0;                                                                 \
		long pst_r_ = (long)(call);                                                \
		pst_check_errno_at(__FILE__, __LINE__, true, #call, pst_r_, errno, (exp)); \
	})

/* Checks on a call that must succeed (return >= 0). Returns the value. */
long pst_check_ok_at(const char *file, int line, bool fatal, const char *what, long ret, int err);
#define PST_EXPECT_OK(call)                                                       \
	({                                                                        \
		errno = 0;                                                        \
		long pst_r_ = (long)(call);                                       \
		pst_check_ok_at(__FILE__, __LINE__, false, #call, pst_r_, errno); \
	})
#define PST_ASSERT_OK(call)                                                      \
	({                                                                       \
		errno = 0;                                                       \
		long pst_r_ = (long)(call);                                      \
		pst_check_ok_at(__FILE__, __LINE__, true, #call, pst_r_, errno); \
	})

/* Setup steps: a failure is BROKEN, not FAIL (LTP's SAFE_* macros). */
#define PST_SAFE(call)                                                                          \
	({                                                                                      \
		errno = 0;                                                                      \
		long pst_r_ = (long)(call);                                                     \
		if (pst_r_ < 0)                                                                 \
			pst_broken_at(__FILE__, __LINE__, "%s: %s", #call, pst_errname(errno)); \
		pst_r_;                                                                         \
	})

/* Integer comparison with both values in the message. */
#define PST_EXPECT_EQ(actual, expected, what)                                                 \
	do {                                                                                  \
		long long pst_a_ = (long long)(actual), pst_e_ = (long long)(expected);       \
		if (pst_a_ != pst_e_)                                                         \
			pst_fail_at(__FILE__, __LINE__, false, "%s: expected %lld, got %lld", \
				    (what), pst_e_, pst_a_);                                  \
	} while (0)
#define PST_EXPECT(cond, ...)                                                \
	do {                                                                 \
		if (!(cond))                                                 \
			pst_fail_at(__FILE__, __LINE__, false, __VA_ARGS__); \
	} while (0)
#define PST_ASSERT(cond, ...)                                               \
	do {                                                                \
		if (!(cond))                                                \
			pst_fail_at(__FILE__, __LINE__, true, __VA_ARGS__); \
	} while (0)

#endif
