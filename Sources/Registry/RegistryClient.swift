import Foundation
import OCI
import Synchronization

/// Settings of a `RegistryClient`.
public struct ClientOptions: Sendable {
    /// How TLS is verified.
    public var trust: TrustPolicy
    /// Credentials to use instead of the stores (for `login`, which checks them first).
    public var credentialOverride: Credential?
    /// Where stored credentials come from.
    public var credentials: CredentialStore
    /// Attempts for idempotent requests that meet transient failures (connection errors, 429, 502–504).
    public var maxAttempts: Int
    /// The first back-off delay; it doubles per attempt.
    public var initialBackoff: Duration
    public var userAgent: String
    /// Seconds a transfer may move nothing before it is given up (and retried where that is safe).
    public var stallTimeout: Int

    public init(trust: TrustPolicy, credentials: CredentialStore = CredentialStore(), credentialOverride: Credential? = nil,
                maxAttempts: Int = 4, initialBackoff: Duration = .milliseconds(250), userAgent: String = "regtui/0.1",
                stallTimeout: Int = 30) {
        self.stallTimeout = stallTimeout
        self.trust = trust
        self.credentials = credentials
        self.credentialOverride = credentialOverride
        self.maxAttempts = maxAttempts
        self.initialBackoff = initialBackoff
        self.userAgent = userAgent
    }
}

/// A client for the OCI distribution API on any number of registries. Safe to share between tasks.
public final class RegistryClient: Sendable {
    public let transport: any Transport
    public let options: ClientOptions
    private let hosts = Mutex<[String: RegistryHost]>([:])
    private let rateLimits = Mutex<[String: (quota: RateLimit, seen: ContinuousClock.Instant)]>([:])

    public init(transport: any Transport, options: ClientOptions) {
        self.transport = transport
        self.options = options
    }

    /// A client over libcurl, with TLS settings resolved once per host.
    public convenience init(options: ClientOptions) {
        let trust = options.trust
        let cache = Mutex<[String: TLSSettings]>([:])
        let transport = CurlTransport(stallTimeout: options.stallTimeout) { host in
            if let known = cache.withLock({ $0[host] }) { return known }
            let settings = trust.settings(for: host)
            cache.withLock { $0[host] = settings }
            return settings
        }
        self.init(transport: transport, options: options)
    }

    /// The per-registry state (scheme, auth challenge, tokens) for `registry`.
    func host(_ registry: String) -> RegistryHost {
        hosts.withLock { hosts in
            if let host = hosts[registry] { return host }
            let host = RegistryHost(registry: registry, client: self)
            hosts[registry] = host
            return host
        }
    }

    /// The pull quota `registry` announced in its last answer that carried one.
    public func rateLimit(for registry: String) -> RateLimit? { rateLimits.withLock { $0[registry]?.quota } }

    /// Every registry's last announced pull quota.
    public var allRateLimits: [String: RateLimit] { rateLimits.withLock { $0.mapValues(\.quota) } }

    /// Notes the quota an answer announced. Answers to concurrent requests arrive in any order,
    /// and the pulls left only go down within a window: a higher count replaces a lower one only
    /// once the lower is a minute old (the window has likely started again).
    private func note(_ quota: RateLimit, from registry: String) {
        let now = ContinuousClock.now
        rateLimits.withLock { known in
            if let current = known[registry], current.quota.limit == quota.limit, current.quota.remaining < quota.remaining,
               current.seen.duration(to: now) < .seconds(60) { return }
            known[registry] = (quota, now)
        }
    }

    /// Checks that `registry` answers the distribution API and that the credentials (if any) work.
    public func ping(_ registry: String) async throws(RegistryError) {
        let what = "\(registry) with these credentials"
        let response = try await send(registry, "GET", "/v2/", scopes: [], what: what)
        guard response.status == 200 else { throw failure(response, registry: registry, what: what) }
    }

    // MARK: - Requests

    /// One API call: resolves the scheme, authenticates for `scopes`, re-authenticates once on
    /// 401, follows redirects for GET and HEAD, and retries transient failures of requests that
    /// can be repeated (never a `POST` or `PATCH`, which open and feed upload sessions). `path` is
    /// registry-relative or a URL the registry handed back, which must be at the registry's own
    /// origin. Returns the final response, whatever its status.
    func send(_ registry: String, _ method: String, _ path: String, headers: HTTPHeaders = [:],
              body: RequestBody = .none, scopes: [String], maxBufferedBody: Int = 1 << 20,
              sink: SinkSelector? = nil, what: String) async throws(RegistryError) -> HTTPResponse {
        let host = host(registry)
        let base = try await host.baseURL()
        let url = try resolve(path, against: base, what: what)
        var authorization = try await host.authorization(scopes: scopes)
        var reauthenticated = false
        var attempt = 1
        let resendable: Bool = if case .stream = body { false } else { true }
        let repeatable = resendable && ["GET", "HEAD", "PUT", "DELETE"].contains(method)
        while true {
            var request = HTTPRequest(method: method, url: url, headers: headers, body: body, maxBufferedBody: maxBufferedBody)
            request.headers.set("User-Agent", options.userAgent)
            let engaged = SinkUse(sink)
            let response: HTTPResponse
            do {
                response = try await sendFollowingRedirects(request, origin: Origin(base)!, authorization: authorization,
                                                            sink: engaged.selector, what: what)
            } catch {
                if case .transport(_, let cause) = error, repeatable, !engaged.used, attempt < options.maxAttempts,
                   [.connect, .timeout, .interrupted].contains(cause.kind) {
                    try await backoff(attempt: attempt, retryAfter: nil)
                    attempt += 1
                    continue
                }
                throw error
            }
            if let quota = RateLimit(limit: response.headers["RateLimit-Limit"], remaining: response.headers["RateLimit-Remaining"]) {
                note(quota, from: registry)
            }
            if response.status == 401 && !reauthenticated && resendable {
                reauthenticated = true
                let challenges = response.headers.values("WWW-Authenticate").flatMap(AuthChallenge.parse)
                authorization = try await host.reauthorize(challenges: challenges, scopes: scopes)
                if authorization != nil { continue }
            }
            if [429, 502, 503, 504].contains(response.status), repeatable, !engaged.used, attempt < options.maxAttempts {
                try await backoff(attempt: attempt, retryAfter: response.headers["Retry-After"])
                attempt += 1
                continue
            }
            return response
        }
    }

