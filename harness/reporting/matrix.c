/* The traceability matrix: see matrix.h. */
#include "matrix.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "contract.h"
#include "textout.h"

/* Worst first: the verdict a requirement gets from its cases. */
static const enum pst_verdict severity[] = { PST_ERROR,	  PST_BROKEN, PST_FAIL, PST_XPASS,
					     PST_CHANGED, PST_XFAIL,  PST_PASS, PST_SKIP };

static int rank(enum pst_verdict v)
{
	for (size_t i = 0; i < sizeof(severity) / sizeof(severity[0]); i++)
		if (severity[i] == v)
			return (int)i;
	return 0;
}

bool pst_matrix_names(const struct pst_instance *in, const char *id)
{
	return in->tc->reqs && pst_reqs_list_has(in->tc->reqs, id);
}

static bool covered(const struct pst_instance *all, int nall, const char *id)
{
	for (int i = 0; i < nall; i++)
		if (pst_matrix_names(&all[i], id))
			return true;
	return false;
}

const char *pst_matrix_worst(const struct pst_instance *inst, const struct pst_result *res, int n,
			     bool (*match)(const struct pst_instance *in, const char *key),
			     const char *key)
{
	int worst = -1;

	for (int i = 0; i < n; i++)
		if (res[i].name && match(&inst[i], key)) {
			int r = rank(res[i].verdict);

			if (worst < 0 || r < worst)
				worst = r;
		}
	if (worst < 0)
		return "NOT RUN";
	return severity[worst] == PST_SKIP ? "NOT TESTED" : pst_verdict_name(severity[worst]);
}

/*
 * The requirement's verdict in this run: "UNCOVERED", "NOT RUN", "NOT TESTED"
 * or a verdict name. A requirement is met only by cases that ran: one whose
 * cases all skipped is not tested, whatever it would have been.
 */
const char *pst_matrix_req_verdict(const struct pst_req *q, const struct pst_instance *inst,
				   const struct pst_result *res, int n,
				   const struct pst_instance *all, int nall)
{
	if (!covered(all, nall, q->id))
		return "UNCOVERED";
	return pst_matrix_worst(inst, res, n, pst_matrix_names, q->id);
}

void pst_matrix_sources(FILE *f, const struct pst_refs *refs, const char *source,
			const struct pst_cite_markup *m)
{
	struct pst_cite c[PST_CITES_MAX];
	size_t n = pst_cite_resolve_all(refs, source, c, PST_CITES_MAX);

	for (size_t i = 0; i < n; i++) {
		if (i)
			fputs(m->sep, f);
		if (c[i].link[0])
			m->link(f, c[i].link, c[i].text);
		else
			m->text(f, c[i].text);
		if (!c[i].resolved || c[i].kind == PST_CITE_REF) {
			fputs(c[i].resolved ? ": " : " (unresolved: ", f);
			m->text(f, c[i].title);
			fputs(c[i].resolved ? "" : ")", f);
		}
	}
}

static void md_link(FILE *f, const char *href, const char *text)
{
	fputc('[', f);
	pst_md_cell(f, text);
	fprintf(f, "](%s)", href);
}

static const struct pst_cite_markup md_markup = { .sep = "<br>",
						  .text = pst_md_cell,
						  .link = md_link };

/* The same as a JSON array: citation, kind ("unresolved" when it is not), title, link. */
static void json_sources(FILE *js, const struct pst_refs *refs, const char *source)
{
	struct pst_cite c[PST_CITES_MAX];
	size_t n = pst_cite_resolve_all(refs, source, c, PST_CITES_MAX);

	fputc('[', js);
	for (size_t i = 0; i < n; i++) {
		fprintf(js, "%s{\"citation\": ", i ? ", " : "");
		pst_json_str(js, c[i].text);
		fprintf(js, ", \"kind\": ");
		pst_json_str(js, c[i].resolved ? pst_cite_kind_name(c[i].kind) : "unresolved");
		fprintf(js, ", \"title\": ");
		pst_json_str(js, c[i].title);
		fprintf(js, ", \"link\": ");
		pst_json_str(js, c[i].link);
		fputc('}', js);
	}
	fputc(']', js);
}

