/*
 * The conformance runner: runs inside the target (the host kernel, or the
 * UML guest's kernel), one forked process per case, in a topology no other
 * case changed. CUnit is
 * the registry and the assertion API; the verdicts, the terminal lines and
 * the reports are ours.
 *
 * Exit status: 0 every case passed (expected deviations allowed), 1 a
 * conformance failure, 2 usage error or missing dependency, 3 the target
 * could not run, 4 every requirement held but a reference behaviour changed
 * (with the default --gate changes), 130 interrupted.
 */
#include <CUnit/CUnit.h>
#include <CUnit/TestRun.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../suites/suites.h"
#include "citations.h"
#include "claims.h"
#include "deviations.h"
#include "exec.h"
#include "globals.h"
#include "html.h"
#include "iut.h"
#include "journal.h"
#include "judge.h"
#include "known.h"
#include "matrix.h"
#include "objcnt.h"
#include "requirements.h"
#include "junit.h"
#include "ktap.h"
#include "manifest.h"
#include "textout.h"
#include "options.h"
#include "registry.h"
#include "result.h"
#include "topology.h"
#include "warmup.h"

enum {
	EXIT_CONFORMANCE = 1,
	EXIT_USAGE = 2,
	EXIT_TARGET = 3,
	EXIT_CHANGED = 4, /* every requirement held, a reference behaviour changed */
	EXIT_INTERRUPTED = 130
};

#define PST_NS_TAG	   "pst" /* namespace names: pst<runner pid>-<case index>-client */
#define PST_DEVIATIONS_DIR "suites/deviations"
/* the self-test cases' own waivers (a waived check, an unrelated failure, a stale entry) */
#define PST_SELFTEST_DEVIATIONS_DIR "tests/selftest-deviations"
#define PST_REQUIREMENTS_DIR	    "suites/requirements"
#define PST_REFERENCES_MD	    PST_REQUIREMENTS_DIR "/" PST_REFERENCES_NAME
#define PST_EXPECTED_DIR	    "tests/expected" /* differences between profiles (profile_check.sh) */
#define PST_KNOWN_BUGS		    "suites/known-bugs.tsv" /* the known kernel bugs, by fixing commit */

static struct {
	struct pst_opts opts;
	struct pst_instance *inst;
	int ninst;
	CU_pTest *cu_tests; /* cu_tests[i] runs inst[i] */
	struct pst_result *results;
	struct pst_outcome *outcomes;
	int nresults;
	int *order;		 /* run order of the instances in this repetition */
	unsigned rep;		 /* which repetition is running (0 first) */
	unsigned char *verdicts; /* verdicts[rep * ninst + i], for the flake report */
	unsigned rep_failed;	 /* run-failing verdicts in this repetition (CUnit cross-check) */
	/*
	 * This process runs the cases i with i % stride == shard (--shard), or
	 * those it claims first (--jobs workers, --shard with --claims).
	 */
	unsigned shard, stride;
	struct pst_claims claims;
	struct pst_deviations deviations;
	struct pst_known known; /* the known-bugs catalogue: a failure that is one says so */
	struct pst_judge_cfg judge;
	struct pst_tally tally; /* the closing figures, once every case is judged */
	struct utsname uts;	/* the kernel under test, as the waivers' ranges read it */
	char libsctp_version[64];
	struct pst_journal journal, resumed; /* this run's, and the dead run's it continues */
	struct pst_exec_cfg exec;
	struct pst_kmsg kmsg;
	char ns_prefix[32];
	bool have_ipv6;
	bool have_peeloff_flags;   /* the kernel knows SCTP_SOCKOPT_PEELOFF_FLAGS (Linux >= 4.13) */
	bool have_fault_injection; /* CONFIG_FAULT_INJECTION: per-task fail-nth */
	unsigned counts[PST_VERDICT_COUNT];
	char iut_error[640]; /* why the libsctp under test cannot be used, or "" */
	char **accepted;     /* --accept-failures: "suite/case" of each failure a gate accepted */
	size_t naccepted;
	char skip_text[512]; /* skip_reason()'s composed texts */
} run;

static int die(int status, const char *fmt, const char *arg);

static bool sctp_socket_works(int family)
{
	int fd = socket(family, SOCK_SEQPACKET, IPPROTO_SCTP);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

/* Does the kernel know SCTP_SOCKOPT_PEELOFF_FLAGS? Older ones say ENOPROTOOPT. */
static bool kernel_has_peeloff_flags(void)
{
	sctp_peeloff_flags_arg_t arg = { .p_arg = { .associd = 0 } };
	socklen_t len = sizeof(arg);
	int fd = socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP);
	bool known;

	if (fd < 0)
		return false;
	/* id 0 is never peelable: EINVAL from a kernel that knows the option */
	known = getsockopt(fd, SOL_SCTP, SCTP_SOCKOPT_PEELOFF_FLAGS, &arg, &len) == 0 ||
		errno != ENOPROTOOPT;
	close(fd);
	return known;
}

static const char *skip_reason(const struct pst_instance *in)
{
	if ((in->tc->needs & PST_NEED_IPV6) && !run.have_ipv6)
		return "needs IPv6 SCTP, which the target lacks";
	if ((in->tc->needs & PST_NEED_PEELOFF_FLAGS_KERNEL) && !run.have_peeloff_flags)
		return "needs SCTP_SOCKOPT_PEELOFF_FLAGS (Linux 4.13): the kernel answers "
		       "ENOPROTOOPT";
	if ((in->tc->needs & PST_NEED_FAULT_INJECTION) && !run.have_fault_injection)
		return "needs the kernel's fault injection (CONFIG_FAULT_INJECTION, "
		       "CONFIG_FAILSLAB): "
		       "no /proc/thread-self/fail-nth; kernel/build.sh builds a kernel with it";
	if (in->family == AF_INET6 && !run.have_ipv6)
		return "the target has no IPv6 SCTP (socket(AF_INET6, SOCK_SEQPACKET, "
		       "IPPROTO_SCTP) "
		       "failed)";
	/*
	 * An entry variant that would skip at its first peel (pst_peel_flags), after
	 * building its topology and associations for nothing: skipped here, same text.
	 */
	if (in->tc->axes & (PST_AXIS_ENTRY | PST_AXIS_FLAGS_ENTRY))
		return pst_entry_unavailable(run.exec.profile, in->entry, run.skip_text,
					     sizeof(run.skip_text));
	return NULL;
}

static int instance_of(CU_pTest t)
{
	for (int i = 0; i < run.ninst; i++)
		if (run.cu_tests[i] == t)
			return i;
	return -1;
}

