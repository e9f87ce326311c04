#!/usr/bin/env python3
"""Test rig: real Debian `docker-registry` instances on random loopback ports, seeded with fixtures.

    rig.py serve [--profile test|demo] [--dir DIR] [--large-size BYTES] [--until-signal]

Prints one JSON line describing the registries and fixtures once all are ready, then keeps them
running until its standard input closes (or, with --until-signal, until SIGTERM/SIGINT), and stops
them all. Registries in the test profile:
  source  plain HTTP, seeded, catalog page size capped at 7
  dest    plain HTTP, empty (copy destination)
  basic   htpasswd Basic auth over the source's storage
  token   token auth through tokenserver.py over the source's storage
  tls     HTTPS with a throw-away CA over the source's storage
  dest-basic  htpasswd Basic auth over the dest's storage
  faulty-source, faulty-dest  fault-injecting proxies in front of source and dest-basic (faultproxy.py)
  redirect  htpasswd auth over the source's storage, answering blob GETs with 307 to another host
            (a file server that records whether an Authorization header reached it)
and, under "hostile", the listeners of hostile.py: a registry that attacks its clients.
The rig stops itself after MAX_LIFETIME seconds, whatever happens to its parent.
"""
import argparse
import http.server
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import faultproxy  # noqa: E402
import fixtures  # noqa: E402
import hostile  # noqa: E402
import tokenserver  # noqa: E402

MAX_LIFETIME = 3600


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(*args, **kwargs):
    return subprocess.run(list(args), check=True, capture_output=True, **kwargs)


