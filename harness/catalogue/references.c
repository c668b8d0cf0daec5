/* The project's reference document: see references.h. */
#include "references.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEADING	  "### "
#define ID_PREFIX "REF-"
#define BOLD	  "**"

bool pst_ref_id_valid(const char *s)
{
	size_t n = strlen(ID_PREFIX);
	bool word = false; /* inside a word: a hyphen may follow */

	if (strncmp(s, ID_PREFIX, n) != 0 || !s[n])
		return false;
	for (s += n; *s; s++) {
		if (isupper((unsigned char)*s) || isdigit((unsigned char)*s))
			word = true;
		else if (*s == '-' && word)
			word = false;
		else
			return false;
	}
	return word;
}

void pst_ref_anchor(const char *id, char *out, size_t outlen)
{
	size_t i = 0;

	for (; id[i] && i + 1 < outlen; i++)
		out[i] = (char)tolower((unsigned char)id[i]);
	if (outlen)
		out[i] = '\0';
}

const struct pst_ref *pst_refs_find(const struct pst_refs *r, const char *id)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->v[i].id, id) == 0)
			return &r->v[i];
	return NULL;
}

void pst_refs_free(struct pst_refs *r)
{
	free(r->v);
	r->v = NULL;
	r->n = 0;
}

static void trim_end(char *s)
{
	size_t n = strlen(s);

	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
}

/* "**title**" into title; -1 if the line is not one bold run that fits. */
static int bold_title(const char *line, char *title, size_t len)
{
	size_t n = strlen(line), b = strlen(BOLD);

	if (n <= 2 * b || strncmp(line, BOLD, b) != 0 || strcmp(line + n - b, BOLD) != 0 ||
	    n - 2 * b >= len)
		return -1;
	memcpy(title, line + b, n - 2 * b);
	title[n - 2 * b] = '\0';
	return strstr(title, BOLD) ? -1 : 0;
}

static int add(struct pst_refs *r, const struct pst_ref *q)
{
	struct pst_ref *nv = realloc(r->v, (r->n + 1) * sizeof(*nv));

	if (!nv)
		return -1;
	r->v = nv;
	r->v[r->n++] = *q;
	return 0;
}

/* Fail the load: the message, the file closed, nothing left. */
static int fail(FILE *f, struct pst_refs *r)
{
	fclose(f);
	pst_refs_free(r);
	return -1;
}

int pst_refs_load(const char *path, struct pst_refs *r, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	unsigned lineno = 0;
	struct pst_ref pending; /* a heading whose title line is still to come */
	bool want_title = false;

	r->v = NULL;
	r->n = 0;
	snprintf(r->path, sizeof(r->path), "%s", path);
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		const char *p = line;

		lineno++;
		trim_end(line);
		if (want_title) {
			if (!line[0])
				continue;
			if (bold_title(line, pending.title, sizeof(pending.title)) < 0) {
				snprintf(
				    err, errlen,
				    "%s:%u: %s: the line after its heading must be its title in "
				    "bold (**...**)",
				    path, lineno, pending.id);
				return fail(f, r);
			}
			if (add(r, &pending) < 0) {
				snprintf(err, errlen, "out of memory");
				return fail(f, r);
			}
			want_title = false;
			continue;
		}
		if (strncmp(p, HEADING, strlen(HEADING)) != 0)
			continue;
		p += strlen(HEADING);
		if (strncmp(p, ID_PREFIX, strlen(ID_PREFIX)) != 0)
			continue; /* a heading of the document's own structure */
		const struct pst_ref *twice = pst_refs_find(r, p);

		if (!pst_ref_id_valid(p) || strlen(p) >= sizeof(pending.id)) {
			snprintf(err, errlen,
				 "%s:%u: \"%s\": a reference heading holds only its id (REF- and "
				 "upper-case words of letters and digits joined by hyphens)",
				 path, lineno, p);
			return fail(f, r);
		}
		if (twice) {
			snprintf(err, errlen, "%s:%u: %s is defined twice (first at line %u)", path,
				 lineno, p, twice->line);
			return fail(f, r);
		}
		snprintf(pending.id, sizeof(pending.id), "%s", p);
		pending.line = lineno;
		want_title = true;
	}
	if (want_title) {
		snprintf(err, errlen, "%s:%u: %s has no title line", path, pending.line,
			 pending.id);
		return fail(f, r);
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return fail(f, r);
	}
	fclose(f);
	return 0;
}
