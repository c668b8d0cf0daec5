/*
 * The case process reports to the runner over a pipe, one record a line:
 * "<type>\t<file>\t<line>\t<text>\n" with type F (failure), S (skip),
 * B (broken), L (log line), C (the failures that follow belong to the check
 * the text names; empty: the case's unnamed checks) or E (the case ran to
 * its end and closed what it opened: the runner then checks its
 * namespaces). Tabs and newlines in text become spaces.
 */
#ifndef PST_CHANNEL_H
#define PST_CHANNEL_H

#include <setjmp.h>
#include <stddef.h>

enum pst_record {
	PST_REC_FAIL = 'F',
	PST_REC_SKIP = 'S',
	PST_REC_BROKEN = 'B',
	PST_REC_LOG = 'L',
	PST_REC_CHECK = 'C',
	PST_REC_END = 'E'
};

/* Child side: where records go, and where pst_skip()/pst_broken()/fatal failures jump. */
void pst_channel_begin(int fd, jmp_buf *abort_to);
/* Child side: forward CUnit failure records the case added without pst_fail_at(). */
void pst_channel_forward_cunit(unsigned first_record);
void pst_channel_send(enum pst_record type, const char *file, int line, const char *text);
/*
 * pst_fail_at() sends its failures itself and gives CUnit the same text
 * behind this mark, so forwarding does not send them twice.
 */
#define PST_OWN_MARK '\x1f'
/* Child side: end the case now (after a skip/broken record). */
_Noreturn void pst_channel_abort(void);

#define PST_MSG_MAX 1024

/* Parent side: split one record line in place. Returns 0, or -1 if malformed. */
struct pst_record_line {
	enum pst_record type;
	const char *file;
	int line;
	const char *text;
};
int pst_channel_parse(char *line, struct pst_record_line *out);

#endif
