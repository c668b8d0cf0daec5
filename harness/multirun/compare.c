/* Kernel comparison, baseline diff and bisect verdict: see compare.h. */
#include "compare.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "textout.h"

#define PST_SHORT_HASH 12 /* config hash digits shown in a column heading */

static const char *verdict_or(int v, const char *absent)
{
	return v == PST_ABSENT ? absent : pst_verdict_name((enum pst_verdict)v);
}

/* ---- kernels ---- */

bool pst_column_ran(const struct pst_column *c)
{
	/* 4: every requirement held, a reference behaviour changed (run.sh's exit status) */
	return c->status == 0 || c->status == 1 || c->status == 4;
}

/* The row for id among the first n, or NULL. */
static struct pst_compare_row *find_row(struct pst_compare_row *rows, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(rows[i].id, id) == 0)
			return &rows[i];
	return NULL;
}

/* Do the columns that ran agree on this row? A case one of them lacks is a difference. */
static bool row_differs(const struct pst_column *cols, size_t ncols, const int *v)
{
	bool seen = false;
	int first = PST_ABSENT;

	for (size_t k = 0; k < ncols; k++) {
		if (!pst_column_ran(&cols[k]))
			continue;
		if (seen && v[k] != first)
			return true;
		seen = true;
		first = v[k];
	}
	return false;
}

int pst_compare_columns(const struct pst_column *cols, size_t ncols, struct pst_compare *out)
{
	size_t cap = 0, n = 0, total = 0;
	struct pst_compare_row *rows = NULL, *sorted;

	*out = (struct pst_compare){ .ncols = ncols };
	for (size_t k = 0; k < ncols; k++)
		total += cols[k].run.n;
	cap = total ? total : 1;
	rows = calloc(cap, sizeof(*rows));
	if (!rows)
		return -1;
	for (size_t k = 0; k < ncols; k++) {
		for (size_t i = 0; i < cols[k].run.n; i++) {
			const struct pst_run_row *rr = &cols[k].run.rows[i];
			struct pst_compare_row *row = find_row(rows, n, rr->id);

			if (!row) {
				row = &rows[n++];
				row->id = rr->id;
				row->tags = "";
				row->verdicts = malloc(ncols * sizeof(int));
				if (!row->verdicts)
					goto oom;
				for (size_t j = 0; j < ncols; j++)
					row->verdicts[j] = PST_ABSENT;
			}
			row->verdicts[k] = (int)rr->verdict;
			if (!*row->tags && rr->tags)
				row->tags = rr->tags;
		}
	}
	sorted = calloc(cap, sizeof(*sorted));
	if (!sorted)
		goto oom;
	for (size_t i = 0; i < n; i++) {
		rows[i].differs = row_differs(cols, ncols, rows[i].verdicts);
		out->ndiffer += rows[i].differs;
	}
	for (int pass = 0; pass < 2; pass++) /* differing rows first, then the rest */
		for (size_t i = 0, at = pass ? out->ndiffer : 0; i < n; i++)
			if (rows[i].differs == (pass == 0))
				sorted[at++] = rows[i];
	free(rows);
	out->rows = sorted;
	out->n = n;
	return 0;
oom:
	for (size_t i = 0; i < n; i++)
		free(rows[i].verdicts);
	free(rows);
	return -1;
}

void pst_compare_free(struct pst_compare *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->rows[i].verdicts);
	free(c->rows);
	*c = (struct pst_compare){ 0 };
}

void pst_column_state(const struct pst_column *c, char *buf, size_t len)
{
	if (c->status == 0)
		snprintf(buf, len, "completed, every case passed");
	else if (c->status == 1)
		snprintf(buf, len, "completed, conformance failures");
	else if (c->status == 4)
		snprintf(buf, len,
			 "completed, every requirement held, reference behaviour changed");
	else
		snprintf(buf, len, "could not run (run.sh exit %d)", c->status);
}

int pst_compare_status(const struct pst_column *cols, size_t ncols)
{
	int worst = 0;

	for (size_t k = 0; k < ncols; k++) {
		if (!pst_column_ran(&cols[k]))
			return PST_COMPARE_NO_RUN;
		if (cols[k].status == PST_COMPARE_FAILURE)
			worst = PST_COMPARE_FAILURE;
		else if (cols[k].status == PST_COMPARE_CHANGED && worst == 0)
			worst = PST_COMPARE_CHANGED;
	}
	return worst;
}

