/*
 * The peeled socket's addresses and its listing of associations, operation by
 * operation on the peeled socket and on a genuine one-to-one socket in the
 * same topology (fixtures/one_to_one.h), as issue 28 asks:
 *
 * - getsockname(): it names an address of the socket's family (RFC 6458 9.2,
 *   "a one-to-one style socket"). Which one no document says: Linux 6.1's
 *   peeled socket names one of its association's local addresses at the
 *   original's port on IPv4 and the unspecified address at that port on IPv6
 *   (REF-PEELED-GETSOCKNAME), where the genuine socket names one of its own
 *   association's local addresses on both.
 * - sctp_getpaddrs() / sctp_getladdrs() on a multihomed association: every
 *   peer and every local address (RFC 6458 9.3, 9.5), whatever association
 *   id is passed (8: ignored on one-to-one and branched-off sockets).
 * - sctp_bindx() add and remove: RFC 6458 9.1 says only what it is for, so
 *   its outcome on the peeled socket is what Linux 6.1 did (REF-PEELED-BINDX:
 *   it succeeds and changes the peeled socket's own bound addresses, as on
 *   the genuine socket); the original socket's addresses and its other
 *   association must not change (RFC 6458 3.1).
 * - SCTP_GET_ASSOC_NUMBER / SCTP_GET_ASSOC_ID_LIST: RFC 6458 8.2.5 and 8.2.6
 *   define them for a one-to-many socket and say nothing of a one-to-one
 *   one. Linux 6.1's peeled socket answers, with its own association only,
 *   where the genuine socket refuses them (REF-PEELED-ASSOC-LISTING); on the
 *   original the peeled association is gone from both (RFC 6458 3.1).
 *
 * Where no document speaks, the reference is what Linux 6.1's peeled socket
 * did (a ref: check, under the linux profile; the emfile cases' model), not
 * the genuine socket: what that did is observed beside it, for the matrix's
 * one-to-one table, and a difference is in the log.
 *
 * The address calls are libsctp's, the library under test (loaded into the
 * global scope by the runner, so a fault shim interposes them).
 */
#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../fixtures/assoc.h"
#include "../fixtures/assoc_states.h"
#include "../fixtures/io.h"
#include "../fixtures/one_to_one.h"
#include "../harness/runner/iut.h"
#include "suites.h"

#define MAX_LISTED     8      /* more addresses than any list of the topology holds */
#define LIST_TEXT_LEN  320    /* MAX_LISTED short addresses */
#define ADDR_SHORT_LEN 64     /* "[2001:db8:0:1::1]:5001" */
#define BOGUS_ID       424242 /* an association id no socket of the case owns */

/* "192.0.2.1:5001" / "[2001:db8::1]:5001" into out. */
static const char *addr_short(const struct sockaddr_storage *ss, char *out, size_t len)
{
	char ip[INET6_ADDRSTRLEN] = "?";

	if (ss->ss_family == AF_INET6) {
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ss)->sin6_addr, ip, sizeof(ip));
		snprintf(out, len, "[%s]:%u", ip, pst_port_of(ss));
	} else if (ss->ss_family == AF_INET) {
		inet_ntop(AF_INET, &((const struct sockaddr_in *)ss)->sin_addr, ip, sizeof(ip));
		snprintf(out, len, "%s:%u", ip, pst_port_of(ss));
	} else {
		snprintf(out, len, "(family %u)", ss->ss_family);
	}
	return out;
}

/* ---- Address lists: libsctp's sctp_getpaddrs / sctp_getladdrs ---- */

struct addr_list {
	int n; /* how many the call listed (-1: it failed, err says why) */
	int err;
	struct sockaddr_storage a[MAX_LISTED]; /* the first MAX_LISTED of them */
};

/* "2 addresses: 192.0.2.1:5001, 198.51.100.1:5001", or the error, into out. */
static const char *list_text(const struct addr_list *l, char *out, size_t len)
{
	size_t off;

	if (l->n < 0) {
		snprintf(out, len, "fails with %s", pst_errname(l->err));
		return out;
	}
	off = (size_t)snprintf(out, len, "%d address%s", l->n, l->n == 1 ? "" : "es");
	for (int i = 0; i < l->n && i < MAX_LISTED && off < len; i++) {
		char a[ADDR_SHORT_LEN];

		off += (size_t)snprintf(out + off, len - off, "%s%s", i ? ", " : ": ",
					addr_short(&l->a[i], a, sizeof(a)));
	}
	return out;
}

