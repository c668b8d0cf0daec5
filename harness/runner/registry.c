/* Variant expansion and filtering: see registry.h. */
#include "registry.h"

#include <fnmatch.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

static const struct {
	int family;
	const char *name;
} families[] = { { AF_INET, "ipv4" }, { AF_INET6, "ipv6" } };

/* Append s, truncating at the buffer's end (names are cut, never overflow). */
static void append(char *buf, size_t size, const char *s)
{
	size_t len = strnlen(buf, size);

	if (len + 1 < size)
		snprintf(buf + len, size - len, "%s", s);
}

static int add(struct pst_instance **v, size_t *n, size_t *cap, const struct pst_instance *in)
{
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 64;
		struct pst_instance *nv = realloc(*v, ncap * sizeof(**v));

		if (!nv)
			return -1;
		*v = nv;
		*cap = ncap;
	}
	(*v)[(*n)++] = *in;
	return 0;
}

static bool matches(const struct pst_instance *in, const char *suite_name, const char *glob)
{
	char full[256];

	if (suite_name && strcmp(suite_name, in->suite->name) != 0)
		return false;
	if (!glob)
		return true;
	/* A glob may name the case with its variant, without it (all variants), or suite/case;
	 * a comma separates globs, any of which may match (no case name has a comma). */
	snprintf(full, sizeof(full), "%s/%s", in->suite->name, in->name);
	for (const char *g = glob;; g++) {
		char one[sizeof(full)];
		size_t len = strcspn(g, ",");

		if (len < sizeof(one)) {
			memcpy(one, g, len);
			one[len] = '\0';
			if (len > 0 &&
			    (fnmatch(one, in->name, 0) == 0 || fnmatch(one, in->tc->name, 0) == 0 ||
			     fnmatch(one, full, 0) == 0))
				return true;
		}
		g += len;
		if (*g == '\0')
			return false;
	}
}

/* The entry points a case runs through, in enum order, ended by PST_ENTRY_COUNT. */
static const enum pst_entry every_entry[] = { PST_ENTRY_PEELOFF, PST_ENTRY_PEELOFF_FLAGS,
					      PST_ENTRY_RAW, PST_ENTRY_RAW_FLAGS, PST_ENTRY_COUNT };
static const enum pst_entry flags_entries[] = { PST_ENTRY_PEELOFF_FLAGS, PST_ENTRY_RAW_FLAGS,
						PST_ENTRY_COUNT };
static const enum pst_entry no_entry_axis[] = { PST_ENTRY_PEELOFF, PST_ENTRY_COUNT };
_Static_assert(PST_ARRAY_SIZE(every_entry) == PST_ENTRY_COUNT + 1, "every entry point, once");

static const enum pst_entry *entries_of(const struct pst_case *tc)
{
	if (tc->axes & PST_AXIS_ENTRY)
		return every_entry;
	if (tc->axes & PST_AXIS_FLAGS_ENTRY)
		return flags_entries;
	return no_entry_axis;
}

int pst_registry_expand(const struct pst_suite *const *suites, const char *suite_name,
			const char *case_glob, struct pst_instance **out)
{
	struct pst_instance *v = NULL;
	size_t n = 0, cap = 0;

	for (; *suites; suites++) {
		for (size_t c = 0; c < (*suites)->ncases; c++) {
			const struct pst_case *tc = &(*suites)->cases[c];
			size_t nfam = tc->axes & PST_AXIS_FAMILY ? PST_ARRAY_SIZE(families) : 1;
			const enum pst_entry *entries = entries_of(tc);
			bool entry_axis = entries != no_entry_axis;

			for (size_t f = 0; f < nfam; f++) {
				for (const enum pst_entry *e = entries; *e != PST_ENTRY_COUNT;
				     e++) {
					struct pst_instance in = { .suite = *suites,
								   .tc = tc,
								   .family = families[f].family,
								   .entry = *e };
					append(in.name, sizeof(in.name), tc->name);
					if (tc->axes & PST_AXIS_FAMILY)
						append(in.name, sizeof(in.name), "/"),
						    append(in.name, sizeof(in.name),
							   families[f].name);
					if (entry_axis)
						append(in.name, sizeof(in.name), "/"),
						    append(in.name, sizeof(in.name),
							   pst_entry_name(in.entry));
					if (matches(&in, suite_name, case_glob) &&
					    add(&v, &n, &cap, &in) < 0) {
						free(v);
						return -1;
					}
				}
			}
		}
	}
	*out = v;
	return (int)n;
}
