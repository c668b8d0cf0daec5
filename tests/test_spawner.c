/*
 * Unit tests of the spawner (harness/runner/spawner.c), the process that
 * forks the case processes: how a process ended comes back, it gets the
 * descriptors of its request and none of the runner's, its own process group,
 * what it leaves running is seen until reaped, a spawner that dies is
 * reported, then replaced, and a process that ends its spawner at once was
 * spawned all the same.
 */
#include <CUnit/Basic.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "spawner.h"
#include "unit.h"

#define HIGH_FD 100

/* Up to how long a leftover that was told to end may take: a bound, not a wait. */
#define END_BOUND_MS 5000

/* What the spawned process does, by the request's first word; fds[0] is its report pipe. */
static void child(const void *req, size_t len, const int *fds, int nfds)
{
	char cmd[64] = { 0 }, out[64];
	int arg = 0;

	memcpy(cmd, req, len < sizeof(cmd) - 1 ? len : sizeof(cmd) - 1);
	sscanf(cmd, "%*s %d", &arg);
	if (!strncmp(cmd, "exit", 4))
		_exit(arg);
	if (nfds < 1)
		_exit(100);
	if (!strncmp(cmd, "fd", 2)) /* is the runner's descriptor arg open here? */
		snprintf(out, sizeof(out), "%d", fcntl(arg, F_GETFD) >= 0);
	else if (!strncmp(cmd, "pgid", 4))
		snprintf(out, sizeof(out), "%d", getpgid(0) == getpid());
	else if (!strncmp(cmd, "block", 5)) /* reports its pid and parent's, then waits on fds[1] */
		snprintf(out, sizeof(out), "%d %d", (int)getpid(), (int)getppid());
	else if (!strncmp(cmd, "killparent", 10)) { /* says it ran, then ends its spawner */
		if (write(fds[0], "1", 1) != 1)
			_exit(102);
		kill(getppid(), SIGKILL);
		_exit(0);
	} else if (!strncmp(cmd, "orphan", 6)) { /* leaves a process outside its group, blocked */
		pid_t p = fork();

		if (p == 0) {
			char c;

			setsid();
			if (write(fds[0], "1", 1) == 1 && read(fds[1], &c, 1) >= 0)
				_exit(0);
			_exit(0);
		}
		_exit(p > 0 ? 0 : 1);
	} else
		_exit(101);
	if (write(fds[0], out, strlen(out)) < 0)
		_exit(102);
	if (!strncmp(cmd, "block", 5)) {
		char c;

		if (read(fds[1], &c, 1) < 0)
			_exit(103);
	}
	_exit(0);
}

/* pst_spawner_wait(), and whether nothing of the process was left (NULL: not asked). */
static int end_of(int *st, bool *alone)
{
	bool a = false, reaped = false;
	int r = pst_spawner_wait(st, &a, &reaped);

	if (alone)
		*alone = a;
	return r;
}

static pid_t spawn_cmd(const char *cmd, const int *fds, int nfds)
{
	return pst_spawner_spawn(cmd, strlen(cmd), fds, nfds);
}

/* Spawn cmd with a report pipe; what it wrote, into out. The wait status. */
static int run_cmd(const char *cmd, char *out, size_t cap)
{
	int p[2], st = -1;
	ssize_t n;

	CU_ASSERT_EQUAL_FATAL(pipe(p), 0);
	CU_ASSERT_TRUE_FATAL(spawn_cmd(cmd, &p[1], 1) > 0);
	close(p[1]);
	n = read(p[0], out, cap - 1);
	out[n > 0 ? n : 0] = '\0';
	close(p[0]);
	CU_ASSERT_EQUAL(end_of(&st, NULL), 1);
	return st;
}

static int suite_init(void)
{
	return pst_spawner_start(child);
}

static int suite_clean(void)
{
	pst_spawner_stop();
	return 0;
}

static void exit_status_comes_back(void)
{
	int st = -1;
	bool alone = false;

	CU_ASSERT_TRUE_FATAL(spawn_cmd("exit 3", NULL, 0) > 0);
	CU_ASSERT_EQUAL(end_of(&st, &alone), 1);
	CU_ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 3);
	CU_ASSERT_TRUE(alone);
}

static void runner_descriptor_is_not_inherited(void)
{
	char out[16], cmd[32];
	/* Without O_CLOEXEC (a fork would pass it), and a number no passed descriptor gets. */
	int null = open("/dev/null", O_RDONLY), mine = fcntl(null, F_DUPFD, HIGH_FD);

	close(null);
	CU_ASSERT_TRUE_FATAL(mine >= HIGH_FD);
	pst_spawner_stop(); /* a spawner started while it is open */
	CU_ASSERT_EQUAL_FATAL(pst_spawner_start(child), 0);
	snprintf(cmd, sizeof(cmd), "fd %d", mine);
	CU_ASSERT_EQUAL(run_cmd(cmd, out, sizeof(out)), 0);
	CU_ASSERT_STRING_EQUAL(out, "0");
	close(mine);
}

static void process_has_its_own_group(void)
{
	char out[16];

	CU_ASSERT_EQUAL(run_cmd("pgid", out, sizeof(out)), 0);
	CU_ASSERT_STRING_EQUAL(out, "1");
}

/*
 * Spawn cmd with a report pipe (fds[0]) and a pipe it may wait on (fds[1]):
 * the report's read end into *rep_r, the other's write end into *hold_w.
 */
