/*
 * Unit tests of the crypto warm-up (harness/runner/warmup.c), inside UML: it
 * leaves SCTP's HMAC transforms instantiated in the kernel and changes no
 * sysctl of the netns it runs from, and leaves the kernel's module helper as
 * it found it (it empties it meanwhile in a guest). (A freshly booted 6.1 UML
 * guest lists no hmac instance in /proc/crypto, so a warm-up that does nothing
 * fails here.)
 */
#include <CUnit/Basic.h>
#include <stdio.h>
#include <string.h>

#include "unit.h"
#include "warmup.h"

#define AUTH_ENABLE_KNOB "/proc/sys/net/sctp/auth_enable"
#define MODPROBE_KNOB	 "/proc/sys/kernel/modprobe"
#define KNOB_MAX	 256

static void read_knob(const char *knob, char *buf, size_t len)
{
	FILE *f = fopen(knob, "r");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_PTR_NOT_NULL(fgets(buf, (int)len, f));
	fclose(f);
}

/* Does /proc/crypto list an algorithm instance of this name? */
static int crypto_has(const char *name)
{
	char line[256], want[128];
	FILE *f = fopen("/proc/crypto", "r");
	int found = 0;

	if (!f)
		return 0;
	snprintf(want, sizeof(want), ": %s\n", name);
	while (!found && fgets(line, sizeof(line), f))
		found = strncmp(line, "name", strlen("name")) == 0 && strstr(line, want) != NULL;
	fclose(f);
	return found;
}

static void test_transforms_instantiated(void)
{
	CU_ASSERT_EQUAL(pst_warm_kernel_crypto(), 0);
	/* the HMACs of RFC 4895 AUTH (sctp_auth_init) and of the cookie (listen) */
	CU_ASSERT_TRUE(crypto_has("hmac(sha1)"));
	CU_ASSERT_TRUE(crypto_has("hmac(sha256)"));
}

static void test_own_netns_untouched(void)
{
	char before[KNOB_MAX] = "", after[KNOB_MAX] = "";

	read_knob(AUTH_ENABLE_KNOB, before, sizeof(before));
	CU_ASSERT_EQUAL(pst_warm_kernel_crypto(), 0);
	read_knob(AUTH_ENABLE_KNOB, after, sizeof(after));
	CU_ASSERT_STRING_EQUAL(after, before);
}

static void test_module_helper_restored(void)
{
	char before[KNOB_MAX] = "", after[KNOB_MAX] = "";

	read_knob(MODPROBE_KNOB, before, sizeof(before));
	CU_ASSERT_NOT_EQUAL(strcmp(before, "\n"), 0); /* the guest set one up */
	CU_ASSERT_EQUAL(pst_warm_kernel_crypto(), 0);
	read_knob(MODPROBE_KNOB, after, sizeof(after));
	CU_ASSERT_STRING_EQUAL(after, before);
}

int main(void)
{
	static const struct pst_unit_test tests[] = {
		{ "HMAC transforms instantiated", test_transforms_instantiated },
		{ "own netns's auth_enable untouched", test_own_netns_untouched },
		{ "module helper as it was", test_module_helper_restored },
	};

	return pst_unit_main("warmup", tests, sizeof(tests) / sizeof(tests[0]), NULL, NULL);
}
