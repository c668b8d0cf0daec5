/* Command-line options of the runner (run.sh passes everything through here to be checked). */
#ifndef PST_OPTIONS_H
#define PST_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#define PST_DEFAULT_TIMEOUT_S 10
#define PST_MAX_TIMEOUT_S     3600
#define PST_MAX_JOBS	      16
#define PST_MAX_REPEAT	      1000

enum pst_target { PST_TARGET_AUTO, PST_TARGET_HOST, PST_TARGET_UML, PST_TARGET_QEMU };

struct pst_opts {
	enum pst_target target;
	const char *kernel;    /* --kernel PATH: another UML build, or a kernel for QEMU */
	const char *modules;   /* --modules DIR: its modules */
	const char *deb;       /* --kernel-deb FILE: a linux-image-*.deb for QEMU */
	const char *libsctp;   /* --libsctp PATH */
	const char *libsctp_a; /* --libsctp-archive PATH: libsctp.a's code as a .so (iut.h) */
	const char *suite;     /* --suite NAME */
	const char *case_glob; /* --case GLOB */
	const char *reports;   /* --reports DIR (default reports) */
	const char *profile;   /* --profile NAME (default linux) */
	const char *journal;   /* --journal FILE: record progress, to resume after a kernel death */
	unsigned timeout_s;    /* --timeout S */
	unsigned jobs;	       /* --jobs N|auto: N processes (host target) or guests side by side */
	unsigned shard;	       /* --shard K/N: run only the cases i with i % N == K */
	unsigned shards;
	const char *collect; /* --collect J,...: reports from these journals, no case run */
	const char *claims; /* --claims DIR: with --shard, run the cases claimed first (claims.h) */
	unsigned repeat;    /* --repeat N: run every case N times, report verdict changes */
	bool shuffle;	    /* --shuffle SEED: run the cases in a random order */
	unsigned long seed;
	bool list;	      /* --list */
	bool coverage;	      /* --coverage: run.sh builds with gcov and writes lcov reports */
	bool kernel_coverage; /* --kernel-coverage: run.sh runs kernel/coverage.sh */
	bool check_reqs;      /* --check-requirements: the catalogue check, then exit */
	bool selftest;	      /* --selftest: the harness's own self-test cases instead */
	bool resume;	      /* --resume: continue the run recorded in --journal */
	bool strict_waivers;  /* --strict-waivers: a stale waiver fails the run (XPASS) */
	bool changes_pass;    /* --gate requirements: a CHANGED case does not fail the run */
	const char *accept; /* --accept-failures FILE: failing cases a gate accepted (suite/case) */
	bool header;	    /* --header: print the run's header line and exit (run.sh) */
	bool quiet;	    /* --quiet: the header, the failures and the summary only */
	bool help;	    /* --help */
	bool probe;	    /* --probe: can the running kernel make an SCTP socket? */
};

/*
 * Parse argv (argv[0] is the program). Returns 0, or -1 with one clear
 * message in err (usage error: exit status 2). Only reads argv.
 */
int pst_opts_parse(int argc, char *const argv[], struct pst_opts *o, char *err, size_t errlen);
const char *pst_target_name(enum pst_target t);
/* The --help text. */
extern const char pst_usage[];

#endif
