import Foundation
import OCI
import TestSupport
import Testing

/// regtui against a registry that attacks it (`Tests/rig/hostile.py`): each test is one thing a
/// hostile or broken registry did to an earlier regtui. Nothing may crash, grow without bound,
/// write to the terminal, send a credential off its origin or move a tag.
@Suite struct HostileRegistryTests {
    let rig: Rig
    let environment: [String: String]

    init() async throws {
        rig = try await Rig.shared()
        environment = try rig.credentials(for: [rig.hostile["basic"]!, rig.hostile["bearer"]!, rig.hostile["tls"]!])
    }

    var hostile: String { rig.hostile["basic"]! }

    /// Bytes that act on a terminal: ESC, BEL, CSI as C1, and the right-to-left override.
    static func actsOnTerminal(_ bytes: some Sequence<UInt8>) -> Bool {
        let bytes = Array(bytes)
        if bytes.contains(0x1b) || bytes.contains(0x07) { return true }
        let c1 = zip(bytes, bytes.dropFirst()).contains { $0 == 0xc2 && (0x80...0x9f).contains($1) }
        let bidi = bytes.indices.dropLast(2).contains { bytes[$0] == 0xe2 && bytes[$0 + 1] == 0x80 && bytes[$0 + 2] == 0xae }
        return c1 || bidi
    }

