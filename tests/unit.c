/* The shared main() of the harness unit tests: see unit.h. */
#include "unit.h"

#include <CUnit/Basic.h>
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int pst_unit_main(const char *suite_name, const struct pst_unit_test *tests, size_t n,
		  CU_InitializeFunc init, CU_CleanupFunc clean)
{
	CU_pSuite suite;
	unsigned failed;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	suite = CU_add_suite(suite_name, init, clean);
	if (!suite)
		goto err;
	for (size_t i = 0; i < n; i++)
		if (!CU_add_test(suite, tests[i].name, tests[i].fn))
			goto err;
	CU_basic_set_mode(CU_BRM_VERBOSE);
	if (CU_basic_run_tests() != CUE_SUCCESS)
		goto err;
	/* A failed assertion, or a suite whose init or cleanup failed. */
	failed = CU_get_number_of_failures() + CU_get_number_of_suites_failed();
	CU_cleanup_registry();
	return failed ? 1 : 0;
err:
	fprintf(stderr, "CUnit: %s\n", CU_get_error_msg());
	CU_cleanup_registry();
	return 2;
}

int pst_unit_write_file(const char *dir, const char *name, const char *content, char *path,
			size_t len)
{
	FILE *f;
	int ok;

	snprintf(path, len, "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		return -1;
	ok = fputs(content, f) >= 0;
	return fclose(f) == 0 && ok ? 0 : -1;
}

int pst_unit_remove_dir(const char *dir)
{
	DIR *d = opendir(dir);

	if (d) {
		for (const struct dirent *e; (e = readdir(d));)
			if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
				unlinkat(dirfd(d), e->d_name, 0);
		closedir(d);
	}
	return rmdir(dir);
}