/*
 * The function of the libsctp under test called name, looked up in that library
 * itself (not whichever libsctp the process happens to have loaded). A library
 * without it cannot be asked: SKIP with the reason (the call is the library's,
 * the peeled socket is the kernel's; a stand-in that exports only the peeloff
 * calls has none).
 */
static void *libsctp_fn(const char *name)
{
	void *lib = dlopen(pst_iut.path, RTLD_NOW | RTLD_NOLOAD);
	void *f = lib ? dlsym(lib, name) : NULL;

	if (lib)
		dlclose(lib);
	if (!f)
		pst_skip("the libsctp under test (%s) does not provide %s (RFC 6458 9): the "
			 "peeled socket's address list cannot be asked through it",
			 pst_iut.path, name);
	return f;
}

/* Which of libsctp's two listing calls, by name. */
struct lister {
	const char *get, *release;
};
static const struct lister peer_lister = { "sctp_getpaddrs", "sctp_freepaddrs" };
static const struct lister local_lister = { "sctp_getladdrs", "sctp_freeladdrs" };

/* What the call lists on fd for association id, into out. */
static void list_addrs(const struct lister *l, int fd, sctp_assoc_t id, struct addr_list *out)
{
	int (*get)(int, sctp_assoc_t, struct sockaddr **);
	void (*release)(struct sockaddr *);
	struct sockaddr *addrs = NULL;
	const unsigned char *p;

	*(void **)&get = libsctp_fn(l->get);
	*(void **)&release = libsctp_fn(l->release);
	memset(out, 0, sizeof(*out));
	errno = 0;
	out->n = get(fd, id, &addrs);
	out->err = errno;
	if (out->n <= 0) /* 0: *addrs is undefined, nothing to free */
		return;
	/* A packed array: each entry as long as its family's sockaddr. */
	p = (const unsigned char *)addrs;
	for (int i = 0; i < out->n && i < MAX_LISTED; i++) {
		sa_family_t fam;
		size_t alen;

		memcpy(&fam, p, sizeof(fam));
		alen = fam == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
		memcpy(&out->a[i], p, alen);
		p += alen;
	}
	release(addrs);
}

/* side's addresses of the family on every path, with port: the exact list expected. */
static void topology_addrs(enum pst_side side, int family, unsigned port, struct addr_list *out)
{
	memset(out, 0, sizeof(*out));
	for (int path = 0; path < PST_PATHS; path++)
		pst_addr(side, family, path, port, &out->a[out->n++]);
}

/* Does got list exactly the addresses of want, in any order? */
static bool same_addrs(const struct addr_list *got, const struct addr_list *want)
{
	if (got->n != want->n)
		return false;
	for (int w = 0; w < want->n; w++) {
		bool found = false;

		for (int g = 0; g < got->n && g < MAX_LISTED; g++)
			found = found || pst_same_addr(&want->a[w], &got->a[g]);
		if (!found)
			return false;
	}
	return true;
}

/* Does l list addr at port? */
static bool lists_addr(const struct addr_list *l, const struct sockaddr_storage *addr,
		       unsigned port)
{
	struct sockaddr_storage a = *addr;

	pst_set_port(&a, port);
	for (int i = 0; i < l->n && i < MAX_LISTED; i++)
		if (pst_same_addr(&l->a[i], &a))
			return true;
	return false;
}

/* The ids a listing case passes, with the words for them. */
struct id_row {
	const char *what;
	sctp_assoc_t id;
};

/*
 * A multihomed association to list: two associations on the original (the
 * second, with its id, is the "other association" an id may name), each peer
 * bound to both client addresses, so that every list is exactly the
 * topology's two addresses of a side.
 */
static void setup_multihomed2(struct pst_ctx *ctx)
{
	static const struct pst_assoc_opts multihomed = { .peers_multihomed = true };

	pst_assoc_setup_with(ctx, 2, &multihomed);
}

