import Foundation

/// The real regtui binary running in a tmux pane of its own server, driven by keys and read
/// back as screen text.
public final class TmuxSession: @unchecked Sendable {
    private let socket = "regtui-test-\(UUID().uuidString.prefix(8))"

    /// Starts `arguments` in a `width`×`height` pane with `environment`.
    public init(_ arguments: [String], environment: [String: String] = [:], width: Int = 120, height: Int = 32) async throws {
        let command = (environment.map { "\($0.key)=\(Self.quote($0.value))" } + arguments.map(Self.quote)).joined(separator: " ")
        // The tmux server this starts keeps what it inherits open: only /dev/null, so the pipes
        // runProcess reads from close when sh exits.
        let start = ["tmux", "-L", socket, "new-session", "-d", "-x", "\(width)", "-y", "\(height)", "env " + command]
        // remain-on-exit in the same invocation, so it holds however fast the program ends.
        let keep = " \\; set-option -wg remain-on-exit on"
        _ = try await runProcess(["sh", "-c", start.map(Self.quote).joined(separator: " ") + keep + " </dev/null >/dev/null 2>&1"])
    }

    deinit {
        let process = Self.detachedProcess(["tmux", "-L", socket, "kill-server"])
        try? process.run()
    }

    /// A process with /dev/null for its standard files, not waited for.
    static func detachedProcess(_ arguments: [String]) -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        return process
    }

    @discardableResult
    func tmux(_ arguments: [String]) async throws -> String {
        let result = try await runProcess(["tmux", "-L", socket] + arguments)
        return result.text
    }

    /// Sends keys as tmux names them (`Enter`, `Escape`, `C-c`) or literal text (`literal: true`).
    /// Wait for what they do with `waitFor` or `waitUntil`.
    public func send(_ keys: String..., literal: Bool = false) async throws {
        try await tmux(["send-keys", "-t", "0"] + (literal ? ["-l"] : []) + keys)
    }

    /// The screen as text.
    public func screen() async throws -> String { try await tmux(["capture-pane", "-p", "-t", "0"]) }

    /// Waits until the screen contains `text`; returns the screen, or throws with it after `seconds`.
    @discardableResult
    public func waitFor(_ text: String, seconds: Double = 10) async throws -> String {
        try await waitUntil("\"\(text)\" on the screen", seconds: seconds) { $0.contains(text) }
    }

    /// Waits until the screen satisfies `condition`; returns it, or throws with it after `seconds`.
    @discardableResult
    public func waitUntil(_ what: String, seconds: Double = 10, _ condition: (String) -> Bool) async throws -> String {
        let deadline = Date().addingTimeInterval(seconds)
        var last = ""
        while Date() < deadline {
            last = try await screen()
            if condition(last) { return last }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw RigError("waited for \(what); the screen:\n\(last)")
    }

    public func resize(width: Int, height: Int) async throws {
        try await tmux(["resize-window", "-t", "0", "-x", "\(width)", "-y", "\(height)"])
    }

    /// How the program ended, once it has: tmux's exit status and signal, either of which it
    /// may not know (tmux 3.3 does not always keep the status). Nil while the program runs.
    public func ending() async throws -> (status: Int32?, signal: Int32?)? {
        let text = try await tmux(["display-message", "-p", "-t", "0", "#{pane_dead}:#{pane_dead_status}:#{pane_dead_signal}"])
        let parts = text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "1" else { return nil }
        return (Int32(parts[1]), Int32(parts[2]))
    }

    static func quote(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}
