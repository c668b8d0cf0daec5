/*
 * JUnit XML writer, checked against tests/schemas/junit.xsd (the project's
 * schema, no looser than Jenkins' xUnit one; see tests/schemas/SOURCES.md).
 *
 * What those schemas do not allow, and where the information goes instead:
 * - <testcase> has no <properties>: XFAIL is the first line of <system-out>.
 * - <testsuites> has no "skipped" attribute: the skip count is per <testsuite>.
 * - <testsuite time> is "digits[.ddd]": times are clamped to >= 0, 3 decimals.
 *
 * A <testsuite>'s time (and <testsuites>') is its wall time, from the start of
 * its first case to the end of its last: with --jobs its cases overlap, and
 * between them the harness works too. Without the cases' start times (a
 * result that has none but a time of its own), the sum of its cases' times.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "junit.h"

enum esc_mode { ESC_TEXT, ESC_ATTR };

enum kind { K_PASS, K_FAILURE, K_ERROR, K_SKIPPED };

struct counts {
	size_t tests, failures, errors, skipped;
	long long ms;	    /* the sum of the cases' times */
	double first, last; /* the earliest start and latest end of a case, epoch seconds */
	bool timed;	    /* every case has its start time: first and last hold */
	bool untimed;	    /* a case has none */
};

/* changes_fail: the run's gate fails on a CHANGED case (--gate changes, the default). */
static enum kind verdict_kind(enum pst_verdict v, int changes_fail)
{
	switch (v) {
	case PST_PASS:
	case PST_XFAIL: /* passes, but stays visible in system-out */
		return K_PASS;
	case PST_CHANGED: /* a failure only where the gate says so; else visible in system-out */
		return changes_fail ? K_FAILURE : K_PASS;
	case PST_FAIL:
	case PST_XPASS:
		return K_FAILURE;
	case PST_SKIP:
		return K_SKIPPED;
	case PST_BROKEN:
	case PST_ERROR:
	case PST_VERDICT_COUNT:
		break;
	}
	return K_ERROR;
}

static int is_set(const char *s)
{
	return s && *s;
}

static const char *suite_of(const struct pst_result *r)
{
	return r->suite ? r->suite : "(none)";
}

/*
 * Bytes taken by the character at s: the length of a well-formed UTF-8
 * sequence, else 1 (the bad byte alone, so resynchronisation is at the next
 * byte). *ok says whether XML 1.0 allows the character. Stops at the
 * terminating NUL (not a continuation byte), so it never reads past the end.
 */
static size_t xml_char(const unsigned char *s, int *ok)
{
	unsigned int cp;
	size_t len, i;

	*ok = 0;
	if (s[0] < 0x80) {
		*ok = s[0] >= 0x20 || s[0] == '\t' || s[0] == '\n' || s[0] == '\r';
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 1; /* continuation byte, overlong 2-byte lead, or beyond U+10FFFF */
	}
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 1;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* Overlong, out of range or a surrogate: ill-formed UTF-8. */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 1;
	*ok = cp != 0xfffe && cp != 0xffff; /* well-formed, but not XML 1.0 characters */
	return len;
}

static const char *entity(unsigned char c, enum esc_mode mode)
{
	switch (c) {
	case '&':
		return "&amp;";
	case '<':
		return "&lt;";
	case '>':
		return "&gt;";
	case '"':
		return "&quot;";
	case '\'':
		return "&apos;";
	case '\r': /* a literal CR would be turned into LF by the parser */
		return "&#13;";
	case '\n': /* attribute values get literal whitespace normalised to spaces */
		return mode == ESC_ATTR ? "&#10;" : NULL;
	case '\t':
		return mode == ESC_ATTR ? "&#9;" : NULL;
	default:
		return NULL;
	}
}

/* Anything not valid UTF-8 or not an XML 1.0 character becomes '?'. */
static void put_escaped(FILE *out, const char *str, enum esc_mode mode)
{
	const unsigned char *s = (const unsigned char *)str;
	const unsigned char *run = s;

	while (*s) {
		int ok;
		size_t len = xml_char(s, &ok);
		const char *rep = ok ? entity(*s, mode) : "?";

		s += len;
		if (!rep)
			continue;
		fwrite(run, 1, (size_t)(s - len - run), out);
		fputs(rep, out);
		run = s;
	}
	fwrite(run, 1, (size_t)(s - run), out);
}

/* Text content that ends with a newline, so the next line starts clean. */
static void put_line(FILE *out, const char *s)
{
	size_t n = strlen(s);

	put_escaped(out, s, ESC_TEXT);
	if (n && s[n - 1] != '\n')
		putc('\n', out);
}

static void put_attr(FILE *out, const char *name, const char *value)
{
	fprintf(out, " %s=\"", name);
	put_escaped(out, value, ESC_ATTR);
	putc('"', out);
}

