import Foundation
import OCI
import Registry

/// `regtui login HOST`: checks credentials against the registry, then stores them where docker would.
struct LoginCommand: Command {
    static let name = "login"
    static let summary = "check and save credentials for a registry"
    static let help = """
    Usage: regtui login HOST [-u USER] [--password-stdin]

    Checks the credentials against HOST, then saves them where docker would: its credential
    helper when config.json names one, else config.json ($DOCKER_CONFIG or ~/.docker), mode 0600.
      -u, --username USER   the user name (asked for when missing)
      --password-stdin      read the password from standard input (else asked for, not echoed)
    """
    let registry: String
    let username: String?
    let passwordFromStdin: Bool

    init(arguments: inout Arguments) throws(UsageError) {
        username = try arguments.option("-u", "--username")
        passwordFromStdin = arguments.flag("--password-stdin")
        registry = try arguments.operand("HOST")
    }

    func run(_ context: Context) async throws -> Int32 {
        guard let user = try username ?? Terminal.prompt("Username: ", echo: true), !user.isEmpty else {
            throw UsageError("a user name is needed: pass -u USER")
        }
        let secret: String?
        if passwordFromStdin {
            let input = POSIXIO.readToEnd(STDIN_FILENO)
            secret = String(decoding: input, as: UTF8.self).trimmingCharacters(in: .newlines)
        } else {
            secret = try Terminal.prompt("Password: ", echo: false)
        }
        guard let secret, !secret.isEmpty else { throw UsageError("a password is needed: pass --password-stdin or type it") }
        let credential = Credential(username: user, secret: secret)
        var options = context.client.options
        options.credentialOverride = credential
        let checker = RegistryClient(transport: context.client.transport, options: options)
        try await checker.ping(registry)
        try await context.credentials.store(credential, registry: registry)
        context.output.note("Login succeeded for \(registry) as \(user); saved in \(context.credentials.dockerConfigPath)")
        return ExitStatus.success
    }
}

/// `regtui logout HOST`: forgets stored credentials.
struct LogoutCommand: Command {
    static let name = "logout"
    static let summary = "remove saved credentials for a registry"
    static let help = """
    Usage: regtui logout HOST

    Removes HOST's credentials from docker's config.json or its credential helper.
    """
    let registry: String

    init(arguments: inout Arguments) throws(UsageError) { registry = try arguments.operand("HOST") }

    func run(_ context: Context) async throws -> Int32 {
        guard try await context.credentials.erase(registry: registry) else {
            context.output.note("No credentials were saved for \(registry)")
            return ExitStatus.negative
        }
        context.output.note("Removed the credentials for \(registry)")
        return ExitStatus.success
    }
}

/// Questions asked on the controlling terminal.
enum Terminal {
    /// Asks `question` on /dev/tty and reads a line, without echo when `echo` is false.
    /// Returns nil when there is no terminal to ask on.
    static func prompt(_ question: String, echo: Bool) throws -> String? {
        let fd = open("/dev/tty", O_RDWR)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var saved = termios()
        tcgetattr(fd, &saved)
        if !echo {
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(fd, TCSANOW, &quiet)
        }
        defer { if !echo { tcsetattr(fd, TCSANOW, &saved); _ = write(fd, "\n", 1) } }
        _ = question.withCString { write(fd, $0, strlen($0)) }
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while read(fd, &byte, 1) == 1, byte != 0x0a { line.append(byte) }
        return String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespaces)
    }
}
