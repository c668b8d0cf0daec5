#!/bin/bash
# Install what the suite needs from Debian's packages, or say exactly what to run.
#   harness/deps.sh build|uml|check   (each includes the ones before it)
#   harness/deps.sh coverage          (build, plus lcov)
#   harness/deps.sh lines             (uml, plus patchelf: a Debian line's linux.uml on its
#                                      own suite's C library, harness/guests/debian-line.sh)
#   harness/deps.sh lab               (what lab/check.sh validates the lab/ examples with)
#   harness/deps.sh qemu              (build, plus QEMU and what builds its guest's
#                                      initramfs and unpacks kernel packages)
#   harness/deps.sh arm64             (qemu, plus qemu-system-aarch64, Debian's cross
#                                      compiler and the runner's arm64 libraries through
#                                      multiarch: make ARCH=arm64, run.sh --arch arm64)
#   harness/deps.sh lava              (arm64, plus a LAVA server and dispatcher with
#                                      PostgreSQL: lab/lava/instance.sh)
# Exit 0 when everything is there, 2 when something is missing and we are
# not root (the apt-get line to run is printed).
set -u
build="gcc make libc6-dev libcunit1-dev libmnl-dev libsctp-dev libsctp1 iproute2 procps" # (procps: run.sh's supervisor)
uml="user-mode-linux kmod procps"
# (chromium-headless-shell: tests/html_check.sh lays index.html out; a font to lay it out with)
check="libxml2-utils cppcheck clang-format lcov python3-junitparser chromium-headless-shell fonts-dejavu-core"
lab="python3 python3-yaml python3-jsonschema python3-jinja2 yamllint dash"
qemu="qemu-system-x86 busybox-static cpio kmod"
lines=patchelf
# (libtinfo6: the arm64 guest's bash, reached over 9p like the runner's libraries)
arm64="qemu-system-arm gcc-aarch64-linux-gnu libc6-dev:arm64 libcunit1-dev:arm64 libmnl-dev:arm64
	libsctp-dev:arm64 libsctp1:arm64 libtinfo6:arm64"
# (Debian 12's LAVA 2023.01; git: the dispatcher clones the test definition; curl: the instance's checks)
lava="lava-server lava-dispatcher lava-common lavacli postgresql git curl"
case ${1:-build} in
build) want=$build ;;
coverage) want="$build lcov" ;;
uml) want="$build $uml" ;;
lines) want="$build $uml $lines" ;;
qemu) want="$build $qemu" ;;
lava) want="$build $qemu $arm64 $lava" ;; # (the arm64 job: lab/lava/image.sh --arch arm64)
arm64) want="$build $qemu $arm64" ;;
check) want="$build $uml $check $qemu $lab $lines" ;;
lab) want=$lab ;;
*) echo "deps.sh: unknown set '$1' (build, uml, lines, qemu, arm64, lava, coverage, check or lab)" >&2; exit 2 ;;
esac
# run.sh asks on every run: when a check of this set found everything after dpkg's
# last change (its status file), the answer stands without asking dpkg again.
# (no stamp when called without a path: where the project is is not known)
case $0 in */*) stamp=${0%/*}/../build/.deps-${1:-build} ;; *) stamp= ;; esac
[ -n "$stamp" ] && [ -f "$stamp" ] && [ "$stamp" -nt /var/lib/dpkg/status ] && exit 0
# One dpkg-query for all of them. A name with :ARCH is that architecture's
# package (multiarch); one without, the host's own or an architecture-free one.
declare -A installed=()
native=$(dpkg --print-architecture)
while read -r p a status; do
	[ "$status" = "install ok installed" ] || continue
	installed[$p:$a]=1
	[ "$a" = "$native" ] || [ "$a" = all ] && installed[$p]=1
done < <(dpkg-query -W -f='${Package} ${Architecture} ${Status}\n' $want 2>/dev/null)
missing=
for p in $want; do
	[ -n "${installed[$p]:-}" ] || missing="$missing $p"
done
if [ -z "$missing" ]; then
	[ -n "$stamp" ] && [ -d "${stamp%/*}" ] && : >"$stamp"
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "missing Debian packages:$missing" >&2
	case $missing in *:*) echo "(first, for the :ARCH ones: sudo dpkg --add-architecture ARCH)" >&2 ;; esac
	echo "run: sudo apt-get update && sudo apt-get install -y$missing" >&2
	exit 2
fi
echo "installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
# A foreign architecture's packages need it in dpkg's list first (then apt-get update).
for a in $(printf '%s\n' $missing | sed -n 's/.*:\(.*\)/\1/p' | sort -u); do
	dpkg --print-foreign-architectures | grep -qx "$a" || dpkg --add-architecture "$a" ||
		{ echo "deps.sh: dpkg --add-architecture $a failed" >&2; exit 2; }
done
# shellcheck disable=SC2086
{ apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing; } >&2 ||
	{ echo "deps.sh: apt-get install$missing failed" >&2; exit 2; }
