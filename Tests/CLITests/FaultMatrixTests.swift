import Foundation
import OCI
import TestSupport
import Testing

/// regtui against a real registry behind the fault-injecting proxy: transient faults are retried
/// and succeed; the rest give a specific error and exit 2, and a copy never moves a tag.
@Suite struct FaultMatrixTests {
    let rig: Rig
    let environment: [String: String]

    init() async throws {
        rig = try await Rig.shared()
        let home = NSTemporaryDirectory() + "regtui-faults-\(UUID().uuidString)"
        environment = ["HOME": home, "DOCKER_CONFIG": home + "/d"]
    }

    var faulty: String { rig.registries["faulty-source"]! }

    /// Requests the proxy has passed whose path contains `path`.
    func passed(_ path: String) async throws -> Int {
        let log = try await runProcess(["curl", "-sf", "http://\(faulty)/__log"])
        return (JSONValue.parse(log.stdout)?.array ?? []).filter { $0["path"]?.string?.contains(path) == true }.count
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let rules: String
        let arguments: [String]
        let status: Int32
        let message: String
        var testDescription: String { name }
    }

    static let manifestPath = "/v2/demo/single/manifests/1.0"

    static let cases: [Case] = [
        Case(name: "503 twice, then the manifest", rules: #"[{"method":"GET","path":"\#(manifestPath)","action":"status","status":503,"times":2}]"#,
             arguments: ["digest", "FAULTY/demo/single:1.0"], status: 0, message: ""),
        Case(name: "429 with Retry-After", rules: #"[{"method":"GET","path":"\#(manifestPath)","action":"status","status":429,"retry_after":1,"times":1}]"#,
             arguments: ["digest", "FAULTY/demo/single:1.0"], status: 0, message: ""),
        Case(name: "500 is not retried", rules: #"[{"method":"GET","path":"\#(manifestPath)","action":"status","status":500,"body":"{\"errors\":[{\"code\":\"UNKNOWN\",\"message\":\"boom\"}]}","times":-1}]"#,
             arguments: ["manifest", "FAULTY/demo/single:1.0"], status: 2, message: "registry answered HTTP 500: UNKNOWN boom"),
        Case(name: "a wrong Docker-Content-Digest", rules: #"[{"method":"GET","path":"\#(manifestPath)","action":"digest","value":"sha256:\#(String(repeating: "0", count: 64))","times":-1}]"#,
             arguments: ["manifest", "FAULTY/demo/single:1.0"], status: 2, message: "digest mismatch for manifest"),
        Case(name: "a truncated manifest", rules: #"[{"method":"GET","path":"\#(manifestPath)","action":"truncate","length":40,"times":-1}]"#,
             arguments: ["inspect", "FAULTY/demo/single:1.0"], status: 2, message: "unterminated string"),
        Case(name: "malformed JSON", rules: #"[{"method":"GET","path":"\#(manifestPath)","action":"replace","body":"{\"schemaVersion\": 2, oops}","times":-1}]"#,
             arguments: ["inspect", "FAULTY/demo/single:1.0"], status: 2, message: "not valid JSON at byte 21"),
        Case(name: "a truncated manifest, printed raw", rules: #"[{"method":"GET","path":"\#(manifestPath)","action":"truncate","length":40,"times":-1}]"#,
             arguments: ["manifest", "FAULTY/demo/single:1.0"], status: 2, message: "digest mismatch for manifest"),
        Case(name: "a manifest over 4 MiB", rules: #"[{"method":"GET","path":"\#(manifestPath)","action":"replace","body":"\#(String(repeating: " ", count: 4 * 1024 * 1024 + 10)){}","times":-1}]"#,
             arguments: ["manifest", "FAULTY/demo/single:1.0"], status: 2, message: "larger than 4194304 bytes"),
        Case(name: "the wrong Content-Type", rules: #"[{"method":"GET","path":"\#(manifestPath)","action":"content_type","value":"text/plain","times":-1}]"#,
             arguments: ["digest", "FAULTY/demo/single:1.0"], status: 0, message: ""),
        Case(name: "a Link that points back at the same page", rules: #"[{"method":"GET","path":"/v2/_catalog","action":"link","value":"</v2/_catalog?n=1000>; rel=\"next\"","times":-1}]"#,
             arguments: ["catalog", "FAULTY"], status: 2, message: "not at a next page"),
    ]

    @Test(arguments: cases)
    func fault(_ fault: Case) async throws {
        let arguments = fault.arguments.map { $0.replacingOccurrences(of: "FAULTY", with: faulty) }
        let result = try await FaultProxies.shared.with(faulty, rules: fault.rules) {
            try await regtui(arguments, environment: environment)
        }
        #expect(result.status == fault.status, "\(result.stderr)")
        if fault.status == 0 {
            #expect(result.text.contains(rig.digest("single")) || arguments[0] == "catalog")
        } else {
            #expect(result.stderr.contains(fault.message), "\(result.stderr)")
        }
    }

    /// Counted while the proxy is ours alone (the other cases use it too).
    @Test func serverErrorsAreRetriedButA500IsNot() async throws {
        let once = try await FaultProxies.shared.with(faulty, rules: #"[{"method":"GET","path":"\#(Self.manifestPath)","action":"status","status":500,"times":-1}]"#) {
            let before = try await passed(Self.manifestPath)
            _ = try await regtui(["manifest", "\(faulty)/demo/single:1.0"], environment: environment)
            return try await passed(Self.manifestPath) - before
        }
        #expect(once == 1)
        let retried = try await FaultProxies.shared.with(faulty, rules: #"[{"method":"GET","path":"\#(Self.manifestPath)","action":"status","status":503,"times":2}]"#) {
            let before = try await passed(Self.manifestPath)
            _ = try await regtui(["manifest", "\(faulty)/demo/single:1.0"], environment: environment)
            return try await passed(Self.manifestPath) - before
        }
        #expect(retried == 3)
    }

