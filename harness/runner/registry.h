/*
 * The flat list of runnable cases: each declared case expanded over its
 * variant axes (address family, entry point) and filtered by --suite/--case.
 */
#ifndef PST_REGISTRY_H
#define PST_REGISTRY_H

#include <stddef.h>

#include "case.h"

struct pst_instance {
	const struct pst_suite *suite;
	const struct pst_case *tc;
	int family;
	enum pst_entry entry;
	char name[160]; /* "case" or "case/ipv6/raw_PEELOFF" */
};

/*
 * Expand suites (NULL-terminated) into *out (malloc'd), keeping the names
 * that match the filters (NULL: all). Returns the count, or -1 on ENOMEM.
 */
int pst_registry_expand(const struct pst_suite *const *suites, const char *suite_name,
			const char *case_glob, struct pst_instance **out);

#endif