class Rig:
    def __init__(self, directory):
        self.dir = directory
        self.processes = []
        self.info = {"dir": directory, "registries": {}}

    def registry(self, name, storage, auth="", tls="", extra="", maxentries=None):
        """Starts docker-registry; `tls` goes under http:, `auth` and `extra` at the top level."""
        port = free_port()
        config = f"""version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: {storage}
  delete:
    enabled: true
http:
  addr: 127.0.0.1:{port}
  secret: {secrets.token_hex(16)}
{tls}{auth}{extra}"""
        if maxentries:
            config += f"catalog:\n  maxentries: {maxentries}\n"
        path = os.path.join(self.dir, f"{name}.yml")
        with open(path, "w") as f:
            f.write(config)
        log = open(os.path.join(self.dir, f"{name}.log"), "w")
        proc = subprocess.Popen(["docker-registry", "serve", path], stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)
        self.processes.append(proc)
        host = f"127.0.0.1:{port}"
        self.wait_ready(host, bool(tls), proc, name)
        self.info["registries"][name] = host
        return host

    def wait_ready(self, host, tls, proc, name):
        deadline = time.time() + 20
        while time.time() < deadline:
            if proc.poll() is not None:
                raise SystemExit(f"registry {name} exited: see {self.dir}/{name}.log")
            try:
                with socket.create_connection(tuple([host.split(":")[0], int(host.split(":")[1])]), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.05)
        raise SystemExit(f"registry {name} did not start on {host}")

    def make_tls(self):
        d = self.dir
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{d}/ca.key", "-out", f"{d}/ca.crt",
            "-days", "2", "-subj", "/CN=regtui test CA")
        run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{d}/server.key", "-out", f"{d}/server.csr",
            "-subj", "/CN=localhost")
        with open(f"{d}/san.ext", "w") as f:
            f.write("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
        run("openssl", "x509", "-req", "-in", f"{d}/server.csr", "-CA", f"{d}/ca.crt", "-CAkey", f"{d}/ca.key",
            "-CAcreateserial", "-out", f"{d}/server.crt", "-days", "2", "-extfile", f"{d}/san.ext")
        self.info["ca"] = f"{d}/ca.crt"
        return f"  tls:\n    certificate: {d}/server.crt\n    key: {d}/server.key\n"

    def make_htpasswd(self):
        user, password = "regtui", secrets.token_urlsafe(12)
        out = run("htpasswd", "-Bbn", user, password).stdout
        with open(f"{self.dir}/htpasswd", "wb") as f:
            f.write(out)
        self.info["user"], self.info["password"] = user, password
        self.htpasswd_auth = f"auth:\n  htpasswd:\n    realm: regtui-test\n    path: {self.dir}/htpasswd\n"
        return self.htpasswd_auth

    def make_token_server(self):
        d = self.dir
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{d}/token.key", "-out",
            f"{d}/token.crt", "-days", "2", "-subj", "/CN=regtui token issuer")
        der = run("openssl", "x509", "-in", f"{d}/token.crt", "-outform", "DER").stdout
        refresh = secrets.token_urlsafe(16)
        server = tokenserver.TokenServer(f"{d}/token.key", der, "regtui-test-issuer",
                                         {self.info["user"]: self.info["password"]}, {refresh})
        port = free_port()
        self.token_httpd = server.serve(port)
        realm = f"http://127.0.0.1:{port}/token"
        self.info["tokenRealm"], self.info["refreshToken"] = realm, refresh
        return (f"auth:\n  token:\n    realm: {realm}\n    service: regtui-test\n    issuer: regtui-test-issuer\n"
                f"    rootcertbundle: {d}/token.crt\n")

    def start(self, profile, large_size):
        source_storage = os.path.join(self.dir, "source-storage")
        source = self.registry("source", source_storage, maxentries=7)
        dest_storage = os.path.join(self.dir, "dest-storage")
        self.registry("dest", dest_storage)
        self.info["fixtures"] = fixtures.seed(source, large_size=large_size,
                                              catalog_repos=40 if profile == "test" else 3,
                                              big_size=0 if profile == "test" else 512 << 20)
        if profile == "test":
            self.registry("basic", source_storage, auth=self.make_htpasswd())
            self.registry("token", source_storage, auth=self.make_token_server())
            self.registry("tls", source_storage, tls=self.make_tls())
            redirect = ("middleware:\n  storage:\n    - name: redirect\n      options:\n"
                        f"        baseurl: {self.make_blob_host(source_storage)}\n")
            self.registry("redirect", source_storage, auth=self.htpasswd_auth, extra=redirect)
            self.proxy("faulty-source", source)
            self.proxy("faulty-dest", self.registry("dest-basic", dest_storage, auth=self.htpasswd_auth))
            self.info["hostile"] = hostile.start(self.info["user"], self.info["password"],
                                                 f"{self.dir}/server.crt", f"{self.dir}/server.key")

    def proxy(self, name, upstream):
        """A fault-injecting proxy in front of `upstream` (see faultproxy.py)."""
        port = free_port()
        faultproxy.FaultProxy(upstream).serve(port)
        self.info["registries"][name] = f"127.0.0.1:{port}"

    def make_blob_host(self, storage):
        """Serves the storage's files like a CDN would, and remembers the headers it was sent."""
        seen = []

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=storage, **kwargs)

            def log_message(self, *args):
                pass

            def do_GET(self):
                if self.path == "/seen":
                    data = json.dumps(seen).encode()
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                    return
                seen.append({"path": self.path, "authorization": self.headers.get("Authorization") is not None})
                super().do_GET()

        port = free_port()
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        self.info["blobHost"] = f"127.0.0.1:{port}"
        return f"http://127.0.0.1:{port}/"

    def stop(self):
        for proc in self.processes:
            if proc.poll() is None:
                proc.terminate()
        for proc in self.processes:
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["serve"])
    parser.add_argument("--profile", choices=["test", "demo"], default="test")
    parser.add_argument("--dir")
    parser.add_argument("--large-size", type=int, default=8 << 20)
    parser.add_argument("--until-signal", action="store_true")
    args = parser.parse_args()

    owns_dir = args.dir is None
    directory = args.dir or tempfile.mkdtemp(prefix="regtui-rig-")
    os.makedirs(directory, exist_ok=True)
    rig = Rig(directory)
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    signal.signal(signal.SIGINT, lambda *_: stopping.set())
    lifetime = threading.Timer(MAX_LIFETIME, stopping.set)
    lifetime.daemon = True
    lifetime.start()
    try:
        rig.start(args.profile, args.large_size)
        print(json.dumps(rig.info), flush=True)
        with open(os.path.join(directory, "rig.json"), "w") as f:
            json.dump(rig.info, f)
        if args.until_signal:
            while not stopping.wait(1):
                pass
        else:
            threading.Thread(target=lambda: (sys.stdin.read(), stopping.set()), daemon=True).start()
            stopping.wait()
    finally:
        rig.stop()
        if owns_dir:
            shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