static const struct pst_fixture fx_multihomed2 = { "assoc2-multihomed", sizeof(struct pst_assoc_fx),
						   setup_multihomed2, pst_assoc_teardown };

/*
 * One listing on the peeled socket and on the reference: with id 0 the
 * documented list (check first_check), with every other id the same list
 * (id_ignored: RFC 6458 8, and the Linux pages' "For one-to-one style
 * sockets, id is ignored").
 */
static void expect_lists(struct pst_ctx *ctx, const struct lister *l, enum pst_side side,
			 const char *first_check, const char *what)
{
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	const unsigned port = side == PST_SERVER ? PST_SERVER_PORT : pst_local_port(fx->peer[0]);
	const struct id_row ids[] = {
		{ "id 0", 0 },
		{ "its own association id", fx->id[0] },
		{ "the id of another association (still on the original socket)", fx->id[1] },
		{ "an id nobody owns", BOGUS_ID },
	};
	struct addr_list want, got, ref, ref_want;
	char wt[LIST_TEXT_LEN], gt[LIST_TEXT_LEN];
	struct pst_one2one g;
	int p;

	pst_one2one_setup_multihomed(ctx, &g);
	p = pst_peel_first(ctx);
	topology_addrs(side, ctx->family, port, &want);
	list_text(&want, wt, sizeof(wt));
	for (size_t i = 0; i < PST_ARRAY_SIZE(ids); i++) {
		list_addrs(l, p, ids[i].id, &got);
		list_text(&got, gt, sizeof(gt));
		if (i == 0)
			pst_observe(ctx, PST_SEEN_PEELED, "%s", gt);
		pst_check(ctx, i == 0 ? first_check : "id_ignored");
		PST_EXPECT(same_addrs(&got, &want),
			   "%s(peeled socket, %s): expected %s (%s), got %s", l->get, ids[i].what,
			   wt, what, gt);
	}

	/* The reference lists its own association's: the same two paths, its own ports. */
	topology_addrs(side, ctx->family,
		       side == PST_SERVER ? PST_ONE2ONE_PORT : pst_local_port(g.client), &ref_want);
	list_addrs(l, g.acc, 0, &ref);
	list_text(&ref, gt, sizeof(gt));
	pst_observe(ctx, PST_SEEN_REFERENCE, "%s", gt);
	if (!same_addrs(&ref, &ref_want))
		pst_log("note: the genuine one-to-one socket's %s listed %s, not %s", l->get, gt,
			list_text(&ref_want, wt, sizeof(wt)));
	close(p);
	pst_one2one_close(&g);
}

static void getpaddrs_lists_every_peer_address(struct pst_ctx *ctx)
{
	expect_lists(ctx, &peer_lister, PST_CLIENT, "all_peer_addresses",
		     "both addresses of the multihomed peer");
}

static void getladdrs_lists_every_local_address(struct pst_ctx *ctx)
{
	expect_lists(ctx, &local_lister, PST_SERVER, "all_local_addresses",
		     "both server addresses the original socket is bound to");
}

/* ---- getsockname ---- */

/* Which path's address of side ss is (with port), or -1. */
static int path_of(const struct sockaddr_storage *ss, enum pst_side side, int family, unsigned port)
{
	for (int path = 0; path < PST_PATHS; path++) {
		struct sockaddr_storage a;

		pst_addr(side, family, path, port, &a);
		if (pst_same_addr(ss, &a))
			return path;
	}
	return -1;
}

/* The unspecified address of the family at port: what Linux 6.1's IPv6 peeled socket names. */
static void unspecified_at(int family, unsigned port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	ss->ss_family = (sa_family_t)family;
	if (family == AF_INET6)
		((struct sockaddr_in6 *)ss)->sin6_addr = in6addr_any;
	else
		((struct sockaddr_in *)ss)->sin_addr.s_addr = htonl(INADDR_ANY);
	pst_set_port(ss, port);
}

