/*
 * The kernel's raw interface: getsockopt(sd, SOL_SCTP, SCTP_SOCKOPT_PEELOFF or
 * SCTP_SOCKOPT_PEELOFF_FLAGS, arg, &optlen), called directly, for what libsctp
 * hides: the return value, the optlen write-back, the argument checks, and what
 * a fault while copying the result out does to the association.
 * REF-CALL-PATH and "The raw getsockopt interface" in
 * suites/requirements/REFERENCES.md (REF-RAW-RETURN, REF-RAW-OPTLEN...).
 *
 * Each behaviour is a table row per socket option, so the 8-byte
 * sctp_peeloff_arg_t and the 12-byte sctp_peeloff_flags_arg_t are both
 * checked. Only the linux profile documents this interface.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "../fixtures/assoc.h"
#include "../fixtures/assoc_states.h"
#include "../fixtures/io.h"
#include "suites.h"

#define RAW_BUF_LEN 128	  /* an optlen larger than either argument (REF-RAW-RETURN) */
#define FILL	    0xAA  /* marks the bytes the kernel must leave alone */
#define PRESET_SD   12345 /* a value arg.sd carries in, to be ignored (REF-RAW-RETURN) */
/* The kernel that added SCTP_SOCKOPT_PEELOFF_FLAGS (2cb5c8e378d1). */
#define FLAGS_SINCE_MAJOR 4
#define FLAGS_SINCE_MINOR 13

/* One of the two socket options, with the size of its argument. */
struct raw_opt {
	int optname;
	socklen_t arglen;
	const char *name;
};

static const struct raw_opt opt_peeloff = { SCTP_SOCKOPT_PEELOFF, sizeof(sctp_peeloff_arg_t),
					    "SCTP_SOCKOPT_PEELOFF" };
static const struct raw_opt opt_flags = { SCTP_SOCKOPT_PEELOFF_FLAGS,
					  sizeof(sctp_peeloff_flags_arg_t),
					  "SCTP_SOCKOPT_PEELOFF_FLAGS" };

/* The argument as the kernel reads it; the FLAGS one starts with the plain one. */
union raw_arg {
	sctp_peeloff_arg_t p;
	sctp_peeloff_flags_arg_t f;
};

/* An optval buffer: the argument, then FILL bytes up to RAW_BUF_LEN. */
static void put_arg(const struct raw_opt *o, unsigned char *buf, size_t buflen, sctp_assoc_t id,
		    int sd)
{
	union raw_arg a;

	memset(&a, 0, sizeof(a));
	memset(buf, FILL, buflen);
	a.p.associd = id;
	a.p.sd = sd;
	memcpy(buf, &a, o->arglen);
}

static union raw_arg get_arg(const unsigned char *buf)
{
	union raw_arg a;

	memcpy(&a, buf, sizeof(a));
	return a;
}

/*
 * Whether the kernel knows the option, asked without side effects: a fresh
 * socket and association id 0, which a kernel that has it refuses with EINVAL.
 * The errno, or 0 if the call succeeded.
 */
static int probe_optname(const struct pst_ctx *ctx, const struct raw_opt *o)
{
	unsigned char buf[RAW_BUF_LEN];
	socklen_t len = o->arglen;
	int sd = (int)PST_SAFE(socket(ctx->family, SOCK_SEQPACKET, IPPROTO_SCTP));
	int r, err;

	put_arg(o, buf, sizeof(buf), 0, 0);
	errno = 0;
	r = getsockopt(sd, SOL_SCTP, o->optname, buf, &len);
	err = r < 0 ? errno : 0;
	if (r > 0)
		close(r);
	close(sd);
	return err;
}

/* Every case: linux profile only, and the option must exist (PEELOFF_FLAGS: Linux >= 4.13). */
static void require(const struct pst_ctx *ctx, const struct raw_opt *o)
{
	if (ctx->profile != PST_PROFILE_LINUX)
		pst_skip("only the linux profile documents the getsockopt interface");
	if (o && o->optname == SCTP_SOCKOPT_PEELOFF_FLAGS && probe_optname(ctx, o) == ENOPROTOOPT)
		pst_skip("the kernel does not know %s (getsockopt gives ENOPROTOOPT; it exists "
			 "from Linux %d.%d)",
			 o->name, FLAGS_SINCE_MAJOR, FLAGS_SINCE_MINOR);
}

