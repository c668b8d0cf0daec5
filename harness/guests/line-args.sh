# shellcheck shell=bash
# run.sh's options that name a Debian line (harness/guests/lines.tsv), turned into the
# options they stand for, with the packages harness/guests/debian-line.sh fetches:
#   --kernel-line NAME   the suite on a Debian line's kernel (NAME: bullseye/5.10,
#                        bookworm/6.1, trixie/6.12, sid/7): its prebuilt User-Mode
#                        Linux (--target uml --kernel ... --modules ...), or with
#                        --target qemu its distribution kernel (linux-image-*-amd64,
#                        unpacked: --kernel ... --modules ...), there only the quick part (--suite
#                        peeled_socket) unless --suite, --case or --whole-suite
#                        (with --kernel-coverage: the gcov kernel built from that
#                        line's linux-source-*, kernel/build.sh --line)
#   --libsctp-line NAME  that line's libsctp1 as the library under test (--libsctp), and
#                        where it does not export sctp_peeloff_flags, that line's static
#                        libsctp.a (libsctp-dev) for it (--libsctp-archive)
#   --whole-suite        with a QEMU line: every case (minutes under TCG)
#   --arch arm64         with --target qemu: an arm64 guest (qemu-system-aarch64 -M virt,
#                        software emulation, 1 vCPU) booting Debian's arm64 kernel of
#                        the machine's release (or of --kernel-line, or --kernel-deb's),
#                        the runner cross-built (make ARCH=arm64, harness/deps.sh arm64);
#                        the quick part unless --suite, --case or --whole-suite
#                        (measured: about 10 s, the whole suite 50 s); --arch x86_64
#                        is the default
#   --kernels lines      every line's prebuilt UML, then reports/compare.md
#                        (--kernels qemu-lines: every line's kernel under QEMU)
# Sourced by run.sh and harness/multirun/multirun.sh. A bad use exits 2; a fetch that
# fails exits with debian-line.sh's status (3: the target cannot run).

pst_line_die() { echo "run.sh: $1" >&2; exit 2; }

# The QEMU lines' default part: the peeled socket's own behaviour (getsockname,
# getpeername, options, I/O: where the kernels differ, 5.10's getpeername bug
# among them), in well under a minute of cases under TCG.
pst_qemu_quick_suite=peeled_socket