/*
 * getsockname() on the peeled socket succeeds with an address of its family,
 * as on a genuine one-to-one socket. Under the linux profile it names what
 * Linux 6.1's peeled socket named (REF-PEELED-GETSOCKNAME): on IPv4 one of
 * its association's local addresses at the original's port (the two share
 * it), on IPv6 the unspecified address at that port. The genuine socket,
 * which names one of its association's local addresses on both, is observed.
 */
static void getsockname_names_address_at_original_port(struct pst_ctx *ctx)
{
	struct sockaddr_storage name, ref, unspec;
	socklen_t len = sizeof(name), rlen = sizeof(ref);
	char nt[ADDR_SHORT_LEN] = "", rt[ADDR_SHORT_LEN], ut[ADDR_SHORT_LEN];
	struct pst_one2one g;
	int p, r, err, path, ref_path;

	pst_one2one_setup(ctx, &g);
	p = pst_peel_first(ctx);

	memset(&ref, 0, sizeof(ref));
	PST_SAFE(getsockname(g.acc, (struct sockaddr *)&ref, &rlen));
	ref_path = path_of(&ref, PST_SERVER, ctx->family, PST_ONE2ONE_PORT);
	pst_observe(ctx, PST_SEEN_REFERENCE, "%s", addr_short(&ref, rt, sizeof(rt)));
	if (ref_path < 0)
		pst_broken("getsockname() on a genuine one-to-one socket gave %s, none of its "
			   "association's local addresses at port %d: no reference",
			   rt, PST_ONE2ONE_PORT);

	memset(&name, 0, sizeof(name));
	errno = 0;
	r = getsockname(p, (struct sockaddr *)&name, &len);
	err = errno;
	if (r == 0)
		pst_observe(ctx, PST_SEEN_PEELED, "%s", addr_short(&name, nt, sizeof(nt)));
	else
		pst_observe(ctx, PST_SEEN_PEELED, "fails with %s", pst_errname(err));
	pst_check(ctx, "getsockname_succeeds");
	PST_ASSERT(r == 0 && name.ss_family == ctx->family,
		   "getsockname(peeled socket): expected an address of family %d (as on a genuine "
		   "one-to-one socket), got %s",
		   ctx->family, r == 0 ? nt : pst_errname(err));
	path = path_of(&name, PST_SERVER, ctx->family, PST_SERVER_PORT);
	if (path < 0)
		pst_log("note: the genuine one-to-one socket names one of its association's local "
			"addresses (%s), the peeled socket %s, none of its association's",
			rt, nt);
	if (ctx->profile != PST_PROFILE_LINUX) {
		pst_log("%s: no document says which address getsockname() names: not compared",
			pst_profile_name(ctx->profile));
	} else if (ctx->family == AF_INET6) {
		unspecified_at(ctx->family, PST_SERVER_PORT, &unspec);
		addr_short(&unspec, ut, sizeof(ut));
		pst_check(ctx, "address_as_linux");
		PST_EXPECT(
		    pst_same_addr(&name, &unspec),
		    "getsockname(IPv6 peeled socket): expected %s, the unspecified address at "
		    "the original's port, as Linux 6.1 names (REF-PEELED-GETSOCKNAME; a "
		    "genuine one-to-one socket: %s), got %s",
		    ut, rt, nt);
	} else {
		pst_check(ctx, "address_as_linux");
		PST_EXPECT(path >= 0,
			   "getsockname(IPv4 peeled socket): expected one of its association's "
			   "local addresses at the original's port %d, as Linux 6.1 names "
			   "(REF-PEELED-GETSOCKNAME; a genuine one-to-one socket: %s), got %s",
			   PST_SERVER_PORT, rt, nt);
	}
	close(p);
	pst_one2one_close(&g);
}

/* ---- sctp_bindx ---- */

struct bindx_row {
	const char *what; /* "sctp_bindx(SCTP_BINDX_ADD_ADDR, loopback)" */
	int flags;	  /* SCTP_BINDX_ADD_ADDR or SCTP_BINDX_REM_ADDR */
};

