/* The citation forms and their check: see citations.h. */
#include "citations.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tsv.h"

#define COMMIT_MIN	12 /* hex digits: short ids of this length are unique in Linux's history */
#define COMMIT_MAX	40
#define CVE_YEAR_DIGITS 4
#define CVE_SEQ_MIN	4

#define RFC_URL		  "https://www.rfc-editor.org/rfc/rfc"
#define CVE_URL		  "https://www.cve.org/CVERecord?id="
#define COMMIT_URL	  "https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/commit/?id="
#define GITHUB_URL	  "https://github.com/"
#define KERNEL_SOURCE_URL "https://elixir.bootlin.com/linux/v"

/* The headings a man page citation may name. */
static const char *const man_headings[] = { "NAME",	    "SYNOPSIS",	     "DESCRIPTION",
					    "RETURN VALUE", "RETURN VALUES", "ERRORS",
					    "NOTES",	    "ATTRIBUTES",    "SEE ALSO" };

static const char *const kind_names[] = {
	[PST_CITE_REF] = "reference",
	[PST_CITE_RFC] = "rfc",
	[PST_CITE_MAN] = "man page",
	[PST_CITE_CVE] = "cve",
	[PST_CITE_COMMIT] = "commit",
	[PST_CITE_ISSUE] = "issue",
	[PST_CITE_KERNEL_FUNCTION] = "kernel function",
	[PST_CITE_FILE] = "project file",
};

const char *pst_cite_kind_name(enum pst_cite_kind k)
{
	return kind_names[k];
}

/* Length of the run of s whose characters pass ok. */
static size_t span(const char *s, int (*ok)(int))
{
	size_t n = 0;

	while (s[n] && ok((unsigned char)s[n]))
		n++;
	return n;
}

static int is_name_char(int c)
{
	return isalnum(c) || c == '_' || c == '.' || c == '-';
}

static int is_path_char(int c)
{
	return is_name_char(c) || c == '/';
}

static int is_ident_char(int c)
{
	return isalnum(c) || c == '_';
}

static int is_lower_hex(int c)
{
	return isdigit(c) || (c >= 'a' && c <= 'f');
}

/* digits(.digits)*, all of s; a version when at most three parts. */
static bool dotted(const char *s, unsigned max_parts)
{
	unsigned parts = 0;

	do {
		size_t n = span(s, isdigit);

		if (!n || ++parts > max_parts)
			return false;
		s += n;
	} while (*s == '.' && *++s);
	return !*s;
}

/* A relative path inside the project: no leading '/', no ".." part, no empty part. */
static bool inside_path(const char *s, size_t n)
{
	if (!n || s[0] == '/' || s[n - 1] == '/' || span(s, is_path_char) < n)
		return false;
	for (size_t i = 0; i < n;) {
		size_t part = strcspn(s + i, "/");

		if (part > n - i)
			part = n - i;
		if (!part || (part == 2 && strncmp(s + i, "..", 2) == 0))
			return false;
		i += part + 1;
	}
	return true;
}

#define FAIL(...) (snprintf(err, errlen, __VA_ARGS__), -1)

static int ref(const struct pst_refs *refs, const char *t, struct pst_cite *c, char *err,
	       size_t errlen)
{
	const struct pst_ref *q;
	char anchor[sizeof(q->id)];

	if (!pst_ref_id_valid(t))
		return FAIL("not a well-formed reference id (REF- and upper-case words joined by "
			    "hyphens)");
	q = pst_refs_find(refs, t);
	if (!q)
		return FAIL("no such reference in %s", refs->path);
	pst_ref_anchor(q->id, anchor, sizeof(anchor));
	c->kind = PST_CITE_REF;
	snprintf(c->title, sizeof(c->title), "%s", q->title);
	snprintf(c->link, sizeof(c->link), "%s#%s", PST_REFERENCES_NAME, anchor);
	return 0;
}

static int rfc(const char *t, struct pst_cite *c, char *err, size_t errlen)
{
	const char *num = t + strlen("RFC ");
	size_t n = span(num, isdigit);
	const char *sect = num + n;

	if (!n || (*sect && (*sect != ' ' || !dotted(sect + 1, ~0u))))
		return FAIL("an RFC is cited as \"RFC N\" or \"RFC N S\" (S: a section such as "
			    "9.2)");
	c->kind = PST_CITE_RFC;
	if (*sect) {
		snprintf(c->title, sizeof(c->title), "RFC %.*s, section %s", (int)n, num, sect + 1);
		snprintf(c->link, sizeof(c->link), RFC_URL "%.*s#section-%s", (int)n, num,
			 sect + 1);
	} else {
		snprintf(c->title, sizeof(c->title), "RFC %s", num);
		snprintf(c->link, sizeof(c->link), RFC_URL "%s", num);
	}
	return 0;
}

