/* The process that forks the case processes: see spawner.h. */
#include "spawner.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* Runner to spawner: SPAWN, REAP. Spawner to runner: SPAWNED, then ENDED; REAPED. */
enum msg_type { MSG_SPAWN = 1, MSG_REAP, MSG_SPAWNED, MSG_ENDED, MSG_REAPED };

struct msg_head {
	int type;
	int pid;    /* SPAWNED (-1: fork failed), ENDED */
	int value;  /* SPAWNED: errno; ENDED: wait status; REAPED: 1 nothing left, 0 some run */
	int reaped; /* ENDED, REAPED: a leftover was reaped */
	int alone;  /* ENDED: nothing of the spawned processes is left */
};

/* Reap what has ended among the spawner's children: 1 none is left, else 0. */
static int reap_all(int *reaped)
{
	int st;
	pid_t pid;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
		*reaped = 1;
	return pid < 0 && errno == ECHILD;
}

#ifdef PST_SPAWNER_ANSWER_LATE
#define ANSWER_LATE_US 20000
#endif

/* What the spawner writes to a new case process once the runner has its pid. */
#define GO_BYTE 'g'

/* The spawner's descriptor of its socket: moved here, everything above it closed. */
#define SERVER_SOCK 3

static struct {
	pid_t pid;
	int sock;
} sp = { -1, -1 };

union cmsg_space {
	char buf[CMSG_SPACE(sizeof(int) * PST_SPAWN_MAX_FDS)];
	struct cmsghdr align;
};

static int send_msg(int sock, const struct msg_head *h, const void *body, size_t len,
		    const int *fds, int nfds)
{
	struct iovec iov[2] = { { (void *)h, sizeof(*h) }, { (void *)body, len } };
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = len ? 2 : 1 };
	union cmsg_space u;
	ssize_t n;

	if (nfds > PST_SPAWN_MAX_FDS || len > PST_SPAWN_MAX_REQ) {
		errno = E2BIG;
		return -1;
	}
	if (nfds > 0) {
		struct cmsghdr *c;

		memset(&u, 0, sizeof(u));
		mh.msg_control = u.buf;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)nfds);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)nfds);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * (size_t)nfds);
	}
	do
		n = sendmsg(sock, &mh, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	return n == (ssize_t)(sizeof(*h) + len) ? 0 : -1;
}

/* The body's length, or -1 (EOF, error or a malformed message: what came is closed). */
static ssize_t recv_msg(int sock, struct msg_head *h, void *body, size_t cap, int *fds, int *nfds)
{
	struct iovec iov[2] = { { h, sizeof(*h) }, { body, cap } };
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = body ? 2 : 1 };
	union cmsg_space u;
	int got = 0;
	ssize_t n;

	mh.msg_control = u.buf;
	mh.msg_controllen = sizeof(u.buf);
	do
		n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	for (struct cmsghdr *c = n > 0 ? CMSG_FIRSTHDR(&mh) : NULL; c; c = CMSG_NXTHDR(&mh, c)) {
		size_t k;

		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < k; i++) {
			int fd;

			memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(fd));
			if (fds && got < PST_SPAWN_MAX_FDS)
				fds[got++] = fd;
			else
				close(fd);
		}
	}
	if (nfds)
		*nfds = got;
	if (n < (ssize_t)sizeof(*h) || (mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC))) {
		while (got > 0)
			close(fds[--got]);
		if (nfds)
			*nfds = 0;
		if (n >= 0)
			errno = n == 0 ? EPIPE : EPROTO;
		return -1;
	}
	return n - (ssize_t)sizeof(*h);
}

/* The spawner keeps 0-2 and its socket: no descriptor of the runner's stays open in it. */
static void close_others(int sock)
{
	DIR *d;
	struct dirent *e;

	if (sock != SERVER_SOCK) {
		dup2(sock, SERVER_SOCK);
		close(sock);
	}
#ifdef SYS_close_range
	if (syscall(SYS_close_range, SERVER_SOCK + 1, ~0U, 0) == 0)
		return;
#endif
	/* (before Linux 5.9) */
	d = opendir("/proc/self/fd");
	if (!d)
		return;
	while ((e = readdir(d))) {
		int fd = atoi(e->d_name);

		if (fd > SERVER_SOCK && fd != dirfd(d))
			close(fd);
	}
	closedir(d);
}

static const int quiet_sigs[] = { SIGINT, SIGTERM, SIGHUP };
#define NQUIET (sizeof(quiet_sigs) / sizeof(quiet_sigs[0]))

static _Noreturn void spawn_one(pst_spawn_main fn, const void *body, size_t len, const int *fds,
				int nfds, int go)
{
	char c = 0;
	ssize_t n;

	close(SERVER_SOCK);
	/*
	 * Not before the runner knows this process: a case that ends the
	 * spawner at once (the self-test does) must not make its SPAWNED
	 * answer fail, or the runner would start the case again. EOF instead
	 * of the byte: the spawner died first, and nobody waits for this case.
	 */
	do
		n = read(go, &c, 1);
	while (n < 0 && errno == EINTR);
	if (n != 1 || c != GO_BYTE)
		_exit(1);
	close(go);
	for (size_t i = 0; i < NQUIET; i++)
		signal(quiet_sigs[i], SIG_DFL);
	/* Its own process group: the runner kills whatever the case started, too. */
	setpgid(0, 0);
	fn(body, len, fds, nfds);
	_exit(1);
}

