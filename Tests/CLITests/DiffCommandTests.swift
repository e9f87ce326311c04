import Foundation
import OCI
import TestSupport
import Testing

/// `regtui diff` against the rig's verdict fixtures: one image written each of the ways.
@Suite struct DiffCommandTests {
    let rig: Rig

    init() async throws { rig = try await Rig.shared() }

    func ref(_ tag: String) -> String { "\(rig.source)/verdicts/image:\(tag)" }

    @Test(arguments: [
        ("identical", "identical", 0), ("reserialized", "reserialized", 1), ("converted", "converted", 1),
        ("recompressed", "recompressed", 1), ("different", "different", 1),
    ])
    func verdictForEachWayOfWritingTheImage(tag: String, verdict: String, status: Int32) async throws {
        let result = try await regtui(["diff", ref("base"), ref(tag), "--json"])
        #expect(result.status == status, "\(result.stderr)")
        let report = try #require(JSONValue.parse(result.stdout))
        #expect(report["verdict"]?.string == verdict)
        #expect(report["a"]?["digest"]?.string == rig.fixtures["verdicts"]?["base"]?.string)
        #expect(report["b"]?["digest"]?.string == rig.fixtures["verdicts"]?[tag]?.string)
        #expect(report["evidence"]?.array?.isEmpty == false)
    }

    @Test func indexAgainstThePushedAgainImageIsPlatformExtracted() async throws {
        let result = try await regtui(["diff", ref("index"), ref("recompressed"), "--json"])
        let report = try #require(JSONValue.parse(result.stdout))
        #expect(report["verdict"]?.string == "platform-extracted")
        #expect(report["pairs"]?[0]?["platform"]?.string == "linux/amd64")
        #expect(report["pairs"]?[0]?["verdict"]?.string == "recompressed")
        #expect(report["a"]?["mediaType"]?.string == "application/vnd.oci.image.index.v1+json")
        let platform = try await regtui(["diff", ref("index"), ref("base"), "--platform", "linux/amd64", "--json"])
        #expect(JSONValue.parse(platform.stdout)?["verdict"]?.string == "identical")
    }

    @Test func humanViewShowsBothDigestsAndBothJSONsAligned() async throws {
        let result = try await regtui(["diff", ref("base"), ref("converted"), "--width", "200"])
        #expect(result.status == 1)
        let text = result.text
        #expect(text.hasPrefix("verdict: converted"))
        #expect(text.contains(rig.fixtures["verdicts"]?["base"]?.string ?? "?"))
        #expect(text.contains(rig.fixtures["verdicts"]?["converted"]?.string ?? "?"))
        #expect(!text.contains("\u{1b}["), "no colour when not on a terminal")
        let rows = text.split(separator: "\n").filter { $0.contains(" │ ") || $0.contains(" ≠ ") }
        #expect(rows.contains { $0.contains("\"schemaVersion\": 2,") && $0.split(separator: "│").count == 2 })
        #expect(rows.contains { $0.contains("application/vnd.oci.image.manifest.v1+json") && $0.contains("application/vnd.docker.distribution.manifest.v2+json") })
        #expect(rows.allSatisfy { $0.count <= 200 })
    }

    /// Manifest text that could act on a terminal (C1 controls, DEL, bidirectional overrides) is
    /// shown inert in the side-by-side view and the parts table, also in a line long enough to be
    /// cut and a media type long enough to widen the table past its usual line.
    @Test func hostileTextIsShownInertInTheHumanView() async throws {
        let folder = NSTemporaryDirectory() + "regtui-diff-hostile-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let hostile = "\u{9b}31m\u{202e}\u{7f}"
        let longType = "application/x-" + String(repeating: hostile, count: 300)
        func manifest(_ layerDigit: Character) -> String {
            #"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","#
                + #""config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:\#(String(repeating: "c", count: 64))","size":2},"#
                + #""layers":[{"mediaType":"\#(longType)","digest":"sha256:\#(String(repeating: layerDigit, count: 64))","size":7}],"#
                + #""annotations":{"note":"\#(String(repeating: hostile, count: 100))"}}"#
        }
        try manifest("a").write(toFile: folder + "/a.json", atomically: true, encoding: .utf8)
        try manifest("b").write(toFile: folder + "/b.json", atomically: true, encoding: .utf8)
        let result = try await regtui(["diff", "file:\(folder)/a.json", "file:\(folder)/b.json", "--width", "120"])
        #expect(result.status == 1, "\(result.stderr)")
        let text = result.text
        for unsafe in ["\u{9b}", "\u{202e}", "\u{7f}", "\u{1b}"] { #expect(!text.contains(unsafe)) }
        #expect(text.contains(#"\x9b31m\u{202e}\x7f"#), "the controls are written as escapes")
        let table = text.split(separator: "\n").filter { $0.hasPrefix("layer 1") || $0.hasPrefix("      ") && $0.contains("B sha256:b") }
        #expect(table.count == 2 && table.allSatisfy { $0.contains(String(repeating: #"\x9b31m\u{202e}\x7f"#, count: 300)) },
                "both rows of the layer name its whole media type, inert")
        let note = text.split(separator: "\n").filter { $0.contains("\"note\"") }
        #expect(note.count == 1 && note[0].contains("…") && note[0].contains(" │ "), "the long line is cut to its column on both sides")
    }

