import Foundation
import Synchronization

/// A registry credential. Its descriptions never show the secret.
public struct Credential: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public var username: String
    /// The password, or the identity (refresh) token when `isIdentityToken`.
    public var secret: String
    public var isIdentityToken: Bool

    public init(username: String, secret: String, isIdentityToken: Bool = false) {
        self.username = username
        self.secret = secret
        self.isIdentityToken = isIdentityToken
    }

    public var description: String { isIdentityToken ? "identity token (hidden)" : "user \(username) (password hidden)" }
    public var debugDescription: String { description }

    /// The value of a Basic `Authorization` header.
    var basicAuthorization: String {
        "Basic " + Data("\(username):\(secret)".utf8).base64EncodedString()
    }
}

/// Where credentials live: docker's `config.json` (with `credsStore` and `credHelpers`) and
/// containers' `auth.json`. Reads what docker, podman and skopeo write; writes where docker would.
///
/// Each file is read once (and refused when larger than `maxFileSize`), and each registry's
/// credential is looked up once: a store shared by a whole command costs one read per file and
/// one helper run per registry, however many requests follow.
public final class CredentialStore: Sendable {
    public let environment: [String: String]
    /// How long a credential helper may take before it is given up on.
    public let helperTimeout: TimeInterval
    /// The largest credentials file regtui reads.
    public static let maxFileSize = 4 << 20

    private struct Cache {
        var files: [String: ParsedFile] = [:]
        var credentials: [String: Credential?] = [:]
    }
    private let cache = Mutex(Cache())

    public init(environment: [String: String] = ProcessInfo.processInfo.environment, helperTimeout: TimeInterval = 10) {
        self.environment = environment
        self.helperTimeout = helperTimeout
    }

    private var home: String { environment["HOME"] ?? NSHomeDirectory() }

    /// docker's config file: `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`.
    public var dockerConfigPath: String {
        if let directory = environment["DOCKER_CONFIG"], !directory.isEmpty { return directory + "/config.json" }
        return home + "/.docker/config.json"
    }

    /// containers' auth files, in the order skopeo and podman read them.
    public var containersAuthPaths: [String] {
        var paths: [String] = []
        if let file = environment["REGISTRY_AUTH_FILE"], !file.isEmpty { paths.append(file) }
        if let runtime = environment["XDG_RUNTIME_DIR"], !runtime.isEmpty { paths.append(runtime + "/containers/auth.json") }
        paths.append(home + "/.config/containers/auth.json")
        return paths
    }

    /// The registries that have credentials in any of the files (for the TUI's registry list).
    public func knownRegistries() -> [String] {
        var hosts: [String] = []
        for path in [dockerConfigPath] + containersAuthPaths {
            guard let config = try? parsedFile(path) else { continue }
            for key in config.auths.keys.sorted() {
                let host = Self.normalizedHost(key)
                if !hosts.contains(host) { hosts.append(host) }
            }
        }
        return hosts
    }

    /// The credential for `registry`, or nil when none is configured. Looked up once per store.
    public func lookup(registry: String) async throws(RegistryError) -> Credential? {
        let host = Self.normalizedHost(registry)
        if let known = cache.withLock({ $0.credentials[host] }) { return known }
        let found = try await search(registry: registry, host: host)
        cache.withLock { $0.credentials[host] = .some(found) }
        return found
    }

    /// The credential for `registry` if `lookup` has already found one.
    public func cached(registry: String) -> Credential? {
        cache.withLock { $0.credentials[Self.normalizedHost(registry)] ?? nil }
    }

    private func search(registry: String, host: String) async throws(RegistryError) -> Credential? {
        if let file = environment["REGISTRY_AUTH_FILE"], !file.isEmpty,
           let credential = try inlineCredential(in: parsedFile(file), host: host, path: file) {
            return credential
        }
        let dockerConfig = try parsedFile(dockerConfigPath)
        if let helper = dockerConfig.credHelpers.first(where: { Self.normalizedHost($0.key) == host })?.value {
            return try await helperGet(helper: helper, registry: registry)
        }
        if let credential = try inlineCredential(in: dockerConfig, host: host, path: dockerConfigPath) { return credential }
        if let store = dockerConfig.credsStore, !store.isEmpty, let credential = try await helperGet(helper: store, registry: registry) {
            return credential
        }
        for path in containersAuthPaths.dropFirst(environment["REGISTRY_AUTH_FILE"]?.isEmpty == false ? 1 : 0) {
            if let credential = try inlineCredential(in: parsedFile(path), host: host, path: path) { return credential }
        }
        return nil
    }

