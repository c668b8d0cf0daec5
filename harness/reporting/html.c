/* The one-page HTML report: see html.h. */
#include "html.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "contract.h"
#include "html_style.h"
#include "matrix.h"
#include "textout.h"

/* A failure a gate accepted is shown apart from its verdict: one slot past the verdicts. */
enum { ACCEPTED = PST_VERDICT_COUNT, SLOTS };

/*
 * The order of the failures and of the case table: what fails the run first
 * (failures and errors), then changed reference behaviours and broken setups,
 * the failures a gate accepted, then the rest.
 */
static const int order[] = { PST_FAIL, PST_ERROR, PST_XPASS, PST_CHANGED, PST_BROKEN,
			     ACCEPTED, PST_XFAIL, PST_SKIP,  PST_PASS };
/* The first of order[] that is not shown among the failures. */
enum { SHOWN_AS_FAILURES = 6 };

/* The charts' colours, one per slot (the table rows use paler ones, below). */
static const char *const fill[SLOTS] = {
	[PST_PASS] = "#5cb85c",	 [PST_FAIL] = "#d9534f",    [PST_SKIP] = "#bdbdbd",
	[PST_XFAIL] = "#d6c85a", [PST_XPASS] = "#b03a8c",   [PST_BROKEN] = "#8c5a3c",
	[PST_ERROR] = "#8b0000", [PST_CHANGED] = "#f0ad4e", [ACCEPTED] = "#8fa3c8",
};

/* The overall bar's and a suite's bar's size, in px. */
enum { BAR_W = 360, SUITE_BAR_W = 200, BAR_H = 14 };

static const char style[] = PST_HTML_BASE_STYLE
    ".num{text-align:right}"
    /* requirement ids and tags whole: "IMPL-LNX-GETPEERNAME", not broken at a '-' */
    "td.rt a,td.rt span{white-space:nowrap}"
    "pre{white-space:pre-wrap;overflow-wrap:anywhere;margin:.3em 0 0;font-size:.85em}"
    "details summary{cursor:pointer;color:#036;font-size:.9em}"
    "nav{margin:.3em 0 .6em}"
    ".pass,.v-PASS{background:#d8f5d8}"
    ".bad,.v-FAIL,.v-ERROR,.v-XPASS,.v-BROKEN{background:#f8d0d0}"
    ".v-CHANGED{background:#fde0b8}.soft,.v-XFAIL,.v-SKIP{background:#f3f0cf}"
    ".v-accepted{background:#dde4f0}"
    "a.chip{display:inline-block;padding:0 .3em;margin:1px;border:1px solid #999;"
    "border-radius:3px;color:#000;text-decoration:none;font-size:.9em}"
    ".known{color:#700}svg{vertical-align:middle}.legend span{margin-right:1em}"
    ".legend i{display:inline-block;width:.9em;height:.9em;margin-right:.25em;"
    "vertical-align:middle}"
    "table.fit{width:auto;max-width:100%;table-layout:auto}";

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

/* Which slot a result counts in: its verdict, or ACCEPTED. */
static int slot(const struct pst_result *r)
{
	return r->accepted ? ACCEPTED : (int)r->verdict;
}

static const char *slot_name(int s)
{
	return s == ACCEPTED ? "accepted" : pst_verdict_name((enum pst_verdict)s);
}

/* A verdict cell's or row's class: "v-FAIL", "v-accepted". */
static void slot_class(FILE *f, int s)
{
	fprintf(f, "v-%s", slot_name(s));
}

/* s, breakable after each '/' and '_' (a case's name: not mid-word). */
static void breakable(FILE *f, const char *s)
{
	for (const char *p = s; p && *p; p++) {
		char c[2] = { *p, '\0' };

		esc(f, c);
		if (*p == '/' || *p == '_')
			fputs("<wbr>", f);
	}
}

/* A case's name, "suite/case/variant". */
static void case_name(FILE *f, const char *suite, const char *name)
{
	breakable(f, suite);
	fputs("/<wbr>", f);
	breakable(f, name);
}

