/* The run journal: see journal.h. */
#include "journal.h"

#include <errno.h>
#include <linux/magic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>
#include <unistd.h>

/*
 * A record must survive the kernel under test. On UML's hostfs a write()
 * has reached the host, which outlives the guest, when it returns (hostfs
 * writes through to the host file): an fsync would only make the host flush
 * its disk, twice a case. Anywhere else (a host kernel, QEMU's 9p) each
 * record is fsynced.
 */
int pst_journal_open(struct pst_journal *j, const char *path)
{
	struct statfs fs;

	memset(j, 0, sizeof(*j));
	j->f = fopen(path, "a");
	if (!j->f)
		return -1;
	j->sync = !(fstatfs(fileno(j->f), &fs) == 0 && fs.f_type == HOSTFS_SUPER_MAGIC);
	return 0;
}

static void put_escaped(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '\\')
			fputs("\\\\", f);
		else if (*s == '\t')
			fputs("\\t", f);
		else if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
}

/*
 * One record, one write() on an O_APPEND file: processes running cases side
 * by side (--jobs) share the journal without tearing each other's lines.
 * Kept before the case runs: a kernel that dies next must not take it along.
 */
static int commit(struct pst_journal *j, char **rec, const size_t *len, FILE *mem)
{
	int rc = 0;

	/* The memory stream sets rec and len when it is closed. */
	if (fclose(mem) != 0 || !*rec)
		rc = -1;
	else if (write(fileno(j->f), *rec, *len) != (ssize_t)*len ||
		 (j->sync && fsync(fileno(j->f)) != 0))
		rc = -1;
	free(*rec);
	return rc;
}

int pst_journal_start(struct pst_journal *j, int index, const char *full_name)
{
	char *rec = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&rec, &len);

	if (!mem)
		return -1;
	fprintf(mem, "S\t%d\t", index);
	put_escaped(mem, full_name);
	fputc('\n', mem);
	return commit(j, &rec, &len, mem);
}

int pst_journal_result(struct pst_journal *j, int index, const struct pst_result *r)
{
	char *rec = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&rec, &len);

	if (!mem)
		return -1;
	fprintf(mem, "R\t%d\t%s\t%.6f\t", index, pst_verdict_name(r->verdict), r->seconds);
	put_escaped(mem, r->message);
	fputc('\t', mem);
	put_escaped(mem, r->detail);
	fputc('\t', mem);
	put_escaped(mem, r->log);
	fprintf(mem, "\t%.6f\n", r->started);
	return commit(j, &rec, &len, mem);
}

void pst_journal_close(struct pst_journal *j)
{
	if (j->f)
		fclose(j->f);
	j->f = NULL;
}

/* Split off the next tab-separated field and unescape it in place. */
static char *next_field(char **p)
{
	char *start = *p, *out = *p, *in = *p;

	if (!start)
		return NULL;
	for (; *in && *in != '\t' && *in != '\n'; in++) {
		if (*in == '\\' && in[1]) {
			in++;
			*out++ = *in == 't' ? '\t' : *in == 'n' ? '\n' : *in;
		} else {
			*out++ = *in;
		}
	}
	*p = *in == '\t' ? in + 1 : NULL;
	*out = '\0';
	return start;
}

static char *dup_or_null(const char *s)
{
	return s && *s ? strdup(s) : NULL;
}

static enum pst_verdict verdict_of(const char *name)
{
	for (int v = 0; v < PST_VERDICT_COUNT; v++)
		if (strcmp(name, pst_verdict_name((enum pst_verdict)v)) == 0)
			return (enum pst_verdict)v;
	return PST_ERROR;
}

static struct pst_journal_entry *entry(struct pst_journal *j, int index)
{
	struct pst_journal_entry *nv;

	for (size_t i = 0; i < j->n; i++)
		if (j->v[i].index == index)
			return &j->v[i];
	nv = realloc(j->v, (j->n + 1) * sizeof(*nv));
	if (!nv)
		return NULL;
	j->v = nv;
	memset(&j->v[j->n], 0, sizeof(j->v[j->n]));
	j->v[j->n].index = index;
	return &j->v[j->n++];
}

static void take_line(struct pst_journal *j, char *line)
{
	char *p = line, *type = next_field(&p), *idx = next_field(&p);
	struct pst_journal_entry *e;

	if (!type || !idx)
		return; /* a line cut short by the crash */
	e = entry(j, atoi(idx));
	if (!e)
		return;
	if (strcmp(type, "S") == 0) {
		const char *name = next_field(&p);

		free(e->name);
		e->name = dup_or_null(name);
	} else if (strcmp(type, "R") == 0) {
		const char *verdict = next_field(&p), *secs = next_field(&p);
		const char *msg = next_field(&p), *detail = next_field(&p), *log = next_field(&p);
		const char *started = next_field(&p); /* (absent from older journals) */

		if (!verdict || !secs)
			return;
		e->finished = 1;
		e->r.verdict = verdict_of(verdict);
		e->r.seconds = atof(secs);
		e->r.message = dup_or_null(msg);
		e->r.detail = dup_or_null(detail);
		e->r.log = dup_or_null(log);
		e->r.started = started ? atof(started) : 0;
	}
}

int pst_journal_load(struct pst_journal *j, const char *path)
{
	FILE *f;
	char *line = NULL;
	size_t cap = 0;

	memset(j, 0, sizeof(*j));
	f = fopen(path, "r");
	if (!f)
		return errno == ENOENT ? 0 : -1;
	while (getline(&line, &cap, f) > 0)
		take_line(j, line);
	free(line);
	fclose(f);
	return 0;
}

const struct pst_journal_entry *pst_journal_find(const struct pst_journal *j, int index)
{
	for (size_t i = 0; i < j->n; i++)
		if (j->v[i].index == index)
			return &j->v[i];
	return NULL;
}

void pst_journal_free(struct pst_journal *j)
{
	for (size_t i = 0; i < j->n; i++) {
		free(j->v[i].name);
		free((char *)j->v[i].r.message);
		free((char *)j->v[i].r.detail);
		free((char *)j->v[i].r.log);
	}
	free(j->v);
	memset(j, 0, sizeof(*j));
}
