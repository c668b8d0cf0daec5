/* Records from the case process to the runner: see channel.h. */
#include "channel.h"

#include <CUnit/CUnit.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int chan_fd = -1;
static jmp_buf *abort_jmp;

void pst_channel_begin(int fd, jmp_buf *abort_to)
{
	chan_fd = fd;
	abort_jmp = abort_to;
}

static void sanitize(char *s)
{
	for (; *s; s++)
		if (*s == '\t' || *s == '\n' || *s == '\r')
			*s = ' ';
}

void pst_channel_send(enum pst_record type, const char *file, int line, const char *text)
{
	char buf[PST_MSG_MAX + 256];
	char t[PST_MSG_MAX];

	snprintf(t, sizeof(t), "%s", text);
	sanitize(t);
	int n =
	    snprintf(buf, sizeof(buf), "%c\t%s\t%d\t%s\n", (char)type, file ? file : "", line, t);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(buf))
		n = sizeof(buf) - 1, buf[n - 1] = '\n';
	/* One write per record: atomic on a pipe below PIPE_BUF, so threads do not interleave. */
	if (chan_fd >= 0 && write(chan_fd, buf, (size_t)n) < 0)
		return;
}

void pst_channel_forward_cunit(unsigned first_record)
{
	unsigned idx = 0;
	bool unnamed = false;

	for (CU_pFailureRecord f = CU_get_failure_list(); f; f = f->pNext, idx++) {
		const char *cond = f->strCondition ? f->strCondition : "";

		if (idx < first_record || cond[0] == PST_OWN_MARK)
			continue; /* an earlier case's, or already sent by pst_fail_at() */
		/* Sent after the case: no check the case named last can claim them. */
		if (!unnamed)
			pst_channel_send(PST_REC_CHECK, NULL, 0, "");
		unnamed = true;
		pst_channel_send(PST_REC_FAIL, f->strFileName, (int)f->uiLineNumber, cond);
	}
}

int pst_channel_parse(char *line, struct pst_record_line *out)
{
	char *f[4];
	char *p = line;

	for (int i = 0; i < 3; i++) {
		f[i] = p;
		p = strchr(p, '\t');
		if (!p)
			return -1;
		*p++ = '\0';
	}
	f[3] = p;
	p[strcspn(p, "\n")] = '\0';
	if (strlen(f[0]) != 1 || !strchr("FSBLEC", f[0][0]))
		return -1;
	out->type = (enum pst_record)f[0][0];
	out->file = f[1];
	out->line = atoi(f[2]);
	out->text = f[3];
	return 0;
}

void pst_channel_abort(void)
{
	if (abort_jmp)
		longjmp(*abort_jmp, 1);
	_exit(1);
}
