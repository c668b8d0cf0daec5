/* What every report writer needs: JSON strings, Markdown cells, files written atomically. */
#ifndef PST_TEXTOUT_H
#define PST_TEXTOUT_H

#include <stddef.h>
#include <stdio.h>

/* s as a JSON string literal, quotes included (NULL: ""). */
void pst_json_str(FILE *f, const char *s);
/* s as HTML text or an attribute value (<, >, &, " escaped; other control characters dropped). */
void pst_html_str(FILE *f, const char *s);
/* Where a tag links: a Linux commit (its id appended), a CVE record (the CVE's id appended). */
#define PST_LINUX_GIT_URL "https://git.kernel.org/linus/"
#define PST_CVE_URL	  "https://www.cve.org/CVERecord?id="
/*
 * s as HTML text, every tag in it linked: "linux-git:ID" to the commit,
 * "CVE-YEAR-N" to the CVE record (tags, the known-bug note).
 */
void pst_html_linked(FILE *f, const char *s);
/* s as one Markdown table cell: no pipes, no line breaks. */
void pst_md_cell(FILE *f, const char *s);
/* Open "<path>.tmp.<pid>" (its name into tmp) for writing; NULL (errno) on failure. */
FILE *pst_open_tmp(const char *path, char *tmp, size_t len);
/* Close f and rename tmp to path; on any error remove tmp. 0 or -1. */
int pst_finish_tmp(FILE *f, const char *tmp, const char *path);

/* Copy the file src to dst, atomically. 0, or -1 (errno). */
int pst_copy_file(const char *src, const char *dst);

#endif
