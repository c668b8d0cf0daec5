/*
 * Threads: sctp_peeloff is MT-Level Safe (Solaris sctp_peeloff(3SOCKET)
 * ATTRIBUTES); on Linux, threads peeling different associations of one socket
 * all succeed, and two threads peeling the same one never both win
 * (REF-THREADS-DISTINCT, REF-THREADS-SAME).
 *
 * The workers only call the function under test and record what it returned;
 * every check runs in the case's own thread (CUnit is not thread-safe), and
 * the entry point is probed there first so that a SKIP never starts in a
 * worker.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "../fixtures/assoc.h"
#include "../fixtures/io.h"
#include "suites.h"

#define PARALLEL    PST_MAX_ASSOCS /* threads, one association each */
#define RACERS	    2		   /* threads peeling the same association */
#define RACE_ROUNDS 100		   /* fresh association each round (REF-THREADS-SAME) */

struct pool;

struct worker {
	const struct pst_ctx *ctx;
	struct pool *pool;
	int sd;
	sctp_assoc_t id;
	int fd;			/* what the peel returned */
	int err;		/* its errno */
	int enter_err;		/* the thread could not enter the server netns */
	struct timespec t0, t1; /* when the call began and returned */
};

/*
 * Threads that peel when released together, round after round: each waits
 * at the start barrier, peels, and meets the case's thread at the done
 * barrier. They live through every round: a thread's creation and exit, not
 * the peel, were most of a race round under UML (two clones, a netns entry,
 * two exits).
 */
struct pool {
	int n;
	pthread_t tid[PARALLEL];
	pthread_barrier_t start, done; /* the n workers and the case's thread */
	bool stop;
	struct worker w[PARALLEL];
};

static void peel_timed(struct worker *w)
{
	clock_gettime(CLOCK_MONOTONIC, &w->t0);
	errno = 0;
	w->fd = pst_peel(w->ctx, w->sd, w->id);
	w->err = errno;
	clock_gettime(CLOCK_MONOTONIC, &w->t1);
}

static void *peel_worker(void *arg)
{
	struct worker *w = arg;

	/* The socket's netns, explicitly: a peel from another one is refused (CVE-2017-15115). */
	w->enter_err = pst_topo_enter(w->ctx->topo, PST_SERVER) < 0 ? errno : 0;
	for (;;) {
		pthread_barrier_wait(&w->pool->start);
		if (w->pool->stop)
			return NULL;
		if (!w->enter_err)
			peel_timed(w);
		pthread_barrier_wait(&w->pool->done);
	}
}

/* n workers, waiting for their first round; BROKEN if a thread cannot run. */
static void pool_start(struct pool *p, const struct pst_ctx *ctx, int n)
{
	int e;

	p->n = n;
	p->stop = false;
	if ((e = pthread_barrier_init(&p->start, NULL, (unsigned)n + 1)) != 0 ||
	    (e = pthread_barrier_init(&p->done, NULL, (unsigned)n + 1)) != 0)
		pst_broken("pthread_barrier_init: %s", pst_errname(e));
	for (int i = 0; i < n; i++) {
		p->w[i] = (struct worker){ .ctx = ctx, .pool = p, .fd = -1 };
		if ((e = pthread_create(&p->tid[i], NULL, peel_worker, &p->w[i])) != 0)
			pst_broken("pthread_create (thread %d of %d): %s", i + 1, n,
				   pst_errname(e));
	}
}

/* One round: every worker peels its w[i].id of its w[i].sd, all released at once. */
static void pool_round(struct pool *p)
{
	for (int i = 0; i < p->n; i++)
		p->w[i].fd = -1;
	pthread_barrier_wait(&p->start);
	pthread_barrier_wait(&p->done);
	for (int i = 0; i < p->n; i++)
		if (p->w[i].enter_err)
			pst_broken("thread %d could not enter the server netns: %s", i + 1,
				   pst_errname(p->w[i].enter_err));
}

static void pool_stop(struct pool *p)
{
	p->stop = true;
	pthread_barrier_wait(&p->start);
	for (int i = 0; i < p->n; i++)
		pthread_join(p->tid[i], NULL);
	pthread_barrier_destroy(&p->start);
	pthread_barrier_destroy(&p->done);
}

/*
 * Go through the case's entry point once here, with a descriptor that cannot
 * be a socket: whatever would SKIP (a profile without it, a libsctp without
 * sctp_peeloff_flags) does so in the case's thread, never in a worker.
 */
