import Foundation
import OCI
import Registry

/// A subcommand: its name, help text and what it does.
protocol Command: Sendable {
    static var name: String { get }
    static var summary: String { get }
    /// The usage and option lines shown by `--help`.
    static var help: String { get }
    /// Reads the command's own options and operands; global options are already taken.
    init(arguments: inout Arguments) throws(UsageError)
    /// Runs the command and returns its exit status.
    func run(_ context: Context) async throws -> Int32
}

/// Exit statuses, as diff(1) uses them.
enum ExitStatus {
    static let success: Int32 = 0
    /// A negative answer: not found, different.
    static let negative: Int32 = 1
    static let error: Int32 = 2
}

/// What every command shares: the registry client, the output, and global options.
struct Context {
    let client: RegistryClient
    let credentials: CredentialStore
    let output: Output
    let json: Bool

    /// Global options: `--insecure`, `--ca-file FILE`, `--json`.
    static let globalHelp = """
      --insecure        allow plain HTTP and skip TLS verification
      --ca-file FILE    also trust the CA certificates in FILE (repeatable)
      --timeout SECONDS give up on a transfer that moves nothing for SECONDS (default 30);
                        downloads are then resumed, other requests retried where safe
    """
}

/// Where results and messages go. Text from registries is made inert before it reaches a terminal.
struct Output: Sendable {
    let stdoutIsTerminal = isatty(STDOUT_FILENO) == 1
    let stderrIsTerminal = isatty(STDERR_FILENO) == 1

    /// One line of results. Registry text inside must already be sanitised with `safe`.
    func line(_ text: String = "") { Self.write(Data((text + "\n").utf8), to: STDOUT_FILENO) }

    /// Exact bytes (raw manifests), made inert only when they would reach a terminal.
    func raw(_ bytes: Data) {
        if stdoutIsTerminal {
            let text = String(decoding: bytes, as: UTF8.self)
            line(text.split(separator: "\n", omittingEmptySubsequences: false).map { Sanitizer.inline(String($0)) }
                .joined(separator: "\n"))
        } else {
            Self.write(bytes, to: STDOUT_FILENO)
        }
    }

    /// Many lines of results, written in pieces of about 64 KiB rather than one write each (a
    /// diff can have 100,000 lines). Registry text inside must already be sanitised with `safe`.
    func lines(_ texts: some Sequence<String>) {
        var pending: [UInt8] = []
        pending.reserveCapacity(Self.pieceSize + 4096)
        for text in texts {
            pending.append(contentsOf: text.utf8)
            pending.append(0x0a)
            if pending.count >= Self.pieceSize {
                trusted(pending)
                pending.removeAll(keepingCapacity: true)
            }
        }
        if !pending.isEmpty { trusted(pending) }
    }

    /// How much output is gathered before one write(2).
    static let pieceSize = 1 << 16

    /// Bytes of our own making, already safe for a terminal (registry text in them passed through `safe`).
    func trusted(_ bytes: [UInt8]) { Self.write(Data(bytes), to: STDOUT_FILENO) }

    /// A value as indented JSON with sorted keys.
    func json<Value: Encodable>(_ value: Value) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        if let data = try? encoder.encode(value) { Self.write(data + Data("\n".utf8), to: STDOUT_FILENO) }
    }

    /// A message for the person at the terminal (stderr).
    func note(_ text: String) { Self.write(Data((text + "\n").utf8), to: STDERR_FILENO) }

    /// An error message: `regtui: error: …`.
    func error(_ text: String) { note("regtui: error: \(text)") }

    /// Text written as is (control sequences of our own, such as progress repaints).
    func raw(_ text: String, to descriptor: Int32) { Self.write(Data(text.utf8), to: descriptor) }

    /// Writes all of `data`. When the reader has gone (`regtui catalog … | head`), the process
    /// ends the way Unix tools do, by SIGPIPE.
    private static func write(_ data: Data, to descriptor: Int32) {
        if !POSIXIO.writeAll(data, to: descriptor) && errno == EPIPE {
            signal(SIGPIPE, SIG_DFL)
            raise(SIGPIPE)
        }
    }
}

/// Seconds elapsed since `start`.
func seconds(since start: ContinuousClock.Instant) -> Double {
    let elapsed = start.duration(to: .now).components
    return Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
}

/// Registry text made safe for a terminal.
func safe(_ text: String) -> String { Sanitizer.inline(text) }

/// Parses a reference operand, saying which operand was wrong.
func parseReference(_ text: String) throws(UsageError) -> Reference {
    do { return try Reference(parsing: text) } catch { throw UsageError(error.description) }
}

/// Parses every `--platform` value.
func parsePlatforms(_ values: [String]) throws(UsageError) -> [Platform] {
    var platforms: [Platform] = []
    for value in values {
        do { platforms.append(try Platform(parsing: value)) } catch { throw UsageError(error.description) }
    }
    return platforms
}
