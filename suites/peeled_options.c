/*
 * Socket options that carry an association id, on the peeled socket: RFC 6458
 * §8, "For the one-to-one style sockets and branched-off one-to-many style
 * sockets (see Section 9.2), this association ID parameter is ignored", and the
 * same sentence in each option's own section (8.1.1 SCTP_RTOINFO, 8.1.2
 * SCTP_ASSOCINFO, 8.1.12 SCTP_PEER_ADDR_PARAMS, 8.1.31 SCTP_DEFAULT_SNDINFO).
 *
 * Whatever id the peeled socket is given (its association's own, 0 which is
 * SCTP_FUTURE_ASSOC on a one-to-many socket, the id of the association that
 * stayed on the original socket, an id nobody owns), a get reports the peeled
 * association's value and a set changes the peeled association's value; a set
 * never reaches the association that stayed on the original socket (a safety
 * check, read on the original socket before and after each set).
 *
 * So that a wrong answer cannot look right, every place an answer could come
 * from holds a value of its own before the peel: the original socket's default
 * for future associations, the association to be peeled, the association that
 * stays, and the reference, a genuine one-to-one socket in the same topology
 * (fixtures/one_to_one.h). Where the RFC is silent (whether a call fails, and
 * with which errno; what comes back in the id field of a get), the peeled
 * socket must answer as the reference does given the same kind of id
 * (REF-PEELED-OPTION-IDS).
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../fixtures/assoc.h"
#include "../fixtures/one_to_one.h"
#include "suites.h"

#define BOGUS_ID 424242 /* an association id no socket of the case owns */

/*
 * One option: where its association id and the one field the case sets and
 * reads are. Every other field of a set is zero, "leave as it is" for these
 * four options (RFC 6458 8.1.1, 8.1.2, 8.1.12; 8.1.31 sets all of its fields).
 */
struct opt_row {
	const char *name;  /* "SCTP_RTOINFO" */
	const char *field; /* "srto_initial" */
	const char *unit;  /* "ms" */
	int optname;
	socklen_t size;
	size_t id_at, value_at, value_size;
	/*
	 * The values the case gives: base + k * step, none of them a default the
	 * kernel would give by itself (so "unchanged" cannot pass for "set").
	 */
	uint32_t base, step;
};

#define OPT_ROW(opt, type, idf, valf, vunit, vbase, vstep)                                 \
	{                                                                                  \
		.name = #opt, .field = #valf, .unit = (vunit), .optname = (opt),           \
		.size = sizeof(type), .id_at = offsetof(type, idf),                        \
		.value_at = offsetof(type, valf), .value_size = sizeof(((type *)0)->valf), \
		.base = (vbase), .step = (vstep)                                           \
	}

/*
 * Defaults on Linux 6.1 (net.sctp sysctls): RTO.Initial 3000 ms, cookie life
 * 60000 ms, Path.Max.Retrans 5, PPID 0. Multiples of a second for the RTO, so
 * that the jiffies round trip is exact at any HZ.
 */
static const struct opt_row rtoinfo_row =
    OPT_ROW(SCTP_RTOINFO, struct sctp_rtoinfo, srto_assoc_id, srto_initial, "ms", 4000, 1000);
static const struct opt_row associnfo_row = OPT_ROW(
    SCTP_ASSOCINFO, struct sctp_assocparams, sasoc_assoc_id, sasoc_cookie_life, "ms", 10000, 1000);
static const struct opt_row paddrparams_row =
    OPT_ROW(SCTP_PEER_ADDR_PARAMS, struct sctp_paddrparams, spp_assoc_id, spp_pathmaxrxt,
	    "retransmissions", 6, 1);
static const struct opt_row sndinfo_row =
    OPT_ROW(SCTP_DEFAULT_SNDINFO, struct sctp_sndinfo, snd_assoc_id, snd_ppid, "(PPID)", 0x5000, 1);

union opt_buf {
	struct sctp_rtoinfo rto;
	struct sctp_assocparams assoc;
	struct sctp_paddrparams paddr;
	struct sctp_sndinfo snd;
};

/* Which value of a row goes where (the k of base + k * step). */
enum marker {
	M_DEFAULT, /* the original socket's default for future associations */
	M_OWN,	   /* the association that is peeled, set before the peel */
	M_OTHER,   /* the association that stays on the original socket */
	M_REF,	   /* the reference one-to-one socket's association */
	M_SET,	   /* M_SET + i: set on the peeled socket with ids[i] */
};

