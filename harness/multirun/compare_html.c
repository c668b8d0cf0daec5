/*
 * The kernel comparison as a page (OUTDIR/index.html of a --kernels run): on
 * top the whole run's verdict (its exit status) and a picture of the matrix,
 * kernels by suites coloured by verdict (inline SVG, each cell linked to that
 * kernel's own page); then the rows that differ, each with the case's tags
 * (linked to the commit or the CVE record) and the known bug they name; then
 * each kernel with its environment and a link to its own run's index.html. No
 * script; readable at 1,400 px wide (tests/html_check.sh).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "html_style.h"
#include "textout.h"

/* The matrix picture's geometry, in px: the suites' label column, a kernel's column, a row. */
enum { LABEL_W = 230, CELL_W = 150, HEAD_H = 34, ROW_H = 18, CELL_PAD = 1, TEXT_DY = 13 };
/* What the picture's text says of a label longer than this: its start (the title: all). */
enum { LABEL_MAX = 20 };

static const char style[] = PST_HTML_BASE_STYLE
    "svg{max-width:100%;height:auto}"
    ".v-PASS,.PASS{background:#d8f5d8}.v-FAIL,.FAIL,.ERROR,.BROKEN,.XPASS{background:#f8d0d0}"
    ".v-CHANGED,.CHANGED{background:#fde0b8}.XFAIL,.SKIP{background:#f3f0cf}"
    ".v-INCOMPLETE{background:#ddd}.known{color:#700}td.rt a{white-space:nowrap}";

/* A cell's colour and its text's, by the worst of the suite's verdicts on that kernel. */
enum cell_kind { CELL_FAILED, CELL_CHANGED, CELL_OK, CELL_SKIPPED, CELL_ABSENT, CELL_NOT_RUN };
static const struct {
	const char *fill, *ink;
} cell_colour[] = {
	[CELL_FAILED] = { "#d9534f", "#fff" }, [CELL_CHANGED] = { "#f0ad4e", "#000" },
	[CELL_OK] = { "#5cb85c", "#fff" },     [CELL_SKIPPED] = { "#bdbdbd", "#000" },
	[CELL_ABSENT] = { "#f2f2f2", "#555" }, [CELL_NOT_RUN] = { "#e0e0e0", "#555" },
};

/* A column's reports directory relative to the page's, when it lies below it. */
static const char *relative(const char *dir, const char *outdir)
{
	size_t n = strlen(outdir);

	if (dir && strncmp(dir, outdir, n) == 0 && dir[n] == '/')
		return dir + n + 1;
	return dir;
}

static void verdict(FILE *f, const struct pst_column *cols, size_t ncols,
		    const struct pst_compare *c)
{
	int status = pst_compare_status(cols, ncols);
	const char *word = "PASS", *why = "every kernel's run completed and every case passed";

	if (status == PST_COMPARE_NO_RUN) {
		word = "INCOMPLETE";
		why = "a kernel could not run";
	} else if (status == PST_COMPARE_FAILURE) {
		word = "FAIL";
		why = "a kernel had a conformance failure";
	} else if (status == PST_COMPARE_CHANGED) {
		word = "CHANGED";
		why = "every requirement held on every kernel, but a reference behaviour changed";
	}
	fprintf(f,
		"<section id=\"verdict\" class=\"v-%s\"><p><span class=\"word\">%s</span>exit "
		"status %d: %s.</p>\n<p>%zu kernels, %zu cases, %zu differ between the kernels "
		"that ran. The whole table: <a href=\"compare.md\">compare.md</a>, "
		"<a href=\"compare.json\">compare.json</a>.</p></section>\n",
		word, word, status, why, ncols, c->n, c->ndiffer);
}

/* The suites of the runs, in the order their results list them. */
static size_t suites_of(const struct pst_column *cols, size_t ncols, char ***out)
{
	char **v = NULL;
	size_t n = 0;

	for (size_t k = 0; k < ncols; k++)
		for (size_t i = 0; i < cols[k].run.n; i++) {
			const char *id = cols[k].run.rows[i].id;
			size_t len = strcspn(id, "/");
			bool seen = false;
			char **nv;

			for (size_t s = 0; s < n && !seen; s++)
				seen = strlen(v[s]) == len && strncmp(v[s], id, len) == 0;
			if (seen)
				continue;
			nv = realloc(v, (n + 1) * sizeof(*v));
			if (!nv || !(nv[n] = strndup(id, len))) {
				v = nv ? nv : v;
				break;
			}
			v = nv;
			n++;
		}
	*out = v;
	return n;
}

