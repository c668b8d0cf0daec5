/* Reading a run back from its reports directory: see runs.h. */
#include "runs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "manifest.h"

/* The whole file, NUL-terminated (malloc'd), or NULL (errno). */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0;
	FILE *m;
	int c;

	if (!f)
		return NULL;
	m = open_memstream(&buf, &len);
	if (!m) {
		fclose(f);
		return NULL;
	}
	while ((c = fgetc(f)) != EOF)
		fputc(c, m);
	fclose(f);
	if (fclose(m) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* Split line at tabs into at most max fields (the last keeps any further tabs). */
static size_t split(char *line, char **fields, size_t max)
{
	size_t n = 0;

	fields[n++] = line;
	while (n < max) {
		char *tab = strchr(fields[n - 1], '\t');

		if (!tab)
			break;
		*tab = '\0';
		fields[n++] = tab + 1;
	}
	return n;
}

static int add_row(struct pst_run *r, const char *suite, const char *name, int verdict,
		   const char *message, const char *tags, size_t *cap)
{
	struct pst_run_row *row;

	if (r->n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 64;
		struct pst_run_row *v = realloc(r->rows, ncap * sizeof(*v));

		if (!v)
			return -1;
		r->rows = v;
		*cap = ncap;
	}
	row = &r->rows[r->n];
	row->verdict = (enum pst_verdict)verdict;
	row->message = strdup(message);
	row->tags = strdup(tags);
	if (!row->message || !row->tags || asprintf(&row->id, "%s/%s", suite, name) < 0) {
		free(row->message);
		free(row->tags);
		return -1;
	}
	r->n++;
	return 0;
}

enum { F_SUITE, F_CASE, F_VERDICT, F_MESSAGE, F_TAGS, F_COUNT };

int pst_run_parse_results(char *text, struct pst_run *r, char *err, size_t errlen)
{
	size_t lineno = 0, cap = 0, nfields = F_COUNT;
	char *save = NULL;

	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *f[F_COUNT] = { 0 };
		int v;

		if (++lineno == 1) {
			/* A run from before the tags column has four fields. */
			if (strcmp(line, PST_RESULTS_HEADER_NO_TAGS) == 0) {
				nfields = F_TAGS;
			} else if (strncmp(line, "kernel\tsuite\t", 13) == 0) {
				snprintf(err, errlen,
					 "%s is a --kernels run's, every kernel's cases: give one "
					 "kernel's reports, kernels/<n>-<label>/",
					 PST_RESULTS_TSV);
				return -1;
			} else if (strcmp(line, PST_RESULTS_HEADER) != 0) {
				snprintf(err, errlen, "%s: line 1 is not the header '%s'",
					 PST_RESULTS_TSV,
					 "suite<TAB>case<TAB>verdict<TAB>message<TAB>tags");
				return -1;
			}
			continue;
		}
		if (split(line, f, nfields) != nfields || !*f[F_SUITE] || !*f[F_CASE]) {
			snprintf(err, errlen, "%s: line %zu: expected %zu tab-separated fields",
				 PST_RESULTS_TSV, lineno, nfields);
			return -1;
		}
		v = pst_verdict_parse(f[F_VERDICT]);
		if (v < 0) {
			snprintf(err, errlen, "%s: line %zu: unknown verdict '%.32s'",
				 PST_RESULTS_TSV, lineno, f[F_VERDICT]);
			return -1;
		}
		if (add_row(r, f[F_SUITE], f[F_CASE], v, f[F_MESSAGE], f[F_TAGS] ? f[F_TAGS] : "",
			    &cap) < 0) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
	}
	if (lineno == 0) {
		snprintf(err, errlen, "%s is empty", PST_RESULTS_TSV);
		return -1;
	}
	return 0;
}

/* environment.tsv: key<TAB>value lines; anything else is ignored. */
static int parse_env(char *text, struct pst_run *r)
{
	char *save = NULL;
	size_t cap = 0;

	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *f[2];

		if (split(line, f, 2) != 2)
			continue;
		if (r->nenv + 2 > cap) {
			size_t ncap = cap ? cap * 2 : 32;
			char **v = realloc(r->env, ncap * sizeof(*v));

			if (!v)
				return -1;
			r->env = v;
			cap = ncap;
		}
		r->env[r->nenv] = strdup(f[0]);
		r->env[r->nenv + 1] = strdup(f[1]);
		if (!r->env[r->nenv] || !r->env[r->nenv + 1]) {
			free(r->env[r->nenv]);
			free(r->env[r->nenv + 1]);
			return -1;
		}
		r->nenv += 2;
	}
	return 0;
}

int pst_run_load(const char *dir, struct pst_run *r, char *err, size_t errlen)
{
	char path[4096], inner[512];
	struct stat st;
	char *text;
	int rc;

	*r = (struct pst_run){ 0 };
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s: no such reports directory", dir);
		return -1;
	}
	r->dir = strdup(dir);
	snprintf(path, sizeof(path), "%s/%s", dir, PST_RESULTS_TSV);
	text = slurp(path);
	if (!text) {
		snprintf(err, errlen, "%s: cannot read %s (%s): not the reports of a complete run",
			 dir, PST_RESULTS_TSV, strerror(errno));
		pst_run_free(r);
		return -1;
	}
	rc = pst_run_parse_results(text, r, inner, sizeof(inner));
	free(text);
	if (rc < 0) {
		snprintf(err, errlen, "%s/%s", dir, inner);
		pst_run_free(r);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/%s", dir, PST_ENVIRONMENT_TSV);
	text = slurp(path);
	rc = text ? parse_env(text, r) : 0; /* without it, every column heading says unknown */
	free(text);
	if (rc < 0) {
		snprintf(err, errlen, "out of memory");
		pst_run_free(r);
		return -1;
	}
	return 0;
}

const char *pst_run_env(const struct pst_run *r, const char *key)
{
	for (size_t i = 0; i + 1 < r->nenv; i += 2)
		if (strcmp(r->env[i], key) == 0)
			return r->env[i + 1];
	return PST_UNKNOWN;
}

const struct pst_run_row *pst_run_find(const struct pst_run *r, const char *id)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->rows[i].id, id) == 0)
			return &r->rows[i];
	return NULL;
}

void pst_run_free(struct pst_run *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->rows[i].id);
		free(r->rows[i].message);
		free(r->rows[i].tags);
	}
	for (size_t i = 0; i < r->nenv; i++)
		free(r->env[i]);
	free(r->rows);
	free(r->env);
	free(r->dir);
	*r = (struct pst_run){ 0 };
}