/* The ids a case gives, the same kinds on the peeled and on the reference socket. */
enum id_kind { ID_OWN, ID_ZERO, ID_OTHER, ID_UNOWNED, NIDS };
#define M_REF_SET (M_SET + NIDS) /* M_REF_SET + i: set on the reference with ids[i] */

static const char *const id_text[NIDS] = {
	"its own association id",
	"id 0 (SCTP_FUTURE_ASSOC)",
	"the id of the association still on the original socket",
	"an id nobody owns",
};
static const char *const id_short[NIDS] = { "own", "0", "other", "unowned" };

static uint32_t marker(const struct opt_row *row, unsigned k)
{
	return row->base + k * row->step;
}

static void put_id(const struct opt_row *row, union opt_buf *b, sctp_assoc_t id)
{
	memcpy((char *)b + row->id_at, &id, sizeof(id));
}

static sctp_assoc_t id_of(const struct opt_row *row, const union opt_buf *b)
{
	sctp_assoc_t id;

	memcpy(&id, (const char *)b + row->id_at, sizeof(id));
	return id;
}

static void put_value(const struct opt_row *row, union opt_buf *b, uint32_t v)
{
	uint16_t v16 = (uint16_t)v;

	memcpy((char *)b + row->value_at, row->value_size == sizeof(v16) ? (void *)&v16 : &v,
	       row->value_size);
}

static uint32_t value_of(const struct opt_row *row, const union opt_buf *b)
{
	uint16_t v16;
	uint32_t v;

	if (row->value_size == sizeof(v16)) {
		memcpy(&v16, (const char *)b + row->value_at, sizeof(v16));
		return v16;
	}
	memcpy(&v, (const char *)b + row->value_at, sizeof(v));
	return v;
}

/* What one call did. */
struct answer {
	int ret, err;	/* the return value; errno when it is -1 */
	uint32_t value; /* a get: the field read */
	bool echoed;	/* a get: the id field came back as it was given */
};

static struct answer opt_get(int fd, const struct opt_row *row, sctp_assoc_t id)
{
	union opt_buf b;
	socklen_t len = row->size;
	struct answer a = { 0 };

	memset(&b, 0, sizeof(b));
	put_id(row, &b, id);
	errno = 0;
	a.ret = getsockopt(fd, IPPROTO_SCTP, row->optname, &b, &len);
	a.err = a.ret < 0 ? errno : 0;
	if (a.ret == 0) {
		a.value = value_of(row, &b);
		a.echoed = id_of(row, &b) == id;
	}
	return a;
}

static struct answer opt_set(int fd, const struct opt_row *row, sctp_assoc_t id, uint32_t v)
{
	union opt_buf b;
	struct answer a = { 0 };

	memset(&b, 0, sizeof(b));
	put_id(row, &b, id);
	put_value(row, &b, v);
	errno = 0;
	a.ret = setsockopt(fd, IPPROTO_SCTP, row->optname, &b, row->size);
	a.err = a.ret < 0 ? errno : 0;
	return a;
}

/* "ok" or the errno's name. */
static const char *outcome(const struct answer *a)
{
	return a->ret == 0 ? "ok" : a->ret < 0 ? pst_errname(a->err) : "a positive return";
}

/* Setup: set a marker (BROKEN if it cannot be set, or does not read back where it was set). */
static void place(int fd, const struct opt_row *row, sctp_assoc_t id, unsigned k, const char *where)
{
	struct answer a = opt_set(fd, row, id, marker(row, k));

	if (a.ret != 0)
		pst_broken("%s(%s, id %d, %s %u): %s: the case cannot give it a value of its own",
			   row->name, where, (int)id, row->field, marker(row, k), outcome(&a));
	a = opt_get(fd, row, id);
	if (a.ret != 0 || a.value != marker(row, k))
		pst_broken("%s on %s (id %d) after setting %s to %u: %s, %u: the value cannot be "
			   "told apart",
			   row->name, where, (int)id, row->field, marker(row, k), outcome(&a),
			   a.value);
}

/* The association id of a socket's association, from SCTP_STATUS (BROKEN if none). */
static sctp_assoc_t own_id_of(int fd)
{
	struct sctp_status st = { 0 };
	socklen_t len = sizeof(st);

	PST_SAFE(getsockopt(fd, IPPROTO_SCTP, SCTP_STATUS, &st, &len));
	return st.sstat_assoc_id;
}