/*
 * Milliseconds, rounded; clamped because the schema's time pattern has no
 * sign (nor room for NaN) and a broken clock must not make the report
 * invalid. Integer output keeps the decimal point a '.' whatever LC_NUMERIC.
 */
static long long to_ms(double seconds)
{
	if (!(seconds > 0)) /* also NaN */
		return 0;
	if (seconds > 1e9) /* 31 years: keeps any sum of cases within a long long */
		seconds = 1e9;
	return (long long)(seconds * 1000.0 + 0.5);
}

static void put_time(FILE *out, long long ms)
{
	fprintf(out, " time=\"%lld.%03lld\"", ms / 1000, ms % 1000);
}

/* The time of a group of cases: its wall time when every case has its start, else the sum. */
static long long wall_ms(const struct counts *c)
{
	return c->timed && !c->untimed ? to_ms(c->last - c->first) : c->ms;
}

/* A failure a gate accepted is skipped, with why in its message. */
static enum kind kind_of(const struct pst_result *r, int changes_fail)
{
	return r->accepted ? K_SKIPPED : verdict_kind(r->verdict, changes_fail);
}

static void count(struct counts *c, const struct pst_result *r, int changes_fail)
{
	double end = r->started + (r->seconds > 0 ? r->seconds : 0);

	c->tests++;
	c->ms += to_ms(r->seconds);
	if (!(r->started > 0)) {
		/* (one with no time either, as a case the kernel died during, takes none away) */
		c->untimed = c->untimed || r->seconds > 0;
	} else if (!c->timed) {
		c->timed = true;
		c->first = r->started;
		c->last = end;
	} else {
		c->first = r->started < c->first ? r->started : c->first;
		c->last = end > c->last ? end : c->last;
	}
	switch (kind_of(r, changes_fail)) {
	case K_FAILURE:
		c->failures++;
		break;
	case K_ERROR:
		c->errors++;
		break;
	case K_SKIPPED:
		c->skipped++;
		break;
	case K_PASS:
		break;
	}
}

static void put_property(FILE *out, const char *name, const char *value)
{
	if (!value)
		return;
	fprintf(out, "      <property name=\"%s\"", name);
	put_attr(out, "value", value);
	fputs("/>\n", out);
}

static void put_properties(FILE *out, const struct pst_run_info *info)
{
	if (!info->kernel && !info->target && !info->profile && !info->libsctp &&
	    !info->suite_version && !info->hostname && !info->shuffle_seed)
		return;
	fputs("    <properties>\n", out);
	put_property(out, "kernel", info->kernel);
	put_property(out, "target", info->target);
	put_property(out, "accelerator", info->accel);
	put_property(out, "profile", info->profile);
	put_property(out, "libsctp", info->libsctp);
	put_property(out, "libsctp_flags_source", info->libsctp_flags);
	put_property(out, "suite_version", info->suite_version);
	put_property(out, "hostname", info->hostname);
	put_property(out, "shuffle_seed", info->shuffle_seed);
	fputs("    </properties>\n", out);
}

/*
 * <failure> or <error>: the text is the detail, else the message again. A known
 * bug (r->known) ends the message and the text: what a CI page shows of a failure.
 */
static void put_problem(FILE *out, const char *elem, const struct pst_result *r)
{
	const char *vname = pst_verdict_name(r->verdict);
	const char *msg = r->message ? r->message : vname;
	char *with_known = NULL;

	if (r->known && asprintf(&with_known, "%s; %s", msg, r->known) >= 0)
		msg = with_known;
	fprintf(out, "      <%s", elem);
	put_attr(out, "type", vname);
	put_attr(out, "message", msg);
	putc('>', out);
	if (is_set(r->detail)) {
		if (r->known) {
			put_line(out, r->detail);
			put_escaped(out, r->known, ESC_TEXT);
		} else {
			put_escaped(out, r->detail, ESC_TEXT);
		}
	} else {
		put_escaped(out, msg, ESC_TEXT);
	}
	fprintf(out, "</%s>\n", elem);
	free(with_known);
}

static void put_system_out(FILE *out, const struct pst_result *r, int changes_fail)
{
	/* passed, with its verdict and records in system-out */
	int xfail =
	    r->verdict == PST_XFAIL || (r->verdict == PST_CHANGED && !changes_fail) || r->accepted;
	/* a PASS with a message: a note, such as a stale waiver */
	int note = r->verdict == PST_PASS && is_set(r->message);

	if (!xfail && !note && !is_set(r->log) && !is_set(r->reqs) && !is_set(r->tags))
		return;
	fputs("      <system-out>", out);
	if (note) {
		fputs("PASS: ", out);
		put_line(out, r->message);
	}
	if (xfail) {
		fprintf(out, "%s: ", pst_verdict_name(r->verdict));
		put_line(out, is_set(r->message) ? r->message : "(no message)");
		/* The expected failure's records have nowhere else to go. */
		if (is_set(r->detail))
			put_line(out, r->detail);
		/* (a failure's known bug is in its <failure>; a passed CHANGED has only this) */
		if (r->known)
			put_line(out, r->known);
	}
	if (is_set(r->log))
		put_line(out, r->log);
	if (is_set(r->reqs)) {
		fputs("requirements: ", out);
		put_line(out, r->reqs);
	}
	if (is_set(r->tags)) {
		fputs("tags: ", out);
		put_line(out, r->tags);
	}
	fputs("</system-out>\n", out);
}

