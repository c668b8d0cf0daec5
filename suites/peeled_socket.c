/* The peeled socket is one-to-one: RFC 6458 9.2, 8, 8.1.8; both man pages. (Being written.) */
#include "suites.h"

static void not_written_yet(struct pst_ctx *ctx)
{
	(void)ctx;
	pst_skip("this suite is being written");
}

static const struct pst_case cases[] = {
	{ .name = "peeled_socket_not_written_yet",
	  .fn = not_written_yet,
	  .reqs = "RFC-9.2-BRANCH" },
};

PST_SUITE(pst_suite_peeled, "peeled_socket",
	  "The peeled socket is one-to-one: RFC 6458 9.2, 8, 8.1.8; both man pages", cases);