static void *mapped_page(int prot)
{
	void *p =
	    mmap(NULL, (size_t)sysconf(_SC_PAGESIZE), prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		pst_broken("mmap of one page: %s", pst_errname(errno));
	return p;
}

/* An address that was mapped a moment ago and no longer is. */
static void *unmapped_page(void)
{
	void *p = mapped_page(PROT_READ | PROT_WRITE);

	PST_SAFE(munmap(p, (size_t)sysconf(_SC_PAGESIZE)));
	return p;
}

/* The first byte of buf[from, to) that is not FILL, or -1. */
static long first_overwritten(const unsigned char *buf, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		if (buf[i] != FILL)
			return (long)i;
	return -1;
}

/* A failed call lost nothing: the association still carries data on the sut, no fd added. */
static void expect_nothing_lost(const struct pst_assoc_fx *fx, int fds_before)
{
	int st = pst_assoc_state(fx->sut, fx->id[0]);
	int err = errno;

	PST_EXPECT_EQ(pst_count_fds(), fds_before, "open descriptors after the failed call");
	PST_EXPECT(st >= 0,
		   "SCTP_STATUS of the association on the original socket after the failed call: "
		   "expected success (still there), got %s",
		   pst_errname(err));
	pst_expect_exchange(fx->sut, fx->id[0], fx->peer[0],
			    "the association on the original socket after the failed call");
}

/* ---- Success: return value, arg.sd, optlen write-back (REF-RAW-RETURN) */

struct ok_row {
	const struct raw_opt *opt;
	socklen_t optlen; /* what the call passes in */
	int preset_sd;	  /* what arg.sd carries in */
};

static void verify_ok(struct pst_ctx *ctx)
{
	const struct ok_row *row = ctx->param;
	const struct raw_opt *o = row->opt;
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	unsigned char buf[RAW_BUF_LEN];
	socklen_t len = row->optlen;
	union raw_arg out;
	struct stat st;
	long past;
	int before, r, fd, proto = 0;
	socklen_t plen = sizeof(proto);

	require(ctx, o);
	put_arg(o, buf, sizeof(buf), fx->id[0], row->preset_sd);
	before = pst_count_fds();
	errno = 0;
	r = getsockopt(fx->sut, SOL_SCTP, o->optname, buf, &len);
	PST_ASSERT(r >= 0, "getsockopt(%s, optlen %u): expected the new descriptor, got -1 with %s",
		   o->name, (unsigned)row->optlen, pst_errname(errno));
	out = get_arg(buf);
	PST_EXPECT(r > 0,
		   "getsockopt(%s) returned 0: expected the new descriptor (> 0), as Linux returns "
		   "it (arg.sd is %d)",
		   o->name, out.p.sd);
	PST_EXPECT(r != fx->sut, "getsockopt(%s): expected a new descriptor, got the original (%d)",
		   o->name, r);
	PST_EXPECT_EQ(out.p.sd, r, "arg.sd written back (the descriptor getsockopt returned)");
	if (row->preset_sd)
		PST_EXPECT(out.p.sd != row->preset_sd,
			   "arg.sd: expected the new descriptor, still the %d it carried in",
			   row->preset_sd);
	PST_EXPECT_EQ(out.p.associd, fx->id[0], "arg.associd after the call (unchanged)");
	if (o->optname == SCTP_SOCKOPT_PEELOFF_FLAGS)
		PST_EXPECT_EQ(out.f.flags, 0, "arg.flags after the call (unchanged)");
	PST_EXPECT_EQ(len, o->arglen, "optlen written back (the argument's size)");
	past = first_overwritten(buf, o->arglen, sizeof(buf));
	PST_EXPECT(past < 0,
		   "optval byte %ld, past the %u-byte argument: expected 0x%02x (untouched), got "
		   "0x%02x",
		   past, (unsigned)o->arglen, FILL, past < 0 ? 0 : buf[past]);
	PST_EXPECT_EQ(pst_count_fds(), before + 1, "open descriptors after the peeloff");

	/* The descriptor must be the association's socket, whichever one the call gave. */
	fd = r > 0 ? r : out.p.sd;
	errno = 0;
	PST_ASSERT(fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode),
		   "descriptor %d: expected an open socket, got %s", fd,
		   errno ? pst_errname(errno) : "another kind of file");
	PST_EXPECT(getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &proto, &plen) == 0 &&
		       proto == IPPROTO_SCTP,
		   "SO_PROTOCOL of descriptor %d: expected IPPROTO_SCTP (%d), got %d", fd,
		   IPPROTO_SCTP, proto);
	pst_expect_exchange(fd, 0, fx->peer[0],
			    "the returned descriptor <-> the association's peer");
	PST_EXPECT_ERRNO(pst_assoc_state(fx->sut, fx->id[0]), EINVAL);
	if (fd > STDERR_FILENO && fd != fx->sut)
		close(fd);
}

