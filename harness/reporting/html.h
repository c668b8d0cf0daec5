/*
 * reports/index.html: one self-contained page (opens from disk, no server)
 * for auditors and people: the run's kernel, target and profile; the verdict
 * per requirement; failing cases first, with their logs; links to the JUnit,
 * KTAP, matrix and coverage reports.
 */
#ifndef PST_HTML_H
#define PST_HTML_H

#include "citations.h"
#include "registry.h"
#include "requirements.h"
#include "result.h"

/*
 * res[i] is inst[i]'s result; each requirement's source citations are resolved
 * against refs. Written atomically to dir/index.html. 0 or -1.
 */
int pst_html_write(const char *dir, const struct pst_run_info *info, const struct pst_reqs *reqs,
		   const struct pst_refs *refs, const struct pst_instance *inst,
		   const struct pst_result *res, int n, const struct pst_instance *all, int nall);

#endif