/* Everything a case compares: the sockets, the ids of each kind for each of them. */
struct scene {
	const struct opt_row *row;
	struct pst_one2one g;
	int p;			/* the peeled socket */
	sctp_assoc_t pid[NIDS]; /* the ids given to the peeled socket */
	sctp_assoc_t rid[NIDS]; /* the same kinds, for the reference socket */
};

/*
 * The two associations of the one-to-many socket, its default and the
 * reference's association each get a value of their own; then the first
 * association is peeled through the case's entry point.
 */
static void scene_setup(struct pst_ctx *ctx, struct scene *s)
{
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	const struct opt_row *row = ctx->param;

	s->row = row;
	pst_one2one_setup(ctx, &s->g);
	place(fx->sut, row, 0, M_DEFAULT, "the original socket's default");
	place(fx->sut, row, fx->id[0], M_OWN, "the association to be peeled");
	place(fx->sut, row, fx->id[1], M_OTHER, "the association that stays");
	place(s->g.acc, row, 0, M_REF, "the reference one-to-one socket");
	s->p = pst_peel_first(ctx);

	s->pid[ID_OWN] = fx->id[0];
	s->rid[ID_OWN] = own_id_of(s->g.acc);
	s->pid[ID_ZERO] = s->rid[ID_ZERO] = 0;
	/* Foreign to both: it belongs to the original socket. */
	s->pid[ID_OTHER] = s->rid[ID_OTHER] = fx->id[1];
	s->pid[ID_UNOWNED] = s->rid[ID_UNOWNED] = BOGUS_ID;
}

static void scene_close(struct scene *s)
{
	close(s->p);
	pst_one2one_close(&s->g);
}

/* Where a value came from, in words, for the messages. */
static const char *whose(const struct opt_row *row, uint32_t v)
{
	if (v == marker(row, M_OWN))
		return "the peeled association's";
	if (v == marker(row, M_OTHER))
		return "the value of the association still on the original socket";
	if (v == marker(row, M_DEFAULT))
		return "the original socket's default for future associations";
	return "a value the case never set";
}

/*
 * What one side did, for the one-to-one table: "own, 0, other, unowned id: ok,
 * its own association's value", or each id's answer when they differ.
 */
static void observe(const struct pst_ctx *ctx, enum pst_side_seen side, const struct answer a[NIDS],
		    const bool right[NIDS])
{
	static const char *const gave[] = { "not its own association's value",
					    "its own association's value" };
	char line[256];
	size_t n = 0;
	bool same = true;

	for (int i = 1; i < NIDS; i++)
		same = same && a[i].ret == a[0].ret && a[i].err == a[0].err && right[i] == right[0];
	if (same) {
		pst_observe(ctx, side, "own, 0, other, unowned id: %s%s%s", outcome(&a[0]),
			    a[0].ret == 0 ? ", " : "", a[0].ret == 0 ? gave[right[0]] : "");
		return;
	}
	for (int i = 0; i < NIDS && n < sizeof(line); i++)
		n += (size_t)snprintf(line + n, sizeof(line) - n, "%s%s id: %s%s%s", i ? "; " : "",
				      id_short[i], outcome(&a[i]), a[i].ret == 0 ? ", " : "",
				      a[i].ret == 0 ? gave[right[i]] : "");
	pst_observe(ctx, side, "%s", line);
}

/*
 * A get on the peeled socket reports the peeled association's value whatever
 * id it is given; the reference one-to-one socket, given ids of the same
 * kinds, answers the same way (success or errno, and the id field).
 */