/* An anchor of a case: "case-suite/case/variant" (the case table), "fail-..." (failures). */
static void case_id(FILE *f, const char *kind, const struct pst_result *r)
{
	fprintf(f, "%s-", kind);
	esc(f, r->suite);
	fputs("/", f);
	esc(f, r->name);
}

static void link_if(FILE *f, const char *dir, const char *file, const char *label)
{
	char path[4096];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if (stat(path, &st) == 0)
		fprintf(f, "<a href=\"%s\">%s</a> ", file, label);
}

/*
 * A stacked bar of counts[SLOTS], failures on the left, width w px; its
 * title and each part's say the figures.
 */
static void bar(FILE *f, const unsigned counts[SLOTS], int w, const char *what)
{
	unsigned total = 0;
	double x = 0;

	for (int s = 0; s < SLOTS; s++)
		total += counts[s];
	fprintf(f, "<svg width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\"><title>", w,
		BAR_H, w, BAR_H);
	esc(f, what);
	fputs(":", f);
	for (size_t o = 0; o < sizeof(order) / sizeof(order[0]); o++)
		if (counts[order[o]])
			fprintf(f, " %u %s", counts[order[o]], slot_name(order[o]));
	fputs("</title>", f);
	fprintf(f, "<rect width=\"%d\" height=\"%d\" fill=\"#eee\"/>", w, BAR_H);
	for (size_t o = 0; o < sizeof(order) / sizeof(order[0]) && total; o++) {
		int s = order[o];
		double part = (double)w * counts[s] / total;

		if (!counts[s])
			continue;
		fprintf(f,
			"<rect x=\"%.2f\" width=\"%.2f\" height=\"%d\" fill=\"%s\"><title>%u %s"
			"</title></rect>",
			x, part, BAR_H, fill[s], counts[s], slot_name(s));
		x += part;
	}
	fputs("</svg>", f);
}

static void legend(FILE *f, const unsigned counts[SLOTS])
{
	fputs("<p class=\"legend\">", f);
	for (size_t o = 0; o < sizeof(order) / sizeof(order[0]); o++)
		if (counts[order[o]])
			fprintf(f, "<span><i style=\"background:%s\"></i>%s</span>", fill[order[o]],
				slot_name(order[o]));
	fputs("</p>\n", f);
}

/* The run's figures: the runner's, or (no tally given) from the results alone. */
static struct pst_tally figures(const struct pst_run_info *info,
				const unsigned counts[PST_VERDICT_COUNT], unsigned accepted)
{
	struct pst_tally t = { .accepted = accepted, .changed = counts[PST_CHANGED] };
	unsigned failed_run = 0;

	if (info->tally)
		return *info->tally;
	for (int v = 0; v < PST_VERDICT_COUNT; v++) {
		if (pst_verdict_fails_gate((enum pst_verdict)v, info->changes_fail))
			t.failed += counts[v];
		if (pst_verdict_fails_run((enum pst_verdict)v))
			failed_run += counts[v];
	}
	t.failed -= accepted;
	failed_run -= accepted;
	t.passed = counts[PST_PASS] + counts[PST_XFAIL] + (info->changes_fail ? 0 : t.changed);
	t.skipped = counts[PST_SKIP] + accepted;
	t.status = failed_run ? 1 : t.changed && info->changes_fail ? 4 : 0;
	return t;
}

/* What the exit status says, as the page's verdict: one word and one sentence. */
static void verdict_words(const struct pst_tally *t, const char **word, const char **why,
			  const char **cls)
{
	switch (t->status) {
	case 0:
		*word = "PASS";
		*why = "every case passed (expected deviations allowed)";
		*cls = "v-PASS";
		break;
	case 1:
		*word = "FAIL";
		*why = "a conformance failure: a requirement failed, or a case broke or erred";
		*cls = "v-FAIL";
		break;
	case 4:
		*word = "CHANGED";
		*why = "every requirement held, but a reference behaviour changed "
		       "(--gate requirements lists it without failing the run)";
		*cls = "v-CHANGED";
		break;
	default:
		*word = "INCOMPLETE";
		*why = "the run did not complete";
		*cls = "v-ERROR";
	}
}