/* How a suite fared on kernel k: the cell's kind and text. */
static enum cell_kind cell(const struct pst_column *col, size_t k, const struct pst_compare *c,
			   const char *suite, char *text, size_t len, char *title, size_t tlen)
{
	unsigned counts[PST_VERDICT_COUNT] = { 0 }, total = 0, failed = 0;
	size_t slen = strlen(suite), used;

	if (!pst_column_ran(col)) {
		snprintf(text, len, "not run");
		snprintf(title, tlen, "%s on %s: the run could not complete", suite, col->label);
		return CELL_NOT_RUN;
	}
	for (size_t i = 0; i < c->n; i++) {
		int v = c->rows[i].verdicts[k];

		if (v == PST_ABSENT || strncmp(c->rows[i].id, suite, slen) != 0 ||
		    c->rows[i].id[slen] != '/')
			continue;
		counts[v]++;
		total++;
		failed += pst_verdict_fails_run((enum pst_verdict)v) != 0;
	}
	used = (size_t)snprintf(title, tlen, "%s on %s:", suite, col->label);
	for (int v = 0; v < PST_VERDICT_COUNT && used < tlen; v++)
		if (counts[v])
			used += (size_t)snprintf(title + used, tlen - used, " %u %s", counts[v],
						 pst_verdict_name((enum pst_verdict)v));
	if (!total) {
		snprintf(text, len, "—");
		return CELL_ABSENT;
	}
	if (failed) {
		snprintf(text, len, "%u failed", failed);
		return CELL_FAILED;
	}
	if (counts[PST_CHANGED]) {
		snprintf(text, len, "%u CHANGED", counts[PST_CHANGED]);
		return CELL_CHANGED;
	}
	if (counts[PST_SKIP] == total) {
		snprintf(text, len, "%u SKIP", total);
		return CELL_SKIPPED;
	}
	if (counts[PST_SKIP])
		snprintf(text, len, "%u ok, %u SKIP", total - counts[PST_SKIP], counts[PST_SKIP]);
	else
		snprintf(text, len, "%u ok", total);
	return CELL_OK;
}

/* s as SVG text, cut to LABEL_MAX characters. */
static void svg_label(FILE *f, const char *s)
{
	char cut[LABEL_MAX + 4];

	if (strlen(s) <= LABEL_MAX) {
		pst_html_str(f, s);
		return;
	}
	snprintf(cut, sizeof(cut), "%.*s…", LABEL_MAX - 1, s);
	pst_html_str(f, cut);
}

/* The matrix as a picture: a row per suite, a column per kernel, coloured by verdict. */
static void picture(FILE *f, const char *outdir, const struct pst_column *cols, size_t ncols,
		    const struct pst_compare *c)
{
	char **suites, text[64], title[512];
	size_t ns = suites_of(cols, ncols, &suites);
	int w = LABEL_W + (int)ncols * CELL_W, h = HEAD_H + (int)ns * ROW_H;

	fprintf(f,
		"<h2>Kernels &times; suites</h2>\n<svg id=\"kernel-matrix\" width=\"%d\" "
		"height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" font-family=\"sans-serif\" "
		"font-size=\"11\"><title>each suite's verdicts on each kernel</title>\n",
		w, h, w, h);
	for (size_t k = 0; k < ncols; k++) {
		int x = LABEL_W + (int)k * CELL_W + CELL_W / 2;

		fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-weight=\"bold\">",
			x, TEXT_DY);
		svg_label(f, cols[k].label);
		fprintf(f, "<title>");
		pst_html_str(f, cols[k].label);
		fprintf(f, "</title></text><text x=\"%d\" y=\"%d\" text-anchor=\"middle\">", x,
			2 * TEXT_DY);
		svg_label(f, pst_column_ran(&cols[k]) ? pst_run_env(&cols[k].run, "kernel_release")
						      : "not run");
		fputs("</text>\n", f);
	}
	for (size_t s = 0; s < ns; s++) {
		int y = HEAD_H + (int)s * ROW_H;

		fprintf(f, "<text x=\"0\" y=\"%d\">", y + TEXT_DY);
		pst_html_str(f, suites[s]);
		fputs("</text>\n", f);
		for (size_t k = 0; k < ncols; k++) {
			enum cell_kind kind = cell(&cols[k], k, c, suites[s], text, sizeof(text),
						   title, sizeof(title));
			const char *rel = relative(cols[k].run.dir, outdir);
			int x = LABEL_W + (int)k * CELL_W;

			if (rel) {
				fputs("<a href=\"", f);
				pst_html_str(f, rel);
				fputs("/index.html#suites\">", f);
			}
			fprintf(f,
				"<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\">"
				"<title>",
				x + CELL_PAD, y + CELL_PAD, CELL_W - 2 * CELL_PAD,
				ROW_H - 2 * CELL_PAD, cell_colour[kind].fill);
			pst_html_str(f, title);
			fprintf(f,
				"</title></rect><text x=\"%d\" y=\"%d\" text-anchor=\"middle\" "
				"fill=\"%s\" pointer-events=\"none\">%s</text>",
				x + CELL_W / 2, y + TEXT_DY, cell_colour[kind].ink, text);
			fputs(rel ? "</a>\n" : "\n", f);
		}
		free(suites[s]);
	}
	free(suites);
	fputs("</svg>\n<p>Red: a case failed there (FAIL, ERROR, BROKEN or XPASS); orange: a "
	      "reference behaviour changed (CHANGED); green: every case passed or deviated as "
	      "expected (PASS, XFAIL; SKIP counted apart); grey: skipped, not in that run, or the "
	      "run could not complete. A cell opens that kernel's own page.</p>\n",
	      f);
}

