/* The one-to-one contract table: see contract.h. */
#include "contract.h"

#include <stdbool.h>
#include <string.h>

#include "matrix.h"
#include "textout.h"

#define SEEN_MAX 512 /* a few words of what a side did; longer is cut */

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

/* Is the operation's row already written (an earlier case named it too)? */
static bool seen_before(const struct pst_instance *all, int upto, const char *op)
{
	for (int i = 0; i < upto; i++)
		if (does_operation(&all[i], op))
			return true;
	return false;
}

/* The sources of the operation's requirements under the profile, each once ("; "). */
static void documents(FILE *md, FILE *js, const struct pst_reqs *reqs, const char *profile,
		      const struct pst_instance *all, int nall, const char *op)
{
	const char *shown[64];
	size_t nshown = 0;

	for (int i = 0; i < nall; i++) {
		char list[1024], *save = NULL;

		if (!does_operation(&all[i], op) || !all[i].tc->reqs)
			continue;
		snprintf(list, sizeof(list), "%s", all[i].tc->reqs);
		for (char *id = strtok_r(list, " ", &save); id; id = strtok_r(NULL, " ", &save)) {
			const struct pst_req *q = pst_reqs_find(reqs, id);
			bool dup = false;

			if (!q || !pst_req_in_profile(q, profile))
				continue;
			for (size_t k = 0; k < nshown && !dup; k++)
				dup = strcmp(shown[k], q->source) == 0;
			if (dup || nshown == sizeof(shown) / sizeof(shown[0]))
				continue;
			fprintf(md, "%s", nshown ? "; " : "");
			pst_md_cell(md, q->source);
			fprintf(js, "%s", nshown ? ", " : "");
			pst_json_str(js, q->source);
			shown[nshown++] = q->source;
		}
	}
	if (!nshown)
		fprintf(md, "none (the reference socket)");
}

void pst_contract_write(FILE *md, FILE *js, const struct pst_reqs *reqs, const char *profile,
			const struct pst_instance *inst, const struct pst_result *res, int n,
			const struct pst_instance *all, int nall)
{
	bool first = true;
	int rows = 0, without = 0;

	fprintf(md, "\n## The peeled socket's one-to-one contract\n\n"
		    "Each operation on the peeled socket and on a reference one-to-one socket "
		    "(SOCK_STREAM, connected to the same peer) in the same topology: what each did "
		    "in the first variant that ran, and the worst verdict of its cases.\n\n"
		    "| operation | documents | peeled | reference | verdict |\n"
		    "| --- | --- | --- | --- | --- |\n");
	fprintf(js, ", \"contract\": [");
	for (int a = 0; a < nall; a++) {
		const char *op = all[a].tc->contract, *v;
		char peeled[SEEN_MAX], ref[SEEN_MAX];

		if (!op || seen_before(all, a, op))
			continue;
		v = pst_matrix_worst(inst, res, n, does_operation, op);
		first_seen(inst, res, n, op, PST_SEEN_PEELED_PREFIX, peeled, sizeof(peeled));
		first_seen(inst, res, n, op, PST_SEEN_REFERENCE_PREFIX, ref, sizeof(ref));
		rows++;
		without += strcmp(v, "NOT RUN") == 0 || strcmp(v, "NOT TESTED") == 0;

		fputs("| ", md);
		pst_md_cell(md, op);
		fputs(" | ", md);
		fprintf(js, "%s\n  {\"operation\": ", first ? "" : ",");
		first = false;
		pst_json_str(js, op);
		fprintf(js, ", \"documents\": [");
		documents(md, js, reqs, profile, all, nall, op);
		fputs("] , \"peeled\": ", js);
		pst_json_str(js, peeled);
		fputs(", \"reference\": ", js);
		pst_json_str(js, ref);
		fputs(", \"verdict\": ", js);
		pst_json_str(js, v);
		fputc('}', js);
		fputs(" | ", md);
		pst_md_cell(md, peeled[0] ? peeled : "-");
		fputs(" | ", md);
		pst_md_cell(md, ref[0] ? ref : "-");
		fprintf(md, " | %s |\n", v);
	}
	fprintf(md,
		"\nOperations: %d; without a verdict in this run (not run or all skipped): %d\n",
		rows, without);
	fprintf(js, "\n], \"contract_without_verdict\": %d", without);
}
