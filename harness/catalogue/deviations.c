/* The expected-deviation (waiver) list: see deviations.h. */
#include "deviations.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tsv.h"

int pst_deviations_load(const char *path, struct pst_deviations *d, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char line[2048];
	unsigned lineno = 0;

	d->v = NULL;
	d->n = 0;
	if (!f)
		return errno == ENOENT
			   ? 0
			   : (snprintf(err, errlen, "%s: %s", path, strerror(errno)), -1);
	while (fgets(line, sizeof(line), f)) {
		struct pst_deviation e;
		char *p = line;
		struct pst_deviation *nv;

		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		if (pst_tsv_field(&p, e.profile, sizeof(e.profile), false) ||
		    pst_tsv_field(&p, e.glob, sizeof(e.glob), false) ||
		    pst_tsv_field(&p, e.check, sizeof(e.check), false) ||
		    pst_tsv_field(&p, e.kernel, sizeof(e.kernel), false) ||
		    pst_tsv_field(&p, e.libsctp, sizeof(e.libsctp), false) ||
		    pst_tsv_field(&p, e.reference, sizeof(e.reference), false) ||
		    pst_tsv_field(&p, e.reason, sizeof(e.reason), true)) {
			snprintf(err, errlen,
				 "%s:%u: expected 7 tab-separated fields: profile, case glob, "
				 "check, kernel range, libsctp range, reference, reason",
				 path, lineno);
			fclose(f);
			pst_deviations_free(d);
			return -1;
		}
		snprintf(e.where, sizeof(e.where), "%.140s:%u", path, lineno);
		nv = realloc(d->v, (d->n + 1) * sizeof(*nv));
		if (!nv) {
			snprintf(err, errlen, "%s: out of memory", path);
			fclose(f);
			pst_deviations_free(d);
			return -1;
		}
		d->v = nv;
		d->v[d->n++] = e;
	}
	if (ferror(f)) {
		/* e.g. a directory: fopen() succeeds, reading fails */
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		fclose(f);
		pst_deviations_free(d);
		return -1;
	}
	fclose(f);
	return 0;
}

void pst_deviations_free(struct pst_deviations *d)
{
	free(d->v);
	d->v = NULL;
	d->n = 0;
}

int pst_deviations_load_dir(const char *dir, struct pst_deviations *d, char *err, size_t errlen)
{
	struct dirent **names;
	int n = pst_tsv_scan(dir, &names);
	int rc = 0;

	d->v = NULL;
	d->n = 0;
	if (n < 0)
		return errno == ENOENT
			   ? 0
			   : (snprintf(err, errlen, "%s: %s", dir, strerror(errno)), -1);
	for (int i = 0; i < n; i++) {
		struct pst_deviations one;
		char path[4096];

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		free(names[i]);
		if (rc < 0)
			continue;
		if (pst_deviations_load(path, &one, err, errlen) < 0) {
			rc = -1;
			continue;
		}
		struct pst_deviation *nv = realloc(d->v, (d->n + one.n + 1) * sizeof(*nv));

		if (!nv) {
			snprintf(err, errlen, "out of memory");
			pst_deviations_free(&one);
			rc = -1;
			continue;
		}
		d->v = nv;
		memcpy(d->v + d->n, one.v, one.n * sizeof(*one.v));
		d->n += one.n;
		pst_deviations_free(&one);
	}
	free(names);
	if (rc < 0)
		pst_deviations_free(d);
	return rc;
}
