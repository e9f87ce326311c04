import Foundation

/// The test rig's registries and fixtures: `Tests/rig/rig.py` started once per test process, and
/// stopped when the process exits (its stdin pipe closes).
public struct Rig: Sendable {
    /// `host:port` of each registry: source, dest, basic, token, tls.
    public let registries: [String: String]
    public let user: String
    public let password: String
    public let refreshToken: String
    /// The throw-away CA that signed the tls registry's certificate.
    public let caFile: String
    public let directory: String
    /// The host the redirect registry sends blob GETs to.
    public let blobHost: String
    /// What the fixture builder wrote, as it describes it (digests computed in Python).
    public let fixtures: [String: JSONValue]
    /// `host:port` of each listener of the hostile registry (hostile.py): basic, bearer, tls, elsewhere.
    public let hostile: [String: String]

    public var source: String { registries["source"]! }
    public var dest: String { registries["dest"]! }

    /// The digest the fixture builder computed for fixture `name`.
    public func digest(_ name: String) -> String { fixtures[name]?["digest"]?.string ?? "" }
    /// The reference of fixture `name` on registry `host` (the source by default).
    public func ref(_ name: String, on host: String? = nil) -> String {
        "\(host ?? source)/\(fixtures[name]?["ref"]?.string ?? name)"
    }

    /// The shared rig, started on first use.
    public static func shared() async throws -> Rig { try await starter.value }

    private static let starter = Task<Rig, any Error> { try start() }

    /// Keeps the rig's stdin open for the life of the process.
    nonisolated(unsafe) private static var keepAlive: Pipe?

    private static func start() throws -> Rig {
        ignoreBrokenPipes()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", repositoryRoot + "/Tests/rig/rig.py", "serve"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        keepAlive = input
        var line = Data()
        var byte: UInt8 = 0
        while true {
            let count = read(output.fileHandleForReading.fileDescriptor, &byte, 1)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 || byte == 0x0a { break }
            line.append(byte)
        }
        guard case .object(let info)? = try? JSONDecoder().decode(JSONValue.self, from: line) else {
            throw RigError("the test rig did not start; run `python3 Tests/rig/rig.py serve` to see why")
        }
        func string(_ key: String) -> String { info[key]?.string ?? "" }
        var registries: [String: String] = [:]
        if case .object(let map)? = info["registries"] { for (k, v) in map { registries[k] = v.string } }
        var fixtures: [String: JSONValue] = [:]
        if case .object(let map)? = info["fixtures"] { fixtures = map }
        var hostile: [String: String] = [:]
        if case .object(let map)? = info["hostile"] { for (k, v) in map { hostile[k] = v.string } }
        return Rig(registries: registries, user: string("user"), password: string("password"),
                   refreshToken: string("refreshToken"), caFile: string("ca"), directory: string("dir"),
                   blobHost: string("blobHost"), fixtures: fixtures, hostile: hostile)
    }

    /// The repository checkout this file is in.
    public static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()
}

public struct RigError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Any JSON value, for reading the rig's description and regtui's `--json` output in tests.
public enum JSONValue: Sendable, Decodable, Equatable {
    case null, bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    public static func parse(_ data: Data) -> JSONValue? { try? JSONDecoder().decode(JSONValue.self, from: data) }

    public subscript(key: String) -> JSONValue? { if case .object(let map) = self { map[key] } else { nil } }
    public subscript(index: Int) -> JSONValue? {
        if case .array(let list) = self, list.indices.contains(index) { list[index] } else { nil }
    }
    public var string: String? { if case .string(let value) = self { value } else { nil } }
    public var number: Double? { if case .number(let value) = self { value } else { nil } }
    public var array: [JSONValue]? { if case .array(let value) = self { value } else { nil } }
    public var object: [String: JSONValue]? { if case .object(let value) = self { value } else { nil } }
}

