/* Option parsing, by hand: no global getopt state, so it is testable and reentrant. */
#include "options.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char pst_usage[] =
    "usage: run.sh [options]\n"
    "  --target auto|host|uml|qemu  where the kernel under test runs (default auto: host\n"
    "                          if it has SCTP, else User-Mode Linux; qemu: a real x86-64\n"
    "                          kernel booted in QEMU, KVM if it works, else emulation)\n"
    "  --kernel PATH           another UML kernel (default /usr/bin/linux.uml), or the\n"
    "                          kernel image (vmlinuz) QEMU boots\n"
    "  --modules DIR           that kernel's modules (the directory holding modules.dep)\n"
    "  --kernel-deb FILE       QEMU boots the kernel of this linux-image-*.deb (unpacked\n"
    "                          into a cache, never installed); implies --target qemu\n"
    "  --libsctp PATH          the libsctp under test (default libsctp.so.1)\n"
    "  --libsctp-archive PATH  where sctp_peeloff_flags comes from when that libsctp does\n"
    "                          not export it: the code of libsctp's static archive as a\n"
    "                          shared object (harness/runner/libsctp-archive.sh; default\n"
    "                          with the default libsctp: build/libsctp-archive.so, made of\n"
    "                          the machine's libsctp-dev)\n"
    "  --profile NAME          which documents set the expectations: linux (default),\n"
    "                          solaris or rfc6458\n"
    "  --suite NAME            run only this suite\n"
    "  --case GLOB[,GLOB...]   run only cases whose name matches one of the globs (fnmatch)\n"
    "  --timeout S             per-case timeout in seconds (default 10)\n"
    "  --reports DIR           where reports go (default reports)\n"
    "  --jobs N|auto           run the cases N at a time (auto: one per core), with the\n"
    "                          same verdicts: on the uml and qemu targets in N guests side\n"
    "                          by side, on the host target in N processes\n"
    "  --repeat N              run every case N times; report any whose verdict changes\n"
    "  --shuffle SEED          run the cases in a random order drawn from SEED\n"
    "  --coverage              build the suite with gcov and write reports/coverage.info\n"
    "                          and reports/coverage/index.html\n"
    "  --kernel-coverage       run on the gcov UML kernel of kernel/build.sh (built once,\n"
    "                          cached): reports/kernel-coverage.info, kernel-coverage/ and\n"
    "                          the peeloff functions' lines and branches (not with\n"
    "                          --target, --kernel, --kernel-deb, --modules or\n"
    "                          --coverage)\n"
    "  --kernels SPEC,...      the suite on each kernel ([LABEL=]host, uml, uml:LINUX[:MODULES],\n"
    "                          qemu:VMLINUZ[:MODULES], qemu-deb:FILE.deb, line:NAME,\n"
    "                          qemu-line:NAME, libsctp-line:NAME; or lines, qemu-lines,\n"
    "                          libsctp-lines: one per Debian line), then\n"
    "                          reports/compare.md/.json (run.sh: harness/multirun/multirun.sh)\n"
    "  --bisect-case NAME      that case only; exit 0 good, 1 bad, 125 cannot test\n"
    "  --baseline DIR          compare with an earlier run: reports/baseline.md/.json\n"
    "  --gate changes          (default) exit 1 when a requirement failed, else 4 when a\n"
    "                          reference behaviour changed (a CHANGED case)\n"
    "  --gate requirements     exit 1 only when a requirement failed: CHANGED cases are\n"
    "                          listed, not failed (what --certify judges)\n"
    "  --gate new-failures     with --baseline: exit 1 only for new failures (the\n"
    "                          baseline's failures are accepted: --accept-failures)\n"
    "  --accept-failures FILE  the cases (suite/case, one a line) whose failure a gate\n"
    "                          accepts: still FAIL, shown as accepted in every report,\n"
    "                          not failing the run\n"
    "  --certify               also write reports/certification-<kernel>-<date>.tar.gz:\n"
    "                          the whole suite only (refused with --suite, --case,\n"
    "                          --selftest, --repeat, --shuffle or a QEMU line's quick part)\n"
    "  --certify-partial       --certify, for a filtered or incomplete run too: the bundle\n"
    "                          is certification-PARTIAL-..., its VERIFY.txt says why\n"
    "  --strict-waivers        a waiver whose check passed (a stale waiver) fails the run\n"
    "                          (XPASS); without it the case is PASS with a note\n"
    "  --quiet                 print the header, the failing cases (FAIL, ERROR, BROKEN,\n"
    "                          CHANGED, XPASS, with their messages) and the summary only\n"
    "  --list                  list the cases and exit\n"
    "  --journal FILE          record each case's start and result in FILE\n"
    "  --resume                continue the run FILE records (after the kernel died)\n"
    "  --shard K/N             (run.sh, --jobs in guests) run the K-th of N shares of the\n"
    "                          cases, into --journal, and write no report\n"
    "  --claims DIR            (run.sh, --jobs in guests) with --shard: the share runs the\n"
    "                          cases it claims first in DIR, not every N-th\n"
    "  --collect J,...         (run.sh, --jobs in guests) the reports of a run from the\n"
    "                          journals of its shares\n"
    "  --header                (run.sh, --jobs in guests) print the run's header line\n"
    "                          and exit\n"
    "  --probe                 exit 0 if the running kernel has SCTP, else 3\n"
    "  --check-requirements    check that every requirement has a case and every case's\n"
    "                          requirements exist; exit 1 if not\n"
    "  --selftest              run the harness's self-test cases instead (make check)\n"
    "  --help                  this text\n"
    "exit status: 0 all passed (expected deviations allowed), 1 conformance failure,\n"
    "             2 usage error or missing dependency, 3 the target could not run,\n"
    "             4 every requirement held but a reference behaviour changed,\n"
    "             130 interrupted: SIGINT, SIGTERM or SIGHUP to run.sh alone or to its\n"
    "             process group (every guest and process of the run stopped, its\n"
    "             temporary files removed, no report left that passes for a finished\n"
    "             run's)\n";