static const struct ok_row ok_exact = { &opt_peeloff, sizeof(sctp_peeloff_arg_t), 0 };
static const struct ok_row ok_exact_flags = { &opt_flags, sizeof(sctp_peeloff_flags_arg_t), 0 };
static const struct ok_row ok_larger = { &opt_peeloff, RAW_BUF_LEN, 0 };
static const struct ok_row ok_larger_flags = { &opt_flags, RAW_BUF_LEN, 0 };
static const struct ok_row ok_preset = { &opt_peeloff, sizeof(sctp_peeloff_arg_t), PRESET_SD };
static const struct ok_row ok_preset_flags = { &opt_flags, sizeof(sctp_peeloff_flags_arg_t),
					       PRESET_SD };

/* ---- optlen too small or negative: EINVAL, nothing written (REF-RAW-OPTLEN) */

struct optlen_row {
	const struct raw_opt *opt;
	socklen_t optlen;
};

static void verify_short_optlen(struct pst_ctx *ctx)
{
	const struct optlen_row *row = ctx->param;
	const struct raw_opt *o = row->opt;
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	unsigned char buf[RAW_BUF_LEN], orig[RAW_BUF_LEN];
	char what[128];
	socklen_t len = row->optlen;
	int before, r;

	require(ctx, o);
	put_arg(o, buf, sizeof(buf), fx->id[0], 0);
	memcpy(orig, buf, sizeof(buf));
	snprintf(what, sizeof(what), "getsockopt(%s, optlen %d)", o->name, (int)row->optlen);
	before = pst_count_fds();
	errno = 0;
	r = getsockopt(fx->sut, SOL_SCTP, o->optname, buf, &len);
	pst_check_errno_at(__FILE__, __LINE__, false, what, r, errno, EINVAL);
	PST_EXPECT_EQ(len, row->optlen, "optlen after the failed call (unchanged)");
	PST_EXPECT(memcmp(buf, orig, sizeof(buf)) == 0,
		   "optval after the failed call: expected unchanged, the kernel wrote into it");
	expect_nothing_lost(fx, before);
	if (r > 0)
		close(r);
}

static const struct optlen_row optlen_7 = { &opt_peeloff, sizeof(sctp_peeloff_arg_t) - 1 };
/* Room for the association id alone, not for the descriptor the kernel writes back. */
static const struct optlen_row optlen_assoc_id = { &opt_peeloff, sizeof(sctp_assoc_t) };
static const struct optlen_row optlen_0 = { &opt_peeloff, 0 };
static const struct optlen_row optlen_neg = { &opt_peeloff, (socklen_t)-1 };
static const struct optlen_row flags_optlen_8 = { &opt_flags, sizeof(sctp_peeloff_arg_t) };
static const struct optlen_row flags_optlen_11 = { &opt_flags,
						   sizeof(sctp_peeloff_flags_arg_t) - 1 };
static const struct optlen_row flags_optlen_neg = { &opt_flags, (socklen_t)-1 };

