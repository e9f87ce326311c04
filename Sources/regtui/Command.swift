import Foundation
import OCI
import Registry
import Stores

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

    /// The store `reference` is in: a registry repository, a layout, an archive.
    func store(_ reference: ImageRef) -> any ImageStore { Stores.open(reference, client: client) }

    /// Global options: `--insecure`, `--ca-file FILE`, `--json`.
    static let globalHelp = """
      --insecure        allow plain HTTP and skip TLS verification
      --ca-file FILE    also trust the CA certificates in FILE (repeatable)
      --timeout SECONDS give up on a transfer that moves nothing for SECONDS (default 30);
                        downloads are then resumed, other requests retried where safe
    """
}

/// Seconds elapsed since `start`.
func seconds(since start: ContinuousClock.Instant) -> Double {
    let elapsed = start.duration(to: .now).components
    return Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
}

/// Parses a reference operand in any store (`host/repo:tag`, `oci:DIR:TAG`, …).
func parseReference(_ text: String) throws(UsageError) -> ImageRef {
    do { return try ImageRef(parsing: text) } catch { throw UsageError(error.description) }
}

/// Parses a repository operand in any store (`host/repo`, `oci:DIR`, …).
func parseRepository(_ text: String) throws(UsageError) -> ImageRef {
    do { return try ImageRef(parsingRepository: text) } catch { throw UsageError(error.description) }
}

/// Parses every `--platform` value.
func parsePlatforms(_ values: [String]) throws(UsageError) -> [Platform] {
    var platforms: [Platform] = []
    for value in values {
        do { platforms.append(try Platform(parsing: value)) } catch { throw UsageError(error.description) }
    }
    return platforms
}
