/* The kernel's SCTP object counts: see objcnt.h. */
#include "objcnt.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define OBJCNT_TEXT_MAX 4096 /* 10 lines of 128 (the kernel pads each) */

int pst_objcnt_parse(const char *text, struct pst_objcnt *c)
{
	const char *p = text;

	memset(c, 0, sizeof(*c));
	while (*p && c->n < PST_OBJCNT_KINDS) {
		size_t n = strcspn(p, "\n");
		const char *colon = memchr(p, ':', n);
		char *end;

		if (colon && colon > p && (size_t)(colon - p) < PST_OBJCNT_NAME) {
			long v = strtol(colon + 1, &end, 10);

			if (end != colon + 1) {
				snprintf(c->name[c->n], PST_OBJCNT_NAME, "%.*s", (int)(colon - p),
					 p);
				c->count[c->n++] = v;
			}
		}
		p += n + (p[n] == '\n');
	}
	return c->n > 0 ? 0 : -1;
}

int pst_objcnt_read(struct pst_objcnt *c)
{
	char text[OBJCNT_TEXT_MAX];
	size_t len = 0;
	ssize_t n;
	int fd = open(PST_OBJCNT_PATH, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	while (len < sizeof(text) - 1 && (n = read(fd, text + len, sizeof(text) - 1 - len)) > 0)
		len += (size_t)n;
	close(fd);
	text[len] = '\0';
	if (pst_objcnt_parse(text, c) < 0) {
		errno = ENODATA;
		return -1;
	}
	return 0;
}

void pst_objcnt_sub(const struct pst_objcnt *a, const struct pst_objcnt *b, struct pst_objcnt *d)
{
	*d = *a;
	for (int i = 0; i < a->n && i < b->n; i++)
		d->count[i] = a->count[i] - b->count[i];
}

bool pst_objcnt_equal(const struct pst_objcnt *a, const struct pst_objcnt *b)
{
	if (a->n != b->n)
		return false;
	for (int i = 0; i < a->n; i++)
		if (a->count[i] != b->count[i])
			return false;
	return true;
}

int pst_objcnt_more(const struct pst_objcnt *got, const struct pst_objcnt *want, char *buf,
		    size_t len)
{
	size_t at = 0;
	int kinds = 0;

	if (len)
		buf[0] = '\0';
	for (int i = 0; i < got->n && i < want->n; i++) {
		long more = got->count[i] - want->count[i];

		if (more <= 0)
			continue;
		if (at < len)
			at += (size_t)snprintf(buf + at, len - at, "%s%s +%ld", kinds ? ", " : "",
					       got->name[i], more);
		kinds++;
	}
	return kinds;
}
