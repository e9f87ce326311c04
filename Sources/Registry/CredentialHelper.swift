import Foundation

/// Runs `docker-credential-NAME ACTION` with bounds: on a thread of its own (never a thread the
/// async tasks share), given `timeout` to answer, and read for at most `maxOutput` bytes. The
/// helper's error output is never shown: helpers may echo secrets there.
struct CredentialHelper: Sendable {
    /// The most a helper may print: a credential is a few kilobytes at most.
    static let maxOutput = 1 << 20

    let name: String
    let executable: String
    let environment: [String: String]
    let timeout: TimeInterval

    /// Runs the helper; returns its output, or nil when it answers that it has no credentials.
    func run(_ action: String, input: Data) async throws(RegistryError) -> Data? {
        let outcome: Result<Data?, RegistryError> = await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: Result { () throws(RegistryError) in try runBlocking(action, input: input) }) }
                .start()
        }
        return try outcome.get()
    }

    private func runBlocking(_ action: String, input: Data) throws(RegistryError) -> Data? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [action]
        process.environment = environment
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        do { try process.run() } catch {
            throw .credentials("cannot run credential helper \(name): \(error.localizedDescription)")
        }
        // The helper may exit without reading: EPIPE is fine (regtui ignores SIGPIPE).
        POSIXIO.writeAll(input, to: stdin.fileHandleForWriting.fileDescriptor)
        try? stdin.fileHandleForWriting.close()
        let deadline = Date(timeIntervalSinceNow: timeout)
        let output: Data
        do {
            output = try POSIXIO.readBounded(stdout.fileHandleForReading.fileDescriptor, atMost: Self.maxOutput, until: deadline)
        } catch {
            process.terminate()
            switch error {
            case .tooLarge: throw .credentials("credential helper \(name) printed more than \(Self.maxOutput) bytes; it is not answering as a helper should")
            case .timedOut: throw timedOut
            }
        }
        if finished.wait(timeout: .now() + max(0, deadline.timeIntervalSinceNow)) == .timedOut {
            process.terminate()
            throw timedOut
        }
        if process.terminationStatus != 0 {
            if action == "get", String(decoding: output, as: UTF8.self).lowercased().contains("credentials not found") { return nil }
            throw .credentials("credential helper \(name) \(action) failed with exit status \(process.terminationStatus)")
        }
        return output
    }

    private var timedOut: RegistryError {
        .credentials("credential helper \(name) did not answer within \(Int(timeout)) s; check it, or remove it from docker's config.json")
    }
}
