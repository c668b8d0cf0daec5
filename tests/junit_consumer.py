#!/usr/bin/python3
"""Read a JUnit report back as a CI server would, with a real JUnit consumer.

    tests/junit_consumer.py REPORT.xml [RESULTS.tsv]

junitparser (Debian's python3-junitparser) parses REPORT.xml. Its view of the
report must agree with the report's own counts (tests, failures, errors,
skipped, per <testsuite> and in <testsuites>) and, given RESULTS.tsv (the
runner's reports/results.tsv), with the runner's own verdict counts (a CHANGED
case is a failure under the gate environment.tsv beside it names, "changes",
and a pass under "requirements"). A report
that junitparser cannot read, or that reads back as something else than
suites of named cases with at most one outcome each, is refused.

Exit 0 when everything agrees (one summary line), 1 naming each disagreement,
2 on bad usage.
"""
import csv
import os
import sys

try:
    from junitparser import Error, Failure, JUnitXml, Skipped
except ImportError:
    sys.exit("junit_consumer.py: no junitparser (apt-get install python3-junitparser)")

# How the runner's verdicts become JUnit outcomes (harness/reporting/junit.c).
OUTCOME = {"PASS": "passed", "XFAIL": "passed", "SKIP": "skipped", "FAIL": "failures",
           "XPASS": "failures", "BROKEN": "errors", "ERROR": "errors", "CHANGED": "failures"}
KINDS = ("tests", "failures", "errors", "skipped")
# How a failure a gate accepted begins its message (harness/runner/result.h PST_ACCEPTED_PREFIX).
ACCEPTED = "accepted (the baseline failed it too, --gate new-failures): "


def outcome(case, problems, where):
    """The case's one outcome, as junitparser reads it."""
    results = case.result
    if len(results) > 1:
        problems.append(f"{where}: {len(results)} outcome elements, expected at most 1")
    if not results:
        return "passed"
    first = results[0]
    if isinstance(first, Failure):
        return "failures"
    if isinstance(first, Error):
        return "errors"
    if isinstance(first, Skipped):
        return "skipped"
    problems.append(f"{where}: outcome <{first._tag}> is none of failure, error, skipped")
    return "passed"


def declared(elem, kind):
    """An attribute junitparser read as a count, or None when absent."""
    value = elem._elem.get(kind)
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        return f"'{value}'"


def count_report(path, problems):
    try:
        xml = JUnitXml.fromfile(path)
    except Exception as exc:  # junitparser passes on the XML parser's own errors
        problems.append(f"{path}: junitparser cannot read it: {exc}")
        return None
    if xml._elem.tag != "testsuites":
        problems.append(f"{path}: root element <{xml._elem.tag}>, expected <testsuites>")
        return None
    stray = [child.tag for child in xml._elem if child.tag != "testsuite"]
    if stray:
        problems.append(f"{path}: <testsuites> holds <{stray[0]}>, expected only <testsuite>")
    total = dict.fromkeys(KINDS, 0)
    for suite in xml:
        if not suite.name:
            problems.append(f"{path}: a <testsuite> without a name")
        seen = dict.fromkeys(KINDS, 0)
        for case in suite:
            where = f"{suite.name}/{case.name}"
            if not case.name or not case.classname:
                problems.append(f"{path}: a case in suite {suite.name} without name or classname")
            seen["tests"] += 1
            kind = outcome(case, problems, where)
            if kind != "passed":
                seen[kind] += 1
        for kind in KINDS:
            said = declared(suite, kind)
            if said != seen[kind]:
                problems.append(f"suite {suite.name}: {kind}: the report says {said}, "
                                f"junitparser counts {seen[kind]}")
            total[kind] += seen[kind]
    for kind in KINDS[:3]:  # <testsuites> has no skipped count (neither in Jenkins' schema)
        said = declared(xml, kind)
        if said != total[kind]:
            problems.append(f"<testsuites> {kind}: the report says {said}, "
                            f"junitparser counts {total[kind]}")
    return total


def gate_of(results_path):
    """The run's gate, from the environment.tsv beside its results.tsv (default: changes)."""
    env = os.path.join(os.path.dirname(results_path), "environment.tsv")
    try:
        with open(env, newline="") as f:
            for row in csv.reader(f, delimiter="\t"):
                if len(row) == 2 and row[0] == "gate":
                    return row[1]
    except OSError:
        pass
    return "changes"


def count_results(path, problems):
    total = dict.fromkeys(KINDS, 0)
    outcomes = dict(OUTCOME)
    if gate_of(path) == "requirements":
        outcomes["CHANGED"] = "passed"
    with open(path, newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            kind = outcomes.get(row["verdict"])
            if (row.get("message") or "").startswith(ACCEPTED):
                kind = "skipped"  # a failure the gate accepted
            if kind is None:
                problems.append(f"{path}: unknown verdict '{row['verdict']}' of {row['case']}")
                continue
            total["tests"] += 1
            if kind != "passed":
                total[kind] += 1
    return total


def main(argv):
    if len(argv) not in (2, 3):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    problems = []
    seen = count_report(argv[1], problems)
    if seen is not None and len(argv) == 3:
        runner = count_results(argv[2], problems)
        for kind in KINDS:
            if runner[kind] != seen[kind]:
                problems.append(f"{kind}: the runner's results.tsv has {runner[kind]}, "
                                f"junitparser counts {seen[kind]} in the report")
    for p in problems:
        print(f"junit_consumer: {p}", file=sys.stderr)
    if problems or seen is None:
        return 1
    print("junitparser reads " + ", ".join(f"{seen[k]} {k}" for k in KINDS) +
          (", as the runner counted" if len(argv) == 3 else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