static void kernels(FILE *f, const char *outdir, const struct pst_column *cols, size_t ncols)
{
	char state[128];

	fputs("<h2>Kernels</h2>\n<table>\n<tr><th>label</th><th>kernel</th><th>libsctp</th>"
	      "<th>run</th><th>reports</th></tr>\n",
	      f);
	for (size_t k = 0; k < ncols; k++) {
		const struct pst_run *r = &cols[k].run;
		const char *rel = relative(r->dir, outdir);

		pst_column_state(&cols[k], state, sizeof(state));
		fputs("<tr><td>", f);
		pst_html_str(f, cols[k].label);
		fputs("</td><td>", f);
		pst_html_str(f, pst_run_env(r, "kernel_release"));
		fputs(" (", f);
		pst_html_str(f, cols[k].spec);
		fputs(")</td><td>", f);
		pst_html_str(f, pst_run_env(r, "libsctp_version"));
		fputs("</td><td>", f);
		pst_html_str(f, state);
		fputs("</td><td>", f);
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
	fputs("<td class=\"rt\">", f);
	if (*r->tags)
		pst_html_linked(f, r->tags);
	else
		fputs("—", f);
	if (b) {
		fputs("<br><b class=\"known\">known bug, fixed by ", f);
		pst_html_linked(f, b->tag);
		fputs("</b> (", f);
		pst_html_str(f, b->subject);
		if (*b->fixed_in) {
			fputs("; in ", f);
			pst_html_str(f, b->fixed_in);
		}
		fputs(")", f);
		if (strcmp(b->cve, "-")) {
			fputs(", ", f);
			pst_html_linked(f, b->cve);
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
		"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
		"<meta name=\"viewport\" content=\"width=device-width\">\n"
		"<title>Kernel comparison</title>\n<style>\n%s\n</style></head><body>\n"
		"<h1>Kernel comparison</h1>\n",
		style);
	verdict(f, cols, ncols, c);
	picture(f, dir, cols, ncols, c);
	fprintf(f, "<h2>Cases whose verdict differs (%zu)</h2>\n", c->ndiffer);
	if (c->ndiffer) {
		fputs("<table>\n<tr><th style=\"width:30%\">case</th>", f);
		for (size_t k = 0; k < ncols; k++) {
			fputs("<th>", f);
			pst_html_str(f, cols[k].label);
			fputs("</th>", f);
		}
		fputs("<th style=\"width:30%\">tags; known bug</th></tr>\n", f);
		for (size_t i = 0; i < c->n; i++)
			if (c->rows[i].differs)
				row(f, cols, ncols, &c->rows[i], known);
		fputs("</table>\n", f);
	} else {
		fputs("<p>None.</p>\n", f);
	}
	kernels(f, dir, cols, ncols);
	fputs("</body></html>\n", f);
	return pst_finish_tmp(f, tmp, path);
}