static void spawn_held(const char *cmd, int *rep_r, int *hold_w)
{
	int rep[2], hold[2], fds[2];

	CU_ASSERT_EQUAL_FATAL(pipe(rep), 0);
	CU_ASSERT_EQUAL_FATAL(pipe(hold), 0);
	fds[0] = rep[1];
	fds[1] = hold[0];
	CU_ASSERT_TRUE_FATAL(spawn_cmd(cmd, fds, 2) > 0);
	close(rep[1]);
	close(hold[0]);
	*rep_r = rep[0];
	*hold_w = hold[1];
}

static void leftover_is_seen_until_reaped(void)
{
	int rep, hold, st = -1, left = 0;
	bool reaped = false, ever = false, alone = true;
	char c;

	spawn_held("orphan", &rep, &hold);
	CU_ASSERT_EQUAL_FATAL(read(rep, &c, 1), 1); /* the leftover runs */
	CU_ASSERT_EQUAL(end_of(&st, &alone), 1);
	CU_ASSERT_EQUAL(st, 0);
	CU_ASSERT_FALSE(alone);
	CU_ASSERT_EQUAL(pst_spawner_reap(&reaped), 0);
	close(hold); /* it ends */
	CU_ASSERT_EQUAL(read(rep, &c, 1), 0);
	for (int ms = 0; ms < END_BOUND_MS && (left = pst_spawner_reap(&reaped)) == 0; ms++) {
		struct timespec t = { 0, 1000000 };

		nanosleep(&t, NULL);
		ever = ever || reaped;
	}
	CU_ASSERT_EQUAL(left, 1);
	CU_ASSERT_TRUE(ever || reaped);
	close(rep);
}

/* A spawned process that blocks until *hold is closed: its pid and its parent's (the spawner). */
static void spawn_blocked(int *pid, int *ppid, int *hold_w)
{
	int rep;
	char out[64];
	ssize_t n;

	spawn_held("block", &rep, hold_w);
	n = read(rep, out, sizeof(out) - 1);
	out[n > 0 ? n : 0] = '\0';
	close(rep);
	CU_ASSERT_EQUAL_FATAL(sscanf(out, "%d %d", pid, ppid), 2);
}

static void dead_spawner_is_reported_then_replaced(void)
{
	int hold, pid = 0, ppid = 0, st = -1;

	spawn_blocked(&pid, &ppid, &hold);
	CU_ASSERT_EQUAL(kill(ppid, SIGKILL), 0);
	CU_ASSERT_EQUAL(end_of(&st, NULL), -1);
	kill(pid, SIGKILL);
	close(hold);
	CU_ASSERT_EQUAL(spawn_cmd("exit 0", NULL, 0), -1);
	CU_ASSERT_EQUAL(errno, EPIPE);
	CU_ASSERT_EQUAL_FATAL(pst_spawner_start(child), 0);
	CU_ASSERT_TRUE_FATAL(spawn_cmd("exit 4", NULL, 0) > 0);
	CU_ASSERT_EQUAL(end_of(&st, NULL), 1);
	CU_ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 4);
}

/* The spawner of this build answers late (Makefile): each try shows the race. */
#define RACE_TRIES 10

/*
 * A process that ends its spawner at once was still spawned: its pid comes
 * back (the runner must not start it again), and it ran exactly once.
 */
static void spawner_killed_at_once_still_answers(void)
{
	int lost = 0, ran = 0;

	for (int i = 0; i < RACE_TRIES; i++) {
		int p[2], st;
		char c;
		pid_t pid;

		CU_ASSERT_EQUAL_FATAL(pipe(p), 0);
		CU_ASSERT_EQUAL_FATAL(pst_spawner_start(child), 0);
		pid = spawn_cmd("killparent", &p[1], 1);
		close(p[1]);
		lost += pid < 0;
		while (read(p[0], &c, 1) == 1)
			ran++;
		close(p[0]);
		if (pid > 0)
			CU_ASSERT_EQUAL(end_of(&st, NULL), -1);
	}
	if (lost)
		fprintf(stderr, "expected every spawn to answer its pid, got %d of %d lost\n", lost,
			RACE_TRIES);
	CU_ASSERT_EQUAL(lost, 0);
	CU_ASSERT_EQUAL(ran, RACE_TRIES - lost);
}

static void spawner_survives_sigint(void)
{
	int hold, pid = 0, ppid = 0, st = -1;

	spawn_blocked(&pid, &ppid, &hold);
	/* The runner's Ctrl-C reaches the spawner too: it ignores it. */
	CU_ASSERT_EQUAL(kill(ppid, SIGINT), 0);
	CU_ASSERT_EQUAL(kill(pid, SIGTERM), 0);
	CU_ASSERT_EQUAL(end_of(&st, NULL), 1);
	CU_ASSERT_TRUE(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
	close(hold);
}

int main(void)
{
	static const struct pst_unit_test tests[] = {
		PST_UNIT_TEST(exit_status_comes_back),
		PST_UNIT_TEST(runner_descriptor_is_not_inherited),
		PST_UNIT_TEST(process_has_its_own_group),
		PST_UNIT_TEST(leftover_is_seen_until_reaped),
		PST_UNIT_TEST(spawner_survives_sigint),
		PST_UNIT_TEST(dead_spawner_is_reported_then_replaced),
		PST_UNIT_TEST(spawner_killed_at_once_still_answers),
	};

	return pst_unit_main("spawner", tests, sizeof(tests) / sizeof(tests[0]), suite_init,
			     suite_clean);
}
