/* The one-page HTML report: see html.h. */
#include "html.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "matrix.h"
#include "textout.h"

/* Failing cases first: the order of the page's case table. */
static const enum pst_verdict order[] = { PST_ERROR,   PST_BROKEN, PST_FAIL, PST_XPASS,
					  PST_CHANGED, PST_XFAIL,  PST_SKIP, PST_PASS };

static void esc(FILE *f, const char *s)
{
	pst_html_str(f, s);
}

static const char *css_class(const char *verdict)
{
	if (!strcmp(verdict, "PASS"))
		return "pass";
	if (!strcmp(verdict, "XFAIL") || !strcmp(verdict, "SKIP") || !strcmp(verdict, "NOT RUN") ||
	    !strcmp(verdict, "NOT TESTED"))
		return "soft";
	return "bad";
}

static void link_if(FILE *f, const char *dir, const char *file, const char *label)
{
	char path[4096];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if (stat(path, &st) == 0)
		fprintf(f, "<a href=\"%s\">%s</a> ", file, label);
}

static void header(FILE *f, const char *dir, const struct pst_run_info *info,
		   const unsigned counts[PST_VERDICT_COUNT])
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	      "<title>sctp_peeloff conformance</title>\n<style>\n"
	      "body{font-family:sans-serif;margin:1.5em;max-width:80em}"
	      "table{border-collapse:collapse;margin:1em 0}"
	      "td,th{border:1px solid #bbb;padding:.25em .5em;text-align:left;vertical-align:top}"
	      ".pass{background:#d8f5d8}.bad{background:#f8d0d0}.soft{background:#f3f0cf}"
	      "pre{white-space:pre-wrap;margin:0;font-size:.85em}\n</style></head><body>\n",
	      f);
	fputs("<h1>sctp_peeloff conformance</h1>\n<table>", f);
	fputs("<tr><th>kernel</th><td>", f);
	esc(f, info->kernel);
	fputs("</td></tr><tr><th>target</th><td>", f);
	esc(f, info->target);
	if (info->accel) {
		fputs("</td></tr><tr><th>accelerator</th><td>", f);
		esc(f, info->accel);
	}
	fputs("</td></tr><tr><th>profile</th><td>", f);
	esc(f, info->profile);
	fputs("</td></tr><tr><th>libsctp</th><td>", f);
	esc(f, info->libsctp);
	if (info->libsctp_flags) {
		fputs("</td></tr><tr><th>sctp_peeloff_flags from</th><td>", f);
		esc(f, info->libsctp_flags);
	}
	fputs("</td></tr><tr><th>suite version</th><td>", f);
	esc(f, info->suite_version);
	fputs("</td></tr><tr><th>run</th><td>", f);
	esc(f, info->timestamp);
	fputs("</td></tr><tr><th>verdicts</th><td>", f);
	for (int v = 0; v < PST_VERDICT_COUNT; v++)
		fprintf(f, "%s %u &nbsp; ", pst_verdict_name((enum pst_verdict)v), counts[v]);
	fputs("</td></tr></table>\n<p>Reports: ", f);
	link_if(f, dir, "junit.xml", "JUnit XML");
	link_if(f, dir, "results.ktap", "KTAP");
	link_if(f, dir, "matrix.md", "matrix (Markdown)");
	link_if(f, dir, "matrix.json", "matrix (JSON)");
	link_if(f, dir, PST_REFERENCES_NAME, "references");
	link_if(f, dir, "coverage/index.html", "coverage");
	fputs("</p>\n", f);
}

static void html_link(FILE *f, const char *href, const char *text)
{
	fputs("<a href=\"", f);
	esc(f, href);
	fputs("\">", f);
	esc(f, text);
	fputs("</a>", f);
}

static const struct pst_cite_markup html_markup = { .sep = "<br>", .text = esc, .link = html_link };

static void requirements(FILE *f, const struct pst_run_info *info, const struct pst_reqs *reqs,
			 const struct pst_refs *refs, const struct pst_instance *inst,
			 const struct pst_result *res, int n, const struct pst_instance *all,
			 int nall)
{
	fprintf(f,
		"<h2>Requirements of the %s profile</h2>\n<table><tr><th>requirement</th>"
		"<th>source</th><th>sentence</th><th>verdict</th></tr>\n",
		info->profile);
	for (size_t r = 0; r < reqs->n; r++) {
		const struct pst_req *q = &reqs->v[r];
		const char *v;

		if (!pst_req_in_profile(q, info->profile))
			continue;
		v = pst_matrix_req_verdict(q, inst, res, n, all, nall);
		fprintf(f, "<tr class=\"%s\"><td>", css_class(v));
		esc(f, q->id);
		fputs("</td><td>", f);
		pst_matrix_sources(f, refs, q->source, &html_markup);
		fputs("</td><td>", f);
		esc(f, q->sentence);
		fprintf(f, "</td><td>%s</td></tr>\n", v);
	}
	fputs("</table>\n", f);
}

static void cases(FILE *f, const struct pst_instance *inst, const struct pst_result *res, int n)
{
	fputs("<h2>Cases, failures first</h2>\n<table><tr><th>verdict</th><th>case</th>"
	      "<th>requirements</th><th>message and log</th></tr>\n",
	      f);
	for (size_t o = 0; o < sizeof(order) / sizeof(order[0]); o++)
		for (int i = 0; i < n; i++) {
			const struct pst_result *r = &res[i];

			if (!r->name || r->verdict != order[o])
				continue;
			fprintf(f, "<tr class=\"%s\"><td>%s</td><td>",
				css_class(pst_verdict_name(r->verdict)),
				pst_verdict_name(r->verdict));
			esc(f, inst[i].suite->name);
			fputs("/", f);
			esc(f, inst[i].name);
			fputs("</td><td>", f);
			esc(f, inst[i].tc->reqs);
			if (inst[i].tc->tags) {
				fputs("<br>", f);
				esc(f, inst[i].tc->tags);
			}
			fputs("</td><td>", f);
			esc(f, r->message);
			if (r->known) {
				fputs(r->message ? "<br><b>" : "<b>", f);
				esc(f, r->known);
				fputs("</b>", f);
			}
			/* Logs of what did not pass, where an auditor looks first. */
			if (pst_verdict_fails_run(r->verdict) && (r->detail || r->log)) {
				fputs("<pre>", f);
				esc(f, r->detail);
				esc(f, r->log);
				fputs("</pre>", f);
			}
			fputs("</td></tr>\n", f);
		}
	fputs("</table>\n", f);
}

int pst_html_write(const char *dir, const struct pst_run_info *info, const struct pst_reqs *reqs,
		   const struct pst_refs *refs, const struct pst_instance *inst,
		   const struct pst_result *res, int n, const struct pst_instance *all, int nall)
{
	char path[4096], tmp[4200];
	unsigned counts[PST_VERDICT_COUNT] = { 0 };
	FILE *f;
	int bad;

	for (int i = 0; i < n; i++)
		if (res[i].name)
			counts[res[i].verdict]++;
	snprintf(path, sizeof(path), "%s/index.html", dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid());
	f = fopen(tmp, "w");
	if (!f)
		return -1;
	header(f, dir, info, counts);
	requirements(f, info, reqs, refs, inst, res, n, all, nall);
	cases(f, inst, res, n);
	fputs("</body></html>\n", f);
	bad = ferror(f);
	if (fclose(f) != 0 || bad || rename(tmp, path) != 0) {
		unlink(tmp);
		return -1;
	}
	return 0;
}
