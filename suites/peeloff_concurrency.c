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
 *
 * A race passes only if it raced: the two-thread case counts the rounds in
 * which both calls were in progress at once (see raced() for what counts),
 * steers the threads' start times towards each other from round to round
 * (after LTP's fuzzy synchronisation, see struct race), and is SKIP, not
 * PASS, when fewer than RACE_MIN_OVERLAPS rounds overlapped: on one CPU
 * (User-Mode Linux) two calls cannot run at once, and the case says so.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "../fixtures/assoc.h"
#include "../fixtures/io.h"
#include "suites.h"

#define PARALLEL    8	/* threads, one association each (<= PST_MAX_ASSOCS) */
#define RACERS	    2	/* threads peeling the same association */
#define RACE_ROUNDS 100 /* fresh association each round (REF-THREADS-SAME) */
/*
 * Fewer overlapped rounds than this (raced()) and the case is SKIP: a PASS
 * must rest on races that happened. Measured on Debian's 6.1.0-57 under QEMU
 * TCG with 2 vCPUs on the 2-core development machine: 94-100 of 100 with the
 * host otherwise idle; 10-65 of the first 100 with other guests and a kernel
 * build beside it (load 3-8), where a few runs needed more rounds (10 of
 * 125-351); on User-Mode Linux (one CPU): 0 of 100, always.
 */
#define RACE_MIN_OVERLAPS 10
/*
 * With two CPUs or more and fewer than RACE_MIN_OVERLAPS overlaps after
 * RACE_ROUNDS, more rounds, up to RACE_MAX_ROUNDS in all while the case has
 * run less than RACE_MAX_MS: a loaded host gives a guest's two vCPUs a core
 * each at the same time only now and then. Not on one CPU, where no number
 * of rounds makes two threads run at once.
 */
#define RACE_MAX_ROUNDS	       400
#define RACE_MAX_MS	       4000
#define RACE_SAMPLES	       8 /* rounds without delays that measure the threads' timing first */
#define RACE_MAX_DELAY_NS      1000000 /* a bound on one delay (the calls take tens of microseconds) */
#define RACE_SPINS_YIELD       4096 /* spins between yields while the other thread is not there */
#define NS_PER_S	       1000000000L
#define NS_PER_MS	       1000000L
#define SPIN_CALIBRATIONS      5
#define SPIN_CALIBRATION_TURNS 20000

struct pool;

struct worker {
	const struct pst_ctx *ctx;
	struct pool *pool;
	int idx; /* which thread: 0, 1, ... */
	int sd;
	sctp_assoc_t id;
	int fd;			/* what the peel returned */
	int err;		/* its errno */
	int enter_err;		/* the thread could not enter the server netns */
	struct timespec t0, t1; /* CLOCK_MONOTONIC just before the call and just after it */
	long slept;		/* voluntary context switches around the call (raced()) */
	long preempted;		/* involuntary ones */
};

/*
 * Fuzzy synchronisation of two racers, after LTP's (tst_fuzzy_sync.h): meet,
 * then delay one of them by a spin so that their calls meet in time.
 *
 * Each thread runs on a CPU of its own (race_init()). Each round both first
 * meet at a spin rendezvous (arrived[], race_meet()): no futex wake-up latency
 * between them. Then thread i spins delay_ns[i] (a number of turns of an empty
 * loop, timed once before the rounds: in Debian's kernel under QEMU TCG the
 * guest marks the TSC unstable and each clock read is an emulated HPET access
 * under QEMU's global lock, too slow and too disturbing to spin on) and calls.
 * The case's thread keeps moving averages of the start offset the threads
 * have without delays (thread 2's t0 minus thread 1's, the delays taken out)
 * and of each call's duration (race_learn()). The windows meet when the
 * offset lies between minus thread 2's duration and plus thread 1's; after
 * RACE_SAMPLES rounds each round aims at an offset drawn evenly from the
 * middle half of that interval (so which thread gets in first varies, as
 * LTP's random delays vary which parts of the calls meet) and delays the
 * thread that would otherwise start early (race_plan()).
 *
 * With one CPU the threads neither meet nor wait: the start barrier alone
 * releases them. A spin there only holds the CPU the other thread waits for,
 * two threads cannot run at once whatever the delay, and LTP's answer, to
 * yield while waiting, cost 5-8 ms a round under User-Mode Linux (the
 * yielding thread kept the CPU until the next tick): 0.5-0.8 s for the case.
 */
struct race {
	atomic_int arrived[RACERS]; /* the round each thread has reached the rendezvous of */
	int cpus;		    /* CPUs this process may run on */
	int cpu[RACERS];	    /* the one each thread runs on; -1: any */
	cpu_set_t all;		    /* the CPUs the case's thread had before */
	long delay_ns[RACERS];	    /* this round's delay of each thread */
	double spin_ns;		    /* how long one turn of spin() takes */
	double offset_ns;	    /* average start offset without delays (thread 2 - thread 1) */
	double dur_ns[RACERS];	    /* average duration of each thread's call */
	int samples;		    /* rounds that went into the averages */
	unsigned rng;
};

/*
 * Threads that peel when released together, round after round: each waits
 * at the start barrier, peels, and meets the case's thread at the done
 * barrier. They live through every round: a thread's creation and exit, not
 * the peel, were most of a race round under UML (two clones, a netns entry,
 * two exits). In a race the case's thread is thread 1 (w[0]) and peels
 * between the barriers too, as in LTP, so that no third thread wants one of
 * the racers' CPUs: with a separate releasing thread, a racer was preempted
 * by it (the releaser still on its way to the done barrier) in most rounds.
 * The racers also meet each other after the start barrier (struct race).
 */
struct pool {
	int n;
	pthread_t tid[PARALLEL];
	pthread_barrier_t start, done; /* the n workers and the case's thread */
	bool stop;
	int round;
	struct race *race; /* NULL: released by the start barrier only */
	int self;	   /* 1: the case's thread is w[0] (a race), the threads w[1..n-1] */
	struct worker w[PARALLEL];
};

static long ts_ns(const struct timespec *t)
{
	return t->tv_sec * NS_PER_S + t->tv_nsec;
}

static long now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return ts_ns(&t);
}

