import Foundation
import OCI
import TestSupport
import Testing

/// `regtui files`, `cat` and `diff --files` on the rig's `files/image` (GNU, PAX and USTAR
/// layers; gzip, zstd and plain; whiteouts, an opaque directory, links, long and hostile names)
/// and `files/bomb` (256 MiB of zeros in a small gzip), checked against podman's own view.
@Suite struct FilesCommandTests {
    let rig: Rig

    init() async throws { rig = try await Rig.shared() }

    let environment = ["HOME": NSTemporaryDirectory() + "regtui-cli-files", "DOCKER_CONFIG": NSTemporaryDirectory() + "regtui-cli-files/d"]
    var image: String { "\(rig.source)/files/image:1.0" }
    var changed: String { "\(rig.source)/files/image:changed" }

    func run(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws -> ProcessResult {
        let result = try await regtui(arguments, environment: environment)
        #expect(result.status == 0, "regtui \(arguments.joined(separator: " ")): \(result.stderr)", sourceLocation: sourceLocation)
        return result
    }

    /// `files --json`, keyed by path.
    func listing(_ arguments: [String]) async throws -> [String: TestSupport.JSONValue] {
        let entries = try #require(JSONValue.parse(try await run(["files"] + arguments + ["--json"]).stdout)?.array)
        return Dictionary(entries.map { ($0["path"]?.string ?? "", $0) }, uniquingKeysWith: { $1 })
    }

    @Test func theMergedFilesystemAppliesWhiteoutsOpaqueDirectoriesAndLinks() async throws {
        let files = try await listing([image])
        let longName = try #require(rig.fixtures["files"]?["longName"]?.string)
        #expect(Set(files.keys) == ["/bin", "/bin/busybox", "/bin/sh", "/dir", "/dir/new", "/esc\u{1b}]0;owned\u{07}name", "/escape",
                                    "/etc", "/etc/a", "/etc/c", "/etc/hl", "/etc/motd", "/lib", "/lib/link", "/long", (longName as NSString).deletingLastPathComponent,
                                    longName, "/usr", "/usr/ü", "/usr/ü/ünïcode.txt"])
        #expect(files["/etc/b"] == nil, "a whiteout in layer 2 deletes it")
        #expect(files["/dir/x"] == nil && files["/dir/sub"] == nil, "an opaque directory hides what lower layers put in it")
        #expect(files["/etc/a"]?["layer"]?.number == 2 && files["/etc/a"]?["size"]?.number == 8)
        #expect(files["/etc/c"]?["layer"]?.number == 3 && files["/etc/c"]?["mode"]?.string == "0600")
        #expect(files["/bin/sh"]?["type"]?.string == "symlink" && files["/bin/sh"]?["linkTarget"]?.string == "busybox")
        #expect(files["/etc/hl"]?["type"]?.string == "hardlink" && files["/etc/hl"]?["linkTarget"]?.string == "/etc/a")
        #expect(files["/usr/ü/ünïcode.txt"]?["type"]?.string == "file", "PAX names in a zstd layer")
    }

    @Test func oneLayerListsItsOwnEntriesWithWhiteoutsAsSuch() async throws {
        let files = try #require(JSONValue.parse(try await run(["files", image, "--layer", "2", "--json"]).stdout)?.array)
        let kinds = files.map { "\($0["type"]?.string ?? "") \($0["path"]?.string ?? "")" }
        #expect(kinds.contains("whiteout /etc/b") && kinds.contains("opaque /dir") && kinds.contains("file /dir/new"), "\(kinds)")
        let human = try await run(["files", image, "--layer", "2"]).text
        #expect(human.contains("/etc/b  (whiteout: deleted)"), "\(human)")
        let missing = try await regtui(["files", image, "--layer", "9"], environment: environment)
        #expect(missing.status == 1 && missing.stderr.contains("layer 9 of") && missing.stderr.contains("it has 3"), "\(missing.stderr)")
    }

    @Test func catReadsAFileAsTheImageHasIt() async throws {
        #expect(try await run(["cat", image, "/etc/a"]).text == "alpha 2\n", "the upper layer's version")
        #expect(try await run(["cat", image, "/lib/link"]).text == "alpha 2\n", "a relative symlink followed inside the image")
        #expect(try await run(["cat", image, "/etc/hl"]).text == "alpha\n", "a hardlink keeps its own layer's bytes")
        #expect(try await run(["cat", image, "etc/../bin/sh"]).text == "#!busybox\n")
        for absent in ["/etc/b", "/dir/x", "/nowhere"] {
            let result = try await regtui(["cat", image, absent], environment: environment)
            #expect(result.status == 1 && result.stdout.isEmpty && result.stderr.contains("\(absent) in") && result.stderr.contains("not found"),
                    "\(absent): \(result.stderr)")
        }
        let directory = try await regtui(["cat", image, "/etc"], environment: environment)
        #expect(directory.status == 2 && directory.stderr.contains("it is a dir, not a file"), "\(directory.stderr)")
    }

    @Test func namesWithEscapeSequencesReachTheTerminalInert() async throws {
        let human = try await run(["files", image])
        #expect(!human.stdout.contains(0x1b) && !human.stdout.contains(0x07))
        #expect(human.text.contains("/esc\\x1b]0;owned\\x07name"), "\(human.text)")
        #expect(try await listing([image])["/esc\u{1b}]0;owned\u{07}name"] != nil, "--json keeps the exact name")
    }

    @Test func catGivesExactBytesToAPipeAndInertTextToATerminal() async throws {
        let piped = try await run(["cat", image, "/etc/motd"])
        #expect(piped.stdout == Data("\u{1b}]0;owned\u{07}hello\n".utf8), "a pipe gets the exact bytes")
        let binary = Rig.repositoryRoot + "/.build/debug/regtui"
        let terminal = try await runProcess(["script", "-qec", "'\(binary)' cat \(image) /etc/motd", "/dev/null"], environment: environment)
        #expect(terminal.status == 0 && !terminal.stdout.contains(0x1b) && !terminal.stdout.contains(0x07), "\(terminal.text)")
        #expect(terminal.text.contains("\\x1b]0;owned\\x07hello"), "\(terminal.text)")
    }

    @Test func verifyProvesARecompressedImageAndCatchesALayerThatLies() async throws {
        let base = "\(rig.source)/verdicts/image:base"
        let proven = try await regtui(["diff", base, "\(rig.source)/verdicts/image:recompressed", "--verify"], environment: environment)
        #expect(proven.text.contains("verify: same content, proven: 2 differing layer pairs decompressed to the same diff_ids"), "\(proven.text)")
        let lying = try await regtui(["diff", base, "\(rig.source)/verdicts/image:lying", "--verify", "--json"], environment: environment)
        let report = try #require(JSONValue.parse(lying.stdout))
        #expect(report["verdict"]?.string == "recompressed", "the manifests alone look like a recompression")
        let checks = try #require(report["verify"]?.array)
        #expect(checks.count == 1 && checks[0]["layer"]?.number == 2 && checks[0]["proven"] == .bool(false))
        #expect(checks[0]["a"]?["matches"] == .bool(true) && checks[0]["b"]?["matches"] == .bool(false))
        let human = try await regtui(["diff", base, "\(rig.source)/verdicts/image:lying", "--verify"], environment: environment)
        #expect(human.text.contains("verify: the content differs") && human.text.contains("layer 2 of B does not match its diff_id"), "\(human.text)")
    }

    @Test func aCorruptedLayerIsNeverListed() async throws {
        let faulty = rig.registries["faulty-source"]!
        let manifest = try #require(JSONValue.parse(try await run(["manifest", image]).stdout))
        let layer = try #require(manifest["layers"]?[1]?["digest"]?.string)
        let rules = #"[{"method":"GET","path":"/blobs/\#(layer)","action":"corrupt","times":-1}]"#
        try await FaultProxies.shared.with(faulty, rules: rules) {
            let result = try await regtui(["files", "\(faulty)/files/image:1.0"], environment: environment)
            #expect(result.status == 2 && result.stdout.isEmpty, "\(result.stderr)")
            #expect(result.stderr.contains(layer), "\(result.stderr)")
        }
    }

    @Test func diffFilesNamesEveryPathThatDiffers() async throws {
        let report = try #require(JSONValue.parse(try await regtui(["diff", image, changed, "--files", "--json"], environment: environment).stdout))
        let changes = (report["files"]?.array ?? []).map { "\($0["change"]?.string ?? "") \($0["path"]?.string ?? "")" }
        #expect(changes == ["removed /bin/sh", "modified /etc/a", "metadata /etc/c", "modified /lib/link", "added /new", "added /new/file"])
        let etcC = try #require(report["files"]?.array?.first { $0["path"]?.string == "/etc/c" })
        #expect(etcC["a"]?["mode"]?.string == "0600" && etcC["b"]?["mode"]?.string == "0644")
        #expect(report["files"]?.array?.first?["b"] == .null, "a removed path has no B side")
        let human = try await regtui(["diff", image, changed, "--files"], environment: environment)
        #expect(human.status == 1)
        #expect(human.text.contains("files: 2 added, 1 removed, 2 modified, 1 with only mode or owner changed"), "\(human.text)")
        #expect(human.text.contains("m /etc/c  (mode 0600 → 0644)") && human.text.contains("~ /lib/link  (link ../etc/a → /etc/c)"), "\(human.text)")
        let plain = try await regtui(["diff", image, changed], environment: environment)
        #expect(plain.text.contains("verdict: different") && plain.text.contains("run with --files"), "\(plain.text)")
        let same = try await regtui(["diff", image, image, "--files", "--json"], environment: environment)
        #expect(JSONValue.parse(same.stdout)?["files"]?.array?.isEmpty == true)
    }

    @Test func aGzipBombStreamsInBoundedMemory() async throws {
        let bomb = "\(rig.source)/files/bomb:1.0"
        let listed = try await measuredRegtui(["files", bomb], environment: environment)
        #expect(listed.result.status == 0 && listed.result.text.contains("256.0 MiB  L1  /zeros"), "\(listed.result.text)")
        #expect(listed.peakKiB < 64 << 10, "peak \(listed.peakKiB) KiB")
        let counted = try await runProcess(["sh", "-c", "'\(Rig.repositoryRoot)/.build/debug/regtui' cat \(bomb) /zeros | wc -c"])
        #expect(counted.text.trimmingCharacters(in: .whitespacesAndNewlines) == String(256 << 20))
    }

    /// A layer that names `../../etc/passwd`, links out of the image and a name that is not UTF-8:
    /// regtui writes nothing, so they are only names, resolved inside the image.
    @Test func hostileNamesAreOnlyNamesInsideTheImage() async throws {
        let hostile = "\(rig.source)/files/hostile:1.0"
        let folder = NSTemporaryDirectory() + "regtui-hostile-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let listed = try await runProcess(["sh", "-c", "cd '\(folder)' && '\(Rig.repositoryRoot)/.build/debug/regtui' files \(hostile) --json"],
                                          environment: environment)
        let paths = (JSONValue.parse(listed.stdout)?.array ?? []).compactMap { $0["path"]?.string }
        #expect(paths == ["/away", "/bad\u{FFFD}\u{FFFD}name", "/etc", "/etc/passwd", "/evil"], "\(paths) \(listed.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty, "nothing written where regtui ran")
        #expect(try await run(["cat", hostile, "/etc/passwd"]).text == "not the host's\n", "the image's file, not the host's")
        #expect(try await run(["cat", hostile, "/evil"]).text == "not the host's\n", "../ in a link stops at the image's root")
        let away = try await regtui(["cat", hostile, "/away"], environment: environment)
        #expect(away.status == 1 && away.stderr.contains("/away in") && away.stderr.contains("not found"), "\(away.stderr)")
    }

    @Test func anEntryDeclaringATerabyteThatEndsEarlyIsAnErrorAtOnce() async throws {
        let result = try await measuredRegtui(["files", "\(rig.source)/files/truncated:1.0"], environment: environment)
        #expect(result.result.status == 2 && result.result.stdout.isEmpty, "\(result.result.stderr)")
        #expect(result.result.stderr.contains("layer 1 (sha256:") && result.result.stderr.contains("needed 1099511627776 bytes"),
                "\(result.result.stderr)")
        #expect(result.peakKiB < 64 << 10, "peak \(result.peakKiB) KiB")
    }

    /// podman applies the same layers its own way; every path, type, mode, size and file's bytes agree.
    @Test func podmanSeesTheSameFilesystem() async throws {
        let folder = NSTemporaryDirectory() + "regtui-files-\(UUID().uuidString.prefix(8).lowercased())"
        let storage = "/tmp/regtui-pf-\(UUID().uuidString.prefix(8))"
        defer {
            try? FileManager.default.removeItem(atPath: folder)
            try? FileManager.default.removeItem(atPath: storage)
        }
        _ = try await run(["copy", image, "oci:\(folder)/layout:1.0"])
        func podman(_ arguments: [String]) async throws -> String {
            let result = try await runProcess(["podman", "--root", "\(storage)/root", "--runroot", "\(storage)/run", "--storage-driver", "vfs",
                                               "--cgroup-manager", "cgroupfs", "--events-backend", "file"] + arguments)
            #expect(result.status == 0, "podman \(arguments): \(result.stderr)")
            return result.text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        _ = try await podman(["pull", "-q", "oci:\(folder)/layout:1.0"])
        let container = try await podman(["create", "oci:\(folder)/layout:1.0", "/bin/sh"])
        _ = try await podman(["export", "-o", "\(folder)/export.tar", container])
        let script = """
        import hashlib, json, sys, tarfile
        out = {}
        for m in tarfile.open(sys.argv[1]):
            kind = "dir" if m.isdir() else "symlink" if m.issym() else "file" if m.isfile() or m.islnk() else "other"
            data = tarfile.open(sys.argv[1]).extractfile(m).read() if m.isfile() else b""
            out["/" + m.name.rstrip("/")] = [kind, "%04o" % (m.mode & 0o7777), m.size if m.isfile() else 0, m.linkname if m.issym() else None,
                                             hashlib.sha256(data).hexdigest() if m.isfile() else None]
        print(json.dumps(out))
        """
        let exported = try #require(JSONValue.parse(try await runProcess(["python3", "-c", script, "\(folder)/export.tar"]).stdout)?.object)
        let ours = try await listing(["oci:\(folder)/layout:1.0"])
        #expect(Set(exported.keys) == Set(ours.keys))
        for (path, entry) in ours {
            guard let theirs = exported[path]?.array else { continue }
            let type = entry["type"]?.string == "hardlink" ? "file" : entry["type"]?.string
            #expect(theirs[0].string == type && theirs[1].string == entry["mode"]?.string, "\(path): \(theirs) vs \(entry)")
            if type == "file" {
                #expect(theirs[2].number == entry["size"]?.number, "\(path)")
                let bytes = try await run(["cat", "oci:\(folder)/layout:1.0", path]).stdout
                #expect(Digest.of(bytes).hex == theirs[4].string, "\(path): the bytes podman has")
            }
            if type == "symlink" { #expect(theirs[3].string == entry["linkTarget"]?.string, "\(path)") }
        }
    }
}
