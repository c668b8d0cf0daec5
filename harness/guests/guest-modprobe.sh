#!/bin/sh
# The guest kernel's modprobe (harness/guests/guest-init.sh names it in
# /proc/sys/kernel/modprobe): the modules of the kernel under test, which
# guest-init.sh links under /run/pst-modules/lib/modules/<release>.
exec /sbin/modprobe -d /run/pst-modules "$@"