static int cve(const char *t, struct pst_cite *c, char *err, size_t errlen)
{
	const char *y = t + strlen("CVE-");
	size_t ny = span(y, isdigit),
	       ns = ny == CVE_YEAR_DIGITS && y[ny] == '-' ? span(y + ny + 1, isdigit) : 0;

	if (ny != CVE_YEAR_DIGITS || ns < CVE_SEQ_MIN || y[ny + 1 + ns])
		return FAIL("a CVE id is CVE-YYYY-NNNN (four or more digits)");
	c->kind = PST_CITE_CVE;
	snprintf(c->title, sizeof(c->title), "%s", t);
	snprintf(c->link, sizeof(c->link), CVE_URL "%s", t);
	return 0;
}

/* "Linux 6.1 net/sctp/socket.c:sctp_do_peeloff" */
static int kernel_function(const char *t, struct pst_cite *c, char *err, size_t errlen)
{
	const char *v = t + strlen("Linux ");
	size_t nv = strcspn(v, " ");
	const char *path = v + nv + (v[nv] == ' ');
	size_t np = strcspn(path, ":");
	const char *fn = path + np + (path[np] == ':');
	char version[32];

	snprintf(version, sizeof(version), "%.*s", (int)nv, v);
	if (nv >= sizeof(version) || !dotted(version, 3) || !strchr(version, '.') ||
	    !inside_path(path, np) || !path[np] || !*fn || isdigit((unsigned char)*fn) ||
	    span(fn, is_ident_char) != strlen(fn))
		return FAIL("a kernel function is cited as \"Linux VERSION PATH:FUNCTION\" (Linux "
			    "6.1 net/sctp/socket.c:sctp_do_peeloff)");
	c->kind = PST_CITE_KERNEL_FUNCTION;
	snprintf(c->title, sizeof(c->title), "%s() in %.*s of Linux %s", fn, (int)np, path,
		 version);
	snprintf(c->link, sizeof(c->link), KERNEL_SOURCE_URL "%s/source/%.*s", version, (int)np,
		 path);
	return 0;
}

/* "sctp_peeloff(3) ERRORS", "sctp_peeloff(3SOCKET)" */
static int man(const char *t, struct pst_cite *c, char *err, size_t errlen)
{
	size_t n = span(t, is_name_char);
	const char *sect = t + n + 1, *heading;
	size_t ns = isdigit((unsigned char)*sect) ? span(sect, isalnum) : 0;
	bool known = false;

	if (!n || t[n] != '(' || !ns || sect[ns] != ')' || (sect[ns + 1] && sect[ns + 1] != ' '))
		return FAIL("a man page is cited as \"NAME(SECTION)\", optionally followed by one "
			    "of its headings");
	heading = sect[ns + 1] ? sect + ns + 2 : NULL;
	for (size_t i = 0; heading && i < sizeof(man_headings) / sizeof(man_headings[0]); i++)
		known |= strcmp(heading, man_headings[i]) == 0;
	if (heading && !known)
		return FAIL("\"%s\" is not a man page heading (NAME, SYNOPSIS, DESCRIPTION, "
			    "RETURN VALUE(S), ERRORS, NOTES, ATTRIBUTES, SEE ALSO)",
			    heading);
	c->kind = PST_CITE_MAN;
	snprintf(c->title, sizeof(c->title), "man page %.*s%s%s", (int)(n + ns + 2), t,
		 heading ? ", " : "", heading ? heading : "");
	snprintf(c->link, sizeof(c->link), "%s#%s", PST_REFERENCES_NAME,
		 PST_REFERENCES_DOCUMENTS_ANCHOR);
	return 0;
}

/* "owner/repo#70" */
static int issue(const char *t, struct pst_cite *c, char *err, size_t errlen)
{
	size_t no = span(t, is_name_char);
	const char *repo = t + no + 1;
	size_t nr = t[no] == '/' ? span(repo, is_name_char) : 0;
	const char *num = repo + nr + 1;
	size_t nn = nr && repo[nr] == '#' ? span(num, isdigit) : 0;

	if (!no || !nn || num[nn])
		return FAIL("an issue or pull request is cited as OWNER/REPO#N "
			    "(sctp/lksctp-tools#70)");
	c->kind = PST_CITE_ISSUE;
	snprintf(c->title, sizeof(c->title), "GitHub %s", t);
	snprintf(c->link, sizeof(c->link), GITHUB_URL "%.*s/%.*s/issues/%s", (int)no, t, (int)nr,
		 repo, num);
	return 0;
}

static int commit(const char *t, struct pst_cite *c, char *err, size_t errlen)
{
	size_t n = strlen(t);

	if (n < COMMIT_MIN || n > COMMIT_MAX)
		return FAIL("a commit id has %d to %d hex digits", COMMIT_MIN, COMMIT_MAX);
	c->kind = PST_CITE_COMMIT;
	snprintf(c->title, sizeof(c->title), "Linux commit %s", t);
	snprintf(c->link, sizeof(c->link), COMMIT_URL "%s", t);
	return 0;
}

