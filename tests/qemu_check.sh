#!/bin/bash
# The QEMU target on Debian's current kernel (make check, make qemu-check):
# bad input, the suite and what its reports say (the two-thread race raced on
# the guest's 2 vCPUs among them), the harness's self-tests
# (a guest kernel that dies mid-run among them), Ctrl-C leaving nothing behind.
set -u
cd "$(dirname "$0")/.." || exit 2
xsd=${PST_JUNIT_XSD:-tests/schemas/junit.xsd}
out=${PST_CHECK_REPORTS:-build/check-reports}/qemu-check # (make check leaves reports/ alone)
# What to run: the whole suite. Measured under TCG on 2 loaded cores: boot to
# the first case about 10 s, all 486 cases about 80 s (the budget was 5 min;
# narrow this with --suite or --case should a slower machine need it).
quick=()
fails=0 passes=0
ok() { echo "ok   $1"; passes=$((passes + 1)); }
bad() { echo "FAIL $1"; fails=$((fails + 1)); }
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"

# 1. Bad input: one clear message, exit 2, nothing booted.
usage_error() {
	local what=$1 want=$2 msg st
	shift 2
	msg=$("$@" --reports "$tmp/bad" 2>&1 >/dev/null)
	st=$?
	if [ "$st" -eq 2 ] && [ "$msg" = "$want" ]; then
		ok "$what: exit 2, '$msg'"
	else
		bad "$what: expected exit 2 and '$want', got exit $st and '$msg'"
	fi
}
# Two packages that are not kernel images, built here (no network needed).
fake_deb() {
	mkdir -p "$tmp/$1/DEBIAN" "$tmp/$1/boot"
	printf 'Package: %s\nVersion: 1\nArchitecture: all\nMaintainer: pst <pst@localhost>\nDescription: %s\n' \
		"$1" "not a kernel" >"$tmp/$1/DEBIAN/control"
	dpkg-deb --root-owner-group -Zgzip --build "$tmp/$1" "$tmp/$1.deb" >/dev/null
}
fake_deb pst-not-a-kernel
fake_deb linux-image-pst-empty
usage_error "missing kernel image" "run.sh: --kernel /nonexistent/vmlinuz: no such file" \
	./run.sh --target qemu --kernel /nonexistent/vmlinuz
usage_error "a .deb that is not a linux-image" \
	"kernel-deb: $tmp/pst-not-a-kernel.deb is package 'pst-not-a-kernel', not a linux-image-* kernel package" \
	./run.sh --kernel-deb "$tmp/pst-not-a-kernel.deb"
usage_error "a linux-image .deb without a kernel" \
	"kernel-deb: $tmp/linux-image-pst-empty.deb (linux-image-pst-empty) holds no boot/vmlinuz-*: not a kernel image package (a meta or -dbg package?)" \
	./run.sh --target qemu --kernel-deb "$tmp/linux-image-pst-empty.deb"
usage_error "--kernel-deb with the uml target" "run.sh: --kernel-deb needs --target qemu, not uml" \
	./run.sh --target uml --kernel-deb "$tmp/pst-not-a-kernel.deb"
usage_error "--target qemu without a kernel" \
	"run.sh: --target qemu needs --kernel VMLINUZ [--modules DIR] or --kernel-deb FILE" \
	./run.sh --target qemu