/// The rig's fault proxies are shared: tests that set faults take turns through this.
public actor FaultProxies {
    public static let shared = FaultProxies()
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// Runs `body` with `rules` set on the proxy at `host`, clearing them afterwards.
    @discardableResult
    public func with<T: Sendable>(_ host: String, rules: String, _ body: @Sendable () async throws -> T) async throws -> T {
        if busy { await withCheckedContinuation { waiting.append($0) } } else { busy = true }
        defer {
            if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
        }
        _ = try await runProcess(["curl", "-sf", "-X", "POST", "--data-binary", "@-", "http://\(host)/__faults"], input: Data(rules.utf8))
        do {
            let value = try await body()
            _ = try await runProcess(["curl", "-sf", "-X", "DELETE", "http://\(host)/__faults"])
            return value
        } catch {
            _ = try await runProcess(["curl", "-sf", "-X", "DELETE", "http://\(host)/__faults"])
            throw error
        }
    }
}

extension Rig {
    /// An environment whose docker config holds the rig's user and password for `hosts` (and
    /// `extra` entries for config.json), in a fresh directory.
    public func credentials(for hosts: [String], extra: String = "") throws -> [String: String] {
        let home = NSTemporaryDirectory() + "regtui-creds-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: home + "/docker", withIntermediateDirectories: true)
        let auth = Data("\(user):\(password)".utf8).base64EncodedString()
        let entries = hosts.map { #""\#($0)":{"auth":"\#(auth)"}"# }.joined(separator: ",")
        try #"{"auths":{\#(entries)}\#(extra)}"#.write(toFile: home + "/docker/config.json", atomically: true, encoding: .utf8)
        return ["HOME": home, "DOCKER_CONFIG": home + "/docker"]
    }

    /// What a fault proxy or the hostile registry at `host` has logged, as JSON objects.
    public func log(of host: String, path: String = "/__log") async throws -> [JSONValue] {
        let result = try await runProcess(["curl", "-sf", "http://\(host)\(path)"])
        return JSONValue.parse(result.stdout)?.array ?? []
    }

    /// The GETs of `digest`'s blob the proxy at `host` passed with a `Range` from a later byte
    /// than 0: downloads that were resumed, not started over.
    public func resumedDownloads(of digest: String, through host: String) async throws -> [String] {
        try await log(of: host).filter { $0["method"]?.string == "GET" && $0["path"]?.string?.hasSuffix("/blobs/\(digest)") == true }
            .compactMap { $0["range"]?.string }.filter { $0.hasPrefix("bytes=") && !$0.hasPrefix("bytes=0-") }
    }

    /// Waits until the proxy at `host` has begun a stall for a request whose path contains
    /// `path`: its first bytes are out and nothing more will flow. Only stalls logged after the
    /// first `after` entries count (the log is shared by every test: take its length first).
    public func awaitStall(at host: String, path: String, after: Int) async throws {
        try await awaitCondition("a stalled transfer of \(path) through \(host)") {
            try await log(of: host).dropFirst(after).contains { $0["fault"]?.string == "stall" && $0["stalled"] == .bool(true)
                && $0["path"]?.string?.contains(path) == true }
        }
    }

    /// Upload sessions the dest registry still holds open for `repository`: those in its storage's
    /// `_uploads` with a `startedat` file (a cancelled session loses it; only an empty
    /// `hashstates` folder is left behind by distribution 2.8).
    public func openUploads(inDest repository: String) -> [String] {
        let path = "\(directory)/dest-storage/docker/registry/v2/repositories/\(repository)/_uploads"
        let sessions = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return sessions.filter { FileManager.default.fileExists(atPath: "\(path)/\($0)/startedat") }
    }
}

/// Polls `condition` until it holds; fails the wait after `limit` with what was awaited.
public func awaitCondition(_ what: String, limit: Duration = .seconds(30),
                           _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + limit
    while try await !condition() {
        guard ContinuousClock.now < deadline else { throw RigError("waited \(limit) for \(what)") }
        try await Task.sleep(for: .milliseconds(20))
    }
}