/*
 * The call, timed, and the thread's context switches since u0 (read just
 * before t0: read before the rendezvous instead, a thread waiting there for
 * the other's vCPU was preempted in most rounds under QEMU on a loaded host,
 * and those rounds could not count).
 */
static void peel_timed(struct worker *w, const struct rusage *u0)
{
	struct rusage u1;

	clock_gettime(CLOCK_MONOTONIC, &w->t0);
	errno = 0;
	w->fd = pst_peel(w->ctx, w->sd, w->id);
	w->err = errno;
	clock_gettime(CLOCK_MONOTONIC, &w->t1);
	getrusage(RUSAGE_THREAD, &u1);
	w->slept = u1.ru_nvcsw - u0->ru_nvcsw;
	w->preempted = u1.ru_nivcsw - u0->ru_nivcsw;
}

/* Busy for n turns of an empty loop: the delay. */
static void spin(long n)
{
	for (volatile long k = n; k > 0; k--)
		;
}

/*
 * How long one turn of spin() takes, in ns: the quickest of a few timed runs
 * (a slower run is one the thread was not running all along).
 */
static double spin_ns(void)
{
	double best = 0;

	for (int run = 0; run < SPIN_CALIBRATIONS; run++) {
		long t = now_ns();

		spin(SPIN_CALIBRATION_TURNS);
		t = now_ns() - t;
		if (run == 0 || (double)t < best)
			best = (double)t;
	}
	return best > 0 ? best / SPIN_CALIBRATION_TURNS : 1;
}