/* The address a row adds or removes, port 0 (the socket's own): its length. */
static socklen_t bindx_addr(const struct pst_ctx *ctx, const struct bindx_row *row,
			    struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (row->flags == SCTP_BINDX_REM_ADDR) /* the second of the two bound addresses */
		return pst_addr(PST_SERVER, ctx->family, PST_PATHS - 1, 0, ss);
	/* an address of the host no socket of the case is bound to */
	ss->ss_family = (sa_family_t)ctx->family;
	if (ctx->family == AF_INET6)
		((struct sockaddr_in6 *)ss)->sin6_addr = in6addr_loopback;
	else
		((struct sockaddr_in *)ss)->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return pst_salen(ctx->family);
}

/* libsctp's sctp_bindx on fd: 0, or -1 with *err. */
static int do_bindx(int fd, struct sockaddr_storage *addr, int flags, int *err)
{
	int (*bindx)(int, struct sockaddr *, int, int);
	int r;

	*(void **)&bindx = libsctp_fn("sctp_bindx");
	errno = 0;
	r = bindx(fd, (struct sockaddr *)addr, 1, flags);
	*err = errno;
	return r;
}

/*
 * sctp_bindx on the peeled socket reaches nothing of the original socket,
 * which shares the port (RFC 6458 3.1): its bound addresses and its other
 * association's local addresses stay as they were, and both associations
 * still carry data. Under the linux profile it does what Linux 6.1's peeled
 * socket did (REF-PEELED-BINDX): it succeeds, and the socket's own bound
 * addresses (sctp_getladdrs, id 0) then list the added address, or no longer
 * the removed one. What the genuine one-to-one socket did is observed.
 */
static void bindx_like_one_to_one(struct pst_ctx *ctx)
{
	const struct bindx_row *row = ctx->param;
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	struct addr_list sut_before, sut_after, other_before, other_after, mine, ref;
	char bt[LIST_TEXT_LEN], at[LIST_TEXT_LEN], a[ADDR_SHORT_LEN], what[LIST_TEXT_LEN + 160];
	struct sockaddr_storage addr, shown;
	struct pst_one2one g;
	int p, r, err, ref_r, ref_err;
	bool ref_lists;

	pst_one2one_setup(ctx, &g);
	p = pst_peel_first(ctx);
	list_addrs(&local_lister, fx->sut, 0, &sut_before);
	list_addrs(&local_lister, fx->sut, fx->id[1], &other_before);

	bindx_addr(ctx, row, &addr);
	ref_r = do_bindx(g.acc, &addr, row->flags, &ref_err);
	list_addrs(&local_lister, g.acc, 0, &ref);
	ref_lists = lists_addr(&ref, &addr, PST_ONE2ONE_PORT);
	pst_observe(ctx, PST_SEEN_REFERENCE, "%s; then bound to %s",
		    ref_r == 0 ? "succeeds" : pst_errname(ref_err),
		    list_text(&ref, bt, sizeof(bt)));

	bindx_addr(ctx, row, &addr);
	r = do_bindx(p, &addr, row->flags, &err);
	list_addrs(&local_lister, p, 0, &mine);
	pst_observe(ctx, PST_SEEN_PEELED, "%s; then bound to %s",
		    r == 0 ? "succeeds" : pst_errname(err), list_text(&mine, at, sizeof(at)));
	shown = addr; /* passed with port 0: the socket's own */
	pst_set_port(&shown, PST_SERVER_PORT);
	snprintf(what, sizeof(what), "%s %s on the peeled socket (a genuine one-to-one socket: %s)",
		 row->what, addr_short(&shown, a, sizeof(a)),
		 ref_r == 0 ? "succeeds" : pst_errname(ref_err));
	if ((r == 0) != (ref_r == 0) || lists_addr(&mine, &addr, PST_SERVER_PORT) != ref_lists)
		pst_log("note: the peeled socket and the genuine one-to-one socket differ: %s; the "
			"peeled socket's bound addresses then %s, the genuine socket's %s",
			what, list_text(&mine, at, sizeof(at)), list_text(&ref, bt, sizeof(bt)));
	if (ctx->profile == PST_PROFILE_LINUX) {
		const bool added = row->flags == SCTP_BINDX_ADD_ADDR;

		pst_check(ctx, "succeeds_as_linux");
		PST_EXPECT(r == 0,
			   "%s: expected success, as on Linux 6.1 (REF-PEELED-BINDX), got %s", what,
			   pst_errname(err));
		pst_check(ctx, "own_endpoint_changed");
		PST_EXPECT(lists_addr(&mine, &addr, PST_SERVER_PORT) == added,
			   "the peeled socket's bound addresses after %s: expected %s %s in them, "
			   "as on Linux 6.1 (REF-PEELED-BINDX), got %s",
			   what, added ? "the address" : "no", a, list_text(&mine, at, sizeof(at)));
	} else {
		pst_log("%s: RFC 6458 9.1 says what sctp_bindx() is for, not what it does on a "
			"peeled socket: its outcome is not compared",
			pst_profile_name(ctx->profile));
	}

	pst_check(ctx, "original_unchanged");
	list_addrs(&local_lister, fx->sut, 0, &sut_after);
	PST_EXPECT(same_addrs(&sut_after, &sut_before),
		   "the original socket's bound addresses after %s: expected %s as before, got %s",
		   what, list_text(&sut_before, bt, sizeof(bt)),
		   list_text(&sut_after, at, sizeof(at)));
	list_addrs(&local_lister, fx->sut, fx->id[1], &other_after);
	PST_EXPECT(same_addrs(&other_after, &other_before),
		   "the original's other association's local addresses after %s: expected %s as "
		   "before, got %s",
		   what, list_text(&other_before, bt, sizeof(bt)),
		   list_text(&other_after, at, sizeof(at)));
	pst_check(ctx, "associations_undisturbed");
	pst_expect_exchange(p, 0, fx->peer[0], "the peeled socket's association after the call");
	pst_expect_exchange(fx->sut, fx->id[1], fx->peer[1],
			    "the original's other association after the call");
	close(p);
	pst_one2one_close(&g);
}