static void get_reports_own_assoc(struct pst_ctx *ctx)
{
	struct scene s;
	struct answer pa[NIDS], ra[NIDS];
	bool pright[NIDS], rright[NIDS];
	const struct opt_row *row;

	scene_setup(ctx, &s);
	row = s.row;
	for (int i = 0; i < NIDS; i++) {
		pa[i] = opt_get(s.p, row, s.pid[i]);
		ra[i] = opt_get(s.g.acc, row, s.rid[i]);
		pright[i] = pa[i].ret == 0 && pa[i].value == marker(row, M_OWN);
		rright[i] = ra[i].ret == 0 && ra[i].value == marker(row, M_REF);
		/* A refusal is compared below; a wrong value is no reference. */
		if (ra[i].ret == 0 && !rright[i])
			pst_broken("getsockopt(reference one-to-one socket, %s, %s): %u where its "
				   "association holds %u: no reference to compare with",
				   row->name, id_text[i], ra[i].value, marker(row, M_REF));
	}
	observe(ctx, PST_SEEN_PEELED, pa, pright);
	observe(ctx, PST_SEEN_REFERENCE, ra, rright);

	pst_check(ctx, "reports_own_assoc");
	for (int i = 0; i < NIDS; i++) {
		if (pa[i].ret != 0)
			pst_fail_at(__FILE__, __LINE__, false,
				    "getsockopt(peeled socket, %s, %s): expected the peeled "
				    "association's %s, %u %s (the id is ignored), got %s",
				    row->name, id_text[i], row->field, marker(row, M_OWN),
				    row->unit, outcome(&pa[i]));
		else
			PST_EXPECT(pright[i],
				   "getsockopt(peeled socket, %s, %s): expected the peeled "
				   "association's %s, %u %s (the id is ignored), got %u: %s",
				   row->name, id_text[i], row->field, marker(row, M_OWN), row->unit,
				   pa[i].value, whose(row, pa[i].value));
	}

	pst_check(ctx, "answer_like_one_to_one");
	for (int i = 0; i < NIDS; i++)
		PST_EXPECT(pa[i].ret == ra[i].ret && pa[i].err == ra[i].err &&
			       (pa[i].ret != 0 || pa[i].echoed == ra[i].echoed),
			   "getsockopt(%s, %s): expected the answer of a one-to-one socket given "
			   "%s (%s, the id field %s), got %s%s",
			   row->name, id_text[i], id_short[i], outcome(&ra[i]),
			   ra[i].echoed ? "as given" : "rewritten", outcome(&pa[i]),
			   pa[i].ret != 0 ? ""
			   : pa[i].echoed ? ", the id field as given"
					  : ", the id field rewritten");
	scene_close(&s);
}

/*
 * A set on the peeled socket changes the peeled association's value whatever
 * id it is given, and never the association that stayed on the original
 * socket; the reference one-to-one socket accepts or refuses the same kinds of
 * id the same way.
 */
static void set_changes_own_assoc(struct pst_ctx *ctx)
{
	struct pst_assoc_fx *fx = pst_assoc(ctx);
	struct scene s;
	struct answer pa[NIDS], ra[NIDS];
	bool pright[NIDS], rright[NIDS];
	const struct opt_row *row;

	scene_setup(ctx, &s);
	row = s.row;
	for (int i = 0; i < NIDS; i++) {
		const uint32_t v = marker(row, M_SET + (unsigned)i);
		const uint32_t w = marker(row, M_REF_SET + (unsigned)i);
		struct answer other0 = opt_get(fx->sut, row, fx->id[1]);
		struct answer now, other1, rnow;

		if (other0.ret != 0)
			pst_broken("%s of the association still on the original socket: %s",
				   row->name, outcome(&other0));
		pa[i] = opt_set(s.p, row, s.pid[i], v);
		now = opt_get(s.p, row, s.pid[ID_OWN]);
		other1 = opt_get(fx->sut, row, fx->id[1]);
		ra[i] = opt_set(s.g.acc, row, s.rid[i], w);
		rnow = opt_get(s.g.acc, row, s.rid[ID_OWN]);
		pright[i] = pa[i].ret == 0 && now.ret == 0 && now.value == v;
		rright[i] = ra[i].ret == 0 && rnow.ret == 0 && rnow.value == w;
		/* A refusal is compared below; a set that did not take is no reference. */
		if (ra[i].ret == 0 && !rright[i])
			pst_broken(
			    "setsockopt(reference one-to-one socket, %s, %s, %s %u) succeeded, "
			    "but its association then reads %s %u: no reference to compare with",
			    row->name, id_text[i], row->field, w, outcome(&rnow), rnow.value);

		pst_check(ctx, "sets_own_assoc");
		if (pa[i].ret != 0)
			pst_fail_at(__FILE__, __LINE__, false,
				    "setsockopt(peeled socket, %s, %s, %s %u): expected success "
				    "(the id is ignored), got %s",
				    row->name, id_text[i], row->field, v, outcome(&pa[i]));
		else if (now.ret != 0)
			pst_fail_at(__FILE__, __LINE__, false,
				    "%s of the peeled association after setsockopt(peeled socket, "
				    "%s, %s %u): expected %u, got %s",
				    row->name, id_text[i], row->field, v, v, outcome(&now));
		else
			PST_EXPECT(now.value == v,
				   "%s of the peeled association after setsockopt(peeled socket, "
				   "%s, %s %u): expected %u %s (the set changes this association), "
				   "got %u",
				   row->name, id_text[i], row->field, v, v, row->unit, now.value);

		pst_check(ctx, "other_assoc_untouched");
		if (other1.ret != 0)
			pst_fail_at(__FILE__, __LINE__, false,
				    "the association still on the original socket after "
				    "setsockopt(peeled socket, %s, %s): expected it there with %s "
				    "%u, got %s",
				    row->name, id_text[i], row->field, other0.value,
				    outcome(&other1));
		else
			PST_EXPECT(other1.value == other0.value,
				   "the association still on the original socket after "
				   "setsockopt(peeled socket, %s, %s, %s %u): expected its %s "
				   "unchanged, %u, got %u: the set reached it",
				   row->name, id_text[i], row->field, v, row->field, other0.value,
				   other1.value);

		pst_check(ctx, "answer_like_one_to_one");
		PST_EXPECT(pa[i].ret == ra[i].ret && pa[i].err == ra[i].err,
			   "setsockopt(%s, %s): expected the answer of a one-to-one socket given "
			   "%s, %s, got %s",
			   row->name, id_text[i], id_short[i], outcome(&ra[i]), outcome(&pa[i]));
	}
	observe(ctx, PST_SEEN_PEELED, pa, pright);
	observe(ctx, PST_SEEN_REFERENCE, ra, rright);
	scene_close(&s);
}

