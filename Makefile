# sctp_peeloff conformance suite.
#   make          build the runner and the UML shim
#   make check    the project's own tests (see README)
#   make bench    the benchmark (results in reports/bench.json)
#   make qemu-check  the QEMU target on Debian's current kernel (part of check)
#   make lava-check  the LAVA job run by a local LAVA instance (not part of check)
#   make ARCH=arm64  the runner cross-built for an arm64 QEMU guest (build/arm64/)
#   make arm64-check the quick part on Debian's arm64 kernel under QEMU (not part of check)
CC ?= cc
CSTD := -std=c11 -D_GNU_SOURCE
WARN := -Wall -Wextra -Werror
CFLAGS ?= -O2 -g
ALL_CFLAGS = $(CSTD) $(WARN) $(CFLAGS) $(INC)
SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
B := build
XSD ?= tests/schemas/junit.xsd
ALL := $(B)/peeloff-runner $(B)/uml-xstate-shim.so $(B)/kcov-annotate $(B)/pst-compare $(B)/libsctp-archive.so

# make ARCH=arm64: what an arm64 guest runs (./run.sh --target qemu --arch arm64):
# the runner and the libsctp archive's code, cross-built with Debian's
# aarch64-linux-gnu-gcc against the arm64 libraries that multiarch installs
# (harness/deps.sh arm64), into build/arm64/: the host's build stays as it is.
# The runner finds its archive code there. (From the command line only: the
# kernel builds of kernel/ run make with ARCH=um in their environment.)
ifeq ($(origin ARCH),command line)
ifeq ($(ARCH),arm64)
CC := aarch64-linux-gnu-gcc
B := build/arm64
ALL := $(B)/peeloff-runner $(B)/libsctp-archive.so
CSTD += -DPST_DEFAULT_LIBSCTP_ARCHIVE='"$(B)/libsctp-archive.so"'
else
$(error ARCH must be arm64 (the host's own build needs none), not '$(ARCH)')
endif
endif
export PST_JUNIT_XSD := $(abspath $(XSD))

# kcov*: the kernel coverage table put into the reports afterwards (build/kcov-annotate), not the runner.
HARNESS_DIRS := harness/runner harness/reporting harness/guests harness/multirun harness/catalogue
INC := $(addprefix -I,$(HARNESS_DIRS))
HARNESS := $(filter-out harness/runner/runner.c harness/guests/uml-xstate-shim.c harness/reporting/kcov% \
	harness/multirun/compare-tool.c harness/runner/libsctp-archive-origin.c,$(foreach d,$(HARNESS_DIRS),$(wildcard $(d)/*.c)))
COMPARE_SRC := harness/multirun/compare-tool.c harness/multirun/compare.c harness/multirun/compare_html.c \
	harness/multirun/known.c harness/multirun/runs.c harness/runner/result.c harness/reporting/textout.c
SUITES := $(wildcard suites/*.c)
FIXTURES := $(wildcard fixtures/*.c)
RUNNER_SRC := harness/runner/runner.c $(HARNESS) $(SUITES) $(FIXTURES) tests/selftest_cases.c
C_FILES = $(wildcard harness/*/*.[ch] suites/*.[ch] fixtures/*.[ch] tests/*.c bench/*.c faults/*.[ch])
HEADERS := $(foreach d,$(HARNESS_DIRS),$(wildcard $(d)/*.h)) $(wildcard suites/*.h fixtures/*.h)
# -z now: every symbol bound when the runner starts. Lazily bound, a function
# a case process calls for the first time runs the dynamic linker's lookup in
# that process, which under UML touches some 25 pages of symbol tables, each
# first touch a trip through the host (make bench: ~4 ms a case).
LIBS := -lcunit -lmnl -ldl -Wl,-z,now

# Harness unit tests: those that run anywhere, and those that need a kernel with veth (UML).
UNIT_HOST := test_options test_junit test_registry test_deviations test_judge test_channel test_journal test_claims \
	test_spawner test_kmsg test_objcnt test_ktap test_kcov test_compare test_manifest test_citations test_globals test_html
UNIT_GUEST := test_topology test_topo_state test_warmup
# host unit tests that also run inside UML (their files on hostfs there)
UNIT_GUEST_TOO := test_journal test_claims test_spawner
test_options_SRC := tests/test_options.c tests/unit.c harness/runner/options.c
test_junit_SRC := tests/test_junit.c tests/unit.c harness/reporting/junit.c harness/runner/result.c
test_registry_SRC := tests/test_registry.c tests/unit.c harness/runner/registry.c harness/runner/iut.c harness/runner/case.c \
	harness/runner/channel.c
test_deviations_SRC := tests/test_deviations.c tests/unit.c harness/catalogue/deviations.c harness/catalogue/tsv.c \
	harness/runner/case.c harness/runner/channel.c
test_judge_SRC := tests/test_judge.c tests/unit.c harness/runner/judge.c harness/runner/case.c \
	harness/runner/channel.c harness/runner/result.c harness/catalogue/deviations.c harness/catalogue/tsv.c
test_channel_SRC := tests/test_channel.c tests/unit.c harness/runner/channel.c harness/runner/case.c
test_ktap_SRC := tests/test_ktap.c tests/unit.c harness/reporting/ktap.c harness/runner/result.c
test_kmsg_SRC := tests/test_kmsg.c tests/unit.c harness/runner/kmsg.c
test_objcnt_SRC := tests/test_objcnt.c tests/unit.c harness/runner/objcnt.c
test_journal_SRC := tests/test_journal.c tests/unit.c harness/runner/journal.c harness/runner/result.c
test_claims_SRC := tests/test_claims.c tests/unit.c harness/runner/claims.c
test_spawner_SRC := tests/test_spawner.c tests/unit.c harness/runner/spawner.c
# the spawner answers late, as under load: a new process's race with the answer shows
test_spawner_DEFS := -DPST_SPAWNER_ANSWER_LATE
test_globals_SRC := tests/test_globals.c tests/unit.c harness/runner/globals.c
test_kcov_SRC := tests/test_kcov.c tests/unit.c harness/reporting/kcov_table.c harness/reporting/kcov_reports.c \
	harness/reporting/junit.c harness/runner/result.c
KCOV_ANNOTATE_SRC := harness/reporting/kcov-annotate.c harness/reporting/kcov_table.c harness/reporting/kcov_reports.c
test_compare_SRC := tests/test_compare.c tests/unit.c harness/multirun/compare.c harness/multirun/compare_html.c \
	harness/multirun/known.c harness/multirun/runs.c harness/runner/result.c harness/reporting/textout.c
test_manifest_SRC := tests/test_manifest.c tests/unit.c harness/reporting/manifest.c harness/multirun/runs.c \
	harness/runner/result.c harness/reporting/textout.c
test_citations_SRC := tests/test_citations.c tests/unit.c harness/catalogue/citations.c \
	harness/catalogue/references.c harness/catalogue/tsv.c harness/catalogue/requirements.c \
	harness/reporting/matrix.c harness/reporting/contract.c harness/reporting/textout.c harness/runner/result.c
test_html_SRC := tests/test_html.c tests/unit.c harness/reporting/html.c harness/reporting/matrix.c harness/reporting/contract.c \
	harness/reporting/textout.c harness/runner/result.c harness/catalogue/citations.c \
	harness/catalogue/references.c harness/catalogue/tsv.c harness/catalogue/requirements.c
test_topology_SRC := tests/test_topology.c tests/unit.c harness/runner/topology.c
test_topo_state_SRC := tests/test_topo_state.c tests/unit.c harness/runner/topology.c harness/runner/topo_state.c
test_warmup_SRC := tests/test_warmup.c tests/unit.c harness/runner/warmup.c

.PHONY: all deps check fault-check flake-check qemu-check kernel-coverage kernel-mutants kernel-check bisect-check kernels-compare lines lines-check sanitize sanitize-check unit unit-asan lint format suite-check bench clean
all: $(ALL)

$(B)/peeloff-runner: $(RUNNER_SRC) $(HEADERS) | $(B)
	$(CC) $(ALL_CFLAGS) -o $@ $(RUNNER_SRC) $(LIBS)

# Sanitized runners: ASan cannot map its shadow inside UML, so the UML run uses UBSan alone.
$(B)/asan/peeloff-runner: $(RUNNER_SRC) $(HEADERS) | $(B)/asan
	$(CC) $(ALL_CFLAGS) $(SAN) -o $@ $(RUNNER_SRC) $(LIBS)
$(B)/ubsan/peeloff-runner: $(RUNNER_SRC) $(HEADERS) | $(B)
	@mkdir -p $(B)/ubsan
	$(CC) $(ALL_CFLAGS) -fsanitize=undefined -fno-sanitize-recover=all -o $@ $(RUNNER_SRC) $(LIBS)

# Coverage build of suites and harness (./run.sh --coverage).
$(B)/cov/peeloff-runner: $(RUNNER_SRC) $(HEADERS) | $(B)
	@mkdir -p $(B)/cov
	cd $(B)/cov && $(CC) $(CSTD) $(WARN) $(addprefix -I$(CURDIR)/,$(HARNESS_DIRS)) -O0 -g --coverage \
		-DPST_COVERAGE -o peeloff-runner $(addprefix $(CURDIR)/,$(RUNNER_SRC)) $(LIBS)

$(B)/kcov-annotate: $(KCOV_ANNOTATE_SRC) $(HEADERS) | $(B)
	$(CC) $(ALL_CFLAGS) -o $@ $(KCOV_ANNOTATE_SRC)

# The run-comparison tool of --kernels, --baseline and --bisect-case.
$(B)/pst-compare: $(COMPARE_SRC) $(HEADERS) | $(B)
	$(CC) $(ALL_CFLAGS) -o $@ $(COMPARE_SRC)

# The code a program linking libsctp statically gets: the member of libsctp-dev's
# libsctp.a that defines sctp_peeloff and sctp_peeloff_flags, as a shared object
# (the runner's --libsctp-archive default: iut.c takes sctp_peeloff_flags from it
# when the shared libsctp does not export it). The archive is the one the compiler
# finds (a missing one is the script's error); the standard places are prerequisites,
# so a new libsctp-dev relinks it. No $(shell) when the Makefile is read: under a
# make, every make -s of run.sh would print "Entering directory" for it.
$(B)/libsctp-archive.so: $(wildcard /usr/lib/*/libsctp.a /usr/lib/libsctp.a) \
		harness/runner/libsctp-archive.sh harness/runner/libsctp-archive-origin.c | $(B)
	CC="$(CC)" harness/runner/libsctp-archive.sh "$$($(CC) -print-file-name=libsctp.a)" $@

$(B)/uml-xstate-shim.so: harness/guests/uml-xstate-shim.c | $(B)
	$(CC) $(ALL_CFLAGS) -shared -fPIC -o $@ $< -ldl

define unit_rule
$(B)/$(1): $$($(1)_SRC) $(HEADERS) | $(B)
	$$(CC) $$(ALL_CFLAGS) $$($(1)_DEFS) -o $$@ $$($(1)_SRC) $(LIBS)
$(B)/asan/$(1): $$($(1)_SRC) $(HEADERS) | $(B)/asan
	$$(CC) $$(ALL_CFLAGS) $(SAN) $$($(1)_DEFS) -o $$@ $$($(1)_SRC) $(LIBS)
endef
$(foreach t,$(UNIT_HOST) $(UNIT_GUEST),$(eval $(call unit_rule,$(t))))

$(B)/bench_topology: bench/bench_topology.c harness/runner/topology.c $(HEADERS) | $(B)
	$(CC) $(ALL_CFLAGS) -o $@ bench/bench_topology.c harness/runner/topology.c $(LIBS)

$(B) $(B)/asan:
	mkdir -p $@

deps:
	@harness/deps.sh check

# The project's own tests: lint, harness unit tests (plain and ASan/UBSan), the
# guest-side unit tests and the whole suite under UML, the JUnit report against the schema.
# (the builds one per core: they are independent programs)
# Every report and log of make check goes under build/check-reports/ (PST_CHECK_REPORTS:
# the checks' scripts read it): the user's reports/ is never touched.
check: export PST_CHECK_REPORTS := $(CURDIR)/$(B)/check-reports
check: deps
	@mkdir -p $(PST_CHECK_REPORTS) && touch $(PST_CHECK_REPORTS)/.start
	$(MAKE) -j$(shell nproc) all $(addprefix $(B)/,$(UNIT_HOST) $(UNIT_GUEST)) \
		$(addprefix $(B)/asan/,$(UNIT_HOST)) $(B)/asan/peeloff-runner $(B)/ubsan/peeloff-runner
	tests/timed.sh $(MAKE) lint
	tests/timed.sh $(MAKE) unit unit-asan
	tests/timed.sh $(MAKE) suite-check
	tests/timed.sh $(MAKE) lab-check
	@left=$$(find reports -newer $(PST_CHECK_REPORTS)/.start | head -3); [ -z "$$left" ] || \
		{ echo "make check wrote into reports/ (the user's): $$left"; exit 1; }
	@echo "make check: all passed"

unit:
	@set -e; for t in $(UNIT_HOST); do echo "== $$t"; $(B)/$$t; done
	@echo "== the JUnit contract: the project's schema and junitparser accept the suite's shape, refuse broken ones"
	@tests/junit_check.sh
	@echo "== the runner binds its symbols at start-up (BIND_NOW: no dynamic linker lookup in a case process)"
	@readelf -d $(B)/peeloff-runner | grep -q 'FLAGS.*BIND_NOW'
	@echo "== the requirements catalogue: every requirement has a case, every id exists, every citation resolves"
	@$(B)/peeloff-runner --check-requirements
	@tests/refs_check.sh
	@echo "== kernel/coverage-table.sh: the table, every gap explained or named (no kernel needed)"
	@tests/kcov_table_check.sh
	@echo "== the Debian lines' cache: a line's new package version removes the old one's files (a stand-in apt)"
	@tests/line_cache_check.sh
	@echo "== $(UNIT_GUEST) $(UNIT_GUEST_TOO) (inside User-Mode Linux)"
	@harness/guests/uml-run.sh --deadline 300 --console $${PST_CHECK_REPORTS:-$(B)/check-reports}/uml-unit-console.log -- \
		/bin/sh -ec 'for t do "$$t"; done' sh $(addprefix $(B)/,$(UNIT_GUEST) $(UNIT_GUEST_TOO))

unit-asan:
	@set -e; for t in $(UNIT_HOST); do echo "== asan $$t"; $(B)/asan/$$t; done
	@echo "== asan peeloff-runner (option parsing, listing, refusal without SCTP)"
	@$(B)/asan/peeloff-runner --list >/dev/null
	@$(B)/asan/peeloff-runner --help >/dev/null
	@st=0; $(B)/asan/peeloff-runner --no-such-option 2>/dev/null || st=$$?; test $$st -eq 2
	@st=0; $(B)/asan/peeloff-runner --kernel-coverage --kernel /x 2>/dev/null || st=$$?; test $$st -eq 2
	@# (its reports directory apart: a run removes the reports it would write before it starts)
	@st=0; $(B)/asan/peeloff-runner --case 'peeloff_*' --reports $${PST_CHECK_REPORTS:-$(B)/check-reports}/asan-refusal \
		2>/dev/null || st=$$?; test $$st -eq 3

lint:
	cppcheck --quiet --error-exitcode=1 --enable=warning,style,performance --std=c11 \
		--inline-suppr -D_GNU_SOURCE $(INC) --suppress=missingIncludeSystem \
		harness suites fixtures tests bench faults
	clang-format --dry-run --Werror $(C_FILES)
	bash -n run.sh harness/*.sh harness/*/*.sh tests/*.sh kernel/*.sh .ci/run
	tests/standalone_check.sh

# The suite itself, in the embedded default target, and what it must show;
# a stand-in libsctp that exports sctp_peeloff_flags (its variants run and pass);
# then every fault-injected implementation must be caught; then the options over
# several runs (--kernels, --bisect-case, --baseline, --certify) end to end; then
# the QEMU target on Debian's current kernel (downloaded into ~/.cache/pst-kernel);
# then index.html in a headless Chromium over the known-bug run (failing), the
# whole suite's (passing) and the self-test's (every verdict): the verdict and the
# first failure on the first screen, nothing scrolling sideways.
# The fault check's shims shared out to two guests (FAULT_JOBS): half the time of
# one on this 2-core machine (131 s against 261 s for 57 shims, 2026-12-08).
suite-check: export FAULT_JOBS := $(or $(FAULT_JOBS),2)
suite-check:
	@st=0; for t in suite_check profile_check libsctp_standin_check fault_check multirun_check certify_check known_bug_check \
		qemu_check; do \
		tests/timed.sh tests/$$t.sh || st=1; done; \
		r=$${PST_CHECK_REPORTS:-$(B)/check-reports}; \
		tests/timed.sh tests/html_check.sh $$r/known-bug $$r/libsctp-standin $$r/suite $$r/selftest || st=1; exit $$st

qemu-check: all
	@harness/deps.sh qemu
	tests/qemu_check.sh

# The scale-out examples (LAVA, KernelCI, GitHub Actions, GitLab CI): see lab/README.md.
.PHONY: lab-check
lab-check: all
	lab/check.sh

# The LAVA job run for real: a LAVA server and dispatcher from Debian's packages on
# this machine (lab/lava/instance.sh), the x86-64 job of one suite, its verdicts
# against a direct QEMU run's, the instance removed again (lab/lava/check.sh).
# Root only; not part of check (see lab/README.md for its time).
.PHONY: lava-check
lava-check: all
	lab/lava/check.sh

# The quick part on a second architecture: Debian's arm64 kernel under
# qemu-system-aarch64 (TCG), the runner cross-built (make ARCH=arm64), its verdicts
# against the same release's x86-64 kernel under QEMU (tests/arm64_check.sh).
# Not part of check (see README for its time).
.PHONY: arm64-check
arm64-check: all
	@harness/deps.sh arm64
	tests/arm64_check.sh

# Every shim under the whole suite (make check runs only each shim's named catchers):
# reports/faults.md then lists every case that catches each shim.
fault-check: all
	tests/fault_check.sh --whole-suite

# 20 shuffled repetitions of the whole suite under the load of two other whole-suite
# runs: no verdict may change (reports/flakes.md). Not part of check: it takes 20 suites.
flake-check: all
	tests/flake_check.sh

# The implementation under test measured: a gcov UML kernel built from Debian's
# linux-source-6.1 (cached outside the repo), its coverage, and kernel mutants.
kernel-coverage: all
	kernel/coverage.sh

kernel-mutants: all
	kernel/mutants.sh --whole-suite

# CI's kernel part (.ci/run, after make check): the coverage gate (every line and
# branch of the four peeloff functions reached or explained in kernel/unreachable.tsv),
# the kernel cache pruned (tests/kernel_cache_check.sh), every mutant caught by the
# cases its catches: line names (one guest: a few cases each; the mutants only a
# sanitizer sees on the sanitizer kernel, when it is cached: about 1.5 min more),
# the git bisect run demonstration,
# the kernel matrix (its reports apart, so the coverage and mutant reports stay),
# the quick part on every Debian line's prebuilt UML (make lines-check) and the
# sanitizer kernel's quick part when that kernel is cached (make sanitize-check).
KERNEL_JOBS ?= 2
kernel-check: all
	@st=0; T=tests/timed.sh; $$T ./run.sh --kernel-coverage --jobs $(KERNEL_JOBS) || st=1; \
		$$T tests/kernel_cache_check.sh || st=1; \
		$$T kernel/mutants.sh || st=1; \
		$$T tests/bisect_check.sh || st=1; \
		$$T tests/kernels_compare.sh --reports reports/kernels-compare --jobs $(KERNEL_JOBS) || st=1; \
		$$T tests/lines_check.sh --jobs $(KERNEL_JOBS) || st=1; \
		$$T tests/sanitize_check.sh || st=1; \
		exit $$st

# Debian's kernel lines (bullseye 5.10, bookworm 6.1, trixie 6.12, sid), prebuilt UML:
# the quick part on each, checked (CI); the whole suite on each, reports/compare.md.
lines-check: all
	tests/lines_check.sh --jobs $(KERNEL_JOBS)
lines: all
	./run.sh --kernels lines

# The whole suite on the sanitizer kernels (kernel/sanitize.config: KASAN, lockdep,
# kmemleak, ...) built from Debian's sources, each built once and cached:
# SANITIZE_LINES=bookworm,trixie for 6.1 and 6.12 (reports/compare.md), and the
# reports the kernels raised listed (reports/sanitizer-reports.txt).
SANITIZE_LINES ?= bookworm
sanitize: all
	kernel/sanitize.sh --lines $(SANITIZE_LINES)
# Its quick part (in kernel-check when the kernel is cached): reports laid at the
# case's door, the wchan proofs without a report.
sanitize-check: all
	tests/sanitize_check.sh --build

# git bisect run over kernel builds (a throwaway history with a known mutant) must name the mutant.
bisect-check: all
	tests/bisect_check.sh

# The kernel matrix over the stock UML kernel and the one kernel/build.sh builds.
kernels-compare: all
	tests/kernels_compare.sh

bench: all $(B)/bench_topology
	bench/bench.sh

format:
	clang-format -i $(C_FILES)

clean:
	rm -rf $(B)

$(B)/faults/%.so: faults/%.c $(wildcard faults/*.h) | $(B)
	@mkdir -p $(B)/faults
	$(CC) $(ALL_CFLAGS) -shared -fPIC -o $@ $< -ldl
