/*
 * Linked beside the member of libsctp's static archive that
 * harness/runner/libsctp-archive.sh takes out (not into the runner): where that
 * code came from, which the runner reports (iut.c).
 */
#ifndef PST_ARCHIVE_ORIGIN
#define PST_ARCHIVE_ORIGIN "unknown"
#endif

const char pst_libsctp_archive_origin[] = PST_ARCHIVE_ORIGIN;
