/* One case instance in its own topology and process: see exec.h. */
#include "exec.h"

#include <CUnit/CUnit.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <link.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "channel.h"
#include "globals.h"
#include "objcnt.h"
#include "procwatch.h"
#include "spawner.h"
#include "topo_state.h"
#include "topology.h"

#define PST_LOG_MAX	    (64 * 1024) /* a case that prints more is cut: the report stays readable */
#define PST_ERR_MAX	    512
#define PST_KREPORT_MSG_MAX 1024 /* a report's summary (kmsg.h) and the case's tags */

static int sig_pipe[2] = { -1, -1 };
static int devnull = -1; /* the case's stdin, opened once */
static volatile sig_atomic_t interrupted;
static int deadline_fd = -1; /* see deadline_arm() */
static bool deadline_tried;

static void on_signal(int sig)
{
	int saved = errno;

	if (sig != SIGCHLD)
		interrupted = sig;
	/* Wakes the poll() of the case loop: a child ended, or the run was interrupted. */
	if (sig_pipe[1] >= 0 && write(sig_pipe[1], "", 1) < 0)
		errno = saved;
	errno = saved;
}

void pst_exec_init_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGCHLD };
	struct sigaction sa = { .sa_handler = on_signal, .sa_flags = SA_RESTART };

	/*
	 * A --jobs worker calls this again: it gets its own pipe and timer, not
	 * the ones it inherited (a timer is shared by the processes holding it).
	 */
	for (int i = 0; i < 2; i++) {
		int fd = sig_pipe[i];

		sig_pipe[i] = -1; /* the handler writes only into a pipe that is there */
		if (fd >= 0)
			close(fd);
	}
	pst_spawner_forget(); /* and its own spawner */
	if (deadline_fd >= 0)
		close(deadline_fd);
	deadline_fd = -1;
	deadline_tried = false;
	if (pipe2(sig_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		sig_pipe[0] = sig_pipe[1] = -1;
	if (devnull < 0)
		devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}

bool pst_exec_interrupted(void)
{
	return interrupted != 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * PST_STEP_TIMES=1: one line per case on stderr with where its harness time
 * went (the profile behind make bench's overhead figure). The child's steps
 * come back through a shared page.
 */
enum step {
	ST_TOPO,
	ST_FORK,
	ST_CHILD_START,
	ST_CASE_DONE,
	ST_FD_CHECK,
	ST_CHILD_EXIT,
	ST_REAPED,
	ST_LEAK_CHECK,
	ST_REUSE_CHECK,
	ST_KMSG,
	ST_COUNT
};
static const char *const step_name[ST_COUNT] = { "topology", "fork",	   "child-start",
						 "case",     "fd-check",   "child-exit",
						 "reaped",   "leak-check", "reuse-check",
						 "kmsg" };
/* Shared with the case process; NULL: off. */
static struct step_page {
	double at[ST_COUNT]; /* timestamps */
	long case_faults;    /* the case process's page faults at its end */
} * steps;

static void step(enum step s)
{
	if (steps)
		steps->at[s] = now_s();
}

static long minor_faults(void)
{
	struct rusage ru;

	return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_minflt : 0;
}

static void steps_print(double t0, bool reused)
{
	static long last_faults;
	double prev = t0;
	long faults;

	if (!steps)
		return;
	fprintf(stderr, "steps:");
	for (int s = 0; s < ST_COUNT; s++) {
		if (steps->at[s] <= 0)
			continue;
		fprintf(stderr, " %s=%.2f", step_name[s], (steps->at[s] - prev) * 1e3);
		prev = steps->at[s];
	}
	fprintf(stderr, " total=%.2f ms%s\n", (prev - t0) * 1e3,
		reused ? " (topology reused)" : "");
	/*
	 * Page faults (under UML each a trip through the host): the runner's
	 * since the last case's line, and the case process's own.
	 */
	faults = minor_faults();
	if (last_faults)
		fprintf(stderr, "faults: runner=%ld case=%ld\n", faults - last_faults,
			steps->case_faults);
	last_faults = faults;
	memset(steps, 0, sizeof(*steps));
}

static void steps_init(void)
{
	const char *on = getenv("PST_STEP_TIMES");
	void *page;

	if (steps || !on || !*on || *on == '0')
		return;
	page =
	    mmap(NULL, sizeof(*steps), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (page != MAP_FAILED)
		steps = page;
}

/* A growing string. */
struct sbuf {
	char *p;
	size_t n, cap;
};

static void sb_add(struct sbuf *b, const char *s, size_t len)
{
	if (b->n + len + 1 > b->cap) {
		size_t ncap = (b->n + len + 1) * 2;
		char *np = realloc(b->p, ncap);

		if (!np)
			return;
		b->p = np;
		b->cap = ncap;
	}
	memcpy(b->p + b->n, s, len);
	b->n += len;
	b->p[b->n] = '\0';
}

static void sb_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	char tmp[PST_MSG_MAX + 256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n > 0)
		sb_add(b, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

/* What the parent gathers from the case process: the evidence goes into the outcome. */
struct gather {
	struct pst_outcome *o;
	struct sbuf chan; /* unparsed tail of the record stream */
	struct sbuf log;
	char check[PST_MSG_MAX]; /* the check the case named last; "" its unnamed ones */
	int nfail;
	bool ended;	 /* the case ran to its end with its descriptors as before */
	bool leaked;	 /* and left SCTP state behind */
	bool outlived;	 /* a process of its group outlived it (and was killed) */
	bool sctp_clean; /* the leak check saw both sides' SCTP tables empty */
	bool lost;	 /* the spawner went away before it said how the case ended */
	bool alone;	 /* when it ended, no process it started was left */
	bool reaped;	 /* a process it started had ended and was reaped */
};

static void take_record(struct gather *g, char *line)
{
	struct pst_record_line r;
	char broken[PST_MSG_MAX + 256];

	if (pst_channel_parse(line, &r) < 0) {
		sb_printf(&g->log, "(malformed record) %s\n", line);
		return;
	}
	switch (r.type) {
	case PST_REC_FAIL:
		g->nfail++;
		pst_outcome_fail(g->o, g->check, r.file, r.line, r.text);
		break;
	case PST_REC_CHECK:
		snprintf(g->check, sizeof(g->check), "%s", r.text);
		pst_outcome_reach(g->o, r.text);
		break;
	case PST_REC_SKIP:
		pst_outcome_set(&g->o->skip, r.text);
		break;
	case PST_REC_END:
		g->ended = true;
		break;
	case PST_REC_BROKEN:
		snprintf(broken, sizeof(broken), "%s (%s:%d)", r.text, r.file, r.line);
		pst_outcome_set(&g->o->broken, broken);
		break;
	default:
		sb_printf(&g->log, "%s\n", r.text);
		break;
	}
}

static void take_chan_bytes(struct gather *g, const char *buf, size_t n)
{
	char *nl;

	sb_add(&g->chan, buf, n);
	while (g->chan.p && (nl = memchr(g->chan.p, '\n', g->chan.n))) {
		size_t len = (size_t)(nl - g->chan.p) + 1;

		*nl = '\0';
		take_record(g, g->chan.p);
		memmove(g->chan.p, g->chan.p + len, g->chan.n - len + 1);
		g->chan.n -= len;
	}
}

/* Read once: 1 got data, 0 nothing there now, -1 EOF or error (the fd is then closed). */
static int drain(int *fd, struct gather *g, bool is_chan)
{
	char buf[4096];
	ssize_t n = read(*fd, buf, sizeof(buf));

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return 0;
	if (n <= 0) {
		close(*fd);
		*fd = -1;
		return -1;
	}
	if (is_chan)
		take_chan_bytes(g, buf, (size_t)n);
	else if (g->log.n < PST_LOG_MAX)
		sb_add(&g->log, buf, (size_t)n);
	return 1;
}

/* Take what is still buffered, without waiting, and close. */
static void drain_rest(int *fd, struct gather *g, bool is_chan)
{
	if (*fd < 0)
		return;
	fcntl(*fd, F_SETFL, O_NONBLOCK);
	while (drain(fd, g, is_chan) > 0)
		;
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

#ifdef PST_COVERAGE
void __gcov_dump(void);
#endif

/* _exit() skips gcov's exit handler: a coverage build writes its counts first. */
static void coverage_flush(void)
{
#ifdef PST_COVERAGE
	__gcov_dump();
#endif
}

/*
 * How long what a case closed may take to leave /proc/net/sctp. An
 * association finishes its SHUTDOWN over a veth in far less than the settle
 * time. An endpoint leaves the table when its last file reference goes,
 * synchronously in close() or exit(), or at worst from the kernel's deferred
 * fput a moment later: an endpoint still there after the grace, with no
 * association left to wait for, is a leak, and waiting longer would only eat
 * into the run (a real-time deadline, since UML's sleeps overshoot).
 */
#define PST_SETTLE_S	   2.0
#define PST_EP_GRACE_S	   0.1
#define PST_SETTLE_STEP_US 1000

/*
 * After a case that ran to its end, nothing of SCTP may remain in its
 * namespaces: every endpoint closed and every association gone (they get a
 * moment to finish their SHUTDOWN). The runner looks, while whatever the case
 * left running is still alive (a process holding an endpoint is a leak).
 * Returns 1 (nothing left), 0 (the tables could not be read: nothing to say)
 * or -1 with what was left in msg.
 */
static int sctp_leftovers(const struct pst_topo_state *st, const struct pst_topo *topo, char *msg,
			  size_t len)
{
	for (int side = 0; side < PST_SIDES; side++) {
		double start = 0;
		int eps = 0, assocs = 0;

		for (;;) {
			double waited;

			if (pst_topo_state_sctp(st, (enum pst_side)side, &eps, &assocs) < 0)
				return 0;
			if (eps <= 0 && assocs <= 0)
				break;
			if (start == 0)
				start = now_s(); /* the clock only when something is left */
			waited = now_s() - start;
			if (interrupted || waited >= PST_SETTLE_S ||
			    (assocs <= 0 && waited >= PST_EP_GRACE_S))
				break;
			usleep(PST_SETTLE_STEP_US);
		}
		if (eps > 0 || assocs > 0) {
			snprintf(
			    msg, len,
			    "leak: expected no SCTP endpoint or association left in %s after the "
			    "case and its teardown, got %d endpoints and %d associations "
			    "(/proc/net/sctp)",
			    topo->name[side], eps, assocs);
			return -1;
		}
	}
	return 1;
}

static _Noreturn void child_main(const struct pst_instance *in, const struct pst_topo *topo,
				 enum pst_profile profile, int chan_w)
{
	struct pst_ctx ctx = { .tc = in->tc,
			       .topo = topo,
			       .family = in->family,
			       .entry = in->entry,
			       .profile = profile,
			       .param = in->tc->param };
	const struct pst_fixture *fx = in->tc->fixture;
	CU_pTest cu = CU_get_current_test();
	unsigned first = CU_get_number_of_failure_records();
	jmp_buf jb;
	volatile int stage = 0; /* 1 in setup, 2 in the case, 3 the case returned */
	int fds_before, fds_after;

	step(ST_CHILD_START);
	fds_before = pst_count_fds();
	if (fx && fx->size && !(ctx.fx = calloc(1, fx->size)))
		_exit(1);
	/* Fatal CUnit assertions, skips and broken setups all land here, in this process. */
	if (cu)
		cu->pJumpBuf = &jb;
	pst_channel_begin(chan_w, &jb);
	if (setjmp(jb) == 0) {
		stage = 1;
		if (fx && fx->setup)
			fx->setup(&ctx);
		stage = 2;
		in->tc->fn(&ctx);
		stage = 3;
	}
	if (stage >= 1 && fx && fx->teardown) {
		if (setjmp(jb) == 0)
			fx->teardown(&ctx);
		else
			stage = 2; /* the teardown stopped the case: no leak check */
	}
	step(ST_CASE_DONE);
	/*
	 * A case that ran to its end, and its teardown, must leave the process
	 * with the descriptors it started with (a skip or broken setup may not).
	 */
	fds_after = stage == 3 && fds_before >= 0 ? pst_count_fds() : fds_before;
	step(ST_FD_CHECK);
	if (fds_after != fds_before)
		pst_channel_send(PST_REC_CHECK, NULL, 0, PST_CHECK_NO_FD_LEAK);
	if (fds_after != fds_before && setjmp(jb) == 0)
		pst_fail_at(__FILE__, __LINE__, false,
			    "descriptor leak: expected %d open descriptors after the case and its "
			    "teardown, as before it, got %d",
			    fds_before, fds_after);
	pst_channel_forward_cunit(first);
	/* The runner checks the namespaces next (sctp_leftovers). */
	if (stage == 3 && fds_after == fds_before)
		pst_channel_send(PST_REC_END, NULL, 0, "");
	fflush(stdout); /* stderr is unbuffered; a FILE the case left open is a descriptor leak */
	coverage_flush();
	step(ST_CHILD_EXIT);
	if (steps)
		steps->case_faults = minor_faults();
	_exit(0);
}

/* What the spawner hands a new case process: its descriptors come with it. */
struct case_req {
	struct pst_instance in;
	struct pst_topo topo; /* nsfd[] replaced by the copies that came */
	enum pst_profile profile;
};
enum { FD_CHAN, FD_OUT, FD_NS, FD_NULL = FD_NS + PST_SIDES, FD_MAX };

static void case_process(const void *req, size_t len, const int *fds, int nfds)
{
	struct case_req r;

	if (len != sizeof(r) || nfds < FD_NULL)
		_exit(1);
	memcpy(&r, req, sizeof(r));
	if (nfds > FD_NULL) {
		dup2(fds[FD_NULL], STDIN_FILENO);
		close(fds[FD_NULL]);
	}
	dup2(fds[FD_OUT], STDOUT_FILENO);
	dup2(fds[FD_OUT], STDERR_FILENO);
	close(fds[FD_OUT]);
	for (int side = 0; side < PST_SIDES; side++)
		r.topo.nsfd[side] = fds[FD_NS + side];
	setvbuf(stdout, NULL, _IOLBF, 0);
	child_main(&r.in, &r.topo, r.profile, fds[FD_CHAN]);
}

/* The case process, started by the spawner (spawner.h): its pid, or -1 (errno). */
static pid_t spawn(const struct pst_instance *in, const struct pst_topo *topo,
		   enum pst_profile profile, const int chan[2], const int out[2])
{
	struct case_req r = { .in = *in, .topo = *topo, .profile = profile };
	int fds[FD_MAX] = { [FD_CHAN] = chan[1], [FD_OUT] = out[1], [FD_NULL] = devnull };
	pid_t pid = -1;

	for (int side = 0; side < PST_SIDES; side++)
		fds[FD_NS + side] = topo->nsfd[side];
	/* A spawner that died since the last case is started again, once. */
	for (int tries = 0; pid < 0 && tries < 2; tries++) {
		if (pst_spawner_start(case_process) < 0)
			break;
		pid = pst_spawner_spawn(&r, sizeof(r), fds, devnull >= 0 ? FD_MAX : FD_NULL);
		if (pid < 0 && errno != EPIPE)
			break;
	}
	return pid;
}

/*
 * The case process has ended, what it left running not yet killed: take its
 * records (all written before it ended), and if it ran to its end, look for
 * SCTP leftovers in its namespaces; a leak is one more failure.
 */
static void after_exit(int *chan_r, struct gather *g, const struct pst_topo_state *st,
		       const struct pst_topo *topo)
{
	char leak[PST_ERR_MAX];
	int left;

	step(ST_REAPED);
	while (*chan_r >= 0 && drain(chan_r, g, true) > 0)
		;
	if (!g->ended)
		return;
	left = sctp_leftovers(st, topo, leak, sizeof(leak));
	g->sctp_clean = left > 0;
	if (left >= 0)
		return;
	g->nfail++;
	pst_outcome_fail(g->o, PST_CHECK_NO_SCTP_LEAK, __FILE__, __LINE__, leak);
	g->leaked = true;
}

/*
 * The case's deadline: a timer descriptor armed once per case, so the loop
 * below reads no clock at each wake-up (under UML a clock read is a system
 * call). Without one (timerfd refused), the clock is read at each wake-up.
 */
static bool deadline_arm(unsigned timeout_s)
{
	struct itimerspec its = { .it_value = { .tv_sec = timeout_s } };

	if (!deadline_tried) {
		deadline_tried = true;
		deadline_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	}
	return deadline_fd >= 0 && timerfd_settime(deadline_fd, 0, &its, NULL) == 0;
}

/* Empty the wake-up pipe: one read, unless it filled the buffer. */
static void drain_wakeups(void)
{
	char junk[64];

	while (sig_pipe[0] >= 0 && read(sig_pipe[0], junk, sizeof(junk)) == (ssize_t)sizeof(junk))
		;
}

/*
 * The spawner is gone with the case process's status: end the case process
 * (it may still run) and what it started. Its verdict is an error.
 */
static void lose(pid_t pid, struct gather *g)
{
	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
	g->lost = true;
}

/* Wait for the case process; returns its wait status, and whether it timed out. */
static int supervise(pid_t pid, int chan_r, int out_r, unsigned timeout_s, struct gather *g,
		     const struct pst_topo_state *st, const struct pst_topo *topo, bool *timed_out)
{
	bool timer = deadline_arm(timeout_s);
	double deadline = timer ? 0 : now_s() + timeout_s;
	int status = 0;
	bool done = false;

	*timed_out = false;
	/* after_exit() takes what is there without waiting for what a leftover might write */
	fcntl(chan_r, F_SETFL, O_NONBLOCK);
	while (chan_r >= 0 || out_r >= 0 || !done) {
		struct pollfd p[5] = { { .fd = chan_r, .events = POLLIN },
				       { .fd = out_r, .events = POLLIN },
				       { .fd = sig_pipe[0], .events = POLLIN },
				       { .fd = timer ? deadline_fd : -1, .events = POLLIN },
				       { .fd = done ? -1 : pst_spawner_fd(), .events = POLLIN } };
		double left = timer ? timeout_s : deadline - now_s();

		if (interrupted || left <= 0) {
			*timed_out = !interrupted;
			break;
		}
		if (poll(p, 5, timer ? -1 : (int)(left * 1000) + 1) < 0 && errno != EINTR)
			break;
		if (p[3].revents & POLLIN) {
			*timed_out = !interrupted;
			break;
		}
		if (chan_r >= 0 && (p[0].revents & (POLLIN | POLLHUP | POLLERR)))
			drain(&chan_r, g, true);
		if (out_r >= 0 && (p[1].revents & (POLLIN | POLLHUP | POLLERR)))
			drain(&out_r, g, false);
		if (p[2].revents & POLLIN)
			drain_wakeups();
		/* The spawner reaped it, and says how it ended. */
		if (!done && (p[4].revents & (POLLIN | POLLHUP | POLLERR))) {
			done = true;
			if (pst_spawner_wait(&status, &g->alone, &g->reaped) < 0) {
				lose(pid, g);
				continue;
			}
			after_exit(&chan_r, g, st, topo);
			step(ST_LEAK_CHECK);
			/* Whatever it left running would hold the pipes open. */
			g->outlived = !g->alone && kill(-pid, SIGKILL) == 0;
		}
	}
	if (!done) {
		kill(-pid, SIGKILL);
		kill(pid, SIGKILL);
		if (pst_spawner_wait(&status, &g->alone, &g->reaped) < 0)
			lose(pid, g);
	}
	drain_rest(&chan_r, g, true);
	drain_rest(&out_r, g, false);
	return status;
}

/* How the case process ended, as evidence: the judge makes the verdict. */
static void ended(struct pst_outcome *o, struct gather *g, int status, bool timed_out,
		  unsigned timeout_s)
{
	char msg[PST_ERR_MAX] = "";

	if (interrupted)
		snprintf(msg, sizeof(msg), "interrupted by signal %d", (int)interrupted);
	else if (timed_out)
		snprintf(msg, sizeof(msg), "timed out after %u s (--timeout)", timeout_s);
	else if (g->lost)
		snprintf(msg, sizeof(msg),
			 "the case process was lost: the spawner process that started it ended "
			 "before it said how the case ended");
	else if (WIFSIGNALED(status))
		snprintf(msg, sizeof(msg), "case process killed by %s",
			 sigabbrev_np(WTERMSIG(status)) ? sigabbrev_np(WTERMSIG(status))
							: "a signal");
	else if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
		snprintf(msg, sizeof(msg), "case process exited with status %d",
			 WEXITSTATUS(status));
	if (*msg)
		pst_outcome_set(&o->error, msg);
	o->log = g->log.p;
	g->log.p = NULL;
}

static void gather_free(struct gather *g)
{
	free(g->chan.p);
	free(g->log.p);
}

static void fail_setup(struct pst_outcome *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void fail_setup(struct pst_outcome *out, const char *fmt, ...)
{
	char msg[PST_ERR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pst_outcome_set(&out->broken, msg);
}

/*
 * What the kernel logged during the case joins its log; a kernel report
 * (BUG, WARNING, a sanitizer's: kmsg.h) fails it whatever its assertions
 * said, as a failure of the harness's safety check no_kernel_report: the
 * report's first lines, and the fixes the case guards (its tags), so the
 * failure names the bug it may be.
 */
static void log_lines(struct pst_outcome *out, char *lines)
{
	struct sbuf b = { .p = out->log, .n = out->log ? strlen(out->log) : 0 };

	if (!lines)
		return;
	b.cap = b.n + 1;
	sb_add(&b, lines, strlen(lines));
	out->log = b.p;
	free(lines);
}

static void kernel_window(struct pst_kmsg *k, const struct pst_case *tc, struct pst_outcome *out)
{
	char *lines, *report;
	int reports = pst_kmsg_collect(k, &lines, &report);

	log_lines(out, lines);
	if (reports) {
		char msg[PST_KREPORT_MSG_MAX];

		snprintf(msg, sizeof(msg),
			 "kernel report: expected none during the case, got %d: %s%s%s", reports,
			 report ? report : "?", tc->tags ? "; the case guards " : "",
			 tc->tags ? tc->tags : "");
		pst_outcome_reach(out, PST_CHECK_NO_KERNEL_REPORT);
		pst_outcome_fail(out, PST_CHECK_NO_KERNEL_REPORT, __FILE__, __LINE__, msg);
	}
	free(report);
}

/*
 * The topology the next case gets: a fresh one, or the previous case's when
 * the checks after that case found it as it was built (reusable()).
 */
static struct {
	struct pst_topo topo;
	struct pst_topo_state state;
	bool live;
	int watch; /* writes into /proc (procwatch.h); -1: none, never reuse */
	bool watch_tried;
	/*
	 * Counting the kernel's SCTP objects (objcnt.h; objcnt set when the kernel
	 * has the counts and this runner is alone on it): own is what the
	 * topology itself brought (its namespaces' control sockets), known when
	 * its creation was counted from a settled start.
	 */
	bool objcnt;
	bool own_known;
	struct pst_objcnt own;
} slot;

/*
 * How long the kernel may take to free what a case or a topology let go:
 * endpoints and transports go in RCU callbacks, a namespace's control socket
 * in the namespace's deferred cleanup, each done in far less. Counts still
 * off after it are a leak (a case's) or a namespace not freed (said once).
 */
#define PST_OBJCNT_SETTLE_S 2.0
#define PST_NS_FREE_S	    5.0

/*
 * Wait until the counts are want (or, with at_most, no kind above it), up to
 * limit seconds: whether they got there; *now the last counts read.
 */
static bool objcnt_settle(const struct pst_objcnt *want, bool at_most, double limit,
			  struct pst_objcnt *now)
{
	double start = now_s();
	char more[PST_ERR_MAX];

	for (;;) {
		if (pst_objcnt_read(now) < 0)
			return false;
		if (at_most ? pst_objcnt_more(now, want, more, sizeof(more)) == 0
			    : pst_objcnt_equal(now, want))
			return true;
		if (interrupted || now_s() - start >= limit)
			return false;
		usleep(PST_SETTLE_STEP_US);
	}
}

/*
 * After a case that ran to its end and left its namespaces' SCTP tables
 * empty: the kernel's SCTP objects as before it, every kind, once the kernel
 * has freed what the case let go (no_sctp_leak, exactly: an association, a
 * key or a chunk held by a reference the case left counts too).
 */
static void objects_left(const struct pst_objcnt *before, struct pst_outcome *out)
{
	struct pst_objcnt now;
	char more[PST_ERR_MAX / 2], msg[PST_ERR_MAX];

	if (objcnt_settle(before, true, PST_OBJCNT_SETTLE_S, &now) || interrupted ||
	    pst_objcnt_more(&now, before, more, sizeof(more)) == 0)
		return;
	snprintf(msg, sizeof(msg),
		 "leak: expected the kernel's SCTP objects as before the case once it and its "
		 "teardown ended, got %s (%s, %.0f s after)",
		 more, PST_OBJCNT_PATH, PST_OBJCNT_SETTLE_S);
	pst_outcome_reach(out, PST_CHECK_NO_SCTP_LEAK);
	pst_outcome_fail(out, PST_CHECK_NO_SCTP_LEAK, __FILE__, __LINE__, msg);
}

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22 /* Linux 5.14; older kernels say EINVAL: harmless */
#endif

/*
 * Under UML every page a process touches for the first time costs a trip
 * through the host's ptrace (~0.3 ms here), and fork() copies no page table
 * entries of a file mapping that has no private page: a case process would
 * fault in every page of code it runs, ~50 of them for a case that does
 * nothing. So, once: every executable segment of the runner and its
 * libraries gets all its pages mapped and one private page (a byte written
 * over with itself), and from then on each fork hands them to the child. A
 * target that refuses (W^X policy) just goes without.
 */
static int share_text_cb(struct dl_phdr_info *info, size_t size, void *data)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);

	(void)size;
	(void)data;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t start = (info->dlpi_addr + ph->p_vaddr) & ~(page - 1);
		uintptr_t end =
		    (info->dlpi_addr + ph->p_vaddr + ph->p_memsz + page - 1) & ~(page - 1);
		const int prot = PROT_READ | PROT_EXEC;

		if (ph->p_type != PT_LOAD || ph->p_flags != (PF_R | PF_X) || end <= start)
			continue;
		madvise((void *)start, end - start, MADV_POPULATE_READ);
		if (mprotect((void *)start, end - start, prot | PROT_WRITE) == 0) {
			volatile char *c = (volatile char *)start;

			// cppcheck-suppress selfAssignment
			*c = *c;
			mprotect((void *)start, end - start, prot);
		}
	}
	return 0;
}

/*
 * Two reads a step apart that agree, up to limit seconds: whether there were;
 * *now the last.
 */
static bool objcnt_steady(double limit, struct pst_objcnt *now)
{
	double start = now_s();
	struct pst_objcnt prev;

	if (pst_objcnt_read(&prev) < 0)
		return false;
	for (;;) {
		usleep(PST_SETTLE_STEP_US);
		if (pst_objcnt_read(now) < 0)
			return false;
		if (pst_objcnt_equal(now, &prev))
			return true;
		if (interrupted || now_s() - start >= limit)
			return false;
		prev = *now;
	}
}

static int slot_fill(const char *prefix, char *err, size_t errlen)
{
	static bool said;
	struct pst_objcnt post, before;

	if (!slot.watch_tried) {
		slot.watch_tried = true;
		slot.watch = pst_procwatch_open();
		dl_iterate_phdr(share_text_cb, NULL);
	}
	if (slot.live)
		return 0;
	/*
	 * The counts before, once two reads agree (what the previous case and
	 * topology let go is freed, see pst_exec_release()): the topology's own
	 * objects are what its creation adds.
	 */
	slot.own_known = slot.objcnt && objcnt_steady(PST_OBJCNT_SETTLE_S, &before);
	if (slot.objcnt && !slot.own_known && !said) {
		said = true;
		fprintf(stderr,
			"run.sh: the kernel's SCTP object counts (%s) did not settle before "
			"a topology was built: its cases' objects are not counted\n",
			PST_OBJCNT_PATH);
	}
	if (pst_topo_create(&slot.topo, prefix, err, errlen) < 0)
		return -1;
	if (pst_topo_state_open(&slot.state, &slot.topo, err, errlen) < 0) {
		pst_topo_destroy(&slot.topo);
		return -1;
	}
	slot.live = true;
	if (slot.own_known && pst_objcnt_read(&post) == 0)
		pst_objcnt_sub(&post, &before, &slot.own);
	else
		slot.own_known = false;
	return 0;
}

void pst_exec_release(void)
{
	static bool said;
	struct pst_objcnt before, want, now;
	bool counted;

	if (!slot.live)
		return;
	counted = slot.own_known && pst_objcnt_read(&before) == 0;
	pst_topo_state_close(&slot.state);
	pst_topo_destroy(&slot.topo);
	slot.live = false;
	/*
	 * The namespaces go in the kernel's deferred cleanup: wait until their
	 * objects are freed, so that the next case's counts start settled (else
	 * the freeing, during that case, would hide what it leaves behind).
	 */
	if (!counted)
		return;
	pst_objcnt_sub(&before, &slot.own, &want);
	if (!objcnt_settle(&want, true, PST_NS_FREE_S, &now) && !said) {
		said = true;
		fprintf(stderr,
			"run.sh: the SCTP objects of a topology's namespaces were not freed within "
			"%.0f s of their removal (%s): the next case's object counts may be off\n",
			PST_NS_FREE_S, PST_OBJCNT_PATH);
	}
}

/* The case processes of this run, in the order they started (their pids grow). */
static struct {
	pid_t pid;
	char name[256]; /* "suite/case/variant" */
} * started;
static size_t nstarted;
static double last_case_end;

static void remember(pid_t pid, const struct pst_instance *in)
{
	void *nv = realloc(started, (nstarted + 1) * sizeof(*started));

	if (!nv)
		return;
	started = nv;
	started[nstarted].pid = pid;
	snprintf(started[nstarted].name, sizeof(started[nstarted].name), "%s/%s", in->suite->name,
		 in->name);
	nstarted++;
}

const char *pst_exec_case_of(pid_t tid)
{
	const char *name = NULL;

	for (size_t i = 0; i < nstarted && started[i].pid <= tid; i++)
		name = started[i].name;
	return name;
}

double pst_exec_idle_s(void)
{
	return last_case_end > 0 ? now_s() - last_case_end : 0;
}

void pst_exec_end(void)
{
	pst_exec_release();
	pst_spawner_stop();
}

/*
 * No process of the case is left: none alive among the spawner's children
 * (asked only if there was one when the case ended). *reaped: whether there
 * was one to reap (a killed leftover, or an orphan that escaped the case's
 * process group and came to the spawner).
 */
static bool no_descendants(const struct gather *g, bool *reaped)
{
	bool ignored;

	/* (one that outlived the case counts as reaped, whatever the REAP found) */
	*reaped = g->reaped || !g->alone;
	return g->alone || pst_spawner_reap(&ignored) == 1;
}

/*
 * May the next case have this topology? Only after a case that ran to its
 * end and passed its checks, with nothing of it left running, no write into
 * /proc (a sysctl), no SCTP endpoint or association, and links, addresses
 * and routes as they were built. The leak check found the SCTP tables empty
 * after the case; they are read again only if a process of the case outlived
 * it, since only such a process could have changed them since.
 */
static bool reusable(const struct gather *g, int status, bool timed_out, int proc_writes)
{
	bool reaped;
	int eps, assocs;

	if (interrupted || timed_out || g->lost || !WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
	    !g->ended || g->leaked || g->nfail || g->o->skip || g->o->broken || slot.watch < 0)
		return false;
	if (!no_descendants(g, &reaped) || proc_writes != 0)
		return false;
	for (int side = 0; (g->outlived || reaped || !g->sctp_clean) && side < PST_SIDES; side++)
		if (pst_topo_state_sctp(&slot.state, (enum pst_side)side, &eps, &assocs) < 0 ||
		    eps || assocs)
			return false;
	return pst_topo_state_pristine(&slot.state);
}

/*
 * The writes into /proc since the case started (for reusable(); -1: cannot
 * tell), and a knob of the whole system the case process wrote without
 * declaring it in .globals: the case's own bug, BROKEN, since the runner
 * saved nothing of it and cannot put it back. (Seen for sysctls only, and
 * only the case process's own: the knob helpers of the case API refuse an
 * undeclared path before writing it.)
 */
static int proc_writes(const struct pst_case *tc, pid_t pid, struct pst_outcome *out)
{
	char sys[PST_ERR_MAX], msg[PST_ERR_MAX + 256];
	int writes;

	if (slot.watch < 0)
		return -1;
	writes = pst_procwatch_scan(slot.watch, pid, sys, sizeof(sys));
	for (char *l = sys, *nl; writes > 0 && (nl = strchr(l, '\n')); l = nl + 1) {
		const char *const *d = tc->globals;

		*nl = '\0';
		while (d && *d && strcmp(*d, l) != 0)
			d++;
		if (d && *d)
			continue;
		snprintf(msg, sizeof(msg),
			 "the case wrote %s, a knob of the whole system it does not declare in "
			 ".globals: the runner did not save it and cannot put it back",
			 l);
		pst_outcome_set(&out->broken, msg);
	}
	return writes;
}

/*
 * After the case process and its process group were killed (whatever ended
 * it): the global knobs it declared back as they were. What was written back
 * goes into the case's log; a knob that could not be is the case's ERROR (the
 * system is left changed).
 */
static void restore_globals(struct pst_globals *globals, struct gather *g, struct pst_outcome *out)
{
	char done[PST_ERR_MAX * 2], err[PST_ERR_MAX];

	if (pst_globals_restore(globals, done, sizeof(done), err, sizeof(err)) < 0) {
		char msg[PST_ERR_MAX + 64];

		snprintf(msg, sizeof(msg), "a global knob was not restored: %s", err);
		pst_outcome_set(&out->error, msg);
		fprintf(stderr, "run.sh: %s\n", msg);
	}
	if (*done)
		sb_printf(&g->log, "runner: %s\n", done);
}

void pst_exec_case(const struct pst_exec_cfg *cfg, const struct pst_instance *in, unsigned idx,
		   struct pst_outcome *out)
{
	struct gather g = { .o = out };
	struct pst_globals globals;
	struct pst_objcnt before;
	char prefix[64], err[PST_ERR_MAX];
	int chan[2], outp[2];
	double t0 = now_s();
	bool timed_out, keep = false, reused, counted;
	pid_t pid;

	memset(out, 0, sizeof(*out));
	steps_init();
	slot.objcnt = cfg->objcnt;
	if (in->tc->needs & PST_NEED_FRESH_TOPOLOGY)
		pst_exec_release();
	reused = slot.live;
	snprintf(prefix, sizeof(prefix), "%s%u", cfg->ns_prefix, idx);
	if (slot_fill(prefix, err, sizeof(err)) < 0) {
		fail_setup(out, "topology: %s", err);
		out->seconds = now_s() - t0;
		return;
	}
	if (pipe2(chan, O_CLOEXEC) < 0 || pipe2(outp, O_CLOEXEC) < 0) {
		fail_setup(out, "pipe: %s", strerror(errno));
		pst_exec_release();
		return;
	}
	/* Here, not in the case process: a case killed midway cannot restore them. */
	if (pst_globals_save(&globals, in->tc->globals, err, sizeof(err)) < 0) {
		fail_setup(out, "saving the global knobs the case declares: %s", err);
		close(chan[0]);
		close(chan[1]);
		close(outp[0]);
		close(outp[1]);
		out->seconds = now_s() - t0;
		return;
	}
	/* Writes from before this case are not its own (a reused topology's were just read). */
	if (slot.watch >= 0 && !reused)
		pst_procwatch_writes(slot.watch);
	step(ST_TOPO);
	counted = slot.own_known && pst_objcnt_read(&before) == 0;
	/*
	 * The window is open since the previous case's closed: what the kernel
	 * said in between (this case's topology built, a late report of the last
	 * case) is this case's, never dropped.
	 */
	fflush(NULL); /* nothing buffered may be written twice by the child */
	pid = spawn(in, &slot.topo, cfg->profile, chan, outp);
	if (pid > 0)
		remember(pid, in);
	step(ST_FORK);
	close(chan[1]);
	close(outp[1]);
	if (pid < 0) {
		restore_globals(&globals, &g, out);
		fail_setup(out, "starting the case process: %s", strerror(errno));
		close(chan[0]);
		close(outp[0]);
	} else {
		int status = supervise(pid, chan[0], outp[0], cfg->timeout_s, &g, &slot.state,
				       &slot.topo, &timed_out);
		int writes;

		restore_globals(&globals, &g, out);
		writes = proc_writes(in->tc, pid, out);
		ended(out, &g, status, timed_out, cfg->timeout_s);
		keep = reusable(&g, status, timed_out, writes);
	}
	if (counted && g.ended && !g.leaked)
		objects_left(&before, out);
	gather_free(&g);
	if (!keep)
		pst_exec_release();
	step(ST_REUSE_CHECK);
	kernel_window(cfg->kmsg, in->tc, out);
	step(ST_KMSG);
	last_case_end = now_s();
	out->seconds = now_s() - t0;
	steps_print(t0, reused);
}