const struct pst_known_bug *pst_compare_known(const struct pst_compare_row *r, size_t ncols,
					      const struct pst_known *known)
{
	const struct pst_known_bug *b = known ? pst_known_find(known, r->tags) : NULL;

	if (!b || !r->differs)
		return NULL;
	for (size_t k = 0; k < ncols; k++)
		if (r->verdicts[k] != PST_ABSENT &&
		    pst_verdict_fails_run((enum pst_verdict)r->verdicts[k]))
			return b;
	return NULL;
}

/* The last cell of a differing row: its tags, and the known bug they name. */
static void md_known_cell(FILE *md, const struct pst_compare_row *r, size_t ncols,
			  const struct pst_known *known)
{
	const struct pst_known_bug *b = pst_compare_known(r, ncols, known);

	fputc(' ', md);
	pst_md_cell(md, *r->tags ? r->tags : "—");
	if (b) {
		fprintf(md, "<br>**known bug, fixed by %s** (", b->tag);
		pst_md_cell(md, b->subject);
		if (*b->fixed_in) {
			fputs("; in ", md);
			pst_md_cell(md, b->fixed_in);
		}
		fprintf(md, ")%s%s: ", strcmp(b->cve, "-") ? ", " : "",
			strcmp(b->cve, "-") ? b->cve : "");
		pst_md_cell(md, b->what);
	}
	fprintf(md, " |");
}

static void md_row(FILE *md, const struct pst_column *cols, size_t ncols,
		   const struct pst_compare_row *r, const struct pst_known *known)
{
	fprintf(md, "| `%s` |", r->id);
	for (size_t k = 0; k < ncols; k++)
		fprintf(md, " %s |",
			verdict_or(r->verdicts[k], pst_column_ran(&cols[k]) ? "—" : "not run"));
	if (r->differs)
		md_known_cell(md, r, ncols, known);
	fputc('\n', md);
}

static void md_table(FILE *md, const struct pst_column *cols, size_t ncols,
		     const struct pst_compare *c, bool differing, const struct pst_known *known)
{
	fprintf(md, "| case |");
	for (size_t k = 0; k < ncols; k++) {
		const struct pst_run *r = &cols[k].run;

		fprintf(md, " `");
		pst_md_cell(md, cols[k].label);
		fprintf(md, "`<br>%s<br>config %.*s<br>", pst_run_env(r, "kernel_release"),
			PST_SHORT_HASH, pst_run_env(r, "kernel_config_sha256"));
		pst_md_cell(md, pst_run_env(r, "libsctp_version"));
		fprintf(md, " |");
	}
	if (differing)
		fprintf(md, " tags; known bug |");
	fprintf(md, "\n| --- |");
	for (size_t k = 0; k < ncols + differing; k++)
		fprintf(md, " --- |");
	fputc('\n', md);
	for (size_t i = 0; i < c->n; i++)
		if (c->rows[i].differs == differing)
			md_row(md, cols, ncols, &c->rows[i], known);
}

static const char *const env_keys[] = {
	"kernel_release", "kernel_config_sha256", "kernel_image",  "target",  "accelerator",
	"libsctp_path",	  "libsctp_version",	  "suite_version", "profile", "machine",
	"timestamp",	  "libsctp_flags_source"
};

static void write_compare_md(FILE *md, const struct pst_column *cols, size_t ncols,
			     const struct pst_compare *c, const struct pst_known *known)
{
	char state[128];

	fprintf(md,
		"# Kernel comparison\n\n%zu kernels, %zu cases, %zu differ between the kernels "
		"that ran (listed first).\n\n## Kernels\n\n",
		ncols, c->n, c->ndiffer);
	for (size_t k = 0; k < ncols; k++) {
		pst_column_state(&cols[k], state, sizeof(state));
		fprintf(md, "- `%s` (`%s`): %s; reports `%s`\n", cols[k].label,
			cols[k].spec ? cols[k].spec : "?", state,
			cols[k].run.dir ? cols[k].run.dir : "(none)");
		for (size_t e = 0; e < sizeof(env_keys) / sizeof(env_keys[0]); e++)
			fprintf(md, "  - %s: `%s`\n", env_keys[e],
				pst_run_env(&cols[k].run, env_keys[e]));
	}
	fprintf(md, "\n## Cases whose verdict differs (%zu)\n\n", c->ndiffer);
	if (c->ndiffer)
		md_table(md, cols, ncols, c, true, known);
	else
		fprintf(md, "None.\n");
	fprintf(md, "\n## Cases with the same verdict on every kernel that ran (%zu)\n\n",
		c->n - c->ndiffer);
	md_table(md, cols, ncols, c, false, known);
}

