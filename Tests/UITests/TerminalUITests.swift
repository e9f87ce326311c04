import Foundation
import OCI
import TestSupport
import Testing

/// The real binary in a real terminal (tmux) against the rig: what only a terminal can show —
/// sizes, signals, mouse reports through a pty, restoring the screen, refusing to start
/// without one. Everything else the UI does is tested headless (RuntimeTests).
@Suite struct TerminalUIEndToEndTests {
    let rig: Rig

    init() async throws { rig = try await Rig.shared() }

    func open(term: String = "xterm-256color", arguments: [String] = []) async throws -> TmuxSession {
        let home = NSTemporaryDirectory() + "regtui-ui-\(UUID().uuidString)"
        let session = try await TmuxSession([Rig.repositoryRoot + "/.build/debug/regtui"] + arguments + [rig.source, rig.dest],
                                            environment: ["HOME": home, "DOCKER_CONFIG": home + "/d", "TERM": term])
        try await session.waitFor("demo/dockerlist")
        return session
    }

    /// Whether the program ended cleanly within 15 s (the whole suite loads two cores): no
    /// signal, and exit status 0 where tmux kept it.
    func endedCleanly(_ session: TmuxSession) async throws -> Bool {
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline {
            if let ending = try await session.ending() { return ending.signal == nil && (ending.status ?? 0) == 0 }
            try await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    @Test func resizeRedrawsAndQuitRestoresTheTerminal() async throws {
        let session = try await open()
        try await session.resize(width: 80, height: 20)
        let screen = try await session.waitUntil("a frame 80 columns wide", seconds: 20) { screen in
            let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
            return lines.allSatisfy { $0.count <= 80 } && lines.contains { $0.hasPrefix("└") && $0.hasSuffix("┘") && $0.count == 80 }
        }
        #expect(screen.split(separator: "\n").first?.contains("regtui") == true)
        try await session.send("q")
        #expect(try await endedCleanly(session))
        #expect(!(try await session.screen()).contains("Registries"), "the alternate screen is gone")
    }

    @Test func ctrlCQuitsCleanly() async throws {
        let session = try await open()
        try await session.send("C-c")
        #expect(try await endedCleanly(session))
    }

    /// tmux-256color's terminfo says mouse reports start `CSI M`; tmux sends SGR ones, which
    /// regtui asks for and decodes itself, through the real pty.
    @Test(arguments: ["tmux-256color", "screen-256color", "xterm-256color"])
    func aClickSelectsTheRowUnderIt(term: String) async throws {
        let session = try await open(term: term)
        let screen = try await session.screen().split(separator: "\n", omittingEmptySubsequences: false)
        let row = try #require(screen.firstIndex { $0.contains("demo/single") })
        try await session.send("\u{1b}[<0;4;\(row + 1)M", literal: true)
        try await session.waitUntil("demo/single selected (the header names it)") { $0.split(separator: "\n").first?.contains("/ demo/single") == true }
        try await session.send("\u{1b}[<65;4;\(row + 1)M", literal: true)
        try await session.waitUntil("the wheel to move the selection") { $0.split(separator: "\n").first?.contains("/ demo/single") == false }
        try await session.send("q")
        #expect(try await endedCleanly(session))
    }

    @Test func optionsMayComeBeforeTheRegistries() async throws {
        let keymap = NSTemporaryDirectory() + "regtui-keymap-\(UUID().uuidString)"
        try "bind global Q quit\n".write(toFile: keymap, atomically: true, encoding: .utf8)
        let session = try await open(arguments: ["--keymap", keymap])
        try await session.send("Q")
        #expect(try await endedCleanly(session))
    }

    /// Without a terminal the UI refuses at once: one line, exit 2, nothing written to stdout.
    @Test func withoutATerminalTheUIRefusesAtOnce() async throws {
        let result = try await runProcess(["sh", "-c", "exec \"$0\" \"$@\" </dev/null", Rig.repositoryRoot + "/.build/debug/regtui", rig.source])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.split(separator: "\n").count == 1 && result.stderr.contains("needs a terminal"), "\(result.stderr)")
        #expect(!result.stderr.contains("\u{1b}"))
    }

    /// On one CPU, with the registry's credential helper blocked, keys still work: the UI has a
    /// thread of its own, and helpers run on theirs, not on the task pool the requests share.
    @Test func onOneCPUTheUIAnswersKeysWhileACredentialHelperHangs() async throws {
        let home = NSTemporaryDirectory() + "regtui-helper-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: home + "/docker", withIntermediateDirectories: true)
        let release = home + "/release"
        let helper = """
        #!/bin/sh
        i=0; while [ ! -e '\(release)' ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done
        echo '{"Username":"\(rig.user)","Secret":"\(rig.password)"}'
        """
        try helper.write(toFile: home + "/docker-credential-gate", atomically: true, encoding: .utf8)
        chmod(home + "/docker-credential-gate", 0o755)
        let basic = rig.registries["basic"]!
        try #"{"credHelpers":{"\#(basic)":"gate"}}"#.write(toFile: home + "/docker/config.json", atomically: true, encoding: .utf8)
        let session = try await TmuxSession(["taskset", "-c", "0", Rig.repositoryRoot + "/.build/debug/regtui", basic],
                                            environment: ["HOME": home, "DOCKER_CONFIG": home + "/docker", "TERM": "xterm-256color",
                                                          "PATH": "\(home):/usr/bin:/bin"])
        try await session.waitFor("loading…")
        try await session.send("?")
        try await session.waitFor("Keys (from the active keymap")
        #expect(!FileManager.default.fileExists(atPath: release), "the helper is still blocked")
        try await session.send("Escape")
        FileManager.default.createFile(atPath: release, contents: Data())
        try await session.waitFor("demo/multiarch")
        try await session.send("q")
        #expect(try await endedCleanly(session))
    }
}