# 1b. The KVM probe: QEMU aborting under a /dev/kvm it cannot use (a stand-in
#     QEMU that aborts, a cache of its own) is the reason the probe gives, not a
#     bash "Aborted" line on the terminal.
if [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
	mkdir -p "$tmp/fakeqemu"
	printf '#!/bin/sh\necho "kvm: this stand-in aborts"\nkill -ABRT $$\n' >"$tmp/fakeqemu/qemu-system-x86_64"
	chmod +x "$tmp/fakeqemu/qemu-system-x86_64"
	: >"$tmp/vmlinuz" && : >"$tmp/initrd"
	probe=$(PATH=$tmp/fakeqemu:$PATH PST_KERNEL_CACHE=$tmp/cache harness/guests/qemu-accel.sh \
		--kernel "$tmp/vmlinuz" --initrd "$tmp/initrd" 2>"$tmp/probe.err")
	if [ "$(echo "$probe" | head -1)" = tcg ] && echo "$probe" | grep -q 'its last line: kvm: this stand-in aborts' &&
		[ ! -s "$tmp/probe.err" ]; then
		ok "a KVM probe whose QEMU aborts: TCG, the reason its last line, nothing on stderr"
	else
		bad "a KVM probe whose QEMU aborts: expected TCG with its reason and no stderr, got '$(echo "$probe" | paste -sd' ')' and stderr '$(cat "$tmp/probe.err")'"
	fi
else
	ok "(the KVM probe's abort not tried: /dev/kvm is not usable by this user)"
fi

# 2. Debian's current kernel, fetched into the cache (never installed).
if ! deb=$(harness/guests/kernel-deb.sh fetch 2>"$out/fetch.log"); then
	bad "cannot fetch Debian's current kernel: $(tail -1 "$out/fetch.log")"
	echo "qemu-check: $passes passed, $fails failed"
	exit 1
fi
release=$(basename "$(harness/guests/kernel-deb.sh unpack "$deb" | head -1)")
release=${release#vmlinuz-}
ok "Debian's current kernel: $(basename "$deb") (release $release)"

# 3. The suite on it: the expected failures only, and reports that say where it ran.
start=$SECONDS
./run.sh --kernel-deb "$deb" "${quick[@]}" --reports "$out" >"$out/run.log" 2>&1
st=$?
grep -E '^(conformance: |\([0-9]+ PASS)' "$out/run.log" | tr -d '\r'
what="./run.sh --kernel-deb ${quick[*]:-(the whole suite)}"
# (every case passes but the live kernel bugs of tests/stock-kernel-failures.tsv,
# exactly those: Debian's 6.1 kernel has them; each death a fresh guest, ~25 s under TCG)
if lines=$(tests/expected_failures.sh check "$out" "$st"); then
	ok "$what exits $st ($((SECONDS - start)) s): $(sed -n '1s/^ok   [^:]*: //p' <<<"$lines")"
else
	bad "$what ($out/run.log): $(grep '^FAIL' <<<"$lines" | sed 's/^FAIL //' | paste -sd';')"
fi
prop() {
	sed -n "s/.*<property name=\"$1\" value=\"\([^\"]*\)\".*/\1/p" "$out/junit.xml" | head -1 |
		sed "s/&apos;/'/g; s/&quot;/\"/g; s/&lt;/</g; s/&gt;/>/g; s/&amp;/\&/g"
}
[ "$(prop target)" = qemu ] && ok "junit.xml: target qemu" ||
	bad "junit.xml: expected target qemu, got '$(prop target)'"
[ "$(prop kernel)" = "$release" ] && ok "junit.xml: kernel $release" ||
	bad "junit.xml: expected kernel $release, got '$(prop kernel)'"
accel=$(prop accelerator)
case $accel in
kvm:* | tcg:*) ok "junit.xml: accelerator '$accel'" ;;
*) bad "junit.xml: expected an accelerator 'kvm: why' or 'tcg: why', got '$accel'" ;;
esac
# The terminal says it too, once: which accelerator and why.
said=$(grep -c '^qemu-run: accelerator: ' "$out/run.log")
said_accel=$(sed -n 's/^qemu-run: accelerator: \(kvm\|tcg\) ([^)]*): /\1: /p' "$out/run.log")
if [ "$said" -eq 1 ] && [ "$said_accel" = "$accel" ]; then
	ok "the terminal says the accelerator and why, once: $(grep '^qemu-run: accelerator: ' "$out/run.log")"
else
	bad "the terminal: expected one line saying '$accel', got $said: $(grep '^qemu-run: accelerator' "$out/run.log" | head -2 | paste -sd'|')"
fi
grep -q '<th>accelerator</th><td>\(kvm\|tcg\): ' "$out/index.html" &&
	ok "index.html names the accelerator" || bad "index.html does not name the accelerator"
if xmllint --noout --schema "$xsd" "$out/junit.xml" 2>"$out/xmllint.log"; then
	ok "$out/junit.xml is valid against $(basename "$xsd")"
else
	bad "$out/junit.xml does not validate: $(head -3 "$out/xmllint.log")"
fi
if msg=$(tests/junit_consumer.py "$out/junit.xml" "$out/results.tsv" 2>&1); then
	ok "$msg"
