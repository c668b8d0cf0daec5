#!/bin/bash
# One cell of the CI examples' kernel matrix (lab/github, lab/gitlab): pick the
# kernel, then run the suite on it with the given run.sh options.
#   lab/ci/kernel-run.sh [--dry-run] stock-uml|builtin-uml|debian-qemu [run.sh options...]
#     stock-uml    Debian's user-mode-linux package (/usr/bin/linux.uml + modules)
#     builtin-uml  a UML kernel from Debian's linux-source-6.1, SCTP built in
#                  (kernel/build.sh; cached in ~/.cache/pst-kernel)
#     debian-qemu  Debian's current linux-image-amd64 under QEMU (--kernel-deb;
#                  downloaded with apt-get download, never installed)
# Exit status: run.sh's (0 pass, 1 conformance failure, 2 usage/dependency,
# 3 target could not run); 2 for an unknown kernel name.
# --dry-run prints the run.sh command line instead of building or running.
set -euo pipefail
cd "$(dirname "$0")/../.."
dry=
if [[ ${1:-} == --dry-run ]]; then
	dry=1
	shift
fi
if [[ $# -lt 1 ]]; then
	echo "usage: kernel-run.sh [--dry-run] stock-uml|builtin-uml|debian-qemu [run.sh options...]" >&2
	exit 2
fi
kernel=$1
shift

# Debian's current kernel package, fetched into a cache directory.
debian_kernel_deb() {
	local dir=${PST_DEB_CACHE:-$HOME/.cache/pst-debian-kernel} pkg debs
	pkg=$(apt-cache depends linux-image-amd64 | sed -n 's/^ *Depends: //p' | head -n 1)
	[[ -n $pkg ]] || { echo "kernel-run.sh: linux-image-amd64 has no Depends (apt-get update?)" >&2; exit 2; }
	mkdir -p "$dir"
	shopt -s nullglob
	debs=("$dir/$pkg"_*.deb)
	if [[ ${#debs[@]} -eq 0 ]]; then
		(cd "$dir" && apt-get download "$pkg" >&2) || { echo "kernel-run.sh: apt-get download $pkg failed" >&2; exit 2; }
		debs=("$dir/$pkg"_*.deb)
	fi
	[[ ${#debs[@]} -gt 0 ]] || { echo "kernel-run.sh: no $pkg .deb in $dir" >&2; exit 2; }
	echo "${debs[-1]}"
}

case $kernel in
stock-uml) args=(--target uml) ;;
builtin-uml)
	if [[ -n $dry ]]; then
		args=(--target uml --kernel '<kernel/build.sh output>')
	else
		args=(--target uml --kernel "$(kernel/build.sh | tail -n 1)")
	fi
	;;
debian-qemu)
	if [[ -n $dry ]]; then
		args=(--target qemu --kernel-deb '<linux-image-*-amd64.deb>')
	else
		args=(--target qemu --kernel-deb "$(debian_kernel_deb)")
	fi
	;;
*)
	echo "kernel-run.sh: unknown kernel '$kernel' (stock-uml, builtin-uml or debian-qemu)" >&2
	exit 2
	;;
esac
if [[ -n $dry ]]; then
	echo ./run.sh "${args[@]}" "$@"
	exit 0
fi
exec ./run.sh "${args[@]}" "$@"
