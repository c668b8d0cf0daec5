/*
 * Unit tests of the kernel's SCTP object counts (harness/runner/objcnt.c):
 * the text of /proc/net/sctp/sctp_dbg_objcnt as 6.1 writes it, and what a
 * case left behind said kind by kind. Counting around real cases is checked
 * in UML on the sanitizer kernel (kernel/build.sh --sanitize).
 */
#include <CUnit/Basic.h>
#include <string.h>

#include "objcnt.h"
#include "unit.h"

/* As net/sctp/objcnt.c prints it: "label: count", each line padded to 127. */
static const char sample[] =
    "sock: 3                                                                 \n"
    "ep: 3\n"
    "assoc: 0\n"
    "transport: 0\n"
    "chunk: 0\n"
    "bind_addr: 0\n"
    "bind_bucket: 0\n"
    "addr: 0\n"
    "datamsg: 0\n"
    "keys: 3\n";

static void counts_are_read_by_name(void)
{
	struct pst_objcnt c;

	CU_ASSERT_EQUAL_FATAL(pst_objcnt_parse(sample, &c), 0);
	CU_ASSERT_EQUAL(c.n, 10);
	CU_ASSERT_STRING_EQUAL(c.name[0], "sock");
	CU_ASSERT_EQUAL(c.count[0], 3);
	CU_ASSERT_STRING_EQUAL(c.name[9], "keys");
	CU_ASSERT_EQUAL(c.count[9], 3);
	CU_ASSERT_EQUAL(pst_objcnt_parse("", &c), -1);
	CU_ASSERT_EQUAL(pst_objcnt_parse("no counts here\n", &c), -1);
}

static void what_is_left_is_named_kind_by_kind(void)
{
	struct pst_objcnt before, after, d;
	char buf[256];

	pst_objcnt_parse(sample, &before);
	after = before;
	CU_ASSERT_TRUE(pst_objcnt_equal(&after, &before));
	CU_ASSERT_EQUAL(pst_objcnt_more(&after, &before, buf, sizeof(buf)), 0);
	CU_ASSERT_STRING_EQUAL(buf, "");
	after.count[2] += 1; /* assoc */
	after.count[3] += 2; /* transport */
	after.count[0] -= 1; /* a socket of before freed: not a leak */
	CU_ASSERT_FALSE(pst_objcnt_equal(&after, &before));
	CU_ASSERT_EQUAL(pst_objcnt_more(&after, &before, buf, sizeof(buf)), 2);
	CU_ASSERT_STRING_EQUAL(buf, "assoc +1, transport +2");
	pst_objcnt_sub(&after, &before, &d);
	CU_ASSERT_EQUAL(d.count[0], -1);
	CU_ASSERT_EQUAL(d.count[2], 1);
	CU_ASSERT_EQUAL(pst_objcnt_more(&after, &before, buf, 8), 2); /* cut, still counted */
	CU_ASSERT_EQUAL(strlen(buf), 7);
}

int main(void)
{
	static const struct pst_unit_test tests[] = {
		PST_UNIT_TEST(counts_are_read_by_name),
		PST_UNIT_TEST(what_is_left_is_named_kind_by_kind),
	};

	return pst_unit_main("objcnt", tests, sizeof(tests) / sizeof(tests[0]), NULL, NULL);
}