/* The overall verdict, what the exit status and the terminal's summary say: the page's top. */
static void verdict(FILE *f, const struct pst_run_info *info, const struct pst_tally *t,
		    const unsigned counts[PST_VERDICT_COUNT], const unsigned slots[SLOTS],
		    unsigned known)
{
	const char *word, *why, *cls;

	verdict_words(t, &word, &why, &cls);
	fprintf(f, "<section id=\"verdict\" class=\"%s\">\n<p><span class=\"word\">%s</span>", cls,
		word);
	fprintf(
	    f, "exit status %d: %s.</p>\n<p><b>conformance: %u passed, %u failed, %u skipped</b> (",
	    t->status, why, t->passed, t->failed, t->skipped);
	for (int v = 0; v < PST_VERDICT_COUNT; v++)
		fprintf(f, "%s%u %s", v ? ", " : "", counts[v],
			pst_verdict_name((enum pst_verdict)v));
	fputs(")", f);
	if (known)
		fprintf(f, "; %u of the failing cases %s a known kernel bug, named below", known,
			known > 1 ? "are" : "is");
	fputs(".</p>\n", f);
	if (t->accepted)
		fprintf(f,
			"<p>%u failure%s accepted: the baseline failed %s too (--gate "
			"new-failures); listed below as accepted.</p>\n",
			t->accepted, t->accepted > 1 ? "s" : "", t->accepted > 1 ? "them" : "it");
	if (t->changed)
		fprintf(f,
			"<p>Reference behaviour changed in %u case%s (CHANGED: not a requirement; "
			"%s).</p>\n",
			t->changed, t->changed > 1 ? "s" : "",
			info->changes_fail ? "exit 4 unless a requirement failed; --gate "
					     "requirements lists them without failing the run"
					   : "listed, not failed: --gate requirements");
	if (t->flaky)
		fprintf(f,
			"<p>%u case%s changed verdict between repetitions (each counts as failed): "
			"<a href=\"flakes.md\">flakes.md</a>.</p>\n",
			t->flaky, t->flaky > 1 ? "s" : "");
	fputs("<p>", f);
	bar(f, slots, BAR_W, "every case");
	fputs(" kernel ", f);
	esc(f, info->kernel);
	fputs(" on ", f);
	esc(f, info->target);
	fputs(", profile ", f);
	esc(f, info->profile);
	fputs(", libsctp ", f);
	esc(f, info->libsctp);
	fputs(", suite ", f);
	esc(f, info->suite_version);
	fputs(", ", f);
	esc(f, info->timestamp);
	fputs(" (<a href=\"#run\">the run</a>)</p>\n</section>\n", f);
}

static void nav(FILE *f, const char *dir, unsigned nfail)
{
	fprintf(f,
		"<nav><a href=\"#failures\">Failures (%u)</a> &middot; <a href=\"#suites\">Suites"
		"</a> &middot; <a href=\"#run\">Run</a> &middot; <a href=\"#requirements\">"
		"Requirements</a> &middot; <a href=\"#contract\">One-to-one contract</a> &middot; "
		"<a href=\"#cases\">Cases</a> &middot; Reports: ",
		nfail);
	link_if(f, dir, "junit.xml", "JUnit XML");
	link_if(f, dir, "results.ktap", "KTAP");
	link_if(f, dir, "matrix.md", "matrix (Markdown)");
	link_if(f, dir, "matrix.json", "matrix (JSON)");
	link_if(f, dir, PST_REFERENCES_NAME, "references");
	link_if(f, dir, "coverage/index.html", "coverage");
	link_if(f, dir, "flakes.md", "flakes");
	fputs("</nav>\n", f);
}

