import Foundation
import OCI
import TestSupport
import Testing

/// The real binary in tmux against the rig's registries, as a person would use it.
@Suite struct TerminalUIEndToEndTests {
    let rig: Rig

    init() async throws { rig = try await Rig.shared() }

    func open() async throws -> TmuxSession {
        let home = NSTemporaryDirectory() + "regtui-ui-\(UUID().uuidString)"
        let session = try await TmuxSession([Rig.repositoryRoot + "/.build/debug/regtui", rig.source, rig.dest],
                                            environment: ["HOME": home, "DOCKER_CONFIG": home + "/d", "TERM": "xterm-256color"])
        try await session.waitFor("demo/dockerlist")
        return session
    }

    /// Filters the repositories to `name` and opens it, then its first tag matching `tag`.
    func openRepository(_ session: TmuxSession, _ name: String, tag: String) async throws {
        try await session.send("Enter")
        try await session.send("/")
        try await session.send(name, literal: true)
        try await session.send("Enter")
        try await session.waitFor("Repositories (1) /")
        try await session.send("Enter")
        // The header shows "repository : tag" once the tags pane has the focus.
        try await session.waitFor("\(name) : ")
        try await session.send("/")
        try await session.send(tag, literal: true)
        try await session.send("Enter")
    }

    /// Whether the program ended cleanly within 5 s: no signal, and exit status 0 where tmux kept it.
    func endedCleanly(_ session: TmuxSession) async throws -> Bool {
        for _ in 0..<100 {
            if let ending = try await session.ending() { return ending.signal == nil && (ending.status ?? 0) == 0 }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    @Test func browseToATagAndSeeItsDigest() async throws {
        let session = try await open()
        try await openRepository(session, "demo/multiarch", tag: "1.0")
        try await session.send("Enter")
        // The header shows the digest (cut to the width), the tree its short form.
        let screen = try await session.waitFor(String(rig.digest("multiarch").prefix(60)))
        #expect(screen.contains("sha256:" + rig.digest("multiarch").dropFirst(7).prefix(12)))
        #expect(screen.contains("OCI index (3 platforms)"))
        #expect(screen.contains("linux/arm64/v8"))
        try await session.send("j", "Enter")
        try await session.waitFor("config")
        try await session.send("Enter")
        try await session.waitFor("\"mediaType\": \"application/vnd.oci.image.manifest.v1+json\"")
    }

    @Test func diffTwoTagsAndSeeTheVerdict() async throws {
        let session = try await open()
        try await openRepository(session, "verdicts/image", tag: "base")
        try await session.waitFor("verdicts/image : base")
        try await session.send("m")
        try await session.waitFor("marked verdicts/image:base")
        try await session.send("/")
        try await session.send("recompressed", literal: true)
        try await session.send("Enter")
        try await session.waitFor("verdicts/image : recompressed")
        try await session.send("d")
        try await session.waitFor("verdict: recompressed")
        // The A and B lines arrive with the verdict; read the screen once they are all there.
        let screen = try await session.waitFor(rig.fixtures["verdicts"]?["recompressed"]?.string ?? "?")
        #expect(screen.contains(rig.fixtures["verdicts"]?["base"]?.string ?? "?"), "\(screen)")
        try await session.send("n")
        try await session.send("Escape")
        try await session.waitFor("Tags")
    }

    @Test func copyWithCAndTheDestinationHasTheSameDigest() async throws {
        let session = try await open()
        try await openRepository(session, "demo/single", tag: "1.0")
        try await session.send("c")
        try await session.waitFor("to: \(rig.dest)/demo/single:1.0")
        let repository = "ui-copy/single-\(UUID().uuidString.prefix(6).lowercased())"
        try await session.send("C-u")
        try await session.send("\(rig.dest)/\(repository)", literal: true)
        try await session.send("Enter")
        try await session.waitFor("digest preserved")
        let copied = try await skopeoRaw("\(rig.dest)/\(repository):1.0")
        #expect(Digest.of(copied).description == rig.digest("single"))
    }

    @Test func resizeRedrawsAndQuitRestoresTheTerminal() async throws {
        let session = try await open()
        try await session.resize(width: 80, height: 20)
        try await Task.sleep(for: .milliseconds(300))
        let lines = try await session.screen().split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first?.contains("regtui") == true)
        #expect(lines.allSatisfy { $0.count <= 80 })
        #expect(lines.contains { $0.hasPrefix("└") && $0.hasSuffix("┘") })
        try await session.send("q")
        #expect(try await endedCleanly(session))
        let after = try await session.screen()
        #expect(!after.contains("Registries"), "the alternate screen is gone")
    }

    @Test func ctrlCQuitsCleanly() async throws {
        let session = try await open()
        try await session.send("C-c")
        #expect(try await endedCleanly(session))
    }
}
