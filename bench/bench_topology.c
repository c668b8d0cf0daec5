/*
 * Cost of one topology per case: create and destroy N of them in a row and
 * report the time per setup+teardown (budget: 30 ms inside UML). The kernel
 * frees a namespace later, in a worker (cleanup_net): that cost lands in the
 * following iterations, hence max >> median, and the mean of a long run is
 * the figure that includes it.
 *
 * usage: bench_topology [-v] [-n N] [-o FILE.json]   (-v: every iteration's time)
 */
#include "topology.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void usage(const char *argv0)
{
	fprintf(stderr, "usage: %s [-v] [-n N] [-o FILE.json]\n", argv0);
	exit(2);
}

int main(int argc, char **argv)
{
	const char *out = NULL;
	char prefix[48], err[256];
	double *ms, sum = 0, median, max = 0, setup = 0;
	long n = 50;
	int opt, verbose = 0;

	while ((opt = getopt(argc, argv, "vn:o:")) != -1) {
		char *end;

		switch (opt) {
		case 'n':
			errno = 0;
			n = strtol(optarg, &end, 10);
			if (errno || *end || n < 1 || n > 1000000)
				usage(argv[0]);
			break;
		case 'o':
			out = optarg;
			break;
		case 'v':
			verbose = 1;
			break;
		default:
			usage(argv[0]);
		}
	}
	if (optind != argc)
		usage(argv[0]);

	ms = calloc((size_t)n, sizeof(*ms));
	if (!ms) {
		perror("calloc");
		return 1;
	}
	snprintf(prefix, sizeof(prefix), "pstbench%d", (int)getpid());
	for (long i = 0; i < n; i++) {
		struct pst_topo t;
		double t0 = now_ms();

		if (pst_topo_create(&t, prefix, err, sizeof(err))) {
			fprintf(stderr, "bench_topology: iteration %ld: %s\n", i, err);
			free(ms);
			return 1;
		}
		setup += now_ms() - t0;
		pst_topo_destroy(&t);
		ms[i] = now_ms() - t0;
		if (verbose)
			printf("%ld %.3f\n", i, ms[i]);
		sum += ms[i];
		if (ms[i] > max)
			max = ms[i];
	}
	qsort(ms, (size_t)n, sizeof(*ms), cmp_double);
	median = n % 2 ? ms[n / 2] : (ms[n / 2 - 1] + ms[n / 2]) / 2;
	printf("topology setup+teardown: n=%ld mean=%.3f ms median=%.3f ms max=%.3f ms "
	       "(mean setup %.3f ms, teardown %.3f ms)\n",
	       n, sum / n, median, max, setup / n, (sum - setup) / n);
	free(ms);

	if (out) {
		FILE *f = fopen(out, "w");

		if (!f) {
			fprintf(stderr, "bench_topology: %s: %s\n", out, strerror(errno));
			return 1;
		}
		fprintf(f,
			"{\"topology_setup_teardown_ms\": {\"mean\": %.3f, \"median\": %.3f, "
			"\"max\": %.3f, \"n\": %ld}}\n",
			sum / n, median, max, n);
		if (fclose(f)) {
			fprintf(stderr, "bench_topology: %s: %s\n", out, strerror(errno));
			return 1;
		}
	}
	return 0;
}