/* Thread i of a race: wait for the other thread of this round, then spin this round's delay. */
static void race_meet(struct race *r, int i, int round)
{
	if (r->cpus < 2)
		return;
	/*
	 * Two steps: here (2 round - 1), then "seen you" (2 round). A thread
	 * leaves when the other has seen it, so both were running just now:
	 * with one step, a thread whose CPU the host took away right after it
	 * arrived let the other run its call alone.
	 */
	for (int step = 2 * round - 1; step <= 2 * round; step++) {
		atomic_store(&r->arrived[i], step);
		/* Each thread has a CPU of its own; a yield now and then all the same. */
		for (unsigned spins = 1; atomic_load(&r->arrived[!i]) < step; spins++)
			if (spins % RACE_SPINS_YIELD == 0)
				sched_yield();
	}
	spin((long)((double)r->delay_ns[i] / r->spin_ns));
}

/* Run the calling thread on cpu only; false if it cannot. */
static bool pin(int cpu)
{
	cpu_set_t one;

	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	return pthread_setaffinity_np(pthread_self(), sizeof(one), &one) == 0;
}

/* One thread's part of a round. */
static void turn(struct worker *w)
{
	struct race *r = w->pool->race;
	struct rusage u0;

	/* Even a thread that cannot peel meets the other: it would wait forever. */
	if (r)
		race_meet(r, w->idx, w->pool->round);
	getrusage(RUSAGE_THREAD, &u0);
	if (!w->enter_err)
		peel_timed(w, &u0);
}

static void *peel_worker(void *arg)
{
	struct worker *w = arg;
	struct race *r = w->pool->race;

	if (r && r->cpu[w->idx] >= 0 && !pin(r->cpu[w->idx]))
		r->cpu[w->idx] = -1; /* told in the case's log */
	/* The socket's netns, explicitly: a peel from another one is refused (CVE-2017-15115). */
	w->enter_err = pst_topo_enter(w->ctx->topo, PST_SERVER) < 0 ? errno : 0;
	for (;;) {
		pthread_barrier_wait(&w->pool->start);
		if (w->pool->stop)
			return NULL;
		turn(w);
		pthread_barrier_wait(&w->pool->done);
	}
}

/*
 * n peelers waiting for their first round (with a race, the case's thread
 * is the first of them); BROKEN if a thread cannot run.
 */
static void pool_start(struct pool *p, const struct pst_ctx *ctx, int n, struct race *race)
{
	int e;

	p->n = n;
	p->stop = false;
	p->round = 0;
	p->race = race;
	p->self = race != NULL;
	if ((e = pthread_barrier_init(&p->start, NULL, (unsigned)(n - p->self) + 1)) != 0 ||
	    (e = pthread_barrier_init(&p->done, NULL, (unsigned)(n - p->self) + 1)) != 0)
		pst_broken("pthread_barrier_init: %s", pst_errname(e));
	for (int i = 0; i < n; i++)
		p->w[i] = (struct worker){ .ctx = ctx, .pool = p, .idx = i, .fd = -1 };
	if (race && race->cpu[0] >= 0 && !pin(race->cpu[0]))
		race->cpu[0] = -1;
	for (int i = p->self; i < n; i++)
		if ((e = pthread_create(&p->tid[i], NULL, peel_worker, &p->w[i])) != 0)
			pst_broken("pthread_create (thread %d of %d): %s", i + 1, n,
				   pst_errname(e));
}

/*
 * One round: every worker peels its w[i].id of its w[i].sd, all released at
 * once (the case's thread with them in a race).
 */
static void pool_round(struct pool *p)
{
	for (int i = 0; i < p->n; i++)
		p->w[i].fd = -1;
	p->round++;
	pthread_barrier_wait(&p->start);
	if (p->self)
		turn(&p->w[0]);
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
	for (int i = p->self; i < p->n; i++)
		pthread_join(p->tid[i], NULL);
	pthread_barrier_destroy(&p->start);
	pthread_barrier_destroy(&p->done);
}