/* ---- Bad pointers (REF-RAW-EFAULT, REF-RAW-COPYOUT) */

enum raw_ptr { PTR_OPTVAL, PTR_OPTLEN };
enum raw_bad { BAD_NULL, BAD_UNMAPPED, BAD_READONLY };

struct fault_row {
	const struct raw_opt *opt;
	enum raw_ptr which;
	enum raw_bad bad;
};

static const char *const ptr_names[] = { [PTR_OPTVAL] = "optval", [PTR_OPTLEN] = "optlen" };
static const char *const bad_names[] = {
	[BAD_NULL] = "NULL", [BAD_UNMAPPED] = "unmapped", [BAD_READONLY] = "in a read-only page"
};

/* NULL or unmapped: EFAULT before anything happens, nothing written, nothing lost. */
static void verify_fault(struct pst_ctx *ctx)
{
	const struct fault_row *row = ctx->param;
	const struct raw_opt *o = row->opt;
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	unsigned char buf[RAW_BUF_LEN], orig[RAW_BUF_LEN];
	socklen_t len = o->arglen;
	void *bad, *optval;
	socklen_t *optlen;
	char what[128];
	int before, r;

	require(ctx, o);
	bad = row->bad == BAD_NULL ? NULL : unmapped_page();
	optval = row->which == PTR_OPTVAL ? bad : buf;
	optlen = row->which == PTR_OPTLEN ? bad : &len;
	put_arg(o, buf, sizeof(buf), fx->id[0], 0);
	memcpy(orig, buf, sizeof(buf));
	snprintf(what, sizeof(what), "getsockopt(%s, %s %s)", o->name, ptr_names[row->which],
		 bad_names[row->bad]);
	before = pst_count_fds();
	errno = 0;
	r = getsockopt(fx->sut, SOL_SCTP, o->optname, optval, optlen);
	pst_check_errno_at(__FILE__, __LINE__, false, what, r, errno, EFAULT);
	if (row->which == PTR_OPTVAL)
		PST_EXPECT_EQ(len, o->arglen, "optlen after the failed call (unchanged)");
	else
		PST_EXPECT(memcmp(buf, orig, sizeof(buf)) == 0,
			   "optval after the failed call: expected unchanged, the kernel wrote "
			   "into it");
	expect_nothing_lost(fx, before);
	if (r > 0)
		close(r);
}

/*
 * Readable but not writable: the kernel reads the argument, peels, and only
 * then faults writing optlen or the argument back. It returns EFAULT and
 * closes the new socket it never installed, which ends the association
 * gracefully (nothing unread): the peer sees SHUTDOWN_COMP, the original
 * socket no longer has the id, no descriptor is left. Linux 6.1 order:
 * sctp_do_peeloff(), then put_user(optlen), copy_to_user(optval), fd_install().
 * Destructive, so the fixture has a second association that must not notice.
 * EFAULT is getsockopt(2)'s; what becomes of the association is what Linux
 * was seen to do (a reference check: another kernel may reserve the
 * descriptor first and keep the association).
 */
