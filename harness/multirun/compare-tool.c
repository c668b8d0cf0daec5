/*
 * build/pst-compare: what run.sh's --kernels, --baseline and --bisect-case do
 * after their runs, over the runs' results.tsv (harness/multirun/compare.h).
 *   pst-compare kernels [--known FILE] OUTDIR LABEL SPEC STATUS DIR [LABEL SPEC STATUS DIR...]
 *       OUTDIR/compare.md, .json and index.html; SPEC: the --kernels entry;
 *       STATUS: that run's run.sh exit status; FILE: the known-bugs catalogue
 *       (suites/known-bugs.tsv) that names the fix of a differing row's bug
 *   pst-compare baseline OLD_DIR NEW_DIR
 *       NEW_DIR/baseline.md and .json, a summary; exit 1 if there are new failures
 *   pst-compare bisect DIR      exit 0 good, 1 bad, 125 cannot test (git bisect run)
 *   pst-compare check DIR       exit 0 if DIR holds a run's results.tsv, else 2
 * Exit 2: usage error, or a reports directory that cannot be read (one message).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"

enum { EXIT_USAGE = 2, EXIT_TARGET = 3 };
enum { KERNEL_ARGS = 4 }; /* LABEL SPEC STATUS DIR */

static int usage(void)
{
	fprintf(stderr,
		"usage: pst-compare kernels [--known FILE] OUTDIR LABEL SPEC STATUS DIR...\n"
		"       pst-compare baseline OLD_DIR NEW_DIR\n"
		"       pst-compare bisect DIR\n"
		"       pst-compare check DIR\n");
	return EXIT_USAGE;
}

static int load(const char *dir, struct pst_run *r)
{
	char err[1024];

	if (pst_run_load(dir, r, err, sizeof(err)) == 0)
		return 0;
	fprintf(stderr, "run.sh: %s\n", err);
	return -1;
}

static int kernels(int argc, char **argv)
{
	struct pst_known known = { 0 };
	const char *out;
	size_t ncols;
	struct pst_column *cols;
	struct pst_compare c;
	int rc = 0;

	if (argc >= 2 && strcmp(argv[0], "--known") == 0) {
		char err[1024];

		if (pst_known_load(argv[1], &known, err, sizeof(err)) < 0) {
			fprintf(stderr, "run.sh: the known-bugs catalogue %s\n", err);
			return EXIT_USAGE;
		}
		argc -= 2;
		argv += 2;
	}
	out = argv[0];
	ncols = (size_t)(argc - 1) / KERNEL_ARGS;
	if (argc < 1 + KERNEL_ARGS || (argc - 1) % KERNEL_ARGS) {
		pst_known_free(&known);
		return usage();
	}
	cols = calloc(ncols, sizeof(*cols));
	if (!cols)
		return EXIT_USAGE;
	for (size_t k = 0; k < ncols; k++) {
		char **a = &argv[1 + k * KERNEL_ARGS];

		cols[k].label = a[0];
		cols[k].spec = a[1];
		cols[k].status = atoi(a[2]);
		if (pst_column_ran(&cols[k]) && load(a[3], &cols[k].run) < 0)
			cols[k].status = EXIT_TARGET; /* ran, but left no results: could not run */
		if (!cols[k].run.dir)
			cols[k].run.dir = strdup(a[3]);
	}
	if (pst_compare_columns(cols, ncols, &c) < 0 ||
	    pst_compare_write(out, cols, ncols, &c, &known) < 0) {
		perror("run.sh: writing compare.md/compare.json/index.html");
		rc = EXIT_TARGET;
	} else {
		printf("compare: %zu kernels, %zu cases, %zu differ: %s/compare.md, "
		       "%s/compare.json, %s/index.html\n",
		       ncols, c.n, c.ndiffer, out, out, out);
	}
	pst_compare_free(&c);
	pst_known_free(&known);
	for (size_t k = 0; k < ncols; k++)
		pst_run_free(&cols[k].run);
	free(cols);
	return rc;
}

static int baseline(const char *old_dir, const char *new_dir)
{
	struct pst_run old, now;
	struct pst_baseline b;
	unsigned nf;

	if (load(old_dir, &old) < 0)
		return EXIT_USAGE;
	if (load(new_dir, &now) < 0) {
		pst_run_free(&old);
		return EXIT_USAGE;
	}
	if (pst_baseline_diff(&old, &now, &b) < 0 ||
	    pst_baseline_write(new_dir, &old, &now, &b) < 0) {
		perror("run.sh: writing baseline.md/baseline.json");
		pst_run_free(&old);
		pst_run_free(&now);
		return EXIT_TARGET;
	}
	for (size_t i = 0; i < b.n; i++)
		if (b.rows[i].change != PST_UNCHANGED && b.rows[i].change != PST_ADDED)
			printf(
			    "%-16s %s: %s -> %s\n", pst_change_name(b.rows[i].change), b.rows[i].id,
			    b.rows[i].old < 0 ? "-"
					      : pst_verdict_name((enum pst_verdict)b.rows[i].old),
			    b.rows[i].now < 0 ? "-"
					      : pst_verdict_name((enum pst_verdict)b.rows[i].now));
	nf = pst_baseline_new_failures(&b);
	printf("baseline: %u new failures, %u new passes, %u unchanged, %u new cases, %u removed "
	       "(against %s): %s/baseline.md, %s/baseline.json\n",
	       nf, b.counts[PST_NEW_PASS], b.counts[PST_UNCHANGED],
	       b.counts[PST_ADDED] + b.counts[PST_ADDED_FAIL], b.counts[PST_REMOVED], old_dir,
	       new_dir, new_dir);
	pst_baseline_free(&b);
	pst_run_free(&old);
	pst_run_free(&now);
	return nf ? 1 : 0;
}

static int bisect(const char *dir)
{
	struct pst_run r;
	char why[1024];
	int st;

	if (load(dir, &r) < 0)
		return PST_BISECT_SKIP;
	st = pst_bisect_status(&r, why, sizeof(why));
	printf("bisect: exit %d, %s\n", st, why);
	pst_run_free(&r);
	return st;
}

int main(int argc, char **argv)
{
	struct pst_run r;

	if (argc >= 3 && strcmp(argv[1], "kernels") == 0)
		return kernels(argc - 2, argv + 2);
	if (argc == 4 && strcmp(argv[1], "baseline") == 0)
		return baseline(argv[2], argv[3]);
	if (argc == 3 && strcmp(argv[1], "bisect") == 0)
		return bisect(argv[2]);
	if (argc == 3 && strcmp(argv[1], "check") == 0) {
		if (load(argv[2], &r) < 0)
			return EXIT_USAGE;
		pst_run_free(&r);
		return 0;
	}
	return usage();
}
