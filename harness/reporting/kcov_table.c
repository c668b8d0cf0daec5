/* The kernel coverage table: see kcov_table.h. */
#include "kcov_table.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define LINE_MAX_LEN 512
#define NUMBERS	     7 /* the numeric columns after the name */

static int valid_name(const char *s, size_t n)
{
	if (n == 0 || n >= PST_KCOV_NAME_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!(s[i] == '_' || (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9')))
			return 0;
	return 1;
}

/* One row; 0 or -1 with the reason in err. */
static int parse_row(char *line, struct pst_kcov_row *r, char *err, size_t errlen)
{
	unsigned long *num[NUMBERS] = { &r->first_line,	 &r->last_line,	   &r->lines_hit,
					&r->lines_total, &r->branches_hit, &r->branches_total,
					&r->calls };
	char *p = line, *tab = strchr(p, '\t');

	if (!tab || !valid_name(p, (size_t)(tab - p))) {
		snprintf(err, errlen, "expected a function name (letters, digits, '_') and a tab");
		return -1;
	}
	memcpy(r->name, p, (size_t)(tab - p));
	r->name[tab - p] = '\0';
	p = tab + 1;
	for (int i = 0; i < NUMBERS; i++) {
		char *end;

		if (*p < '0' || *p > '9') {
			snprintf(err, errlen, "field %d is not a number", i + 2);
			return -1;
		}
		errno = 0;
		*num[i] = strtoul(p, &end, 10);
		if (errno || (*end != '\t' && *end != '\0')) {
			snprintf(err, errlen, "field %d is not a number", i + 2);
			return -1;
		}
		if ((*end == '\0') != (i == NUMBERS - 1)) {
			snprintf(err, errlen, "expected 8 tab-separated fields, got %s",
				 *end ? "more" : "fewer");
			return -1;
		}
		p = end + 1;
	}
	if (r->lines_hit > r->lines_total || r->branches_hit > r->branches_total) {
		snprintf(err, errlen, "%s: more hit than total", r->name);
		return -1;
	}
	return 0;
}

int pst_kcov_table_read(FILE *in, struct pst_kcov_table *t, char *err, size_t errlen)
{
	char line[LINE_MAX_LEN], why[LINE_MAX_LEN / 2];
	unsigned long lineno = 0;

	t->n = 0;
	while (fgets(line, sizeof(line), in)) {
		size_t len = strlen(line);

		lineno++;
		if (len && line[len - 1] != '\n' && !feof(in)) {
			snprintf(err, errlen, "line %lu: longer than %d characters", lineno,
				 LINE_MAX_LEN - 2);
			return -1;
		}
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		if (t->n == PST_KCOV_ROWS_MAX) {
			snprintf(err, errlen, "line %lu: more than %d functions", lineno,
				 PST_KCOV_ROWS_MAX);
			return -1;
		}
		if (parse_row(line, &t->row[t->n], why, sizeof(why)) < 0) {
			snprintf(err, errlen, "line %lu: %s", lineno, why);
			return -1;
		}
		t->n++;
	}
	if (ferror(in)) {
		snprintf(err, errlen, "read error");
		return -1;
	}
	return 0;
}