const char *pst_target_name(enum pst_target t)
{
	switch (t) {
	case PST_TARGET_HOST:
		return "host";
	case PST_TARGET_UML:
		return "uml";
	case PST_TARGET_QEMU:
		return "qemu";
	default:
		return "auto";
	}
}

static int parse_target(const char *v, enum pst_target *t)
{
	static const enum pst_target all[] = { PST_TARGET_AUTO, PST_TARGET_HOST, PST_TARGET_UML,
					       PST_TARGET_QEMU };

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (strcmp(v, pst_target_name(all[i])) == 0) {
			*t = all[i];
			return 0;
		}
	return -1;
}

/* Options that take a value: "--name VALUE" or "--name=VALUE". */
enum {
	O_TARGET,
	O_KERNEL,
	O_MODULES,
	O_KERNEL_DEB,
	O_LIBSCTP,
	O_PROFILE,
	O_SUITE,
	O_CASE,
	O_TIMEOUT,
	O_REPORTS,
	O_JOURNAL,
	O_REPEAT,
	O_JOBS,
	O_SHUFFLE,
	O_SHARD,
	O_COLLECT,
	O_CLAIMS,
	O_LIBSCTP_ARCHIVE,
	O_GATE,
	O_ACCEPT
};
static const char *const valued[] = { "--target",     "--kernel",	  "--modules",
				      "--kernel-deb", "--libsctp",	  "--profile",
				      "--suite",      "--case",		  "--timeout",
				      "--reports",    "--journal",	  "--repeat",
				      "--jobs",	      "--shuffle",	  "--shard",
				      "--collect",    "--claims",	  "--libsctp-archive",
				      "--gate",	      "--accept-failures" };

/* A whole number from 1 to max. */
static int parse_number(const char *v, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long n;

	if (*v < '0' || *v > '9')
		return -1;
	errno = 0;
	n = strtoul(v, &end, 10);
	if (errno || *end || n == 0 || n > max)
		return -1;
	*out = n;
	return 0;
}

