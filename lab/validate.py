#!/usr/bin/python3
"""Validate the lab/ examples against the schema for their kind.

    lab/validate.py KIND FILE...     KIND: lava-testdef, lava-job, kernelci,
                                     kernelci-template, github, gitlab
Prints one line per problem ("FILE: path: message") and exits 1 if any, 0 if
none, 2 on usage errors. The schemas (lab/schemas/) check structure; the few
rules a JSON schema cannot say are checked here (see the functions below).
Debian 12's python3-yaml, python3-jsonschema (4.10) and python3-jinja2.
"""
import json
import os
import sys

import jsonschema
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMAS = os.path.join(HERE, "schemas")
KINDS = {
    "lava-testdef": "lava-test-definition.schema.json",
    "lava-job": "lava-job.schema.json",
    "kernelci": "kernelci-config.schema.json",
    # A KernelCI test-method template renders to a list of LAVA job actions.
    "kernelci-template": "lava-job.schema.json",
    "github": "github-workflow.schema.json",
    "gitlab": "gitlab-ci.schema.json",
}
# What a KernelCI runtime passes to a test template, for a trial rendering.
TEMPLATE_CONTEXT = {
    "node": {"name": "sctp-peeloff", "id": "0123456789abcdef01234567"},
    "job_timeout": 40,
    "repository": "https://git.example.org/sctp-peeloff-suite.git",
    "revision": "main",
    "profile": "linux",
    "suite": "",
}
TIMEOUT_UNITS = {"days": 86400, "hours": 3600, "minutes": 60, "seconds": 1}


def load_schema(name):
    with open(os.path.join(SCHEMAS, name), encoding="utf-8") as f:
        return json.load(f)


def validator_for(schema_name):
    """A Draft 2020-12 validator that resolves the cross-file $refs locally."""
    store = {}
    for name in os.listdir(SCHEMAS):
        if name.endswith(".schema.json"):
            store[name] = load_schema(name)
    schema = store[schema_name]
    cls = jsonschema.Draft202012Validator
    cls.check_schema(schema)
    try:  # jsonschema >= 4.18 (not Debian 12's): the referencing registry
        from referencing import Registry, Resource

        registry = Registry().with_resources(
            (name, Resource.from_contents(s)) for name, s in store.items())
        return cls(schema, registry=registry)
    except ImportError:
        resolver = jsonschema.RefResolver(schema_name, schema, store=store)
        return cls(schema, resolver=resolver)


def seconds(timeout):
    return sum(TIMEOUT_UNITS[k] * v for k, v in timeout.items() if k in TIMEOUT_UNITS)


def lava_job_rules(doc):
    """LAVA refuses a job whose action or global timeouts exceed the job's."""
    problems = []
    timeouts = doc.get("timeouts") or {}
    job = seconds(timeouts.get("job") or {})
    for key in ("action", "connection"):
        if key in timeouts and seconds(timeouts[key]) > job:
            problems.append(f"timeouts.{key}: larger than the job timeout")
    for i, action in enumerate(doc.get("actions") or []):
        for kind, body in action.items():
            if isinstance(body, dict) and "timeout" in body and seconds(body["timeout"]) > job:
                problems.append(f"actions.{i}.{kind}.timeout: larger than the job timeout")
    return problems


def kernelci_rules(doc):
    """Every scheduler entry must name a job of the same configuration."""
    jobs = doc.get("jobs") or {}
    return [f"scheduler.{i}.job: '{e.get('job')}' is not in jobs"
            for i, e in enumerate(doc.get("scheduler") or []) if e.get("job") not in jobs]


def load(kind, path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if kind == "kernelci-template":
        import jinja2

        env = jinja2.Environment(undefined=jinja2.StrictUndefined)
        actions = yaml.safe_load(env.from_string(text).render(TEMPLATE_CONTEXT))
        # Wrap the actions in the smallest job that the LAVA job schema accepts.
        return {"job_name": "template trial", "device_type": "qemu", "visibility": "public",
                "timeouts": {"job": {"hours": 2}}, "actions": actions}
    doc = yaml.safe_load(text)
    if kind == "github" and isinstance(doc, dict) and True in doc:
        # YAML 1.1 reads the bare key "on" as the boolean true; GitHub reads "on".
        doc["on"] = doc.pop(True)
    return doc


def main(argv):
    if len(argv) < 3 or argv[1] not in KINDS:
        print(f"usage: validate.py {{{','.join(KINDS)}}} FILE...", file=sys.stderr)
        return 2
    kind, files = argv[1], argv[2:]
    validator = validator_for(KINDS[kind])
    extra = {"lava-job": lava_job_rules, "kernelci-template": lava_job_rules,
             "kernelci": kernelci_rules}.get(kind, lambda doc: [])
    bad = 0
    for path in files:
        try:
            doc = load(kind, path)
        except Exception as exc:  # unreadable, YAML or template error: one line, no trace
            print(f"{path}: {type(exc).__name__}: {exc}".replace("\n", " "))
            bad += 1
            continue
        problems = [f"{'.'.join(str(p) for p in e.absolute_path) or '(top)'}: {e.message}"
                    for e in sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.path)))]
        try:  # the rules beyond the schema, on whatever shape the document has
            problems += extra(doc)
        except (AttributeError, KeyError, TypeError):
            pass
        for p in problems:
            print(f"{path}: {p}")
        bad += bool(problems)
        if not problems:
            print(f"{path}: valid {kind}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
