/*
 * The kernel comparison as a page (OUTDIR/index.html of a --kernels run): each
 * kernel with its environment and a link to its own run's index.html, then the
 * rows that differ, each with the case's tags and the known bug they name.
 */
#include <stdio.h>
#include <string.h>

#include "compare.h"
#include "textout.h"

/* A column's reports directory relative to the page's, when it lies below it. */
static const char *relative(const char *dir, const char *outdir)
{
	size_t n = strlen(outdir);

	if (dir && strncmp(dir, outdir, n) == 0 && dir[n] == '/')
		return dir + n + 1;
	return dir;
}

static void kernels(FILE *f, const char *outdir, const struct pst_column *cols, size_t ncols)
{
	fputs("<h2>Kernels</h2>\n<table>\n<tr><th>label</th><th>kernel</th><th>libsctp</th>"
	      "<th>run</th><th>reports</th></tr>\n",
	      f);
	for (size_t k = 0; k < ncols; k++) {
		const struct pst_run *r = &cols[k].run;
		const char *rel = relative(r->dir, outdir);

		fputs("<tr><td>", f);
		pst_html_str(f, cols[k].label);
		fputs("</td><td>", f);
		pst_html_str(f, pst_run_env(r, "kernel_release"));
		fputs(" (", f);
		pst_html_str(f, cols[k].spec);
		fputs(")</td><td>", f);
		pst_html_str(f, pst_run_env(r, "libsctp_version"));
		fprintf(f, "</td><td>%s</td><td>",
			cols[k].status == 0   ? "every case passed"
			: cols[k].status == 1 ? "conformance failures"
					      : "could not run");
		if (rel) {
			fputs("<a href=\"", f);
			pst_html_str(f, rel);
			fputs("/index.html\">", f);
			pst_html_str(f, rel);
			fputs("</a>", f);
		}
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n", f);
}

static void row(FILE *f, const struct pst_column *cols, size_t ncols,
		const struct pst_compare_row *r, const struct pst_known *known)
{
	const struct pst_known_bug *b = pst_compare_known(r, ncols, known);

	fputs("<tr><td><code>", f);
	pst_html_str(f, r->id);
	fputs("</code></td>", f);
	for (size_t k = 0; k < ncols; k++) {
		int v = r->verdicts[k];
		const char *name = v == PST_ABSENT ? (pst_column_ran(&cols[k]) ? "—" : "not run")
						   : pst_verdict_name((enum pst_verdict)v);

		fprintf(f, "<td class=\"%s\">%s</td>", name, name);
	}
	fputs("<td>", f);
	pst_html_str(f, *r->tags ? r->tags : "—");
	if (b) {
		fputs("<br><b>known bug, fixed by ", f);
		pst_html_str(f, b->tag);
		fputs("</b> (", f);
		pst_html_str(f, b->subject);
		if (*b->fixed_in) {
			fputs("; in ", f);
			pst_html_str(f, b->fixed_in);
		}
		fputs(")", f);
		if (strcmp(b->cve, "-")) {
			fputs(", ", f);
			pst_html_str(f, b->cve);
		}
		fputs(": ", f);
		pst_html_str(f, b->what);
	}
	fputs("</td></tr>\n", f);
}

int pst_compare_write_html(const char *dir, const struct pst_column *cols, size_t ncols,
			   const struct pst_compare *c, const struct pst_known *known)
{
	char path[4096], tmp[4200];
	FILE *f;

	snprintf(path, sizeof(path), "%s/index.html", dir);
	f = pst_open_tmp(path, tmp, sizeof(tmp));
	if (!f)
		return -1;
	fprintf(f,
		"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Kernel "
		"comparison</title>\n<style>td,th{border:1px solid #ccc;padding:2px 6px}"
		"table{border-collapse:collapse}.FAIL,.ERROR,.BROKEN,.XPASS{background:#fcc}"
		".PASS{background:#cfc}</style></head><body>\n<h1>Kernel comparison</h1>\n"
		"<p>%zu kernels, %zu cases, %zu differ between the kernels that ran. The whole "
		"table: <a href=\"compare.md\">compare.md</a>, <a href=\"compare.json\">"
		"compare.json</a>.</p>\n",
		ncols, c->n, c->ndiffer);
	kernels(f, dir, cols, ncols);
	fprintf(f, "<h2>Cases whose verdict differs (%zu)</h2>\n", c->ndiffer);
	if (c->ndiffer) {
		fputs("<table>\n<tr><th>case</th>", f);
		for (size_t k = 0; k < ncols; k++) {
			fputs("<th>", f);
			pst_html_str(f, cols[k].label);
			fputs("</th>", f);
		}
		fputs("<th>tags; known bug</th></tr>\n", f);
		for (size_t i = 0; i < c->n; i++)
			if (c->rows[i].differs)
				row(f, cols, ncols, &c->rows[i], known);
		fputs("</table>\n", f);
	} else {
		fputs("<p>None.</p>\n", f);
	}
	fputs("</body></html>\n", f);
	return pst_finish_tmp(f, tmp, path);
}
