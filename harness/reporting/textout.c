/* Shared report-writing helpers: see textout.h. */
#include "textout.h"

#include <errno.h>
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

void pst_html_str(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
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
			if ((unsigned char)*s >= 0x20 || *s == '\n' || *s == '\t')
				fputc(*s, f);
		}
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
