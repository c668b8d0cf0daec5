/* The kernel log window of a case: see kmsg.h. */
#include "kmsg.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define KMSG_RECORD_MAX 8192 /* a /dev/kmsg read returns one record, at most this long */

/* What kernel reports start with, as the kernel prints them. */
static const char *const report_marks[] = {
	"BUG:",
	"kernel BUG at",
	"Oops",
	"WARNING:",
	"KASAN:",
	"UBSAN:",
	"general protection fault",
	"possible recursive locking detected",
	"possible circular locking dependency detected",
	"inconsistent lock state",
	"suspicious RCU usage",
	"refcount_t:",
	"Kernel panic",
};

bool pst_kmsg_is_report(const char *text)
{
	for (size_t i = 0; i < sizeof(report_marks) / sizeof(report_marks[0]); i++)
		if (strstr(text, report_marks[i]))
			return true;
	return false;
}

int pst_kmsg_open(struct pst_kmsg *k)
{
	k->fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (k->fd < 0)
		return -1;
	lseek(k->fd, 0, SEEK_END);
	return 0;
}

void pst_kmsg_skip(struct pst_kmsg *k)
{
	if (k->fd >= 0)
		lseek(k->fd, 0, SEEK_END);
}

static void append(char **buf, size_t *len, const char *text, size_t n)
{
	char *nb = realloc(*buf, *len + n + sizeof("kernel: \n"));

	if (!nb)
		return;
	*buf = nb;
	*len += (size_t)sprintf(nb + *len, "kernel: %.*s\n", (int)n, text);
}

int pst_kmsg_collect(struct pst_kmsg *k, char **lines, char **first_report)
{
	char rec[KMSG_RECORD_MAX];
	size_t len = 0;
	int reports = 0;

	*lines = NULL;
	*first_report = NULL;
	if (k->fd < 0)
		return 0;
	for (;;) {
		ssize_t n = read(k->fd, rec, sizeof(rec) - 1);
		char *text, *end;

		if (n < 0 && errno == EPIPE)
			continue; /* records were overwritten before we read them: go on */
		if (n <= 0)
			break;
		rec[n] = '\0';
		/* "prio,seq,usec,flags;text\n" then " KEY=value" continuation lines */
		text = strchr(rec, ';');
		text = text ? text + 1 : rec;
		end = strchr(text, '\n');
		if (end)
			*end = '\0';
		append(lines, &len, text, strlen(text));
		if (pst_kmsg_is_report(text)) {
			if (!reports)
				*first_report = strdup(text);
			reports++;
		}
	}
	return reports;
}

void pst_kmsg_close(struct pst_kmsg *k)
{
	if (k->fd >= 0)
		close(k->fd);
	k->fd = -1;
}
