/* The one main() every harness unit test program shares: a CUnit suite of named tests. */
#ifndef PST_UNIT_H
#define PST_UNIT_H

#include <CUnit/CUnit.h>
#include <stddef.h>

struct pst_unit_test {
	const char *name;
	CU_TestFunc fn;
};
#define PST_UNIT_TEST(f) \
	{                \
#f, f    \
	}

/*
 * Register tests[0..n) as one suite, run them with CUnit's Basic interface
 * (verbose) and return the process exit status: 0 all passed, 1 a failure,
 * 2 CUnit itself failed (its message on stderr).
 */
int pst_unit_main(const char *suite, const struct pst_unit_test *tests, size_t n,
		  CU_InitializeFunc init, CU_CleanupFunc clean);

/* Write content to dir/name, its path into path. 0 or -1. */
int pst_unit_write_file(const char *dir, const char *name, const char *content, char *path,
			size_t len);
/* Remove the files a test left in dir, then dir. 0 or -1 (rmdir's). */
int pst_unit_remove_dir(const char *dir);

/*
 * The JUnit schema the reports must follow: the project's own
 * tests/schemas/junit.xsd (a path relative to the repository's top, where
 * make runs the tests), or PST_JUNIT_XSD when set.
 */
#define PST_UNIT_JUNIT_XSD "tests/schemas/junit.xsd"
const char *pst_unit_junit_xsd(void);

/*
 * xmllint's exit status for FILE against that schema (-1 when it cannot be
 * run); its messages are printed only when it complains.
 */
int pst_unit_xmllint(const char *file);

/* A whole file, NUL terminated (*lenp its length when lenp); NULL if unreadable. */
char *pst_unit_slurp(const char *path, size_t *lenp);

#endif
