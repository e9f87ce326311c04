import Foundation
import OCI
import TestSupport
import Testing

/// Images carried through OCI layouts and archives — the air-gapped path — as a script runs
/// regtui, with skopeo, umoci and podman reading what regtui writes and writing what it reads.
@Suite struct StoreCopyTests {
    let rig: Rig

    init() async throws { rig = try await Rig.shared() }

    let environment = ["HOME": NSTemporaryDirectory() + "regtui-cli-store", "DOCKER_CONFIG": NSTemporaryDirectory() + "regtui-cli-store/d"]

    func unique(_ name: String) -> String { "\(name)-\(UUID().uuidString.prefix(8).lowercased())" }

    /// A path in a fresh temporary folder.
    func scratch(_ name: String) throws -> String {
        let folder = NSTemporaryDirectory() + "regtui-store-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder + "/" + name
    }

    /// Runs regtui and requires it to succeed.
    @discardableResult
    func run(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws -> ProcessResult {
        let result = try await regtui(arguments, environment: environment)
        #expect(result.status == 0, "regtui \(arguments.joined(separator: " ")): \(result.stderr)", sourceLocation: sourceLocation)
        return result
    }

    /// `regtui copy … --json`, decoded.
    func copy(_ source: String, _ destination: String, _ options: [String] = []) async throws -> TestSupport.JSONValue {
        try #require(JSONValue.parse(try await run(["copy", source, destination, "--json"] + options).stdout))
    }

    func digest(_ reference: String) async throws -> String {
        try await run(["digest", reference]).text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// What a peer tool printed, requiring it to succeed.
    func peer(_ arguments: [String]) async throws -> ProcessResult {
        let result = try await runProcess(arguments)
        #expect(result.status == 0, "\(arguments.joined(separator: " ")): \(result.stderr)")
        return result
    }

    // MARK: Round trips

    /// Registry → store → another registry keeps every digest, for an OCI index and a Docker list.
    @Test(arguments: ["multiarch", "dockerlist"], ["oci", "oci-archive"])
    func throughAStoreAndOnEveryDigestIsKept(fixture: String, kind: String) async throws {
        let store = "\(kind):" + (try scratch(kind == "oci" ? "layout" : "image.tar"))
        let into = try await copy(rig.ref(fixture), "\(store):1.0")
        #expect(into["digestPreserved"] == .bool(true))
        #expect(try await digest("\(store):1.0") == rig.digest(fixture))
        let destination = "\(rig.dest)/\(unique("airgap/\(fixture)")):1.0"
        let out = try await copy("\(store):1.0", destination)
        #expect(out["digest"]?.string == rig.digest(fixture))
        #expect(Digest.of(try await skopeoRaw(destination)).description == rig.digest(fixture))
        // Every child came along: the destination serves each platform's manifest and config.
        let children = rig.fixtures[fixture]?["children"]?.array ?? []
        for child in children {
            let digest = try #require(child["digest"]?.string)
            let config = try await run(["config", "\(destination.dropLast(4))@\(digest)"])
            #expect(Digest.of(config.stdout).description == child["config"]?.string)
        }
    }

    @Test func recopyingIntoALayoutMovesNoBytesAndSaysNothingToDo() async throws {
        let layout = "oci:" + (try scratch("layout"))
        let first = try await copy(rig.ref("multiarch"), "\(layout):1.0")
        #expect(first["blobsUploaded"]?.number == 7)
        let again = try await copy(rig.ref("multiarch"), "\(layout):1.0")
        #expect(again["bytesUploaded"]?.number == 0 && again["blobsUploaded"]?.number == 0)
        #expect(again["nothingToDo"] == .bool(true))
        let plain = try await run(["copy", rig.ref("multiarch"), "\(layout):1.0"])
        #expect(plain.text.contains("nothing to do: the destination already points at \(rig.digest("multiarch"))"))
        // The same image under another name: its manifests and blobs are there, only the name is written.
        let named = try await copy(rig.ref("multiarch"), "\(layout):stable")
        #expect(named["bytesUploaded"]?.number == 0 && named["alreadyPresent"] == .bool(true))
        #expect(try await run(["tags", layout]).text.split(separator: "\n") == ["1.0", "stable"])
    }

    @Test func diffOfARegistryImageAndItsLayoutCopyIsIdentical() async throws {
        let layout = "oci:" + (try scratch("layout"))
        _ = try await copy(rig.ref("dockerlist"), "\(layout):1.0")
        let diff = try await regtui(["diff", rig.ref("dockerlist"), "\(layout):1.0"], environment: environment)
        #expect(diff.status == 0, "\(diff.stderr)")
        #expect(diff.text.contains("identical"))
    }

    @Test func everyReadCommandTakesALayout() async throws {
        let layout = "oci:" + (try scratch("layout"))
        _ = try await copy(rig.ref("single"), "\(layout):1.0", ["--referrers"])
        #expect(try await run(["tags", layout]).text == "1.0\n")
        #expect(try await run(["manifest", "\(layout):1.0"]).stdout == (try await skopeoRaw(rig.ref("single"))))
        #expect(Digest.of(try await run(["config", "\(layout):1.0"]).stdout).description == rig.fixtures["single"]?["config"]?.string)
        let inspect = try #require(JSONValue.parse(try await run(["inspect", "\(layout):1.0", "--json"]).stdout))
        #expect(inspect["digest"]?.string == rig.digest("single"))
        let referrers = try await run(["referrers", "\(layout):1.0"])
        #expect(referrers.text.contains(rig.digest("artifact")), "the layout keeps the referrer: \(referrers.text)")
        // And out again, referrer included.
        let destination = "\(rig.dest)/\(unique("airgap/refs")):1.0"
        _ = try await copy("\(layout):1.0", destination, ["--referrers"])
        #expect(try await run(["referrers", destination]).text.contains(rig.digest("artifact")))
    }

    @Test func allTagsIntoALayoutAndBack() async throws {
        let layout = "oci:" + (try scratch("layout"))
        _ = try await run(["copy", "--all-tags", "\(rig.source)/tags/many", layout])
        let expected = Set(rig.fixtures["tags"]?["tags"]?.array?.compactMap(\.string) ?? [])
        #expect(Set(try await run(["tags", layout]).text.split(separator: "\n").map(String.init)) == expected)
        let destination = "\(rig.dest)/\(unique("airgap/alltags"))"
        _ = try await run(["copy", "--all-tags", layout, destination])
        #expect(Set(try await run(["tags", destination]).text.split(separator: "\n").map(String.init)) == expected)
    }

    // MARK: The copy's words

    @Test func aMovedTagIsSaidAndNoClobberKeepsIt() async throws {
        let layout = "oci:" + (try scratch("layout"))
        _ = try await copy(rig.ref("single"), "\(layout):app")
        let kept = try await regtui(["copy", rig.ref("multiarch"), "\(layout):app", "--no-clobber"], environment: environment)
        #expect(kept.status == 2)
        #expect(kept.stderr.contains("\(layout):app was not written: it points at \(rig.digest("single"))"), "\(kept.stderr)")
        #expect(try await digest("\(layout):app") == rig.digest("single"))
        let moved = try await run(["copy", rig.ref("multiarch"), "\(layout):app"])
        #expect(moved.text.contains("moved app from \(rig.digest("single")) to \(rig.digest("multiarch"))"), "\(moved.text)")
        #expect(try await digest("\(layout):app") == rig.digest("multiarch"))
    }

    @Test func platformCopiesSayWhatWasKept() async throws {
        let layout = "oci:" + (try scratch("layout"))
        let one = try await run(["copy", rig.ref("multiarch"), "\(layout):arm", "--platform", "linux/arm64"])
        let arm = try #require(rig.fixtures["multiarch"]?["children"]?[1]?["digest"]?.string)
        #expect(one.text.contains("copied the linux/arm64/v8 manifest \(arm), its digest kept"), "\(one.text)")
        #expect(try await digest("\(layout):arm") == arm)
        let all = try await copy(rig.ref("multiarch"), "\(layout):all", ["--platform", "linux/amd64", "--platform", "linux/arm64", "--platform", "linux/arm/v7"])
        #expect(all["digestPreserved"] == .bool(true) && all["digest"]?.string == rig.digest("multiarch"))
    }

    @Test func anEngineArchiveIsReadButNeverWritten() async throws {
        let archive = "docker-archive:" + (try scratch("engine.tar"))
        let refused = try await regtui(["copy", rig.ref("single"), archive], environment: environment)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("does not write into a container engine's archive"), "\(refused.stderr)")
    }

    // MARK: Failures leave nothing behind

    @Test func aFailedCopyLeavesTheArchiveAsItWas() async throws {
        let path = try scratch("image.tar")
        _ = try await copy(rig.ref("single"), "oci-archive:\(path):1.0")
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let faulty = rig.registries["faulty-source"]!
        let layer = try #require(JSONValue.parse(try await run(["inspect", rig.ref("large"), "--json"]).stdout)?["layers"]?[0]?["digest"]?.string)
        let rules = #"[{"method":"GET","path":"/blobs/\#(layer)","action":"corrupt","times":-1}]"#
        try await FaultProxies.shared.with(faulty, rules: rules) {
            let failed = try await regtui(["copy", "\(faulty)/demo/large:1.0", "oci-archive:\(path):2.0"], environment: environment)
            #expect(failed.status == 2 && failed.stderr.contains(layer), "\(failed.stderr)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before, "the archive is byte for byte the one before")
        let folder = (path as NSString).deletingLastPathComponent
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["image.tar"], "no temporary file is left")
    }

    @Test func anInterruptedLayoutCopyLeavesNoHalfBlobAndTheNextRunFinishesIt() async throws {
        let faulty = rig.registries["faulty-source"]!
        let manifest = try #require(JSONValue.parse(try await run(["inspect", rig.ref("large"), "--json"]).stdout))
        let layer = try #require(manifest["layers"]?[0]?["digest"]?.string)
        let layerSize = try #require(manifest["layers"]?[0]?["size"]?.number)
        let config = try #require(manifest["config"]?["digest"]?.string)
        let path = try scratch("layout")
        let rules = #"[{"method":"GET","path":"/blobs/\#(layer)","action":"stall","after":65536,"seconds":20,"times":1}]"#
        try await FaultProxies.shared.with(faulty, rules: rules) {
            let logged = try await rig.log(of: faulty).count
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Rig.repositoryRoot + "/.build/debug/regtui")
            process.arguments = ["copy", "\(faulty)/demo/large:1.0", "oci:\(path):1.0"]
            process.environment = environment
            process.standardError = FileHandle.nullDevice
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            try await rig.awaitStall(at: faulty, path: layer, after: logged)
            try await awaitCondition("the config in the layout") {
                FileManager.default.fileExists(atPath: "\(path)/blobs/sha256/\(config.dropFirst("sha256:".count))")
            }
            process.interrupt()
            process.waitUntilExit()
            #expect(process.terminationStatus == 130)
        }
        let hex = String(layer.dropFirst("sha256:".count))
        let blobs = try FileManager.default.contentsOfDirectory(atPath: path + "/blobs/sha256")
        #expect(!blobs.contains(hex), "the layer is not under its final name")
        #expect(!blobs.contains { $0.contains("partial") }, "no temporary file is left: \(blobs)")
        #expect(try await regtui(["digest", "oci:\(path):1.0"], environment: environment).status == 1, "no name was written")
        let second = try await copy(rig.ref("large"), "oci:\(path):1.0")
        #expect(second["bytesUploaded"]?.number == layerSize, "only the missing layer is written")
        #expect(second["blobsSkipped"]?.number == 1, "the config the first run finished is kept")
        #expect(try await digest("oci:\(path):1.0") == rig.digest("large"))
    }