/* The id of a requirement the page shows (the profile's), or NULL. */
static const struct pst_req *shown_req(const struct pst_reqs *reqs, const char *profile,
				       const char *id)
{
	const struct pst_req *q = pst_reqs_find(reqs, id);

	return q && pst_req_in_profile(q, profile) ? q : NULL;
}

/* A case's requirement ids, each linked to its row; then its tags, linked. */
static void reqs_and_tags(FILE *f, const struct pst_reqs *reqs, const char *profile,
			  const struct pst_result *r, const char *sep)
{
	const char *w = r->reqs;

	while (w && *w) {
		size_t n = strcspn(w, " ");
		char id[sizeof(((struct pst_req *)0)->id)];

		if (n && n < sizeof(id)) {
			snprintf(id, sizeof(id), "%.*s", (int)n, w);
			if (shown_req(reqs, profile, id)) {
				fputs("<a href=\"#req-", f);
				esc(f, id);
				fputs("\">", f);
				esc(f, id);
				fputs("</a> ", f);
			} else {
				fputs("<span>", f);
				esc(f, id);
				fputs("</span> ", f);
			}
		}
		w += n;
		w += strspn(w, " ");
	}
	if (r->tags && *r->tags) {
		fputs(sep, f);
		pst_html_linked(f, r->tags);
	}
}

/* What failed, in order[]: each with its message, known bug, detail and log. */
static void failures(FILE *f, const struct pst_reqs *reqs, const char *profile,
		     const struct pst_result *res, int n, unsigned nfail)
{
	fprintf(f,
		"<h2 id=\"failures\">Failures (%u): failures and errors first, then changed "
		"reference behaviours and broken setups</h2>\n",
		nfail);
	if (!nfail) {
		fputs("<p>None: no case failed, erred, broke or changed.</p>\n", f);
		return;
	}
	fputs("<table><colgroup><col style=\"width:7em\"><col style=\"width:23%\">"
	      "<col style=\"width:5.5em\"><col style=\"width:17%\"><col></colgroup>\n"
	      "<tr><th>verdict</th><th>case</th><th>time</th><th>requirements; tags</th>"
	      "<th>message, detail and log</th></tr>\n",
	      f);
	for (size_t o = 0; o < SHOWN_AS_FAILURES; o++)
		for (int i = 0; i < n; i++) {
			const struct pst_result *r = &res[i];

			if (!r->name || slot(r) != order[o])
				continue;
			fputs("<tr class=\"failure ", f);
			slot_class(f, slot(r));
			fputs("\" id=\"", f);
			case_id(f, "fail", r);
			fprintf(f, "\"><td>%s%s</td><td><a href=\"#", pst_verdict_name(r->verdict),
				r->accepted ? " (accepted)" : "");
			case_id(f, "case", r);
			fputs("\">", f);
			case_name(f, r->suite, r->name);
			fprintf(f, "</a></td><td class=\"num\">%.3f s</td><td class=\"rt\">",
				r->seconds);
			reqs_and_tags(f, reqs, profile, r, "<br>");
			fputs("</td><td>", f);
			esc(f, r->message);
			if (r->known) {
				fputs(r->message ? "<br><b class=\"known\">"
						 : "<b class=\"known\">",
				      f);
				pst_html_linked(f, r->known);
				fputs("</b>", f);
			}
			if (r->detail) {
				fputs("<pre>", f);
				esc(f, r->detail);
				fputs("</pre>", f);
			}
			if (r->log && *r->log) {
				fputs("<details><summary>the case's log</summary><pre>", f);
				esc(f, r->log);
				fputs("</pre></details>", f);
			}
			fputs("</td></tr>\n", f);
		}
	fputs("</table>\n", f);
}

