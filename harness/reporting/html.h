/*
 * reports/index.html: one self-contained page (opens from disk, no server, no
 * script; inline CSS and SVG) for auditors and people, readable at 1,400 px
 * wide without scrolling sideways. On top the run's verdict, the one its exit
 * status and the terminal's summary give (info->tally); then what failed
 * (failures and errors first, then CHANGED and BROKEN, then the failures a gate
 * accepted), each with its message, known bug, detail and log; each suite's
 * verdicts as a bar and its time; the run's environment; the verdict per
 * requirement with the cases that name it; every case with its time. A case
 * links to its requirements and a requirement to its cases; tags link to the
 * commit or the CVE record. tests/html_check.sh renders it in a browser.
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