static bool before_ts(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

/*
 * Did the two calls overlap: were both threads inside the call at one
 * instant? Each thread reads CLOCK_MONOTONIC immediately before the call (t0)
 * and after it returns (t1), and counts its own context switches around those
 * reads (getrusage(RUSAGE_THREAD)). The calls overlapped when the windows
 * [t0, t1] of the two threads intersect and neither thread was preempted
 * (an involuntary context switch) within its window: a preempted thread may
 * have spent the intersection waiting for a CPU between its clock read and
 * the system call, not inside the call. A thread that slept inside the call
 * (a voluntary switch: on Linux, waiting for the socket lock the other thread
 * holds) was inside it all the while, and counts. On one CPU, then, only a
 * call that slept inside the kernel while the other ran counts; on two, two
 * threads running the call at once.
 */
static bool raced(const struct worker *a, const struct worker *b)
{
	return !a->preempted && !b->preempted && before_ts(&a->t0, &b->t1) &&
	       before_ts(&b->t0, &a->t1);
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

/*
 * PARALLEL threads peel PARALLEL different associations of one socket at the
 * same time. Unlike the two-thread race, its verdict does not wait for an
 * overlap: what it checks (every thread gets its own association's
 * descriptor, nothing leaks) is as wrong in sequence as in parallel, Linux
 * serialises the peels on the socket lock anyway, and in one round an
 * overlap count is all or nothing (under QEMU with 2 vCPUs: 6-8 of the 8
 * calls on an idle host, mostly 0 on a loaded one, which would make the
 * verdict follow the host's load). How many calls overlapped another goes to
 * the log (raced(), pairwise).
 */
static void parallel_distinct_assocs(struct pst_ctx *ctx)
{
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	struct pool pool;
	struct worker *w = pool.w;
	int before, ok = 0, overlapping = 0;

	probe_entry(ctx);
	pool_start(&pool, ctx, PARALLEL, NULL);
	for (int i = 0; i < PARALLEL; i++) {
		w[i].sd = fx->sut;
		w[i].id = fx->id[i];
	}
	before = pst_count_fds();
	pool_round(&pool);
	pool_stop(&pool);
	/* How parallel it was, for the log (not gated: see the note above the case). */
	for (int i = 0; i < PARALLEL; i++)
		for (int j = 0; j < PARALLEL; j++)
			if (j != i && raced(&w[i], &w[j])) {
				overlapping++;
				break;
			}
	pst_log("%d of %d calls overlapped another thread's call (both inside the call at "
		"once, neither preempted there)",
		overlapping, PARALLEL);

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

/*
 * The CPUs this process may use; with two or more, each racer gets one of its
 * own: woken together, two threads were otherwise often queued on the same
 * idle CPU (Debian's 6.1 under QEMU, 2 vCPUs) and ran one after the other.
 */
static void race_init(struct race *r)
{
	int next = 0;

	r->rng = 2463534242u;
	r->spin_ns = spin_ns();
	r->cpus = sched_getaffinity(0, sizeof(r->all), &r->all) < 0 ? 1 : CPU_COUNT(&r->all);
	for (int i = 0; i < RACERS; i++) {
		r->cpu[i] = -1;
		if (r->cpus < RACERS)
			continue;
		while (!CPU_ISSET(next, &r->all))
			next++;
		r->cpu[i] = next++;
	}
}

/* A small deterministic generator (xorshift32): the delays of a run can be told again. */
static double race_uniform(struct race *r)
{
	r->rng ^= r->rng << 13;
	r->rng ^= r->rng >> 17;
	r->rng ^= r->rng << 5;
	return (double)r->rng / 4294967296.0;
}

static double race_avg(double avg, double sample, int samples)
{
	return samples ? avg + (sample - avg) / 4 : sample; /* weight 1/4, as LTP's default */
}

/* What this round told about the threads' timing (struct race); preempted rounds teach nothing. */
static void race_learn(struct race *r, const struct worker *a, const struct worker *b)
{
	double offset = (double)(ts_ns(&b->t0) - ts_ns(&a->t0)) - (double)r->delay_ns[1] +
			(double)r->delay_ns[0];
	double width = r->dur_ns[0] + r->dur_ns[1];
	double dur[RACERS] = { (double)(ts_ns(&a->t1) - ts_ns(&a->t0)),
			       (double)(ts_ns(&b->t1) - ts_ns(&b->t0)) };

	if (a->preempted || b->preempted)
		return;
	/*
	 * One sample moves the offset by at most a quarter of the two calls'
	 * durations, and a duration by at most a quarter of itself upwards: a
	 * thread whose CPU the host took away for milliseconds (QEMU on a
	 * loaded machine) is an outlier, not the threads' timing.
	 */
	if (r->samples) {
		offset = offset > width ? width : offset < -width ? -width : offset;
		for (int i = 0; i < RACERS; i++)
			if (dur[i] > 2 * r->dur_ns[i])
				dur[i] = 2 * r->dur_ns[i];
	}
	r->offset_ns = race_avg(r->offset_ns, offset, r->samples);
	for (int i = 0; i < RACERS; i++)
		r->dur_ns[i] = race_avg(r->dur_ns[i], dur[i], r->samples);
	r->samples++;
}

/* The delays of the next round (struct race). */
static void race_plan(struct race *r)
{
	double lo, hi, shift;

	r->delay_ns[0] = r->delay_ns[1] = 0;
	if (r->cpus < 2 || r->samples < RACE_SAMPLES)
		return;
	lo = -r->dur_ns[1] / 2;
	hi = r->dur_ns[0] / 2;
	shift = lo + (hi - lo) * race_uniform(r) - r->offset_ns;
	if (shift > RACE_MAX_DELAY_NS)
		shift = RACE_MAX_DELAY_NS;
	if (shift < -RACE_MAX_DELAY_NS)
		shift = -RACE_MAX_DELAY_NS;
	if (shift > 0)
		r->delay_ns[1] = (long)shift;
	else
		r->delay_ns[0] = (long)-shift;
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

/* false if it happened */
static bool expect_never(const struct tally *t, int rounds, const char *what)
{
	PST_EXPECT(t->count == 0, "%s: expected in no round, got it in %d of %d (first: %s)", what,
		   t->count, rounds, t->first);
	return t->count == 0;
}

/*
 * RACERS threads peel the same association at once, over RACE_ROUNDS fresh
 * associations (more on two CPUs if too few overlapped: RACE_MAX_ROUNDS). A
 * wrong result is a FAIL however few rounds overlapped (two winners, no
 * winner, a wrong errno or a leak are wrong one after the other too); right
 * results are a PASS only when at least RACE_MIN_OVERLAPS rounds overlapped
 * (raced()), else SKIP with the count.
 */
static void race_same_assoc(struct pst_ctx *ctx)
{
	static const struct pst_errnos loser = { EINVAL, EINVAL, PST_ANY_ERRNO };
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	int expected = pst_expected_errno(ctx, loser);
	struct tally both = { 0 }, neither = { 0 }, wrong_errno = { 0 }, leaked = { 0 };
	int start_fds, end_fds, overlaps = 0, waited = 0, won[RACERS] = { 0 };
	int rounds = 0, preempted = 0;
	long delayed_ns = 0, t_start;
	bool ok = true;
	struct race race = { 0 };
	struct pool pool;
	struct worker *w = pool.w;

	probe_entry(ctx);
	race_init(&race);
	start_fds = pst_count_fds();
	pool_start(&pool, ctx, RACERS, &race);
	t_start = now_ns();
	for (int round = 0;
	     round < RACE_ROUNDS ||
	     (race.cpus >= RACERS && overlaps < RACE_MIN_OVERLAPS && round < RACE_MAX_ROUNDS &&
	      now_ns() - t_start < RACE_MAX_MS * NS_PER_MS);
	     round++) {
		int client, before, wins = 0, winner = -1;
		sctp_assoc_t id = fresh_assoc(ctx, &client);
		char what[64];

		for (int i = 0; i < RACERS; i++) {
			w[i].sd = fx->sut;
			w[i].id = id;
		}
		race_plan(&race);
		delayed_ns += race.delay_ns[0] + race.delay_ns[1];
		before = pst_count_fds();
		pool_round(&pool);
		preempted += w[0].preempted || w[1].preempted;
		if (raced(&w[0], &w[1])) {
			overlaps++;
			waited += w[0].slept || w[1].slept;
		}
		race_learn(&race, &w[0], &w[1]);
		rounds++;

		for (int i = 0; i < RACERS; i++)
			if (w[i].fd >= 0) {
				wins++;
				winner = i;
			} else if (expected != PST_ANY_ERRNO && w[i].err != expected) {
				note(&wrong_errno, round, "thread %d got %s", i + 1,
				     pst_errname(w[i].err));
			}
		if (wins == 1)
			won[winner]++;
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
		if (wins == 1 && !pst_expect_exchange(w[winner].fd, 0, client, what)) {
			ok = false;
			break;
		}
		for (int i = 0; i < RACERS; i++)
			if (w[i].fd >= 0)
				close(w[i].fd);
		close(client);
	}
	pool_stop(&pool);
	if (race.cpus >= RACERS)
		pthread_setaffinity_np(pthread_self(), sizeof(race.all), &race.all);
	ok &= expect_never(&both, rounds, "both threads got a descriptor for the same association");
	ok &= expect_never(&neither, rounds, "neither thread got a descriptor");
	if (expected != PST_ANY_ERRNO) {
		char what[64];

		snprintf(what, sizeof(what), "the losing thread got another errno than %s",
			 pst_errname(expected));
		ok &= expect_never(&wrong_errno, rounds, what);
	}
	ok &= expect_never(&leaked, rounds,
			   "the open descriptors grew by other than the successful peels");
	end_fds = pst_count_fds();
	PST_EXPECT_EQ(end_fds, start_fds, "open descriptors after all rounds, all closed");
	ok &= end_fds == start_fds;
	pst_log("overlapped in %d of %d rounds, need %d, on %d CPU%s (overlapped: both threads "
		"inside the call at once, neither preempted there; a thread was preempted in %d "
		"rounds; the threads on CPUs %d and %d, -1: any); a thread slept inside its call "
		"in %d of the overlapped; thread 1 won %d rounds, thread 2 %d; averages: thread "
		"1's call %.0f us, thread 2's %.0f us, thread 2 starting %.0f us after thread 1 "
		"undelayed, the delay %.0f us a round (%.2f ns a spin)",
		overlaps, rounds, RACE_MIN_OVERLAPS, race.cpus, race.cpus == 1 ? "" : "s",
		preempted, race.cpu[0], race.cpu[1], waited, won[0], won[1], race.dur_ns[0] / 1e3,
		race.dur_ns[1] / 1e3, race.offset_ns / 1e3,
		rounds ? (double)delayed_ns / rounds / 1e3 : 0.0, race.spin_ns);
	if (ok && overlaps < RACE_MIN_OVERLAPS)
		pst_skip("overlapped in %d of %d rounds, need %d, on %d CPU%s (overlapped: both "
			 "threads inside the call at once, neither preempted there%s)",
			 overlaps, rounds, RACE_MIN_OVERLAPS, race.cpus, race.cpus == 1 ? "" : "s",
			 race.cpus < RACERS ? "; on one CPU only a call that sleeps in the kernel "
					      "lets the other in"
					    : "");
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
