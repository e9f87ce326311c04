import Foundation

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
public struct CredentialStore: Sendable {
    public var environment: [String: String]
    /// How long a credential helper may take before it is given up on.
    public var helperTimeout: TimeInterval

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
            guard let config = try? readConfig(path) else { continue }
            for key in (config["auths"] as? [String: Any] ?? [:]).keys.sorted() {
                let host = Self.normalizedHost(key)
                if !hosts.contains(host) { hosts.append(host) }
            }
        }
        return hosts
    }

    /// The credential for `registry`, or nil when none is configured.
    public func lookup(registry: String) throws(RegistryError) -> Credential? {
        let host = Self.normalizedHost(registry)
        if let file = environment["REGISTRY_AUTH_FILE"], !file.isEmpty,
           let credential = try inlineCredential(in: readConfig(file), host: host, path: file) {
            return credential
        }
        let dockerConfig = try readConfig(dockerConfigPath)
        if let helpers = dockerConfig["credHelpers"] as? [String: String],
           let helper = helpers.first(where: { Self.normalizedHost($0.key) == host })?.value {
            return try helperGet(helper: helper, registry: registry)
        }
        if let credential = try inlineCredential(in: dockerConfig, host: host, path: dockerConfigPath) { return credential }
        if let store = dockerConfig["credsStore"] as? String, !store.isEmpty,
           let credential = try helperGet(helper: store, registry: registry) {
            return credential
        }
        for path in containersAuthPaths.dropFirst(environment["REGISTRY_AUTH_FILE"]?.isEmpty == false ? 1 : 0) {
            if let credential = try inlineCredential(in: readConfig(path), host: host, path: path) { return credential }
        }
        return nil
    }

    /// Saves `credential` for `registry` where docker would: its credential helper when one is
    /// configured, else `auths` in `config.json` (written with mode 0600).
    public func store(_ credential: Credential, registry: String) throws(RegistryError) {
        var config = try readConfig(dockerConfigPath)
        if let helper = helperName(for: registry, in: config) {
            let payload = ["ServerURL": Self.serverKey(registry), "Username": credential.username, "Secret": credential.secret]
            let input = (try? JSONSerialization.data(withJSONObject: payload)) ?? Data()
            _ = try runHelper(helper, action: "store", input: input)
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
    public func erase(registry: String) throws(RegistryError) -> Bool {
        var config = try readConfig(dockerConfigPath)
        if let helper = helperName(for: registry, in: config) {
            _ = try runHelper(helper, action: "erase", input: Data(Self.serverKey(registry).utf8))
        }
        var auths = config["auths"] as? [String: Any] ?? [:]
        let keys = auths.keys.filter { Self.normalizedHost($0) == Self.normalizedHost(registry) }
        guard !keys.isEmpty else { return helperName(for: registry, in: config) != nil }
        for key in keys { auths[key] = nil }
        config["auths"] = auths
        try writeConfig(config, to: dockerConfigPath)
        return true
    }

    // MARK: - Files

    private func readConfig(_ path: String) throws(RegistryError) -> [String: Any] {
        guard let data = FileManager.default.contents(atPath: path) else { return [:] }
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

    private func inlineCredential(in config: [String: Any], host: String, path: String) throws(RegistryError) -> Credential? {
        guard let auths = config["auths"] as? [String: Any] else { return nil }
        guard let entry = auths.first(where: { Self.normalizedHost($0.key) == host })?.value as? [String: Any] else { return nil }
        var username = entry["username"] as? String ?? ""
        var password = entry["password"] as? String ?? ""
        if let auth = entry["auth"] as? String, !auth.isEmpty {
            guard let decoded = Data(base64Encoded: auth).flatMap({ String(data: $0, encoding: .utf8) }),
                  let colon = decoded.firstIndex(of: ":") else {
                throw .credentials("the \"auth\" entry for \(host) in \(path) is not base64 of user:password; log in again with `regtui login \(host)`")
            }
            username = String(decoded[..<colon])
            password = String(decoded[decoded.index(after: colon)...])
        }
        if let token = entry["identitytoken"] as? String, !token.isEmpty {
            return Credential(username: username, secret: token, isIdentityToken: true)
        }
        return username.isEmpty && password.isEmpty ? nil : Credential(username: username, secret: password)
    }

    private func helperName(for registry: String, in config: [String: Any]) -> String? {
        let host = Self.normalizedHost(registry)
        if let helpers = config["credHelpers"] as? [String: String],
           let helper = helpers.first(where: { Self.normalizedHost($0.key) == host })?.value { return helper }
        if let store = config["credsStore"] as? String, !store.isEmpty { return store }
        return nil
    }

    // MARK: - Credential helpers

    private func helperGet(helper: String, registry: String) throws(RegistryError) -> Credential? {
        guard let output = try runHelper(helper, action: "get", input: Data(Self.serverKey(registry).utf8)) else { return nil }
        struct Reply: Decodable { var Username: String?; var Secret: String? }
        guard let reply = try? JSONDecoder().decode(Reply.self, from: output), let secret = reply.Secret else {
            throw .credentials("credential helper docker-credential-\(helper) returned something that is not its JSON reply")
        }
        let username = reply.Username ?? ""
        return username == "<token>" ? Credential(username: "", secret: secret, isIdentityToken: true)
                                     : Credential(username: username, secret: secret)
    }

    /// Runs `docker-credential-HELPER ACTION` with `input` on stdin. Returns its output, or nil
    /// when it answers that it has no credentials. Its error text is not shown: it may echo secrets.
    private func runHelper(_ helper: String, action: String, input: Data) throws(RegistryError) -> Data? {
        let name = "docker-credential-\(helper)"
        guard let executable = Self.findExecutable(name, path: environment["PATH"] ?? "/usr/bin:/bin") else {
            throw .credentials("credential helper \(name) is configured in \(dockerConfigPath) but not installed on PATH")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [action]
        process.environment = environment
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        do { try process.run() } catch {
            throw .credentials("cannot run credential helper \(name): \(error.localizedDescription)")
        }
        // The helper may exit without reading: EPIPE is fine (regtui ignores SIGPIPE).
        POSIXIO.writeAll(input, to: stdin.fileHandleForWriting.fileDescriptor)
        try? stdin.fileHandleForWriting.close()
        let output = OutputCollector(stdout.fileHandleForReading)
        if finished.wait(timeout: .now() + helperTimeout) == .timedOut {
            process.terminate()
            throw .credentials("credential helper \(name) did not answer within \(Int(helperTimeout)) s; check it, or remove it from \(dockerConfigPath)")
        }
        let data = output.finish()
        if process.terminationStatus != 0 {
            if action == "get", String(decoding: data, as: UTF8.self).lowercased().contains("credentials not found") { return nil }
            throw .credentials("credential helper \(name) \(action) failed with exit status \(process.terminationStatus)")
        }
        return data
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

/// Reads a pipe to its end on another thread, so a chatty child never blocks on a full pipe.
private final class OutputCollector: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread {
            self.data = POSIXIO.readToEnd(handle.fileDescriptor)
            self.done.signal()
        }.start()
    }

    func finish() -> Data {
        done.wait()
        return data
    }
}