static void probe_entry(const struct pst_ctx *ctx)
{
	(void)pst_peel(ctx, -1, 0);
}

static void setup8(struct pst_ctx *ctx)
{
	pst_assoc_setup(ctx, PARALLEL);
}

static const struct pst_fixture fx_assoc8 = { "assoc8", sizeof(struct pst_assoc_fx), setup8,
					      pst_assoc_teardown };

/* PARALLEL threads peel PARALLEL different associations of one socket at the same time. */
static void parallel_distinct_assocs(struct pst_ctx *ctx)
{
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	struct pool pool;
	struct worker *w = pool.w;
	int before, ok = 0;

	probe_entry(ctx);
	pool_start(&pool, ctx, PARALLEL);
	for (int i = 0; i < PARALLEL; i++) {
		w[i].sd = fx->sut;
		w[i].id = fx->id[i];
	}
	before = pst_count_fds();
	pool_round(&pool);
	pool_stop(&pool);

	for (int i = 0; i < PARALLEL; i++) {
		if (w[i].fd < 0) {
			pst_fail_at(__FILE__, __LINE__, false,
				    "thread %d peeling association %d (id %d): expected a new "
				    "descriptor, got %s",
				    i + 1, i + 1, w[i].id, pst_errname(w[i].err));
			continue;
		}
		ok++;
		PST_EXPECT(w[i].fd != fx->sut,
			   "thread %d: expected a new descriptor, got the original socket's (%d)",
			   i + 1, w[i].fd);
		for (int j = 0; j < i; j++)
			PST_EXPECT(w[j].fd != w[i].fd,
				   "threads %d and %d: expected distinct descriptors, both got %d",
				   j + 1, i + 1, w[i].fd);
	}
	PST_EXPECT_EQ(pst_count_fds(), before + ok, "open descriptors after the parallel peels");
	/* Each new socket carries its own association: peer i answers on descriptor i. */
	for (int i = 0; i < PARALLEL; i++) {
		char what[64];

		if (w[i].fd < 0)
			continue;
		snprintf(what, sizeof(what), "peeled socket of thread %d <-> peer %d", i + 1,
			 i + 1);
		pst_expect_exchange(w[i].fd, 0, fx->peer[i], what);
	}
	for (int i = 0; i < PARALLEL; i++)
		if (w[i].fd >= 0 && w[i].fd != fx->sut)
			close(w[i].fd);
}

/*
 * A fresh association of the sut with a new one-to-one client: its id as the
 * sut knows it (from the sut's SCTP_COMM_UP), the client in *client.
 */
static sctp_assoc_t fresh_assoc(struct pst_ctx *ctx, int *client)
{
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	unsigned char addrs[PST_PATHS * sizeof(struct sockaddr_in6)];
	union sctp_notification n;

	pst_pack_addrs(PST_SERVER, ctx->family, PST_SERVER_PORT, addrs);
	PST_SAFE(pst_topo_enter(ctx->topo, PST_CLIENT));
	*client = (int)PST_SAFE(socket(ctx->family, SOCK_STREAM, IPPROTO_SCTP));
	PST_SAFE(pst_connectx(*client, (struct sockaddr *)addrs, PST_PATHS));
	PST_SAFE(pst_topo_enter(ctx->topo, PST_SERVER));
	/* Other changes (an earlier round's association ending) are skipped. */
	do
		if (pst_recv_notification(fx->sut, SCTP_ASSOC_CHANGE, &n, PST_SETUP_TIMEOUT_MS) < 0)
			pst_broken("fresh association: no SCTP_COMM_UP on the server: %s",
				   pst_errname(errno));
	while (n.sn_assoc_change.sac_state != SCTP_COMM_UP);
	return n.sn_assoc_change.sac_assoc_id;
}

