/* The verdict of a case from its evidence and the waivers: see judge.h. */
#include "judge.h"

#include <ctype.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MSG_MAX = 1536 };

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

int pst_outcome_fail(struct pst_outcome *o, const char *check, const char *file, int line,
		     const char *text)
{
	struct pst_failure *nv = realloc(o->fails, (o->nfails + 1) * sizeof(*nv));

	if (!nv)
		return -1;
	o->fails = nv;
	nv[o->nfails] = (struct pst_failure){ .check = strdup(check ? check : ""),
					      .file = strdup(file ? file : ""),
					      .line = line,
					      .text = strdup(text ? text : "") };
	o->nfails++;
	return 0;
}

int pst_outcome_reach(struct pst_outcome *o, const char *check)
{
	char **nv;

	if (!check || !*check)
		return 0;
	for (size_t i = 0; i < o->nreached; i++)
		if (strcmp(o->reached[i], check) == 0)
			return 0;
	nv = realloc(o->reached, (o->nreached + 1) * sizeof(*nv));
	if (!nv)
		return -1;
	o->reached = nv;
	nv[o->nreached++] = strdup(check);
	return 0;
}

void pst_outcome_set(char **slot, const char *text)
{
	if (!*slot)
		*slot = dup_or_null(text);
}

void pst_outcome_free(struct pst_outcome *o)
{
	for (size_t i = 0; i < o->nfails; i++) {
		free(o->fails[i].check);
		free(o->fails[i].file);
		free(o->fails[i].text);
	}
	for (size_t i = 0; i < o->nreached; i++)
		free(o->reached[i]);
	free(o->fails);
	free(o->reached);
	free(o->error);
	free(o->broken);
	free(o->skip);
	free(o->message);
	free(o->detail);
	free(o->log);
	free(o->file);
	memset(o, 0, sizeof(*o));
}

/*
 * Compare two versions number by number: "6.1.0-57-amd64" reads 6, 1, 0, 57;
 * what is not a digit separates. A version that runs out first is smaller.
 */
static int version_cmp(const char *a, const char *b)
{
	for (;;) {
		unsigned long x, y;
		char *ea, *eb;

		while (*a && !isdigit((unsigned char)*a))
			a++;
		while (*b && !isdigit((unsigned char)*b))
			b++;
		if (!*a || !*b)
			return (*a != '\0') - (*b != '\0');
		x = strtoul(a, &ea, 10);
		y = strtoul(b, &eb, 10);
		if (x != y)
			return x < y ? -1 : 1;
		a = ea;
		b = eb;
	}
}

static bool has_digit(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (isdigit((unsigned char)s[i]))
			return true;
	return false;
}

bool pst_range_valid(const char *range)
{
	const char *dots = strstr(range, "..");
	const char *high = dots ? dots + 2 : NULL;

	if (strcmp(range, "*") == 0)
		return true;
	/* one "..", at least one bound, and each bound given a version starting with a number */
	return dots && !strstr(high, "..") && (dots > range || *high) &&
	       (dots == range || isdigit((unsigned char)range[0])) &&
	       (!*high || isdigit((unsigned char)*high));
}

bool pst_range_holds(const char *range, const char *version)
{
	const char *dots = strstr(range, "..");
	char low[64];

	if (strcmp(range, "*") == 0)
		return true;
	if (!version || !has_digit(version, strlen(version)) || !dots ||
	    (size_t)(dots - range) >= sizeof(low))
		return false;
	snprintf(low, sizeof(low), "%.*s", (int)(dots - range), range);
	return (!*low || version_cmp(version, low) >= 0) &&
	       (!dots[2] || version_cmp(version, dots + 2) <= 0);
}

