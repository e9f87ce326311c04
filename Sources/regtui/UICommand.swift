import App
import CursesBackend
import Foundation
import OCI
import Registry
import TerminalUI

/// `regtui [ui] [REGISTRY…]`: the terminal UI.
struct UICommand: Command {
    static let name = "ui"
    static let summary = "browse registries in the terminal UI (the default)"
    static let help = """
    Usage: regtui [ui] [REGISTRY…] [--keymap FILE]

    Opens the terminal UI on the registries given, those listed in ~/.config/regtui/registries
    (one host[:port] a line) and those docker's config.json has credentials for.
    Panes: registries → repositories → tags → manifest tree. Press ? for the keys.
    Keys come from the built-in keymap, then ~/.config/regtui/keymap (or --keymap FILE):
    lines of `bind CONTEXT KEY ACTION`; see keymaps/ for the default, vim and emacs maps.
    NO_COLOR=1 draws without colours.
    """
    let registries: [String]
    let keymapFile: String?

    init(arguments: inout Arguments) throws(UsageError) {
        keymapFile = try arguments.option("--keymap")
        var hosts: [String] = []
        while let host = try arguments.optionalOperand() {
            guard !host.contains("/"), (try? Reference(parsing: host + "/x")) != nil else {
                throw UsageError("\"\(host)\" is not a registry host[:port]")
            }
            hosts.append(host)
        }
        registries = hosts
    }

    func run(_ context: Context) async throws -> Int32 {
        let environment = ProcessInfo.processInfo.environment
        let configDirectory = (environment["XDG_CONFIG_HOME"].map { $0 + "/regtui" }) ?? NSHomeDirectory() + "/.config/regtui"
        var all = registries
        if let listed = try? String(contentsOfFile: configDirectory + "/registries", encoding: .utf8) {
            all += listed.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && !$0.hasPrefix("#") }
        }
        all += context.credentials.knownRegistries().filter { $0 != "docker.io" }
        var unique: [String] = []
        for registry in all where !unique.contains(registry) { unique.append(registry) }

        var keymap = Keymap.builtIn
        var warnings: [String] = []
        let keymapPath = keymapFile ?? configDirectory + "/keymap"
        if let text = try? String(contentsOfFile: keymapPath, encoding: .utf8) {
            warnings = keymap.load(regtuiKeymap: text, file: keymapPath)
        } else if keymapFile != nil {
            throw UsageError("cannot read the keymap file \(keymapPath)")
        }
        let color = !Output.noColor
        let loop = try UILoop(client: context.client, registries: unique, keymap: keymap, warnings: warnings, color: color)
        loop.run()
        return ExitStatus.success
    }
}

/// The UI's one thread: waits on the keyboard and the mailbox, updates the state, draws.
final class UILoop {
    private let terminal: CursesTerminal
    private let mailbox = Mailbox()
    private let runner: EffectRunner
    private var state: AppState

    init(client: RegistryClient, registries: [String], keymap: Keymap, warnings: [String], color: Bool) throws {
        terminal = try CursesTerminal(colors: color)
        runner = EffectRunner(client: client, mailbox: mailbox)
        let size = terminal.size
        state = AppState(registries: registries, keymap: keymap, warnings: warnings, color: color, width: size.width, height: size.height)
    }

    func run() {
        defer { terminal.restore() }
        var effects = App.start(&state)
        while true {
            terminal.draw(App.view(state))
            for effect in effects { perform(effect) }
            effects = []
            if state.quit { return }
            var fds = [pollfd(fd: terminal.inputDescriptor, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: mailbox.wakeRead, events: Int16(POLLIN), revents: 0)]
            // SIGWINCH may land on any thread and so never interrupt this poll: wake now and
            // then so curses can report a resize.
            _ = poll(&fds, 2, 250)
            for key in terminal.readKeys() {
                if case .resize = key {
                    let size = terminal.size
                    terminal.invalidate()
                    effects += App.update(&state, .resized(width: size.width, height: size.height))
                }
                effects += App.update(&state, .key(key))
            }
            for action in mailbox.drain() { effects += App.update(&state, action) }
        }
    }

    private func perform(_ effect: Effect) {
        if case .setClipboard(let text) = effect {
            terminal.send("\u{1b}]52;c;\(Data(text.utf8).base64EncodedString())\u{07}")
        } else {
            runner.run(effect)
        }
    }
}
