/*
 * The style sheet's start that every HTML page of the project shares (the
 * run's index.html, the kernel matrix's): page, headings, tables and the
 * verdict box look the same on both.
 */
#ifndef PST_HTML_STYLE_H
#define PST_HTML_STYLE_H

#define PST_HTML_BASE_STYLE                                                                     \
	"*{box-sizing:border-box}"                                                              \
	"body{font-family:sans-serif;margin:0 auto;padding:0 1.5em 2em;max-width:110em;"        \
	"line-height:1.35}"                                                                     \
	"h1{font-size:1.4em;margin:.5em 0 .3em}h2{font-size:1.2em;margin:1.3em 0 .4em}"         \
	"table{border-collapse:collapse;margin:.4em 0;width:100%;table-layout:fixed}"           \
	"td,th{border:1px solid #bbb;padding:.2em .45em;text-align:left;vertical-align:top;"    \
	"overflow-wrap:anywhere}th{background:#eee}"                                            \
	"#verdict{border:2px solid #888;border-radius:6px;padding:.5em 1em;margin:.4em 0 .6em}" \
	"#verdict p{margin:.25em 0}#verdict "                                                   \
	".word{font-size:1.9em;font-weight:bold;margin-right:.4em}"

#endif
