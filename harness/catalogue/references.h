/*
 * The project's reference document, suites/requirements/REFERENCES.md: what the
 * catalogue, the waiver lists and the expected-difference lists cite by id when
 * no public document says it (what Linux was seen to do, how it does it, the bugs
 * it had). Each reference is a level-3 heading holding only its id, and the next
 * non-blank line its title in bold:
 *
 *   ### REF-EMFILE
 *   **EMFILE after the association has moved: the association is shut down**
 *
 * An id is "REF-" and upper-case letters and digits in hyphen-separated words.
 */
#ifndef PST_REFERENCES_H
#define PST_REFERENCES_H

#include <stdbool.h>
#include <stddef.h>

struct pst_ref {
	char id[48];
	char title[160];
	unsigned line; /* of its heading */
};

struct pst_refs {
	struct pst_ref *v;
	size_t n;
	char path[256]; /* the document read */
};

/* Load the document at path. 0, or -1 with "path:line: why" in err (nothing left allocated). */
int pst_refs_load(const char *path, struct pst_refs *r, char *err, size_t errlen);
const struct pst_ref *pst_refs_find(const struct pst_refs *r, const char *id);
/* Is s, all of it, shaped like a reference id (defined or not)? */
bool pst_ref_id_valid(const char *s);
/* The id's anchor in the document as Markdown renderers make it: lower case. */
void pst_ref_anchor(const char *id, char *out, size_t outlen);
void pst_refs_free(struct pst_refs *r);

#endif
