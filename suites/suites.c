/* The run order of the suites. */
#include "suites.h"

#include <stddef.h>

const struct pst_suite *const pst_all_suites[] = {
	&pst_suite_libsctp,
	&pst_suite_success,
	&pst_suite_errors,
	&pst_suite_assoc_ids,
	&pst_suite_emfile,
	&pst_suite_raw,
	&pst_suite_flags,
	&pst_suite_netns,
	&pst_suite_blocked_sender,
	&pst_suite_peeled,
	&pst_suite_peeled_addresses,
	&pst_suite_peeled_options,
	&pst_suite_peeled_sending,
	&pst_suite_peeled_state,
	&pst_suite_concurrency,
	&pst_suite_migration,
	&pst_suite_multihoming,
	&pst_suite_alloc_failure,
	&pst_suite_migrate_options,
	&pst_suite_migrate_queues,
	&pst_suite_migrate_states,
	&pst_suite_migrate_chunks,
	NULL,
};

const struct pst_suite *const pst_selftest_suites[] = {
	&pst_suite_selftest,
	NULL,
};