static const struct bindx_row bindx_add_row = { "sctp_bindx(SCTP_BINDX_ADD_ADDR, loopback)",
						SCTP_BINDX_ADD_ADDR };
static const struct bindx_row bindx_rem_row = {
	"sctp_bindx(SCTP_BINDX_REM_ADDR, the second bound address)", SCTP_BINDX_REM_ADDR
};

/* ---- SCTP_GET_ASSOC_NUMBER / SCTP_GET_ASSOC_ID_LIST ---- */

/* What one of the two options answered: the ids (NUMBER: only n), or n = -1 and err. */
struct listing {
	int n, err;
	sctp_assoc_t ids[PST_MAX_ASSOCS];
};

/* getsockopt(fd, opt) into out; straight to the kernel, as the option is defined. */
static void get_listing(int fd, int opt, struct listing *out)
{
	memset(out, 0, sizeof(*out));
	errno = 0;
	if (opt == SCTP_GET_ASSOC_ID_LIST) {
		out->n = pst_assoc_ids(fd, out->ids, PST_MAX_ASSOCS);
	} else {
		uint32_t number = 0;
		socklen_t len = sizeof(number);

		out->n = getsockopt(fd, IPPROTO_SCTP, opt, &number, &len) < 0 ? -1 : (int)number;
	}
	out->err = errno;
}

/* "2 associations [3 4]" / "1 association" / "fails with EOPNOTSUPP", into out. */
static const char *listing_text(const struct listing *l, int opt, char *out, size_t len)
{
	char ids[LIST_TEXT_LEN];

	if (l->n < 0)
		snprintf(out, len, "fails with %s", pst_errname(l->err));
	else if (opt == SCTP_GET_ASSOC_ID_LIST)
		snprintf(out, len, "%d association%s [%s]", l->n, l->n == 1 ? "" : "s",
			 pst_assoc_ids_text(l->ids, l->n < PST_MAX_ASSOCS ? l->n : PST_MAX_ASSOCS,
					    ids, sizeof(ids)));
	else
		snprintf(out, len, "%d association%s", l->n, l->n == 1 ? "" : "s");
	return out;
}

static bool lists_id(const struct listing *l, sctp_assoc_t id)
{
	for (int i = 0; i < l->n && i < PST_MAX_ASSOCS; i++)
		if (l->ids[i] == id)
			return true;
	return false;
}

struct listing_row {
	const char *what; /* "SCTP_GET_ASSOC_NUMBER" */
	int opt;
};