static bool before_ts(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

/* Were the two calls in the kernel at the same time (for the log: how hard the race was)? */
static bool overlapped(const struct worker *a, const struct worker *b)
{
	return before_ts(&a->t0, &b->t1) && before_ts(&b->t0, &a->t1);
}

/* What went wrong across the rounds: how often, and the first time, in words. */
struct tally {
	int count;
	char first[160];
};

static void note(struct tally *t, int round, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void note(struct tally *t, int round, const char *fmt, ...)
{
	va_list ap;
	int off;

	if (t->count++)
		return;
	off = snprintf(t->first, sizeof(t->first), "round %d: ", round + 1);
	va_start(ap, fmt);
	vsnprintf(t->first + off, sizeof(t->first) - (size_t)off, fmt, ap);
	va_end(ap);
}

static void expect_never(const struct tally *t, const char *what)
{
	PST_EXPECT(t->count == 0, "%s: expected in no round, got it in %d of %d (first: %s)", what,
		   t->count, RACE_ROUNDS, t->first);
}

/* RACERS threads peel the same association at once, over RACE_ROUNDS fresh associations. */
static void race_same_assoc(struct pst_ctx *ctx)
{
	static const struct pst_errnos loser = { EINVAL, EINVAL, PST_ANY_ERRNO };
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	int expected = pst_expected_errno(ctx, loser);
	struct tally both = { 0 }, neither = { 0 }, wrong_errno = { 0 }, leaked = { 0 };
	int start_fds, overlaps = 0;
	struct pool pool;
	struct worker *w = pool.w;

	probe_entry(ctx);
	start_fds = pst_count_fds();
	pool_start(&pool, ctx, RACERS);
	for (int round = 0; round < RACE_ROUNDS; round++) {
		int client, before, wins = 0, winner = -1;
		sctp_assoc_t id = fresh_assoc(ctx, &client);
		char what[64];

		for (int i = 0; i < RACERS; i++) {
			w[i].sd = fx->sut;
			w[i].id = id;
		}
		before = pst_count_fds();
		pool_round(&pool);
		overlaps += overlapped(&w[0], &w[1]);

		for (int i = 0; i < RACERS; i++)
			if (w[i].fd >= 0) {
				wins++;
				winner = i;
			} else if (expected != PST_ANY_ERRNO && w[i].err != expected) {
				note(&wrong_errno, round, "thread %d got %s", i + 1,
				     pst_errname(w[i].err));
			}
		if (wins > 1)
			note(&both, round, "descriptors %d and %d", w[0].fd, w[1].fd);
		if (wins == 0)
			note(&neither, round, "%s and %s", pst_errname(w[0].err),
			     pst_errname(w[1].err));
		if (pst_count_fds() != before + wins)
			note(&leaked, round, "%d descriptors more, %d peels succeeded",
			     pst_count_fds() - before, wins);
		/* The winner holds the association: it answers its peer. */
		snprintf(what, sizeof(what), "round %d: the winner's socket <-> its peer",
			 round + 1);
		if (wins == 1 && !pst_expect_exchange(w[winner].fd, 0, client, what))
			break;
		for (int i = 0; i < RACERS; i++)
			if (w[i].fd >= 0)
				close(w[i].fd);
		close(client);
	}
	pool_stop(&pool);
	expect_never(&both, "both threads got a descriptor for the same association");
	expect_never(&neither, "neither thread got a descriptor");
	if (expected != PST_ANY_ERRNO) {
		char what[64];

		snprintf(what, sizeof(what), "the losing thread got another errno than %s",
			 pst_errname(expected));
		expect_never(&wrong_errno, what);
	}
	expect_never(&leaked, "the open descriptors grew by other than the successful peels");
	PST_EXPECT_EQ(pst_count_fds(), start_fds, "open descriptors after all rounds, all closed");
	pst_log("%d rounds of %d threads peeling one association; the calls overlapped in time in "
		"%d rounds",
		RACE_ROUNDS, RACERS, overlaps);
}

static const struct pst_case cases[] = {
	{ .name = "peeloff_parallel_threads_distinct_assocs_all_succeed",
	  .fn = parallel_distinct_assocs,
	  .fixture = &fx_assoc8,
	  .axes = PST_AXIS_FAMILY | PST_AXIS_ENTRY,
	  .reqs = "SOL-MT-SAFE IMPL-LNX-MT-DISTINCT LNX-DESC-BRANCH RFC-9.2-BRANCH" },
	{ .name = "peeloff_two_threads_same_assoc_exactly_one_wins",
	  .fn = race_same_assoc,
	  .fixture = &pst_fx_assoc1,
	  .axes = PST_AXIS_ENTRY,
	  .reqs = "SOL-MT-SAFE IMPL-LNX-RACE-SAME LNX-ERR-EINVAL-ID SOL-ERR-EINVAL-ID" },
};

PST_SUITE(pst_suite_concurrency, "peeloff_concurrency",
	  "Threads: Solaris MT-Level Safe; Linux implementation", cases);
