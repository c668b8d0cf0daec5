/* The requirements catalogue: see requirements.h. */
#include "requirements.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tsv.h"

static int load_file(const char *path, struct pst_reqs *r, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char line[2048];
	unsigned lineno = 0;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		struct pst_req q;
		struct pst_req *nv;
		char *p = line;

		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		if (pst_tsv_field(&p, q.id, sizeof(q.id), false) ||
		    pst_tsv_field(&p, q.profiles, sizeof(q.profiles), false) ||
		    pst_tsv_field(&p, q.source, sizeof(q.source), false) ||
		    pst_tsv_field(&p, q.sentence, sizeof(q.sentence), true)) {
			snprintf(err, errlen,
				 "%s:%u: expected 4 tab-separated fields: id, profiles, source, "
				 "sentence",
				 path, lineno);
			fclose(f);
			return -1;
		}
		if (pst_reqs_find(r, q.id)) {
			snprintf(err, errlen, "%s:%u: requirement %s is defined twice", path,
				 lineno, q.id);
			fclose(f);
			return -1;
		}
		nv = realloc(r->v, (r->n + 1) * sizeof(*nv));
		if (!nv) {
			fclose(f);
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		r->v = nv;
		r->v[r->n++] = q;
	}
	fclose(f);
	return 0;
}

int pst_reqs_load_dir(const char *dir, struct pst_reqs *r, char *err, size_t errlen)
{
	struct dirent **names;
	int n = pst_tsv_scan(dir, &names);
	int rc = 0;

	r->v = NULL;
	r->n = 0;
	if (n < 0) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	for (int i = 0; i < n; i++) {
		char path[4096];

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		if (rc == 0 && load_file(path, r, err, errlen) < 0)
			rc = -1;
		free(names[i]);
	}
	free(names);
	if (rc < 0)
		pst_reqs_free(r);
	return rc;
}

const struct pst_req *pst_reqs_find(const struct pst_reqs *r, const char *id)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->v[i].id, id) == 0)
			return &r->v[i];
	return NULL;
}

/* Is word one of the sep-separated words of list? */
static bool has_word(const char *list, const char *word, char sep)
{
	size_t n = strlen(word);

	for (const char *p = list; p && *p;) {
		const char *end = strchr(p, sep);
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len == n && strncmp(p, word, n) == 0)
			return true;
		p = end ? end + 1 : NULL;
	}
	return false;
}

bool pst_req_in_profile(const struct pst_req *q, const char *profile)
{
	return has_word(q->profiles, profile, ',');
}

bool pst_reqs_list_has(const char *list, const char *id)
{
	return has_word(list, id, ' ');
}

void pst_reqs_free(struct pst_reqs *r)
{
	free(r->v);
	r->v = NULL;
	r->n = 0;
}
