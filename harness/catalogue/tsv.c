/* Tab-separated files in a folder: see tsv.h. */
#include "tsv.h"

#include <string.h>

int pst_tsv_field(char **p, char *out, size_t outlen, bool last)
{
	char *tab = strchr(*p, '\t');
	size_t n = tab ? (size_t)(tab - *p) : strlen(*p);

	if (n == 0 || n >= outlen || (last && tab) || (!last && !tab))
		return -1;
	memcpy(out, *p, n);
	out[n] = '\0';
	*p += n + (tab ? 1 : 0);
	return 0;
}

static int tsv_only(const struct dirent *e)
{
	size_t n = strlen(e->d_name);

	return n > 4 && strcmp(e->d_name + n - 4, ".tsv") == 0;
}

int pst_tsv_scan(const char *dir, struct dirent ***names)
{
	return scandir(dir, names, tsv_only, alphasort);
}
