/*
 * The implementation under test: libsctp opened at run time, the static archive's
 * code beside it, and the raw getsockopt path.
 */
#include "iut.h"

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "case.h"

enum { PST_SKIP_REASON_MAX = 512 };

#define PST_DEFAULT_LIBSCTP "libsctp.so.1"

struct pst_iut pst_iut;

static void describe(const char *path, void *lib)
{
	char dir[PATH_MAX];

	snprintf(pst_iut.path, sizeof(pst_iut.path), "%s", path);
	/* The soname hides the version; the file it resolves to shows it. */
	if (dlinfo(lib, RTLD_DI_ORIGIN, dir) == 0) {
		const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
		int n = snprintf(pst_iut.path, sizeof(pst_iut.path), "%.2000s/%.2000s", dir, name);

		char real[PATH_MAX];

		if (n > 0 && realpath(pst_iut.path, real)) {
			const char *base = strrchr(real, '/') ? strrchr(real, '/') + 1 : real;
			snprintf(pst_iut.version, sizeof(pst_iut.version), "%.63s", base);
		}
	}
}

/* The static archive's code (see iut.h): opened apart, so it interposes nothing. */
static int load_archive(const char *archive, char *err, size_t errlen)
{
	void *h = dlopen(archive, RTLD_NOW | RTLD_LOCAL);
	const char *origin;
	char real[PATH_MAX];

	if (!h) {
		snprintf(err, errlen, "cannot load the static archive's code '%s': %s", archive,
			 dlerror());
		return -1;
	}
	snprintf(pst_iut.archive, sizeof(pst_iut.archive), "%s",
		 realpath(archive, real) ? real : archive);
	origin = dlsym(h, "pst_libsctp_archive_origin");
	snprintf(pst_iut.archive_origin, sizeof(pst_iut.archive_origin), "%s",
		 origin ? origin
			: "unknown origin (not made by harness/runner/libsctp-archive.sh)");
	if (!pst_iut.peeloff_flags) {
		*(void **)&pst_iut.peeloff_flags = dlsym(h, "sctp_peeloff_flags");
		if (pst_iut.peeloff_flags)
			snprintf(pst_iut.flags_source, sizeof(pst_iut.flags_source),
				 "the static archive: %s, linked into %s", pst_iut.archive_origin,
				 pst_iut.archive);
	}
	return 0;
}

int pst_iut_load(const char *path, const char *archive, char *err, size_t errlen)
{
	void *lib;

	memset(&pst_iut, 0, sizeof(pst_iut));
	if (!archive && (!path || !*path) && access(PST_DEFAULT_LIBSCTP_ARCHIVE, R_OK) == 0)
		archive = PST_DEFAULT_LIBSCTP_ARCHIVE;
	if (!path || !*path)
		path = PST_DEFAULT_LIBSCTP;
	/* RTLD_GLOBAL: the library joins the global scope that calls resolve through. */
	lib = dlopen(path, RTLD_NOW | RTLD_GLOBAL);
	if (!lib) {
		snprintf(err, errlen, "cannot load libsctp '%s': %s", path, dlerror());
		return -1;
	}
	describe(path, lib);
	if (!dlsym(lib, "sctp_peeloff")) {
		snprintf(err, errlen, "%s does not export sctp_peeloff", pst_iut.path);
		return -1;
	}
	/* Resolve in the global scope, so an LD_PRELOAD shim comes first. */
	*(void **)&pst_iut.peeloff = dlsym(RTLD_DEFAULT, "sctp_peeloff");
	/* Debian's libsctp.so.1 declares but does not export it: a finding, not a load error. */
	pst_iut.flags_exported = dlsym(lib, "sctp_peeloff_flags") != NULL;
	snprintf(pst_iut.flags_source, sizeof(pst_iut.flags_source), "none");
	if (pst_iut.flags_exported) {
		*(void **)&pst_iut.peeloff_flags = dlsym(RTLD_DEFAULT, "sctp_peeloff_flags");
		snprintf(pst_iut.flags_source, sizeof(pst_iut.flags_source),
			 "the shared library: %s exports it", pst_iut.path);
	}
	return archive && *archive ? load_archive(archive, err, errlen) : 0;
}