/* Each suite: its verdicts as a bar and as figures, its cases' time. */
static void suites(FILE *f, const struct pst_result *res, int n, const unsigned all[SLOTS])
{
	static const char *const head = "<col style=\"width:4.5em\">";
	const char *seen[128];
	size_t nseen = 0;

	fputs("<h2 id=\"suites\">Suites</h2>\n<table class=\"fit\"><colgroup>"
	      "<col style=\"width:16em\">",
	      f);
	fprintf(f, "%s<col style=\"width:%dpx\">", head, SUITE_BAR_W + 12);
	for (size_t o = 0; o < sizeof(order) / sizeof(order[0]); o++)
		if (all[order[o]])
			fputs(head, f);
	fputs("<col style=\"width:6em\"></colgroup>\n<tr><th>suite</th><th>cases</th>"
	      "<th>verdicts</th>",
	      f);
	for (size_t o = 0; o < sizeof(order) / sizeof(order[0]); o++)
		if (all[order[o]])
			fprintf(f, "<th class=\"num\">%s</th>", slot_name(order[o]));
	fputs("<th class=\"num\">time</th></tr>\n", f);
	for (int i = 0; i < n; i++) {
		unsigned counts[SLOTS] = { 0 }, ncases = 0;
		double seconds = 0;
		bool done = false;

		if (!res[i].name)
			continue;
		for (size_t k = 0; k < nseen && !done; k++)
			done = strcmp(seen[k], res[i].suite) == 0;
		if (done || nseen == sizeof(seen) / sizeof(seen[0]))
			continue;
		seen[nseen++] = res[i].suite;
		for (int j = i; j < n; j++)
			if (res[j].name && strcmp(res[j].suite, res[i].suite) == 0) {
				counts[slot(&res[j])]++;
				ncases++;
				seconds += res[j].seconds;
			}
		fputs("<tr><td>", f);
		esc(f, res[i].suite);
		fprintf(f, "</td><td class=\"num\">%u</td><td>", ncases);
		bar(f, counts, SUITE_BAR_W, res[i].suite);
		fputs("</td>", f);
		for (size_t o = 0; o < sizeof(order) / sizeof(order[0]); o++)
			if (all[order[o]]) {
				fputs("<td class=\"num", f);
				if (counts[order[o]]) {
					fputs(" ", f);
					slot_class(f, order[o]);
					fprintf(f, "\">%u</td>", counts[order[o]]);
				} else {
					fputs("\"></td>", f);
				}
			}
		fprintf(f, "<td class=\"num\">%.2f s</td></tr>\n", seconds);
	}
	fputs("</table>\n", f);
	legend(f, all);
}