    /// Saves `credential` for `registry` where docker would: its credential helper when one is
    /// configured, else `auths` in `config.json` (written with mode 0600).
    public func store(_ credential: Credential, registry: String) async throws(RegistryError) {
        defer { forget() }
        var config = try readFullConfig(dockerConfigPath)
        if let helper = helperName(for: registry, in: try parsedFile(dockerConfigPath)) {
            let payload = ["ServerURL": Self.serverKey(registry), "Username": credential.username, "Secret": credential.secret]
            let input = (try? JSONSerialization.data(withJSONObject: payload)) ?? Data()
            _ = try await makeHelper(helper).run("store", input: input)
            return
        }
        var auths = config["auths"] as? [String: Any] ?? [:]
        for key in auths.keys where Self.normalizedHost(key) == Self.normalizedHost(registry) { auths[key] = nil }
        var entry: [String: Any] = [:]
        if credential.isIdentityToken {
            entry["identitytoken"] = credential.secret
            entry["auth"] = Data("\(credential.username):".utf8).base64EncodedString()
        } else {
            entry["auth"] = Data("\(credential.username):\(credential.secret)".utf8).base64EncodedString()
        }
        auths[Self.serverKey(registry)] = entry
        config["auths"] = auths
        try writeConfig(config, to: dockerConfigPath)
    }

    /// Removes the credential for `registry` from docker's store. Returns false when there was none.
    @discardableResult
    public func erase(registry: String) async throws(RegistryError) -> Bool {
        defer { forget() }
        let helper = helperName(for: registry, in: try parsedFile(dockerConfigPath))
        if let helper { _ = try await makeHelper(helper).run("erase", input: Data(Self.serverKey(registry).utf8)) }
        var config = try readFullConfig(dockerConfigPath)
        var auths = config["auths"] as? [String: Any] ?? [:]
        let keys = auths.keys.filter { Self.normalizedHost($0) == Self.normalizedHost(registry) }
        guard !keys.isEmpty else { return helper != nil }
        for key in keys { auths[key] = nil }
        config["auths"] = auths
        try writeConfig(config, to: dockerConfigPath)
        return true
    }

    /// Drops what was read, after the files were written.
    private func forget() { cache.withLock { $0 = Cache() } }

    // MARK: - Files

    /// The parts of a credentials file regtui reads.
    struct ParsedFile: Sendable {
        var auths: [String: AuthEntry] = [:]
        var credHelpers: [String: String] = [:]
        var credsStore: String?
    }

    struct AuthEntry: Sendable {
        var auth: String?
        var username: String?
        var password: String?
        var identityToken: String?
    }

    /// A credentials file as read once per store; an absent file is empty.
    private func parsedFile(_ path: String) throws(RegistryError) -> ParsedFile {
        if let known = cache.withLock({ $0.files[path] }) { return known }
        let config = try readFullConfig(path)
        var parsed = ParsedFile()
        for (key, value) in config["auths"] as? [String: Any] ?? [:] {
            guard let entry = value as? [String: Any] else { continue }
            parsed.auths[key] = AuthEntry(auth: entry["auth"] as? String, username: entry["username"] as? String,
                                          password: entry["password"] as? String, identityToken: entry["identitytoken"] as? String)
        }
        parsed.credHelpers = config["credHelpers"] as? [String: String] ?? [:]
        parsed.credsStore = config["credsStore"] as? String
        cache.withLock { $0.files[path] = parsed }
        return parsed
    }

    /// The whole JSON object of a credentials file, checked for size first.
    private func readFullConfig(_ path: String) throws(RegistryError) -> [String: Any] {
        var info = stat()
        guard stat(path, &info) == 0 else { return [:] }
        guard info.st_size <= Self.maxFileSize else {
            throw .credentials("\(path) is \(info.st_size) bytes; regtui reads credentials files of at most \(Self.maxFileSize) bytes. Remove what it does not need")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .credentials("cannot read credentials from \(path): check its permissions")
        }
        if data.allSatisfy({ $0 == 0x20 || $0 == 0x0a || $0 == 0x0d || $0 == 0x09 }) { return [:] }
        guard let object = try? JSONSerialization.jsonObject(with: data), let config = object as? [String: Any] else {
            throw .credentials("cannot read credentials from \(path): it is not a JSON object. Fix or remove the file, then log in again")
        }
        return config
    }

