#!/bin/bash
# index.html in a real browser (make check): Debian's headless Chromium lays out
# the run's page and the --kernels page at 1,400 x 900 px, and the first screen
# must show the overall verdict (the word the exit status says) and, on a
# failing run, its first failure; no page may scroll sideways. What the browser
# laid out is read back from the page: a copy of it gets a probe script (only
# the copy: a shipped page has none) that writes the bounding boxes of the
# verdict, of the first table row naming the failing case and of the kernel
# matrix's picture, and the document's scroll width, into the DOM, which
# --dump-dom prints. A screenshot of each page is kept for a person to look at:
# beside the page (index-1400x900.png) when the check made the run, else in
# $PST_CHECK_REPORTS/html/ (failing-, passing-1400x900.png).
#   tests/html_check.sh    two runs of peeled_socket (one UML boot each, 3-6 s):
#                          under faults/getpeername_zeroed.c (2 FAIL, exit 1) and
#                          without (exit 0), then their --kernels comparison page
#   tests/html_check.sh FAILING PASSING [FAILING...]
#                          the same over runs' reports directories (make check:
#                          known_bug_check.sh's, suite_check.sh's whole suite, and its
#                          self-test run: a page with every verdict)
#   tests/html_check.sh --page FILE VERDICT [CASE]
#                          one page: VERDICT on its first screen, and CASE (a failing
#                          case's suite/case/variant) when given; no sideways scroll
#                          (its screenshot: build/check-reports/html/page-1400x900.png)
# Exit 0 every check held, 1 one did not, 2 no browser or a run could not be made.
set -u
cd "$(dirname "$0")/.." || exit 2
base=${PST_CHECK_REPORTS:-build/check-reports}
out=$base/html
readonly WIDTH=1400 HEIGHT=900
# A failure row is on the first screen when its first line of text is: this much of it.
readonly ROW_LINE=40
fails=0 passes=0
ok() { echo "ok   $1"; passes=$((passes + 1)); }
bad() { echo "FAIL $1"; fails=$((fails + 1)); }

browser=$(command -v chromium-headless-shell || command -v chromium) || {
	echo "html check: no headless Chromium; harness/deps.sh check installs chromium-headless-shell" >&2
	exit 2
}
profile=$(mktemp -d "${TMPDIR:-/tmp}/pst-html-check.XXXXXX") || exit 2
trap 'rm -rf "$profile"' EXIT
# (root needs --no-sandbox; a profile of its own leaves the user's alone)
run_browser() {
	timeout 60 "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
		--user-data-dir="$profile" --window-size="$WIDTH,$HEIGHT" "$@" 2>/dev/null
}

# layout PAGE CASE EXTRA SHOT: what the browser laid out, one line each: "verdict L T R B"
# (or "verdict none"), "word W" (the verdict's first word), "failure L T R B" (the
# first table row whose text names CASE; with CASE only), "extra L T R B" (the
# element of id EXTRA; with EXTRA only), "scroll SCROLL_WIDTH INNER_WIDTH INNER_HEIGHT";
# and the first screen into the file SHOT (one browser start for both).
layout() {
	local page=$1 case=$2 extra=$3 shot=$4 probe
	# beside the page, so that it is laid out as the page is (its relative links)
	probe=$(mktemp "$(dirname "$page")/.probe.XXXXXX") || return 1
	mv "$probe" "$probe.html" && probe=$probe.html
	{
		cat "$page"
		cat <<EOF
<script>/* tests/html_check.sh's probe: in this copy only */
(function () {
	var out = [], want = "$case", extra = "$extra";
	function box(name, e) {
		if (!e) { out.push(name + " none"); return; }
		var r = e.getBoundingClientRect();
		out.push(name + " " + [r.left, r.top, r.right, r.bottom].map(Math.round).join(" "));
	}
	var v = document.getElementById("verdict"), w = v && v.querySelector(".word");
	box("verdict", v);
	out.push("word " + (w ? w.textContent.trim() : "none"));
	if (want) {
		var rows = document.querySelectorAll("tr"), row = null;
		for (var i = 0; i < rows.length && !row; i++)
			if (rows[i].textContent.indexOf(want) >= 0) row = rows[i];
		box("failure", row);
	}
	if (extra) box("extra", document.getElementById(extra));
	var d = document.documentElement;
	out.push("scroll " + Math.max(d.scrollWidth, document.body.scrollWidth) + " " +
		window.innerWidth + " " + window.innerHeight);
	var p = document.createElement("pre");
	p.id = "pst-layout";
	p.hidden = true; /* in the DOM, not in the screenshot */
	p.textContent = out.join("\n");
	document.body.appendChild(p);
})();
</script>
EOF
	} >"$probe"
	run_browser --dump-dom --screenshot="$(realpath -m "$shot")" "file://$(realpath "$probe")" |
		sed -n '/<pre id="pst-layout"/,/<\/pre>/p' | sed 's/<[^>]*>//g'
	rm -f "$probe"
}

