/*
 * Writes into /proc while a case runs: a sysctl (net.sctp.rto_min, or any
 * other of the case's namespaces) set by the case makes its topology unfit
 * for the next case. A fanotify mark on the /proc mount sees every write,
 * whatever the file and however it is written; a case that writes and then
 * restores the old value still counts.
 */
#ifndef PST_PROCWATCH_H
#define PST_PROCWATCH_H

#include <stddef.h>
#include <sys/types.h>

/* A watch on the /proc mount, or -1 (no fanotify here: then no topology is reused). */
int pst_procwatch_open(void);
/*
 * Writes seen since the last call (the events are consumed), or -1 if they
 * cannot be read. The harness's own (this process building a topology, or a
 * sibling --jobs worker doing so) are not counted.
 */
int pst_procwatch_writes(int fd);
/*
 * The same, and the files process pid (any of its threads) wrote under
 * /proc/sys but not /proc/sys/net (knobs of the whole system, not of a
 * network namespace) into sys, one path a line, each once, as many as fit
 * ("" if none).
 */
int pst_procwatch_scan(int fd, pid_t pid, char *sys, size_t len);

#endif