int pst_matrix_write(const char *dir, const struct pst_reqs *reqs, const struct pst_refs *refs,
		     const char *profile, const struct pst_instance *inst,
		     const struct pst_result *res, int n, const struct pst_instance *all, int nall,
		     const char *run_name)
{
	char md_path[4096], json_path[4096], md_tmp[4200], json_tmp[4200];
	FILE *md, *js;
	int uncovered = 0, not_tested = 0;
	bool first = true;

	snprintf(md_path, sizeof(md_path), "%s/matrix.md", dir);
	snprintf(json_path, sizeof(json_path), "%s/matrix.json", dir);
	md = pst_open_tmp(md_path, md_tmp, sizeof(md_tmp));
	js = pst_open_tmp(json_path, json_tmp, sizeof(json_tmp));
	if (!md || !js) {
		if (md)
			fclose(md), unlink(md_tmp);
		if (js)
			fclose(js), unlink(json_tmp);
		return -1;
	}
	fprintf(md, "# Traceability matrix, profile %s\n\n%s\n\n", profile, run_name);
	fprintf(md, "| requirement | source | verdict | cases |\n| --- | --- | --- | --- |\n");
	fprintf(js, "{\"profile\": ");
	pst_json_str(js, profile);
	fprintf(js, ", \"run\": ");
	pst_json_str(js, run_name);
	fprintf(js, ", \"requirements\": [");
	for (size_t r = 0; r < reqs->n; r++) {
		const struct pst_req *q = &reqs->v[r];
		const char *v;
		bool firstcase = true;

		if (!pst_req_in_profile(q, profile))
			continue;
		v = pst_matrix_req_verdict(q, inst, res, n, all, nall);
		uncovered += strcmp(v, "UNCOVERED") == 0;
		not_tested += strcmp(v, "NOT TESTED") == 0;
		fprintf(md, "| %s | ", q->id);
		pst_matrix_sources(md, refs, q->source, &md_markup);
		fprintf(md, " | %s | ", v);
		fprintf(js, "%s\n  {\"id\": ", first ? "" : ",");
		first = false;
		pst_json_str(js, q->id);
		fprintf(js, ", \"source\": ");
		pst_json_str(js, q->source);
		fprintf(js, ", \"references\": ");
		json_sources(js, refs, q->source);
		fprintf(js, ", \"sentence\": ");
		pst_json_str(js, q->sentence);
		fprintf(js, ", \"verdict\": ");
		pst_json_str(js, v);
		fprintf(js, ", \"cases\": [");
		for (int i = 0; i < n; i++) {
			if (!res[i].name || !pst_matrix_names(&inst[i], q->id))
				continue;
			fprintf(md, "%s%s/%s %s", firstcase ? "" : "<br>", inst[i].suite->name,
				inst[i].name, pst_verdict_name(res[i].verdict));
			if (res[i].known) {
				fputs(" (", md);
				pst_md_cell(md, res[i].known);
				fputc(')', md);
			}
			fprintf(js, "%s{\"case\": ", firstcase ? "" : ", ");
			pst_json_str(js, inst[i].name);
			fprintf(js, ", \"suite\": ");
			pst_json_str(js, inst[i].suite->name);
			fprintf(js, ", \"verdict\": ");
			pst_json_str(js, pst_verdict_name(res[i].verdict));
			if (res[i].known) {
				fprintf(js, ", \"known_bug\": ");
				pst_json_str(js, res[i].known);
			}
			fputc('}', js);
			firstcase = false;
		}
		fprintf(md, " |\n");
		fprintf(js, "]}");
	}
	fprintf(md, "\nUncovered requirements: %d\n", uncovered);
	fprintf(md, "\nRequirements not tested (every case of theirs that ran was skipped): %d\n",
		not_tested);
	fprintf(js, "\n], \"uncovered\": %d, \"not_tested\": %d", uncovered, not_tested);
	pst_contract_write(md, js, reqs, profile, inst, res, n, all, nall);
	fprintf(js, "}\n");
	if (pst_finish_tmp(md, md_tmp, md_path) < 0) {
		fclose(js);
		unlink(json_tmp);
		return -1;
	}
	if (pst_finish_tmp(js, json_tmp, json_path) < 0)
		return -1;
	return uncovered;
}

int pst_matrix_check(const struct pst_reqs *reqs, const struct pst_instance *all, int nall)
{
	int problems = 0;

	for (int i = 0; i < nall; i++) {
		const char *p = all[i].tc->reqs;
		char id[64];

		if (!p || !*p) {
			printf("case %s/%s names no requirement\n", all[i].suite->name,
			       all[i].name);
			problems++;
			continue;
		}
		while (*p) {
			size_t len = strcspn(p, " ");

			snprintf(id, sizeof(id), "%.*s", (int)len, p);
			if (len && !pst_reqs_find(reqs, id)) {
				printf("case %s/%s names %s, which the catalogue does not have\n",
				       all[i].suite->name, all[i].name, id);
				problems++;
			}
			p += len + (p[len] == ' ');
		}
	}
	for (size_t r = 0; r < reqs->n; r++)
		if (!covered(all, nall, reqs->v[r].id)) {
			printf("uncovered: %s (%s): %s\n", reqs->v[r].id, reqs->v[r].source,
			       reqs->v[r].sentence);
			problems++;
		}
	return problems;
}