static void verify_copyout_fault(struct pst_ctx *ctx)
{
	const struct fault_row *row = ctx->param;
	const struct raw_opt *o = row->opt;
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	unsigned char buf[RAW_BUF_LEN];
	unsigned char *ro;
	socklen_t len = o->arglen;
	void *optval = buf;
	socklen_t *optlen = &len;
	union sctp_notification n;
	char what[128];
	int before, r, err;

	require(ctx, o);
	ro = mapped_page(PROT_READ | PROT_WRITE);
	/* Write the argument (or optlen) through the writable mapping, then make it read-only. */
	if (row->which == PTR_OPTVAL) {
		put_arg(o, ro, page, fx->id[0], 0);
		optval = ro;
	} else {
		put_arg(o, buf, sizeof(buf), fx->id[0], 0);
		memcpy(ro, &len, sizeof(len));
		optlen = (socklen_t *)(void *)ro;
	}
	PST_SAFE(mprotect(ro, page, PROT_READ));
	PST_SAFE(pst_subscribe(fx->peer[0], SCTP_ASSOC_CHANGE));
	snprintf(what, sizeof(what), "getsockopt(%s, %s %s)", o->name, ptr_names[row->which],
		 bad_names[row->bad]);

	before = pst_count_fds();
	errno = 0;
	r = getsockopt(fx->sut, SOL_SCTP, o->optname, optval, optlen);
	pst_check(ctx, "efault");
	pst_check_errno_at(__FILE__, __LINE__, false, what, r, errno, EFAULT);
	pst_check(ctx, "no_descriptor_left");
	PST_EXPECT_EQ(pst_count_fds(), before,
		      "open descriptors after the call (none left behind)");
	if (r > 0)
		close(r);

	pst_check(ctx, "assoc_ended");
	errno = 0;
	r = pst_assoc_state(fx->sut, fx->id[0]);
	err = errno;
	PST_EXPECT(r < 0 && err == EINVAL,
		   "SCTP_STATUS of the peeled association on the original socket: expected EINVAL "
		   "(torn down), got %s",
		   r < 0 ? pst_errname(err) : "success (still there)");
	if (pst_recv_notification(fx->peer[0], SCTP_ASSOC_CHANGE, &n, PST_IO_TIMEOUT_MS) < 0)
		pst_fail_at(__FILE__, __LINE__, false,
			    "the peer of the torn-down association: expected SCTP_ASSOC_CHANGE "
			    "SCTP_SHUTDOWN_COMP within %d ms, got %s",
			    PST_IO_TIMEOUT_MS, pst_errname(errno));
	else
		PST_EXPECT(n.sn_assoc_change.sac_state == SCTP_SHUTDOWN_COMP,
			   "the peer of the torn-down association: expected SCTP_ASSOC_CHANGE "
			   "SCTP_SHUTDOWN_COMP, got %s (%u)",
			   pst_assoc_change_name(n.sn_assoc_change.sac_state),
			   n.sn_assoc_change.sac_state);
	pst_check(ctx, "other_assoc_undisturbed");
	pst_expect_exchange(fx->sut, fx->id[1], fx->peer[1],
			    "the other association on the original socket");
	munmap(ro, page);
}

static const struct fault_row optval_null = { &opt_peeloff, PTR_OPTVAL, BAD_NULL };
static const struct fault_row optval_unmapped = { &opt_peeloff, PTR_OPTVAL, BAD_UNMAPPED };
static const struct fault_row optlen_null = { &opt_peeloff, PTR_OPTLEN, BAD_NULL };
static const struct fault_row optlen_unmapped = { &opt_peeloff, PTR_OPTLEN, BAD_UNMAPPED };
static const struct fault_row optval_ro = { &opt_peeloff, PTR_OPTVAL, BAD_READONLY };
static const struct fault_row optlen_ro = { &opt_peeloff, PTR_OPTLEN, BAD_READONLY };
static const struct fault_row flags_optval_null = { &opt_flags, PTR_OPTVAL, BAD_NULL };
static const struct fault_row flags_optval_unmapped = { &opt_flags, PTR_OPTVAL, BAD_UNMAPPED };
static const struct fault_row flags_optlen_null = { &opt_flags, PTR_OPTLEN, BAD_NULL };
static const struct fault_row flags_optlen_unmapped = { &opt_flags, PTR_OPTLEN, BAD_UNMAPPED };
static const struct fault_row flags_optval_ro = { &opt_flags, PTR_OPTVAL, BAD_READONLY };
static const struct fault_row flags_optlen_ro = { &opt_flags, PTR_OPTLEN, BAD_READONLY };

/* ---- The option is get-only, and only at level SOL_SCTP (REF-RAW-SETSOCKOPT, REF-RAW-LEVEL) */

static void verify_setsockopt(struct pst_ctx *ctx)
{
	const struct raw_opt *o = ctx->param;
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	unsigned char buf[RAW_BUF_LEN];
	char what[128];
	int before, r;

	require(ctx, o);
	put_arg(o, buf, sizeof(buf), fx->id[0], 0);
	snprintf(what, sizeof(what), "setsockopt(SOL_SCTP, %s, a valid argument)", o->name);
	before = pst_count_fds();
	errno = 0;
	r = setsockopt(fx->sut, SOL_SCTP, o->optname, buf, o->arglen);
	pst_check_errno_at(__FILE__, __LINE__, false, what, r, errno, ENOPROTOOPT);
	expect_nothing_lost(fx, before);
}

