/*
 * Unit tests of the reuse check's view of a topology (harness/runner/topo_state.c),
 * against the real kernel inside UML: a topology as built is pristine, and a
 * look at it costs no rtnetlink dump while nothing was notified; each kind of
 * change the fingerprint covers (address, link, route) makes it not pristine,
 * on either side; a change undone is notified, compared and found pristine.
 * Changes are made with iproute2, as a case or a person would.
 */
#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "topo_state.h"
#include "topology.h"
#include "unit.h"

static struct pst_topo topo;
static struct pst_topo_state state;
static int serial;

/* A fresh topology and its state for each test: none sees another's changes. */
static void fresh(void)
{
	char prefix[64], err[256] = "";

	snprintf(prefix, sizeof(prefix), "psttest%d-state%d", (int)getpid(), ++serial);
	if (pst_topo_create(&topo, prefix, err, sizeof(err)) < 0)
		fprintf(stderr, "topology: %s\n", err);
	CU_ASSERT_TRUE_FATAL(topo.created);
	if (pst_topo_state_open(&state, &topo, err, sizeof(err)) < 0) {
		fprintf(stderr, "state: %s\n", err);
		pst_topo_destroy(&topo);
		CU_FAIL_FATAL("pst_topo_state_open");
	}
}

static void done(void)
{
	pst_topo_state_close(&state);
	pst_topo_destroy(&topo);
}

/* `ip -n <side's namespace> ARGS`; its exit status must be 0. */
static void ip_in(enum pst_side side, const char *args)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "ip -n %s %s", topo.name[side], args);
	CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
}

static void test_built_is_pristine_without_dump(void)
{
	unsigned dumps;

	fresh();
	dumps = state.dumps;
	CU_ASSERT_TRUE(pst_topo_state_pristine(&state));
	CU_ASSERT_TRUE(pst_topo_state_pristine(&state));
	CU_ASSERT_EQUAL(state.dumps, dumps); /* nothing notified: nothing dumped */
	done();
}

static void test_added_address_seen(void)
{
	fresh();
	CU_ASSERT_TRUE(pst_topo_state_pristine(&state));
	ip_in(PST_CLIENT, "addr add 203.0.113.9/24 dev c0");
	CU_ASSERT_FALSE(pst_topo_state_pristine(&state));
	done();
}

static void test_undone_change_compared_and_pristine(void)
{
	unsigned dumps;

	fresh();
	dumps = state.dumps;
	ip_in(PST_SERVER, "addr add 203.0.113.9/24 dev s1");
	ip_in(PST_SERVER, "addr del 203.0.113.9/24 dev s1");
	CU_ASSERT_TRUE(pst_topo_state_pristine(&state));
	CU_ASSERT_TRUE(state.dumps > dumps); /* notified: the dumps were compared */
	/* A change after that look is the next look's notification. */
	ip_in(PST_SERVER, "addr add 203.0.113.9/24 dev s1");
	CU_ASSERT_FALSE(pst_topo_state_pristine(&state));
	done();
}

/* One change on one side of a fresh topology: the next look finds it not pristine. */
static void change_seen(enum pst_side side, const char *ip_args)
{
	fresh();
	ip_in(side, ip_args);
	CU_ASSERT_FALSE(pst_topo_state_pristine(&state));
	done();
}

static void test_changed_mtu_seen(void)
{
	change_seen(PST_SERVER, "link set s1 mtu 1400");
}

static void test_link_down_seen(void)
{
	change_seen(PST_SERVER, "link set s0 down");
}

static void test_added_ipv4_route_seen(void)
{
	change_seen(PST_CLIENT, "route add 203.0.113.0/24 dev c1");
}

static void test_added_ipv6_route_seen(void)
{
	change_seen(PST_CLIENT, "-6 route add 2001:db8:9::/64 dev c0");
}

static void test_no_sctp_in_built_topology(void)
{
	int eps = -1, assocs = -1;

	fresh();
	for (int side = 0; side < PST_SIDES; side++) {
		CU_ASSERT_EQUAL(pst_topo_state_sctp(&state, (enum pst_side)side, &eps, &assocs), 0);
		CU_ASSERT_EQUAL(eps, 0);
		CU_ASSERT_EQUAL(assocs, 0);
	}
	done();
}

int main(void)
{
	static const struct pst_unit_test tests[] = {
		{ "as built: pristine, and a quiet look takes no dump",
		  test_built_is_pristine_without_dump },
		{ "an added address: not pristine", test_added_address_seen },
		{ "a change undone: compared, pristine; the next change seen",
		  test_undone_change_compared_and_pristine },
		{ "a changed MTU: not pristine", test_changed_mtu_seen },
		{ "a link taken down: not pristine", test_link_down_seen },
		{ "an added IPv4 route: not pristine", test_added_ipv4_route_seen },
		{ "an added IPv6 route: not pristine", test_added_ipv6_route_seen },
		{ "as built: no SCTP endpoint or association", test_no_sctp_in_built_topology },
	};

	return pst_unit_main("topo_state", tests, sizeof(tests) / sizeof(tests[0]), NULL, NULL);
}
