/*
 * What the library under test provides: the calls the man page's SYNOPSIS
 * promises must be linkable from libsctp. The shared library's export is
 * checked here, once; the sctp_peeloff_flags variants of the other suites run
 * the static archive's code when the export is missing (iut.h).
 */
#include "../harness/runner/iut.h"
#include "suites.h"

static void exports_sctp_peeloff_flags(struct pst_ctx *ctx)
{
	if (ctx->profile != PST_PROFILE_LINUX)
		pst_skip("the %s profile documents no sctp_peeloff_flags",
			 pst_profile_name(ctx->profile));
	pst_check(ctx, "exports_sctp_peeloff_flags");
	PST_EXPECT(pst_iut.flags_exported,
		   "expected %s to export sctp_peeloff_flags (declared in <netinet/sctp.h>, "
		   "sctp_peeloff(3) SYNOPSIS), got no such dynamic symbol",
		   pst_iut.path);
}

static const struct pst_case cases[] = {
	{ .name = "libsctp_exports_sctp_peeloff_flags",
	  .fn = exports_sctp_peeloff_flags,
	  .reqs = "LNX-SYN-FLAGS",
	  .checks = "exports_sctp_peeloff_flags" },
};

PST_SUITE(pst_suite_libsctp, "libsctp", "Linux sctp_peeloff(3) SYNOPSIS", cases);
