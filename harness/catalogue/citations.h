/*
 * Citations: where a requirement's source, a waiver's reference or an
 * expected difference's documentation points. A citation field is one or more
 * citations separated by ';'. Each one, blanks around it dropped, must be
 * exactly one of these forms (REFERENCES.md says the same for people):
 *
 *   REF-EMFILE                             an id of the reference document
 *   RFC 6458  /  RFC 6458 9.2              an RFC, optionally a section
 *   sctp_peeloff(3) ERRORS                 a man page and its section number,
 *   sctp_peeloff(3SOCKET)                  optionally one of its headings
 *   CVE-2017-15115                         a CVE id
 *   df80cd9b28b9                           a Linux (mainline) commit, 12 to 40 hex digits
 *   sctp/lksctp-tools#70                   a GitHub issue or pull request
 *   Linux 6.1 net/sctp/socket.c:sctp_do_peeloff   a kernel function in a named release
 *   kernel/mutants/03-sock-nonblock-ignored.patch a file of this project (relative
 *                                          to its top, no "..", must exist)
 *
 * Anything else is refused as an unknown form, an undefined id or a missing file.
 */
#ifndef PST_CITATIONS_H
#define PST_CITATIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "references.h"

enum pst_cite_kind {
	PST_CITE_REF,
	PST_CITE_RFC,
	PST_CITE_MAN,
	PST_CITE_CVE,
	PST_CITE_COMMIT,
	PST_CITE_ISSUE,
	PST_CITE_KERNEL_FUNCTION,
	PST_CITE_FILE,
};

struct pst_cite {
	enum pst_cite_kind kind;
	bool resolved;	 /* false: title holds why not */
	char text[160];	 /* as written */
	char title[256]; /* what it names, for people */
	char link[256];	 /* reports/REFERENCES.md#anchor or a public URL; "" when none */
};

/* The most citations a field may hold in the reports (a requirement's source is 160 bytes). */
#define PST_CITES_MAX 16

/* The kind's name in the reports: "reference", "rfc", "man page"... */
const char *pst_cite_kind_name(enum pst_cite_kind k);

/* The reference document's name beside the reports, which REF- links point into. */
#define PST_REFERENCES_NAME "REFERENCES.md"
/* Its section on the public documents (the man pages' editions), which man page links point into.
 */
#define PST_REFERENCES_DOCUMENTS_HEADING "## The documents and the kernels"
#define PST_REFERENCES_DOCUMENTS_ANCHOR	 "the-documents-and-the-kernels"

/* Resolve one citation (no ';'). 0, or -1 with why in err. */
int pst_cite_resolve(const struct pst_refs *refs, const char *text, struct pst_cite *out, char *err,
		     size_t errlen);

/*
 * Resolve every citation of a field into out[0..max): the count. One that does
 * not resolve is kept, with resolved false and the reason as its title.
 */
size_t pst_cite_resolve_all(const struct pst_refs *refs, const char *field, struct pst_cite *out,
			    size_t max);

/*
 * Split the next citation off *p (a field), blanks trimmed, into one. 1 while there
 * is one (possibly empty: "a;;b"), 0 at the end of the field.
 */
int pst_cite_next(const char **p, char *one, size_t len);

/*
 * Check every citation of column (1-based) of each non-comment line of the
 * tab-separated file: each problem goes to out as
 *   path:line: citation "TEXT": why
 * Returns the number of problems (an unreadable file is one).
 */
int pst_cite_check_file(const struct pst_refs *refs, const char *path, unsigned column, FILE *out);
/* The same over every *.tsv of dir, in name order (a missing dir: none). */
int pst_cite_check_dir(const struct pst_refs *refs, const char *dir, unsigned column, FILE *out);

#endif
