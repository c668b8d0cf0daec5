/* Verdicts and per-case results shared by the runner and the report writers. */
#ifndef PST_RESULT_H
#define PST_RESULT_H

#include <stddef.h>

/*
 * PASS/FAIL speak only about the behaviour under test. BROKEN is a setup
 * failure (LTP's TBROK), ERROR a crash or a timeout of the case process:
 * neither says anything about the implementation, both fail the run.
 * CHANGED: every requirement held, but a reference behaviour (what a named
 * Linux did where the documents are silent) differs: a change to report,
 * which fails the run only under the default gate (exit 4, --gate).
 */
enum pst_verdict {
	PST_PASS,
	PST_FAIL,
	PST_SKIP,
	PST_XFAIL, /* failed, and an expected-deviation entry covers it */
	PST_XPASS, /* passed, although an expected-deviation entry says it fails */
	PST_BROKEN,
	PST_ERROR,
	PST_CHANGED,
	PST_VERDICT_COUNT
};

const char *pst_verdict_name(enum pst_verdict v);
/* The verdict a name (as pst_verdict_name gives it) stands for, or -1. */
int pst_verdict_parse(const char *name);
/* Does this verdict make the run a conformance failure (exit status 1)? */
int pst_verdict_fails_run(enum pst_verdict v);
/* Does it fail the run under the gate: a requirement failed, or (changes_fail) CHANGED? */
int pst_verdict_fails_gate(enum pst_verdict v, int changes_fail);

struct pst_result {
	const char *suite; /* CUnit suite name: JUnit classname */
	const char *name;  /* case name (with its variant): JUnit name */
	enum pst_verdict verdict;
	double seconds;
	/* when it started, seconds since the epoch (0: unknown): a suite's wall time */
	double started;
	const char *message; /* one line: "expected EBADF, got EINVAL" / skip reason */
	const char *detail;  /* every failure record, one per line, or NULL */
	const char *log;     /* the case's own log (system-out), or NULL */
	const char *reqs;    /* requirement ids, space separated, or NULL */
	const char *tags;    /* "CVE-2017-15115 linux-git:df80cd9b28b9", or NULL */
	int accepted;	     /* a failure a gate accepted (--accept-failures): fails no run */
	/* a failing (FAIL, CHANGED) case whose tags name a bug of suites/known-bugs.tsv:
	 * "known bug, fixed by COMMIT (SUBJECT; in RELEASES)" (known.h), shown wherever
	 * its failure is; else NULL */
	const char *known;
};

/* How an accepted failure's message begins, in every report (results.tsv included). */
#define PST_ACCEPTED_PREFIX "accepted (the baseline failed it too, --gate new-failures): "

/*
 * The run's closing figures: what the terminal summary prints, index.html puts
 * on top and the runner exits with, computed once (runner.c) so they agree.
 */
struct pst_tally {
	unsigned passed, failed, skipped; /* the closing line: "conformance: P passed, ..." */
	unsigned accepted;		  /* failures a gate accepted (counted as skipped) */
	unsigned flaky;			  /* cases whose verdict changed between repetitions */
	unsigned changed;		  /* CHANGED cases */
	int status;			  /* the exit status: 0, 1 a requirement failed, 4 */
};

/* What names the run in every report. */
struct pst_run_info {
	const char *hostname;
	const char *timestamp; /* ISO 8601, UTC */
	const char *kernel;    /* uname -r of the kernel under test */
	const char *target;    /* host | uml | qemu */
	const char *accel;     /* qemu: "kvm: why" or "tcg: why"; NULL on other targets */
	const char *profile;
	const char *libsctp;	   /* path of the libsctp under test */
	const char *libsctp_flags; /* where its sctp_peeloff_flags came from (iut.h), or NULL */
	const char *suite_version;
	const char *shuffle_seed;      /* NULL: the cases ran in their declared order */
	int changes_fail;	       /* the gate: a CHANGED case fails the run (--gate changes) */
	const struct pst_tally *tally; /* the closing figures (NULL: not known) */
};

#endif