/*
 * Optname 102 at the socket's IP level (SOL_IP, SOL_IPV6 on an IPv6 socket):
 * the call reaches sctp_getsockopt(), which must hand a level other than
 * SOL_SCTP to the address family (where 102 is no option), not peel. Level
 * SOL_SOCKET is not asked: the socket layer answers it before SCTP's code
 * is reached, so no SCTP could fail that check.
 */
static void verify_ip_level(struct pst_ctx *ctx)
{
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	unsigned char buf[RAW_BUF_LEN], orig[RAW_BUF_LEN];
	socklen_t len = opt_peeloff.arglen;
	bool v6 = ctx->family == AF_INET6;
	int level = v6 ? SOL_IPV6 : SOL_IP;
	char what[128];
	int before, r;

	require(ctx, NULL);
	put_arg(&opt_peeloff, buf, sizeof(buf), fx->id[0], 0);
	memcpy(orig, buf, sizeof(buf));
	snprintf(what, sizeof(what),
		 "getsockopt(%s, optname %d = SCTP_SOCKOPT_PEELOFF) with a valid association id",
		 v6 ? "SOL_IPV6" : "SOL_IP", SCTP_SOCKOPT_PEELOFF);
	before = pst_count_fds();
	errno = 0;
	r = getsockopt(fx->sut, level, SCTP_SOCKOPT_PEELOFF, buf, &len);
	pst_check_errno_at(__FILE__, __LINE__, false, what, r, errno, ENOPROTOOPT);
	PST_EXPECT_EQ(len, opt_peeloff.arglen, "optlen after the failed call (unchanged)");
	PST_EXPECT(memcmp(buf, orig, sizeof(buf)) == 0,
		   "optval after the failed call: expected unchanged, the kernel wrote into it");
	expect_nothing_lost(fx, before);
	if (r > 0)
		close(r);
}

/* ---- SCTP_SOCKOPT_PEELOFF_FLAGS exists from Linux 4.13 (REF-PEELOFF-FLAGS-KERNEL) */

static void flags_exists_from_4_13(struct pst_ctx *ctx)
{
	struct utsname u;
	int major = 0, minor = 0, err;
	bool has;

	require(ctx, NULL);
	PST_SAFE(uname(&u));
	if (sscanf(u.release, "%d.%d", &major, &minor) != 2)
		pst_broken("cannot read a kernel version from uname release '%s'", u.release);
	err = probe_optname(ctx, &opt_flags);
	has = err != ENOPROTOOPT;
	pst_log("Linux %s: getsockopt(SCTP_SOCKOPT_PEELOFF_FLAGS, association id 0) gives %s",
		u.release, pst_errname(err));
	if (major > FLAGS_SINCE_MAJOR || (major == FLAGS_SINCE_MAJOR && minor >= FLAGS_SINCE_MINOR))
		PST_EXPECT(has,
			   "Linux %s (>= %d.%d): expected SCTP_SOCKOPT_PEELOFF_FLAGS to exist, "
			   "getsockopt gives ENOPROTOOPT",
			   u.release, FLAGS_SINCE_MAJOR, FLAGS_SINCE_MINOR);
	else if (has)
		pst_skip("Linux %s (< %d.%d) has SCTP_SOCKOPT_PEELOFF_FLAGS: a backport, the "
			 "version rule cannot be checked",
			 u.release, FLAGS_SINCE_MAJOR, FLAGS_SINCE_MINOR);
	/* A kernel that has it refuses association id 0 with EINVAL (REF-ASSOC-ID-RESERVED).
	 */
	if (has)
		PST_EXPECT(err == EINVAL,
			   "getsockopt(SCTP_SOCKOPT_PEELOFF_FLAGS, association id 0): expected "
			   "EINVAL, got %s",
			   pst_errname(err));
}

