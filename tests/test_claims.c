/*
 * Unit tests of the shares' claims (harness/runner/claims.c): of two shares
 * that claim a case, the first runs it and the other does not; a share that
 * goes on in a fresh guest finds its own claims; an unusable directory is an
 * error, not a silent loss of cases. make unit runs this inside UML too,
 * where /tmp is the host's through hostfs, as the guests of --jobs share it.
 */
#include <CUnit/Basic.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "claims.h"
#include "unit.h"

#define NCASES 4

static char dir[] = "/tmp/pst_claims.XXXXXX";
static char claims[sizeof(dir) + 16];

static int suite_init(void)
{
	if (!mkdtemp(dir))
		return -1;
	snprintf(claims, sizeof(claims), "%s/claims", dir);
	return 0;
}

static int suite_clean(void)
{
	pst_claims_dir_remove(claims, NCASES);
	return rmdir(dir);
}

static void first_share_to_claim_runs_the_case(void)
{
	struct pst_claims a, b;

	CU_ASSERT_EQUAL_FATAL(pst_claims_dir_make(claims, NCASES), 0);
	CU_ASSERT_EQUAL_FATAL(pst_claims_init(&a, claims, 0, NCASES), 0);
	CU_ASSERT_EQUAL_FATAL(pst_claims_init(&b, claims, 1, NCASES), 0);
	CU_ASSERT_TRUE(pst_claims_take(&a, 0));
	CU_ASSERT_FALSE(pst_claims_take(&b, 0));
	CU_ASSERT_TRUE(pst_claims_take(&b, 1));
	CU_ASSERT_FALSE(pst_claims_take(&a, 1));
	CU_ASSERT_TRUE(pst_claims_take(&a, 0)); /* asked again: still its own */
	CU_ASSERT_TRUE(pst_claims_owned(&a, 0));
	CU_ASSERT_FALSE(pst_claims_owned(&a, 1));
	CU_ASSERT_FALSE(pst_claims_take(&a, NCASES)); /* no such case */
	CU_ASSERT_EQUAL(a.error, 0);
	CU_ASSERT_EQUAL(b.error, 0);
	pst_claims_free(&a);
	pst_claims_free(&b);
}

static void fresh_guest_finds_its_shares_claims(void)
{
	struct pst_claims dead, fresh, other;

	CU_ASSERT_EQUAL_FATAL(pst_claims_dir_make(claims, NCASES), 0);
	CU_ASSERT_EQUAL_FATAL(pst_claims_init(&dead, claims, 1, NCASES), 0);
	CU_ASSERT_EQUAL_FATAL(pst_claims_init(&other, claims, 0, NCASES), 0);
	CU_ASSERT_TRUE(pst_claims_take(&dead, 2));
	CU_ASSERT_TRUE(pst_claims_take(&other, 3));
	pst_claims_free(&dead);
	CU_ASSERT_EQUAL_FATAL(pst_claims_init(&fresh, claims, 1, NCASES), 0);
	CU_ASSERT_TRUE(pst_claims_take(&fresh, 2));
	CU_ASSERT_FALSE(pst_claims_take(&fresh, 3));
	pst_claims_keep(&fresh, 1);
	CU_ASSERT_TRUE(pst_claims_owned(&fresh, 1));
	pst_claims_free(&fresh);
	pst_claims_free(&other);
}

static void making_the_directory_empties_a_left_one(void)
{
	struct pst_claims a;

	CU_ASSERT_EQUAL_FATAL(pst_claims_dir_make(claims, NCASES), 0);
	CU_ASSERT_EQUAL_FATAL(pst_claims_init(&a, claims, 0, NCASES), 0);
	CU_ASSERT_TRUE(pst_claims_take(&a, 0));
	pst_claims_free(&a);
	CU_ASSERT_EQUAL_FATAL(pst_claims_dir_make(claims, NCASES), 0);
	CU_ASSERT_EQUAL_FATAL(pst_claims_init(&a, claims, 1, NCASES), 0);
	CU_ASSERT_TRUE(pst_claims_take(&a, 0));
	pst_claims_free(&a);
}

static void missing_directory_is_an_error(void)
{
	struct pst_claims a;

	pst_claims_dir_remove(claims, NCASES);
	CU_ASSERT_EQUAL_FATAL(pst_claims_init(&a, claims, 0, NCASES), 0);
	CU_ASSERT_FALSE(pst_claims_take(&a, 0));
	CU_ASSERT_EQUAL(a.error, ENOENT);
	pst_claims_free(&a);
}

int main(void)
{
	static const struct pst_unit_test tests[] = {
		PST_UNIT_TEST(first_share_to_claim_runs_the_case),
		PST_UNIT_TEST(fresh_guest_finds_its_shares_claims),
		PST_UNIT_TEST(making_the_directory_empties_a_left_one),
		PST_UNIT_TEST(missing_directory_is_an_error),
	};

	return pst_unit_main("claims", tests, sizeof(tests) / sizeof(tests[0]), suite_init,
			     suite_clean);
}