    @Test func whatAKilledCopyLeftIsClearedByTheNext() async throws {
        let path = try scratch("layout")
        _ = try await copy(rig.ref("single"), "oci:\(path):1.0")
        // A process that has exited: its temporary files are abandoned.
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run()
        gone.waitUntilExit()
        let abandoned = "\(path)/blobs/sha256/\(String(repeating: "0", count: 64)).regtui-partial-\(gone.processIdentifier)-1"
        let ours = "\(path)/blobs/sha256/\(String(repeating: "1", count: 64)).regtui-partial-\(getpid())-1"
        for file in [abandoned, ours] { FileManager.default.createFile(atPath: file, contents: Data("half".utf8)) }
        _ = try await copy(rig.ref("multiarch"), "oci:\(path):2.0")
        #expect(!FileManager.default.fileExists(atPath: abandoned), "the dead copy's half blob is removed")
        #expect(FileManager.default.fileExists(atPath: ours), "a running process's file is left alone")
    }

    // MARK: Peers read what regtui writes, and write what it reads

    @Test(arguments: ["oci", "oci-archive"])
    func skopeoReadsWhatRegtuiWrites(kind: String) async throws {
        let store = "\(kind):" + (try scratch(kind == "oci" ? "layout" : "image.tar"))
        _ = try await copy(rig.ref("multiarch"), "\(store):1.0")
        let raw = try await peer(["skopeo", "inspect", "--raw", "\(store):1.0"])
        #expect(Digest.of(raw.stdout).description == rig.digest("multiarch"))
        let destination = "\(rig.dest)/\(unique("skopeo/from-\(kind)")):1.0"
        _ = try await peer(["skopeo", "copy", "--all", "--dest-tls-verify=false", "\(store):1.0", "docker://\(destination)"])
        #expect(Digest.of(try await skopeoRaw(destination)).description == rig.digest("multiarch"))
    }