static _Noreturn void serve(int sock, pst_spawn_main fn, pid_t runner)
{
	char body[PST_SPAWN_MAX_REQ];

	/* It ends with the runner: by the socket's EOF, or by this if it is killed. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != runner)
		_exit(0);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	/* The runner handles Ctrl-C and friends, and ends the cases it interrupts. */
	for (size_t i = 0; i < NQUIET; i++)
		signal(quiet_sigs[i], SIG_IGN);
	signal(SIGCHLD, SIG_DFL);
	close_others(sock);
	for (;;) {
		struct msg_head h = { 0 }, r = { 0 };
		int fds[PST_SPAWN_MAX_FDS], nfds, st = 0;
		ssize_t len = recv_msg(SERVER_SOCK, &h, body, sizeof(body), fds, &nfds);
		pid_t pid;

		if (len < 0)
			_exit(0);
		if (h.type == MSG_REAP) {
			r.type = MSG_REAPED;
			r.value = reap_all(&r.reaped);
		} else if (h.type == MSG_SPAWN) {
			int go[2] = { -1, -1 }, e;

			pid = pipe2(go, O_CLOEXEC) < 0 ? -1 : fork();
			e = errno;
			if (pid == 0) {
				close(go[1]);
				spawn_one(fn, body, (size_t)len, fds, nfds, go[0]);
			}
			if (pid < 0 && go[0] >= 0) {
				close(go[0]);
				close(go[1]);
			}
			r = (struct msg_head){ .type = MSG_SPAWNED,
					       .pid = pid,
					       .value = pid < 0 ? e : 0 };
			if (pid > 0)
				setpgid(pid, pid); /* (the child does too: whoever is first) */
#ifdef PST_SPAWNER_ANSWER_LATE
			/* Unit test build: the new process gets time to run first, as under load.
			 */
			usleep(ANSWER_LATE_US);
#endif
			while (nfds > 0)
				close(fds[--nfds]);
			if (send_msg(SERVER_SOCK, &r, NULL, 0, NULL, 0) < 0)
				_exit(0);
			if (pid < 0)
				continue;
			close(go[0]);
			(void)!write(go[1], &(char){ GO_BYTE }, 1);
			close(go[1]);
			while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
				;
			r = (struct msg_head){ .type = MSG_ENDED, .pid = pid, .value = st };
			/* Usually nothing else: the runner then needs no REAP. */
			r.alone = reap_all(&r.reaped);
		}
		while (nfds > 0)
			close(fds[--nfds]);
		if (send_msg(SERVER_SOCK, &r, NULL, 0, NULL, 0) < 0)
			_exit(0);
	}
}

/*
 * Let go of the spawner: close the socket (its EOF ends it), kill it first
 * with sig (0: not), wait for it or not; the next start makes a new one.
 */
static void let_go(int sig, bool wait)
{
	if (sp.sock >= 0)
		close(sp.sock);
	if (sp.pid > 0 && sig)
		kill(sp.pid, sig);
	if (sp.pid > 0 && wait)
		while (waitpid(sp.pid, NULL, 0) < 0 && errno == EINTR)
			;
	sp.sock = sp.pid = -1;
}

/* The spawner broke its protocol or went away: end it, and start afresh next time. */
static void lost(void)
{
	let_go(SIGKILL, true);
}

/* The spawner's next answer, of this type: 0, or -1 (it is then gone). */
static int answer(int type, struct msg_head *r)
{
	if (recv_msg(sp.sock, r, NULL, 0, NULL, NULL) < 0 || r->type != type) {
		lost();
		return -1;
	}
	return 0;
}

int pst_spawner_start(pst_spawn_main fn)
{
	int sv[2];
	pid_t runner = getpid(), pid;

	if (sp.pid > 0)
		return 0;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		close(sv[0]);
		serve(sv[1], fn, runner);
	}
	close(sv[1]);
	if (pid < 0) {
		close(sv[0]);
		return -1;
	}
	sp.pid = pid;
	sp.sock = sv[0];
	return 0;
}

pid_t pst_spawner_spawn(const void *req, size_t len, const int *fds, int nfds)
{
	struct msg_head h = { .type = MSG_SPAWN }, r = { 0 };

	if (sp.sock < 0) {
		errno = EPIPE;
		return -1;
	}
	if (send_msg(sp.sock, &h, req, len, fds, nfds) < 0) {
		int e = errno;

		if (e != E2BIG)
			lost();
		errno = e == E2BIG ? E2BIG : EPIPE;
		return -1;
	}
	if (answer(MSG_SPAWNED, &r) < 0) {
		errno = EPIPE;
		return -1;
	}
	if (r.pid < 0) {
		/* Nothing runs: no ENDED follows. */
		errno = r.value;
		return -1;
	}
	return r.pid;
}

int pst_spawner_fd(void)
{
	return sp.sock;
}

int pst_spawner_wait(int *status, bool *alone, bool *reaped)
{
	struct msg_head r = { 0 };

	if (sp.sock < 0 || answer(MSG_ENDED, &r) < 0)
		return -1;
	*status = r.value;
	*alone = r.alone != 0;
	*reaped = r.reaped != 0;
	return 1;
}

int pst_spawner_reap(bool *reaped)
{
	struct msg_head h = { .type = MSG_REAP }, r = { 0 };

	*reaped = false;
	if (sp.sock < 0)
		return -1;
	if (send_msg(sp.sock, &h, NULL, 0, NULL, 0) < 0) {
		lost();
		return -1;
	}
	if (answer(MSG_REAPED, &r) < 0)
		return -1;
	*reaped = r.reaped != 0;
	return r.value ? 1 : 0;
}

void pst_spawner_stop(void)
{
	let_go(0, true);
}

void pst_spawner_forget(void)
{
	let_go(0, false); /* (not this process's child: no wait) */
}