else
	bad "$out/junit.xml read back by junitparser: $msg"
fi
# The two-thread race raced: the guest has 2 vCPUs (qemu-run.sh's default for
# a serial run; TCG runs one host thread per vCPU), so its variants can PASS,
# and a PASS says how many rounds overlapped (suites/peeloff_concurrency.c).
# A variant may still SKIP for too few overlaps when other work on the host
# leaves the two vCPUs a core each at the same time too seldom: at least one
# must PASS, none may fail.
race=peeloff_two_threads_same_assoc_exactly_one_wins
race_pass=() race_skip=() race_bad=()
while IFS=$'\t' read -r _ name verdict message _; do
	case $verdict in
	PASS)
		log=$(sed -n "/<testcase [^>]*name=\"${name//\//\\/}\"/,/<\/testcase>/p" "$out/junit.xml" |
			grep -o 'overlapped in [0-9]* of [0-9]* rounds, need [0-9]*, on [0-9]* CPU' | head -1)
		if [[ $log =~ ^overlapped\ in\ ([0-9]+)\ of\ ([0-9]+)\ rounds,\ need\ ([0-9]+),\ on\ ([0-9]+)\ CPU$ ]] &&
			[ "${BASH_REMATCH[1]}" -ge "${BASH_REMATCH[3]}" ] && [ "${BASH_REMATCH[4]}" -ge 2 ]; then
			race_pass+=("${BASH_REMATCH[1]} of ${BASH_REMATCH[2]} rounds (${name#"$race"/}, ${BASH_REMATCH[4]} CPUs)")
		else
			race_bad+=("${name#"$race"/}: PASS without 'overlapped in N of M rounds, need K, on C CPUs' (N >= K, C >= 2) in its log: '$log'")
		fi
		;;
	SKIP)
		case $message in
		overlapped*) race_skip+=("${name#"$race"/}: $message") ;;
		esac
		;;
	*) race_bad+=("${name#"$race"/}: $verdict $message") ;;
	esac
done < <(grep -P "^peeloff_concurrency\t$race/" "$out/results.tsv")
if [ ${#race_pass[@]} -ge 1 ] && [ ${#race_bad[@]} -eq 0 ]; then
	ok "$race raced on 2 vCPUs: overlapped in $(printf '%s; ' "${race_pass[@]}" | sed 's/; $//')${race_skip[*]:+; SKIP for too few overlaps: ${race_skip[*]}}"
else
	bad "$race: expected a PASS with its overlap on 2 vCPUs and no failure, got ${#race_pass[@]} PASS ${race_bad[*]:+; ${race_bad[*]}}${race_skip[*]:+; SKIP: ${race_skip[*]}} (load $(cut -d' ' -f1-3 /proc/loadavg))"
fi
n_listed=$(./run.sh "${quick[@]}" --list | wc -l)
n_junit=$(grep -c '<testcase ' "$out/junit.xml")
[ "$n_junit" -eq "$n_listed" ] && ok "junit.xml has all $n_listed cases" ||
	bad "junit.xml: expected $n_listed cases, got $n_junit"

# 4. The harness's self-tests in this guest: every way a case can end (a hang,
#    a crash, a kernel WARNING, the guest kernel dying: the next case then
#    runs in a fresh guest) gets the verdict its name states.
# (a stalled guest ended after two case timeouts and 10 s: a TCG guest is slower)
PST_STALL_SLACK_S=10 ./run.sh --kernel-deb "$deb" --selftest --timeout 3 --reports "$out/selftest" >"$out/selftest.log" 2>&1
st=$?
if verdicts=$(tests/selftest_verdicts.sh "$out/selftest.log") && [ "$st" -eq 1 ] &&
	grep -q 'going on in a fresh guest' "$out/selftest.log"; then
	ok "self-test in QEMU: every case got the verdict its name states, the kernel death included: $verdicts"
else
	bad "self-test in QEMU: exit $st (expected 1): $(echo "$verdicts" | paste -sd';') ($out/selftest.log)"
fi

# 5. Ctrl-C mid-case: no QEMU process, no temporary files left.
tests/interrupt_check.sh --qemu "$deb" && ok "an interrupted QEMU run leaves nothing behind" ||
	bad "an interrupted QEMU run left something behind"

echo "qemu-check: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
