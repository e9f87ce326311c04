import App
import Foundation
import Registry
import Runtime
import TerminalUI
import TestSupport
import Testing

/// The terminal UI running headless through the real runtime, against real registries: keys go
/// in, and each step waits until the program is idle (every key handled, every request
/// answered, the frame drawn) before the screen is read. No sleeps.
final class Session: Sendable {
    let program: Program
    let terminal: HeadlessTerminal
    private let running: Task<Void, Never>

    init(registries: [String], width: Int = 120, height: Int = 32, environment: [String: String] = [:]) async {
        let home = NSTemporaryDirectory() + "regtui-headless-\(UUID().uuidString)"
        let client = RegistryClient(options: ClientOptions(
            trust: try! TrustPolicy(certsDirectories: []),
            credentials: CredentialStore(environment: ["HOME": home].merging(environment) { $1 }),
            initialBackoff: .milliseconds(20)))
        terminal = HeadlessTerminal(width: width, height: height)
        let program = Program(state: AppState(registries: registries, width: width, height: height), terminal: terminal,
                              client: client, watchResize: false)
        self.program = program
        running = Task { await program.run() }
        await settled { await program.idle() }
    }

    /// A session always ends its program, even when a test stops before quitting: a program
    /// left running would keep the test process alive.
    deinit { program.stop() }

    /// Presses keys one at a time, each handled before the next, as a person types.
    func press(_ keys: Key...) async { for key in keys { await press([key]) } }

    func press(_ keys: [Key]) async {
        for key in keys {
            program.press([key], into: terminal)
            await settled { await self.program.idle() }
        }
    }

    /// Runs a wait on the program; one that has not ended within a minute stops the program
    /// (which ends every wait) and fails the test with the screen, so no test hangs forever.
    private func settled(_ wait: @Sendable () async -> Void) async {
        let program = self.program
        let watchdog = Task {
            try await Task.sleep(for: .seconds(60))
            let screen = program.screen?.lines.joined(separator: "\n") ?? ""
            FileHandle.standardError.write(Data("the program did not settle within 60 s; the screen:\n\(screen)\n".utf8))
            Issue.record("the program did not settle within 60 s; the screen:\n\(screen)")
            program.stop()
        }
        await wait()
        watchdog.cancel()
    }

    /// Presses a key while requests run (a copy): returns once it is handled and drawn, without
    /// waiting for the work to end.
    func pressDuringWork(_ key: Key) async {
        program.press([key], into: terminal)
        await settled { await self.program.handled() }
    }

    /// Types text, a character a key.
    func type(_ text: String) async { await press(text.map { Key.character($0) }) }

    /// `/`, the text, Enter: filters the focused pane.
    func filter(_ text: String) async {
        await press(.character("/"))
        await type(text)
        await press(.enter)
    }

    var lines: [String] { program.screen?.lines ?? [] }
    var screen: String { lines.joined(separator: "\n") }
    var selection: Selection? { program.selection }

    /// Whether a line of the screen contains `text`.
    func shows(_ text: String) -> Bool { lines.contains { $0.contains(text) } }

    /// The screen as one line, frames and runs of spaces removed: for messages that wrap.
    var text: String {
        lines.joined(separator: " ").replacingOccurrences(of: "│", with: " ")
            .split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    }

    /// The Details box's last line: the keys that act on the selected item.
    var hints: String { lines.last { $0.contains("mark") && !$0.hasPrefix("?") } ?? "" }

    /// Quits (answering yes if asked) and waits for the program to end.
    func quit() async {
        await press(.character("q"))
        if shows("Quit and cancel") { await press(.character("y")) }
        await running.value
    }
}