/*
 * On the original, the peeled association is gone from the option's answer
 * and the other one is still there (RFC 6458 3.1). On the peeled socket,
 * where it answers, the answer is its own association only; under the linux
 * profile it answers, as Linux 6.1's peeled socket did
 * (REF-PEELED-ASSOC-LISTING). What the genuine one-to-one socket did (Linux:
 * EOPNOTSUPP) is observed.
 */
static void listing_names_own_association_only(struct pst_ctx *ctx)
{
	const struct listing_row *row = ctx->param;
	const bool ids = row->opt == SCTP_GET_ASSOC_ID_LIST;
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	struct listing before, after, ref, got;
	char bt[LIST_TEXT_LEN], at[LIST_TEXT_LEN], what[LIST_TEXT_LEN + 160];
	struct pst_one2one g;
	int p;

	pst_one2one_setup(ctx, &g);
	get_listing(fx->sut, row->opt, &before);
	if (before.n != fx->npeers ||
	    (ids && !(lists_id(&before, fx->id[0]) && lists_id(&before, fx->id[1]))))
		pst_broken("%s on the original socket before the peel: expected its %d "
			   "associations [%d %d], got %s",
			   row->what, fx->npeers, (int)fx->id[0], (int)fx->id[1],
			   listing_text(&before, row->opt, bt, sizeof(bt)));
	p = pst_peel_first(ctx);

	get_listing(g.acc, row->opt, &ref);
	pst_observe(ctx, PST_SEEN_REFERENCE, "%s", listing_text(&ref, row->opt, at, sizeof(at)));
	get_listing(p, row->opt, &got);
	pst_observe(ctx, PST_SEEN_PEELED, "%s", listing_text(&got, row->opt, bt, sizeof(bt)));
	snprintf(what, sizeof(what), "%s on the peeled socket (a genuine one-to-one socket: %s)",
		 row->what, at);
	if ((got.n < 0) != (ref.n < 0) || (got.n < 0 && got.err != ref.err))
		pst_log("note: the peeled socket and the genuine one-to-one socket differ: %s, "
			"got %s",
			what, bt);
	if (ctx->profile == PST_PROFILE_LINUX) {
		pst_check(ctx, "answers_as_linux");
		PST_EXPECT(
		    got.n >= 0,
		    "%s: expected an answer, as on Linux 6.1 (REF-PEELED-ASSOC-LISTING), got "
		    "%s",
		    what, bt);
	} else {
		pst_log("%s: RFC 6458 %s says nothing of a one-to-one socket: whether the peeled "
			"socket answers is not compared",
			pst_profile_name(ctx->profile), ids ? "8.2.6" : "8.2.5");
	}
	if (got.n >= 0) {
		pst_check(ctx, "own_association_only");
		PST_EXPECT(got.n == 1 && (!ids || got.ids[0] == fx->id[0]),
			   "%s: expected its own association only (1%s%d%s), got %s", what,
			   ids ? " [" : "", ids ? (int)fx->id[0] : 0, ids ? "]" : "", bt);
	}

	pst_check(ctx, "peeled_gone_from_original");
	get_listing(fx->sut, row->opt, &after);
	listing_text(&before, row->opt, bt, sizeof(bt));
	listing_text(&after, row->opt, at, sizeof(at));
	PST_EXPECT(after.n == fx->npeers - 1 &&
		       (!ids || (!lists_id(&after, fx->id[0]) && lists_id(&after, fx->id[1]))),
		   "%s on the original socket after peeling association %d: expected %d "
		   "association%s%s%d%s (before: %s), got %s",
		   row->what, (int)fx->id[0], fx->npeers - 1, fx->npeers - 1 == 1 ? "" : "s",
		   ids ? " [" : "", ids ? (int)fx->id[1] : 0, ids ? "]" : "", bt, at);
	close(p);
	pst_one2one_close(&g);
}

static const struct listing_row number_row = { "SCTP_GET_ASSOC_NUMBER", SCTP_GET_ASSOC_NUMBER };
static const struct listing_row id_list_row = { "SCTP_GET_ASSOC_ID_LIST", SCTP_GET_ASSOC_ID_LIST };

