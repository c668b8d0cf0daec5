/* The kernel coverage table in the JUnit and HTML reports: see kcov_reports.h. */
#include "kcov_reports.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define JUNIT_MARK "\"kernel_coverage."
#define HTML_MARK  "id=\"kernel-coverage\""
#define SUITE_OPEN "<testsuite " /* not <testsuites: the next character differs */
#define PROPS_OPEN "    <properties>\n"
#define PROPS_END  "    </properties>\n"
#define BODY_END   "</body>"

static void put_properties(FILE *f, const struct pst_kcov_table *t)
{
	for (size_t i = 0; i < t->n; i++) {
		const struct pst_kcov_row *r = &t->row[i];

		fprintf(f,
			"      <property name=\"kernel_coverage.%s.lines\" value=\"%lu/%lu\"/>\n",
			r->name, r->lines_hit, r->lines_total);
		fprintf(
		    f, "      <property name=\"kernel_coverage.%s.branches\" value=\"%lu/%lu\"/>\n",
		    r->name, r->branches_hit, r->branches_total);
	}
}

/* The stream's buffer, or NULL (freed) when writing to it failed. */
static char *finish(FILE *f, char **buf, char *err, size_t errlen)
{
	int bad = ferror(f);

	if (fclose(f) != 0 || bad) {
		free(*buf);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	return *buf;
}

char *pst_kcov_junit(const char *doc, const struct pst_kcov_table *t, char *err, size_t errlen)
{
	char *buf = NULL;
	size_t len = 0;
	const char *p = doc, *s;
	int suites = 0;
	FILE *f;

	if (strstr(doc, JUNIT_MARK)) {
		snprintf(err, errlen, "already has kernel_coverage properties");
		return NULL;
	}
	f = open_memstream(&buf, &len);
	if (!f) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	while ((s = strstr(p, SUITE_OPEN))) {
		/* The opening tag's line: attribute values are escaped, so no '>' inside. */
		const char *eol = strstr(s, ">\n");

		if (!eol)
			break;
		eol += 2;
		fwrite(p, 1, (size_t)(eol - p), f);
		if (strncmp(eol, PROPS_OPEN, strlen(PROPS_OPEN)) == 0 && strstr(eol, PROPS_END)) {
			const char *end = strstr(eol, PROPS_END);

			fwrite(eol, 1, (size_t)(end - eol), f);
			put_properties(f, t);
			p = end;
		} else {
			fputs(PROPS_OPEN, f);
			put_properties(f, t);
			fputs(PROPS_END, f);
			p = eol;
		}
		suites++;
	}
	fputs(p, f);
	if (!finish(f, &buf, err, errlen))
		return NULL;
	if (suites == 0) {
		free(buf);
		snprintf(err, errlen, "no <testsuite> element");
		return NULL;
	}
	return buf;
}

static double pct(unsigned long hit, unsigned long total)
{
	return total ? 100.0 * (double)hit / (double)total : 100.0;
}

char *pst_kcov_html(const char *doc, const struct pst_kcov_table *t, char *err, size_t errlen)
{
	const char *end = strstr(doc, BODY_END);
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	if (strstr(doc, HTML_MARK)) {
		snprintf(err, errlen, "already has a kernel coverage section");
		return NULL;
	}
	if (!end) {
		snprintf(err, errlen, "no </body>");
		return NULL;
	}
	f = open_memstream(&buf, &len);
	if (!f) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	fwrite(doc, 1, (size_t)(end - doc), f);
	fputs("<h2 " HTML_MARK ">Kernel coverage of the peeloff code</h2>\n"
	      "<p>net/sctp/socket.c under this run (gcov UML kernel); every line or branch not "
	      "reached, with its reason: <a href=\"kernel-coverage-functions.md\">"
	      "kernel-coverage-functions.md</a>; all of net/sctp: "
	      "<a href=\"kernel-coverage/index.html\">kernel-coverage/</a></p>\n"
	      "<table><tr><th>function</th><th>lines</th><th>lines hit/total</th><th>branches</th>"
	      "<th>branches hit/total</th><th>calls</th></tr>\n",
	      f);
	for (size_t i = 0; i < t->n; i++) {
		const struct pst_kcov_row *r = &t->row[i];

		fprintf(f,
			"<tr><td><code>%s</code> (%lu-%lu)</td><td>%.1f %%</td><td>%lu/%lu</td>"
			"<td>%.1f %%</td><td>%lu/%lu</td><td>%lu</td></tr>\n",
			r->name, r->first_line, r->last_line, pct(r->lines_hit, r->lines_total),
			r->lines_hit, r->lines_total, pct(r->branches_hit, r->branches_total),
			r->branches_hit, r->branches_total, r->calls);
	}
	fputs("</table>\n", f);
	fputs(end, f);
	return finish(f, &buf, err, errlen);
}

/* The whole file, NUL terminated, malloc'd; NULL on error. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0;
	FILE *m;
	char chunk[BUFSIZ];
	size_t got;
	int bad;

	if (!f)
		return NULL;
	m = open_memstream(&buf, &len);
	if (!m) {
		fclose(f);
		return NULL;
	}
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
		fwrite(chunk, 1, got, m);
	bad = ferror(f) | ferror(m);
	fclose(f);
	if (fclose(m) != 0 || bad) {
		free(buf);
		return NULL;
	}
	return buf;
}

int pst_kcov_rewrite(const char *path, const struct pst_kcov_table *t,
		     char *(*annotate)(const char *, const struct pst_kcov_table *, char *, size_t),
		     char *err, size_t errlen)
{
	char tmp[4200];
	char *doc = slurp(path), *out;
	FILE *f;
	int bad;

	if (!doc) {
		snprintf(err, errlen, "%s: cannot read it", path);
		return -1;
	}
	out = annotate(doc, t, err, errlen);
	free(doc);
	if (!out)
		return -1;
	snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid());
	f = fopen(tmp, "w");
	if (!f) {
		free(out);
		snprintf(err, errlen, "%s: cannot write it", tmp);
		return -1;
	}
	fputs(out, f);
	free(out);
	bad = ferror(f);
	if (fclose(f) != 0 || bad || rename(tmp, path) != 0) {
		unlink(tmp);
		snprintf(err, errlen, "%s: cannot write it", path);
		return -1;
	}
	return 0;
}