    private func writeConfig(_ config: [String: Any], to path: String) throws(RegistryError) {
        let directory = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            let data = try JSONSerialization.data(withJSONObject: config, options: [.prettyPrinted, .sortedKeys])
            let temporary = path + ".tmp-\(getpid())"
            guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600]) else {
                throw CocoaError(.fileWriteUnknown)
            }
            if rename(temporary, path) != 0 { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        } catch {
            throw .credentials("cannot write credentials to \(path): \(error.localizedDescription)")
        }
    }

    private func inlineCredential(in config: ParsedFile, host: String, path: String) throws(RegistryError) -> Credential? {
        guard let entry = config.auths.first(where: { Self.normalizedHost($0.key) == host })?.value else { return nil }
        var username = entry.username ?? ""
        var password = entry.password ?? ""
        if let auth = entry.auth, !auth.isEmpty {
            guard let decoded = Data(base64Encoded: auth).flatMap({ String(data: $0, encoding: .utf8) }),
                  let colon = decoded.firstIndex(of: ":") else {
                throw .credentials("the \"auth\" entry for \(host) in \(path) is not base64 of user:password; log in again with `regtui login \(host)`")
            }
            username = String(decoded[..<colon])
            password = String(decoded[decoded.index(after: colon)...])
        }
        if let token = entry.identityToken, !token.isEmpty {
            return Credential(username: username, secret: token, isIdentityToken: true)
        }
        return username.isEmpty && password.isEmpty ? nil : Credential(username: username, secret: password)
    }

    private func helperName(for registry: String, in config: ParsedFile) -> String? {
        let host = Self.normalizedHost(registry)
        if let helper = config.credHelpers.first(where: { Self.normalizedHost($0.key) == host })?.value { return helper }
        if let store = config.credsStore, !store.isEmpty { return store }
        return nil
    }

    // MARK: - Credential helpers

    private func helperGet(helper: String, registry: String) async throws(RegistryError) -> Credential? {
        guard let output = try await makeHelper(helper).run("get", input: Data(Self.serverKey(registry).utf8)) else { return nil }
        struct Reply: Decodable { var Username: String?; var Secret: String? }
        guard let reply = try? JSONDecoder().decode(Reply.self, from: output), let secret = reply.Secret else {
            throw .credentials("credential helper docker-credential-\(helper) returned something that is not its JSON reply")
        }
        let username = reply.Username ?? ""
        return username == "<token>" ? Credential(username: "", secret: secret, isIdentityToken: true)
                                     : Credential(username: username, secret: secret)
    }

    private func makeHelper(_ helper: String) throws(RegistryError) -> CredentialHelper {
        let name = "docker-credential-\(helper)"
        guard let executable = Self.findExecutable(name, path: environment["PATH"] ?? "/usr/bin:/bin") else {
            throw .credentials("credential helper \(name) is configured in \(dockerConfigPath) but not installed on PATH")
        }
        return CredentialHelper(name: name, executable: executable, environment: environment, timeout: helperTimeout)
    }

    private static func findExecutable(_ name: String, path: String) -> String? {
        path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The key docker uses for a registry in its files: `https://index.docker.io/v1/` for Docker Hub,
    /// the host otherwise.
    static func serverKey(_ registry: String) -> String {
        normalizedHost(registry) == "docker.io" ? "https://index.docker.io/v1/" : normalizedHost(registry)
    }

    /// `https://host:port/v1/` → `host:port`; Docker Hub's names → `docker.io`.
    static func normalizedHost(_ key: String) -> String {
        var host = Substring(key)
        if let range = host.range(of: "://") { host = host[range.upperBound...] }
        if let slash = host.firstIndex(of: "/") { host = host[..<slash] }
        let lowered = host.lowercased()
        return ["index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"].contains(lowered) ? "docker.io" : lowered
    }
}
