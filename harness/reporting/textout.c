/* Shared report-writing helpers: see textout.h. */
#include "textout.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

void pst_json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void html_char(FILE *f, char c)
{
	switch (c) {
	case '<':
		fputs("&lt;", f);
		break;
	case '>':
		fputs("&gt;", f);
		break;
	case '&':
		fputs("&amp;", f);
		break;
	case '"':
		fputs("&quot;", f);
		break;
	default:
		if ((unsigned char)c >= 0x20 || c == '\n' || c == '\t')
			fputc(c, f);
	}
}

void pst_html_str(FILE *f, const char *s)
{
	for (; s && *s; s++)
		html_char(f, *s);
}

static size_t digits(const char *s)
{
	size_t n = 0;

	while (isdigit((unsigned char)s[n]))
		n++;
	return n;
}

/*
 * The length of a tag at s that links (0: none), with its link's base and the
 * part of it the link names: "linux-git:<hex>" (a commit id: at least 7 hex
 * digits, git's shortest) and "CVE-<year>-<number>".
 */
static size_t linkable(const char *s, const char **base, const char **id)
{
	static const char git[] = "linux-git:", cve[] = "CVE-";
	enum { GIT_LEN = sizeof(git) - 1, CVE_LEN = sizeof(cve) - 1, SHORTEST_ID = 7 };
	size_t n, m;

	if (strncmp(s, git, GIT_LEN) == 0) {
		n = strspn(s + GIT_LEN, "0123456789abcdefABCDEF");
		*base = PST_LINUX_GIT_URL;
		*id = s + GIT_LEN;
		return n >= SHORTEST_ID ? GIT_LEN + n : 0;
	}
	if (strncmp(s, cve, CVE_LEN) != 0 || !(n = digits(s + CVE_LEN)) || s[CVE_LEN + n] != '-' ||
	    !(m = digits(s + CVE_LEN + n + 1)))
		return 0;
	*base = PST_CVE_URL;
	*id = s;
	return CVE_LEN + n + 1 + m;
}

void pst_html_linked(FILE *f, const char *s)
{
	for (const char *p = s; p && *p;) {
		const char *base, *id;
		/* a tag starts a word: "xCVE-1-2" is no CVE */
		size_t n = p == s || !isalnum((unsigned char)p[-1]) ? linkable(p, &base, &id) : 0;

		if (!n) {
			html_char(f, *p++);
			continue;
		}
		/* (a tag is letters, digits, '-' and ':' only: nothing to escape) */
		fprintf(f, "<a href=\"%s%.*s\">%.*s</a>", base, (int)(p + n - id), id, (int)n, p);
		p += n;
	}
}

void pst_md_cell(FILE *f, const char *s)
{
	for (; s && *s; s++)
		fputc(*s == '|' ? '/' : *s == '\n' ? ' ' : *s, f);
}

FILE *pst_open_tmp(const char *path, char *tmp, size_t len)
{
	snprintf(tmp, len, "%s.tmp.%d", path, (int)getpid());
	return fopen(tmp, "w");
}

int pst_finish_tmp(FILE *f, const char *tmp, const char *path)
{
	int bad = ferror(f);

	if (fclose(f) != 0 || bad || rename(tmp, path) != 0) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

int pst_copy_file(const char *src, const char *dst)
{
	char tmp[4200], buf[8192];
	FILE *in = fopen(src, "r"), *out;
	size_t n;
	int err;

	if (!in)
		return -1;
	out = pst_open_tmp(dst, tmp, sizeof(tmp));
	if (!out) {
		err = errno;
		fclose(in);
		errno = err;
		return -1;
	}
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			break;
	err = ferror(in);
	fclose(in);
	if (err) {
		fclose(out);
		unlink(tmp);
		return -1;
	}
	return pst_finish_tmp(out, tmp, dst);
}