static void write_compare_json(FILE *js, const struct pst_column *cols, size_t ncols,
			       const struct pst_compare *c, const struct pst_known *known)
{
	fprintf(js, "{\"kernels\": [");
	for (size_t k = 0; k < ncols; k++) {
		fprintf(js, "%s\n  {\"label\": ", k ? "," : "");
		pst_json_str(js, cols[k].label);
		fprintf(js, ", \"spec\": ");
		pst_json_str(js, cols[k].spec);
		fprintf(js, ", \"status\": %d, \"ran\": %s, \"reports\": ", cols[k].status,
			pst_column_ran(&cols[k]) ? "true" : "false");
		pst_json_str(js, cols[k].run.dir);
		for (size_t e = 0; e < sizeof(env_keys) / sizeof(env_keys[0]); e++) {
			fprintf(js, ", ");
			pst_json_str(js, env_keys[e]);
			fprintf(js, ": ");
			pst_json_str(js, pst_run_env(&cols[k].run, env_keys[e]));
		}
		fputc('}', js);
	}
	fprintf(js, "\n], \"cases\": %zu, \"differing\": %zu, \"rows\": [", c->n, c->ndiffer);
	for (size_t i = 0; i < c->n; i++) {
		const struct pst_known_bug *b = pst_compare_known(&c->rows[i], ncols, known);

		fprintf(js, "%s\n  {\"case\": ", i ? "," : "");
		pst_json_str(js, c->rows[i].id);
		fprintf(js, ", \"tags\": ");
		pst_json_str(js, c->rows[i].tags);
		fprintf(js, ", \"known_bug\": ");
		if (b) {
			fprintf(js, "{\"fixed_by\": ");
			pst_json_str(js, b->tag);
			fprintf(js, ", \"cve\": ");
			if (strcmp(b->cve, "-"))
				pst_json_str(js, b->cve);
			else
				fprintf(js, "null");
			fprintf(js, ", \"subject\": ");
			pst_json_str(js, b->subject);
			fprintf(js, ", \"what\": ");
			pst_json_str(js, b->what);
			fprintf(js, ", \"fixed_in\": ");
			pst_json_str(js, b->fixed_in);
			fputc('}', js);
		} else {
			fprintf(js, "null");
		}
		fprintf(js, ", \"differs\": %s, \"verdicts\": [",
			c->rows[i].differs ? "true" : "false");
		for (size_t k = 0; k < ncols; k++) {
			int v = c->rows[i].verdicts[k];

			fprintf(js, "%s", k ? ", " : "");
			if (v == PST_ABSENT)
				fprintf(js, "null");
			else
				pst_json_str(js, pst_verdict_name((enum pst_verdict)v));
		}
		fprintf(js, "]}");
	}
	fprintf(js, "\n]}\n");
}

/* Both files of a report, written atomically by the two writers given. */
static int write_pair(const char *dir, const char *base, void (*md_fn)(FILE *, const void *),
		      void (*json_fn)(FILE *, const void *), const void *ctx)
{
	char path[4096], tmp[4200];
	const char *ext[] = { "md", "json" };

	for (int i = 0; i < 2; i++) {
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s.%s", dir, base, ext[i]);
		f = pst_open_tmp(path, tmp, sizeof(tmp));
		if (!f)
			return -1;
		(i == 0 ? md_fn : json_fn)(f, ctx);
		if (pst_finish_tmp(f, tmp, path) < 0)
			return -1;
	}
	return 0;
}

struct compare_ctx {
	const struct pst_column *cols;
	size_t ncols;
	const struct pst_compare *c;
	const struct pst_known *known;
};

static void compare_md(FILE *f, const void *p)
{
	const struct compare_ctx *x = p;

	write_compare_md(f, x->cols, x->ncols, x->c, x->known);
}

static void compare_json(FILE *f, const void *p)
{
	const struct compare_ctx *x = p;

	write_compare_json(f, x->cols, x->ncols, x->c, x->known);
}

