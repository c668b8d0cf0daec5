/*
 * Unit tests of the global knobs the runner saves and restores around a case
 * (harness/runner/globals.c), on temporary files instead of /proc: a value
 * the case changed is written back, also when the process that changed it
 * was killed; one it left alone is not written; each knob is locked from
 * save to restore; an absent knob is not an error, an unusable one is, and
 * then nothing is held; the run's start values are found by path.
 */
#include <CUnit/Basic.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include "globals.h"
#include "unit.h"

#define MSG_LEN 1024

static char dir[] = "/tmp/pst_globals.XXXXXX";
static char knob_a[256], knob_b[256], missing[256];

static int suite_init(void)
{
	if (!mkdtemp(dir))
		return -1;
	snprintf(missing, sizeof(missing), "%s/no-such-knob", dir);
	return 0;
}

static int suite_clean(void)
{
	return pst_unit_remove_dir(dir);
}

/* Both knobs with these values, as files. */
static void knobs(const char *a, const char *b)
{
	CU_ASSERT_EQUAL_FATAL(pst_unit_write_file(dir, "a", a, knob_a, sizeof(knob_a)), 0);
	CU_ASSERT_EQUAL_FATAL(pst_unit_write_file(dir, "b", b, knob_b, sizeof(knob_b)), 0);
}

/* What a case does to a knob: its whole value replaced. */
static void change(const char *path, const char *value)
{
	char p[256];
	const char *name = strrchr(path, '/') + 1;

	CU_ASSERT_EQUAL_FATAL(pst_unit_write_file(dir, name, value, p, sizeof(p)), 0);
}

static bool reads(const char *path, const char *value)
{
	char *got = pst_unit_slurp(path, NULL);
	bool same = got && strcmp(got, value) == 0;

	if (!same)
		fprintf(stderr, "%s: expected '%s', got '%s'\n", path, value, got ? got : "(none)");
	free(got);
	return same;
}

/* Is path flock()ed by someone else (another open file)? */
static bool locked(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	bool held;

	CU_ASSERT_FATAL(fd >= 0);
	held = flock(fd, LOCK_EX | LOCK_NB) < 0 && errno == EWOULDBLOCK;
	close(fd);
	return held;
}

static void changed_value_is_written_back(void)
{
	const char *const paths[] = { knob_a, knob_b, NULL };
	struct pst_globals s;
	char done[MSG_LEN], err[MSG_LEN] = "";

	knobs("45\n", "N\n");
	CU_ASSERT_EQUAL_FATAL(pst_globals_save(&s, paths, err, sizeof(err)), 0);
	change(knob_a, "9223372036854775807\n");
	CU_ASSERT_EQUAL(pst_globals_restore(&s, done, sizeof(done), err, sizeof(err)), 0);
	CU_ASSERT_TRUE(reads(knob_a, "45\n"));
	CU_ASSERT_TRUE(reads(knob_b, "N\n"));
	/* Said in the case's log: which knob, and to what. */
	CU_ASSERT_PTR_NOT_NULL(strstr(done, knob_a));
	CU_ASSERT_PTR_NOT_NULL(strstr(done, "'45' written back"));
	CU_ASSERT_PTR_NULL(strstr(done, knob_b));
	CU_ASSERT_EQUAL(s.n, 0);
}

