"""A fault-injecting HTTP proxy in front of a registry, for tests.

Requests pass through to the upstream registry unless a rule matches. Rules are set with
POST /__faults (a JSON list) and cleared with DELETE /__faults; GET /__log lists what passed:
method, path, fault applied, request body bytes "sent", the Host it was sent to, whether it
carried Authorization, its Range, and "stalled" once a stall has sent its first bytes.
A rule: {"method": "GET", "path": "/blobs/sha256:", "times": 1, "action": ..., ...}
Actions:
  status       answer `status` (with `retry_after`, `body`) instead of forwarding
  drop         forward, send the headers and half the body, then close the connection
  stall        forward, send the headers and `after` bytes, then wait `seconds` and close
  corrupt      forward, flip one byte in the middle of the body
  digest       forward, replace Docker-Content-Digest with `value`
  content_type forward, replace Content-Type with `value`
  no_length    forward, send the body without Content-Length (connection close ends it)
  redirect     answer 307 to `location`
  truncate     forward, cut the body to `length` bytes (with a matching Content-Length)
  replace      forward, replace the body with `body` (and fix Content-Length; `content_type` too if given)
  link         forward, replace the Link header with `value`
  location     forward, move the Location header to the origin `value` (e.g. http://localhost:PORT)
  drop_request read the request, then close the connection without answering
  ratelimit    forward, adding Docker Hub's RateLimit-Limit and RateLimit-Remaining headers from
               `limit`, `remaining` and `window`; each manifest GET takes one from `remaining`
"""
import http.client
import http.server
import json
import threading
import time
import urllib.parse


class FaultProxy:
    def __init__(self, upstream):
        self.upstream = upstream
        self.rules = []
        self.log = []
        self.lock = threading.Lock()

    def take_rule(self, method, path):
        with self.lock:
            for rule in self.rules:
                if rule.get("method", method) == method and rule.get("path", "") in path and rule.get("times", 1) != 0:
                    if rule.get("times", 1) > 0:
                        rule["times"] = rule.get("times", 1) - 1
                    if rule.get("action") == "ratelimit" and method == "GET" and "/manifests/" in path:
                        rule["remaining"] = max(0, rule.get("remaining", 0) - 1)
                    return dict(rule)
        return None

    def serve(self, port):
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def send_json(self, status, value):
                data = json.dumps(value).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def read_body(self):
                if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                    body = b""
                    while True:
                        size = int(self.rfile.readline().split(b";")[0], 16)
                        if size == 0:
                            self.rfile.readline()
                            return body
                        body += self.rfile.read(size)
                        self.rfile.readline()
                length = int(self.headers.get("Content-Length", "0") or 0)
                return self.rfile.read(length) if length else b""

            def handle_any(self):
                method = self.command
                if self.path == "/__faults":
                    body = self.read_body()
                    with proxy.lock:
                        proxy.rules = json.loads(body) if method == "POST" else []
                    return self.send_json(200, {"ok": True})
                if self.path == "/__log":
                    with proxy.lock:
                        return self.send_json(200, proxy.log)
                body = self.read_body()
                rule = proxy.take_rule(method, self.path)
                entry = {"method": method, "path": self.path, "fault": rule["action"] if rule else None,
                         "sent": len(body), "host": self.headers.get("Host"),
                         "authorization": self.headers.get("Authorization") is not None,
                         "range": self.headers.get("Range")}
                with proxy.lock:
                    proxy.log.append(entry)
                action = rule["action"] if rule else None
                if action == "drop_request":
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                if action == "status":
                    data = rule.get("body", "").encode()
                    self.send_response(rule["status"])
                    if "retry_after" in rule:
                        self.send_header("Retry-After", str(rule["retry_after"]))
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                    return
                if action == "redirect":
                    self.send_response(307)
                    self.send_header("Location", rule["location"])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                conn = http.client.HTTPConnection(proxy.upstream, timeout=30)
                conn.putrequest(method, self.path, skip_host=True, skip_accept_encoding=True)
                for name, value in self.headers.items():  # repeated headers (Accept) stay repeated
                    if name.lower() not in ("transfer-encoding", "content-length"):
                        conn.putheader(name, value)
                if body or method in ("PUT", "POST", "PATCH"):
                    conn.putheader("Content-Length", str(len(body)))
                conn.endheaders(body if body else None)
                resp = conn.getresponse()
                data = resp.read() if method != "HEAD" else b""
                out_headers = [(k, v) for k, v in resp.getheaders() if k.lower() not in ("transfer-encoding", "connection")]
                conn.close()
                if action == "corrupt" and data:
                    middle = len(data) // 2
                    data = data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1:]
                if action == "truncate":
                    data = data[:rule["length"]]
                if action == "replace":
                    data = rule["body"].encode()
                for name, key in (("digest", "docker-content-digest"), ("content_type", "content-type"), ("link", "link")):
                    if action == name:
                        out_headers = [(k, v) for k, v in out_headers if k.lower() != key] + [(key.title(), rule["value"])]
                if action == "ratelimit":
                    window = rule.get("window", 21600)
                    out_headers += [("RateLimit-Limit", f"{rule['limit']};w={window}"),
                                    ("RateLimit-Remaining", f"{rule['remaining']};w={window}")]
                if action == "location":
                    moved = []
                    for k, v in out_headers:
                        if k.lower() == "location":
                            parts = urllib.parse.urlsplit(v)
                            v = rule["value"] + parts.path + ("?" + parts.query if parts.query else "")
                        moved.append((k, v))
                    out_headers = moved
                if action in ("truncate", "replace"):
                    out_headers = [(k, v) for k, v in out_headers if k.lower() != "content-length"]
                    out_headers.append(("Content-Length", str(len(data))))
                if action == "replace" and "content_type" in rule:
                    out_headers = [(k, v) for k, v in out_headers if k.lower() not in ("content-type", "docker-content-digest")]
                    out_headers.append(("Content-Type", rule["content_type"]))
                if action == "no_length":
                    out_headers = [(k, v) for k, v in out_headers if k.lower() != "content-length"]
                    self.close_connection = True
                self.send_response(resp.status)
                for k, v in out_headers:
                    self.send_header(k, v)
                if action == "no_length":
                    self.send_header("Connection", "close")
                self.end_headers()
                if method == "HEAD":
                    return
                if action == "drop":
                    self.wfile.write(data[: len(data) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                if action == "stall":
                    self.wfile.write(data[: rule.get("after", 0)])
                    self.wfile.flush()
                    with proxy.lock:
                        entry["stalled"] = True
                    time.sleep(min(rule.get("seconds", 5), 60))
                    self.close_connection = True
                    return
                self.wfile.write(data)

            do_GET = do_HEAD = do_PUT = do_POST = do_PATCH = do_DELETE = handle_any

        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        httpd.daemon_threads = True
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        return httpd
