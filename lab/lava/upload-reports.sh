#!/bin/sh
# The LAVA test definition's last run step: the run's reports (JUnit, KTAP,
# results.tsv, the matrix, index.html, ...) as one tarball to the lab's artifact
# store, and its URL into the job's results (lava-test-reference: the case
# "reports" of the job links it). POSIX sh; busybox wget or curl.
#   lab/lava/upload-reports.sh REPORTS_DIR URL
# The tarball goes to URL/$LAVA_JOB_ID/reports.tar.gz by HTTP POST: curl sends it
# as it is, busybox wget base64-encoded (the file server of lab/lava/instance.sh
# decodes it; a lab's store may need a header of its own: PST_UPLOAD_HEADER). A device without an IPv4 address (the suite's image keeps
# its interface down while the suite runs) gets QEMU user networking's, on the
# first ethernet interface: PST_DEVICE_IP (default 10.0.2.15/24).
# A failed upload is the case "reports" failing, not the job's end.
set -u
if [ $# -ne 2 ]; then
	echo "usage: upload-reports.sh REPORTS_DIR URL" >&2
	exit 2
fi
reports=$1 url=$2/${LAVA_JOB_ID:-unknown}/reports.tar.gz
tarball=/tmp/sctp-peeloff-reports.tar.gz
if ! tar -czf "$tarball" -C "$reports" .; then
	lava-test-case reports --result fail
	exit 0
fi
if [ -z "$(ip -4 -o addr show scope global 2>/dev/null)" ]; then
	for i in /sys/class/net/*; do
		i=${i##*/}
		[ "$i" = lo ] && continue
		ip link set dev "$i" up && ip addr add "${PST_DEVICE_IP:-10.0.2.15/24}" dev "$i" && break
	done
fi
ok=0
if command -v curl >/dev/null; then
	curl -sf ${PST_UPLOAD_HEADER:+-H "$PST_UPLOAD_HEADER"} --data-binary "@$tarball" "$url" && ok=1
else
	# (busybox wget sends a file up to its first NUL: as base64, which the
	# header tells the store to decode)
	base64 "$tarball" >"$tarball.b64" &&
		wget -q -O /dev/null ${PST_UPLOAD_HEADER:+--header "$PST_UPLOAD_HEADER"} \
			--header "Content-Transfer-Encoding: base64" --post-file "$tarball.b64" "$url" && ok=1
fi
if [ "$ok" = 1 ]; then
	lava-test-reference reports --result pass --reference "$url"
else
	echo "upload-reports.sh: cannot send $tarball to $url" >&2
	lava-test-case reports --result fail
fi