    @Test(arguments: ["oci", "oci-archive"])
    func regtuiReadsWhatSkopeoWrites(kind: String) async throws {
        let store = "\(kind):" + (try scratch(kind == "oci" ? "layout" : "image.tar"))
        _ = try await peer(["skopeo", "copy", "--all", "--src-tls-verify=false", "docker://\(rig.ref("multiarch"))", "\(store):1.0"])
        #expect(try await digest("\(store):1.0") == rig.digest("multiarch"))
        let destination = "\(rig.dest)/\(unique("skopeo/into-\(kind)")):1.0"
        #expect(try await copy("\(store):1.0", destination)["digest"]?.string == rig.digest("multiarch"))
    }

    @Test func umociReadsWhatRegtuiWrites() async throws {
        let path = try scratch("layout")
        _ = try await copy(rig.ref("single"), "oci:\(path):1.0")
        _ = try await copy(rig.ref("multiarch"), "oci:\(path):multi")
        #expect(try await peer(["umoci", "ls", "--layout", path]).text.split(separator: "\n") == ["1.0", "multi"])
        let stat = try await peer(["umoci", "stat", "--image", "\(path):1.0", "--json"])
        #expect(JSONValue.parse(stat.stdout)?["history"] != nil, "umoci read the image's config")
    }