/* The verdict of a case that ran (or was skipped before it started), waivers applied. */
static void judge(const struct pst_instance *in, struct pst_outcome *o)
{
	char full[256];

	snprintf(full, sizeof(full), "%s/%s", in->suite->name, in->name);
	pst_judge(o, in->tc, full, &run.judge);
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* A case's outcome as a journal recorded it; ERROR with why if it never finished. */
static void outcome_from(const struct pst_journal_entry *e, struct pst_outcome *o,
			 const char *why_unfinished)
{
	memset(o, 0, sizeof(*o));
	if (e && e->finished) {
		o->verdict = e->r.verdict;
		o->seconds = e->r.seconds;
		o->started = e->r.started;
		o->message = dup_or_null(e->r.message);
		o->detail = dup_or_null(e->r.detail);
		o->log = dup_or_null(e->r.log);
	} else {
		o->verdict = PST_ERROR;
		o->message = strdup(why_unfinished);
	}
}

/* How the ERROR of a case the kernel died during begins. */
#define KERNEL_DIED "the kernel under test died"

/*
 * A case the dead run already finished keeps its result; the one it was
 * running when the kernel died is an ERROR. Returns whether i was resumed.
 */
static bool resume_case(int i, struct pst_outcome *o, bool *print)
{
	const struct pst_journal_entry *e = pst_journal_find(&run.resumed, i);
	/* run.sh names the guest's console log, where the dead kernel's last words are. */
	const char *console = getenv("PST_CONSOLE_LOG");
	char why[PATH_MAX + 128];

	if (!e)
		return false;
	snprintf(why, sizeof(why),
		 KERNEL_DIED " or hung during this case (see %s); the run went on "
			     "in a fresh guest",
		 console && *console ? console : "the guest's console log");
	outcome_from(e, o, why);
	*print = !e->finished; /* the earlier guest printed a finished one */
	return true;
}

static void journal_start(int i, const struct pst_instance *in)
{
	char full[256];

	snprintf(full, sizeof(full), "%s/%s", in->suite->name, in->name);
	if (run.journal.f && pst_journal_start(&run.journal, i, full) < 0)
		fprintf(stderr, "run.sh: cannot write the journal: %s\n", strerror(errno));
}

/* --accept-failures FILE: one "suite/case" a line. 0, or -1 (errno). */
static int load_accepted(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[512];

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char **nv;

		line[strcspn(line, "\r\n")] = '\0';
		if (!*line || *line == '#')
			continue;
		nv = realloc(run.accepted, (run.naccepted + 1) * sizeof(*nv));
		if (!nv || !(nv[run.naccepted] = strdup(line))) {
			run.accepted = nv ? nv : run.accepted;
			fclose(f);
			errno = ENOMEM;
			return -1;
		}
		run.accepted = nv;
		run.naccepted++;
	}
	fclose(f);
	return 0;
}

/*
 * A failure a gate accepted stays what it is (FAIL in results.tsv), says so in
 * its message in every report, and fails no run. Returns whether o is one.
 */
static bool accept_failure(const struct pst_instance *in, struct pst_outcome *o)
{
	char full[256], *msg;
	bool listed = false;

	if (!pst_verdict_fails_run(o->verdict))
		return false;
	snprintf(full, sizeof(full), "%s/%s", in->suite->name, in->name);
	for (size_t i = 0; i < run.naccepted && !listed; i++)
		listed = strcmp(run.accepted[i], full) == 0;
	if (!listed)
		return false;
	if (o->message &&
	    strncmp(o->message, PST_ACCEPTED_PREFIX, strlen(PST_ACCEPTED_PREFIX)) == 0)
		return true; /* (a journal's: its guest said so already) */
	if (asprintf(&msg, "%s%s: %s", PST_ACCEPTED_PREFIX, pst_verdict_name(o->verdict),
		     o->message ? o->message : "") >= 0) {
		free(o->message);
		o->message = msg;
	}
	return true;
}

/*
 * The known bug a failing case is: a FAIL or CHANGED, or an ERROR because the
 * kernel died during it (a case that guards a bug that panics the kernel can
 * fail no other way; kernel/mutants.sh counts it a catch too), never an ERROR
 * of the case itself (a timeout, a crash) or a BROKEN.
 */
static const char *known_of(const struct pst_instance *in, const struct pst_outcome *o)
{
	int v = (int)o->verdict;
	const char *m = o->message;

	/* (a failure a gate accepted: "accepted (...): ERROR: " before the message) */
	if (m && strncmp(m, PST_ACCEPTED_PREFIX, strlen(PST_ACCEPTED_PREFIX)) == 0) {
		m += strlen(PST_ACCEPTED_PREFIX);
		m += strncmp(m, "ERROR: ", strlen("ERROR: ")) == 0 ? strlen("ERROR: ") : 0;
	}
	if (o->verdict == PST_ERROR && m && strncmp(m, KERNEL_DIED, strlen(KERNEL_DIED)) == 0)
		v = PST_FAIL;
	return pst_known_annotation(&run.known, v, in->tc->tags);
}

/* One case's report row: its outcome (the strings stay the outcome's), its catalogue entry. */
static struct pst_result result_of(const struct pst_instance *in, const struct pst_outcome *o)
{
	return (struct pst_result){ .suite = in->suite->name,
				    .name = in->name,
				    .verdict = o->verdict,
				    .seconds = o->seconds,
				    .started = o->started,
				    .message = o->message,
				    .detail = o->detail,
				    .log = o->log,
				    .reqs = in->tc->reqs,
				    .tags = in->tc->tags,
				    .known = known_of(in, o) };
}

/* A failing verdict: the lines --quiet keeps. */
static bool is_failing(enum pst_verdict v)
{
	return v == PST_FAIL || v == PST_ERROR || v == PST_BROKEN || v == PST_CHANGED ||
	       v == PST_XPASS;
}

/* The terminal line of a case: verdict, time, name, why, and the known bug it is. */
static void print_line(const struct pst_instance *in, const struct pst_outcome *o)
{
	const char *known = known_of(in, o);

	if (run.opts.quiet && !is_failing(o->verdict))
		return;

	printf("%-7s %7.3fs  %s/%s%s%s%s%s\n", pst_verdict_name(o->verdict), o->seconds,
	       in->suite->name, in->name, o->message || known ? "  # " : "",
	       o->message ? o->message : "", o->message && known ? "; " : "", known ? known : "");
	if (o->verdict == PST_FAIL || o->verdict == PST_ERROR || o->verdict == PST_XPASS ||
	    o->verdict == PST_CHANGED)
		if (o->detail && strchr(o->detail, '\n') != strrchr(o->detail, '\n'))
			printf("%s", o->detail); /* more than one failure: show them all */
	fflush(stdout);
}

/* Is case i this process's to run? */
static bool runs_here(int i)
{
	if (!run.claims.dir)
		return i % (int)run.stride == (int)run.shard;
	if (run.rep > 0)
		return pst_claims_owned(&run.claims, i); /* the same share as the first time */
	if (pst_journal_find(&run.resumed, i)) {
		pst_claims_keep(&run.claims, i); /* the dead guest of this share had it */
		return true;
	}
	return pst_claims_take(&run.claims, i);
}

