import Foundation
import Registry

/// What a finished child process left.
public struct ProcessResult: Sendable {
    public let status: Int32
    public let stdout: Data
    public let stderr: String
    public var text: String { String(decoding: stdout, as: UTF8.self) }
}

/// Runs `arguments[0]` (looked up on PATH) with the rest as arguments, feeding `input`, and waits.
public func runProcess(_ arguments: [String], environment: [String: String] = [:], input: Data? = nil) async throws -> ProcessResult {
    ignoreBrokenPipes()
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    // A child may exit without reading its input: that must not end the test process.
    if let input { POSIXIO.writeAll(input, to: stdin.fileHandleForWriting.fileDescriptor) }
    try? stdin.fileHandleForWriting.close()
    let out = readInBackground(stdout.fileHandleForReading.fileDescriptor)
    let err = readInBackground(stderr.fileHandleForReading.fileDescriptor)
    let (outData, errData) = await (out.value, err.value)
    return ProcessResult(status: await exitStatus(of: process), stdout: outData, stderr: String(decoding: errData, as: UTF8.self))
}

/// Reaps the child with waitpid (Foundation's waitUntilExit can miss the exit on Linux when
/// many children run at once, leaving a zombie and a waiter that never returns).
private func exitStatus(of process: Process) async -> Int32 {
    await withCheckedContinuation { continuation in
        Thread {
            var status: Int32 = 0
            var result: pid_t
            repeat { result = waitpid(process.processIdentifier, &status, 0) } while result < 0 && errno == EINTR
            guard result == process.processIdentifier else {
                // Foundation reaped it first.
                while process.isRunning { usleep(1000) }
                continuation.resume(returning: process.terminationStatus)
                return
            }
            let signal = status & 0x7f
            continuation.resume(returning: signal == 0 ? (status >> 8) & 0xff : 128 + signal)
        }.start()
    }
}

/// Reads a descriptor to its end on a thread of its own (blocking reads stay off the task pool).
private func readInBackground(_ descriptor: Int32) -> Task<Data, Never> {
    Task {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: POSIXIO.readToEnd(descriptor)) }.start()
        }
    }
}

/// Writing to a pipe or socket whose reader has gone gives EPIPE instead of killing the test
/// process (libcurl with CURLOPT_NOSIGNAL leaves SIGPIPE to the application, as regtui's main does).
public func ignoreBrokenPipes() { signal(SIGPIPE, SIG_IGN) }

/// Runs the regtui binary this test run built.
public func regtui(_ arguments: [String], environment: [String: String] = [:], input: Data? = nil) async throws -> ProcessResult {
    try await runProcess([Rig.repositoryRoot + "/.build/debug/regtui"] + arguments, environment: environment, input: input)
}

/// `skopeo inspect --raw` of a reference on a plain-HTTP rig registry: the independent client's bytes.
public func skopeoRaw(_ reference: String) async throws -> Data {
    let result = try await runProcess(["skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + reference])
    guard result.status == 0 else { throw RigError("skopeo inspect \(reference) failed: \(result.stderr)") }
    return result.stdout
}

/// A regtui run with its peak resident memory, measured by GNU time.
public struct MeasuredRun: Sendable {
    public let result: ProcessResult
    /// Peak resident set size in KiB.
    public let peakKiB: Int
}

/// Runs the regtui binary under `/usr/bin/time` and reports its peak memory, with the
/// open-files limit set to `openFiles` (a common default is 1024).
public func measuredRegtui(_ arguments: [String], environment: [String: String] = [:], openFiles: Int = 1024) async throws -> MeasuredRun {
    let marker = "regtui-peak-kib:"
    let command = "ulimit -n \(openFiles); exec /usr/bin/time -f '\(marker)%M' \"$@\""
    let result = try await runProcess(["sh", "-c", command, "sh", Rig.repositoryRoot + "/.build/debug/regtui"] + arguments,
                                      environment: environment)
    let line = result.stderr.split(separator: "\n").last { $0.hasPrefix(marker) } ?? ""
    let stderr = result.stderr.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix(marker) }
        .joined(separator: "\n")
    return MeasuredRun(result: ProcessResult(status: result.status, stdout: result.stdout, stderr: stderr),
                       peakKiB: Int(line.dropFirst(marker.count)) ?? Int.max)
}
