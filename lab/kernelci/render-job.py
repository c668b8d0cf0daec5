#!/usr/bin/python3
"""Render the KernelCI test template (lab/kernelci/sctp-peeloff.jinja2) as
KernelCI's LAVA runtime does, and make it a whole job for a LAVA instance.

    lab/kernelci/render-job.py BASE_JOB [NAME=VALUE...] > job.yaml

The template's variables are what KernelCI passes: the "params" of the
sctp-peeloff job in lab/kernelci/sctp-peeloff.yaml, the node (its name and id),
then NAME=VALUE from the command line (repository=URL, suite=peeled_socket,
suite_dir=/opt/sctp-peeloff, upload=URL, ...). An undefined variable is an error,
as in KernelCI. KernelCI's own job template puts the platform's deploy and boot
actions before the test method's: here they are BASE_JOB's (lab/lava/job-qemu.yaml,
the qemu platform of lab/lava/instance.sh), with its device type, context and
timeouts. Debian 12's python3-yaml and python3-jinja2.
"""
import os
import sys

import jinja2
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))


def main(argv):
    if len(argv) < 2 or any("=" not in a for a in argv[2:]):
        print("usage: render-job.py BASE_JOB [NAME=VALUE...]", file=sys.stderr)
        return 2
    with open(os.path.join(HERE, "sctp-peeloff.yaml"), encoding="utf-8") as f:
        config = yaml.safe_load(f)
    context = dict(config["jobs"]["sctp-peeloff"]["params"])
    # (a KernelCI node's id is the API's 24 hex digits; this one names no node)
    context["node"] = {"name": "sctp-peeloff", "id": "0" * 24}
    context.update(a.split("=", 1) for a in argv[2:])
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE), undefined=jinja2.StrictUndefined)
    actions = yaml.safe_load(env.get_template("sctp-peeloff.jinja2").render(context))
    with open(argv[1], encoding="utf-8") as f:
        job = yaml.safe_load(f)
    job["job_name"] = "sctp-peeloff via KernelCI's test template (%s)" % context["node"]["name"]
    job["actions"] = [a for a in job["actions"] if "test" not in a] + actions
    print(yaml.safe_dump(job, sort_keys=False), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