#define REF_IDS "ref:answer_like_one_to_one=REF-PEELED-OPTION-IDS"
#define AXES	(PST_AXIS_FAMILY | PST_AXIS_ENTRY)
#define IGNORED "RFC-8-ASSOCID-IGNORED RFC-9.2-ONE2ONE "
#define GET(cname, row, creqs, ccontract)                                                \
	{                                                                                \
		.name = (cname), .fn = get_reports_own_assoc, .fixture = &pst_fx_assoc2, \
		.axes = AXES, .reqs = IGNORED creqs, .param = &(row),                    \
		.checks = "reports_own_assoc " REF_IDS, .contract = (ccontract)          \
	}
#define SET(cname, row, creqs, ccontract)                                                \
	{                                                                                \
		.name = (cname), .fn = set_changes_own_assoc, .fixture = &pst_fx_assoc2, \
		.axes = AXES, .reqs = IGNORED creqs, .param = &(row),                    \
		.checks = "sets_own_assoc safety:other_assoc_untouched " REF_IDS,        \
		.contract = (ccontract)                                                  \
	}

static const struct pst_case cases[] = {
	GET("peeled_rtoinfo_get_reports_own_assoc_whatever_id", rtoinfo_row,
	    "RFC-8.1.1-ASSOCID-IGNORED", "getsockopt(SCTP_RTOINFO) with an association id"),
	SET("peeled_rtoinfo_set_changes_own_assoc_whatever_id", rtoinfo_row,
	    "RFC-8.1.1-ASSOCID-IGNORED", "setsockopt(SCTP_RTOINFO) with an association id"),
	GET("peeled_associnfo_get_reports_own_assoc_whatever_id", associnfo_row,
	    "RFC-8.1.2-ASSOCID-IGNORED", "getsockopt(SCTP_ASSOCINFO) with an association id"),
	SET("peeled_associnfo_set_changes_own_assoc_whatever_id", associnfo_row,
	    "RFC-8.1.2-ASSOCID-IGNORED", "setsockopt(SCTP_ASSOCINFO) with an association id"),
	GET("peeled_peer_addr_params_get_reports_own_assoc_whatever_id", paddrparams_row,
	    "RFC-8.1.12-ASSOCID-IGNORED",
	    "getsockopt(SCTP_PEER_ADDR_PARAMS) with an association id"),
	SET("peeled_peer_addr_params_set_changes_own_assoc_whatever_id", paddrparams_row,
	    "RFC-8.1.12-ASSOCID-IGNORED",
	    "setsockopt(SCTP_PEER_ADDR_PARAMS) with an association id"),
	GET("peeled_default_sndinfo_get_reports_own_assoc_whatever_id", sndinfo_row,
	    "RFC-8.1.31-ASSOCID-IGNORED",
	    "getsockopt(SCTP_DEFAULT_SNDINFO) with an association id"),
	SET("peeled_default_sndinfo_set_changes_own_assoc_whatever_id", sndinfo_row,
	    "RFC-8.1.31-ASSOCID-IGNORED",
	    "setsockopt(SCTP_DEFAULT_SNDINFO) with an association id"),
};

PST_SUITE(pst_suite_peeled_options, "peeled_options",
	  "Options with an association id on the peeled socket: RFC 6458 8, 8.1.1, 8.1.2, "
	  "8.1.12, 8.1.31",
	  cases);