/* The waiver that excuses check of this case on this implementation, or NULL. */
static const struct pst_deviation *waiver_for(const struct pst_judge_cfg *cfg,
					      const struct pst_case *tc, const char *full_name,
					      const char *check)
{
	if (!cfg->waivers || !*check || pst_check_class(tc, check) != PST_CHECK_PLAIN)
		return NULL;
	for (size_t i = 0; i < cfg->waivers->n; i++) {
		const struct pst_deviation *d = &cfg->waivers->v[i];

		if (strcmp(d->profile, cfg->profile) == 0 && strcmp(d->check, check) == 0 &&
		    fnmatch(d->glob, full_name, 0) == 0 &&
		    pst_range_holds(d->kernel, cfg->impl.kernel) &&
		    pst_range_holds(d->libsctp, cfg->impl.libsctp))
			return d;
	}
	return NULL;
}

static void set_message(struct pst_outcome *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void set_message(struct pst_outcome *o, const char *fmt, ...)
{
	char msg[MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	free(o->message);
	o->message = strdup(msg);
}

static void point_at(struct pst_outcome *o, const struct pst_failure *f)
{
	free(o->file);
	o->file = dup_or_null(f->file);
	o->line = f->line;
}

/*
 * The detail: every failure ("file:line: [check] text", waived ones marked),
 * then whatever else the case reported that the verdict's message does not
 * say (a setup failure or a skip after failures, say).
 */
static void write_detail(struct pst_outcome *o, const struct pst_case *tc,
			 const struct pst_deviation *const *waived)
{
	char ref[256], *text = NULL;
	size_t len = 0;
	FILE *t = open_memstream(&text, &len);

	free(o->detail);
	o->detail = NULL;
	if (!t)
		return; /* out of memory: the message alone */
	for (size_t i = 0; i < o->nfails; i++) {
		const struct pst_failure *f = &o->fails[i];

		if (!*f->check)
			fprintf(t, "%s:%d: %s\n", f->file, f->line, f->text);
		else if (waived && waived[i])
			fprintf(t, "%s:%d: [%s, waived: %s] %s\n", f->file, f->line, f->check,
				waived[i]->reference, f->text);
		else if (pst_check_reference(tc, f->check, ref, sizeof(ref)))
			fprintf(t, "%s:%d: [%s, reference %s: changed] %s\n", f->file, f->line,
				f->check, ref, f->text);
		else
			fprintf(t, "%s:%d: [%s] %s\n", f->file, f->line, f->check, f->text);
	}
	if (o->error && o->verdict != PST_ERROR)
		fprintf(t, "and the case process: %s\n", o->error);
	if (o->broken && o->verdict != PST_BROKEN)
		fprintf(t, "then the setup failed: %s\n", o->broken);
	if (o->skip && o->verdict != PST_SKIP)
		fprintf(t, "then skipped: %s\n", o->skip);
	if (fclose(t) == 0 && len > 0)
		o->detail = text; /* nothing to say: no detail */
	else
		free(text);
}

/* A waiver that holds here, for a check the case reached, none of whose failures it excused. */
static const struct pst_deviation *stale_waiver(const struct pst_outcome *o,
						const struct pst_case *tc, const char *full_name,
						const struct pst_judge_cfg *cfg, const char **check)
{
	for (size_t i = 0; i < o->nreached; i++) {
		const struct pst_deviation *d = waiver_for(cfg, tc, full_name, o->reached[i]);
		bool failed = false;

		for (size_t k = 0; d && k < o->nfails; k++)
			failed |= strcmp(o->fails[k].check, o->reached[i]) == 0;
		if (d && !failed) {
			*check = o->reached[i];
			return d;
		}
	}
	return NULL;
}

void pst_judge(struct pst_outcome *o, const struct pst_case *tc, const char *full_name,
	       const struct pst_judge_cfg *cfg)
{
	const struct pst_deviation **waived = calloc(o->nfails + 1, sizeof(*waived));
	const struct pst_failure *first = NULL, *first_waived = NULL, *first_changed = NULL;
	const struct pst_deviation *d, *first_waiver = NULL;
	const char *stale_check = NULL;
	size_t unwaived = 0;
	bool others, kernel_reported = false;
	char ref[256];

	for (size_t i = 0; i < o->nfails; i++) {
		const struct pst_failure *f = &o->fails[i];
		/* out of memory: nothing is waived */
		const struct pst_deviation *w =
		    waived ? waiver_for(cfg, tc, full_name, f->check) : NULL;

		if (waived)
			waived[i] = w;
		if (w) {
			if (!first_waived) {
				first_waived = f;
				first_waiver = w;
			}
		} else if (pst_check_class(tc, f->check) == PST_CHECK_REF) {
			first_changed = first_changed ? first_changed : f;
		} else {
			unwaived++;
			/* a kernel report leads: the case's own failures may be its doing */
			if (strcmp(f->check, PST_CHECK_NO_KERNEL_REPORT) == 0) {
				kernel_reported = true;
				first = f;
			} else if (!first) {
				first = f;
			}
		}
	}
	free(o->message);
	o->message = NULL;
	if (o->error && !kernel_reported) {
		/* (a kernel report outranks it: the crash or hang may be the bug's doing) */
		o->verdict = PST_ERROR;
		set_message(o, "%s", o->error);
	} else if (unwaived) {
		o->verdict = PST_FAIL;
		others = unwaived > 1 || first_waived || first_changed;
		set_message(o, "%s%s", first->text, others ? " (and more, see detail)" : "");
		point_at(o, first);
	} else if (o->broken) {
		o->verdict = PST_BROKEN;
		set_message(o, "setup failed: %s", o->broken);
	} else if (first_changed) {
		o->verdict = PST_CHANGED;
		set_message(o, "reference behaviour changed (%s, check %s): %s",
			    pst_check_reference(tc, first_changed->check, ref, sizeof(ref)),
			    first_changed->check, first_changed->text);
		point_at(o, first_changed);
	} else if (first_waived) {
		o->verdict = PST_XFAIL;
		set_message(o, "expected deviation (%s), check %s: %s; %s", first_waiver->reference,
			    first_waived->check, first_waiver->reason, first_waived->text);
		point_at(o, first_waived);
	} else if (o->skip) {
		o->verdict = PST_SKIP;
		set_message(o, "%s", o->skip);
	} else if ((d = stale_waiver(o, tc, full_name, cfg, &stale_check))) {
		o->verdict = cfg->strict_waivers ? PST_XPASS : PST_PASS;
		set_message(o,
			    "stale waiver: check %s passed, although %s (%s) waives it on this "
			    "implementation; review the entry",
			    stale_check, d->where, d->reference);
	} else {
		o->verdict = PST_PASS;
	}
	write_detail(o, tc, waived);
	free(waived);
}

int pst_judge_check_waivers(const struct pst_deviations *w, const struct pst_instance *all,
			    int nall, char *err, size_t errlen)
{
	for (size_t i = 0; i < w->n; i++) {
		const struct pst_deviation *d = &w->v[i];
		bool named = false;

		if (!pst_range_valid(d->kernel) || !pst_range_valid(d->libsctp)) {
			snprintf(err, errlen,
				 "%s: expected ranges of the form *, A..B, A.. or ..B, got kernel "
				 "'%s', libsctp '%s'",
				 d->where, d->kernel, d->libsctp);
			return -1;
		}
		for (int k = 0; k < nall; k++) {
			char full[256];
			enum pst_check_class c;

			snprintf(full, sizeof(full), "%s/%s", all[k].suite->name, all[k].name);
			if (fnmatch(d->glob, full, 0) != 0)
				continue;
			c = pst_check_class(all[k].tc, d->check);
			if (c == PST_CHECK_SAFE || c == PST_CHECK_REF) {
				snprintf(err, errlen,
					 c == PST_CHECK_SAFE
					     ? "%s: check %s of %s is a safety check: it can never "
					       "be waived"
					     : "%s: check %s of %s is a reference behaviour: a "
					       "difference is CHANGED, never waived",
					 d->where, d->check, full);
				return -1;
			}
			named |= c == PST_CHECK_PLAIN;
		}
		if (!named) {
			snprintf(err, errlen,
				 "%s: expected a check that a case matching %s declares, got '%s'",
				 d->where, d->glob, d->check);
			return -1;
		}
	}
	return 0;
}
