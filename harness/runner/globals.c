/* Global knobs saved and restored around a case by the runner: see globals.h. */
#include "globals.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

static void say(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void say(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (!buf || !len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
}

/* A value as a message shows it: without its trailing newline. */
static int shown_len(const char *v, size_t len)
{
	while (len > 0 && (v[len - 1] == '\n' || v[len - 1] == '\0'))
		len--;
	return (int)len;
}

/* The whole value from offset 0: its length, or -1 (errno; EFBIG: longer than out). */
static ssize_t read_value(int fd, char *out, size_t len)
{
	ssize_t n;

	do
		n = pread(fd, out, len, 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	if ((size_t)n == len) {
		errno = EFBIG;
		return -1;
	}
	out[n] = '\0';
	return n;
}

static bool under_debugfs(const char *path)
{
	size_t n = strlen(PST_GLOBALS_DEBUGFS);

	return strncmp(path, PST_GLOBALS_DEBUGFS, n) == 0 && path[n] == '/';
}

static bool debugfs_mounted(void)
{
	struct statfs st;

	return statfs(PST_GLOBALS_DEBUGFS, &st) == 0 && st.f_type == DEBUGFS_MAGIC;
}

static int by_path(const void *a, const void *b)
{
	return strcmp(((const struct pst_global *)a)->path, ((const struct pst_global *)b)->path);
}

/* Unlock and forget everything (no value written). */
static void let_go(struct pst_globals *s)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->g[i].fd >= 0)
			close(s->g[i].fd); /* drops the flock */
	if (s->mounted_debugfs)
		umount(PST_GLOBALS_DEBUGFS);
	memset(s, 0, sizeof(*s));
}

/* Open, lock and read one knob; absent: fd -1. 0, or -1 with err. */
static int save_one(struct pst_globals *s, struct pst_global *g, char *err, size_t errlen)
{
	ssize_t n;

	g->fd = -1;
	if (under_debugfs(g->path) && access(g->path, F_OK) != 0 && !s->mounted_debugfs &&
	    !debugfs_mounted()) {
		if (mount("debugfs", PST_GLOBALS_DEBUGFS, "debugfs", 0, NULL) < 0) {
			say(err, errlen, "%s: mounting debugfs on %s: %s", g->path,
			    PST_GLOBALS_DEBUGFS, strerror(errno));
			return -1;
		}
		s->mounted_debugfs = true;
	}
	g->fd = open(g->path, O_RDWR | O_CLOEXEC);
	if (g->fd < 0) {
		if (errno == ENOENT)
			return 0; /* nothing to keep: the kernel has no such knob */
		say(err, errlen, "%s: opening it to save and restore it: %s", g->path,
		    strerror(errno));
		return -1;
	}
	/*
	 * Another runner's case that declared it holds it until its value is
	 * back: at most that case's --timeout. (flock() is restarted after a
	 * signal: a Ctrl-C meanwhile ends this case as soon as it starts.)
	 */
	while (flock(g->fd, LOCK_EX) < 0)
		if (errno != EINTR) {
			say(err, errlen, "%s: locking it: %s", g->path, strerror(errno));
			return -1;
		}
	n = read_value(g->fd, g->value, sizeof(g->value));
	if (n < 0) {
		say(err, errlen, "%s: reading it: %s", g->path,
		    errno == EFBIG ? "longer than the runner keeps" : strerror(errno));
		return -1;
	}
	g->len = (size_t)n;
	return 0;
}

int pst_globals_save(struct pst_globals *s, const char *const *paths, char *err, size_t errlen)
{
	memset(s, 0, sizeof(*s));
	for (size_t i = 0; paths && paths[i]; i++) {
		bool dup = false;

		for (size_t k = 0; k < s->n && !dup; k++)
			dup = strcmp(s->g[k].path, paths[i]) == 0;
		if (dup)
			continue; /* a second flock() of the same file would wait for the first */
		if (s->n == PST_GLOBALS_MAX) {
			say(err, errlen, "more than %d global knobs declared", PST_GLOBALS_MAX);
			return -1;
		}
		s->g[s->n++] = (struct pst_global){ .path = paths[i], .fd = -1 };
	}
	/* One order for every runner: two cases never wait for each other's second knob. */
	qsort(s->g, s->n, sizeof(s->g[0]), by_path);
	for (size_t i = 0; i < s->n; i++)
		if (save_one(s, &s->g[i], err, errlen) < 0) {
			let_go(s);
			return -1;
		}
	return 0;
}

/* Put one knob back. 0: it read as saved, 1: written back, -1: failed (err). */
static int restore_one(const struct pst_global *g, char *err, size_t errlen)
{
	char now[PST_GLOBAL_VALUE_MAX], left[PST_GLOBAL_VALUE_MAX];
	ssize_t n = read_value(g->fd, now, sizeof(now));
	struct stat st;
	ssize_t w;

	if (n == (ssize_t)g->len && memcmp(now, g->value, g->len) == 0)
		return 0;
	snprintf(left, sizeof(left), "%.*s", n < 0 ? 0 : shown_len(now, (size_t)n), now);
	do
		w = pwrite(g->fd, g->value, g->len, 0);
	while (w < 0 && errno == EINTR);
	/* A knob takes the write as its whole value; a plain file (tests) is cut to it. */
	if (w == (ssize_t)g->len && fstat(g->fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    ftruncate(g->fd, (off_t)g->len) < 0)
		w = -1;
	if (w != (ssize_t)g->len) {
		say(err, errlen, "%s: writing back '%.*s' (the case left '%s'): %s", g->path,
		    shown_len(g->value, g->len), g->value, left,
		    w < 0 ? strerror(errno) : "a short write");
		return -1;
	}
	n = read_value(g->fd, now, sizeof(now));
	if (n != (ssize_t)g->len || memcmp(now, g->value, g->len) != 0) {
		say(err, errlen, "%s: expected '%.*s' after writing it back, got '%.*s'%s%s",
		    g->path, shown_len(g->value, g->len), g->value,
		    n < 0 ? 0 : shown_len(now, (size_t)n), now, n < 0 ? " " : "",
		    n < 0 ? strerror(errno) : "");
		return -1;
	}
	return 1;
}

int pst_globals_restore(struct pst_globals *s, char *done, size_t donelen, char *err, size_t errlen)
{
	size_t used = 0;
	int rc = 0;

	say(done, donelen, "%s", "");
	for (size_t i = 0; i < s->n; i++) {
		const struct pst_global *g = &s->g[i];
		char why[512];
		int r;

		if (g->fd < 0)
			continue;
		r = restore_one(g, why, sizeof(why));
		if (r < 0 && rc == 0) {
			say(err, errlen, "%s", why);
			rc = -1;
		}
		if (r > 0 && done && used < donelen) {
			int k = snprintf(done + used, donelen - used,
					 "%s%s: '%.*s' written back (the case had changed it)",
					 used ? "\n" : "", g->path, shown_len(g->value, g->len),
					 g->value);

			used += k > 0 ? (size_t)k : 0;
		}
	}
	let_go(s);
	return rc;
}

int pst_globals_at_start_add(char **env, const char *path)
{
	char v[PST_GLOBAL_VALUE_MAX], probe[PST_GLOBAL_VALUE_MAX];
	size_t have = *env ? strlen(*env) : 0;
	int fd, vlen;
	ssize_t n;
	char *grown;

	if (pst_globals_at_start(*env, path, probe, sizeof(probe)) == 0)
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read_value(fd, v, sizeof(v));
	close(fd);
	if (n < 0)
		return 0;
	vlen = shown_len(v, (size_t)n);
	if (memchr(v, '\n', (size_t)vlen) || memchr(v, '\t', (size_t)vlen) || strchr(path, '\t') ||
	    strchr(path, '\n'))
		return 0; /* not one line: the list cannot hold it */
	grown = realloc(*env, have + strlen(path) + (size_t)vlen + 3);
	if (!grown)
		return -1;
	sprintf(grown + have, "%s\t%.*s\n", path, vlen, v);
	*env = grown;
	return 0;
}

int pst_globals_at_start(const char *env, const char *path, char *out, size_t len)
{
	size_t plen = strlen(path);

	for (const char *line = env; line && *line;) {
		const char *end = strchr(line, '\n');
		size_t llen = end ? (size_t)(end - line) : strlen(line);

		if (llen > plen && strncmp(line, path, plen) == 0 && line[plen] == '\t') {
			say(out, len, "%.*s", (int)(llen - plen - 1), line + plen + 1);
			return 0;
		}
		line = end ? end + 1 : line + llen;
	}
	return -1;
}
