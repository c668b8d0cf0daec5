/* Writes into /proc, seen through fanotify: see procwatch.h. */
#include "procwatch.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/fanotify.h>
#include <unistd.h>

#define EVENT_BUF 4096

int pst_procwatch_open(void)
{
	int fd = fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	if (fanotify_mark(fd, FAN_MARK_ADD | FAN_MARK_MOUNT, FAN_MODIFY, AT_FDCWD, "/proc") < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* The parent of a live process, or -1 (gone, or unreadable). */
static pid_t parent_of(pid_t pid)
{
	char path[64], buf[512], *close_paren;
	int fd, ppid;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	/* "pid (comm) state ppid ...": comm may hold anything, so from the last ')' */
	close_paren = strrchr(buf, ')');
	if (!close_paren || sscanf(close_paren + 1, " %*c %d", &ppid) != 1)
		return -1;
	return ppid;
}

static bool by_harness(pid_t pid)
{
	return pid == getpid() || parent_of(pid) == getppid();
}

/* A knob of the whole system: under /proc/sys, not a network namespace's. */
static bool system_knob(const char *path)
{
	return strncmp(path, "/proc/sys/", 10) == 0 && strncmp(path, "/proc/sys/net/", 14) != 0;
}

/* path into the list sys ("a\nb\n"), unless it is there or does not fit. */
static void note_path(char *sys, size_t len, const char *path)
{
	size_t used = strlen(sys), plen = strlen(path);

	for (const char *l = sys; *l; l = strchr(l, '\n') + 1)
		if (strncmp(l, path, plen) == 0 && l[plen] == '\n')
			return;
	if (used + plen + 2 <= len)
		snprintf(sys + used, len - used, "%s\n", path);
}

/* What event fd (an open file of the event) names, or "". */
static void event_path(int fd, char *out, size_t len)
{
	char link[64];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, out, len - 1);
	out[n > 0 ? n : 0] = '\0';
}

int pst_procwatch_scan(int fd, pid_t pid, char *sys, size_t len)
{
	_Alignas(struct fanotify_event_metadata) char buf[EVENT_BUF];
	char path[PATH_MAX];
	int writes = 0;

	if (sys && len)
		*sys = '\0';
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		const struct fanotify_event_metadata *m = (const void *)buf;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno == EAGAIN ? writes : -1;
		for (; FAN_EVENT_OK(m, n); m = FAN_EVENT_NEXT(m, n)) {
			if (m->fd >= 0 && sys && len && pid > 0 && m->pid == pid) {
				event_path(m->fd, path, sizeof(path));
				if (system_knob(path))
					note_path(sys, len, path);
			}
			if (m->fd >= 0)
				close(m->fd);
			writes += !by_harness(m->pid);
		}
	}
}

int pst_procwatch_writes(int fd)
{
	return pst_procwatch_scan(fd, 0, NULL, 0);
}
