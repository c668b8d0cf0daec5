#!/bin/bash
# Runs a command and says how long it took (make check's and CI's steps, so a
# slow step shows in the log); the command's own exit status.
#   tests/timed.sh COMMAND [ARG...]
start=$(date +%s)
"$@"
st=$?
echo "timed: $* took $(($(date +%s) - start)) s (exit $st)"
exit "$st"