static int set_valued(int which, const char *v, struct pst_opts *o, char *err, size_t errlen)
{
	unsigned long n;

	if (!*v) {
		snprintf(err, errlen, "%s needs a non-empty value", valued[which]);
		return -1;
	}
	switch (which) {
	case O_TARGET:
		if (parse_target(v, &o->target) == 0)
			return 0;
		snprintf(err, errlen, "--target must be auto, host, uml or qemu, not '%s'", v);
		return -1;
	case O_TIMEOUT:
		if (parse_number(v, PST_MAX_TIMEOUT_S, &n) == 0) {
			o->timeout_s = (unsigned)n;
			return 0;
		}
		snprintf(err, errlen,
			 "--timeout must be a whole number of seconds from 1 to %d, not '%s'",
			 PST_MAX_TIMEOUT_S, v);
		return -1;
	case O_PROFILE:
		if (strcmp(v, "linux") == 0 || strcmp(v, "solaris") == 0 ||
		    strcmp(v, "rfc6458") == 0) {
			o->profile = v;
			return 0;
		}
		snprintf(err, errlen, "--profile must be linux, solaris or rfc6458, not '%s'", v);
		return -1;
	case O_KERNEL:
		o->kernel = v;
		return 0;
	case O_MODULES:
		o->modules = v;
		return 0;
	case O_KERNEL_DEB:
		o->deb = v;
		return 0;
	case O_LIBSCTP:
		o->libsctp = v;
		return 0;
	case O_SUITE:
		o->suite = v;
		return 0;
	case O_CASE:
		o->case_glob = v;
		return 0;
	case O_JOURNAL:
		o->journal = v;
		return 0;
	case O_JOBS:
		if (strcmp(v, "auto") == 0) {
			long cores = sysconf(_SC_NPROCESSORS_ONLN);

			o->jobs = cores < 1		 ? 1
				  : cores > PST_MAX_JOBS ? PST_MAX_JOBS
							 : (unsigned)cores;
			return 0;
		}
		if (parse_number(v, PST_MAX_JOBS, &n) == 0) {
			o->jobs = (unsigned)n;
			return 0;
		}
		snprintf(err, errlen,
			 "--jobs must be auto or a whole number from 1 to %d, not '%s'",
			 PST_MAX_JOBS, v);
		return -1;
	case O_SHARD: {
		unsigned k, of;
		int used = 0;

		if (sscanf(v, "%u/%u%n", &k, &of, &used) == 2 && !v[used] && of >= 1 &&
		    of <= PST_MAX_JOBS && k < of) {
			o->shard = k;
			o->shards = of;
			return 0;
		}
		snprintf(err, errlen, "--shard must be K/N with 0 <= K < N <= %d, not '%s'",
			 PST_MAX_JOBS, v);
		return -1;
	}
	case O_COLLECT:
		o->collect = v;
		return 0;
	case O_CLAIMS:
		o->claims = v;
		return 0;
	case O_LIBSCTP_ARCHIVE:
		o->libsctp_a = v;
		return 0;
	case O_ACCEPT:
		o->accept = v;
		return 0;
	case O_REPEAT:
		if (parse_number(v, PST_MAX_REPEAT, &n) == 0) {
			o->repeat = (unsigned)n;
			return 0;
		}
		snprintf(err, errlen, "--repeat must be a whole number from 1 to %d, not '%s'",
			 PST_MAX_REPEAT, v);
		return -1;
	case O_GATE:
		if (strcmp(v, "requirements") == 0 || strcmp(v, "changes") == 0) {
			o->changes_pass = strcmp(v, "requirements") == 0;
			return 0;
		}
		snprintf(err, errlen,
			 strcmp(v, "new-failures") == 0
			     ? "--gate new-failures needs --baseline DIR (the run to compare with)"
			     : "--gate must be requirements, changes or new-failures, not '%s'",
			 v);
		return -1;
	case O_SHUFFLE:
		if (strcmp(v, "0") == 0 || parse_number(v, ULONG_MAX, &n) == 0) {
			o->shuffle = true;
			o->seed = strcmp(v, "0") == 0 ? 0 : n;
			return 0;
		}
		snprintf(err, errlen, "--shuffle takes a seed, a whole number, not '%s'", v);
		return -1;
	default:
		o->reports = v;
		return 0;
	}
}

