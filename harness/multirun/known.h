/*
 * The known-bugs catalogue (suites/known-bugs.tsv): for a case's tags, the fix
 * of a known kernel bug they name, so that every report of a failing case (and
 * a row that differs between kernels) can say "known bug, fixed by ...".
 */
#ifndef PST_KNOWN_H
#define PST_KNOWN_H

#include <stddef.h>

struct pst_known_bug {
	char *tag;	/* "linux-git:8467dda0c265" */
	char *cve;	/* "CVE-2017-15115", or "-" */
	char *subject;	/* the fixing commit's subject */
	char *what;	/* what the bug does */
	char *fixed_in; /* the releases that carry the fix ("v5.18, 5.10.112"), or "" (unknown) */
	char *note;	/* "known bug, fixed by TAG (SUBJECT; in RELEASES)": what the reports say */
};

struct pst_known {
	struct pst_known_bug *bugs;
	size_t n;
};

/* Load path. 0, or -1 with one message in err (unreadable file, malformed line and its number). */
int pst_known_load(const char *path, struct pst_known *k, char *err, size_t errlen);
/* Parse the file's text (the unit tests' way in); text is changed. Same errors. */
int pst_known_parse(char *text, struct pst_known *k, char *err, size_t errlen);
/* The first known bug among the space-separated tags, or NULL. */
const struct pst_known_bug *pst_known_find(const struct pst_known *k, const char *tags);
/*
 * What the reports add to a case of this verdict (enum pst_verdict) and tags: the
 * note of the known bug its tags name when it fails (FAIL) or its reference
 * behaviour changed (CHANGED), else NULL. k may be NULL (no catalogue).
 */
const char *pst_known_annotation(const struct pst_known *k, int verdict, const char *tags);
void pst_known_free(struct pst_known *k);

#endif
