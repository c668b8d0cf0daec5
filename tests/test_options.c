/*
 * Unit tests of the runner's option parser (harness/runner/options.c): defaults,
 * every option in both "--name VALUE" and "--name=VALUE" forms, and the
 * exact message of every usage error.
 */
#include <CUnit/Basic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "options.h"
#include "unit.h"

#define MAX_ARGS 8
#define ERRLEN	 256

/* An argv vector, NULL terminated, without argv[0] (added by parse()). */
struct argv_vec {
	const char *a[MAX_ARGS];
};

static int parse(const struct argv_vec *in, struct pst_opts *o, char *err, size_t errlen)
{
	const char *argv[MAX_ARGS + 2] = { "run.sh" };
	int argc = 1;

	for (size_t i = 0; i < MAX_ARGS && in->a[i]; i++)
		argv[argc++] = in->a[i];
	argv[argc] = NULL;
	/* pst_opts_parse only reads argv: dropping const here is safe. */
	return pst_opts_parse(argc, (char *const *)argv, o, err, errlen);
}

static void defaults_apply_with_no_arguments(void)
{
	struct argv_vec none = { { NULL } };
	struct pst_opts o;
	char err[ERRLEN] = "";

	CU_ASSERT_EQUAL_FATAL(parse(&none, &o, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(o.target, PST_TARGET_AUTO);
	CU_ASSERT_PTR_NULL(o.kernel);
	CU_ASSERT_PTR_NULL(o.modules);
	CU_ASSERT_PTR_NULL(o.libsctp);
	CU_ASSERT_PTR_NULL(o.libsctp_a);
	CU_ASSERT_PTR_NULL(o.suite);
	CU_ASSERT_PTR_NULL(o.case_glob);
	CU_ASSERT_STRING_EQUAL(o.reports, "reports");
	CU_ASSERT_STRING_EQUAL(o.profile, "linux");
	CU_ASSERT_EQUAL(o.timeout_s, PST_DEFAULT_TIMEOUT_S);
	CU_ASSERT_EQUAL(o.timeout_s, 10);
	CU_ASSERT_FALSE(o.list);
	CU_ASSERT_FALSE(o.help);
	CU_ASSERT_FALSE(o.probe);
}

static void previous_contents_of_opts_are_reset(void)
{
	struct argv_vec none = { { NULL } };
	struct pst_opts o;
	char err[ERRLEN] = "";

	memset(&o, 0xa5, sizeof(o));
	CU_ASSERT_EQUAL_FATAL(parse(&none, &o, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(o.target, PST_TARGET_AUTO);
	CU_ASSERT_PTR_NULL(o.suite);
	CU_ASSERT_PTR_NULL(o.case_glob);
	CU_ASSERT_EQUAL(o.timeout_s, PST_DEFAULT_TIMEOUT_S);
	CU_ASSERT_FALSE(o.list);
	CU_ASSERT_FALSE(o.help);
	CU_ASSERT_FALSE(o.probe);
}

static void flags_set_only_their_own_field(void)
{
	static const struct {
		const char *arg;
		bool list, help, probe;
	} rows[] = {
		{ "--list", true, false, false },
		{ "--probe", false, false, true },
		{ "--help", false, true, false },
		{ "-h", false, true, false },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct argv_vec v = { { rows[i].arg, NULL } };
		struct pst_opts o;
		char err[ERRLEN] = "";

		CU_ASSERT_EQUAL_FATAL(parse(&v, &o, err, sizeof(err)), 0);
		CU_ASSERT_EQUAL(o.list, rows[i].list);
		CU_ASSERT_EQUAL(o.help, rows[i].help);
		CU_ASSERT_EQUAL(o.probe, rows[i].probe);
	}
}

static void all_flags_combine(void)
{
	struct argv_vec v = { { "--list", "--probe", "--help", "--quiet", NULL } };
	struct pst_opts o;
	char err[ERRLEN] = "";

	CU_ASSERT_EQUAL_FATAL(parse(&v, &o, err, sizeof(err)), 0);
	CU_ASSERT_TRUE(o.list);
	CU_ASSERT_TRUE(o.probe);
	CU_ASSERT_TRUE(o.help);
	CU_ASSERT_TRUE(o.quiet);
}

/* The string options: where each lands in struct pst_opts. */
static const char *const *string_field(struct pst_opts *o, const char *name)
{
	if (strcmp(name, "--kernel") == 0)
		return &o->kernel;
	if (strcmp(name, "--modules") == 0)
		return &o->modules;
	if (strcmp(name, "--libsctp") == 0)
		return &o->libsctp;
	if (strcmp(name, "--libsctp-archive") == 0)
		return &o->libsctp_a;
	if (strcmp(name, "--suite") == 0)
		return &o->suite;
	if (strcmp(name, "--case") == 0)
		return &o->case_glob;
	if (strcmp(name, "--reports") == 0)
		return &o->reports;
	return &o->profile;
}

static void string_options_take_value_in_both_forms(void)
{
	static const struct {
		const char *name;
		const char *value;
	} rows[] = {
		{ "--kernel", "/opt/linux.uml" },  { "--modules", "/opt/mods" },
		{ "--libsctp", "./libsctp.so.1" }, { "--suite", "peeloff_errors" },
		{ "--case", "peeloff_*/ipv6/*" },  { "--reports", "/tmp/out" },
		{ "--profile", "linux" },	   { "--libsctp-archive", "./a.so" },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char joined[128];
		struct argv_vec sep = { { rows[i].name, rows[i].value, NULL } };
		struct argv_vec eq = { { joined, NULL } };
		struct pst_opts o;
		char err[ERRLEN] = "";

		snprintf(joined, sizeof(joined), "%s=%s", rows[i].name, rows[i].value);
		CU_ASSERT_EQUAL_FATAL(parse(&sep, &o, err, sizeof(err)), 0);
		CU_ASSERT_PTR_NOT_NULL_FATAL(*string_field(&o, rows[i].name));
		CU_ASSERT_STRING_EQUAL(*string_field(&o, rows[i].name), rows[i].value);

		CU_ASSERT_EQUAL_FATAL(parse(&eq, &o, err, sizeof(err)), 0);
		CU_ASSERT_PTR_NOT_NULL_FATAL(*string_field(&o, rows[i].name));
		CU_ASSERT_STRING_EQUAL(*string_field(&o, rows[i].name), rows[i].value);
	}
}

static void value_after_first_equals_sign_is_kept_whole(void)
{
	struct argv_vec v = { { "--case=a=b", NULL } };
	struct pst_opts o;
	char err[ERRLEN] = "";

	CU_ASSERT_EQUAL_FATAL(parse(&v, &o, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(o.case_glob, "a=b");
}

static void value_that_looks_like_an_option_is_taken_as_the_value(void)
{
	struct argv_vec v = { { "--suite", "--list", NULL } };
	struct pst_opts o;
	char err[ERRLEN] = "";

	CU_ASSERT_EQUAL_FATAL(parse(&v, &o, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(o.suite, "--list");
	CU_ASSERT_FALSE(o.list);
}

static void last_occurrence_of_an_option_wins(void)
{
	struct argv_vec v = { { "--suite", "a", "--suite=b", "--timeout", "5", "--timeout=7",
				NULL } };
	struct pst_opts o;
	char err[ERRLEN] = "";

	CU_ASSERT_EQUAL_FATAL(parse(&v, &o, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(o.suite, "b");
	CU_ASSERT_EQUAL(o.timeout_s, 7);
}

static void options_mix_with_flags_in_any_order(void)
{
	struct argv_vec v = { { "--list", "--target", "uml", "--case=x*", "--probe", "--timeout",
				"30", NULL } };
	struct pst_opts o;
	char err[ERRLEN] = "";

	CU_ASSERT_EQUAL_FATAL(parse(&v, &o, err, sizeof(err)), 0);
	CU_ASSERT_TRUE(o.list);
	CU_ASSERT_TRUE(o.probe);
	CU_ASSERT_EQUAL(o.target, PST_TARGET_UML);
	CU_ASSERT_STRING_EQUAL(o.case_glob, "x*");
	CU_ASSERT_EQUAL(o.timeout_s, 30);
}

static void target_accepts_auto_host_uml_and_qemu(void)
{
	static const struct {
		struct argv_vec v;
		enum pst_target want;
	} rows[] = {
		{ { { "--target", "auto", NULL } }, PST_TARGET_AUTO },
		{ { { "--target", "host", NULL } }, PST_TARGET_HOST },
		{ { { "--target", "uml", NULL } }, PST_TARGET_UML },
		{ { { "--target=auto", NULL } }, PST_TARGET_AUTO },
		{ { { "--target=host", NULL } }, PST_TARGET_HOST },
		{ { { "--target=uml", NULL } }, PST_TARGET_UML },
		{ { { "--target=uml", "--target=auto", NULL } }, PST_TARGET_AUTO },
		{ { { "--target", "qemu", "--kernel", "vmlinuz", NULL } }, PST_TARGET_QEMU },
		{ { { "--target=qemu", "--kernel-deb", "k.deb", NULL } }, PST_TARGET_QEMU },
		{ { { "--kernel-deb=k.deb", NULL } },
		  PST_TARGET_AUTO }, /* run.sh: auto means qemu */
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct pst_opts o;
		char err[ERRLEN] = "";

		CU_ASSERT_EQUAL_FATAL(parse(&rows[i].v, &o, err, sizeof(err)), 0);
		CU_ASSERT_EQUAL(o.target, rows[i].want);
	}
}

static void timeout_accepts_whole_seconds_from_1_to_3600(void)
{
	static const struct {
		const char *value;
		unsigned want;
	} rows[] = {
		{ "1", 1 }, { "10", 10 }, { "010", 10 }, { "3599", 3599 }, { "3600", 3600 },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct argv_vec v = { { "--timeout", rows[i].value, NULL } };
		struct pst_opts o;
		char err[ERRLEN] = "";

		CU_ASSERT_EQUAL_FATAL(parse(&v, &o, err, sizeof(err)), 0);
		CU_ASSERT_EQUAL(o.timeout_s, rows[i].want);
	}
}

static void repeat_and_shuffle_take_their_numbers(void)
{
	struct argv_vec v = { { "--repeat", "20", "--shuffle=4242", NULL } };
	struct argv_vec zero = { { "--shuffle", "0", NULL } };
	struct argv_vec bad_repeat = { { "--repeat", "0", NULL } };
	struct argv_vec bad_seed = { { "--shuffle", "x1", NULL } };
	struct pst_opts o;
	char err[ERRLEN] = "";

	CU_ASSERT_EQUAL_FATAL(parse(&v, &o, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(o.repeat, 20);
	CU_ASSERT_TRUE(o.shuffle);
	CU_ASSERT_EQUAL(o.seed, 4242);
	CU_ASSERT_EQUAL_FATAL(parse(&zero, &o, err, sizeof(err)), 0);
	CU_ASSERT_TRUE(o.shuffle);
	CU_ASSERT_EQUAL(o.seed, 0);
	CU_ASSERT_EQUAL(parse(&bad_repeat, &o, err, sizeof(err)), -1);
	CU_ASSERT_STRING_EQUAL(err, "--repeat must be a whole number from 1 to 1000, not '0'");
	CU_ASSERT_EQUAL(parse(&bad_seed, &o, err, sizeof(err)), -1);
	CU_ASSERT_STRING_EQUAL(err, "--shuffle takes a seed, a whole number, not 'x1'");
}

static void jobs_takes_a_count_and_refuses_repeat(void)
{
	struct argv_vec v = { { "--jobs", "2", NULL } };
	struct argv_vec both = { { "--jobs", "2", "--repeat", "3", NULL } };
	struct argv_vec too_many = { { "--jobs=17", NULL } };
	struct pst_opts o;
	char err[ERRLEN] = "";

	CU_ASSERT_EQUAL_FATAL(parse(&v, &o, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(o.jobs, 2);
	CU_ASSERT_EQUAL(parse(&both, &o, err, sizeof(err)), -1);
	CU_ASSERT_STRING_EQUAL(err, "--jobs and --repeat do not go together");
	CU_ASSERT_EQUAL(parse(&too_many, &o, err, sizeof(err)), -1);
	CU_ASSERT_STRING_EQUAL(err, "--jobs must be auto or a whole number from 1 to 16, not '17'");
}

static void jobs_auto_is_the_core_count_and_shard_is_k_of_n(void)
{
	struct argv_vec automatic = { { "--jobs", "auto", NULL } };
	struct argv_vec shard = { { "--shard", "1/3", "--journal", "j", NULL } };
	struct argv_vec bad_shard = { { "--shard=3/3", "--journal", "j", NULL } };
	struct argv_vec shard_no_journal = { { "--shard", "0/2", NULL } };
	struct pst_opts o;
	char err[ERRLEN] = "";
	long cores = sysconf(_SC_NPROCESSORS_ONLN);

	CU_ASSERT_EQUAL_FATAL(parse(&automatic, &o, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(o.jobs, cores > 16 ? 16 : (unsigned)cores);
	CU_ASSERT_EQUAL_FATAL(parse(&shard, &o, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(o.shard, 1);
	CU_ASSERT_EQUAL(o.shards, 3);
	CU_ASSERT_EQUAL(parse(&bad_shard, &o, err, sizeof(err)), -1);
	CU_ASSERT_STRING_EQUAL(err, "--shard must be K/N with 0 <= K < N <= 16, not '3/3'");
	CU_ASSERT_EQUAL(parse(&shard_no_journal, &o, err, sizeof(err)), -1);
	CU_ASSERT_STRING_EQUAL(err, "--shard needs --journal FILE and goes without --jobs");
}

static void claims_go_with_a_shard(void)
{
	struct argv_vec claimed = { { "--shard", "0/2", "--journal", "j", "--claims", "c", NULL } };
	struct argv_vec alone = { { "--claims", "c", NULL } };
	struct pst_opts o;
	char err[ERRLEN] = "";

	CU_ASSERT_EQUAL_FATAL(parse(&claimed, &o, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(o.claims, "c");
	CU_ASSERT_EQUAL(parse(&alone, &o, err, sizeof(err)), -1);
	CU_ASSERT_STRING_EQUAL(err, "--claims goes with --shard K/N");
}

static void kernel_coverage_refuses_another_kernel_or_build(void)
{
	static const struct {
		struct argv_vec v;
		const char *err;
	} rows[] = {
		{ { { "--kernel-coverage", "--target", "uml", NULL } },
		  "--kernel-coverage and --target do not go together (it runs its own kernel in "
		  "UML)" },
		{ { { "--kernel=/x/linux", "--kernel-coverage", NULL } },
		  "--kernel-coverage and --kernel do not go together (it runs its own kernel in "
		  "UML)" },
		{ { { "--kernel-coverage", "--modules", "/m", NULL } },
		  "--kernel-coverage and --modules do not go together (it runs its own kernel in "
		  "UML)" },
		{ { { "--coverage", "--kernel-coverage", NULL } },
		  "--kernel-coverage and --coverage do not go together (it runs its own kernel in "
		  "UML)" },
		{ { { "--kernel-deb", "/x.deb", "--kernel-coverage", NULL } },
		  "--kernel-coverage and --kernel-deb do not go together (it runs its own kernel "
		  "in "
		  "UML)" },
	};
	struct argv_vec ok = { { "--kernel-coverage", "--suite", "peeloff_basic", "--jobs", "2",
				 NULL } };
	struct pst_opts o;
	char err[ERRLEN] = "";

	CU_ASSERT_EQUAL_FATAL(parse(&ok, &o, err, sizeof(err)), 0);
	CU_ASSERT_TRUE(o.kernel_coverage);
	CU_ASSERT_FALSE(o.coverage);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		CU_ASSERT_EQUAL(parse(&rows[i].v, &o, err, sizeof(err)), -1);
		CU_ASSERT_STRING_EQUAL(err, rows[i].err);
	}
}

static void defaults_run_once_in_declared_order(void)
{
	struct argv_vec v = { { NULL } };
	struct pst_opts o;
	char err[ERRLEN] = "";

	CU_ASSERT_EQUAL_FATAL(parse(&v, &o, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(o.repeat, 1);
	CU_ASSERT_FALSE(o.shuffle);
	CU_ASSERT_FALSE(o.quiet); /* every case's line unless asked */
}

/* Every usage error: the argv, and the one message it must give. */
static void usage_errors_give_minus_one_and_their_message(void)
{
	static const struct {
		struct argv_vec v;
		const char *msg;
	} rows[] = {
		/* unknown options and arguments, named in the message */
		{ { { "--bogus", NULL } }, "unknown option '--bogus' (see --help)" },
		{ { { "-x", NULL } }, "unknown option '-x' (see --help)" },
		{ { { "positional", NULL } }, "unknown option 'positional' (see --help)" },
		{ { { "", NULL } }, "unknown option '' (see --help)" },
		{ { { "--", NULL } }, "unknown option '--' (see --help)" },
		{ { { "--listx", NULL } }, "unknown option '--listx' (see --help)" },
		{ { { "--list=yes", NULL } }, "unknown option '--list=yes' (see --help)" },
		{ { { "--help=1", NULL } }, "unknown option '--help=1' (see --help)" },
		{ { { "--targets", "uml", NULL } }, "unknown option '--targets' (see --help)" },
		{ { { "--TARGET", "uml", NULL } }, "unknown option '--TARGET' (see --help)" },
		{ { { "-target", "uml", NULL } }, "unknown option '-target' (see --help)" },
		{ { { "--list", "--nope", NULL } }, "unknown option '--nope' (see --help)" },
		/* a value is missing */
		{ { { "--suite", NULL } }, "--suite needs a value" },
		{ { { "--list", "--case", NULL } }, "--case needs a value" },
		{ { { "--target", NULL } }, "--target needs a value" },
		{ { { "--timeout", NULL } }, "--timeout needs a value" },
		{ { { "--kernel", NULL } }, "--kernel needs a value" },
		{ { { "--modules", NULL } }, "--modules needs a value" },
		{ { { "--kernel-deb", NULL } }, "--kernel-deb needs a value" },
		{ { { "--libsctp", NULL } }, "--libsctp needs a value" },
		{ { { "--profile", NULL } }, "--profile needs a value" },
		{ { { "--reports", NULL } }, "--reports needs a value" },
		/* an empty value */
		{ { { "--suite=", NULL } }, "--suite needs a non-empty value" },
		{ { { "--case", "", NULL } }, "--case needs a non-empty value" },
		{ { { "--reports=", NULL } }, "--reports needs a non-empty value" },
		{ { { "--kernel", "", NULL } }, "--kernel needs a non-empty value" },
		{ { { "--target=", NULL } }, "--target needs a non-empty value" },
		{ { { "--timeout", "", NULL } }, "--timeout needs a non-empty value" },
		/* --target */
		{ { { "--target", "bsd", NULL } },
		  "--target must be auto, host, uml or qemu, not 'bsd'" },
		{ { { "--target=HOST", NULL } },
		  "--target must be auto, host, uml or qemu, not 'HOST'" },
		{ { { "--target", "umlx", NULL } },
		  "--target must be auto, host, uml or qemu, not 'umlx'" },
		{ { { "--target", "--list", NULL } },
		  "--target must be auto, host, uml or qemu, not '--list'" },
		/* --target qemu and --kernel-deb */
		{ { { "--target", "qemu", NULL } },
		  "--target qemu needs --kernel VMLINUZ [--modules DIR] or --kernel-deb FILE" },
		{ { { "--target", "uml", "--kernel-deb", "k.deb", NULL } },
		  "--kernel-deb needs --target qemu, not uml" },
		{ { { "--kernel-deb", "k.deb", "--target=host", NULL } },
		  "--kernel-deb needs --target qemu, not host" },
		{ { { "--kernel-deb", "k.deb", "--modules", "m", NULL } },
		  "--kernel-deb goes without --kernel and --modules" },
		/* --timeout */
		{ { { "--timeout", "0", NULL } },
		  "--timeout must be a whole number of seconds from 1 to 3600, not '0'" },
		{ { { "--timeout", "3601", NULL } },
		  "--timeout must be a whole number of seconds from 1 to 3600, not '3601'" },
		{ { { "--timeout=-1", NULL } },
		  "--timeout must be a whole number of seconds from 1 to 3600, not '-1'" },
		{ { { "--timeout=+5", NULL } },
		  "--timeout must be a whole number of seconds from 1 to 3600, not '+5'" },
		{ { { "--timeout", " 5", NULL } },
		  "--timeout must be a whole number of seconds from 1 to 3600, not ' 5'" },
		{ { { "--timeout", "5s", NULL } },
		  "--timeout must be a whole number of seconds from 1 to 3600, not '5s'" },
		{ { { "--timeout", "1.5", NULL } },
		  "--timeout must be a whole number of seconds from 1 to 3600, not '1.5'" },
		{ { { "--timeout", "ten", NULL } },
		  "--timeout must be a whole number of seconds from 1 to 3600, not 'ten'" },
		{ { { "--timeout", "0x10", NULL } },
		  "--timeout must be a whole number of seconds from 1 to 3600, not '0x10'" },
		{ { { "--timeout", "99999999999999999999999", NULL } },
		  "--timeout must be a whole number of seconds from 1 to 3600, "
		  "not '99999999999999999999999'" },
		{ { { "--timeout", "4294967297", NULL } },
		  "--timeout must be a whole number of seconds from 1 to 3600, not '4294967297'" },
		/* --profile */
		{ { { "--profile", "illumos", NULL } },
		  "--profile must be linux, solaris or rfc6458, not 'illumos'" },
		{ { { "--profile=Linux", NULL } },
		  "--profile must be linux, solaris or rfc6458, not 'Linux'" },
		/* the first error is the one reported */
		{ { { "--bad1", "--bad2", NULL } }, "unknown option '--bad1' (see --help)" },
		{ { { "--timeout", "0", "--target", "x", NULL } },
		  "--timeout must be a whole number of seconds from 1 to 3600, not '0'" },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct pst_opts o;
		char err[ERRLEN] = "";
		int rc = parse(&rows[i].v, &o, err, sizeof(err));

		CU_ASSERT_EQUAL(rc, -1);
		CU_ASSERT_STRING_EQUAL(err, rows[i].msg);
		if (rc != -1 || strcmp(err, rows[i].msg) != 0)
			fprintf(stderr, "\n  row %zu: rc %d, err '%s', want '%s'\n", i, rc, err,
				rows[i].msg);
	}
}

static void long_message_is_truncated_to_errlen(void)
{
	struct argv_vec v = { { "--unknown-and-rather-long-option", NULL } };
	struct pst_opts o;
	char err[16];

	memset(err, 'X', sizeof(err));
	CU_ASSERT_EQUAL(parse(&v, &o, err, 12), -1);
	CU_ASSERT_EQUAL(strlen(err), 11);
	CU_ASSERT_NSTRING_EQUAL(err, "unknown opt", 11);
	CU_ASSERT_EQUAL(err[12], 'X'); /* nothing written past errlen */
}

static void argv_is_not_modified(void)
{
	char a1[] = "--case=x*";
	char a2[] = "--suite";
	char a3[] = "s";
	char *argv[] = { "run.sh", a1, a2, a3, NULL };
	struct pst_opts o;
	char err[ERRLEN] = "";

	CU_ASSERT_EQUAL_FATAL(pst_opts_parse(4, argv, &o, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(a1, "--case=x*");
	CU_ASSERT_STRING_EQUAL(a2, "--suite");
	CU_ASSERT_STRING_EQUAL(a3, "s");
	/* The values point into argv, not at copies. */
	CU_ASSERT_PTR_EQUAL(o.case_glob, a1 + strlen("--case="));
	CU_ASSERT_PTR_EQUAL(o.suite, a3);
}

static void arguments_past_argc_are_ignored(void)
{
	char *argv[] = { "run.sh", "--list", "--bogus", NULL };
	struct pst_opts o;
	char err[ERRLEN] = "";

	CU_ASSERT_EQUAL_FATAL(pst_opts_parse(2, argv, &o, err, sizeof(err)), 0);
	CU_ASSERT_TRUE(o.list);
	/* And a value is never read from past argc. */
	argv[1] = "--suite";
	argv[2] = "s";
	CU_ASSERT_EQUAL(pst_opts_parse(2, argv, &o, err, sizeof(err)), -1);
	CU_ASSERT_STRING_EQUAL(err, "--suite needs a value");
}

static void target_names_round_trip(void)
{
	CU_ASSERT_STRING_EQUAL(pst_target_name(PST_TARGET_AUTO), "auto");
	CU_ASSERT_STRING_EQUAL(pst_target_name(PST_TARGET_HOST), "host");
	CU_ASSERT_STRING_EQUAL(pst_target_name(PST_TARGET_UML), "uml");
	CU_ASSERT_STRING_EQUAL(pst_target_name((enum pst_target)42), "auto");
}

static void usage_lists_every_option(void)
{
	static const char *const names[] = {
		"--target",
		"--kernel",
		"--modules",
		"--libsctp",
		"--profile",
		"--suite",
		"--case",
		"--timeout",
		"--reports",
		"--list",
		"--probe",
		"--help",
		"--repeat",
		"--jobs",
		"--shuffle",
		"--journal",
		"--resume",
		"--selftest",
		"--check-requirements",
		"--libsctp-archive",
		"--quiet",
	};

	CU_ASSERT_NSTRING_EQUAL(pst_usage, "usage: ", 7);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		CU_ASSERT_PTR_NOT_NULL(strstr(pst_usage, names[i]));
		if (!strstr(pst_usage, names[i]))
			fprintf(stderr, "\n  usage lacks %s\n", names[i]);
	}
	CU_ASSERT_EQUAL(pst_usage[strlen(pst_usage) - 1], '\n');
}

int main(void)
{
	static const struct pst_unit_test tests[] = {
		PST_UNIT_TEST(defaults_apply_with_no_arguments),
		PST_UNIT_TEST(previous_contents_of_opts_are_reset),
		PST_UNIT_TEST(flags_set_only_their_own_field),
		PST_UNIT_TEST(all_flags_combine),
		PST_UNIT_TEST(string_options_take_value_in_both_forms),
		PST_UNIT_TEST(value_after_first_equals_sign_is_kept_whole),
		PST_UNIT_TEST(value_that_looks_like_an_option_is_taken_as_the_value),
		PST_UNIT_TEST(last_occurrence_of_an_option_wins),
		PST_UNIT_TEST(options_mix_with_flags_in_any_order),
		PST_UNIT_TEST(target_accepts_auto_host_uml_and_qemu),
		PST_UNIT_TEST(timeout_accepts_whole_seconds_from_1_to_3600),
		PST_UNIT_TEST(usage_errors_give_minus_one_and_their_message),
		PST_UNIT_TEST(long_message_is_truncated_to_errlen),
		PST_UNIT_TEST(argv_is_not_modified),
		PST_UNIT_TEST(arguments_past_argc_are_ignored),
		PST_UNIT_TEST(target_names_round_trip),
		PST_UNIT_TEST(usage_lists_every_option),
		PST_UNIT_TEST(repeat_and_shuffle_take_their_numbers),
		PST_UNIT_TEST(kernel_coverage_refuses_another_kernel_or_build),
		PST_UNIT_TEST(defaults_run_once_in_declared_order),
		PST_UNIT_TEST(jobs_takes_a_count_and_refuses_repeat),
		PST_UNIT_TEST(jobs_auto_is_the_core_count_and_shard_is_k_of_n),
		PST_UNIT_TEST(claims_go_with_a_shard),
	};

	return pst_unit_main("options", tests, sizeof(tests) / sizeof(tests[0]), NULL, NULL);
}