# inside NAME L T R B [MIN_LINE]: the box lies within the first screen; with
# MIN_LINE, its top MIN_LINE px do (a row taller than the screen may go on below).
inside() {
	local name=$1 l=$2 t=$3 r=$4 b=$5 line=${6:-}
	[ "$l" -ge 0 ] && [ "$t" -ge 0 ] && [ "$r" -le "$WIDTH" ] || return 1
	if [ -n "$line" ]; then [ $((t + line)) -le "$HEIGHT" ]; else [ "$b" -le "$HEIGHT" ]; fi
}

# check_page PAGE VERDICT CASE EXTRA WHAT SLUG: the page's first screen and width, its
# screenshot (SLUG names it when the page is not this check's).
check_page() {
	local page=$1 verdict=$2 case=$3 extra=$4 what=$5 slug=${6:-page} lay box shot
	[[ $case =~ ^[A-Za-z0-9_./-]*$ ]] && [[ $extra =~ ^[A-Za-z0-9_-]*$ ]] || {
		bad "$what: '$case' / '$extra' is not a case name / an id"
		return
	}
	if [ ! -f "$page" ]; then
		bad "$what: no page $page"
		return
	fi
	# beside the page when it is this check's, else among this check's files
	case $(realpath "$page") in
	"$(realpath "$out")"/*) shot=${page%.html}-${WIDTH}x$HEIGHT.png ;;
	*) shot=$out/$slug-${WIDTH}x$HEIGHT.png ;;
	esac
	rm -f "$shot"
	lay=$(layout "$page" "$case" "$extra" "$shot")
	if [ -z "$lay" ]; then
		bad "$what: the browser laid out nothing ($browser --dump-dom $page)"
		return
	fi
	read -r -a box <<<"$(sed -n 's/^verdict //p' <<<"$lay")"
	if [ "${box[0]:-none}" = none ]; then
		bad "$what: expected the overall verdict (id=\"verdict\") on the first screen, got no verdict on the page"
	elif ! inside verdict "${box[@]}"; then
		bad "$what: expected the overall verdict within ${WIDTH}x$HEIGHT px, got it at ${box[*]} (left top right bottom)"
	else
		ok "$what: the overall verdict is on the first screen (${box[*]})"
	fi
	local word
	word=$(sed -n 's/^word //p' <<<"$lay")
	[ "$word" = "$verdict" ] && ok "$what: the verdict says $verdict" ||
		bad "$what: expected the verdict $verdict, got ${word:-none}"
	if [ -n "$case" ]; then
		read -r -a box <<<"$(sed -n 's/^failure //p' <<<"$lay")"
		if [ "${box[0]:-none}" = none ]; then
			bad "$what: expected a row naming the failing $case, got none"
		elif ! inside failure "${box[@]}" "$ROW_LINE"; then
			bad "$what: expected the first failure ($case) to start on the first screen (top + $ROW_LINE <= $HEIGHT px), got its row at ${box[*]}"
		else
			ok "$what: the first failure, $case, is on the first screen (${box[*]})"
		fi
	fi
	if [ -n "$extra" ]; then
		read -r -a box <<<"$(sed -n 's/^extra //p' <<<"$lay")"
		if [ "${box[0]:-none}" != none ] && inside "$extra" "${box[@]}"; then
			ok "$what: #$extra is on the first screen (${box[*]})"
		else
			bad "$what: expected #$extra within ${WIDTH}x$HEIGHT px, got ${box[*]:-none}"
		fi
	fi
	read -r -a box <<<"$(sed -n 's/^scroll //p' <<<"$lay")"
	if [ "${box[1]:-0}" -ne "$WIDTH" ]; then
		bad "$what: expected a ${WIDTH} px wide window, got ${box[1]:-none} (the browser ignored --window-size)"
	elif [ "${box[0]}" -gt "$WIDTH" ]; then
		bad "$what: expected no sideways scroll at $WIDTH px, got a document ${box[0]} px wide"
	else
		ok "$what: no sideways scroll at $WIDTH px (document ${box[0]} px wide)"
	fi
	# a shipped page runs nothing and loads nothing from elsewhere
	if grep -qiE '<script|<link[^>]*stylesheet|<(img|iframe)[^>]* src="https?:' "$page"; then
		bad "$what: expected no script and nothing loaded from elsewhere, got: $(grep -oiE '<script|<link[^>]*stylesheet|<(img|iframe)[^>]* src="https?:' "$page" | head -1)"
	fi
	if [ -s "$shot" ]; then
		ok "$what: screenshot $shot"
	else
		bad "$what: no screenshot written to $shot"
	fi
}

finish() {
	echo "html check: $passes ok, $fails failed"
	[ "$fails" -eq 0 ]
	exit $?
}

if [ "${1:-}" = --page ]; then
	[ $# -ge 3 ] || { echo "usage: tests/html_check.sh --page FILE VERDICT [CASE]" >&2; exit 2; }
	mkdir -p "$out" || exit 2
	check_page "$2" "$3" "${4:-}" "" "$2"
	finish
fi

# The failing and the passing run: the two given (make check: known_bug_check.sh's,
# 6 FAIL, and libsctp_standin_check.sh's, PASS with XFAIL and SKIP rows; then the
# whole suite's, failing the live bugs of tests/stock-kernel-failures.tsv, and the
# self-test's), or two of peeled_socket made here.
more=()
if [ $# -ge 2 ]; then
	failing=$1 passing=$2
	more=("${@:3}")
	mkdir -p "$out" || exit 2
	st_fail=1 st_pass=0 # (what the checks that made them asserted)
else
	[ $# -eq 0 ] || { echo "usage: tests/html_check.sh [FAILING_REPORTS PASSING_REPORTS [FAILING_REPORTS...]]" >&2; exit 2; }
	rm -rf "$out"
	mkdir -p "$out/kernels" || exit 2
	# where the --kernels comparison below expects its kernels' reports
	failing=$out/kernels/1-fault passing=$out/kernels/2-stock
	make -s build/faults/getpeername_zeroed.so || exit 2
	LD_PRELOAD=$PWD/build/faults/getpeername_zeroed.so ./run.sh --reports "$failing" --suite peeled_socket \
		>"$out/failing.log" 2>&1
	st_fail=$?
	./run.sh --reports "$passing" --suite peeled_socket >"$out/passing.log" 2>&1
	st_pass=$?
fi
# first_fail DIR: the run's first failing case, its page's first failure row (FAIL comes
# first, in the declared order, which results.tsv keeps)
first_fail() { awk -F'\t' 'NR > 1 && $3 == "FAIL" { print $1 "/" $2; exit }' "$1/results.tsv" 2>/dev/null; }
first=$(first_fail "$failing")
if [ "$st_fail" -ne 1 ] || [ -z "$first" ] || [ "$st_pass" -ne 0 ]; then
	echo "html check: expected a failing run (exit 1, a FAIL in $failing/results.tsv) and a passing one (exit 0), got exit $st_fail (first FAIL '${first:-none}') and $st_pass" >&2
	exit 2
fi
check_page "$failing/index.html" FAIL "$first" "" "a failing run's index.html" failing
check_page "$passing/index.html" PASS "" "" "a passing run's index.html" passing
for dir in "${more[@]}"; do
	check_page "$dir/index.html" FAIL "$(first_fail "$dir")" "" "$dir/index.html" "$(basename "$dir")"
done
mkdir -p "$out/kernels" || exit 2
build/pst-compare kernels --known suites/known-bugs.tsv "$out/kernels" \
	1-fault uml "$st_fail" "$failing" 2-stock uml "$st_pass" "$passing" >"$out/compare.log" 2>&1 ||
	bad "pst-compare kernels: $(tail -1 "$out/compare.log")"
check_page "$out/kernels/index.html" FAIL "$first" kernel-matrix "the --kernels index.html"
finish