    /// `path` as a URL at the registry's origin: relative paths are resolved against `base`; a URL
    /// the registry handed back (an upload `Location`) that names another origin is refused, so
    /// neither credentials nor blobs go there.
    func resolve(_ path: String, against base: URL, what: String) throws(RegistryError) -> URL {
        guard let url = URL(string: path, relativeTo: base)?.absoluteURL, let target = Origin(url) else {
            throw .badResponse(what: what, reason: "cannot form a URL from \(clipped(path))")
        }
        let origin = Origin(base)!
        guard target == origin else { throw .foreignOrigin(what: what, registry: origin, other: target) }
        return url
    }

    private func backoff(attempt: Int, retryAfter: String?) async throws(RegistryError) {
        var delay = options.initialBackoff * (1 << (attempt - 1))
        if let retryAfter, let seconds = Int(retryAfter.trimmingCharacters(in: .whitespaces)), seconds >= 0 {
            delay = .seconds(min(seconds, 30))
        }
        do { try await Task.sleep(for: delay) } catch { throw .cancelled }
    }

    /// Sends `request`, following up to 10 redirects for GET and HEAD. `Authorization` goes only
    /// to the registry's `origin` (scheme, host and port), and no redirect leads from HTTPS to
    /// plain HTTP.
    private func sendFollowingRedirects(_ request: HTTPRequest, origin: Origin, authorization: String?, sink: SinkSelector?,
                                        what: String) async throws(RegistryError) -> HTTPResponse {
        var current = request
        for _ in 0...10 {
            let sameOrigin = Origin(current.url) == origin
            current.headers.set("Authorization", sameOrigin ? authorization : nil)
            let response: HTTPResponse
            do { response = try await transport.send(current, sink: sink) } catch {
                if error.kind == .cancelled { throw .cancelled }
                if error.kind == .bodyTooLarge {
                    throw .tooLarge(what: what, reason: "the response is larger than \(request.maxBufferedBody) bytes, the most regtui reads for it")
                }
                throw .transport(what: what, cause: error)
            }
            guard [301, 302, 303, 307, 308].contains(response.status), current.method == "GET" || current.method == "HEAD" else {
                return response
            }
            guard let location = response.headers["Location"], let next = URL(string: location, relativeTo: current.url)?.absoluteURL,
                  let nextOrigin = Origin(next) else {
                throw .redirect(what: what, reason: "HTTP \(response.status) without a usable Location header")
            }
            if current.url.scheme == "https" && nextOrigin.scheme != "https" {
                throw .redirect(what: what, reason: "refusing to follow a redirect from HTTPS to plain HTTP (\(nextOrigin))")
            }
            current.url = next
        }
        throw .redirect(what: what, reason: "more than 10 redirects")
    }

    /// Turns a non-success response into the matching error.
    func failure(_ response: HTTPResponse, registry: String, what: String) -> RegistryError {
        let details = RegistryError.details(from: response.body)
        switch response.status {
        case 401:
            if hostHasCredential(registry) {
                return .accessDenied(registry: registry, what: what, status: 401, details: details)
            }
            return .authenticationRequired(registry: registry)
        case 403:
            return .accessDenied(registry: registry, what: what, status: 403, details: details)
        case 404:
            return .notFound(what: what, details: details)
        default:
            return .status(response.status, what: what, details: details)
        }
    }

    /// Whether a credential was sent (or would have been) to `registry`.
    func hostHasCredential(_ registry: String) -> Bool {
        options.credentialOverride != nil || options.credentials.cached(registry: registry) != nil
    }

    func credential(for registry: String) async throws(RegistryError) -> Credential? {
        if let override = options.credentialOverride { return override }
        return try await options.credentials.lookup(registry: registry)
    }
}

/// Remembers whether a response body went to the caller's sink, which makes a retry unsafe.
private final class SinkUse: Sendable {
    private let flag = Atomic<Bool>(false)
    private let inner: SinkSelector?

    init(_ inner: SinkSelector?) { self.inner = inner }

    var used: Bool { flag.load(ordering: .relaxed) }

    var selector: SinkSelector? {
        guard let inner else { return nil }
        return { head in
            let sink = inner(head)
            if sink != nil { self.flag.store(true, ordering: .relaxed) }
            return sink
        }
    }
}