    /// A view of thousands of rows is rendered in chunks on two threads: every row is written
    /// once, in order, on both sides, after the parts table.
    @Test(.timeLimit(.minutes(1))) func aLongViewIsWrittenWholeAndInOrder() async throws {
        let folder = NSTemporaryDirectory() + "regtui-diff-long-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        func manifest(_ salt: String) -> String {
            let layers = (0..<1500).map { index in
                #"{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:\#(String(repeating: salt, count: 58))\#(String(format: "%06d", index))","size":\#(index)}"#
            }
            return #"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:\#(String(repeating: "c", count: 64))","size":2},"layers":[\#(layers.joined(separator: ","))]}"#
        }
        try manifest("a").write(toFile: folder + "/a.json", atomically: true, encoding: .utf8)
        try manifest("b").write(toFile: folder + "/b.json", atomically: true, encoding: .utf8)
        let result = try await regtui(["diff", "file:\(folder)/a.json", "file:\(folder)/b.json", "--width", "160"])
        #expect(result.status == 1, "\(result.stderr)")
        let lines = result.text.split(separator: "\n", omittingEmptySubsequences: false)
        let firstRow = try #require(lines.firstIndex { $0.trimmingCharacters(in: .whitespaces).hasPrefix("1 {") })
        #expect(lines[..<firstRow].contains { $0.hasPrefix("layer 1500") }, "the parts table comes first, whole")
        let rows = lines[firstRow...].filter { !$0.isEmpty }
        let lineCount = 1500 * 5 + 11  // each layer's five lines, and the manifest's eleven others
        #expect(rows.count == lineCount)
        /// The line number starting the row's left or right cell.
        func number(_ row: Substring, right: Bool) -> Int? {
            let cell = right ? row.components(separatedBy: row.contains(" ≠ ") ? " ≠ " : " │ ").last ?? "" : String(row)
            return Int(cell.drop { $0 == " " }.prefix { $0.isNumber })
        }
        for right in [false, true] {
            let outOfPlace = rows.indices.first { number(rows[$0], right: right) != $0 - rows.startIndex + 1 }
            #expect(outOfPlace == nil, "\(right ? "B" : "A")'s line numbers run 1, 2, 3…; not at \(outOfPlace.map { String(rows[$0].prefix(40)) } ?? "")")
        }
    }

    /// A manifest file is read only up to the size registries accept: a larger one is refused
    /// before it is read, with its size and the limit.
    @Test func aManifestFileLargerThanRegistriesAcceptIsRefused() async throws {
        let path = NSTemporaryDirectory() + "regtui-diff-large-\(UUID().uuidString).json"
        FileManager.default.createFile(atPath: path, contents: Data(count: Manifest.maxSize + 1))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try await regtui(["diff", "file:\(path)", "file:\(path)"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("\(path) is \(Manifest.maxSize + 1) bytes, more than the \(Manifest.maxSize) regtui reads for it"), "\(result.stderr)")
    }

    /// A file is read no further than the size it had when opened: one that turns out longer
    /// (here a /proc file, which says it is empty and is not) is refused, not read to its end.
    @Test func aFileLongerThanItsSizeIsRefused() async throws {
        let result = try await regtui(["diff", "file:/proc/self/status", "file:/proc/self/status"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("/proc/self/status grew while regtui read it"), "\(result.stderr)")
    }

    @Test func bytesViewMakesWhitespaceVisible() async throws {
        let result = try await regtui(["diff", ref("base"), ref("reserialized"), "--bytes", "--width", "120"])
        #expect(result.text.contains("·"))
        #expect(result.text.contains("⏎"))
    }
}