int pst_compare_write(const char *dir, const struct pst_column *cols, size_t ncols,
		      const struct pst_compare *c, const struct pst_known *known)
{
	const struct compare_ctx x = { cols, ncols, c, known };

	if (write_pair(dir, "compare", compare_md, compare_json, &x) < 0)
		return -1;
	return pst_compare_write_html(dir, cols, ncols, c, known);
}

/* ---- baseline ---- */

const char *pst_change_name(enum pst_change c)
{
	static const char *const names[] = { "new-fail", "new-pass", "new case (fails)",
					     "new case", "removed",  "unchanged" };

	return c < PST_CHANGE_COUNT ? names[c] : "unknown";
}

static bool fails(int v)
{
	return v != PST_ABSENT && pst_verdict_fails_run((enum pst_verdict)v);
}

enum pst_change pst_change_of(int old, int now)
{
	if (now == PST_ABSENT)
		return PST_REMOVED;
	if (old == PST_ABSENT)
		return fails(now) ? PST_ADDED_FAIL : PST_ADDED;
	if (fails(now) && !fails(old))
		return PST_NEW_FAIL;
	if (fails(old) && !fails(now))
		return PST_NEW_PASS;
	return PST_UNCHANGED;
}

bool pst_change_gates(enum pst_change c)
{
	return c == PST_NEW_FAIL || c == PST_ADDED_FAIL;
}

int pst_baseline_diff(const struct pst_run *old, const struct pst_run *now,
		      struct pst_baseline *out)
{
	size_t n = 0;

	*out = (struct pst_baseline){ 0 };
	out->rows = calloc(now->n + old->n + 1, sizeof(*out->rows));
	if (!out->rows)
		return -1;
	for (size_t i = 0; i < now->n; i++) {
		const struct pst_run_row *o = pst_run_find(old, now->rows[i].id);

		out->rows[n++] = (struct pst_baseline_row){ .id = now->rows[i].id,
							    .old = o ? (int)o->verdict : PST_ABSENT,
							    .now = (int)now->rows[i].verdict,
							    .message = now->rows[i].message };
	}
	for (size_t i = 0; i < old->n; i++)
		if (!pst_run_find(now, old->rows[i].id))
			out->rows[n++] =
			    (struct pst_baseline_row){ .id = old->rows[i].id,
						       .old = (int)old->rows[i].verdict,
						       .now = PST_ABSENT,
						       .message = old->rows[i].message };
	for (size_t i = 0; i < n; i++) {
		out->rows[i].change = pst_change_of(out->rows[i].old, out->rows[i].now);
		out->counts[out->rows[i].change]++;
	}
	out->n = n;
	return 0;
}

unsigned pst_baseline_new_failures(const struct pst_baseline *b)
{
	return b->counts[PST_NEW_FAIL] + b->counts[PST_ADDED_FAIL];
}

void pst_baseline_free(struct pst_baseline *b)
{
	free(b->rows);
	*b = (struct pst_baseline){ 0 };
}

struct baseline_ctx {
	const struct pst_run *old, *now;
	const struct pst_baseline *b;
};

static void run_line(FILE *md, const char *what, const struct pst_run *r)
{
	fprintf(md, "- %s: `%s` (kernel %s, config %.*s, target %s, libsctp %s, suite %s, %s)\n",
		what, r->dir ? r->dir : "", pst_run_env(r, "kernel_release"), PST_SHORT_HASH,
		pst_run_env(r, "kernel_config_sha256"), pst_run_env(r, "target"),
		pst_run_env(r, "libsctp_version"), pst_run_env(r, "suite_version"),
		pst_run_env(r, "timestamp"));
}

static void baseline_md(FILE *md, const void *p)
{
	const struct baseline_ctx *x = p;
	const struct pst_baseline *b = x->b;

	fprintf(md, "# Regression diff against a baseline\n\n");
	run_line(md, "baseline", x->old);
	run_line(md, "this run", x->now);
	fprintf(md, "\nA case fails the run when it is FAIL, XPASS, BROKEN or ERROR. New failures "
		    "(new-fail, and new cases that fail) are what `--gate new-failures` "
		    "rejects.\n\n| change | cases |\n| --- | --- |\n");
	for (int c = 0; c < PST_CHANGE_COUNT; c++)
		fprintf(md, "| %s | %u |\n", pst_change_name((enum pst_change)c), b->counts[c]);
	for (int c = 0; c < PST_CHANGE_COUNT; c++) {
		if (!b->counts[c])
			continue;
		fprintf(md,
			"\n## %s (%u)\n\n| case | baseline | this run | message |\n"
			"| --- | --- | --- | --- |\n",
			pst_change_name((enum pst_change)c), b->counts[c]);
		for (size_t i = 0; i < b->n; i++) {
			const struct pst_baseline_row *r = &b->rows[i];

			if (r->change != (enum pst_change)c)
				continue;
			fprintf(md, "| `%s` | %s | %s | ", r->id, verdict_or(r->old, "—"),
				verdict_or(r->now, "—"));
			pst_md_cell(md, r->message);
			fprintf(md, " |\n");
		}
	}
}

