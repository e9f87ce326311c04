import Foundation
import OCI
import TestSupport
import Testing

/// Copies into a real registry (htpasswd Basic auth) behind the fault-injecting proxy. Whatever
/// goes wrong on the destination side, the tag stays where it was, no upload session is left
/// open, and no credential leaves the registry's origin.
@Suite struct DestinationFaultTests {
    let rig: Rig
    let environment: [String: String]

    init() async throws {
        rig = try await Rig.shared()
        environment = try rig.credentials(for: [rig.registries["faulty-dest"]!])
    }

    var faulty: String { rig.registries["faulty-dest"]! }

    /// A repository whose tag 1.0 already points at the single-image fixture.
    func taggedRepository(_ name: String) async throws -> String {
        let repository = "\(name)-\(UUID().uuidString.prefix(8).lowercased())"
        let seeded = try await regtui(["copy", rig.ref("single"), "\(rig.dest)/\(repository):1.0"])
        #expect(seeded.status == 0, "\(seeded.stderr)")
        return repository
    }

    /// Copies the large fixture (a streamed upload) onto `repository`:1.0 under `rules`, then
    /// checks that the tag still points at the single image and no session is open.
    func failingCopy(_ name: String, rules: String) async throws -> ProcessResult {
        let repository = try await taggedRepository(name)
        let result = try await FaultProxies.shared.with(faulty, rules: rules) {
            try await regtui(["copy", rig.ref("large"), "\(faulty)/\(repository):1.0"], environment: environment)
        }
        #expect(result.status == 2, "\(result.stderr)")
        let tag = try await regtui(["digest", "\(rig.dest)/\(repository):1.0"])
        #expect(tag.text == rig.digest("single") + "\n", "the tag did not move")
        #expect(rig.openUploads(inDest: repository).isEmpty, "no upload session is left open")
        return result
    }

    @Test func anUploadLocationAtAnotherOriginIsRefusedAndGetsNoCredential() async throws {
        let port = faulty.split(separator: ":").last!
        let other = "localhost:\(port)"
        let rules = #"[{"method":"POST","path":"/blobs/uploads/","action":"location","value":"http://\#(other)","times":-1}]"#
        let result = try await failingCopy("cross-origin", rules: rules)
        #expect(result.stderr.contains("pointed at http://\(other), another origin"), "\(result.stderr)")
        let log = try await rig.log(of: faulty)
        #expect(log.contains { $0["authorization"] == .bool(true) }, "credentials went to the registry's own origin")
        #expect(!log.contains { $0["host"]?.string == other }, "nothing at all went to the other origin")
    }

    @Test func aServerErrorOnPATCHLeavesNothingBehind() async throws {
        let result = try await failingCopy("patch-500", rules: #"[{"method":"PATCH","path":"/blobs/uploads/","action":"status","status":500,"times":-1}]"#)
        #expect(result.stderr.contains("registry answered HTTP 500"), "\(result.stderr)")
    }

    @Test func aServerErrorOnTheCommittingPUTLeavesNothingBehind() async throws {
        let result = try await failingCopy("put-500", rules: #"[{"method":"PUT","path":"/blobs/uploads/","action":"status","status":500,"times":-1}]"#)
        #expect(result.stderr.contains("registry answered HTTP 500"), "\(result.stderr)")
    }

    @Test func aConnectionDroppedMidUploadIsRetriedAndTheFirstSessionClosed() async throws {
        let repository = try await taggedRepository("dropped-upload")
        let rules = #"[{"method":"PATCH","path":"/blobs/uploads/","action":"drop_request","times":1}]"#
        let result = try await FaultProxies.shared.with(faulty, rules: rules) {
            try await regtui(["copy", rig.ref("large"), "\(faulty)/\(repository):1.0"], environment: environment)
        }
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try await regtui(["digest", "\(rig.dest)/\(repository):1.0"]).text == rig.digest("large") + "\n")
        #expect(try await rig.log(of: faulty).contains { $0["fault"]?.string == "drop_request" }, "the upload was dropped once")
        #expect(rig.openUploads(inDest: repository).isEmpty, "the dropped session was closed")
    }
}
