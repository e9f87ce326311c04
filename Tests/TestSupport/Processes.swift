import Foundation

/// What a finished child process left.
public struct ProcessResult: Sendable {
    public let status: Int32
    public let stdout: Data
    public let stderr: String
    public var text: String { String(decoding: stdout, as: UTF8.self) }
}

/// Runs `arguments[0]` (looked up on PATH) with the rest as arguments, feeding `input`, and waits.
public func runProcess(_ arguments: [String], environment: [String: String] = [:], input: Data? = nil) async throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    if let input { stdin.fileHandleForWriting.write(input) }
    try stdin.fileHandleForWriting.close()
    async let out = Task.detached { stdout.fileHandleForReading.readDataToEndOfFile() }.value
    async let err = Task.detached { stderr.fileHandleForReading.readDataToEndOfFile() }.value
    let (outData, errData) = await (out, err)
    process.waitUntilExit()
    return ProcessResult(status: process.terminationStatus, stdout: outData, stderr: String(decoding: errData, as: UTF8.self))
}

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
