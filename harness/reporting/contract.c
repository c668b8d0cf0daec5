/* The one-to-one contract table: see contract.h. */
#include "contract.h"

#include <stdbool.h>
#include <string.h>

#include "matrix.h"
#include "textout.h"

#define REQS_TEXT_MAX 1024 /* a case's requirement ids, space separated */

static bool does_operation(const struct pst_instance *in, const char *op)
{
	return in->tc->contract && strcmp(in->tc->contract, op) == 0;
}

void pst_contract_seen(const char *log, const char *prefix, char *out, size_t len)
{
	size_t plen = strlen(prefix);

	out[0] = '\0';
	for (const char *line = log; line && *line;) {
		const char *end = strchr(line, '\n');
		size_t n = end ? (size_t)(end - line) : strlen(line);

		if (n >= plen && strncmp(line, prefix, plen) == 0) {
			n -= plen;
			if (n >= len)
				n = len - 1;
			memcpy(out, line + plen, n);
			out[n] = '\0';
			return;
		}
		line = end ? end + 1 : NULL;
	}
}

/* The first result of the operation that says what the side did. */
static void first_seen(const struct pst_instance *inst, const struct pst_result *res, int n,
		       const char *op, const char *prefix, char *out, size_t len)
{
	out[0] = '\0';
	for (int i = 0; i < n && !out[0]; i++)
		if (res[i].name && does_operation(&inst[i], op))
			pst_contract_seen(res[i].log, prefix, out, len);
}

/* Is the operation's row already made (an earlier case named it too)? */
static bool seen_before(const struct pst_instance *all, int upto, const char *op)
{
	for (int i = 0; i < upto; i++)
		if (does_operation(&all[i], op))
			return true;
	return false;
}

/* The sources of the operation's requirements under the profile, each once. */
static void documents(struct pst_contract_row *row, const struct pst_reqs *reqs,
		      const char *profile, const struct pst_instance *all, int nall)
{
	const size_t max = sizeof(row->documents) / sizeof(row->documents[0]);

	row->ndocuments = 0;
	for (int i = 0; i < nall; i++) {
		char list[REQS_TEXT_MAX], *save = NULL;

		if (!does_operation(&all[i], row->operation) || !all[i].tc->reqs)
			continue;
		snprintf(list, sizeof(list), "%s", all[i].tc->reqs);
		for (char *id = strtok_r(list, " ", &save); id; id = strtok_r(NULL, " ", &save)) {
			const struct pst_req *q = pst_reqs_find(reqs, id);
			bool dup = false;

			if (!q || !pst_req_in_profile(q, profile))
				continue;
			for (size_t k = 0; k < row->ndocuments && !dup; k++)
				dup = strcmp(row->documents[k], q->source) == 0;
			if (!dup && row->ndocuments < max)
				row->documents[row->ndocuments++] = q->source;
		}
	}
}

int pst_contract_each(const struct pst_reqs *reqs, const char *profile,
		      const struct pst_instance *inst, const struct pst_result *res, int n,
		      const struct pst_instance *all, int nall,
		      void (*row)(const struct pst_contract_row *r, void *arg), void *arg)
{
	struct pst_contract_row r;
	int without = 0;

	for (int a = 0; a < nall; a++) {
		const char *op = all[a].tc->contract;

		if (!op || seen_before(all, a, op))
			continue;
		r.operation = op;
		r.verdict = pst_matrix_worst(inst, res, n, does_operation, op);
		first_seen(inst, res, n, op, PST_SEEN_PEELED_PREFIX, r.peeled, sizeof(r.peeled));
		first_seen(inst, res, n, op, PST_SEEN_REFERENCE_PREFIX, r.reference,
			   sizeof(r.reference));
		documents(&r, reqs, profile, all, nall);
		without +=
		    strcmp(r.verdict, "NOT RUN") == 0 || strcmp(r.verdict, "NOT TESTED") == 0;
		row(&r, arg);
	}
	return without;
}

struct md_js {
	FILE *md, *js;
	int rows;
};

static void md_js_row(const struct pst_contract_row *r, void *arg)
{
	struct md_js *out = arg;

	fputs("| ", out->md);
	pst_md_cell(out->md, r->operation);
	fputs(" | ", out->md);
	fprintf(out->js, "%s\n  {\"operation\": ", out->rows++ ? "," : "");
	pst_json_str(out->js, r->operation);
	fputs(", \"documents\": [", out->js);
	for (size_t k = 0; k < r->ndocuments; k++) {
		fputs(k ? "; " : "", out->md);
		pst_md_cell(out->md, r->documents[k]);
		fputs(k ? ", " : "", out->js);
		pst_json_str(out->js, r->documents[k]);
	}
	if (!r->ndocuments)
		fputs("none (the reference socket)", out->md);
	fputs("], \"peeled\": ", out->js);
	pst_json_str(out->js, r->peeled);
	fputs(", \"reference\": ", out->js);
	pst_json_str(out->js, r->reference);
	fputs(", \"verdict\": ", out->js);
	pst_json_str(out->js, r->verdict);
	fputc('}', out->js);
	fputs(" | ", out->md);
	pst_md_cell(out->md, r->peeled[0] ? r->peeled : "-");
	fputs(" | ", out->md);
	pst_md_cell(out->md, r->reference[0] ? r->reference : "-");
	fprintf(out->md, " | %s |\n", r->verdict);
}

void pst_contract_write(FILE *md, FILE *js, const struct pst_reqs *reqs, const char *profile,
			const struct pst_instance *inst, const struct pst_result *res, int n,
			const struct pst_instance *all, int nall)
{
	struct md_js out = { .md = md, .js = js };
	int without;

	fprintf(md, "\n## The peeled socket's one-to-one contract\n\n"
		    "Each operation on the peeled socket and on a reference one-to-one socket "
		    "(SOCK_STREAM, connected to the same peer) in the same topology: what each did "
		    "in the first variant that ran, and the worst verdict of its cases.\n\n"
		    "| operation | documents | peeled | reference | verdict |\n"
		    "| --- | --- | --- | --- | --- |\n");
	fprintf(js, ", \"contract\": [");
	without = pst_contract_each(reqs, profile, inst, res, n, all, nall, md_js_row, &out);
	fprintf(md,
		"\nOperations: %d; without a verdict in this run (not run or all skipped): %d\n",
		out.rows, without);
	fprintf(js, "\n], \"contract_without_verdict\": %d", without);
}
