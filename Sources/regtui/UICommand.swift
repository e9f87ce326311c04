import App
import CursesBackend
import Foundation
import OCI
import Registry
import Runtime
import TerminalUI

/// `regtui [ui] [REGISTRY…]`: the terminal UI.
struct UICommand: Command {
    static let name = "ui"
    static let summary = "browse registries in the terminal UI (the default)"
    static let help = """
    Usage: regtui [ui] [REGISTRY…] [--keymap FILE]

    Opens the terminal UI on the registries given (and any oci:DIR layouts, oci-archive:FILE or
    docker-archive:FILE archives, listed beside them), those listed in ~/.config/regtui/registries
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
        while let entry = try arguments.optionalOperand() {
            if let file = try? ImageRef(parsingRepository: entry), file.kind.isFile {
                hosts.append(file.name)
                continue
            }
            guard !entry.contains("/"), (try? Reference(parsing: entry + "/x")) != nil else {
                throw UsageError("\"\(entry)\" is not a registry host[:port], an oci:DIR layout or an oci-archive:/docker-archive: file")
            }
            hosts.append(entry)
        }
        registries = hosts
    }

    func run(_ context: Context) async throws -> Int32 {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw UsageError("the terminal UI needs a terminal on standard input and output; for scripts, use the commands in `regtui --help`")
        }
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
        let terminal = try CursesTerminal(colors: !Output.noColor)
        let state = AppState(registries: unique, keymap: keymap, warnings: warnings, color: !Output.noColor)
        await Program(state: state, terminal: terminal, client: context.client).run()
        return ExitStatus.success
    }
}
