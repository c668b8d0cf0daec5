/* Multihoming on the peeled socket. (Being written.) */
#include "suites.h"

static void not_written_yet(struct pst_ctx *ctx)
{
	(void)ctx;
	pst_skip("this suite is being written");
}

static const struct pst_case cases[] = {
	{ .name = "peeloff_multihoming_not_written_yet",
	  .fn = not_written_yet,
	  .reqs = "RFC-9.2-BRANCH" },
};

PST_SUITE(pst_suite_multihoming, "peeloff_multihoming", "Multihoming on the peeled socket", cases);