/* Now, in seconds since the epoch: the clock every guest of a run shares with the host. */
static double epoch_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The trampoline CUnit calls for every registered test. */
static void run_current(void)
{
	int i = instance_of(CU_get_current_test());
	struct pst_instance *in;
	struct pst_outcome *o;
	struct pst_result *r;
	const char *why;
	bool print = true, resumed;
	double started = epoch_now();

	struct pst_outcome later = { 0 };

	if (i < 0 || pst_exec_interrupted() || !runs_here(i))
		return; /* another job's */
	in = &run.inst[i];
	/* The reports hold the first repetition; later ones only add their verdicts. */
	o = run.rep == 0 ? &run.outcomes[i] : &later;
	why = skip_reason(in);
	resumed = run.rep == 0 && resume_case(i, o, &print);
	if (resumed) {
		/* as the dead run left it */
	} else if (run.iut_error[0]) {
		memset(o, 0, sizeof(*o));
		o->error = strdup(run.iut_error);
	} else if (why) {
		memset(o, 0, sizeof(*o));
		o->skip = strdup(why);
	} else {
		if (run.rep == 0)
			journal_start(i, in);
		pst_exec_case(&run.exec, in, (unsigned)i, o);
	}
	if (pst_exec_interrupted())
		return;
	if (!resumed) {
		judge(in, o);
		o->started = started;
	}
	accept_failure(in, o);
	run.verdicts[run.rep * (unsigned)run.ninst + (unsigned)i] = (unsigned char)o->verdict;
	if (pst_verdict_fails_run(o->verdict)) {
		/* (CUnit counts every failure, an accepted one too) */
		run.rep_failed++;
		/* Into CUnit's records, so its failure counts agree with ours. */
		CU_assertImplementation(CU_FALSE, (unsigned)o->line,
					o->message ? o->message : "failed",
					o->file ? o->file : in->suite->name, "", CU_FALSE);
	}
	if (run.rep > 0) {
		print_line(in, o);
		pst_outcome_free(o);
		return;
	}
	r = &run.results[i];
	run.nresults++;
	*r = result_of(in, o);
	run.counts[o->verdict]++;
	if (!(resumed && !print) && run.journal.f && pst_journal_result(&run.journal, i, r) < 0)
		fprintf(stderr, "run.sh: cannot write the journal: %s\n", strerror(errno));
	if (print)
		print_line(in, o);
}

/*
 * A fresh CUnit registry in this repetition's order. A shuffled order visits
 * a suite more than once; CUnit wants distinct suite names, so later visits
 * are "suite#2", ... (the reports use the real names).
 */
static int register_cunit(void)
{
	CU_pSuite cu_suite = NULL;
	const struct pst_suite *cur = NULL;
	unsigned visit = 0;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return -1;
	CU_set_error_action(CUEA_IGNORE);
	for (int k = 0; k < run.ninst; k++) {
		int i = run.order[k];

		if (run.inst[i].suite != cur) {
			char name[128];

			cur = run.inst[i].suite;
			snprintf(name, sizeof(name), "%s#%u", cur->name, ++visit);
			cu_suite = CU_add_suite(run.opts.shuffle ? name : cur->name, NULL, NULL);
			if (!cu_suite)
				return -1;
		}
		run.cu_tests[i] = CU_add_test(cu_suite, run.inst[i].name, run_current);
		if (!run.cu_tests[i])
			return -1;
	}
	return 0;
}

/* Declared order, or a Fisher-Yates shuffle drawn from the seed and the repetition. */
static void make_order(void)
{
	unsigned short xs[3];

	for (int i = 0; i < run.ninst; i++)
		run.order[i] = i;
	if (!run.opts.shuffle)
		return;
	xs[0] = (unsigned short)run.opts.seed;
	xs[1] = (unsigned short)(run.opts.seed >> 16);
	xs[2] = (unsigned short)(run.opts.seed >> 32 ^ run.rep);
	for (int i = run.ninst - 1; i > 0; i--) {
		int j = (int)(nrand48(xs) % (i + 1));
		int t = run.order[i];

		run.order[i] = run.order[j];
		run.order[j] = t;
	}
}

/*
 * Cases whose verdict changed across repetitions (or orders): reports/flakes.md.
 * *first_passed: how many of them passed (or XFAILed) in the first repetition.
 */
static int flake_report(unsigned *first_passed)
{
	char path[4096], tmp[4200];
	FILE *f;
	int flakes = 0;

	if (run.opts.repeat < 2)
		return 0;
	snprintf(path, sizeof(path), "%s/flakes.md", run.opts.reports);
	f = pst_open_tmp(path, tmp, sizeof(tmp)); /* whole or not at all */
	if (f)
		fprintf(f,
			"# Flake report\n\n%u repetitions, order %s (seed %lu)\n\n"
			"| case | verdicts, one per repetition |\n| --- | --- |\n",
			run.opts.repeat, run.opts.shuffle ? "shuffled" : "declared", run.opts.seed);
	for (int i = 0; i < run.ninst; i++) {
		bool changed = false;

		for (unsigned r = 1; r < run.opts.repeat; r++)
			changed |= run.verdicts[r * (unsigned)run.ninst + (unsigned)i] !=
				   run.verdicts[(unsigned)i];
		if (!changed)
			continue;
		flakes++;
		*first_passed += !pst_verdict_fails_run((enum pst_verdict)run.verdicts[i]) &&
				 run.verdicts[i] != PST_SKIP;
		printf("FLAKY  %s/%s:", run.inst[i].suite->name, run.inst[i].name);
		if (f)
			fprintf(f, "| %s/%s |", run.inst[i].suite->name, run.inst[i].name);
		for (unsigned r = 0; r < run.opts.repeat; r++) {
			const char *v = pst_verdict_name(
			    (enum pst_verdict)run.verdicts[r * (unsigned)run.ninst + (unsigned)i]);

			printf(" %s", v);
			if (f)
				fprintf(f, " %s", v);
		}
		printf("\n");
		if (f)
			fprintf(f, " |\n");
	}
	if (f) {
		fprintf(f, "\n%d flaky cases\n", flakes);
		if (pst_finish_tmp(f, tmp, path) < 0)
			fprintf(stderr, "run.sh: cannot write %s: %s\n", path, strerror(errno));
	}
	printf("flakes: %d of %d cases changed verdict over %u repetitions (%s)\n", flakes,
	       run.ninst, run.opts.repeat, path);
	return flakes;
}

/*
 * The kernel under test as uname(2) tells it; with --collect, on the host
 * after the guests, as the guests' runners recorded it (shard_env_write).
 */
static void target_uname(struct utsname *u)
{
	static const struct {
		const char *var;
		size_t off;
	} fields[] = { { "PST_UNAME_RELEASE", offsetof(struct utsname, release) },
		       { "PST_UNAME_VERSION", offsetof(struct utsname, version) },
		       { "PST_UNAME_MACHINE", offsetof(struct utsname, machine) },
		       { "PST_UNAME_NODENAME", offsetof(struct utsname, nodename) } };

	uname(u);
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		const char *v = getenv(fields[i].var);

		if (v && *v)
			snprintf((char *)u + fields[i].off, sizeof(u->release), "%s", v);
	}
}

/* What a --shard run's reports need from inside its guest, for --collect: JOURNAL.env. */
static void shard_env_write(void)
{
	static const char *const vars[] = {
		"PST_TARGET",	    "PST_ACCEL", "PST_KERNEL_CONFIG_HASH",
		"PST_KERNEL_IMAGE", "PST_HOST",	 "PST_SUITE_VERSION"
	};
	char path[4096];
	struct utsname u;
	FILE *f;

	snprintf(path, sizeof(path), "%s.env", run.opts.journal);
	f = fopen(path, "w");
	if (!f)
		return;
	uname(&u);
	fprintf(f,
		"PST_UNAME_RELEASE=%s\nPST_UNAME_VERSION=%s\nPST_UNAME_MACHINE=%s\n"
		"PST_UNAME_NODENAME=%s\n",
		u.release, u.version, u.machine, u.nodename);
	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		if (getenv(vars[i]))
			fprintf(f, "%s=%s\n", vars[i], getenv(vars[i]));
	fclose(f);
}