    /// podman, as root without a daemon, in storage of its own (podman wants its run root's path
    /// under 50 characters).
    func podman(_ arguments: [String], storage: String) async throws -> ProcessResult {
        try await peer(["podman", "--root", storage + "/root", "--runroot", storage + "/run", "--storage-driver", "vfs",
                        "--cgroup-manager", "cgroupfs", "--events-backend", "file"] + arguments)
    }

    @Test func podmanLoadsWhatRegtuiWritesAndRegtuiReadsWhatPodmanSaves() async throws {
        let storage = "/tmp/regtui-podman-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: storage) }
        let archive = try scratch("image.tar")
        _ = try await copy(rig.ref("single"), "oci-archive:\(archive):1.0")
        let loaded = try await podman(["pull", "-q", "oci-archive:\(archive):1.0"], storage: storage)
        #expect(loaded.text.trimmingCharacters(in: .whitespacesAndNewlines) == rig.fixtures["single"]?["config"]?.string?.dropFirst(7).description,
                "podman's image ID is the config digest")
        let image = loaded.text.trimmingCharacters(in: .whitespacesAndNewlines)
        for format in ["oci-archive", "docker-archive"] {
            let saved = try scratch("\(format).tar")
            _ = try await podman(["save", "-q", "--format", format, "-o", saved, image], storage: storage)
            let inspect = try #require(JSONValue.parse(try await run(["inspect", "\(format):\(saved)", "--json"]).stdout))
            #expect(inspect["config"]?["digest"]?.string == rig.fixtures["single"]?["config"]?.string, "\(format): same config")
            let diff = try await regtui(["diff", rig.ref("single"), "\(format):\(saved)"], environment: environment)
            #expect(diff.text.contains("verdict: recompressed") && diff.text.contains("the same config"), "\(format): \(diff.text)")
            if format == "docker-archive" {
                let copied = try await regtui(["copy", "\(format):\(saved)", "oci:\(try scratch("layout")):1.0"], environment: environment)
                #expect(copied.status == 2 && copied.stderr.contains("so no digest could be kept"), "\(copied.stderr)")
            }
        }
    }

    // MARK: Names

    @Test func engineNamesInALayoutAreReadAndNeedATagToGoToARegistry() async throws {
        let path = try scratch("layout")
        _ = try await copy(rig.ref("single"), "oci:\(path):localhost/single:latest")
        #expect(try await run(["tags", "oci:\(path)"]).text == "localhost/single:latest\n")
        let untagged = try await regtui(["copy", "oci:\(path):localhost/single:latest", "\(rig.dest)/\(unique("names/x"))"], environment: environment)
        #expect(untagged.status == 2 && untagged.stderr.contains("is no tag here: name one"), "\(untagged.stderr)")
        _ = try await copy(rig.ref("multiarch"), "oci:\(path):1.0")
        let ambiguous = try await regtui(["digest", "oci:\(path)"], environment: environment)
        #expect(ambiguous.status == 2 && ambiguous.stderr.contains("holds 2 images (tags localhost/single:latest, 1.0); name one with :TAG"),
                "\(ambiguous.stderr)")
        let bad = try await regtui(["digest", "oci:\(path):-bad"], environment: environment)
        #expect(bad.status == 2 && bad.stderr.contains("may contain only letters, digits"))
    }
}
