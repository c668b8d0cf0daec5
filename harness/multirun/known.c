/* The known-bugs catalogue: see known.h. */
#include "known.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "result.h"

/* The fifth field, the releases that carry the fix, is optional ("-": unknown). */
enum { K_TAG, K_CVE, K_SUBJECT, K_WHAT, K_FIXED_IN, K_COUNT };

static int add(struct pst_known *k, char **f)
{
	struct pst_known_bug *v = realloc(k->bugs, (k->n + 1) * sizeof(*v)), *b;

	if (!v)
		return -1;
	k->bugs = v;
	b = &k->bugs[k->n];
	b->tag = strdup(f[K_TAG]);
	b->cve = strdup(f[K_CVE]);
	b->subject = strdup(f[K_SUBJECT]);
	b->what = strdup(f[K_WHAT]);
	b->fixed_in = strdup(f[K_FIXED_IN] && strcmp(f[K_FIXED_IN], "-") ? f[K_FIXED_IN] : "");
	b->note = NULL;
	k->n++; /* counted even when a strdup failed: pst_known_free frees what there is */
	if (!b->tag || !b->cve || !b->subject || !b->what || !b->fixed_in)
		return -1;
	if (asprintf(&b->note, "known bug, fixed by %s (%s%s%s)", b->tag, b->subject,
		     *b->fixed_in ? "; in " : "", b->fixed_in) < 0) {
		b->note = NULL;
		return -1;
	}
	return 0;
}

int pst_known_parse(char *text, struct pst_known *k, char *err, size_t errlen)
{
	size_t lineno = 0;
	char *save = NULL;

	*k = (struct pst_known){ 0 };
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *f[K_COUNT] = { 0 };
		size_t n = 0;

		lineno++; /* (strtok_r skips empty lines: numbers count the lines it sees) */
		if (line[0] == '#')
			continue;
		for (char *p = line; p && n < K_COUNT; n++) {
			f[n] = p;
			p = strchr(p, '\t');
			if (p)
				*p++ = '\0';
		}
		if (n < K_FIXED_IN || !*f[K_TAG] || !*f[K_SUBJECT]) {
			snprintf(
			    err, errlen,
			    "line %zu: expected 4 or 5 tab-separated fields "
			    "(tag, CVE or -, subject, what the bug does[, releases with the fix "
			    "or -]), got %zu",
			    lineno, n);
			pst_known_free(k);
			return -1;
		}
		if (add(k, f) < 0) {
			snprintf(err, errlen, "out of memory");
			pst_known_free(k);
			return -1;
		}
	}
	return 0;
}

int pst_known_load(const char *path, struct pst_known *k, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *text = NULL, inner[256];
	size_t len = 0;
	int rc;

	*k = (struct pst_known){ 0 };
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	rc = getdelim(&text, &len, '\0', f) < 0 ? -1 : 0;
	fclose(f);
	if (rc == 0 && pst_known_parse(text, k, inner, sizeof(inner)) < 0) {
		snprintf(err, errlen, "%s: %s", path, inner);
		rc = -1;
	} else if (rc < 0) {
		snprintf(err, errlen, "%s: empty or unreadable", path);
	}
	free(text);
	return rc;
}

/* Is word one of the space-separated words of list? */
static int has_word(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; (p = strstr(p, word)) != NULL; p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' '))
			return 1;
	return 0;
}

const struct pst_known_bug *pst_known_find(const struct pst_known *k, const char *tags)
{
	for (size_t i = 0; tags && i < k->n; i++)
		if (has_word(tags, k->bugs[i].tag))
			return &k->bugs[i];
	return NULL;
}

const char *pst_known_annotation(const struct pst_known *k, int verdict, const char *tags)
{
	const struct pst_known_bug *b;

	if (!k || (verdict != PST_FAIL && verdict != PST_CHANGED))
		return NULL;
	b = pst_known_find(k, tags);
	return b ? b->note : NULL;
}

void pst_known_free(struct pst_known *k)
{
	for (size_t i = 0; i < k->n; i++) {
		free(k->bugs[i].fixed_in);
		free(k->bugs[i].note);
		free(k->bugs[i].tag);
		free(k->bugs[i].cve);
		free(k->bugs[i].subject);
		free(k->bugs[i].what);
	}
	free(k->bugs);
	*k = (struct pst_known){ 0 };
}
