/* Shares of the cases taken as they go: see claims.h. */
#include "claims.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int pst_claims_init(struct pst_claims *c, const char *dir, unsigned k, int ncases)
{
	memset(c, 0, sizeof(*c));
	c->owned = calloc((size_t)ncases, 1);
	if (!c->owned)
		return -1;
	c->dir = dir;
	c->ncases = ncases;
	snprintf(c->owner, sizeof(c->owner), "%u", k);
	return 0;
}

static void claim_path(const char *dir, int i, char *path, size_t len)
{
	snprintf(path, len, "%s/%d", dir, i);
}

bool pst_claims_take(struct pst_claims *c, int i)
{
	char path[PATH_MAX], target[sizeof(c->owner)];
	ssize_t n;

	if (i < 0 || i >= c->ncases)
		return false;
	if (c->owned[i])
		return true;
	claim_path(c->dir, i, path, sizeof(path));
	if (symlink(c->owner, path) == 0) {
		c->owned[i] = 1;
		return true;
	}
	if (errno != EEXIST) {
		if (!c->error)
			c->error = errno;
		return false;
	}
	/* Another share's, or this share's own from a guest that died since. */
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0 || (size_t)n != strlen(c->owner) || memcmp(target, c->owner, (size_t)n) != 0)
		return false;
	c->owned[i] = 1;
	return true;
}

void pst_claims_keep(struct pst_claims *c, int i)
{
	if (i >= 0 && i < c->ncases)
		c->owned[i] = 1;
}

bool pst_claims_owned(const struct pst_claims *c, int i)
{
	return i >= 0 && i < c->ncases && c->owned[i];
}

void pst_claims_free(struct pst_claims *c)
{
	free(c->owned);
	memset(c, 0, sizeof(*c));
}

void pst_claims_dir_remove(const char *dir, int ncases)
{
	char path[PATH_MAX];

	for (int i = 0; i < ncases; i++) {
		claim_path(dir, i, path, sizeof(path));
		unlink(path);
	}
	rmdir(dir);
}

int pst_claims_dir_make(const char *dir, int ncases)
{
	pst_claims_dir_remove(dir, ncases); /* what an interrupted run left */
	return mkdir(dir, 0700);
}