/* argv as main() has it: C has no implicit char ** -> const char *const * */
// cppcheck-suppress constParameter
int pst_opts_parse(int argc, char *const argv[], struct pst_opts *o, char *err, size_t errlen)
{
	*o = (struct pst_opts){ .target = PST_TARGET_AUTO,
				.reports = "reports",
				.profile = "linux",
				.timeout_s = PST_DEFAULT_TIMEOUT_S,
				.repeat = 1,
				.jobs = 1,
				.shards = 1 };
	/* The last option that names a kernel or a build: --kernel-coverage brings its own. */
	const char *kernel_choice = NULL;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int which = -1;
		const char *val = NULL;

		if (strcmp(a, "--list") == 0) {
			o->list = true;
			continue;
		}
		if (strcmp(a, "--coverage") == 0) {
			o->coverage = true;
			kernel_choice = "--coverage";
			continue;
		}
		if (strcmp(a, "--kernel-coverage") == 0) {
			o->kernel_coverage = true;
			continue;
		}
		if (strcmp(a, "--check-requirements") == 0) {
			o->check_reqs = true;
			continue;
		}
		if (strcmp(a, "--selftest") == 0) {
			o->selftest = true;
			continue;
		}
		if (strcmp(a, "--resume") == 0) {
			o->resume = true;
			continue;
		}
		if (strcmp(a, "--strict-waivers") == 0) {
			o->strict_waivers = true;
			continue;
		}
		if (strcmp(a, "--probe") == 0) {
			o->probe = true;
			continue;
		}
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			o->help = true;
			continue;
		}
		if (strcmp(a, "--header") == 0) {
			o->header = true;
			continue;
		}
		if (strcmp(a, "--quiet") == 0) {
			o->quiet = true;
			continue;
		}
		for (size_t k = 0; k < sizeof(valued) / sizeof(valued[0]); k++) {
			size_t n = strlen(valued[k]);

			if (strncmp(a, valued[k], n) == 0 && (a[n] == '\0' || a[n] == '=')) {
				which = (int)k;
				val = a[n] == '=' ? a + n + 1 : NULL;
				break;
			}
		}
		if (which < 0) {
			snprintf(err, errlen, "unknown option '%s' (see --help)", a);
			return -1;
		}
		if (!val) {
			if (i + 1 >= argc) {
				snprintf(err, errlen, "%s needs a value", valued[which]);
				return -1;
			}
			val = argv[++i];
		}
		if (set_valued(which, val, o, err, errlen) < 0)
			return -1;
		if (which == O_TARGET || which == O_KERNEL || which == O_MODULES ||
		    which == O_KERNEL_DEB)
			kernel_choice = valued[which];
	}
	if (o->kernel_coverage && kernel_choice) {
		snprintf(
		    err, errlen,
		    "--kernel-coverage and %s do not go together (it runs its own kernel in UML)",
		    kernel_choice);
		return -1;
	}
	if (o->jobs > 1 && o->repeat > 1) {
		snprintf(err, errlen, "--jobs and --repeat do not go together");
		return -1;
	}
	if (o->deb && o->target != PST_TARGET_AUTO && o->target != PST_TARGET_QEMU) {
		snprintf(err, errlen, "--kernel-deb needs --target qemu, not %s",
			 pst_target_name(o->target));
		return -1;
	}
	if (o->deb && (o->kernel || o->modules)) {
		snprintf(err, errlen, "--kernel-deb goes without --kernel and --modules");
		return -1;
	}
	if (o->target == PST_TARGET_QEMU && !o->kernel && !o->deb && !o->help) {
		snprintf(
		    err, errlen,
		    "--target qemu needs --kernel VMLINUZ [--modules DIR] or --kernel-deb FILE");
		return -1;
	}
	if (o->shards > 1 && (!o->journal || o->jobs > 1)) {
		snprintf(err, errlen, "--shard needs --journal FILE and goes without --jobs");
		return -1;
	}
	if (o->claims && o->shards < 2) {
		snprintf(err, errlen, "--claims goes with --shard K/N");
		return -1;
	}
	if (o->resume && !o->journal) {
		snprintf(err, errlen, "--resume needs --journal FILE");
		return -1;
	}
	return 0;
}