static void unchanged_value_is_not_written(void)
{
	const char *const paths[] = { knob_a, NULL };
	struct pst_globals s;
	char done[MSG_LEN], err[MSG_LEN] = "";

	knobs("1\n", "2\n");
	CU_ASSERT_EQUAL_FATAL(pst_globals_save(&s, paths, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(pst_globals_restore(&s, done, sizeof(done), err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(done, "");
	CU_ASSERT_TRUE(reads(knob_a, "1\n"));
}

/* The case process changed it and was killed mid-way (a timeout's SIGKILL). */
static void value_left_by_a_killed_process_is_written_back(void)
{
	const char *const paths[] = { knob_a, NULL };
	struct pst_globals s;
	char done[MSG_LEN], err[MSG_LEN] = "";
	int ready[2], st;
	char c;
	pid_t pid;

	knobs("45\n", "x\n");
	CU_ASSERT_EQUAL_FATAL(pst_globals_save(&s, paths, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(pipe(ready), 0);
	pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0) {
		close(ready[0]);
		change(knob_a, "1\n");
		if (write(ready[1], "", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(ready[1]);
	CU_ASSERT_EQUAL(read(ready[0], &c, 1), 1); /* it has written the knob */
	close(ready[0]);
	kill(pid, SIGKILL);
	CU_ASSERT_EQUAL(waitpid(pid, &st, 0), pid);
	CU_ASSERT_TRUE(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	CU_ASSERT_TRUE(reads(knob_a, "1\n"));
	CU_ASSERT_EQUAL(pst_globals_restore(&s, done, sizeof(done), err, sizeof(err)), 0);
	CU_ASSERT_TRUE(reads(knob_a, "45\n"));
}

/* Another runner's case declaring the same knob waits from save to restore. */
static void knob_is_locked_from_save_to_restore(void)
{
	const char *const paths[] = { knob_a, knob_b, NULL };
	struct pst_globals s;
	char done[MSG_LEN], err[MSG_LEN] = "";

	knobs("1\n", "2\n");
	CU_ASSERT_FALSE(locked(knob_a));
	CU_ASSERT_EQUAL_FATAL(pst_globals_save(&s, paths, err, sizeof(err)), 0);
	CU_ASSERT_TRUE(locked(knob_a));
	CU_ASSERT_TRUE(locked(knob_b));
	CU_ASSERT_EQUAL(pst_globals_restore(&s, done, sizeof(done), err, sizeof(err)), 0);
	CU_ASSERT_FALSE(locked(knob_a));
	CU_ASSERT_FALSE(locked(knob_b));
}

/* Named twice (a second flock would wait for the first), in a fixed order whatever the case's. */
static void duplicates_are_saved_once_in_path_order(void)
{
	const char *const paths[] = { knob_b, knob_a, knob_b, NULL };
	struct pst_globals s;
	char done[MSG_LEN], err[MSG_LEN] = "";

	knobs("1\n", "2\n");
	CU_ASSERT_EQUAL_FATAL(pst_globals_save(&s, paths, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(s.n, 2);
	CU_ASSERT_STRING_EQUAL(s.g[0].path, knob_a);
	CU_ASSERT_STRING_EQUAL(s.g[1].path, knob_b);
	CU_ASSERT_EQUAL(pst_globals_restore(&s, done, sizeof(done), err, sizeof(err)), 0);
}

/* A kernel without the knob (no failslab): nothing to keep, not an error. */
static void absent_knob_is_skipped(void)
{
	const char *const paths[] = { missing, knob_a, NULL };
	struct pst_globals s;
	char done[MSG_LEN], err[MSG_LEN] = "";

	knobs("1\n", "2\n");
	CU_ASSERT_EQUAL_FATAL(pst_globals_save(&s, paths, err, sizeof(err)), 0);
	change(knob_a, "3\n");
	CU_ASSERT_EQUAL(pst_globals_restore(&s, done, sizeof(done), err, sizeof(err)), 0);
	CU_ASSERT_TRUE(reads(knob_a, "1\n"));
	CU_ASSERT_EQUAL(access(missing, F_OK), -1);
}

static void no_knobs_is_nothing(void)
{
	struct pst_globals s;
	char done[MSG_LEN], err[MSG_LEN] = "";

	CU_ASSERT_EQUAL(pst_globals_save(&s, NULL, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(s.n, 0);
	CU_ASSERT_EQUAL(pst_globals_restore(&s, done, sizeof(done), err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(done, "");
}

/* One that cannot be kept whole is refused before the case, and nothing stays locked. */
static void unusable_knob_is_an_error_and_nothing_is_held(void)
{
	char big[PST_GLOBAL_VALUE_MAX + 16];
	const char *const too_long[] = { knob_a, knob_b, NULL };
	const char *const a_directory[] = { knob_a, dir, NULL };
	struct pst_globals s;
	char err[MSG_LEN] = "";

	memset(big, '7', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	knobs("1\n", big);
	CU_ASSERT_EQUAL(pst_globals_save(&s, too_long, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, knob_b));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "longer"));
	CU_ASSERT_FALSE(locked(knob_a));
	err[0] = '\0';
	CU_ASSERT_EQUAL(pst_globals_save(&s, a_directory, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, dir));
	CU_ASSERT_FALSE(locked(knob_a));
}

static void too_many_knobs_is_an_error(void)
{
	char names[PST_GLOBALS_MAX + 1][32];
	const char *paths[PST_GLOBALS_MAX + 2];
	struct pst_globals s;
	char err[MSG_LEN] = "";

	for (int i = 0; i <= PST_GLOBALS_MAX; i++) {
		snprintf(names[i], sizeof(names[i]), "/proc/sys/x%d", i);
		paths[i] = names[i];
	}
	paths[PST_GLOBALS_MAX + 1] = NULL;
	CU_ASSERT_EQUAL(pst_globals_save(&s, paths, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "more than"));
}

static void start_values_are_found_by_path(void)
{
	char *env = NULL, v[64];

	knobs("45\n", "N\n");
	CU_ASSERT_EQUAL(pst_globals_at_start_add(&env, knob_a), 0);
	CU_ASSERT_EQUAL(pst_globals_at_start_add(&env, knob_b), 0);
	CU_ASSERT_EQUAL(pst_globals_at_start_add(&env, missing), 0); /* unreadable: left out */
	change(knob_a, "1\n");
	CU_ASSERT_EQUAL(pst_globals_at_start_add(&env, knob_a), 0); /* the first look stays */
	CU_ASSERT_PTR_NOT_NULL_FATAL(env);
	CU_ASSERT_EQUAL(pst_globals_at_start(env, knob_a, v, sizeof(v)), 0);
	CU_ASSERT_STRING_EQUAL(v, "45");
	CU_ASSERT_EQUAL(pst_globals_at_start(env, knob_b, v, sizeof(v)), 0);
	CU_ASSERT_STRING_EQUAL(v, "N");
	CU_ASSERT_EQUAL(pst_globals_at_start(env, missing, v, sizeof(v)), -1);
	/* a path that is a prefix of a listed one is not that one */
	CU_ASSERT_EQUAL(pst_globals_at_start(env, dir, v, sizeof(v)), -1);
	CU_ASSERT_EQUAL(pst_globals_at_start(NULL, knob_a, v, sizeof(v)), -1);
	free(env);
}

int main(void)
{
	static const struct pst_unit_test tests[] = {
		PST_UNIT_TEST(changed_value_is_written_back),
		PST_UNIT_TEST(unchanged_value_is_not_written),
		PST_UNIT_TEST(value_left_by_a_killed_process_is_written_back),
		PST_UNIT_TEST(knob_is_locked_from_save_to_restore),
		PST_UNIT_TEST(duplicates_are_saved_once_in_path_order),
		PST_UNIT_TEST(absent_knob_is_skipped),
		PST_UNIT_TEST(no_knobs_is_nothing),
		PST_UNIT_TEST(unusable_knob_is_an_error_and_nothing_is_held),
		PST_UNIT_TEST(too_many_knobs_is_an_error),
		PST_UNIT_TEST(start_values_are_found_by_path),
	};

	return pst_unit_main("globals", tests, sizeof(tests) / sizeof(tests[0]), suite_init,
			     suite_clean);
}