/* The first share's JOURNAL.env into this process's environment. */
static void shard_env_read(const char *journal)
{
	char path[4096], line[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s.env", journal);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *eq = strchr(line, '=');

		line[strcspn(line, "\n")] = '\0';
		if (!eq)
			continue;
		*eq = '\0';
		setenv(line, eq + 1, 1);
	}
	fclose(f);
}

static void iso_now(char *buf, size_t len)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* "report: WHAT" on the terminal, unless --quiet. */
__attribute__((format(printf, 1, 2))) static void say_report(const char *fmt, ...)
{
	va_list ap;

	if (run.opts.quiet)
		return;
	fputs("report: ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/*
 * The self-test's index.html, no matrix: its cases check the harness, none a
 * requirement of the catalogue. (A page with every verdict: tests/html_check.sh.)
 */
static int write_selftest_page(const struct pst_run_info *info)
{
	static const struct pst_reqs none;
	static const struct pst_refs no_refs;

	if (pst_html_write(run.opts.reports, info, &none, &no_refs, run.inst, run.results,
			   run.ninst, run.inst, run.ninst) < 0) {
		fprintf(stderr, "run.sh: cannot write index.html in %s\n", run.opts.reports);
		return -1;
	}
	return 0;
}

/*
 * Requirement -> cases -> verdict for this run's profile: the matrix and the HTML
 * page, their citations linked into the reference document copied beside them.
 */
static int write_matrix(const struct pst_run_info *info)
{
	struct pst_reqs reqs;
	struct pst_refs refs;
	struct pst_instance *all;
	char err[512], name[512], refs_copy[4096];
	int nall, uncovered;

	if (run.opts.selftest)
		return write_selftest_page(info);
	if (pst_reqs_load_dir(PST_REQUIREMENTS_DIR, &reqs, err, sizeof(err)) < 0) {
		fprintf(stderr, "run.sh: %s\n", err);
		return -1;
	}
	if (pst_refs_load(PST_REFERENCES_MD, &refs, err, sizeof(err)) < 0) {
		fprintf(stderr, "run.sh: %s\n", err);
		pst_reqs_free(&reqs);
		return -1;
	}
	snprintf(refs_copy, sizeof(refs_copy), "%s/%s", run.opts.reports, PST_REFERENCES_NAME);
	nall = pst_registry_expand(pst_all_suites, NULL, NULL, &all);
	snprintf(name, sizeof(name), "%s, kernel %s, target %s, libsctp %s, suite %s",
		 info->timestamp, info->kernel, info->target, info->libsctp, info->suite_version);
	uncovered = nall < 0 || pst_copy_file(PST_REFERENCES_MD, refs_copy) < 0
			? -1
			: pst_matrix_write(run.opts.reports, &reqs, &refs, run.opts.profile,
					   run.inst, run.results, run.ninst, all, nall, name);
	if (uncovered >= 0 && pst_html_write(run.opts.reports, info, &reqs, &refs, run.inst,
					     run.results, run.ninst, all, nall) < 0)
		uncovered = -1;
	free(all);
	pst_reqs_free(&reqs);
	pst_refs_free(&refs);
	if (uncovered < 0) {
		fprintf(stderr, "run.sh: cannot write the matrix, index.html or %s in %s\n",
			PST_REFERENCES_NAME, run.opts.reports);
		return -1;
	}
	say_report("%s/matrix.md (%d uncovered requirements), %s/index.html", run.opts.reports,
		   uncovered, run.opts.reports);
	return 0;
}

/* The files whose column holds citations (see citations.h). */
static const struct {
	const char *dir;
	unsigned column;
} cited[] = {
	{ PST_REQUIREMENTS_DIR, 3 }, /* source */
	{ PST_DEVIATIONS_DIR, 6 },   /* reference */
	{ PST_EXPECTED_DIR, 2 },     /* references */
};

/*
 * The waiver lists of dir, refused (-1, the reason in err) when an entry
 * names no check a case of suites declares, a safety check, or a malformed
 * range.
 */
static int load_waivers(const char *dir, const struct pst_suite *const *suites,
			struct pst_deviations *d, char *err, size_t errlen)
{
	struct pst_instance *all;
	int nall, rc;

	if (pst_deviations_load_dir(dir, d, err, errlen) < 0)
		return -1;
	nall = pst_registry_expand(suites, NULL, NULL, &all);
	if (nall < 0) {
		snprintf(err, errlen, "out of memory");
		rc = -1;
	} else {
		rc = pst_judge_check_waivers(d, all, nall, err, errlen);
		free(all);
	}
	if (rc < 0)
		pst_deviations_free(d);
	return rc;
}

/*
 * Every reference check a case declares ("ref:ID=CITATION", case.h) cites
 * what resolves: the problems, one line each on stdout, counted.
 */
static int check_reference_checks(const struct pst_refs *refs, const struct pst_instance *all,
				  int nall)
{
	static const char prefix[] = PST_CHECK_REFERENCE;
	int problems = 0;

	for (int i = 0; i < nall; i++) {
		const char *w = all[i].tc->checks;

		if (i > 0 && all[i].tc == all[i - 1].tc)
			continue; /* the variants of one case declare the same */
		while (w && *w) {
			size_t n;
			char word[256], err[256];
			const char *cite;
			struct pst_cite c;

			w += strspn(w, " ");
			n = strcspn(w, " ");
			snprintf(word, sizeof(word), "%.*s", (int)n, w);
			w += n;
			if (strncmp(word, prefix, sizeof(prefix) - 1) != 0)
				continue;
			cite = strchr(word, '=');
			if (!cite || pst_cite_resolve(refs, cite + 1, &c, err, sizeof(err)) < 0) {
				printf("%s/%s: reference check \"%s\": %s\n", all[i].suite->name,
				       all[i].tc->name, word,
				       cite ? err : "expected ref:ID=CITATION");
				problems++;
			}
		}
	}
	return problems;
}

/*
 * --check-requirements: the catalogue and the cases agree, the waiver lists are
 * well formed, and every citation resolves.
 */
static int check_requirements(void)
{
	struct pst_reqs reqs;
	struct pst_refs refs;
	struct pst_deviations devs;
	struct pst_instance *all;
	char err[512];
	int nall, problems;

	if (pst_reqs_load_dir(PST_REQUIREMENTS_DIR, &reqs, err, sizeof(err)) < 0)
		return die(EXIT_USAGE, "%s", err);
	if (pst_refs_load(PST_REFERENCES_MD, &refs, err, sizeof(err)) < 0 ||
	    load_waivers(PST_DEVIATIONS_DIR, pst_all_suites, &devs, err, sizeof(err)) < 0) {
		pst_reqs_free(&reqs);
		pst_refs_free(&refs);
		return die(EXIT_USAGE, "%s", err);
	}
	nall = pst_registry_expand(pst_all_suites, NULL, NULL, &all);
	if (nall < 0)
		return die(EXIT_USAGE, "%s", "out of memory");
	problems = pst_matrix_check(&reqs, all, nall) + check_reference_checks(&refs, all, nall);
	for (size_t i = 0; i < sizeof(cited) / sizeof(cited[0]); i++)
		problems += pst_cite_check_dir(&refs, cited[i].dir, cited[i].column, stdout);
	printf("requirements: %zu in the catalogue, %zu references, %zu deviations, %d cases, "
	       "%d problems\n",
	       reqs.n, refs.n, devs.n, nall, problems);
	free(all);
	pst_reqs_free(&reqs);
	pst_refs_free(&refs);
	pst_deviations_free(&devs);
	return problems ? EXIT_CONFORMANCE : 0;
}

/* results.tsv and environment.tsv: what the comparison, bisect and certification tools read. */
static int write_manifest(const struct pst_run_info *info, const struct utsname *u)
{
	char ncases[32], archive[sizeof(pst_iut.archive_origin) + sizeof(pst_iut.archive) + 8];
	const char *accel = info->accel;

	/* Only a QEMU guest runs under an accelerator; UML and the host kernel need none. */
	if (!accel && strcmp(info->target, "qemu") != 0)
		accel = "none";
	const struct pst_env_item env[] = {
		{ "kernel_release", u->release },
		{ "kernel_version", u->version },
		{ "kernel_config_sha256", getenv("PST_KERNEL_CONFIG_HASH") },
		{ "kernel_image", getenv("PST_KERNEL_IMAGE") },
		{ "machine", u->machine },
		{ "hostname", u->nodename },	/* the guest's, on the UML target */
		{ "host", getenv("PST_HOST") }, /* the machine run.sh ran on */
		{ "target", info->target },
		{ "accelerator", accel },
		{ "libsctp_path", pst_iut.path },
		{ "libsctp_version", pst_iut.version },
		{ "libsctp_archive", archive },
		{ "libsctp_flags_source", pst_iut.flags_source },
		{ "suite_version", info->suite_version },
		{ "profile", info->profile },
		/* what fails the run: a CHANGED case too (changes), or requirements only */
		{ "gate", info->changes_fail ? "changes" : "requirements" },
		{ "suite_filter", run.opts.suite ? run.opts.suite : "all" },
		{ "case_filter", run.opts.case_glob ? run.opts.case_glob : "all" },
		{ "cases", ncases },
		{ "timestamp", info->timestamp },
	};

	snprintf(ncases, sizeof(ncases), "%d", run.ninst);
	if (pst_iut.archive[0])
		snprintf(archive, sizeof(archive), "%s, in %s", pst_iut.archive_origin,
			 pst_iut.archive);
	else
		snprintf(archive, sizeof(archive), "none");
	if (pst_manifest_write_dir(run.opts.reports, run.results, (size_t)run.ninst, env,
				   sizeof(env) / sizeof(env[0])) < 0) {
		fprintf(stderr, "run.sh: cannot write %s/%s or %s: %s\n", run.opts.reports,
			PST_RESULTS_TSV, PST_ENVIRONMENT_TSV, strerror(errno));
		return -1;
	}
	say_report("%s/%s, %s/%s", run.opts.reports, PST_RESULTS_TSV, run.opts.reports,
		   PST_ENVIRONMENT_TSV);
	return 0;
}

/*
 * The name of the machine the run was started on (JUnit's hostname: where a CI
 * job ran, not a guest's "(none)"): run.sh's PST_HOST, "NAME (SYSTEM RELEASE
 * MACHINE)"; without it this machine's.
 */
static void host_name(char *buf, size_t len)
{
	const char *h = getenv("PST_HOST");
	struct utsname u;

	if (h && *h && *h != ' ') {
		snprintf(buf, len, "%.*s", (int)strcspn(h, " "), h);
		return;
	}
	uname(&u);
	snprintf(buf, len, "%s", u.nodename);
}

/* Is this runner inside a guest the run booted for itself (uml, qemu)? */
static bool run_in_guest(void)
{
	const char *target = getenv("PST_TARGET");

	return target && (strcmp(target, "uml") == 0 || strcmp(target, "qemu") == 0);
}

static int write_reports(void)
{
	char path[4096], host[256] = "", stamp[32], seed[32];
	struct utsname u;
	const char *target = getenv("PST_TARGET");
	const char *version = getenv("PST_SUITE_VERSION");
	const char *accel = getenv("PST_ACCEL"); /* set by harness/guests/qemu-run.sh */

	target_uname(&u);
	host_name(host, sizeof(host));
	iso_now(stamp, sizeof(stamp));
	struct pst_run_info info = { .hostname = host,
				     .timestamp = stamp,
				     .kernel = u.release,
				     .target = target && *target ? target : "host",
				     .accel = accel && *accel ? accel : NULL,
				     .profile = run.opts.profile,
				     .libsctp = pst_iut.version[0] ? pst_iut.version : pst_iut.path,
				     .libsctp_flags = pst_iut.flags_source,
				     .suite_version = version && *version ? version : "unknown",
				     .shuffle_seed = run.opts.shuffle ? seed : NULL,
				     .changes_fail = !run.opts.changes_pass,
				     .tally = &run.tally };

	snprintf(seed, sizeof(seed), "%lu", run.opts.seed);

	mkdir(run.opts.reports, 0755); /* an existing one is fine */
	snprintf(path, sizeof(path), "%s/junit.xml", run.opts.reports);
	if (pst_junit_write_file(path, &info, run.results, (size_t)run.ninst) < 0) {
		fprintf(stderr, "run.sh: cannot write %s: %s\n", path, strerror(errno));
		return -1;
	}
	say_report("%s", path);
	snprintf(path, sizeof(path), "%s/results.ktap", run.opts.reports);
	if (pst_ktap_write_file(path, &info, run.results, (size_t)run.ninst) < 0) {
		fprintf(stderr, "run.sh: cannot write %s: %s\n", path, strerror(errno));
		return -1;
	}
	say_report("%s", path);
	if (write_manifest(&info, &u) < 0)
		return -1;
	return write_matrix(&info);
}

/*
 * The closing figures and the exit status, from the counts. flaky: cases whose
 * verdict changed across repetitions; each counts as failed.
 */
static struct pst_tally tally(unsigned flaky, unsigned flaky_passed)
{
	int changes_fail = !run.opts.changes_pass;
	struct pst_tally t = { .failed = flaky,
			       .passed =
				   run.counts[PST_PASS] + run.counts[PST_XFAIL] - flaky_passed,
			       .changed = run.counts[PST_CHANGED],
			       .flaky = flaky };
	unsigned requirements_failed = 0;

	if (!changes_fail)
		t.passed += t.changed;
	for (int v = 0; v < PST_VERDICT_COUNT; v++) {
		if (pst_verdict_fails_gate((enum pst_verdict)v, changes_fail))
			t.failed += run.counts[v];
		if (pst_verdict_fails_run((enum pst_verdict)v))
			requirements_failed += run.counts[v];
	}
	for (int i = 0; i < run.ninst; i++)
		t.accepted += run.results[i].accepted != 0;
	/* accepted failures are skipped in JUnit: so they are here */
	t.failed -= t.accepted;
	requirements_failed -= t.accepted;
	t.failed -= flaky - flaky_passed; /* flaky cases that failed first are counted once */
	t.skipped = run.counts[PST_SKIP] + t.accepted;
	if (requirements_failed || flaky)
		t.status = EXIT_CONFORMANCE;
	else
		t.status = t.changed && changes_fail ? EXIT_CHANGED : 0;
	return t;
}

/* The terminal's summary of t. */
static void summary(const struct pst_tally *t)
{
	int changes_fail = !run.opts.changes_pass;
	unsigned accepted = t->accepted, changed = t->changed;

	/* The plain closing line CI systems read. */
	printf("\nconformance: %u passed, %u failed, %u skipped\n", t->passed, t->failed,
	       t->skipped);
	if (accepted)
		printf("(%u failure%s accepted: the baseline failed %s too, --gate new-failures)\n",
		       accepted, accepted > 1 ? "s" : "", accepted > 1 ? "them" : "it");
	printf("(%u PASS, %u XFAIL, %u FAIL, %u XPASS, %u BROKEN, %u ERROR, %u CHANGED, %u SKIP; "
	       "kernel under test: ",
	       run.counts[PST_PASS], run.counts[PST_XFAIL], run.counts[PST_FAIL],
	       run.counts[PST_XPASS], run.counts[PST_BROKEN], run.counts[PST_ERROR], changed,
	       run.counts[PST_SKIP]);
	struct utsname u;
	target_uname(&u);
	printf("%s; libsctp: %s)\n", u.release, pst_iut.path);
	if (changed)
		printf(
		    "reference behaviour changed in %u case%s (CHANGED: not a requirement; %s)\n",
		    changed, changed > 1 ? "s" : "",
		    changes_fail ? "exit 4 unless a requirement failed; --gate requirements "
				   "lists them without failing the run"
				 : "listed, not failed: --gate requirements");
}

/*
 * The results of processes or guests that ran shares of the cases, from
 * their journals (a comma-separated list), into this process's tables.
 */
static int collect_jobs(const char *journals, bool remove_after)
{
	char *list = strdup(journals), *save = NULL;
	struct pst_journal j[PST_MAX_JOBS];
	size_t n = 0;

	if (!list)
		return die(EXIT_TARGET, "%s", "out of memory");
	for (char *p = strtok_r(list, ",", &save); p && n < PST_MAX_JOBS;
	     p = strtok_r(NULL, ",", &save)) {
		if (pst_journal_load(&j[n], p) < 0) {
			free(list);
			return die(EXIT_TARGET, "cannot read the jobs' journal: %s",
				   strerror(errno));
		}
		if (remove_after)
			unlink(p);
		n++;
	}
	free(list);
	for (int i = 0; i < run.ninst; i++) {
		const struct pst_journal_entry *e = NULL;
		struct pst_outcome *o = &run.outcomes[i];
		const struct pst_instance *in = &run.inst[i];

		for (size_t k = 0; k < n && !e; k++)
			e = pst_journal_find(&j[k], i);
		outcome_from(e, o, "its job ended without a result for it");
		run.results[i] = result_of(in, o);
		run.verdicts[i] = (unsigned char)o->verdict;
		run.counts[o->verdict]++;
		run.nresults++;
	}
	for (size_t k = 0; k < n; k++)
		pst_journal_free(&j[k]);
	return 0;
}

/* Every repetition of this process's cases through CUnit. 0, or an exit status. */
/*
 * kmemleak's findings after the run (a kernel with kmemleak: the sanitizer
 * kernel), into REPORTS/kmemleak.txt (kmemleak.K.txt for share K of --jobs),
 * each object with the case whose process allocated it, by pid, and said on
 * the terminal. Listed, not judged: kmemleak reports an object only once it
 * is KMEMLEAK_AGE_S old, after later cases ran, and takes some objects in
 * flight for leaks (kernel/README.md, "Sanitizer kernels").
 */
#define KMEMLEAK_AGE_S 6 /* kmemleak's minimum age for a report (5 s), and a margin */

static void kmemleak_after_run(void)
{
	char path[4096], *lines, *first, *save = NULL;
	unsigned by_case = 0, other = 0;
	double idle = pst_exec_idle_s();
	int objects;
	FILE *f;

	if (run.kmsg.leak_fd < 0)
		return;
	if (idle < KMEMLEAK_AGE_S) /* (what the last cases allocated, old enough to be said) */
		usleep((useconds_t)((KMEMLEAK_AGE_S - idle) * 1e6));
	objects = pst_kmsg_leaks(&run.kmsg, &lines, &first);
	free(first);
	if (run.opts.shards > 1)
		snprintf(path, sizeof(path), "%s/kmemleak.%u.txt", run.opts.reports,
			 run.opts.shard);
	else
		snprintf(path, sizeof(path), "%s/kmemleak.txt", run.opts.reports);
	f = fopen(path, "w");
	if (f)
		fprintf(f, "# kmemleak after the run: %d unreferenced objects%s\n", objects,
			objects ? "; each with the case whose process allocated it (by pid)" : "");
	for (char *l = lines ? strtok_r(lines, "\n", &save) : NULL; l;
	     l = strtok_r(NULL, "\n", &save)) {
		const char *comm = strstr(l, "comm \""), *pid = strstr(l, "\", pid ");
		const char *name = comm && pid ? pst_exec_case_of((pid_t)atoi(pid + 7)) : NULL;

		if (comm && pid) {
			by_case += name != NULL;
			other += name == NULL;
		}
		if (f)
			fprintf(f, "%s%s%s\n", l, comm && pid ? "  <- " : "",
				comm && pid
				    ? (name ? name : "no case (the kernel's or the runner's)")
				    : "");
	}
	free(lines);
	if (f && fclose(f) != 0)
		fprintf(stderr, "run.sh: cannot write %s\n", path);
	if (objects > 0)
		printf("kmemleak: %d objects unreferenced after the run, %u allocated by a case's "
		       "process, %u by the kernel's own tasks: %s\n",
		       objects, by_case, other, path);
}

static int run_cases(void)
{
	for (run.rep = 0; run.rep < run.opts.repeat; run.rep++) {
		make_order();
		if (register_cunit() < 0)
			return die(EXIT_TARGET, "%s", "cannot set up the CUnit registry");
		if (run.opts.repeat > 1 && !run.opts.quiet)
			printf("repetition %u of %u\n", run.rep + 1, run.opts.repeat);
		run.rep_failed = 0;
		CU_run_all_tests();
		if (pst_exec_interrupted()) {
			fprintf(stderr, "run.sh: interrupted; no report written\n");
			CU_cleanup_registry();
			pst_exec_end();
			return EXIT_INTERRUPTED;
		}
		if (CU_get_number_of_tests_failed() != run.rep_failed)
			fprintf(stderr,
				"run.sh: internal error: CUnit counts %u failed tests, the runner "
				"%u\n",
				CU_get_number_of_tests_failed(), run.rep_failed);
		CU_cleanup_registry();
	}
	kmemleak_after_run();
	pst_exec_end();
	if (run.claims.error) /* the cases it could not claim have no result: say why */
		return die(EXIT_TARGET, "cannot claim cases (--claims): %s",
			   strerror(run.claims.error));
	return 0;
}

/*
 * --jobs N: N processes take the cases as they go (claims.h; each case still
 * in its own process and topology) and append to one journal; this process
 * then takes the results from it, as a resumed run would, and writes the
 * reports.
 */
static int run_jobs(void)
{
	char own[4096], claims[4096];
	const char *journal = run.opts.journal;
	pid_t pids[PST_MAX_JOBS];
	int worst = 0;

	if (!journal) {
		snprintf(own, sizeof(own), "%s/.jobs.journal", run.opts.reports);
		unlink(own);
		journal = own;
	}
	snprintf(claims, sizeof(claims), "%s/.jobs.claims", run.opts.reports);
	if (pst_claims_dir_make(claims, run.ninst) < 0)
		return die(EXIT_TARGET, "cannot make the jobs' claims directory: %s",
			   strerror(errno));
	pst_journal_close(&run.journal);
	for (unsigned k = 0; k < run.opts.jobs; k++) {
		pids[k] = fork();
		if (pids[k] < 0)
			return die(EXIT_TARGET, "fork: %s", strerror(errno));
		if (pids[k] == 0) {
			run.shard = k; /* (the stride is for --shard without claims) */
			if (pst_claims_init(&run.claims, claims, k, run.ninst) < 0)
				_exit(EXIT_TARGET);
			pst_exec_init_signals(); /* its own wake-up pipe */
			snprintf(run.ns_prefix, sizeof(run.ns_prefix), "%s%d-", PST_NS_TAG,
				 (int)getpid());
			if (pst_journal_open(&run.journal, journal) < 0)
				_exit(EXIT_TARGET);
			_exit(run_cases());
		}
	}
	for (unsigned k = 0; k < run.opts.jobs; k++) {
		int st;

		while (waitpid(pids[k], &st, 0) < 0 && errno == EINTR)
			;
		if (!WIFEXITED(st) || WEXITSTATUS(st) > worst)
			worst = WIFEXITED(st) ? WEXITSTATUS(st) : EXIT_TARGET;
	}
	pst_claims_dir_remove(claims, run.ninst);
	if (pst_exec_interrupted() || worst == EXIT_INTERRUPTED) {
		fprintf(stderr, "run.sh: interrupted; no report written\n");
		return EXIT_INTERRUPTED;
	}
	return collect_jobs(journal, journal == own);
}

static int die(int status, const char *fmt, const char *arg)
{
	fprintf(stderr, "run.sh: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	return status;
}

/* What the judge needs: the waivers, and the implementation their ranges are read against. */
static void set_judge(void)
{
	static const char prefix[] = "libsctp.so.";
	const char *v = pst_iut.version;

	/* libsctp's version from its file name, "libsctp.so.1.0.19"; another name: unknown */
	if (strncmp(v, prefix, sizeof(prefix) - 1) == 0)
		snprintf(run.libsctp_version, sizeof(run.libsctp_version), "%.52s",
			 v + sizeof(prefix) - 1);
	target_uname(&run.uts);
	run.judge = (struct pst_judge_cfg){ .waivers = &run.deviations,
					    .profile = run.opts.profile,
					    .impl = { .kernel = run.uts.release,
						      .libsctp = run.libsctp_version },
					    .strict_waivers = run.opts.strict_waivers };
}

static int prepare_target(void)
{
	char err[512];

	if (!sctp_socket_works(AF_INET))
		return die(EXIT_TARGET,
			   "the running kernel has no SCTP (socket(AF_INET, SOCK_SEQPACKET, "
			   "IPPROTO_SCTP): %s); use --target uml",
			   strerror(errno));
	if (geteuid() != 0)
		return die(
		    EXIT_TARGET, "%s",
		    "the host target needs root (network namespaces, veth); use --target uml");
	run.have_ipv6 = sctp_socket_works(AF_INET6);
	run.have_peeloff_flags = kernel_has_peeloff_flags();
	run.have_fault_injection = access("/proc/thread-self/fail-nth", W_OK) == 0;
	/*
	 * A library that cannot be opened, or lacks sctp_peeloff, is the
	 * implementation's failure, not a usage error: every case is an ERROR
	 * that says so, and the reports are written.
	 */
	if (pst_iut_load(run.opts.libsctp, run.opts.libsctp_a, err, sizeof(err)) < 0) {
		snprintf(run.iut_error, sizeof(run.iut_error),
			 "not run: the libsctp under test cannot be used: %s", err);
		if (!pst_iut.path[0])
			snprintf(pst_iut.path, sizeof(pst_iut.path), "%s",
				 run.opts.libsctp ? run.opts.libsctp : "libsctp.so.1");
		fprintf(stderr, "run.sh: %s\n", err);
	}
	if (run.opts.selftest ? load_waivers(PST_SELFTEST_DEVIATIONS_DIR, pst_selftest_suites,
					     &run.deviations, err, sizeof(err)) < 0
			      : load_waivers(PST_DEVIATIONS_DIR, pst_all_suites, &run.deviations,
					     err, sizeof(err)) < 0)
		return die(EXIT_USAGE, "%s", err);
	set_judge();
	if (run.opts.resume && pst_journal_load(&run.resumed, run.opts.journal) < 0)
		return die(EXIT_USAGE, "cannot read the journal: %s", strerror(errno));
	if (!run.opts.resume)
		unlink(run.opts.journal ? run.opts.journal : "");
	if (run.opts.journal && pst_journal_open(&run.journal, run.opts.journal) < 0)
		return die(EXIT_USAGE, "cannot write the journal: %s", strerror(errno));
	if (pst_topo_sweep_stale(PST_NS_TAG) > 0)
		fprintf(stderr,
			"run.sh: removed network namespaces left by an earlier, killed run\n");
	return 0;
}

/*
 * What the global knobs of this run's cases read before any case ran, for
 * the case processes (globals.h): a case can tell an earlier case's value
 * left behind from the system's own.
 */
static int publish_globals_at_start(void)
{
	char *env = NULL;
	int rc = 0;

	for (int i = 0; i < run.ninst && rc == 0; i++)
		for (const char *const *g = run.inst[i].tc->globals; g && *g && rc == 0; g++)
			rc = pst_globals_at_start_add(&env, *g);
	if (rc == 0)
		rc = setenv(PST_GLOBALS_AT_START_ENV, env ? env : "", 1);
	free(env);
	return rc < 0 ? die(EXIT_TARGET, "%s", "out of memory") : 0;
}

/* The flake report, the summary and the reports of a whole run. */
static int finish(void)
{
	unsigned flaky_passed = 0;
	int flaky, status;

	/* (a share's journal kept the message, not whether it was accepted) */
	for (int i = 0; i < run.ninst; i++) {
		run.results[i].accepted = accept_failure(&run.inst[i], &run.outcomes[i]);
		run.results[i].message = run.outcomes[i].message;
	}
	flaky = flake_report(&flaky_passed);
	run.tally = tally((unsigned)flaky, flaky_passed);
	summary(&run.tally);
	status = run.tally.status;

	if (write_reports() < 0)
		status = EXIT_TARGET;
	for (int i = 0; i < run.ninst; i++)
		pst_outcome_free(&run.outcomes[i]);
	pst_deviations_free(&run.deviations);
	pst_known_free(&run.known);
	pst_journal_close(&run.journal);
	pst_journal_free(&run.resumed);
	return status;
}

/*
 * --collect: the guests of --jobs ran the shares of the cases (--shard);
 * here, on the host, their journals make the run's reports, as one run's.
 */
static int collect_run(void)
{
	char err[512], first[2048];
	int status;

	snprintf(first, sizeof(first), "%.*s", (int)strcspn(run.opts.collect, ","),
		 run.opts.collect);
	shard_env_read(first);
	/* What the reports say of the libsctp under test: the guests' file is this one. */
	if (pst_iut_load(run.opts.libsctp, run.opts.libsctp_a, err, sizeof(err)) < 0)
		fprintf(stderr, "run.sh: %s\n", err);
	run.results = calloc((size_t)run.ninst, sizeof(*run.results));
	run.outcomes = calloc((size_t)run.ninst, sizeof(*run.outcomes));
	run.verdicts = calloc((size_t)run.ninst, 1);
	if (!run.results || !run.outcomes || !run.verdicts)
		return die(EXIT_TARGET, "%s", "out of memory");
	status = collect_jobs(run.opts.collect, false);
	return status ? status : finish();
}

/* What the run is: the first line on the terminal, one per run. */
static void print_header(void)
{
	printf("peeloff conformance: %d cases, profile %s, libsctp %s (sctp_peeloff_flags from "
	       "%s)\n",
	       run.ninst, run.opts.profile, pst_iut.path, pst_iut.flags_source);
	if (run.opts.shuffle)
		printf("shuffled: seed %lu (--shuffle %lu repeats this order)\n", run.opts.seed,
		       run.opts.seed);
	fflush(stdout);
}

/*
 * --header: the header of a run whose shares run in guests (--jobs), on the
 * host before they start. The guests open the same files (the host's / is
 * theirs); a library they cannot use is their error to report, not this.
 */
static int header_only(void)
{
	char err[512];

	if (pst_iut_load(run.opts.libsctp, run.opts.libsctp_a, err, sizeof(err)) < 0 &&
	    !pst_iut.path[0])
		snprintf(pst_iut.path, sizeof(pst_iut.path), "%s",
			 run.opts.libsctp ? run.opts.libsctp : "libsctp.so.1");
	print_header();
	return 0;
}

int main(int argc, char **argv)
{
	char err[512], path[4096];
	int status;

	if (pst_opts_parse(argc, argv, &run.opts, err, sizeof(err)) < 0) {
		fprintf(stderr, "run.sh: %s\n", err);
		return EXIT_USAGE;
	}
	if (run.opts.help) {
		fputs(pst_usage, stdout);
		return 0;
	}
	if (run.opts.check_reqs)
		return check_requirements();
	run.ninst = pst_registry_expand(run.opts.selftest ? pst_selftest_suites : pst_all_suites,
					run.opts.suite, run.opts.case_glob, &run.inst);
	if (run.ninst < 0)
		return die(EXIT_USAGE, "%s", "out of memory");
	if (run.ninst == 0)
		return die(EXIT_USAGE, "no case matches --suite/--case (see --list)%s", "");
	if (run.opts.list) {
		for (int i = 0; i < run.ninst; i++)
			printf("%s/%s\n", run.inst[i].suite->name, run.inst[i].name);
		return 0;
	}
	if (run.opts.probe)
		return sctp_socket_works(AF_INET) ? 0 : EXIT_TARGET;
	if (run.opts.header)
		return header_only();
	if (run.opts.accept && load_accepted(run.opts.accept) < 0)
		return die(EXIT_USAGE, "cannot read --accept-failures %s", run.opts.accept);
	if (pst_known_load(PST_KNOWN_BUGS, &run.known, err, sizeof(err)) < 0)
		return die(EXIT_USAGE, "the known-bugs catalogue: %s", err);

	/* No report from an earlier run may pass for this one's if this one is interrupted. */
	static const char *const reports[] = {
		"junit.xml",  "results.ktap",	   PST_RESULTS_TSV,	"matrix.md", "matrix.json",
		"index.html", PST_REFERENCES_NAME, PST_ENVIRONMENT_TSV, "flakes.md"
	};
	for (size_t i = 0; i < sizeof(reports) / sizeof(reports[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", run.opts.reports, reports[i]);
		unlink(path);
	}
	if (run.opts.collect)
		return collect_run();
	status = prepare_target();
	if (!status)
		status = publish_globals_at_start();
	if (status)
		return status;

	run.cu_tests = calloc((size_t)run.ninst, sizeof(*run.cu_tests));
	run.results = calloc((size_t)run.ninst, sizeof(*run.results));
	run.outcomes = calloc((size_t)run.ninst, sizeof(*run.outcomes));
	run.order = calloc((size_t)run.ninst, sizeof(*run.order));
	run.verdicts = calloc((size_t)run.ninst * run.opts.repeat, 1);
	if (!run.cu_tests || !run.results || !run.outcomes || !run.order || !run.verdicts)
		return die(EXIT_TARGET, "%s", "out of memory");
	snprintf(run.ns_prefix, sizeof(run.ns_prefix), "%s%d-", PST_NS_TAG, (int)getpid());
	run.exec = (struct pst_exec_cfg){
		.timeout_s = run.opts.timeout_s,
		.ns_prefix = run.ns_prefix,
		/* (a kernel without SCTP_DBG_OBJCNT has no counts) */
		.objcnt = run.opts.jobs <= 1 && access(PST_OBJCNT_PATH, R_OK) == 0,
		.profile = (enum pst_profile)pst_profile_parse(run.opts.profile)
	};

	/* Before the kernel log is opened: what the crypto manager logs is no case's. */
	if (pst_warm_kernel_crypto() < 0)
		fprintf(stderr, "run.sh: could not instantiate SCTP's HMAC transforms beforehand: "
				"the first case to use them pays for it\n");
	/* (a guest's debugfs may be mounted for kmemleak: the guest is the run's alone) */
	if (pst_kmsg_open(&run.kmsg, run_in_guest()) < 0)
		fprintf(stderr,
			"run.sh: cannot read the kernel log (/dev/kmsg: %s): kernel reports "
			"during cases will not be detected\n",
			strerror(errno));
	run.exec.kmsg = &run.kmsg;
	pst_exec_init_signals();
	/* (once a run: run.sh printed it for the shares of --jobs (--header), the
	 * dead guest before a resumed one) */
	if (run.opts.shards < 2 && !run.opts.resume)
		print_header();
	run.shard = run.opts.shard;
	run.stride = run.opts.shards;
	if (run.opts.claims &&
	    pst_claims_init(&run.claims, run.opts.claims, run.shard, run.ninst) < 0)
		return die(EXIT_TARGET, "%s", "out of memory");
	if (run.opts.shards > 1)
		shard_env_write();
	status = run.opts.jobs > 1 ? run_jobs() : run_cases();
	if (status || run.opts.shards > 1)
		return status; /* a share: run.sh --collect writes the reports */
	return finish();
}
