/* The case-side API of case.h: assertions, skip/broken, log, errno names. */
#include "case.h"

#include <CUnit/CUnit.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "channel.h"

const char *pst_errname(int err)
{
	static __thread char other[32];
	const char *n;

	if (err == 0)
		return "0 (no error)";
	n = strerrorname_np(err);
	if (n)
		return n;
	snprintf(other, sizeof(other), "errno %d", err);
	return other;
}

/*
 * Entries of /proc/self/fd, read with getdents64 into a buffer on the stack:
 * the case process counts twice per case, and under UML every syscall and
 * every page first touched costs a trip through the host (opendir's would
 * be five syscalls and a 32 KiB heap buffer).
 */
int pst_count_fds(void)
{
	_Alignas(struct dirent64) char buf[2048];
	int fd = open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int n = 0;
	ssize_t got;

	if (fd < 0)
		return -1;
	while ((got = getdents64(fd, buf, sizeof(buf))) > 0)
		for (ssize_t off = 0; off < got;) {
			const struct dirent64 *d = (const void *)(buf + off);

			n++;
			off += d->d_reclen;
		}
	close(fd);
	return got < 0 ? -1 : n - 3; /* ".", ".." and the directory's own fd */
}

void pst_log(const char *fmt, ...)
{
	char msg[PST_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pst_channel_send(PST_REC_LOG, NULL, 0, msg);
}

void pst_observe(const struct pst_ctx *ctx, enum pst_side_seen side, const char *fmt, ...)
{
	char msg[PST_MSG_MAX];
	va_list ap;

	(void)ctx;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pst_log("%s%s",
		side == PST_SEEN_PEELED ? PST_SEEN_PEELED_PREFIX : PST_SEEN_REFERENCE_PREFIX, msg);
}

static void vfail(const char *file, int line, bool fatal, const char *fmt, va_list ap)
{
	char msg[PST_MSG_MAX];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	char marked[PST_MSG_MAX + 1];

	pst_channel_send(PST_REC_FAIL, file, line, msg);
	snprintf(marked, sizeof(marked), "%c%s", PST_OWN_MARK, msg);
	/* Through CUnit, so its records hold it; a fatal one longjmps to the case's abort point. */
	CU_assertImplementation(CU_FALSE, (unsigned)line, marked, file, "",
				fatal ? CU_TRUE : CU_FALSE);
}

void pst_fail_at(const char *file, int line, bool fatal, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(file, line, fatal, fmt, ap);
	va_end(ap);
}

void pst_skip(const char *fmt, ...)
{
	char msg[PST_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pst_channel_send(PST_REC_SKIP, NULL, 0, msg);
	pst_channel_abort();
}

void pst_broken_at(const char *file, int line, const char *fmt, ...)
{
	char msg[PST_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pst_channel_send(PST_REC_BROKEN, file, line, msg);
	pst_channel_abort();
}

/*
 * The word of the space-separated list that is prefix followed by id
 * (prefix "" for none), or by id, '=' and a value when with_value: the
 * word's start, its length in *n; NULL if there is none.
 */
static const char *declared_word(const char *list, const char *prefix, const char *id,
				 bool with_value, size_t *n)
{
	size_t plen = strlen(prefix), ilen = strlen(id);

	for (const char *w = list; w && *w;) {
		w += strspn(w, " ");
		*n = strcspn(w, " ");
		if (*n >= plen + ilen && strncmp(w, prefix, plen) == 0 &&
		    strncmp(w + plen, id, ilen) == 0 &&
		    (with_value ? *n > plen + ilen + 1 && w[plen + ilen] == '='
				: *n == plen + ilen))
			return w;
		w += *n;
	}
	return NULL;
}

static bool declared(const char *list, const char *prefix, const char *id)
{
	size_t n;

	return declared_word(list, prefix, id, false, &n) != NULL;
}

const char *pst_check_reference(const struct pst_case *tc, const char *id, char *buf, size_t len)
{
	static const char prefix[] = PST_CHECK_REFERENCE;
	size_t n, skip = sizeof(prefix) - 1 + strlen(id) + 1;
	const char *w =
	    *id && !strchr(id, ':') ? declared_word(tc->checks, prefix, id, true, &n) : NULL;

	if (!w)
		return NULL;
	snprintf(buf, len, "%.*s", (int)(n - skip), w + skip);
	return buf;
}

enum pst_check_class pst_check_class(const struct pst_case *tc, const char *id)
{
	char ref[2];

	if (strcmp(id, PST_CHECK_NO_FD_LEAK) == 0 || strcmp(id, PST_CHECK_NO_SCTP_LEAK) == 0 ||
	    strcmp(id, PST_CHECK_NO_KERNEL_REPORT) == 0 ||
	    declared(tc->checks, PST_CHECK_SAFETY, id))
		return PST_CHECK_SAFE;
	if (pst_check_reference(tc, id, ref, sizeof(ref)))
		return PST_CHECK_REF;
	/* (an id has no ':', so that "safety:x" never names x as a plain check) */
	return *id && !strchr(id, ':') && declared(tc->checks, "", id) ? PST_CHECK_PLAIN
								       : PST_CHECK_UNDECLARED;
}

void pst_check(const struct pst_ctx *ctx, const char *id)
{
	if (id && pst_check_class(ctx->tc, id) == PST_CHECK_UNDECLARED)
		pst_broken("check '%s' is not among the case's declared checks (.checks: %s)", id,
			   ctx->tc->checks ? ctx->tc->checks : "none");
	pst_channel_send(PST_REC_CHECK, NULL, 0, id ? id : "");
}

int pst_global_set(const struct pst_ctx *ctx, const char *path, const char *value)
{
	const char *const *g = ctx->tc->globals;
	size_t len = strlen(value);
	ssize_t n;
	int fd;

	while (g && *g && strcmp(*g, path) != 0)
		g++;
	if (!g || !*g)
		pst_broken("pst_global_set(%s): not among the knobs the case declares (.globals), "
			   "which the runner restores after it: nothing written",
			   path);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = write(fd, value, len);
	int err = n < 0 ? errno : EIO; /* (a short write: a knob takes its value in one) */

	close(fd);
	errno = err;
	return n >= 0 && (size_t)n == len ? 0 : -1;
}

const char *pst_profile_name(enum pst_profile p)
{
	static const char *const names[PST_PROFILE_COUNT] = {
		[PST_PROFILE_LINUX] = "linux",
		[PST_PROFILE_SOLARIS] = "solaris",
		[PST_PROFILE_RFC6458] = "rfc6458",
	};
	return (unsigned)p < PST_PROFILE_COUNT ? names[p] : "?";
}

int pst_profile_parse(const char *name)
{
	for (int p = 0; p < PST_PROFILE_COUNT; p++)
		if (strcmp(name, pst_profile_name((enum pst_profile)p)) == 0)
			return p;
	return -1;
}

int pst_expected_errno(const struct pst_ctx *ctx, struct pst_errnos e)
{
	switch (ctx->profile) {
	case PST_PROFILE_SOLARIS:
		return e.solaris_errno;
	case PST_PROFILE_RFC6458:
		return e.rfc_errno;
	default:
		return e.linux_errno;
	}
}

bool pst_check_errno_at(const char *file, int line, bool fatal, const char *what, long ret, int err,
			int expected)
{
	if (ret == -1 && (err == expected || expected == PST_ANY_ERRNO))
		return true;
	if (expected == PST_ANY_ERRNO) {
		pst_fail_at(file, line, fatal, "%s: expected -1 with an errno, got %ld (success)",
			    what, ret);
		return false;
	}
	if (ret == -1)
		pst_fail_at(file, line, fatal, "%s: expected %s, got %s", what,
			    pst_errname(expected), pst_errname(err));
	else
		pst_fail_at(file, line, fatal, "%s: expected -1 with %s, got %ld (success)", what,
			    pst_errname(expected), ret);
	return false;
}

long pst_check_ok_at(const char *file, int line, bool fatal, const char *what, long ret, int err)
{
	if (ret < 0)
		pst_fail_at(file, line, fatal, "%s: expected success, got %ld with %s", what, ret,
			    pst_errname(err));
	return ret;
}
