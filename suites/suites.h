/* Every suite of the conformance run, one per area of the documents. */
#ifndef PST_SUITES_H
#define PST_SUITES_H

#include "../harness/runner/case.h"

extern const struct pst_suite pst_suite_success;
extern const struct pst_suite pst_suite_errors;
extern const struct pst_suite pst_suite_libsctp;
extern const struct pst_suite pst_suite_assoc_ids;
extern const struct pst_suite pst_suite_emfile;
extern const struct pst_suite pst_suite_raw;
extern const struct pst_suite pst_suite_flags;
extern const struct pst_suite pst_suite_netns;
extern const struct pst_suite pst_suite_blocked_sender;
extern const struct pst_suite pst_suite_peeled;
extern const struct pst_suite pst_suite_concurrency;
extern const struct pst_suite pst_suite_migration;
extern const struct pst_suite pst_suite_multihoming;
extern const struct pst_suite pst_suite_alloc_failure;
extern const struct pst_suite pst_suite_peeled_options;
extern const struct pst_suite pst_suite_peeled_sending;
extern const struct pst_suite pst_suite_peeled_state;
extern const struct pst_suite pst_suite_peeled_addresses;
extern const struct pst_suite pst_suite_migrate_options;
extern const struct pst_suite pst_suite_migrate_queues;
extern const struct pst_suite pst_suite_migrate_states;
extern const struct pst_suite pst_suite_migrate_chunks;

/* NULL-terminated, in run order. */
extern const struct pst_suite *const pst_all_suites[];

/* The harness's own self-test cases (--selftest): tests/selftest_cases.c. */
extern const struct pst_suite pst_suite_selftest;
extern const struct pst_suite *const pst_selftest_suites[];

#endif
