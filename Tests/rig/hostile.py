"""A hostile (or just broken) registry, for tests: each answer is one a registry could send to take
a password, crash a client, write to its terminal, exhaust its memory or move a tag.

Listeners, all on 127.0.0.1 (ports in the rig's JSON under "hostile"):
  basic      Basic auth with the rig's user and password; the scenarios below, by repository
  bearer     Bearer auth whose challenge asks for scopes on other repositories; tokens at /token
  tls        HTTPS (the rig's throw-away CA) whose Bearer challenge names a plain-HTTP realm
  elsewhere  another origin, which only records what reaches it
GET /__log on any listener returns what every listener saw: listener, method, path, whether an
Authorization header came, and the scopes a token request asked for.

Scenarios on `basic`, by repository:
  upload/cross         the upload POST answers with a Location on `elsewhere`
  fanout/same          tag idx: an index listing one child manifest 6,000 times
  fanout/distinct      tag idx: an index listing 6,000 distinct children (none is served)
  sizes/huge           tag 1: two layers of 2^63-1 bytes
  annotations/collide  tag 1: annotation keys "k\\u001b" and "k\\\\x1b"
  escapes/x            tag missing: 404 whose message holds escape sequences; tag badtype: a config
                       media type with ESC, C1 and bidi controls; tag baddigest: a digest with an
                       OSC sequence; tags/list: tag names with escape sequences
  pages/endless        tags/list: pages of 100,000 names, each linking to a new page, forever
  pages/empty          tags/list: one 60 MiB page of empty strings
  dupkeys/decoy        tag 1: an image manifest with "layers" twice, the second a decoy

No handler loops: endless pages are made one request at a time. The rig stops it with the other
registries, and it stops itself after MAX_LIFETIME seconds whatever happens.
"""
import base64
import hashlib
import http.server
import json
import os
import ssl
import threading
import urllib.parse

MAX_LIFETIME = 3600
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER = "application/vnd.oci.image.layer.v1.tar"


def sha256(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def compact(value):
    return json.dumps(value, separators=(",", ":")).encode()


def image(layers=None, config_type=OCI_CONFIG, extra=None):
    """An image manifest over the shared config and layer blobs (or `layers` as given)."""
    manifest = {"schemaVersion": 2, "mediaType": OCI_MANIFEST,
                "config": {"mediaType": config_type, "digest": sha256(CONFIG), "size": len(CONFIG)},
                "layers": layers if layers is not None else [{"mediaType": OCI_LAYER, "digest": sha256(LAYER), "size": len(LAYER)}]}
    manifest.update(extra or {})
    return compact(manifest)


CONFIG = compact({"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": []}})
LAYER = b"a layer that is not a tar, which nothing here unpacks\n"
CHILD = image()
ESC = "\u001b]0;pwned\u0007\u001b[2J"


class Scenarios:
    """The manifests and blobs the `basic` listener serves, by repository and reference."""

    def __init__(self, elsewhere_port):
        self.elsewhere_port = elsewhere_port
        child = {"mediaType": OCI_MANIFEST, "digest": sha256(CHILD), "size": len(CHILD),
                 "platform": {"os": "linux", "architecture": "amd64"}}
        distinct = [dict(child, digest=sha256(f"child {i}".encode())) for i in range(6000)]
        huge = [{"mediaType": OCI_LAYER, "digest": sha256(LAYER), "size": 2 ** 63 - 1},
                {"mediaType": OCI_LAYER, "digest": sha256(b"other"), "size": 2 ** 63 - 1}]
        decoy = CHILD[:-1] + b',"layers":[{"mediaType":"' + OCI_LAYER.encode() + b'","digest":"' \
            + sha256(b"decoy").encode() + b'","size":5}]}'
        self.manifests = {
            ("fanout/same", "idx"): compact({"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": [child] * 6000}),
            ("fanout/distinct", "idx"): compact({"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": distinct}),
            ("sizes/huge", "1"): image(huge),
            ("annotations/collide", "1"): image(extra={"annotations": {"k\u001b": "escape", "k\\x1b": "text"}}),
            ("escapes/x", "badtype"): image(config_type="application/vnd.\u001b[31m\u009b31m\u202eevil+json"),
            ("escapes/x", "baddigest"): image([{"mediaType": OCI_LAYER, "digest": "sha256:" + ESC, "size": 1}]),
            ("dupkeys/decoy", "1"): decoy,
        }
        for data in list(self.manifests.values()) + [CHILD]:
            self.manifests[(None, sha256(data))] = data
        self.blobs = {sha256(CONFIG): CONFIG, sha256(LAYER): LAYER}

    def manifest(self, repo, reference):
        return self.manifests.get((repo, reference)) or self.manifests.get((None, reference))


