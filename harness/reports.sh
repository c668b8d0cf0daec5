# shellcheck shell=bash
# The files a run of this suite writes into its reports directory, and their
# removal: a run owns its reports (reports/README.md). Sourced by run.sh,
# harness/multirun/multirun.sh and harness/multirun/certify.sh.
#
# Only these names are ever removed, never the directory itself or anything
# else a user keeps in it (--reports DIR may be any directory).

# A run's reports, directly in its directory (the runner, run.sh, --coverage,
# --kernel-coverage, --baseline, --kernels, the guests' console logs).
pst_report_files=(junit.xml results.ktap results.tsv environment.tsv matrix.md matrix.json index.html
	REFERENCES.md flakes.md baseline.md baseline.json compare.md compare.json
	uml-console.log qemu-console.log coverage.info coverage.info.tmp lcov.log
	kernel-coverage.info kernel-coverage.info.all kernel-lcov.log kernel-coverage-cases.txt
	kernel-coverage-functions.tsv kernel-coverage-functions.md kernel-coverage-functions.json
	kmemleak.txt sanitizer-reports.txt)
# What a run leaves only while it runs (journals, the --jobs claims).
pst_report_work=(.journal .journal.env .jobs.journal .jobs.journal.env)

# pst_reports_clean DIR: remove every report of an earlier run from DIR (the
# files above, their temporary files, the certification bundles, the console
# logs of --jobs guests, the genhtml pages and kernels/<n>-<label>/ of earlier
# runs), so that nothing of an earlier run stands beside this one's.
pst_reports_clean() {
	local dir=$1 f
	[ -d "$dir" ] || return 0
	for f in "${pst_report_files[@]}" "${pst_report_work[@]}"; do
		rm -f -- "$dir/$f"
	done
	pst_reports_clean_work "$dir"
	# (nullglob: a pattern that matches nothing names nothing)
	local old_nullglob
	old_nullglob=$(shopt -p nullglob)
	shopt -s nullglob
	rm -f -- "$dir"/kmemleak.[0-9]*.txt # (a --jobs share's)
	rm -f -- "$dir"/certification-*.tar.gz "$dir"/certification-*.tar.gz.sha256 \
		"$dir"/certification-*.tar.gz.tmp "$dir"/certification-*.tar.gz.sha256.tmp
	local d
	for d in "$dir/coverage" "$dir/kernel-coverage"; do # genhtml's pages (its gcov.css says so)
		[ -f "$d/gcov.css" ] && find "$d" -depth \( -type f \( -name '*.html' -o -name '*.png' -o -name '*.css' \) -delete \) \
			-o \( -type d -empty -delete \)
	done
	[ -d "$dir/kernel-gcda" ] && find "$dir/kernel-gcda" -depth \( \( -name '*.gcda' -o -name '*.gcno' \) -delete \) \
		-o \( -type d -empty -delete \)
	# --kernels: each kernel's run, kernels/<n>-<label>/, a reports directory of its own.
	# (run.log, that run's output, is not in the list above: a caller may send a
	# run's output into its own reports directory, opened before the run cleans it)
	for d in "$dir"/kernels/[0-9]*-*/; do
		pst_reports_clean "${d%/}"
		rm -f -- "${d}run.log"
		rmdir -- "${d%/}" 2>/dev/null
	done
	[ -d "$dir/kernels" ] && rmdir -- "$dir/kernels" 2>/dev/null
	# --kernel-coverage: the live-bug rows' run apart (kernel/coverage.sh).
	if [ -d "$dir/kernel-coverage-live" ]; then
		pst_reports_clean "$dir/kernel-coverage-live"
		rmdir -- "$dir/kernel-coverage-live" 2>/dev/null
	fi
	rm -f -- "$dir/kernel-coverage-live.log"
	eval "$old_nullglob"
	return 0
}

# pst_reports_clean_work DIR: what a run leaves only while it runs, and the
# temporary files of reports written atomically (NAME.tmp.PID): after an
# interrupted run. (A --jobs share's journal is .journal.K and .journal.K.env;
# its console .../<target>-console.K.log; the claims are links in .claims/.)
pst_reports_clean_work() {
	local dir=$1 f old_nullglob
	[ -d "$dir" ] || return 0
	old_nullglob=$(shopt -p nullglob)
	shopt -s nullglob
	for f in "${pst_report_work[@]}"; do rm -f -- "$dir/$f"; done
	rm -f -- "$dir"/.journal.[0-9]* "$dir"/uml-console.[0-9]*.log "$dir"/qemu-console.[0-9]*.log
	for f in "${pst_report_files[@]}"; do rm -f -- "$dir/$f".tmp.[0-9]*; done
	for f in "$dir/.claims" "$dir/.jobs.claims"; do
		[ -d "$f" ] || continue
		find "$f" -mindepth 1 -maxdepth 1 -type l -delete
		rmdir -- "$f" 2>/dev/null
	done
	eval "$old_nullglob"
	return 0
}

# pst_reports_interrupted DIR: after an interrupted run, no report may pass for
# a finished run's (CI reads junit.xml; the tools over runs read results.tsv):
# what says how the run ended goes, the console logs that say what happened
# stay, and so do the kernels of --kernels that finished before.
pst_reports_interrupted() {
	local dir=$1 f
	[ -d "$dir" ] || return 0
	for f in junit.xml results.ktap results.tsv environment.tsv matrix.md matrix.json index.html \
		flakes.md baseline.md baseline.json compare.md compare.json; do
		rm -f -- "$dir/$f"
	done
	pst_reports_clean_work "$dir"
	local d
	for d in "$dir"/kernels/[0-9]*-*/; do
		[ -d "$d" ] && pst_reports_clean_work "${d%/}"
	done
	return 0
}
