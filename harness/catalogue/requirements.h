/*
 * The requirements catalogue (the .tsv files in suites/requirements/): one row per
 * documented promise, with the profiles it belongs to. Every case names the
 * ids it checks; a requirement no case names is uncovered.
 *
 * Row format, tab separated, '#' starts a comment:
 *   id  profiles(comma separated)  source  sentence
 * where source is a citation field (citations.h): what promises the sentence.
 */
#ifndef PST_REQUIREMENTS_H
#define PST_REQUIREMENTS_H

#include <stdbool.h>
#include <stddef.h>

struct pst_req {
	char id[48];
	char profiles[64];
	char source[160];
	char sentence[512];
};

struct pst_reqs {
	struct pst_req *v;
	size_t n;
};

/* Load every *.tsv of dir, in name order. 0, or -1 with the reason in err. */
int pst_reqs_load_dir(const char *dir, struct pst_reqs *r, char *err, size_t errlen);
const struct pst_req *pst_reqs_find(const struct pst_reqs *r, const char *id);
bool pst_req_in_profile(const struct pst_req *q, const char *profile);
/* Does the space-separated id list name id? */
bool pst_reqs_list_has(const char *list, const char *id);
void pst_reqs_free(struct pst_reqs *r);

#endif
