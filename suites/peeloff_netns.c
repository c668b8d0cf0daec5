/* Network namespaces (CVE-2017-15115). (Being written.) */
#include "suites.h"

static void not_written_yet(struct pst_ctx *ctx)
{
	(void)ctx;
	pst_skip("this suite is being written");
}

static const struct pst_case cases[] = {
	{ .name = "peeloff_netns_not_written_yet",
	  .fn = not_written_yet,
	  .reqs = "RFC-9.2-BRANCH" },
};

PST_SUITE(pst_suite_netns, "peeloff_netns", "Network namespaces (CVE-2017-15115)", cases);
