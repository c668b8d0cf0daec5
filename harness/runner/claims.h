/*
 * Shares of the cases taken as they go (--jobs: the guests' --shard, the host
 * target's worker processes). A fixed split (case i to share i % N) leaves
 * one share running while the other has finished: slow cases do not fall
 * evenly. Instead, before its first run of a case, a share claims it: a
 * symbolic link DIR/<case index> whose target is the share's number, made
 * with symlink(2), which the file system makes atomically (the host's, under
 * UML's hostfs and QEMU's 9p too), so exactly one share runs each case. A
 * fresh guest that goes on after its share's kernel died finds that share's
 * claims by their target: a case claimed but not yet in the journal is its own.
 */
#ifndef PST_CLAIMS_H
#define PST_CLAIMS_H

#include <stdbool.h>

struct pst_claims {
	const char *dir;      /* NULL: no claims (a fixed share, or all the cases) */
	char owner[16];	      /* this share's number, the target of its links */
	unsigned char *owned; /* owned[i]: this share runs case i (later repetitions too) */
	int ncases;
	int error; /* the first errno other than EEXIST, 0 if none */
};

/* Claims in DIR for share K of ncases cases. 0, or -1 (out of memory). */
int pst_claims_init(struct pst_claims *c, const char *dir, unsigned k, int ncases);
/* Is case i this share's? Claims it if no share has. */
bool pst_claims_take(struct pst_claims *c, int i);
/* Case i is this share's already (its journal says so). */
void pst_claims_keep(struct pst_claims *c, int i);
/* Was case i this share's (claimed or kept)? */
bool pst_claims_owned(const struct pst_claims *c, int i);
void pst_claims_free(struct pst_claims *c);

/* An empty claims directory DIR for a run of ncases cases; remove it after. 0 or -1 (errno). */
int pst_claims_dir_make(const char *dir, int ncases);
void pst_claims_dir_remove(const char *dir, int ncases);

#endif