#define ONE2ONE "LNX-DESC-ONE2ONE SOL-DESC-ONE2ONE RFC-9.2-ONE2ONE"
#define AXES	(PST_AXIS_FAMILY | PST_AXIS_ENTRY)
#define BINDX_CHECKS                                                                        \
	"ref:succeeds_as_linux=REF-PEELED-BINDX ref:own_endpoint_changed=REF-PEELED-BINDX " \
	"safety:original_unchanged safety:associations_undisturbed"
#define LISTING_CHECKS                                   \
	"ref:answers_as_linux=REF-PEELED-ASSOC-LISTING " \
	"ref:own_association_only=REF-PEELED-ASSOC-LISTING peeled_gone_from_original"

static const struct pst_case cases[] = {
	{ .name = "peeled_getsockname_names_address_at_original_port",
	  .fn = getsockname_names_address_at_original_port,
	  .contract = "getsockname",
	  .fixture = &pst_fx_assoc1,
	  .axes = AXES,
	  .reqs = ONE2ONE,
	  .checks = "getsockname_succeeds ref:address_as_linux=REF-PEELED-GETSOCKNAME" },
	{ .name = "peeled_getpaddrs_lists_every_peer_address",
	  .fn = getpaddrs_lists_every_peer_address,
	  .contract = "sctp_getpaddrs",
	  .fixture = &fx_multihomed2,
	  .axes = AXES,
	  .reqs = "RFC-9.3-GETPADDRS RFC-8-ASSOCID-IGNORED " ONE2ONE,
	  .checks = "all_peer_addresses id_ignored" },
	{ .name = "peeled_getladdrs_lists_every_local_address",
	  .fn = getladdrs_lists_every_local_address,
	  .contract = "sctp_getladdrs",
	  .fixture = &fx_multihomed2,
	  .axes = AXES,
	  .reqs = "RFC-9.5-GETLADDRS RFC-8-ASSOCID-IGNORED " ONE2ONE,
	  .checks = "all_local_addresses id_ignored" },
	{ .name = "peeled_bindx_add_like_one_to_one",
	  .fn = bindx_like_one_to_one,
	  .contract = "sctp_bindx(SCTP_BINDX_ADD_ADDR)",
	  .param = &bindx_add_row,
	  .fixture = &pst_fx_assoc2,
	  .axes = AXES,
	  .reqs = "RFC-9.1-BINDX RFC-3.1-SEPARATE " ONE2ONE,
	  .checks = BINDX_CHECKS },
	{ .name = "peeled_bindx_rem_like_one_to_one",
	  .fn = bindx_like_one_to_one,
	  .contract = "sctp_bindx(SCTP_BINDX_REM_ADDR)",
	  .param = &bindx_rem_row,
	  .fixture = &pst_fx_assoc2,
	  .axes = AXES,
	  .reqs = "RFC-9.1-BINDX RFC-3.1-SEPARATE " ONE2ONE,
	  .checks = BINDX_CHECKS },
	{ .name = "peeled_assoc_number_names_own_association_only",
	  .fn = listing_names_own_association_only,
	  .contract = "SCTP_GET_ASSOC_NUMBER",
	  .param = &number_row,
	  .fixture = &pst_fx_assoc2,
	  .axes = AXES,
	  .reqs = "RFC-8.2.5-ASSOC-NUMBER RFC-3.1-SEPARATE " ONE2ONE,
	  .checks = LISTING_CHECKS },
	{ .name = "peeled_assoc_id_list_names_own_association_only",
	  .fn = listing_names_own_association_only,
	  .contract = "SCTP_GET_ASSOC_ID_LIST",
	  .param = &id_list_row,
	  .fixture = &pst_fx_assoc2,
	  .axes = AXES,
	  .reqs = "RFC-8.2.6-ASSOC-ID-LIST RFC-3.1-SEPARATE " ONE2ONE,
	  .checks = LISTING_CHECKS },
};

PST_SUITE(pst_suite_peeled_addresses, "peeled_addresses",
	  "The peeled socket's addresses and association listing: RFC 6458 9.1, 9.3, 9.5, "
	  "8.2.5, 8.2.6, 9.2",
	  cases);