# pst_line_args ARG...: sets line_args to ARG... with the line options replaced
# (the packages fetched, when missing), and line_arch to the guest's architecture
# (--arch: arm64, or empty for the host's own).
pst_line_args() {
	local a kline='' sline='' target='' whole=0 chosen=0 coverage=0 out=() here kernel=0 deb=0
	line_arch=
	here=${BASH_SOURCE[0]%/*} # (sourced by its path: harness/guests/...)
	while [ $# -gt 0 ]; do
		a=$1
		case $a in
		--kernel-line | --libsctp-line)
			[ $# -ge 2 ] && [ -n "$2" ] || pst_line_die "$a needs a line name (see harness/guests/lines.tsv)"
			[ "$a" = --kernel-line ] && kline=$2 || sline=$2
			shift 2
			continue
			;;
		--kernel-line=*) kline=${a#*=} ;;
		--arch)
			[ $# -ge 2 ] || pst_line_die "--arch needs x86_64 or arm64"
			pst_line_arch "$2"
			shift 2
			continue
			;;
		--arch=*) pst_line_arch "${a#*=}" ;;
		--libsctp-line=*) sline=${a#*=} ;;
		--whole-suite) whole=1 ;;
		*)
			case $a in
			--kernel-coverage) coverage=1 ;;
			--target) target=${2:-} ;;
			--target=*) target=${a#*=} ;;
			--suite* | --case*) chosen=1 ;;
			--kernel | --kernel=*) kernel=1 ;;
			--kernel-deb*) kernel=1 deb=1 ;; # (it implies --target qemu)
			esac
			out+=("$a")
			;;
		esac
		shift
	done
	if [ -n "$line_arch" ]; then
		[ "$target" = qemu ] || { [ -z "$target" ] && [ "$deb" = 1 ]; } ||
			pst_line_die "--arch $line_arch needs --target qemu (User-Mode Linux runs the host's architecture only)"
		[ "$coverage" = 0 ] || pst_line_die "--arch $line_arch goes without --kernel-coverage (its gcov kernel is a UML one)"
		[ -z "$sline" ] || pst_line_die "--arch $line_arch goes without --libsctp-line (its packages are the host's architecture's)"
		# Debian's arm64 kernel of the machine's own release: its multiarch libraries run the runner.
		[ -n "$kline" ] || [ "$kernel" = 1 ] || kline=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
	fi
	if [ -n "$sline" ]; then
		local lib st
		lib=$("$here/debian-line.sh" libsctp "$sline") || exit $?
		out+=(--libsctp "$lib")
		# (exit 4: that archive has no sctp_peeloff_flags; its variants then skip, saying so)
		lib=$("$here/debian-line.sh" libsctp-archive "$sline")
		st=$?
		case $st in
		0) out+=(--libsctp-archive "$lib") ;;
		4) ;;
		*) exit "$st" ;;
		esac
	fi
	# --kernel-coverage builds its kernel from that line's source (kernel/build.sh --line).
	if [ -n "$kline" ] && [ "$coverage" = 1 ]; then
		export PST_KERNEL_LINE=$kline
		kline=
	fi
	if [ -n "$kline" ]; then
		local k
		for k in "${out[@]}"; do
			case $k in --kernel | --kernel=* | --modules* | --kernel-deb*)
				pst_line_die "--kernel-line names the kernel itself: drop $k" ;;
			esac
		done
		case ${target:-uml} in
		uml)
			local answer
			answer=$("$here/debian-line.sh" uml "$kline") || exit $?
			[ -n "$target" ] || out=(--target uml "${out[@]}")
			out+=(--kernel "$(sed -n 's/^linux=//p' <<<"$answer")")
			answer=$(sed -n 's/^modules=//p' <<<"$answer")
			[ -z "$answer" ] || out+=(--modules "$answer")
			;;
		qemu)
			local answer
			answer=$("$here/debian-line.sh" --arch "${line_arch:-amd64}" qemu-kernel "$kline") || exit $?
			out+=(--kernel "$(sed -n 's/^kernel=//p' <<<"$answer")")
			answer=$(sed -n 's/^modules=//p' <<<"$answer")
			[ -z "$answer" ] || out+=(--modules "$answer")
			if [ "$whole" = 0 ] && [ "$chosen" = 0 ]; then
				echo "run.sh: QEMU line $kline${line_arch:+ ($line_arch)}: the quick part (--suite $pst_qemu_quick_suite); --whole-suite for every case" >&2
				out+=(--suite "$pst_qemu_quick_suite")
			fi
			;;
		*) pst_line_die "--kernel-line goes with --target uml (the default) or qemu, not '$target'" ;;
		esac
	fi
	line_args=("${out[@]}")
}

# pst_line_arch NAME: line_arch for --arch NAME (empty: the host's own).
pst_line_arch() {
	case $1 in
	x86_64 | amd64) line_arch= ;;
	arm64 | aarch64) line_arch=arm64 ;;
	*) pst_line_die "--arch must be x86_64 or arm64, not '$1'" ;;
	esac
}

# pst_line_args_unfetched ARG...: the same without fetching anything (to check the
# other options): sets line_args to ARG... less the line options.
pst_line_args_unfetched() {
	line_args=()
	while [ $# -gt 0 ]; do
		case $1 in
		--kernel-line | --libsctp-line | --arch) shift ;;
		--kernel-line=* | --libsctp-line=* | --arch=* | --whole-suite) ;;
		*) line_args+=("$1") ;;
		esac
		shift
	done
}
