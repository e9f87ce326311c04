import Foundation
import OCI

/// What regtui knows about one registry: which scheme it speaks, how it asks for
/// authentication, and the bearer tokens it has issued, per scope set.
actor RegistryHost {
    let registry: String
    unowned let client: RegistryClient
    private var pinged: Task<(URL, [AuthChallenge]), any Error>?
    private var challenges: [AuthChallenge] = []
    private var tokens: [String: (value: String, expires: ContinuousClock.Instant)] = [:]
    /// The registry's origin, once the scheme is known.
    private var base: Origin?

    init(registry: String, client: RegistryClient) {
        self.registry = registry
        self.client = client
    }

    /// The host the API lives on: Docker Hub's is not `docker.io` itself.
    var apiHost: String { registry == "docker.io" ? "registry-1.docker.io" : registry }

    /// `https://host/` or, for loopback and `--insecure` registries that do not speak TLS, `http://host/`.
    func baseURL() async throws(RegistryError) -> URL {
        let task = pinged ?? Task { try await self.ping() }
        pinged = task
        do {
            let (url, found) = try await task.value
            if challenges.isEmpty { challenges = found }
            base = Origin(url)
            return url
        } catch {
            pinged = nil
            throw error as? RegistryError ?? .cancelled
        }
    }

    /// `GET /v2/`, over HTTPS first; plain HTTP only for loopback or `--insecure` hosts whose
    /// TLS handshake fails (a certificate that does not verify is never bypassed).
    private func ping() async throws(RegistryError) -> (URL, [AuthChallenge]) {
        let schemes = client.options.trust.insecure || TrustPolicy.isLoopback(apiHost) ? ["https", "http"] : ["https"]
        var firstError: TransportError?
        for scheme in schemes {
            let base = URL(string: "\(scheme)://\(apiHost)/")!
            let request = HTTPRequest(method: "GET", url: base.appendingPathComponent("v2/"),
                                      headers: ["User-Agent": client.options.userAgent], maxBufferedBody: 1 << 16)
            do {
                let response = try await client.transport.send(request, sink: nil)
                switch response.status {
                case 200..<300:
                    return (base, [])
                case 401:
                    return (base, response.headers.values("WWW-Authenticate").flatMap(AuthChallenge.parse))
                case 404:
                    throw RegistryError.badResponse(what: registry, reason: "\(base.absoluteString)v2/ answered 404: this does not look like a container registry")
                default:
                    throw client.failure(response, registry: registry, what: "registry \(registry)")
                }
            } catch let error as TransportError {
                firstError = firstError ?? error
                if error.kind == .tlsHandshake && scheme != schemes.last { continue }
                break
            } catch {
                throw error as? RegistryError ?? .cancelled
            }
        }
        let cause = firstError!
        switch cause.kind {
        case .tls: throw .untrusted(registry: registry, cause: cause)
        case .cancelled: throw .cancelled
        case .connect, .timeout, .tlsHandshake: throw .unreachable(registry: registry, cause: cause)
        default: throw .transport(what: "registry \(registry)", cause: cause)
        }
    }

    /// The `Authorization` header value for requests needing `scopes`, or nil when the registry
    /// asks for none (or no credential is known for Basic).
    func authorization(scopes: [String]) async throws(RegistryError) -> String? {
        if let bearer = challenges.first(where: { $0.scheme == "bearer" }) {
            return try await bearerToken(challenge: bearer, scopes: scopes)
        }
        if challenges.contains(where: { $0.scheme == "basic" }), let credential = try await client.credential(for: registry) {
            return credential.basicAuthorization
        }
        return nil
    }

    /// After a 401: takes the registry's new challenges, drops the token that failed, and returns
    /// a fresh header (nil when there is nothing new to try). The token asked for covers `scopes`,
    /// what the operation needs: scopes a challenge adds (`repository:*:*`, another repository's
    /// `delete`) are never requested with the user's credentials.
    func reauthorize(challenges new: [AuthChallenge], scopes: [String]) async throws(RegistryError) -> String? {
        guard !new.isEmpty else { return nil }
        let hadBasic = challenges.contains { $0.scheme == "basic" }
        challenges = new
        if let bearer = new.first(where: { $0.scheme == "bearer" }) {
            tokens[Self.key(scopes)] = nil
            return try await bearerToken(challenge: bearer, scopes: scopes)
        }
        if hadBasic { return nil }
        return try await authorization(scopes: scopes)
    }

    private static func key(_ scopes: [String]) -> String { scopes.sorted().joined(separator: " ") }

    /// Credentials go to a plain-HTTP token server only with `--insecure`, or when the registry
    /// itself is plain HTTP on this machine and so is the token server (nothing crosses a network).
    private func checkRealm(_ realm: Origin) throws(RegistryError) {
        guard realm.scheme == "http", !client.options.trust.insecure else { return }
        if base?.scheme == "http" && realm.isLoopback { return }
        throw .insecureRealm(registry: registry, realm: "\(realm)")
    }

    private func bearerToken(challenge: AuthChallenge, scopes: [String]) async throws(RegistryError) -> String {
        let key = Self.key(scopes)
        if let cached = tokens[key], cached.expires > .now { return "Bearer \(cached.value)" }
        guard let realm = challenge.parameters["realm"], var components = URLComponents(string: realm),
              let realmURL = components.url, let realmOrigin = Origin(realmURL), components.user == nil else {
            throw .badResponse(what: "registry \(registry)", reason: "its Bearer challenge has no usable realm URL")
        }
        let credential = try await client.credential(for: registry)
        if credential != nil { try checkRealm(realmOrigin) }
        var request: HTTPRequest
        var query = components.queryItems ?? []
        if let service = challenge.parameters["service"] { query.append(URLQueryItem(name: "service", value: service)) }
        if let credential, credential.isIdentityToken {
            var form = URLComponents()
            form.queryItems = query + [URLQueryItem(name: "grant_type", value: "refresh_token"),
                                       URLQueryItem(name: "client_id", value: "regtui"),
                                       URLQueryItem(name: "refresh_token", value: credential.secret)]
                + (scopes.isEmpty ? [] : [URLQueryItem(name: "scope", value: scopes.joined(separator: " "))])
            let body = Data((form.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B").utf8)
            request = HTTPRequest(method: "POST", url: components.url!, headers: ["Content-Type": "application/x-www-form-urlencoded"],
                                  body: .bytes(body))
        } else {
            components.queryItems = query + scopes.map { URLQueryItem(name: "scope", value: $0) }
            request = HTTPRequest(method: "GET", url: components.url!)
            if let credential { request.headers.set("Authorization", credential.basicAuthorization) }
        }
        request.headers.set("User-Agent", client.options.userAgent)
        let response: HTTPResponse
        do { response = try await client.transport.send(request, sink: nil) } catch {
            if error.kind == .cancelled { throw .cancelled }
            throw .transport(what: "token from \(components.host ?? realm) for \(registry)", cause: error)
        }
        guard (200..<300).contains(response.status) else {
            if [401, 403].contains(response.status) {
                if credential == nil { throw .authenticationRequired(registry: registry) }
                throw .accessDenied(registry: registry, what: scopes.isEmpty ? "\(registry) with these credentials" : scopes.joined(separator: " "),
                                    status: response.status, details: RegistryError.details(from: response.body))
            }
            throw .status(response.status, what: "token for \(registry)", details: RegistryError.details(from: response.body))
        }
        struct TokenReply: Decodable {
            var token: String?
            var access_token: String?
            var expires_in: Int?
        }
        guard let reply = try? JSONDecoder().decode(TokenReply.self, from: response.body),
              let token = reply.token ?? reply.access_token, !token.isEmpty else {
            throw .badResponse(what: "token for \(registry)", reason: "the token server's reply has no token")
        }
        let lifetime = max(reply.expires_in ?? 60, 60)
        tokens[key] = (token, .now + .seconds(lifetime - 10))
        return "Bearer \(token)"
    }
}