static void baseline_json(FILE *js, const void *p)
{
	const struct baseline_ctx *x = p;
	const struct pst_baseline *b = x->b;

	fprintf(js, "{\"baseline\": ");
	pst_json_str(js, x->old->dir);
	fprintf(js, ", \"baseline_kernel\": ");
	pst_json_str(js, pst_run_env(x->old, "kernel_release"));
	fprintf(js, ", \"run\": ");
	pst_json_str(js, x->now->dir);
	fprintf(js, ", \"run_kernel\": ");
	pst_json_str(js, pst_run_env(x->now, "kernel_release"));
	fprintf(js, ", \"new_failures\": %u, \"counts\": {", pst_baseline_new_failures(b));
	for (int c = 0; c < PST_CHANGE_COUNT; c++) {
		fprintf(js, "%s", c ? ", " : "");
		pst_json_str(js, pst_change_name((enum pst_change)c));
		fprintf(js, ": %u", b->counts[c]);
	}
	fprintf(js, "}, \"cases\": [");
	for (size_t i = 0; i < b->n; i++) {
		const struct pst_baseline_row *r = &b->rows[i];

		fprintf(js, "%s\n  {\"case\": ", i ? "," : "");
		pst_json_str(js, r->id);
		fprintf(js, ", \"change\": ");
		pst_json_str(js, pst_change_name(r->change));
		fprintf(js, ", \"baseline\": ");
		if (r->old == PST_ABSENT)
			fprintf(js, "null");
		else
			pst_json_str(js, verdict_or(r->old, ""));
		fprintf(js, ", \"now\": ");
		if (r->now == PST_ABSENT)
			fprintf(js, "null");
		else
			pst_json_str(js, verdict_or(r->now, ""));
		fprintf(js, ", \"message\": ");
		pst_json_str(js, r->message);
		fputc('}', js);
	}
	fprintf(js, "\n]}\n");
}

int pst_baseline_write(const char *dir, const struct pst_run *old, const struct pst_run *now,
		       const struct pst_baseline *b)
{
	const struct baseline_ctx x = { old, now, b };

	return write_pair(dir, "baseline", baseline_md, baseline_json, &x);
}

/* ---- bisect ---- */

int pst_bisect_status(const struct pst_run *r, char *why, size_t len)
{
	const struct pst_run_row *broken = NULL, *good = NULL;
	size_t npass = 0;

	for (size_t i = 0; i < r->n; i++) {
		enum pst_verdict v = r->rows[i].verdict;

		/* a changed reference behaviour is what a bisect of a behaviour change looks for */
		if (v == PST_FAIL || v == PST_ERROR || v == PST_CHANGED) {
			snprintf(why, len, "bad: %s is %s: %s", r->rows[i].id, pst_verdict_name(v),
				 r->rows[i].message);
			return PST_BISECT_BAD;
		}
		if (v == PST_BROKEN && !broken)
			broken = &r->rows[i];
		if (v == PST_PASS || v == PST_XFAIL || v == PST_XPASS) {
			good = good ? good : &r->rows[i];
			npass++;
		}
	}
	if (broken) {
		snprintf(why, len, "cannot test (skip): %s is BROKEN (its setup failed): %s",
			 broken->id, broken->message);
		return PST_BISECT_SKIP;
	}
	if (!good) {
		snprintf(why, len, "cannot test (skip): every variant (%zu) was skipped%s%s", r->n,
			 r->n ? ": " : "", r->n ? r->rows[0].message : "");
		return PST_BISECT_SKIP;
	}
	snprintf(why, len,
		 "good: %zu of %zu variant(s) pass (PASS, XFAIL or XPASS), %zu skipped, none fails",
		 npass, r->n, r->n - npass);
	return PST_BISECT_GOOD;
}
