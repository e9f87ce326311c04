import Foundation
import OCI
import Registry
import TestSupport
import Testing

/// `regtui copy` as a script would run it.
@Suite struct CopyCommandTests {
    let rig: Rig

    init() async throws { rig = try await Rig.shared() }

    func unique(_ name: String) -> String { "\(name)-\(UUID().uuidString.prefix(8).lowercased())" }
    let environment = ["HOME": NSTemporaryDirectory() + "regtui-cli-copy", "DOCKER_CONFIG": NSTemporaryDirectory() + "regtui-cli-copy/d"]

    @Test func jsonSummaryReportsWhatMoved() async throws {
        let destination = "\(rig.dest)/\(unique("cli/multiarch"))"
        let cold = try await regtui(["copy", rig.ref("multiarch"), destination, "--json"], environment: environment)
        #expect(cold.status == 0, "\(cold.stderr)")
        let summary = try #require(JSONValue.parse(cold.stdout))
        #expect(summary["digest"]?.string == rig.digest("multiarch"))
        #expect(summary["digestPreserved"] == .bool(true))
        #expect(summary["blobsUploaded"]?.number == 7)
        #expect(summary["destination"]?.string == "\(destination):1.0")
        let warm = try await regtui(["copy", rig.ref("multiarch"), destination, "--json"], environment: environment)
        let again = try #require(JSONValue.parse(warm.stdout))
        #expect(again["alreadyPresent"] == .bool(true))
        #expect(again["requests"]?.number == 2, "the version check and one HEAD of the tag")
        let retag = try #require(JSONValue.parse(try await regtui(["copy", rig.ref("multiarch"), "\(destination):other", "--json"],
                                                                   environment: environment).stdout))
        #expect(retag["blobsUploaded"]?.number == 0 && retag["manifestsPushed"]?.number == 0)
        #expect(retag["requests"]?.number == 5, "version check, HEAD tag, tag list, HEAD digest, PUT tag")
    }

    @Test func plainOutputListsEachBlobAndTheResult() async throws {
        let destination = "\(rig.dest)/\(unique("cli/single")):v1"
        let result = try await regtui(["copy", rig.ref("single"), destination], environment: environment)
        #expect(result.status == 0)
        #expect(result.stderr.split(separator: "\n").filter { $0.hasPrefix("uploaded ") }.count == 3)
        #expect(result.stderr.contains("tagged    \(destination) -> \(rig.digest("single"))"))
        #expect(result.text.contains("digest preserved"))
    }

    @Test func ctrlCCancelsWithExit130AndNoTag() async throws {
        let faulty = rig.registries["faulty-source"]!
        // Looked up at the source itself: the proxy may be busy with another test's faults.
        let layer = try await regtui(["inspect", rig.ref("large"), "--json"], environment: environment)
        let digest = try #require(JSONValue.parse(layer.stdout)?["layers"]?[0]?["digest"]?.string)
        let repository = unique("cli/cancelled")
        let rules = #"[{"method":"GET","path":"/blobs/\#(digest)","action":"stall","after":65536,"seconds":20,"times":1}]"#
        try await FaultProxies.shared.with(faulty, rules: rules) {
            let logged = try await rig.log(of: faulty).count
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Rig.repositoryRoot + "/.build/debug/regtui")
            process.arguments = ["copy", "\(faulty)/demo/large:1.0", "\(rig.dest)/\(repository):1.0"]
            let errors = Pipe()
            process.standardError = errors
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            try await rig.awaitStall(at: faulty, path: digest, after: logged)
            process.interrupt()
            process.waitUntilExit()
            let stderr = String(decoding: POSIXIO.readToEnd(errors.fileHandleForReading.fileDescriptor), as: UTF8.self)
            #expect(process.terminationStatus == 130)
            #expect(stderr.contains("cancelled") && stderr.contains("no tag was written"))
        }
        let check = try await regtui(["digest", "\(rig.dest)/\(repository):1.0"], environment: environment)
        #expect(check.status == 1, "the destination tag does not exist")
        #expect(rig.openUploads(inDest: repository).isEmpty)
    }

    @Test func badCopyArgumentsAreExplained() async throws {
        let jobs = try await regtui(["copy", "a/b:1", "c/d", "--jobs", "0"], environment: environment)
        #expect(jobs.status == 2 && jobs.stderr.contains("--jobs takes a number from 1 to 64"))
        let allTags = try await regtui(["copy", "a/b:1", "c/d", "--all-tags"], environment: environment)
        #expect(allTags.status == 2 && allTags.stderr.contains("repositories without tag or digest"))
    }
}