int pst_raw_peeloff(int sd, sctp_assoc_t id)
{
	sctp_peeloff_arg_t arg = { .associd = id, .sd = 0 };
	socklen_t len = sizeof(arg);

	if (getsockopt(sd, SOL_SCTP, SCTP_SOCKOPT_PEELOFF, &arg, &len) < 0)
		return -1;
	return arg.sd;
}

int pst_raw_peeloff_flags(int sd, sctp_assoc_t id, unsigned flags)
{
	sctp_peeloff_flags_arg_t arg = { .p_arg = { .associd = id, .sd = 0 }, .flags = flags };
	socklen_t len = sizeof(arg);

	if (getsockopt(sd, SOL_SCTP, SCTP_SOCKOPT_PEELOFF_FLAGS, &arg, &len) < 0)
		return -1;
	return arg.p_arg.sd;
}

const char *pst_entry_name(enum pst_entry e)
{
	static const char *const names[PST_ENTRY_COUNT] = {
		[PST_ENTRY_PEELOFF] = "sctp_peeloff",
		[PST_ENTRY_PEELOFF_FLAGS] = "sctp_peeloff_flags",
		[PST_ENTRY_RAW] = "raw_PEELOFF",
		[PST_ENTRY_RAW_FLAGS] = "raw_PEELOFF_FLAGS",
	};
	return (unsigned)e < PST_ENTRY_COUNT ? names[e] : "?";
}

const char *pst_entry_unavailable(enum pst_profile profile, enum pst_entry e, char *buf, size_t len)
{
	/* The other profiles' documents know sctp_peeloff() only: no flags, no getsockopt. */
	if (profile != PST_PROFILE_LINUX && e != PST_ENTRY_PEELOFF)
		snprintf(buf, len, "%s: the %s profile documents sctp_peeloff() only",
			 pst_entry_name(e), pst_profile_name(profile));
	else if (e == PST_ENTRY_PEELOFF_FLAGS && !pst_iut.peeloff_flags)
		snprintf(buf, len,
			 "%s does not export sctp_peeloff_flags (see case "
			 "libsctp_exports_sctp_peeloff_flags)%s%s%s; the raw_PEELOFF_FLAGS "
			 "variant checks the kernel",
			 pst_iut.version[0] ? pst_iut.version : pst_iut.path,
			 pst_iut.archive[0] ? ", nor does the static archive's code in " : "",
			 pst_iut.archive[0] ? pst_iut.archive : "",
			 pst_iut.archive[0] ? ""
					    : ", and no static archive's code was given "
					      "(--libsctp-archive)");
	else
		return NULL;
	return buf;
}

int pst_peel_flags(const struct pst_ctx *ctx, int sd, sctp_assoc_t id, unsigned flags)
{
	char why[PST_SKIP_REASON_MAX];

	if (pst_entry_unavailable(ctx->profile, ctx->entry, why, sizeof(why)))
		pst_skip("%s", why);
	switch (ctx->entry) {
	case PST_ENTRY_PEELOFF:
		return pst_iut.peeloff(sd, id);
	case PST_ENTRY_PEELOFF_FLAGS: {
		/* Which code this is, once in the case's log (its threads may peel too). */
		static atomic_flag said = ATOMIC_FLAG_INIT;

		if (!atomic_flag_test_and_set(&said))
			pst_log("sctp_peeloff_flags from %s", pst_iut.flags_source);
		return pst_iut.peeloff_flags(sd, id, flags);
	}
	case PST_ENTRY_RAW:
		return pst_raw_peeloff(sd, id);
	case PST_ENTRY_RAW_FLAGS:
		return pst_raw_peeloff_flags(sd, id, flags);
	default:
		pst_broken("unknown entry point %d", (int)ctx->entry);
	}
}

int pst_peel(const struct pst_ctx *ctx, int sd, sctp_assoc_t id)
{
	return pst_peel_flags(ctx, sd, id, 0);
}
