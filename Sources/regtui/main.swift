import Foundation
import OCI
import Registry

/// Every subcommand, in the order `regtui --help` lists them.
enum Commands {
    static let all: [any Command.Type] = [
        UICommand.self, CatalogCommand.self, TagsCommand.self, ManifestCommand.self, DigestCommand.self, ConfigCommand.self,
        InspectCommand.self, ReferrersCommand.self, FilesCommand.self, CatCommand.self, DiffCommand.self, CopyCommand.self, TagCommand.self,
        DeleteCommand.self, LoginCommand.self,
        LogoutCommand.self,
    ]
}

func mainHelp() -> String {
    let width = Commands.all.map { $0.name.count }.max() ?? 0
    let list = Commands.all.map { "  \($0.name.padding(toLength: width + 2, withPad: " ", startingAt: 0))\($0.summary)" }
    return """
    regtui: browse container registries, diff manifests, copy images byte for byte.

    Usage: regtui [REGISTRY…]                     the terminal UI
           regtui COMMAND [OPTIONS] ARGUMENTS…   (regtui COMMAND --help for each)

    Commands:
    \(list.joined(separator: "\n"))

    Options for every command:
    \(Context.globalHelp)

    Exit status: 0 success, 1 a negative answer (not found, different), 2 an error.
    """
}

func run() async -> Int32 {
    let output = Output()
    var words = Array(CommandLine.arguments.dropFirst())
    guard !(words.count == 1 && ["-h", "--help", "help"].contains(words[0])) else {
        output.line(mainHelp())
        return ExitStatus.success
    }
    if words == ["--version"] { output.line("regtui 0.1.0"); return ExitStatus.success }
    // The command is the first word; without one (only registries and options), the terminal UI.
    let command: any Command.Type
    if let first = words.first, let named = Commands.all.first(where: { $0.name == first }) {
        command = named
        words.removeFirst()
    } else if let first = words.first, !first.hasPrefix("-"), !first.contains(where: { ".:".contains($0) }) {
        output.error("unknown command \"\(first)\"; run `regtui --help` for the list")
        return ExitStatus.error
    } else {
        command = UICommand.self
    }
    var arguments = Arguments(words)
    if arguments.flag("-h", "--help") {
        output.line(command.help + "\n\nGlobal options:\n" + Context.globalHelp)
        return ExitStatus.success
    }
    let context: Context
    let instance: any Command
    do {
        let insecure = arguments.flag("--insecure")
        let caFiles = try arguments.options("--ca-file")
        let json = arguments.flag("--json")
        var stallTimeout = 30
        if let text = try arguments.option("--timeout") {
            guard let seconds = Int(text), (1...3600).contains(seconds) else { throw UsageError("--timeout takes seconds, from 1 to 3600") }
            stallTimeout = seconds
        }
        instance = try command.init(arguments: &arguments)
        try arguments.finish()
        let credentials = CredentialStore()
        let trust = try TrustPolicy(insecure: insecure, caFiles: caFiles)
        context = Context(client: RegistryClient(options: ClientOptions(trust: trust, credentials: credentials, stallTimeout: stallTimeout)),
                          credentials: credentials, output: output, json: json)
    } catch let error as UsageError {
        output.error("\(error.message)\n\n\(command.help)")
        return ExitStatus.error
    } catch {
        output.error("\(error)")
        return ExitStatus.error
    }
    do {
        return try await instance.run(context)
    } catch let error as RegistryError {
        output.error(error.description)
        if case .notFound = error { return ExitStatus.negative }
        return ExitStatus.error
    } catch let error as UsageError {
        output.error(error.message)
        return ExitStatus.error
    } catch {
        output.error("\(error)")
        return ExitStatus.error
    }
}

signal(SIGPIPE, SIG_IGN)
let status = await run()
// _exit, not exit: threads may still be winding down transfers (a cancelled copy, digests the
// UI no longer shows), and library destructors run by exit() would pull the rug from under them.
// Output goes through write(2), so there is nothing to flush.
_exit(status)
