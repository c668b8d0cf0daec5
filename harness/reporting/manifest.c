/* results.tsv and environment.tsv: see manifest.h. */
#include "manifest.h"

#include <unistd.h>

#include "textout.h"

/* A field stays one field: no tab, no line break inside it. */
static void field(FILE *f, const char *s)
{
	for (; s && *s; s++)
		fputc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s, f);
}

int pst_results_tsv_write(FILE *f, const struct pst_result *res, size_t n)
{
	fprintf(f, "%s\n", PST_RESULTS_HEADER);
	for (size_t i = 0; i < n; i++) {
		if (!res[i].name)
			continue; /* not run */
		field(f, res[i].suite);
		fputc('\t', f);
		field(f, res[i].name);
		fprintf(f, "\t%s\t", pst_verdict_name(res[i].verdict));
		field(f, res[i].message);
		if (res[i].known) { /* (in the message: no reader needs a new column) */
			fputs(res[i].message && *res[i].message ? "; " : "", f);
			field(f, res[i].known);
		}
		fputc('\t', f);
		field(f, res[i].tags);
		fputc('\n', f);
	}
	return ferror(f) ? -1 : 0;
}

int pst_environment_write(FILE *f, const struct pst_env_item *items, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		field(f, items[i].key);
		fputc('\t', f);
		field(f, items[i].value && *items[i].value ? items[i].value : PST_UNKNOWN);
		fputc('\n', f);
	}
	return ferror(f) ? -1 : 0;
}

/* One file of dir through a temporary name, so a reader never sees half of it. */
static int write_atomic(const char *dir, const char *name, const struct pst_result *res, size_t n,
			const struct pst_env_item *items, size_t nitems)
{
	char path[4096], tmp[4200];
	FILE *f;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = pst_open_tmp(path, tmp, sizeof(tmp));
	if (!f)
		return -1;
	rc = res ? pst_results_tsv_write(f, res, n) : pst_environment_write(f, items, nitems);
	if (rc < 0) {
		fclose(f);
		unlink(tmp);
		return -1;
	}
	return pst_finish_tmp(f, tmp, path);
}

int pst_manifest_write_dir(const char *dir, const struct pst_result *res, size_t n,
			   const struct pst_env_item *items, size_t nitems)
{
	if (write_atomic(dir, PST_RESULTS_TSV, res, n, NULL, 0) < 0)
		return -1;
	return write_atomic(dir, PST_ENVIRONMENT_TSV, NULL, 0, items, nitems);
}
