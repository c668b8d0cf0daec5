#!/usr/bin/python3
"""The LAVA instance's file server (lab/lava/instance.sh starts it): what the
jobs deploy, served from a local directory instead of the internet, and where
the devices put their reports back.

    lab/lava/file-server.py ROOT PORT

GET    any file under ROOT: the kernel and initramfs lab/lava/image.sh built, the
       project's git repository (git's "dumb" HTTP protocol: plain files).
PUT or POST /artifacts/JOB/NAME: the request body stored as ROOT/artifacts/JOB/NAME
       (a lab's artifact store; lab/lava/upload-reports.sh sends the reports
       there, and the job records the URL with lava-test-reference). With the
       header "Content-Transfer-Encoding: base64" the body is decoded first
       (busybox wget --post-file sends a file as a C string: up to its first NUL).
Listens on 127.0.0.1 only: a QEMU device reaches it as 10.0.2.2 (user networking).
"""
import base64
import http.server
import os
import re
import sys

# A job id and a file name: nothing that could leave ROOT/artifacts.
ARTIFACT = re.compile(r"^/artifacts/([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+)$")
MAX_UPLOAD = 256 * 1024 * 1024  # bytes: a reports tarball is a few hundred KiB


class Handler(http.server.SimpleHTTPRequestHandler):
    def do_PUT(self):
        m = ARTIFACT.match(self.path)
        length = int(self.headers.get("Content-Length") or -1)
        if not m or m.group(1) in (".", "..") or m.group(2) in (".", ".."):
            self.send_error(403, "uploads go to /artifacts/JOB/NAME")
            return
        if length < 0 or length > MAX_UPLOAD:
            self.send_error(411, "a Content-Length up to %d bytes is needed" % MAX_UPLOAD)
            return
        directory = os.path.join(self.directory, "artifacts", m.group(1))
        os.makedirs(directory, exist_ok=True)
        path = os.path.join(directory, m.group(2))
        with open(path + ".part", "wb") as f:
            left = length
            while left > 0:
                chunk = self.rfile.read(min(left, 1 << 16))
                if not chunk:
                    break
                f.write(chunk)
                left -= len(chunk)
        if left:
            os.unlink(path + ".part")
            self.send_error(400, "the body ended %d bytes short" % left)
            return
        if self.headers.get("Content-Transfer-Encoding", "").lower() == "base64":
            with open(path + ".part", "rb") as f:
                data = base64.b64decode(f.read())  # (skips the line breaks)
            with open(path + ".part", "wb") as f:
                f.write(data)
        os.replace(path + ".part", path)
        self.send_response(201)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_POST = do_PUT

    def log_message(self, fmt, *args):
        sys.stderr.write("%s %s\n" % (self.log_date_time_string(), fmt % args))


def main(argv):
    if len(argv) != 3:
        print("usage: file-server.py ROOT PORT", file=sys.stderr)
        return 2
    root, port = argv[1], int(argv[2])

    def handler(*args, **kwargs):
        return Handler(*args, directory=root, **kwargs)

    http.server.ThreadingHTTPServer(("127.0.0.1", port), handler).serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
