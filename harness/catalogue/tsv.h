/* What the catalogue and the waiver lists share: tab-separated files in a folder. */
#ifndef PST_TSV_H
#define PST_TSV_H

#include <dirent.h>
#include <stdbool.h>
#include <stddef.h>

/*
 * Split the next tab-separated field off *p into out. It must be non-empty
 * and fit; last: it must be the line's last field, else another must follow.
 * 0, or -1 when the line is malformed.
 */
int pst_tsv_field(char **p, char *out, size_t outlen, bool last);
/* The .tsv files of dir, in name order, as scandir() gives them: the count, or -1 (errno). */
int pst_tsv_scan(const char *dir, struct dirent ***names);

#endif