/* ---- The cases */

#define RET_REQS   "IMPL-LNX-RAW-RET"
#define FD_PREPARE "linux-next:457528eb27c3 linux-next:859ceac73090 linux-next:eacb9a177921"

#define OK(cname, row, cfixture, caxes, ctags)                                            \
	{                                                                                 \
		.name = (cname), .fn = verify_ok, .fixture = (cfixture), .axes = (caxes), \
		.reqs = RET_REQS, .tags = (ctags), .param = &(row)                        \
	}
#define ROW_CHECKS(cname, cfn, row, cfixture, creqs, ctags, cchecks)                  \
	{                                                                             \
		.name = (cname), .fn = (cfn), .fixture = (cfixture), .reqs = (creqs), \
		.tags = (ctags), .param = &(row), .checks = (cchecks)                 \
	}
#define ROW(cname, cfn, row, cfixture, creqs, ctags) \
	ROW_CHECKS(cname, cfn, row, cfixture, creqs, ctags, NULL)
#define COPYOUT_CHECKS                                                      \
	"efault ref:assoc_ended=REF-RAW-COPYOUT safety:no_descriptor_left " \
	"safety:other_assoc_undisturbed"
#define COPYOUT(cname, row)                                                                  \
	ROW_CHECKS(cname, verify_copyout_fault, row, &pst_fx_assoc2, "IMPL-LNX-RAW-COPYOUT", \
		   "linux:fd-leak-on-copyout-EFAULT", COPYOUT_CHECKS)

