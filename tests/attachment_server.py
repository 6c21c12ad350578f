#!/usr/bin/env python3
"""A real HTTP(S) server for tst_attachments: serves files and misbehaves on purpose.

Prints "PORT <n>" once it listens on 127.0.0.1. Routes:
  /files/NAME?type=T    a file of --root, with Content-Type T (default application/octet-stream)
  /big                  60 MB announced by Content-Length
  /big-unannounced      60 MB with no Content-Length (ends when the connection closes)
  /slow                 headers and 10 bytes of 1000, then silence
  /silent               no answer at all for 30 s
  /redirect?to=URL      302 to URL
anything else is a 404.
"""
import argparse
import http.server
import os
import ssl
import sys
import threading
import time
import urllib.parse

SIXTY_MB = 60 * 1024 * 1024


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"  # one request per connection: a body without a length ends at close

    def log_message(self, *args):
        pass

    def body(self, data, ctype="text/plain"):
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def stream(self, announce):
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        if announce:
            self.send_header("Content-Length", str(SIXTY_MB))
        self.end_headers()
        chunk = b"\0" * 65536
        try:
            for _ in range(SIXTY_MB // len(chunk)):
                self.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
            pass

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        if url.path.startswith("/files/"):
            path = os.path.join(self.server.root, os.path.basename(url.path))
            if os.path.isfile(path):
                with open(path, "rb") as f:
                    return self.body(f.read(), query.get("type", ["application/octet-stream"])[0])
        elif url.path == "/big":
            return self.stream(True)
        elif url.path == "/big-unannounced":
            return self.stream(False)
        elif url.path == "/slow":
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b"0123456789")
            self.wfile.flush()
            time.sleep(10)
            return
        elif url.path == "/silent":
            time.sleep(30)
            return
        elif url.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", query["to"][0])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(404, "Not Found")
        self.send_header("Content-Length", "9")
        self.end_headers()
        self.wfile.write(b"not found")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", required=True)
    parser.add_argument("--cert")
    parser.add_argument("--key")
    args = parser.parse_args()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.root = args.root
    if args.cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.cert, args.key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    # The test holds our stdin open: when it ends (even by a crash) the pipe closes and so do we.
    threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()
    print("PORT %d" % server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
