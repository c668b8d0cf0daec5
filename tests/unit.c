/* The shared main() of the harness unit tests: see unit.h. */
#include "unit.h"

#include <CUnit/Basic.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
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

const char *pst_unit_junit_xsd(void)
{
	const char *env = getenv("PST_JUNIT_XSD");

	return env && *env ? env : PST_UNIT_JUNIT_XSD;
}

char *pst_unit_slurp(const char *path, size_t *lenp)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	long len;

	if (!fp)
		return NULL;
	if (fseek(fp, 0, SEEK_END) || (len = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET)) {
		fclose(fp);
		return NULL;
	}
	buf = malloc((size_t)len + 1);
	if (buf && fread(buf, 1, (size_t)len, fp) != (size_t)len) {
		free(buf);
		buf = NULL;
	}
	fclose(fp);
	if (buf) {
		buf[len] = '\0';
		if (lenp)
			*lenp = (size_t)len;
	}
	return buf;
}

int pst_unit_xmllint(const char *file)
{
	const char *xsd = pst_unit_junit_xsd();
	char errfile[] = "/tmp/pst_xmllint.XXXXXX";
	int status, fd;
	pid_t pid;

	if (access(xsd, R_OK)) {
		fprintf(
		    stderr,
		    "\nJUnit schema %s: %s (run from the repository's top, or set PST_JUNIT_XSD)\n",
		    xsd, strerror(errno));
		return -1;
	}
	fd = mkstemp(errfile);
	if (fd < 0)
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(fd);
		unlink(errfile);
		return -1;
	}
	if (pid == 0) {
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		execlp("xmllint", "xmllint", "--nonet", "--noout", "--schema", xsd, file,
		       (char *)NULL);
		fprintf(stderr, "cannot run xmllint: %s\n", strerror(errno));
		_exit(127);
	}
	close(fd);
	if (waitpid(pid, &status, 0) != pid)
		status = -1;
	else
		status = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
	if (status) {
		char *msg = pst_unit_slurp(errfile, NULL);

		fprintf(stderr, "\nxmllint rejected %s against %s (status %d):\n%s\n", file, xsd,
			status, msg ? msg : "(no output)");
		free(msg);
	}
	unlink(errfile);
	return status;
}
