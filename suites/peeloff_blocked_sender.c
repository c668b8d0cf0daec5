/* A sender blocked on the association (CVE-2017-5986, CVE-2017-6353, CVE-2018-25015). (Being
 * written.) */
#include "suites.h"

static void not_written_yet(struct pst_ctx *ctx)
{
	(void)ctx;
	pst_skip("this suite is being written");
}

static const struct pst_case cases[] = {
	{ .name = "peeloff_blocked_sender_not_written_yet",
	  .fn = not_written_yet,
	  .reqs = "RFC-9.2-BRANCH" },
};

PST_SUITE(pst_suite_blocked_sender, "peeloff_blocked_sender",
	  "A sender blocked on the association (CVE-2017-5986, CVE-2017-6353, CVE-2018-25015)",
	  cases);