static const struct pst_case cases[] = {
	/* Returns the descriptor, writes it to arg.sd, writes optlen back. */
	OK("raw_PEELOFF_optlen_8_returns_new_fd_in_arg_sd", ok_exact, &pst_fx_assoc1,
	   PST_AXIS_FAMILY, FD_PREPARE),
	OK("raw_PEELOFF_FLAGS_optlen_12_returns_new_fd_in_arg_sd", ok_exact_flags, &pst_fx_assoc1,
	   PST_AXIS_FAMILY, FD_PREPARE),
	OK("raw_PEELOFF_optlen_128_written_back_as_8", ok_larger, &pst_fx_assoc1, 0, NULL),
	OK("raw_PEELOFF_FLAGS_optlen_128_written_back_as_12", ok_larger_flags, &pst_fx_assoc1, 0,
	   NULL),
	OK("raw_PEELOFF_preset_arg_sd_is_ignored", ok_preset, &pst_fx_assoc1, 0, NULL),
	OK("raw_PEELOFF_FLAGS_preset_arg_sd_is_ignored", ok_preset_flags, &pst_fx_assoc1, 0, NULL),

	/* optlen too small or negative. */
	ROW("raw_PEELOFF_optlen_7_gives_EINVAL", verify_short_optlen, optlen_7, &pst_fx_assoc1,
	    "IMPL-LNX-RAW-OPTLEN", NULL),
	ROW("raw_PEELOFF_optlen_4_assoc_id_only_gives_EINVAL", verify_short_optlen, optlen_assoc_id,
	    &pst_fx_assoc1, "IMPL-LNX-RAW-OPTLEN", NULL),
	ROW("raw_PEELOFF_optlen_0_gives_EINVAL", verify_short_optlen, optlen_0, &pst_fx_assoc1,
	    "IMPL-LNX-RAW-OPTLEN", NULL),
	ROW("raw_PEELOFF_optlen_negative_gives_EINVAL", verify_short_optlen, optlen_neg,
	    &pst_fx_assoc1, "IMPL-LNX-RAW-OPTLEN", NULL),
	ROW("raw_PEELOFF_FLAGS_optlen_8_gives_EINVAL", verify_short_optlen, flags_optlen_8,
	    &pst_fx_assoc1, "IMPL-LNX-RAW-OPTLEN", NULL),
	ROW("raw_PEELOFF_FLAGS_optlen_11_gives_EINVAL", verify_short_optlen, flags_optlen_11,
	    &pst_fx_assoc1, "IMPL-LNX-RAW-OPTLEN", NULL),
	ROW("raw_PEELOFF_FLAGS_optlen_negative_gives_EINVAL", verify_short_optlen, flags_optlen_neg,
	    &pst_fx_assoc1, "IMPL-LNX-RAW-OPTLEN", NULL),

	/* NULL or unmapped pointers: EFAULT before anything happens. */
	ROW("raw_PEELOFF_optval_NULL_gives_EFAULT", verify_fault, optval_null, &pst_fx_assoc1,
	    "IMPL-LNX-RAW-EFAULT", NULL),
	ROW("raw_PEELOFF_optval_unmapped_gives_EFAULT", verify_fault, optval_unmapped,
	    &pst_fx_assoc1, "IMPL-LNX-RAW-EFAULT", NULL),
	ROW("raw_PEELOFF_optlen_NULL_gives_EFAULT", verify_fault, optlen_null, &pst_fx_assoc1,
	    "IMPL-LNX-RAW-EFAULT", NULL),
	ROW("raw_PEELOFF_optlen_unmapped_gives_EFAULT", verify_fault, optlen_unmapped,
	    &pst_fx_assoc1, "IMPL-LNX-RAW-EFAULT", NULL),
	ROW("raw_PEELOFF_FLAGS_optval_NULL_gives_EFAULT", verify_fault, flags_optval_null,
	    &pst_fx_assoc1, "IMPL-LNX-RAW-EFAULT", NULL),
	ROW("raw_PEELOFF_FLAGS_optval_unmapped_gives_EFAULT", verify_fault, flags_optval_unmapped,
	    &pst_fx_assoc1, "IMPL-LNX-RAW-EFAULT", NULL),
	ROW("raw_PEELOFF_FLAGS_optlen_NULL_gives_EFAULT", verify_fault, flags_optlen_null,
	    &pst_fx_assoc1, "IMPL-LNX-RAW-EFAULT", NULL),
	ROW("raw_PEELOFF_FLAGS_optlen_unmapped_gives_EFAULT", verify_fault, flags_optlen_unmapped,
	    &pst_fx_assoc1, "IMPL-LNX-RAW-EFAULT", NULL),

	/* Read-only pointers: EFAULT after the peel, the association is torn down. */
	COPYOUT("raw_PEELOFF_optval_readonly_gives_EFAULT_and_ends_assoc", optval_ro),
	COPYOUT("raw_PEELOFF_optlen_readonly_gives_EFAULT_and_ends_assoc", optlen_ro),
	COPYOUT("raw_PEELOFF_FLAGS_optval_readonly_gives_EFAULT_and_ends_assoc", flags_optval_ro),
	COPYOUT("raw_PEELOFF_FLAGS_optlen_readonly_gives_EFAULT_and_ends_assoc", flags_optlen_ro),

	/* Get-only, level SOL_SCTP only. */
	ROW("raw_setsockopt_PEELOFF_gives_ENOPROTOOPT", verify_setsockopt, opt_peeloff,
	    &pst_fx_assoc1, "IMPL-LNX-RAW-SETSOCKOPT", NULL),
	ROW("raw_setsockopt_PEELOFF_FLAGS_gives_ENOPROTOOPT", verify_setsockopt, opt_flags,
	    &pst_fx_assoc1, "IMPL-LNX-RAW-SETSOCKOPT", NULL),
	{ .name = "raw_getsockopt_102_at_the_IP_level_gives_ENOPROTOOPT",
	  .fn = verify_ip_level,
	  .fixture = &pst_fx_assoc1,
	  .axes = PST_AXIS_FAMILY,
	  .reqs = "IMPL-LNX-RAW-LEVEL" },

	{ .name = "raw_PEELOFF_FLAGS_exists_from_linux_4_13",
	  .fn = flags_exists_from_4_13,
	  .reqs = "IMPL-LNX-FLAGS-KERNEL",
	  .tags = "linux-git:2cb5c8e378d1" },
};

PST_SUITE(pst_suite_raw, "peeloff_raw_getsockopt",
	  "The kernel's getsockopt interface (Linux implementation)", cases);
