/* Association ids: Linux EINVAL, Solaris EINVAL, RFC 6458 9.2. (Being written.) */
#include "suites.h"

static void not_written_yet(struct pst_ctx *ctx)
{
	(void)ctx;
	pst_skip("this suite is being written");
}

static const struct pst_case cases[] = {
	{ .name = "peeloff_assoc_ids_not_written_yet",
	  .fn = not_written_yet,
	  .reqs = "RFC-9.2-BRANCH" },
};

PST_SUITE(pst_suite_assoc_ids, "peeloff_assoc_ids",
	  "Association ids: Linux EINVAL, Solaris EINVAL, RFC 6458 9.2", cases);
