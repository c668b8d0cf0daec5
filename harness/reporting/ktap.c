/* KTAP v1 output: see ktap.h. */
#include "ktap.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Directive text and descriptions stay on one line: no newlines, no '#'. */
static void one_line(FILE *f, const char *s)
{
	for (; s && *s; s++)
		fputc(*s == '\n' || *s == '\r' ? ' ' : *s == '#' ? '_' : *s, f);
}

static bool same_suite(const struct pst_result *a, const struct pst_result *b)
{
	return strcmp(a->suite ? a->suite : "", b->suite ? b->suite : "") == 0;
}

/* One result line at an indentation: ok/not ok, number, name, directive. */
static void result_line(FILE *f, const char *indent, const struct pst_result *r, size_t num,
			int changes_fail)
{
	bool ok = !pst_verdict_fails_gate(r->verdict, changes_fail) || r->accepted;

	fprintf(f, "%s%s %zu ", indent, ok ? "ok" : "not ok", num);
	one_line(f, r->name);
	if (r->verdict == PST_SKIP || r->verdict == PST_XFAIL || r->accepted) {
		/* (a failure a gate accepted: skipped, as in JUnit, its message says why) */
		fprintf(f, " # %s ", r->verdict == PST_XFAIL ? "XFAIL" : "SKIP");
		one_line(f, r->message);
	} else if (r->verdict == PST_CHANGED) {
		fprintf(f, " # CHANGED ");
		one_line(f, r->message);
	} else if (r->verdict == PST_ERROR) {
		fprintf(f, " # ERROR ");
		one_line(f, r->message);
	}
	fputc('\n', f);
	/* Diagnostics for a failure (what was expected and what happened), or a note. */
	if ((!ok || r->verdict == PST_PASS || r->verdict == PST_CHANGED) && r->message) {
		fprintf(f, "%s# %s: ", indent, pst_verdict_name(r->verdict));
		one_line(f, r->message);
		fputc('\n', f);
	}
	/* A failure that is a known bug says so: which commit fixed it, where. */
	if (r->known) {
		fprintf(f, "%s# ", indent);
		one_line(f, r->known);
		fputc('\n', f);
	}
}

int pst_ktap_write(FILE *f, const struct pst_run_info *info, const struct pst_result *res, size_t n)
{
	size_t nsuites = 0, suite_num = 0;
	int changes_fail = info && info->changes_fail;

	for (size_t i = 0; i < n; i++)
		if (i == 0 || !same_suite(&res[i], &res[i - 1]))
			nsuites++;
	fprintf(f, "KTAP version 1\n");
	if (info)
		fprintf(f,
			"# sctp_peeloff conformance: kernel %s, target %s, profile %s, libsctp %s, "
			"suite %s, %s\n",
			info->kernel, info->target, info->profile, info->libsctp,
			info->suite_version, info->timestamp);
	fprintf(f, "1..%zu\n", nsuites);
	for (size_t i = 0; i < n;) {
		size_t end = i, num = 0;
		bool suite_ok = true;

		while (end < n && same_suite(&res[end], &res[i]))
			end++;
		fprintf(f, "    KTAP version 1\n    # Subtest: %s\n    1..%zu\n", res[i].suite,
			end - i);
		for (size_t k = i; k < end; k++) {
			result_line(f, "    ", &res[k], ++num, changes_fail);
			suite_ok =
			    suite_ok && (res[k].accepted ||
					 !pst_verdict_fails_gate(res[k].verdict, changes_fail));
		}
		fprintf(f, "%s %zu %s\n", suite_ok ? "ok" : "not ok", ++suite_num, res[i].suite);
		i = end;
	}
	return ferror(f) ? -1 : 0;
}

int pst_ktap_write_file(const char *path, const struct pst_run_info *info,
			const struct pst_result *res, size_t n)
{
	char tmp[4200];
	FILE *f;
	int rc;

	snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid());
	f = fopen(tmp, "w");
	if (!f)
		return -1;
	rc = pst_ktap_write(f, info, res, n);
	if (fclose(f) != 0 || rc < 0 || rename(tmp, path) != 0) {
		unlink(tmp);
		return -1;
	}
	return 0;
}