/* The run's environment, as before: kernel, target, accelerator, libsctp, ... */
static void environment(FILE *f, const struct pst_run_info *info,
			const unsigned counts[PST_VERDICT_COUNT])
{
	fputs("<section id=\"run\"><h2>Run</h2>\n<table class=\"fit\">", f);
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
	fprintf(f, "</td></tr><tr><th>gate</th><td>%s",
		info->changes_fail ? "changes (a CHANGED case fails the run)"
				   : "requirements (a CHANGED case is listed, not failed)");
	if (info->shuffle_seed) {
		fputs("</td></tr><tr><th>shuffled</th><td>seed ", f);
		esc(f, info->shuffle_seed);
	}
	fputs("</td></tr><tr><th>verdicts</th><td>", f);
	for (int v = 0; v < PST_VERDICT_COUNT; v++)
		fprintf(f, "%s %u &nbsp; ", pst_verdict_name((enum pst_verdict)v), counts[v]);
	fputs("</td></tr></table></section>\n", f);
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

/* The run's cases that name requirement q, each linked to its row, grouped by case. */
static void req_cases(FILE *f, const struct pst_req *q, const struct pst_instance *inst,
		      const struct pst_result *res, int n)
{
	const struct pst_case *group = NULL;

	for (int i = 0; i < n; i++) {
		const struct pst_result *r = &res[i];
		size_t len = strlen(inst[i].tc->name);
		const char *variant = inst[i].name + len;

		if (!r->name || !pst_matrix_names(&inst[i], q->id))
			continue;
		if (inst[i].tc != group) {
			fputs(group ? "</div><div>" : "<div>", f);
			case_name(f, inst[i].suite->name, inst[i].tc->name);
			fputs(": ", f);
			group = inst[i].tc;
		}
		fputs("<a class=\"chip ", f);
		slot_class(f, slot(r));
		fputs("\" href=\"#", f);
		case_id(f, "case", r);
		fputs("\" title=\"", f);
		esc(f, r->suite);
		fputs("/", f);
		esc(f, r->name);
		fprintf(f, ": %s\">", slot_name(slot(r)));
		/* the variant's name ("ipv4") and its verdict unless PASS; a case without one: its
		 * verdict */
		if (strncmp(inst[i].name, inst[i].tc->name, len) == 0 && *variant == '/') {
			esc(f, variant + 1);
			if (r->verdict != PST_PASS || r->accepted)
				fprintf(f, " %s", slot_name(slot(r)));
		} else {
			fputs(slot_name(slot(r)), f);
		}
		fputs("</a>", f);
	}
	fputs(group ? "</div>" : "none in this run", f);
}

static void requirements(FILE *f, const struct pst_run_info *info, const struct pst_reqs *reqs,
			 const struct pst_refs *refs, const struct pst_instance *inst,
			 const struct pst_result *res, int n, const struct pst_instance *all,
			 int nall)
{
	size_t shown = 0;

	fputs("<h2 id=\"requirements\">Requirements of the ", f);
	esc(f, info->profile);
	fputs(" profile</h2>\n<table><colgroup><col style=\"width:11%\"><col style=\"width:21%\">"
	      "<col style=\"width:30%\"><col><col style=\"width:7em\"></colgroup>\n"
	      "<tr><th>requirement</th><th>source</th><th>sentence</th><th>cases of this run</th>"
	      "<th>verdict</th></tr>\n",
	      f);
	for (size_t r = 0; r < reqs->n; r++) {
		const struct pst_req *q = &reqs->v[r];
		const char *v;

		if (!pst_req_in_profile(q, info->profile))
			continue;
		shown++;
		v = pst_matrix_req_verdict(q, inst, res, n, all, nall);
		fprintf(f, "<tr class=\"%s\" id=\"req-", css_class(v));
		esc(f, q->id);
		fputs("\"><td>", f);
		esc(f, q->id);
		fputs("</td><td>", f);
		pst_matrix_sources(f, refs, q->source, &html_markup);
		fputs("</td><td>", f);
		esc(f, q->sentence);
		fputs("</td><td>", f);
		req_cases(f, q, inst, res, n);
		fprintf(f, "</td><td>%s</td></tr>\n", v);
	}
	fputs("</table>\n", f);
	if (!shown)
		fputs("<p>None: the catalogue was not given (the self-test's cases check the "
		      "harness).</p>\n",
		      f);
}

static void contract_row(const struct pst_contract_row *r, void *arg)
{
	FILE *f = arg;

	fprintf(f, "<tr class=\"%s\"><td>", css_class(r->verdict));
	esc(f, r->operation);
	fputs("</td><td>", f);
	for (size_t k = 0; k < r->ndocuments; k++) {
		fputs(k ? "<br>" : "", f);
		esc(f, r->documents[k]);
	}
	if (!r->ndocuments)
		fputs("none: the reference socket", f);
	fputs("</td><td>", f);
	esc(f, r->peeled[0] ? r->peeled : "-");
	fputs("</td><td>", f);
	esc(f, r->reference[0] ? r->reference : "-");
	fprintf(f, "</td><td>%s</td></tr>\n", r->verdict);
}

/* The peeled socket's one-to-one contract, as matrix.md has it (contract.h). */
static void contract(FILE *f, const struct pst_run_info *info, const struct pst_reqs *reqs,
		     const struct pst_instance *inst, const struct pst_result *res, int n,
		     const struct pst_instance *all, int nall)
{
	fputs("<h2 id=\"contract\">The peeled socket's one-to-one contract</h2>\n<p>Each "
	      "operation on the peeled socket and on a genuine one-to-one socket connected to the "
	      "same peer, in the same topology: what each did in the first variant that ran, and "
	      "the worst verdict of its cases.</p>\n<table><colgroup><col style=\"width:16%\">"
	      "<col style=\"width:18%\"><col><col><col style=\"width:7em\"></colgroup>\n"
	      "<tr><th>operation</th><th>documents</th><th>peeled socket</th>"
	      "<th>reference socket</th><th>verdict</th></tr>\n",
	      f);
	pst_contract_each(reqs, info->profile, inst, res, n, all, nall, contract_row, f);
	fputs("</table>\n", f);
}

/* Every case, failures first: verdict, time, requirements, tags, message. */
static void cases(FILE *f, const struct pst_reqs *reqs, const char *profile,
		  const struct pst_result *res, int n)
{
	fputs("<h2 id=\"cases\">Cases, failures first</h2>\n<table><colgroup>"
	      "<col style=\"width:7em\"><col style=\"width:26%\"><col style=\"width:5.5em\">"
	      "<col style=\"width:17%\"><col></colgroup>\n<tr><th>verdict</th><th>case</th>"
	      "<th>time</th><th>requirements; tags</th><th>message</th></tr>\n",
	      f);
	for (size_t o = 0; o < sizeof(order) / sizeof(order[0]); o++)
		for (int i = 0; i < n; i++) {
			const struct pst_result *r = &res[i];

			if (!r->name || slot(r) != order[o])
				continue;
			fputs("<tr class=\"", f);
			slot_class(f, slot(r));
			fputs("\" id=\"", f);
			case_id(f, "case", r);
			fprintf(f, "\"><td>%s%s</td><td>", pst_verdict_name(r->verdict),
				r->accepted ? " (accepted)" : "");
			case_name(f, r->suite, r->name);
			fprintf(f, "</td><td class=\"num\">%.3f s</td><td class=\"rt\">",
				r->seconds);
			reqs_and_tags(f, reqs, profile, r, "<br>");
			fputs("</td><td>", f);
			esc(f, r->message);
			if (o < SHOWN_AS_FAILURES) {
				fputs(" (<a href=\"#", f);
				case_id(f, "fail", r);
				fputs("\">detail and log</a>)", f);
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
	unsigned counts[PST_VERDICT_COUNT] = { 0 }, slots[SLOTS] = { 0 }, nfail = 0, known = 0;
	struct pst_tally t;
	FILE *f;

	for (int i = 0; i < n; i++)
		if (res[i].name) {
			counts[res[i].verdict]++;
			slots[slot(&res[i])]++;
			known += res[i].known != NULL;
		}
	for (size_t o = 0; o < SHOWN_AS_FAILURES; o++)
		nfail += slots[order[o]];
	t = figures(info, counts, slots[ACCEPTED]);
	snprintf(path, sizeof(path), "%s/index.html", dir);
	f = pst_open_tmp(path, tmp, sizeof(tmp));
	if (!f)
		return -1;
	fprintf(f,
		"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
		"<meta name=\"viewport\" content=\"width=device-width\">\n"
		"<title>sctp_peeloff conformance: %s</title>\n<style>\n%s\n</style></head><body>\n"
		"<h1>sctp_peeloff conformance</h1>\n",
		t.status == 0	? "PASS"
		: t.status == 1 ? "FAIL"
		: t.status == 4 ? "CHANGED"
				: "?",
		style);
	verdict(f, info, &t, counts, slots, known);
	nav(f, dir, nfail);
	failures(f, reqs, info->profile, res, n, nfail);
	suites(f, res, n, slots);
	environment(f, info, counts);
	requirements(f, info, reqs, refs, inst, res, n, all, nall);
	contract(f, info, reqs, inst, res, n, all, nall);
	cases(f, reqs, info->profile, res, n);
	fputs("</body></html>\n", f);
	return pst_finish_tmp(f, tmp, path);
}