static int project_file(const char *t, struct pst_cite *c, char *err, size_t errlen)
{
	struct stat st;

	if (!inside_path(t, strlen(t)))
		return FAIL("a project file is a relative path inside the project, without \"..\"");
	if (stat(t, &st) < 0 || !S_ISREG(st.st_mode))
		return FAIL("no such file in the project");
	c->kind = PST_CITE_FILE;
	snprintf(c->title, sizeof(c->title), "%s of this project", t);
	return 0;
}

static bool starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

int pst_cite_resolve(const struct pst_refs *refs, const char *text, struct pst_cite *out, char *err,
		     size_t errlen)
{
	const char *t;

	memset(out, 0, sizeof(*out));
	t = out->text;
	if (strlen(text) >= sizeof(out->text))
		return FAIL("longer than %zu characters", sizeof(out->text) - 1);
	snprintf(out->text, sizeof(out->text), "%s", text);
	if (!*t)
		return FAIL("empty citation");
	if (starts(t, "REF-"))
		return ref(refs, t, out, err, errlen);
	if (starts(t, "RFC "))
		return rfc(t, out, err, errlen);
	if (starts(t, "CVE-"))
		return cve(t, out, err, errlen);
	if (starts(t, "Linux "))
		return kernel_function(t, out, err, errlen);
	if (t[span(t, is_name_char)] == '(')
		return man(t, out, err, errlen);
	if (strchr(t, '#') && !strchr(t, ' '))
		return issue(t, out, err, errlen);
	if (span(t, is_lower_hex) == strlen(t))
		return commit(t, out, err, errlen);
	if (span(t, is_path_char) == strlen(t))
		return project_file(t, out, err, errlen);
	return FAIL("unknown form (accepted: REF-ID, RFC N [S], NAME(SECTION) [HEADING], "
		    "CVE-YYYY-N, a commit id, OWNER/REPO#N, Linux VERSION PATH:FUNCTION, a "
		    "project file)");
}

size_t pst_cite_resolve_all(const struct pst_refs *refs, const char *field, struct pst_cite *out,
			    size_t max)
{
	char one[sizeof(out->text)], err[sizeof(out->title)];
	size_t n = 0;

	while (n < max && pst_cite_next(&field, one, sizeof(one))) {
		struct pst_cite *c = &out[n++];

		c->resolved = pst_cite_resolve(refs, one, c, err, sizeof(err)) == 0;
		if (!c->resolved) {
			snprintf(c->text, sizeof(c->text), "%s", one);
			snprintf(c->title, sizeof(c->title), "%s", err);
			c->link[0] = '\0';
		}
	}
	return n;
}

int pst_cite_next(const char **p, char *one, size_t len)
{
	const char *s = *p, *end;
	size_t n;

	if (!s)
		return 0;
	end = strchr(s, ';');
	n = end ? (size_t)(end - s) : strlen(s);
	*p = end ? end + 1 : NULL;
	while (n && isspace((unsigned char)*s))
		s++, n--;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	snprintf(one, len, "%.*s", (int)n, s);
	return 1;
}

/* The column'th tab-separated field of line (cut in place), or NULL. */
static char *field(char *line, unsigned column)
{
	char *f = line;

	for (unsigned i = 1; i < column && f; i++) {
		f = strchr(f, '\t');
		f = f ? f + 1 : NULL;
	}
	if (f)
		f[strcspn(f, "\t")] = '\0';
	return f;
}

int pst_cite_check_file(const struct pst_refs *refs, const char *path, unsigned column, FILE *out)
{
	FILE *f = fopen(path, "r");
	char line[4096];
	unsigned lineno = 0;
	int problems = 0;

	if (!f) {
		fprintf(out, "%s: %s\n", path, strerror(errno));
		return 1;
	}
	while (fgets(line, sizeof(line), f)) {
		const char *p;
		char one[512], err[512];
		struct pst_cite c;

		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		p = field(line, column);
		if (!p || !*p) {
			fprintf(out, "%s:%u: no citation (column %u)\n", path, lineno, column);
			problems++;
			continue;
		}
		while (pst_cite_next(&p, one, sizeof(one)))
			if (pst_cite_resolve(refs, one, &c, err, sizeof(err)) < 0) {
				fprintf(out, "%s:%u: citation \"%s\": %s\n", path, lineno, one,
					err);
				problems++;
			}
	}
	fclose(f);
	return problems;
}

int pst_cite_check_dir(const struct pst_refs *refs, const char *dir, unsigned column, FILE *out)
{
	struct dirent **names;
	int n = pst_tsv_scan(dir, &names), problems = 0;

	if (n < 0) {
		if (errno == ENOENT)
			return 0;
		fprintf(out, "%s: %s\n", dir, strerror(errno));
		return 1;
	}
	for (int i = 0; i < n; i++) {
		char path[4096];

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		problems += pst_cite_check_file(refs, path, column, out);
		free(names[i]);
	}
	free(names);
	return problems;
}
