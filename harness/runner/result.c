/* Verdict names and which verdicts fail a run. */
#include "result.h"

#include <string.h>

const char *pst_verdict_name(enum pst_verdict v)
{
	switch (v) {
	case PST_PASS:
		return "PASS";
	case PST_FAIL:
		return "FAIL";
	case PST_SKIP:
		return "SKIP";
	case PST_XFAIL:
		return "XFAIL";
	case PST_XPASS:
		return "XPASS";
	case PST_BROKEN:
		return "BROKEN";
	case PST_ERROR:
		return "ERROR";
	case PST_CHANGED:
		return "CHANGED";
	case PST_VERDICT_COUNT:
		break;
	}
	return "UNKNOWN";
}

int pst_verdict_parse(const char *name)
{
	for (int v = 0; v < PST_VERDICT_COUNT; v++)
		if (strcmp(name, pst_verdict_name((enum pst_verdict)v)) == 0)
			return v;
	return -1;
}

int pst_verdict_fails_run(enum pst_verdict v)
{
	switch (v) {
	case PST_PASS:
	case PST_SKIP:
	case PST_XFAIL:
	case PST_CHANGED:
		return 0;
	case PST_FAIL:
	case PST_XPASS:
	case PST_BROKEN:
	case PST_ERROR:
	case PST_VERDICT_COUNT:
		break;
	}
	/* An out-of-range verdict is a harness bug: it must not pass silently. */
	return 1;
}

int pst_verdict_fails_gate(enum pst_verdict v, int changes_fail)
{
	return pst_verdict_fails_run(v) || (changes_fail && v == PST_CHANGED);
}