    /// Copy under faults on the source's blobs: transient ones are retried, the rest fail
    /// without writing the tag or leaving an upload open.
    @Test(arguments: [
        ("502 on a blob", #"{"method":"GET","path":"/blobs/","action":"status","status":502,"times":1}"#, true),
        ("a blob without Content-Length", #"{"method":"GET","path":"/blobs/","action":"no_length","times":-1}"#, true),
        ("a connection dropped mid-blob", #"{"method":"GET","path":"/blobs/","action":"drop","times":1}"#, true),
        ("a corrupted blob", #"{"method":"GET","path":"/blobs/","action":"corrupt","times":-1}"#, false),
        ("a truncated blob", #"{"method":"GET","path":"/blobs/","action":"truncate","length":10,"times":-1}"#, false),
    ])
    func copyUnderFault(name: String, rule: String, succeeds: Bool) async throws {
        let repository = "faults/\(UUID().uuidString.prefix(8).lowercased())"
        let result = try await FaultProxies.shared.with(faulty, rules: "[\(rule)]") {
            try await regtui(["copy", "\(faulty)/demo/large:1.0", "\(rig.dest)/\(repository)", "--json"], environment: environment)
        }
        let check = try await regtui(["digest", "\(rig.dest)/\(repository):1.0"], environment: environment)
        if succeeds {
            #expect(result.status == 0, "\(name): \(result.stderr)")
            #expect(check.text.trimmingCharacters(in: .newlines) == rig.digest("large"))
        } else {
            #expect(result.status == 2, "\(name): \(result.stderr)")
            #expect(result.stderr.contains("blob sha256:"), "the error names the blob: \(result.stderr)")
            #expect(check.status == 1, "\(name): no tag was written")
        }
        #expect(rig.openUploads(inDest: repository).isEmpty, "\(name): no upload session left open")
    }

    /// A slow loris: the source sends part of a blob, then nothing. With --timeout 2 the download
    /// is given up, resumed with Range, and the copy completes.
    @Test func aStalledDownloadIsGivenUpAndResumed() async throws {
        let layer = try await regtui(["inspect", rig.ref("large"), "--json"], environment: environment)
        let digest = try #require(JSONValue.parse(layer.stdout)?["layers"]?[0]?["digest"]?.string)
        let repository = "faults/stall-\(UUID().uuidString.prefix(6).lowercased())"
        let rules = #"[{"method":"GET","path":"/blobs/\#(digest)","action":"stall","after":1048576,"seconds":30,"times":1}]"#
        let result = try await FaultProxies.shared.with(faulty, rules: rules) {
            try await regtui(["copy", "\(faulty)/demo/large:1.0", "\(rig.dest)/\(repository)", "--timeout", "2", "--json"],
                             environment: environment)
        }
        #expect(result.status == 0, "\(result.stderr)")
        #expect(JSONValue.parse(result.stdout)?["digest"]?.string == rig.digest("large"))
        #expect(rig.openUploads(inDest: repository).isEmpty)
        #expect(try await !rig.resumedDownloads(of: digest, through: faulty).isEmpty, "resumed with Range")
    }

    /// Docker schema 1 is shown, read-only; copying it is refused with a reason.
    @Test func schema1IsReadableButNotCopied() async throws {
        let schema1 = #"{"schemaVersion":1,"name":"demo/single","tag":"1.0","architecture":"amd64","fsLayers":[{"blobSum":"sha256:\#(String(repeating: "a", count: 64))"}],"history":[{"v1Compatibility":"{}"}],"signatures":[]}"#
        let body = schema1.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        let rules = #"[{"method":"GET","path":"\#(Self.manifestPath)","action":"replace","content_type":"application/vnd.docker.distribution.manifest.v1+prettyjws","body":"\#(body)","times":-1}]"#
        let (inspect, copy) = try await FaultProxies.shared.with(faulty, rules: rules) {
            let inspect = try await regtui(["inspect", "\(faulty)/demo/single:1.0"], environment: environment)
            let copy = try await regtui(["copy", "\(faulty)/demo/single:1.0", "\(rig.dest)/faults/schema1"], environment: environment)
            return (inspect, copy)
        }
        #expect(inspect.status == 0, "\(inspect.stderr)")
        #expect(inspect.text.contains("Docker schema 1"))
        #expect(copy.status == 2 && copy.stderr.contains("schema 1 manifests are read-only"), "\(copy.stderr)")
    }

    /// A tag list of 100,000 names, as a busy registry might serve in one page.
    @Test func aHugeTagListIsListedWhole() async throws {
        let tags = (0..<100_000).map { "\"build-\($0)\"" }.joined(separator: ",")
        let body = #"{\"name\":\"demo/single\",\"tags\":[\#(tags.replacingOccurrences(of: "\"", with: "\\\""))]}"#
        let rules = #"[{"method":"GET","path":"/v2/demo/single/tags/list","action":"replace","body":"\#(body)","times":-1}]"#
        let result = try await FaultProxies.shared.with(faulty, rules: rules) {
            try await regtui(["tags", "\(faulty)/demo/single"], environment: environment)
        }
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.text.split(separator: "\n")
        #expect(lines.count == 100_000)
        #expect(lines.last == "build-99999")
    }
}
