#!/bin/bash
# make lab-check: the scale-out examples (lab/) are well-formed and do what
# lab/README.md says.
#   1. every YAML file parses and passes yamllint --strict (lab/.yamllint);
#   2. every example validates against the schema for its kind (lab/validate.py);
#      no YAML or template under lab/ escapes step 2;
#   3. every broken example (lab/tests/broken/EXPECT) is rejected, with the
#      expected message: the validation can fail;
#   4. ktap-to-lava.sh under dash: a hand-written KTAP with every verdict gives
#      exactly lab/tests/ktap/mixed.expected; the LAVA definition's own run steps,
#      in a UML guest standing in for the device (or $LAB_KTAP converted alone),
#      give one lava-test-case per case line of the real results.ktap, with the
#      same counts per verdict, through stub LAVA helpers on PATH;
#   5. run-on-device.sh maps run.sh's exit status (0, 1, 3) to LAVA results;
#   6. every kernel named by the CI examples' matrices is one kernel-run.sh knows.
# Exit 0 all passed, 1 a check failed, 2 missing dependency.
set -u
cd "$(dirname "$0")/.." || exit 2
harness/deps.sh lab || exit 2
PY=/usr/bin/python3 # Debian's, with the python3-* packages deps.sh installs
fails=0 passes=0
ok() {
	echo "ok   $*"
	passes=$((passes + 1))
}
bad() {
	echo "FAIL $*"
	fails=$((fails + 1))
}
indent() { sed 's/^/     /'; }
tmp=$(mktemp -d /tmp/pst-lab-check.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# Examples and the validator kind of each (step 2).
examples=(
	"lava-testdef lab/lava/sctp-peeloff.yaml"
	"lava-job lab/lava/job-qemu.yaml"
	"lava-job lab/lava/job-qemu-arm64.yaml"
	"kernelci lab/kernelci/sctp-peeloff.yaml"
	"kernelci-template lab/kernelci/sctp-peeloff.jinja2"
	"github lab/github/sctp-peeloff.yml"
	"gitlab lab/gitlab/sctp-peeloff.gitlab-ci.yml"
)

echo "== shell syntax (the LAVA side is POSIX sh: dash)"
# (lab/lava/: what runs on the device is POSIX sh, what runs here bash)
lava_bash=(lab/lava/check.sh lab/lava/image.sh lab/lava/instance.sh lab/lava/matrix.sh)
lava_sh=(lab/lava/ktap-to-lava.sh lab/lava/run-on-device.sh lab/lava/upload-reports.sh lab/lava/device-init.sh)
# (one file a call: "dash -n A B" checks A and passes B to it as an argument)
syntax=0
for f in lab/check.sh lab/ci/*.sh "${lava_bash[@]}"; do bash -n "$f" || syntax=1; done
for f in "${lava_sh[@]}"; do dash -n "$f" || syntax=1; done
if [ "$syntax" = 0 ] &&
	[ "$(ls lab/lava/*.sh | wc -l)" -eq $((${#lava_bash[@]} + ${#lava_sh[@]})) ]; then
	ok "bash -n lab/check.sh lab/ci/*.sh ${lava_bash[*]}; dash -n ${lava_sh[*]}"
else
	bad "shell syntax (above), or a script in lab/lava/ that neither list names"
fi

echo "== yamllint (lab/.yamllint, strict)"
mapfile -t yamls < <(find lab -path lab/tests/broken -prune -o \( -name '*.yaml' -o -name '*.yml' \) -print | sort)
if yamllint --strict -c lab/.yamllint "${yamls[@]}" lab/.yamllint >"$tmp/yamllint.out" 2>&1; then
	ok "yamllint: ${#yamls[@]} files"
else
	bad "yamllint:"
	indent <"$tmp/yamllint.out"
fi
for s in lab/schemas/*.schema.json; do
	$PY -m json.tool "$s" >/dev/null 2>"$tmp/json.err" || { bad "$s is not JSON: $(cat "$tmp/json.err")"; }
done

echo "== each example against its schema"
covered=()
for e in "${examples[@]}"; do
	read -r kind file <<<"$e"
	covered+=("$file")
	if out=$($PY lab/validate.py "$kind" "$file" 2>&1); then
		ok "$file: valid $kind"
	else
		bad "$file ($kind):"
		indent <<<"$out"
	fi
done
mapfile -t all < <(find lab -path lab/tests/broken -prune -o \( -name '*.yaml' -o -name '*.yml' -o -name '*.jinja2' \) \
	! -name .yamllint -print | sort)
for f in "${all[@]}"; do
	[[ " ${covered[*]} " == *" $f "* ]] || bad "$f: no schema checks it (add it to examples in lab/check.sh)"
done

# KernelCI's template made a whole job (lab/kernelci/render-job.py, what make
# lava-check submits): a valid LAVA job too.
if $PY lab/kernelci/render-job.py lab/lava/job-qemu.yaml repository=http://127.0.0.1/x.git \
	>"$tmp/kernelci-job.yaml" 2>"$tmp/render.err" &&
	out=$($PY lab/validate.py lava-job "$tmp/kernelci-job.yaml" 2>&1); then
	ok "lab/kernelci/render-job.py: the template as a whole job is a valid lava-job"
else
	bad "lab/kernelci/render-job.py: $(cat "$tmp/render.err") ${out:-}"
fi

echo "== broken examples must be rejected"
while IFS=$'\t' read -r file kind want; do
	[[ -z $file || $file == \#* ]] && continue
	path=lab/tests/broken/$file
	st=0
	if [[ $kind == yamllint ]]; then
		out=$(yamllint --strict -c lab/.yamllint "$path" 2>&1) || st=$?
	else
		out=$($PY lab/validate.py "$kind" "$path" 2>&1) || st=$?
	fi
	if [[ $st -eq 1 && $out == *"$want"* ]]; then
		ok "$file rejected by $kind: ...$want..."
	else
		bad "$file ($kind): expected exit 1 and a message containing \"$want\", got exit $st:"
		indent <<<"$out"
	fi
done <lab/tests/broken/EXPECT

echo "== ktap-to-lava.sh (dash)"
if dash lab/lava/ktap-to-lava.sh --dry-run lab/tests/ktap/mixed.ktap >"$tmp/mixed.out" 2>&1 &&
	diff -u lab/tests/ktap/mixed.expected "$tmp/mixed.out" >"$tmp/mixed.diff"; then
	ok "every verdict of a hand-written KTAP maps as lab/tests/ktap/mixed.expected says"
else
	bad "lab/tests/ktap/mixed.ktap: output differs from mixed.expected:"
	cat "$tmp/mixed.diff" "$tmp/mixed.out" | head -n 30 | indent
fi
st=0
dash lab/lava/ktap-to-lava.sh /nonexistent.ktap 2>/dev/null || st=$?
if [[ $st -eq 2 ]]; then ok "a missing KTAP: exit 2"; else bad "a missing KTAP: exit $st (expected 2)"; fi

# Stub LAVA helpers: each call appended to $STUB_LOG, one line of arguments.
mkdir -p "$tmp/bin"
for h in lava-test-case lava-test-set lava-test-raise; do
	# shellcheck disable=SC2016 # $* and $STUB_LOG expand when the stub runs
	printf '#!/bin/sh\necho "%s $*" >>"$STUB_LOG"\n' "$h" >"$tmp/bin/$h"
	chmod +x "$tmp/bin/$h"
done
: >"$tmp/stub.log"
ktap=${LAB_KTAP:-}
if [[ -n $ktap ]]; then
	STUB_LOG=$tmp/stub.log PATH=$tmp/bin:$PATH dash lab/lava/ktap-to-lava.sh "$ktap"
else
	# The definition's run steps as LAVA's test shell runs them (set -e, its
	# params, then the job's parameters, as shell variables), under dash, in a
	# UML guest standing in for the device: a kernel with SCTP, run.sh --target host.
	ktap=$tmp/device/results.ktap
	$PY lab/tests/testshell.py lab/lava/sctp-peeloff.yaml SUITE_DIR=. SUITE=peeloff_errors "REPORTS=$tmp/device" \
		>"$tmp/testshell.sh"
	st=0
	harness/guests/uml-run.sh --deadline 300 --console "$tmp/uml-console.log" -- \
		env PATH="$tmp/bin:/usr/sbin:/usr/bin:/sbin:/bin" STUB_LOG="$tmp/stub.log" dash "$tmp/testshell.sh" \
		>"$tmp/device.log" 2>&1 || st=$?
	if [[ $st -eq 0 ]] && grep -q '^lava-test-case run-sh-exit --result pass$' "$tmp/stub.log"; then
		ok "the definition's run steps on a kernel with SCTP (UML guest as the device): exit 0, run-sh-exit pass"
	else
		bad "the definition's run steps in a UML guest: exit $st, $(grep run-sh-exit "$tmp/stub.log" || echo 'no run-sh-exit case'):"
		tail -n 5 "$tmp/device.log" | indent
	fi
	sed -i '/^lava-test-case run-sh-exit /d' "$tmp/stub.log"
fi
if [[ -r $ktap ]]; then
	# Counted independently of the converter: the KTAP's indented case lines.
	k_pass=$(grep -E -c '^ +ok [0-9]+ ' "$ktap")
	k_skip=$(grep -E -c '^ +ok [0-9]+ .* # SKIP' "$ktap")
	k_pass=$((k_pass - k_skip))
	k_fail=$(grep -E -c '^ +not ok [0-9]+ ' "$ktap")
	k_sets=$(grep -E -c '^ +# Subtest: ' "$ktap")
	l_pass=$(grep -c -- ' --result pass$' "$tmp/stub.log")
	l_skip=$(grep -c -- ' --result skip$' "$tmp/stub.log")
	l_fail=$(grep -E -c -- ' --result (fail|unknown)$' "$tmp/stub.log")
	l_sets=$(grep -c '^lava-test-set start ' "$tmp/stub.log")
	l_stops=$(grep -c '^lava-test-set stop' "$tmp/stub.log")
	summary="KTAP pass/skip/fail/suites $k_pass/$k_skip/$k_fail/$k_sets, lava-test-case $l_pass/$l_skip/$l_fail, sets $l_sets/$l_stops"
	if [[ $k_pass -eq $l_pass && $k_skip -eq $l_skip && $k_fail -eq $l_fail && $k_sets -eq $l_sets &&
		$l_stops -eq $l_sets && $((k_pass + k_skip + k_fail)) -gt 0 ]]; then
		ok "real KTAP ($ktap): $summary"
	else
		bad "real KTAP ($ktap): $summary"
	fi
	# Same cases, same order: "case/variant" -> "case.variant".
	sed -n -E 's/^ +(not )?ok [0-9]+ ([^ ]+).*/\2/p' "$ktap" | tr / . >"$tmp/names.ktap"
	sed -n 's/^lava-test-case \([^ ]*\) --result .*/\1/p' "$tmp/stub.log" >"$tmp/names.lava"
	if cmp -s "$tmp/names.ktap" "$tmp/names.lava"; then
		ok "real KTAP: the $(wc -l <"$tmp/names.lava") lava-test-case names are the KTAP's cases, in order"
	else
		bad "real KTAP: lava-test-case names differ from the KTAP's cases:"
		diff "$tmp/names.ktap" "$tmp/names.lava" | head -n 10 | indent
	fi
fi

echo "== run-on-device.sh: run.sh's exit status as LAVA results"
# A stand-in repository whose ./run.sh writes the hand-written KTAP and exits $STUB_RC.
mkdir -p "$tmp/repo"
cat >"$tmp/repo/run.sh" <<EOF
#!/bin/sh
while [ \$# -gt 0 ]; do [ "\$1" = --reports ] && d=\$2; shift; done
mkdir -p "\$d" && cp "$PWD/lab/tests/ktap/mixed.ktap" "\$d/results.ktap"
exit \$STUB_RC
EOF
chmod +x "$tmp/repo/run.sh"
n_mixed=$(grep -c '^lava-test-case ' lab/tests/ktap/mixed.expected)
for rc in 0 1 3; do
	: >"$tmp/stub.log"
	st=0
	(cd "$tmp/repo" && STUB_RC=$rc STUB_LOG=$tmp/stub.log PATH=$tmp/bin:$PATH \
		dash "$OLDPWD/lab/lava/run-on-device.sh" "$tmp/repo/reports" --profile linux) || st=$?
	cases=$(grep -c '^lava-test-case ' "$tmp/stub.log")
	case $rc in
	0) want="exit 0, run-sh-exit pass + $n_mixed cases" ;;
	1) want="exit 0, run-sh-exit fail + $n_mixed cases" ;;
	3) want="exit 3, lava-test-raise, no cases" ;;
	esac
	got="exit $st, $(grep -q '^lava-test-raise ' "$tmp/stub.log" && echo 'lava-test-raise, ')"
	got+=$(sed -n 's/^lava-test-case run-sh-exit --result \(.*\)/run-sh-exit \1 + /p' "$tmp/stub.log")
	if [[ $rc -ne 3 ]]; then
		got+="$((cases - 1)) cases"
	elif [[ $cases -eq 0 ]]; then
		got+="no cases"
	else
		got+="$cases cases"
	fi
	if [[ $got == "$want" ]]; then ok "run.sh exit $rc: $got"; else bad "run.sh exit $rc: expected $want, got $got"; fi
done

echo "== the CI examples' kernel matrices"
mapfile -t kernels < <($PY -c '
import yaml
gh = yaml.safe_load(open("lab/github/sctp-peeloff.yml"))
gl = yaml.safe_load(open("lab/gitlab/sctp-peeloff.gitlab-ci.yml"))
ks = gh["jobs"]["conformance"]["strategy"]["matrix"]["kernel"]
ks += [k for m in gl["conformance"]["parallel"]["matrix"] for k in m["KERNEL"]]
print("\n".join(sorted(set(ks))))')
for k in "${kernels[@]}"; do
	if out=$(lab/ci/kernel-run.sh --dry-run "$k" --reports reports 2>&1); then
		ok "matrix kernel $k: $out"
	else
		bad "matrix kernel $k: kernel-run.sh refuses it: $out"
	fi
done
st=0
lab/ci/kernel-run.sh --dry-run no-such-kernel 2>/dev/null || st=$?
if [[ $st -eq 2 ]]; then
	ok "an unknown matrix kernel: exit 2"
else
	bad "an unknown matrix kernel: exit $st (expected 2)"
fi

echo "lab-check: $passes passed, $fails failed"
[[ $fails -eq 0 ]]