class Server:
    def __init__(self, user, password, certificate, key):
        self.user, self.password = user, password
        self.log = []
        self.lock = threading.Lock()
        self.ports = {}
        self.elsewhere = self.listen("elsewhere")
        self.scenarios = Scenarios(self.elsewhere.server_address[1])
        self.basic = self.listen("basic")
        self.bearer = self.listen("bearer")
        self.tls = self.listen("tls", certificate, key)
        timer = threading.Timer(MAX_LIFETIME, lambda: os._exit(0))
        timer.daemon = True
        timer.start()

    def listen(self, name, certificate=None, key=None):
        server = self
        handler = type(f"{name}Handler", (Handler,), {"server_state": server, "listener": name})
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        httpd.daemon_threads = True
        if certificate:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(certificate, key)
            httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        self.ports[name] = httpd.server_address[1]
        return httpd

    def record(self, entry):
        with self.lock:
            self.log.append(entry)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_state = None
    listener = None

    def log_message(self, *args):
        pass

    def send(self, status, body=b"", headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def error(self, status, code, message="not here"):
        self.send(status, compact({"errors": [{"code": code, "message": message}]}), [("Content-Type", "application/json")])

    def handle_any(self):
        state = self.server_state
        length = int(self.headers.get("Content-Length", "0") or 0)
        if length:
            self.rfile.read(min(length, 64 << 20))
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        state.record({"listener": self.listener, "method": self.command, "path": url.path,
                      "authorization": self.headers.get("Authorization") is not None, "scope": query.get("scope", [])})
        if url.path == "/__log":
            with state.lock:
                return self.send(200, json.dumps(state.log).encode())
        getattr(self, "serve_" + self.listener)(url, query)

    do_GET = do_HEAD = do_PUT = do_POST = do_PATCH = do_DELETE = handle_any

    # MARK: listeners

    def serve_elsewhere(self, url, query):
        self.error(404, "UNKNOWN", "this origin is not the registry")

    def serve_tls(self, url, query):
        realm = f"http://127.0.0.1:{self.server_state.ports['bearer']}/token-for-tls"
        self.send(401, b"", [("WWW-Authenticate", f'Bearer realm="{realm}",service="hostile"')])

    def serve_bearer(self, url, query):
        state = self.server_state
        if url.path.startswith("/token"):
            return self.send(200, compact({"token": "granted", "expires_in": 300}), [("Content-Type", "application/json")])
        if self.headers.get("Authorization") != "Bearer granted":
            realm = f"http://127.0.0.1:{state.ports['bearer']}/token"
            challenge = f'Bearer realm="{realm}",service="hostile",scope="repository:victim:push,pull,delete repository:*:*"'
            return self.send(401, b"", [("WWW-Authenticate", challenge)])
        if url.path == "/v2/scopes/mine/tags/list":
            return self.send(200, compact({"name": "scopes/mine", "tags": ["1"]}), [("Content-Type", "application/json")])
        self.send(200, b"{}")

    def serve_basic(self, url, query):
        state = self.server_state
        expected = "Basic " + base64.b64encode(f"{state.user}:{state.password}".encode()).decode()
        if self.headers.get("Authorization") != expected:
            return self.send(401, b"", [("WWW-Authenticate", 'Basic realm="hostile"')])
        parts = url.path.split("/")
        if url.path == "/v2/":
            return self.send(200, b"{}")
        for kind in ("manifests", "blobs", "tags"):
            if kind in parts:
                at = parts.index(kind)
                repo, rest = "/".join(parts[2:at]), parts[at + 1:]
                return getattr(self, "serve_" + kind)(repo, rest, query)
        self.error(404, "NAME_UNKNOWN")

    def serve_manifests(self, repo, rest, query):
        state = self.server_state
        reference = rest[0] if rest else ""
        if repo == "escapes/x" and reference == "missing":
            return self.error(404, "MANIFEST_UNKNOWN", "no such manifest " + ESC + "\u009b2J\u202e")
        data = state.scenarios.manifest(repo, reference)
        if data is None:
            return self.error(404, "MANIFEST_UNKNOWN")
        media = json.loads(data).get("mediaType", OCI_MANIFEST)
        self.send(200, data, [("Content-Type", media), ("Docker-Content-Digest", sha256(data))])

    def serve_blobs(self, repo, rest, query):
        state = self.server_state
        if rest[:1] == ["uploads"]:
            return self.serve_uploads(repo, rest[1:], query)
        data = state.scenarios.blobs.get(rest[0] if rest else "")
        if data is None:
            return self.error(404, "BLOB_UNKNOWN")
        self.send(200, data, [("Content-Type", "application/octet-stream"), ("Docker-Content-Digest", rest[0])])

    def serve_uploads(self, repo, rest, query):
        if self.command == "POST" and repo == "upload/cross":
            location = f"http://127.0.0.1:{self.server_state.scenarios.elsewhere_port}/v2/{repo}/blobs/uploads/session-1?_state=s"
            return self.send(202, b"", [("Location", location), ("Docker-Upload-UUID", "session-1")])
        if self.command == "DELETE":
            return self.send(204)
        self.error(404, "BLOB_UPLOAD_UNKNOWN")

    def serve_tags(self, repo, rest, query):
        if repo == "escapes/x":
            return self.send(200, compact({"name": repo, "tags": ["ok", "\u001b[2Jclear", "\u009b31m", "t\u202eabc"]}))
        if repo == "pages/endless":
            page = int(query.get("last", ["p0"])[0].split("-")[0][1:] or 0) + 1
            names = [f"p{page}-{i}" for i in range(100_000)]
            link = f'</v2/{repo}/tags/list?n=100000&last=p{page}-99999>; rel="next"'
            return self.send(200, compact({"name": repo, "tags": names}), [("Link", link), ("Content-Type", "application/json")])
        if repo == "pages/empty":
            body = b'{"name":"pages/empty","tags":[' + b'"",' * (20 << 20) + b'""]}'
            return self.send(200, body, [("Content-Type", "application/json")])
        tags = sorted(tag for (name, tag) in self.server_state.scenarios.manifests if name == repo)
        if not tags and repo != "scopes/mine":
            return self.error(404, "NAME_UNKNOWN")
        self.send(200, compact({"name": repo, "tags": tags or ["1"]}), [("Content-Type", "application/json")])


def start(user, password, certificate, key):
    """Starts every listener; returns their host:port by name."""
    server = Server(user, password, certificate, key)
    return {name: f"127.0.0.1:{port}" for name, port in server.ports.items()}