    @Test func anUploadLocationAtAnotherOriginGetsNothing() async throws {
        let result = try await regtui(["copy", rig.ref("single"), "\(hostile)/upload/cross:1"], environment: environment)
        #expect(result.status == 2)
        #expect(result.stderr.contains("pointed at http://\(rig.hostile["elsewhere"]!), another origin"), "\(result.stderr)")
        let log = try await rig.log(of: hostile)
        #expect(!log.contains { $0["listener"]?.string == "elsewhere" && $0["path"]?.string != "/__log" }, "nothing reached the other origin")
        #expect(log.contains { $0["listener"]?.string == "basic" && $0["method"]?.string == "DELETE" && $0["path"]?.string?.hasSuffix("/session-1") == true },
                "the session was closed at the registry")
    }

    @Test func anIndexListingOneChild6000TimesWorksWithin1024OpenFiles() async throws {
        let index = "\(hostile)/fanout/same:idx"
        let inspect = try await measuredRegtui(["inspect", index], environment: environment)
        #expect(inspect.result.status == 0, "\(inspect.result.stderr)")
        #expect(inspect.result.text.components(separatedBy: "linux/amd64").count - 1 == 6000)
        let destination = "\(rig.dest)/fanout-\(UUID().uuidString.prefix(8).lowercased()):idx"
        let copy = try await measuredRegtui(["copy", index, destination], environment: environment)
        #expect(copy.result.status == 0, "\(copy.result.stderr)")
        #expect(copy.result.text.contains("digest preserved"))
        let diff = try await measuredRegtui(["diff", index, destination, "--json"], environment: environment)
        #expect(diff.result.status == 0, "\(diff.result.stderr)")
        #expect(JSONValue.parse(diff.result.stdout)?["verdict"]?.string == "identical")
        let distinct = try await measuredRegtui(["inspect", "\(hostile)/fanout/distinct:idx"], environment: environment)
        #expect(distinct.result.status == 2)
        #expect(distinct.result.stderr.contains("lists 6000 distinct manifests, more than the 5000 regtui follows"))
    }

    @Test func sizesThatOverflowAreAnErrorNamingTheLayer() async throws {
        for arguments in [["inspect", "\(hostile)/sizes/huge:1"], ["copy", "\(hostile)/sizes/huge:1", "\(rig.dest)/huge:1"]] {
            let result = try await regtui(arguments, environment: environment)
            #expect(result.status == 2, "\(arguments[0]): \(result.stderr)")
            #expect(result.stderr.contains("layers[0] declares 9223372036854775807 bytes"), "\(result.stderr)")
        }
    }

    @Test func annotationKeysThatLookAlikeWhenEscapedAreBothShown() async throws {
        let text = try await regtui(["inspect", "\(hostile)/annotations/collide:1"], environment: environment)
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.text.contains(#"k\x1b: escape"#) && text.text.contains(#"k\x1b: text"#))
        let json = try await regtui(["inspect", "\(hostile)/annotations/collide:1", "--json"], environment: environment)
        #expect(JSONValue.parse(json.stdout)?["annotations"] == .object(["k\u{1b}": .string("escape"), #"k\x1b"#: .string("text")]))
        #expect(!Self.actsOnTerminal(json.stdout))
    }

    @Test func escapeSequencesFromTheRegistryNeverReachTheTerminal() async throws {
        let missing = try await regtui(["manifest", "\(hostile)/escapes/x:missing"], environment: environment)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains(#"no such manifest \x1b]0;pwned\x07\x1b[2J\x9b2J\u{202e}"#), "\(missing.stderr)")
        let digest = try await regtui(["inspect", "\(hostile)/escapes/x:baddigest"], environment: environment)
        #expect(digest.status == 2 && digest.stderr.contains(#"invalid digest "sha256:\x1b]0;pwned"#), "\(digest.stderr)")
        let text = try await regtui(["inspect", "\(hostile)/escapes/x:badtype"], environment: environment)
        #expect(text.status == 0 && text.text.contains(#"application/vnd.\x1b[31m\x9b31m\u{202e}evil+json"#), "\(text.text)")
        let json = try await regtui(["inspect", "\(hostile)/escapes/x:badtype", "--json"], environment: environment)
        #expect(JSONValue.parse(json.stdout)?["config"]?["mediaType"]?.string == "application/vnd.\u{1b}[31m\u{9b}31m\u{202e}evil+json")
        #expect(json.text.contains(#"application/vnd.\u001b[31m\u009b31m\u202eevil+json"#), "exact JSON, escaped as JSON")
        let tags = try await regtui(["tags", "\(hostile)/escapes/x"], environment: environment)
        #expect(tags.status == 0 && tags.text == "ok\n")
        #expect(tags.stderr.contains("also sent 3 tag names that are not valid names"))
        for result in [missing, digest, text, json, tags] {
            #expect(!Self.actsOnTerminal(result.stdout) && !Self.actsOnTerminal(Array(result.stderr.utf8)))
        }
    }

    @Test func endlessTagPagesStopWithAClearErrorInBoundedMemory() async throws {
        let run = try await measuredRegtui(["tags", "\(hostile)/pages/endless"], environment: environment)
        #expect(run.result.status == 2)
        #expect(run.result.stderr.contains("the registry is still sending pages after"), "\(run.result.stderr)")
        #expect(run.peakKiB < 200 << 10, "peak \(run.peakKiB) KiB")
    }

    @Test func aPageOf60MiBOfEmptyStringsCostsAboutThePage() async throws {
        let run = try await measuredRegtui(["tags", "\(hostile)/pages/empty"], environment: environment)
        #expect(run.result.status == 0, "\(run.result.stderr)")
        #expect(run.result.stderr.contains("also sent 20971521 tag names that are not valid names"))
        #expect(run.peakKiB < 256 << 10, "peak \(run.peakKiB) KiB for a 60 MiB page")
    }

    @Test func noPasswordGoesToAPlainHTTPRealmOfAnHTTPSRegistry() async throws {
        let tls = rig.hostile["tls"]!
        let result = try await regtui(["tags", "\(tls)/scopes/mine", "--ca-file", rig.caFile], environment: environment)
        #expect(result.status == 2)
        #expect(result.stderr.contains("refusing to send the credentials for \(tls) to its token server http://"), "\(result.stderr)")
        #expect(!(try await rig.log(of: hostile)).contains { $0["path"]?.string == "/token-for-tls" })
    }

    @Test func tokensAskOnlyForTheScopesTheOperationNeeds() async throws {
        let bearer = rig.hostile["bearer"]!
        let result = try await regtui(["tags", "\(bearer)/scopes/mine"], environment: environment)
        #expect(result.status == 0 && result.text == "1\n", "\(result.stderr)")
        let asked = try await rig.log(of: hostile).filter { $0["path"]?.string == "/token" }.flatMap { $0["scope"]?.array ?? [] }
        #expect(!asked.isEmpty && asked.allSatisfy { $0.string == "repository:scopes/mine:pull" }, "\(asked)")
    }

    @Test func credentialHelpersAndConfigFilesAreBounded() async throws {
        let directory = NSTemporaryDirectory() + "regtui-bounded-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory + "/docker", withIntermediateDirectories: true)
        try "#!/bin/sh\nhead -c 1500000000 /dev/zero\n".write(toFile: directory + "/docker-credential-flood", atomically: true, encoding: .utf8)
        chmod(directory + "/docker-credential-flood", 0o755)
        try #"{"credHelpers":{"\#(hostile)":"flood"}}"#.write(toFile: directory + "/docker/config.json", atomically: true, encoding: .utf8)
        let flooded = try await measuredRegtui(["tags", "\(hostile)/escapes/x"],
                                               environment: ["DOCKER_CONFIG": directory + "/docker", "PATH": "\(directory):/usr/bin:/bin"])
        #expect(flooded.result.status == 2 && flooded.result.stderr.contains("printed more than 1048576 bytes"), "\(flooded.result.stderr)")
        #expect(flooded.peakKiB < 100 << 10)
        try ("{" + String(repeating: " ", count: 12 << 20) + "}").write(toFile: directory + "/docker/config.json", atomically: true, encoding: .utf8)
        let big = try await regtui(["tags", "\(hostile)/escapes/x"], environment: ["DOCKER_CONFIG": directory + "/docker"])
        #expect(big.status == 2 && big.stderr.contains("at most 4194304 bytes"), "\(big.stderr)")
    }

    @Test func aManifestWithARepeatedKeyIsRefusedButPrintedRaw() async throws {
        let decoy = "\(hostile)/dupkeys/decoy:1"
        for arguments in [["inspect", decoy], ["diff", decoy, rig.ref("single")], ["copy", decoy, "\(rig.dest)/decoy:1"]] {
            let result = try await regtui(arguments, environment: environment)
            #expect(result.status == 2, "\(arguments[0])")
            #expect(result.stderr.contains(#"has the key "layers" twice (again at byte 394"#), "\(arguments[0]): \(result.stderr)")
        }
        let raw = try await regtui(["manifest", decoy], environment: environment)
        let digest = try await regtui(["digest", decoy], environment: environment)
        #expect(raw.status == 0 && Digest.of(raw.stdout).description + "\n" == digest.text)
    }

    @Test func aReferrerThatFailsVerificationLeavesTheTagWhereItWas() async throws {
        let faulty = rig.registries["faulty-source"]!
        let artifact = try await regtui(["inspect", rig.ref("artifact"), "--json"], environment: environment)
        let payload = try #require(JSONValue.parse(artifact.stdout)?["layers"]?[0]?["digest"]?.string)
        let destination = "\(rig.dest)/referrers-\(UUID().uuidString.prefix(8).lowercased()):1.0"
        #expect(try await regtui(["copy", rig.ref("multiarch"), destination], environment: environment).status == 0)
        let rules = #"[{"method":"GET","path":"/blobs/\#(payload)","action":"corrupt","times":-1}]"#
        let result = try await FaultProxies.shared.with(faulty, rules: rules) {
            try await regtui(["copy", "--referrers", "\(faulty)/demo/single:1.0", destination], environment: environment)
        }
        #expect(result.status == 2 && result.stderr.contains("digest mismatch for blob \(payload)"), "\(result.stderr)")
        let after = try await regtui(["digest", destination], environment: environment)
        #expect(after.text == rig.digest("multiarch") + "\n", "the tag did not move")
    }
}
