#!/usr/bin/python3
"""Print the shell script LAVA's test shell would run for a test definition's
run steps: set -e, the definition's params, then the job's parameters (as
shell variables, in that order), then run.steps. Used by lab/check.sh.
    lab/tests/testshell.py DEFINITION.yaml [NAME=VALUE...]
"""
import shlex
import sys

import yaml

with open(sys.argv[1], encoding="utf-8") as f:
    definition = yaml.safe_load(f)
print("set -e")
for name, value in list(definition.get("params", {}).items()) + [a.split("=", 1) for a in sys.argv[2:]]:
    print(f"{name}={shlex.quote(str(value))}")
print("\n".join(definition["run"]["steps"]))
