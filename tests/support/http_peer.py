#!/usr/bin/python3
"""The HTTP/1.1 peer of the tests (tests/support/http_peer.h drives it).

usage: http_peer.py DIR [--cert CRT --key KEY [--client-ca CA]]

Listens on 127.0.0.1 on a free port and prints `port N` on stdout once it accepts.
Scripted responses come from DIR/routes.json, re-read on every request (written atomically by
the driver): {"METHOD PATH": {"generation": G, "responses": [{"status", "headers": [[k, v]],
"body", "delay_ms"}]}, "ovh": {"application_secret", "consumer_key", "time"} | absent}.
The n-th request of a route gets the n-th response, the last one repeats; a new generation
of a route starts over. Unscripted requests get 404. Every request is appended to
DIR/requests.jsonl (one JSON object a line) before its response is sent, so a client that
has its response finds the record.

With "ovh", GET /auth/time answers the configured time (or the clock) and every other request
must carry OVH's signature headers: the signature is recomputed here ($1$ + SHA1 hex of
secret+consumer key+METHOD+URL+body+timestamp) and a request that does not match gets 400
INVALID_SIGNATURE, as the real API does, before any scripted response.
"""

import hashlib
import http.server
import json
import os
import socketserver
import ssl
import sys
import threading
import time
import urllib.parse

LOCK = threading.Lock()
SERVED = {}  # route key -> (generation, count)


def load_routes(directory):
    try:
        with open(os.path.join(directory, "routes.json"), encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        return {}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _handle(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        parsed = urllib.parse.urlsplit(self.path)
        directory = self.server.directory
        routes = load_routes(directory)
        record = {
            "method": self.command,
            "path": parsed.path,
            "query": parsed.query,
            "headers": [[k, v] for k, v in self.headers.items()],
            "body": body.decode("utf-8", "replace"),
            "client_cert_subject": self._client_subject(),
        }
        response = None
        ovh = routes.get("ovh")
        if ovh is not None:
            response = self._ovh(ovh, parsed, body, record)
        if response is None:
            response = self._scripted(routes, parsed.path)
        with LOCK:
            with open(os.path.join(directory, "requests.jsonl"), "a", encoding="utf-8") as f:
                f.write(json.dumps(record) + "\n")
        delay = response.get("delay_ms", 0)
        if delay:
            time.sleep(delay / 1000.0)
        payload = response.get("body", "").encode("utf-8")
        try:
            self.send_response(response.get("status", 200))
            for key, value in response.get("headers", []):
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout tests)

    def _client_subject(self):
        getpeercert = getattr(self.connection, "getpeercert", None)
        cert = getpeercert() if getpeercert else None
        if not cert:
            return ""
        return ",".join("%s=%s" % pair for rdn in cert.get("subject", ()) for pair in rdn)

    def _scripted(self, routes, path):
        key = "%s %s" % (self.command, path)
        route = routes.get(key)
        if route is None or not route.get("responses"):
            return {"status": 404, "body": "no route for " + key}
        generation = route.get("generation", 0)
        with LOCK:
            seen_generation, count = SERVED.get(key, (generation, 0))
            if seen_generation != generation:
                count = 0
            SERVED[key] = (generation, count + 1)
        responses = route["responses"]
        return responses[min(count, len(responses) - 1)]

    def _ovh(self, ovh, parsed, body, record):
        if self.command == "GET" and parsed.path.endswith("/auth/time"):
            now = ovh.get("time") or int(time.time())
            return {"status": 200, "headers": [["Content-Type", "application/json"]],
                    "body": str(now)}
        timestamp = self.headers.get("X-Ovh-Timestamp", "")
        scheme = "https" if isinstance(self.connection, ssl.SSLSocket) else "http"
        url = "%s://%s%s" % (scheme, self.headers.get("Host", ""), self.path)
        text = "+".join([ovh["application_secret"], ovh["consumer_key"], self.command, url,
                         body.decode("utf-8", "replace"), timestamp])
        expected = "$1$" + hashlib.sha1(text.encode("utf-8")).hexdigest()
        valid = (self.headers.get("X-Ovh-Signature") == expected
                 and self.headers.get("X-Ovh-Consumer") == ovh["consumer_key"])
        if ovh.get("application_key"):
            valid = valid and self.headers.get("X-Ovh-Application") == ovh["application_key"]
        record["signature_valid"] = valid
        record["signed_url"] = url
        if valid:
            return None
        return {"status": 400, "headers": [["Content-Type", "application/json"]],
                "body": json.dumps({"errorCode": "INVALID_SIGNATURE", "httpCode": "400 Bad Request",
                                    "message": "Invalid signature"})}

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _handle


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, directory, context):
        self.directory = directory
        self.context = context
        super().__init__(("127.0.0.1", 0), Handler)

    def finish_request(self, request, client_address):
        # The TLS handshake runs on the request's thread: a stalled or failing client does
        # not hold the accept loop.
        if self.context is not None:
            try:
                request.settimeout(10)
                request = self.context.wrap_socket(request, server_side=True)
                request.settimeout(None)
            except (ssl.SSLError, OSError):
                return
        self.RequestHandlerClass(request, client_address, self)

    def handle_error(self, request, client_address):
        pass


def main():
    args = sys.argv[1:]
    directory = args.pop(0)
    options = dict(zip(args[0::2], args[1::2]))
    context = None
    if "--cert" in options:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(options["--cert"], options["--key"])
        if "--client-ca" in options:
            context.load_verify_locations(options["--client-ca"])
            context.verify_mode = ssl.CERT_REQUIRED
    server = Server(directory, context)
    sys.stdout.write("port %d\n" % server.server_address[1])
    sys.stdout.flush()
    server.serve_forever(poll_interval=0.2)


if __name__ == "__main__":
    main()
