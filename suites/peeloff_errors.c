/*
 * Documented errors, as a table: one row per condition, one verify function.
 * Linux sctp_peeloff(3) ERRORS; Solaris sctp_peeloff(3SOCKET) ERRORS.
 *
 * Every row also proves that nothing was lost: afterwards the socket under
 * test still carries its association both ways and the process has the same
 * open descriptors as before.
 */
#include <errno.h>
#include <unistd.h>

#include "../fixtures/assoc.h"
#include "../fixtures/descriptors.h"
#include "../fixtures/io.h"
#include "suites.h"

struct errno_row {
	pst_make_fd make_sd; /* NULL: the socket under test itself */
	sctp_assoc_t id;     /* PST_ID_VALID: the fixture's association */
	struct pst_errnos expected;
};

#define PST_ID_VALID (-12345) /* marker: use the real association id */

static void verify(struct pst_ctx *ctx)
{
	const struct errno_row *row = ctx->param;
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	int sd = row->make_sd ? row->make_sd() : fx->sut;
	sctp_assoc_t id = row->id == PST_ID_VALID ? fx->id[0] : row->id;
	int before = pst_count_fds();

	PST_EXPECT_ERRNO(pst_peel(ctx, sd, id), pst_expected_errno(ctx, row->expected));
	PST_EXPECT_EQ(pst_count_fds(), before, "open descriptors after the failed call");
	pst_expect_exchange(fx->sut, fx->id[0], fx->peer[0],
			    "the association on the original socket after the failed call");
	if (sd >= 0 && sd != fx->sut)
		close(sd);
}

/*
 * Per profile: Linux's page names EBADF and ENOTSOCK; Solaris's says
 * EOPNOTSUPP for any sock that is not a one-to-many SCTP socket, and nothing
 * for a descriptor that is not open; RFC 6458 names no errno at all.
 */
static const struct errno_row negative_fd = { pst_fd_negative,
					      PST_ID_VALID,
					      { EBADF, PST_ANY_ERRNO, PST_ANY_ERRNO } };
static const struct errno_row closed_fd = { pst_fd_closed,
					    PST_ID_VALID,
					    { EBADF, PST_ANY_ERRNO, PST_ANY_ERRNO } };
static const struct errno_row regular_file = { pst_fd_regular_file,
					       PST_ID_VALID,
					       { ENOTSOCK, EOPNOTSUPP, PST_ANY_ERRNO } };
static const struct errno_row pipe_fd = { pst_fd_pipe,
					  PST_ID_VALID,
					  { ENOTSOCK, EOPNOTSUPP, PST_ANY_ERRNO } };
static const struct errno_row assoc_id_0 = { NULL, 0, { EINVAL, EINVAL, PST_ANY_ERRNO } };

#define ROW(cname, row, creqs)                                                                    \
	{                                                                                         \
		.name = (cname), .fn = verify, .fixture = &pst_fx_assoc1, .axes = PST_AXIS_ENTRY, \
		.reqs = (creqs), .param = &(row)                                                  \
	}

static const struct pst_case cases[] = {
	ROW("peeloff_negative_fd_gives_EBADF", negative_fd,
	    "LNX-ERR-EBADF LNX-RET-ERR SOL-RET-ERR RFC-9.2-RET"),
	ROW("peeloff_closed_fd_gives_EBADF", closed_fd, "LNX-ERR-EBADF LNX-RET-ERR"),
	ROW("peeloff_regular_file_gives_ENOTSOCK", regular_file,
	    "LNX-ERR-ENOTSOCK SOL-ERR-EOPNOTSUPP"),
	ROW("peeloff_pipe_gives_ENOTSOCK", pipe_fd, "LNX-ERR-ENOTSOCK SOL-ERR-EOPNOTSUPP"),
	ROW("peeloff_assoc_id_0_gives_EINVAL", assoc_id_0,
	    "LNX-ERR-EINVAL-ID SOL-ERR-EINVAL-ID LNX-RET-ERR"),
};

PST_SUITE(pst_suite_errors, "peeloff_errors", "Linux sctp_peeloff(3) ERRORS; Solaris ERRORS",
	  cases);
