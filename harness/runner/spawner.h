/*
 * The spawner: a small process, forked from the runner once, that forks
 * every case process, reaps it and tells the runner how it ended.
 *
 * Why not fork from the runner: after a fork() every page the forking process
 * writes costs it a fault, and under UML a fault is a trip through the host's
 * ptrace (~170 us, make bench). Between one case and the next the runner
 * writes some 20 pages (its records, reports, journal); the spawner, a loop
 * over one socket, writes one or two. The runner keeps the case's process
 * group to kill, its pipes and its deadline; the spawner is the case
 * processes' parent and subreaper (what a case leaves running comes to it).
 */
#ifndef PST_SPAWNER_H
#define PST_SPAWNER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define PST_SPAWN_MAX_FDS 8
#define PST_SPAWN_MAX_REQ 1024

/*
 * Runs in the new process (its own process group, default signal handling,
 * none of the runner's descriptors but 0-2 and fds[]), with the request's
 * bytes and descriptors. Must not return (returning exits with status 1).
 */
typedef void (*pst_spawn_main)(const void *req, size_t len, const int *fds, int nfds);

/* Start the spawner if it is not running. 0, or -1 (errno). */
int pst_spawner_start(pst_spawn_main fn);
/*
 * A new process runs fn with a copy of req[0..len) and of fds[0..nfds)
 * (the caller keeps its own). Its pid, or -1 (errno; EPIPE: the spawner is
 * gone, start it again).
 */
pid_t pst_spawner_spawn(const void *req, size_t len, const int *fds, int nfds);
/* Readable when the process of the last spawn has ended (or the spawner is gone). */
int pst_spawner_fd(void);
/*
 * Wait for the end of the last spawned process: 1 and its wait status, or
 * -1 when the spawner is gone (the process may still be running). Then,
 * *alone: nothing of the spawned processes is left (no process it started
 * outlived it); *reaped: a leftover that had ended was reaped.
 */
int pst_spawner_wait(int *status, bool *alone, bool *reaped);
/*
 * Reap what the spawned processes left that has ended since: 1 nothing of
 * them is left, 0 some still run, -1 the spawner is gone. *reaped: whether
 * there was something to reap.
 */
int pst_spawner_reap(bool *reaped);
/* End the spawner (it also ends when this process does). */
void pst_spawner_stop(void);
/* In a forked process: the spawner is its parent's, not its own. */
void pst_spawner_forget(void);

#endif
