/*
 * The run journal: one line when a case starts and one with its result when
 * it ends, flushed to disk at once. If the kernel under test dies in the
 * middle of a case (a panic in the UML guest), a fresh guest resumes the run
 * from the journal: finished cases keep their results, the case that was
 * running is an ERROR, and the run goes on from the next case.
 *
 * Lines: "S\t<index>\t<suite/case>" and
 * "R\t<index>\t<verdict>\t<seconds>\t<message>\t<detail>\t<log>\t<started>"
 * (started: seconds since the epoch; a line without it reads as 0), with
 * backslash, tab and newline escaped as \\, \t and \n.
 */
#ifndef PST_JOURNAL_H
#define PST_JOURNAL_H

#include <stdbool.h>
#include <stdio.h>

#include "result.h"

/* One case as the journal remembers it. */
struct pst_journal_entry {
	int index;
	char *name;	     /* suite/case */
	int finished;	     /* an R line was seen */
	struct pst_result r; /* verdict, seconds, message, detail, log (malloc'd) */
};

struct pst_journal {
	FILE *f;
	bool sync; /* fsync each record: not on UML's hostfs (see pst_journal_open) */
	struct pst_journal_entry *v;
	size_t n;
};

/* Open for appending. 0 or -1 (errno). */
int pst_journal_open(struct pst_journal *j, const char *path);
int pst_journal_start(struct pst_journal *j, int index, const char *full_name);
int pst_journal_result(struct pst_journal *j, int index, const struct pst_result *r);
void pst_journal_close(struct pst_journal *j);

/* Read what an earlier (dead) run wrote. A missing file is an empty journal. 0 or -1. */
int pst_journal_load(struct pst_journal *j, const char *path);
/* The entry for index, or NULL. */
const struct pst_journal_entry *pst_journal_find(const struct pst_journal *j, int index);
void pst_journal_free(struct pst_journal *j);

#endif
