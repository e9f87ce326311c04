"""A small Docker token server for tests: issues RS256 JWTs the distribution registry verifies.

GET /token?service=S&scope=repository:NAME:ACTIONS (Basic auth) and POST /token with
grant_type=refresh_token. Valid user/password or refresh token: every requested action is granted.
Anonymous: only pull on repositories under public/. Wrong credentials: 401.
"""
import base64
import http.server
import json
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class TokenServer:
    def __init__(self, key_path, cert_der, issuer, users, refresh_tokens):
        self.key_path = key_path
        self.cert_der = cert_der
        self.issuer = issuer
        self.users = users
        self.refresh_tokens = refresh_tokens
        self.requests = []

    def sign(self, claims):
        header = {"typ": "JWT", "alg": "RS256", "x5c": [base64.b64encode(self.cert_der).decode()]}
        signing_input = b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(claims).encode())
        signature = subprocess.run(["openssl", "dgst", "-sha256", "-sign", self.key_path], input=signing_input.encode(),
                                   capture_output=True, check=True).stdout
        return signing_input + "." + b64url(signature)

    def grant(self, subject, service, scopes):
        access = []
        for scope in scopes:
            parts = scope.split(":")
            if len(parts) < 3:
                continue
            kind, name, actions = parts[0], ":".join(parts[1:-1]), parts[-1].split(",")
            if subject is None:
                actions = [a for a in actions if a == "pull" and name.startswith("public/")]
            if actions:
                access.append({"type": kind, "name": name, "actions": actions})
        now = int(time.time())
        claims = {"iss": self.issuer, "sub": subject or "", "aud": service, "exp": now + 300, "nbf": now - 10,
                  "iat": now, "jti": str(uuid.uuid4()), "access": access}
        return {"token": self.sign(claims), "expires_in": 300, "issued_at": time.strftime("%Y-%m-%dT%H:%M:%SZ")}

    def serve(self, port):
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def reply(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                url = urllib.parse.urlparse(self.path)
                query = urllib.parse.parse_qs(url.query)
                server.requests.append({"method": "GET", "scopes": query.get("scope", [])})
                subject = None
                auth = self.headers.get("Authorization", "")
                if auth.startswith("Basic "):
                    user, _, password = base64.b64decode(auth[6:]).decode().partition(":")
                    if server.users.get(user) != password:
                        return self.reply(401, {"errors": [{"code": "UNAUTHORIZED", "message": "bad credentials"}]})
                    subject = user
                scopes = " ".join(query.get("scope", [])).split()
                self.reply(200, server.grant(subject, query.get("service", [""])[0], scopes))

            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                form = urllib.parse.parse_qs(self.rfile.read(length).decode())
                if form.get("grant_type") != ["refresh_token"] or form.get("refresh_token", [""])[0] not in server.refresh_tokens:
                    return self.reply(401, {"errors": [{"code": "UNAUTHORIZED", "message": "bad refresh token"}]})
                scopes = " ".join(form.get("scope", [])).split()
                body = server.grant("refresh-user", form.get("service", [""])[0], scopes)
                body["access_token"] = body.pop("token")
                self.reply(200, body)

        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        return httpd
