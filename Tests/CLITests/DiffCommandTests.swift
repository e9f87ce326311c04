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

    @Test func bytesViewMakesWhitespaceVisible() async throws {
        let result = try await regtui(["diff", ref("base"), ref("reserialized"), "--bytes", "--width", "120"])
        #expect(result.text.contains("·"))
        #expect(result.text.contains("⏎"))
    }
}
