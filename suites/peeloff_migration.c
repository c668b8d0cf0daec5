/* What moves with the association: RFC 6458 3.1, 3.1.5; Linux implementation. (Being written.) */
#include "suites.h"

static void not_written_yet(struct pst_ctx *ctx)
{
	(void)ctx;
	pst_skip("this suite is being written");
}

static const struct pst_case cases[] = {
	{ .name = "peeloff_migration_not_written_yet",
	  .fn = not_written_yet,
	  .reqs = "RFC-9.2-BRANCH" },
};

PST_SUITE(pst_suite_migration, "peeloff_migration",
	  "What moves with the association: RFC 6458 3.1, 3.1.5; Linux implementation", cases);