static void put_testcase(FILE *out, const struct pst_result *r, int changes_fail)
{
	fputs("    <testcase", out);
	put_attr(out, "classname", suite_of(r));
	put_attr(out, "name", r->name ? r->name : "(none)");
	put_time(out, to_ms(r->seconds));
	fputs(">\n", out);
	switch (kind_of(r, changes_fail)) {
	case K_FAILURE:
		put_problem(out, "failure", r);
		break;
	case K_ERROR:
		put_problem(out, "error", r);
		break;
	case K_SKIPPED:
		fputs("      <skipped", out);
		if (r->message)
			put_attr(out, "message", r->message);
		fputs("/>\n", out);
		break;
	case K_PASS:
		break;
	}
	put_system_out(out, r, changes_fail);
	fputs("    </testcase>\n", out);
}

static void put_testsuite(FILE *out, const struct pst_run_info *info, const struct pst_result *res,
			  size_t n, size_t first, size_t id, unsigned char *done)
{
	const char *name = suite_of(&res[first]);
	struct counts c = { 0 };
	size_t i;

	for (i = first; i < n; i++)
		if (!strcmp(suite_of(&res[i]), name))
			count(&c, &res[i], info->changes_fail);

	fputs("  <testsuite", out);
	put_attr(out, "name", name);
	fprintf(out, " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\"", c.tests,
		c.failures, c.errors, c.skipped);
	put_time(out, wall_ms(&c));
	if (info->timestamp)
		put_attr(out, "timestamp", info->timestamp);
	if (info->hostname)
		put_attr(out, "hostname", info->hostname);
	fprintf(out, " id=\"%zu\">\n", id);
	put_properties(out, info);

	for (i = first; i < n; i++) {
		if (done[i] || strcmp(suite_of(&res[i]), name))
			continue;
		done[i] = 1;
		put_testcase(out, &res[i], info->changes_fail);
	}
	fputs("  </testsuite>\n", out);
}

int pst_junit_write(FILE *out, const struct pst_run_info *info, const struct pst_result *res,
		    size_t n)
{
	static const struct pst_run_info no_info;
	struct counts total = { 0 };
	unsigned char *done;
	size_t i, id = 0;

	if (!out || (n && !res)) {
		errno = EINVAL;
		return -1;
	}
	if (!info)
		info = &no_info;
	/* One flag per result: grouping costs O(n * suites), not O(n^2). */
	done = calloc(n ? n : 1, 1);
	if (!done)
		return -1;

	for (i = 0; i < n; i++)
		count(&total, &res[i], info->changes_fail);
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
	fprintf(out, "<testsuites tests=\"%zu\" failures=\"%zu\" errors=\"%zu\"", total.tests,
		total.failures, total.errors);
	put_time(out, wall_ms(&total));
	fputs(">\n", out);
	for (i = 0; i < n; i++)
		if (!done[i])
			put_testsuite(out, info, res, n, i, id++, done);
	fputs("</testsuites>\n", out);
	free(done);

	if (fflush(out) || ferror(out))
		return -1;
	return 0;
}

/* Best effort: makes the rename itself survive a crash. */
static void sync_parent_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int fd;

	if (!slash)
		dir = strdup(".");
	else if (slash == path)
		dir = strdup("/");
	else
		dir = strndup(path, (size_t)(slash - path));
	if (!dir)
		return;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

int pst_junit_write_file(const char *path, const struct pst_run_info *info,
			 const struct pst_result *res, size_t n)
{
	FILE *fp = NULL;
	char *tmp;
	size_t len;
	int fd, err;

	if (!path || !*path) {
		errno = EINVAL;
		return -1;
	}
	len = strlen(path) + sizeof(".tmp.") + 3 * sizeof(long);
	tmp = malloc(len);
	if (!tmp)
		return -1;
	snprintf(tmp, len, "%s.tmp.%ld", path, (long)getpid());

	/* O_NOFOLLOW: a planted symlink must not redirect the write. */
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		goto fail_nofile;
	fp = fdopen(fd, "w");
	if (!fp) {
		err = errno;
		close(fd);
		errno = err;
		goto fail;
	}
	if (pst_junit_write(fp, info, res, n) || fflush(fp) || fsync(fd))
		goto fail;
	err = fclose(fp);
	fp = NULL;
	if (err || rename(tmp, path))
		goto fail;
	free(tmp);
	sync_parent_dir(path);
	return 0;

fail:
	err = errno;
	if (fp)
		fclose(fp);
	unlink(tmp);
	errno = err;
fail_nofile:
	free(tmp);
	return -1;
}
