import Foundation
import OCI
import Registry
import Stores
import Synchronization
import TestSupport
import Testing
import Transfer
import TransferModel

/// Copies between real registries, checked with skopeo.
@Suite struct CopyTests {
    let rig: Rig

    init() async throws { rig = try await Rig.shared() }

    func client() throws -> RegistryClient {
        let home = NSTemporaryDirectory() + "regtui-copy-\(UUID().uuidString)"
        return RegistryClient(options: ClientOptions(trust: try TrustPolicy(certsDirectories: []),
                                                     credentials: CredentialStore(environment: ["HOME": home]),
                                                     initialBackoff: .milliseconds(20)))
    }

    /// Copies between two registry references as `regtui copy` does, reading and writing through `client`.
    func copy(_ copier: Copier = Copier(), from source: Reference, to destination: Reference,
              client: RegistryClient? = nil) async throws -> CopyResult {
        let client = try client ?? self.client()
        return try await copier.copy(from: Stores.open(ImageRef(source), client: client), ImageRef(source).manifestID,
                                     to: Stores.open(ImageRef(destination), client: client), tag: destination.tag)
    }

    func unique(_ name: String) -> String { "\(name)-\(UUID().uuidString.prefix(8).lowercased())" }

    @Test(arguments: ["multiarch", "dockerlist", "single", "artifact"])
    func copyKeepsEveryDigestAndSkopeoCanPullIt(fixture: String) async throws {
        let source = try Reference(parsing: rig.ref(fixture))
        let repository = unique("copied/\(fixture)")
        let destination = source.tag != nil ? try Reference(parsing: "\(rig.dest)/\(repository):\(source.tag!)")
                                            : try Reference(parsing: "\(rig.dest)/\(repository)@\(source.digest!)")
        let result = try await copy(from: source, to: destination)
        #expect(result.digestPreserved)
        #expect(result.digest.description == rig.digest(fixture))
        let there = try await skopeoRaw(destination.description)
        #expect(Digest.of(there).description == rig.digest(fixture))
        #expect(there == (try await skopeoRaw(source.description)))
        let layout = NSTemporaryDirectory() + "regtui-oci-\(UUID().uuidString)"
        let pull = try await runProcess(["skopeo", "copy", "--all", "--src-tls-verify=false", "docker://\(destination)", "oci:\(layout):x"])
        #expect(pull.status == 0, "skopeo pulled everything: \(pull.stderr)")
    }

    @Test func warmCopyWritesOnlyTheTagInThreeRequests() async throws {
        let source = try Reference(parsing: rig.ref("multiarch"))
        let destination = try Reference(parsing: "\(rig.dest)/\(unique("warm/multiarch")):1.0")
        _ = try await copy(from: source, to: destination)
        let fresh = try client()
        let again = try await copy(from: source, to: destination, client: fresh)
        #expect(again.alreadyPresent)
        #expect(again.blobsUploaded == 0 && again.manifestsPushed == 0)
        #expect(fresh.transport.counter.count(host: rig.dest) <= 3)
    }

    @Test func sameRegistryCopyMountsAndUploadsNothing() async throws {
        let source = try Reference(parsing: rig.ref("multiarch"))
        let destination = try Reference(parsing: "\(rig.source)/\(unique("mounted/multiarch")):1.0")
        let result = try await copy(from: source, to: destination)
        #expect(result.bytesUploaded == 0 && result.blobsUploaded == 0)
        #expect(result.blobsMounted == 7)
        #expect(try await client().resolveDigest(destination).description == rig.digest("multiarch"))
    }

    @Test func sharedBlobsMoveOnce() async throws {
        // The three platforms share one base layer: 3 configs + 3 own layers + 1 shared = 7 blobs.
        let events = Mutex<[Digest]>([])
        let copier = Copier { event in
            if case .blobStarted(let blob) = event { events.withLock { $0.append(blob.digest) } }
        }
        let result = try await copy(copier, from: try Reference(parsing: rig.ref("multiarch")),
                                    to: try Reference(parsing: "\(rig.dest)/\(unique("shared/m")):1.0"))
        #expect(result.blobsUploaded == 7)
        let started = events.withLock { $0 }
        #expect(Set(started).count == started.count)
    }

    @Test func onePlatformKeepsItsOwnDigestAndSaysTheIndexWasNotCopied() async throws {
        let copier = Copier(options: CopyOptions(platforms: [try Platform(parsing: "linux/arm64")]))
        let destination = try Reference(parsing: "\(rig.dest)/\(unique("platform/m")):1.0")
        let result = try await copy(copier, from: try Reference(parsing: rig.ref("multiarch")), to: destination)
        let arm = rig.fixtures["multiarch"]?["children"]?[1]?["digest"]?.string
        #expect(result.digest.description == arm)
        #expect(Digest.of(try await skopeoRaw(destination.description)).description == arm)
        #expect(result.summary.contains("copied the linux/arm64/v8 manifest \(arm ?? "?"), its digest kept"))
        #expect(result.summary.contains("the source index \(rig.digest("multiarch")) was not copied"))
    }

    @Test func everyPlatformChosenCopiesTheIndexItself() async throws {
        let all = try ["linux/amd64", "linux/arm64", "linux/arm/v7"].map { try Platform(parsing: $0) }
        let destination = try Reference(parsing: "\(rig.dest)/\(unique("platform/all")):1.0")
        let result = try await copy(Copier(options: CopyOptions(platforms: all)), from: try Reference(parsing: rig.ref("multiarch")), to: destination)
        #expect(result.digestPreserved && result.digest.description == rig.digest("multiarch"))
        #expect(Digest.of(try await skopeoRaw(destination.description)).description == rig.digest("multiarch"))
    }

    @Test func referrersComeAlongAndTheFallbackTagIsWritten() async throws {
        let destination = try Reference(parsing: "\(rig.dest)/\(unique("refs/single")):1.0")
        let result = try await copy(Copier(options: CopyOptions(referrers: true)), from: try Reference(parsing: rig.ref("single")), to: destination)
        #expect(result.referrersCopied == 1)
        let found = try await client().referrers(destination, of: try Digest(parsing: rig.digest("single")))
        #expect(found.map(\.digest.description) == [rig.digest("artifact")])
    }

    @Test func allTagsCopiesEveryTag() async throws {
        let source = try Reference(parsingRepository: "\(rig.source)/tags/many")
        let destination = try Reference(parsingRepository: "\(rig.dest)/\(unique("alltags/many"))")
        let client = try client()
        let results = try await Copier().copyAllTags(from: Stores.open(ImageRef(source), client: client),
                                                     to: Stores.open(ImageRef(destination), client: client))
        #expect(results.count == 15)
        #expect(results.allSatisfy { $0.digestPreserved })
        // One image under 15 tags: its 3 blobs move once in all.
        #expect(results.reduce(0) { $0 + $1.blobsUploaded } == 3)
        #expect(Set(try await client.tags(destination).names) == Set(try await client.tags(source).names))
    }

    // MARK: Faults

    /// The large layer takes the streamed path, the config the in-memory one.
    @Test(arguments: ["layer", "config"])
    func corruptBlobFailsTheCopyNamingTheDigestAndWritesNoTag(blob: String) async throws {
        let faulty = rig.registries["faulty-source"]!
        let source = try Reference(parsing: "\(faulty)/demo/large:1.0")
        // Looked up at the source itself: the proxy may be busy with another test's faults.
        let manifest = try await client().manifest(try Reference(parsing: rig.ref("large")))
        let layer = try #require(blob == "layer" ? manifest.image?.layers.first : manifest.image?.config)
        let repository = unique("corrupt/large")
        let destination = try Reference(parsing: "\(rig.dest)/\(repository):1.0")
        let rules = #"[{"method":"GET","path":"/blobs/\#(layer.digest)","action":"corrupt","times":-1}]"#
        try await FaultProxies.shared.with(faulty, rules: rules) {
            await #expect {
                _ = try await copy(from: source, to: destination)
            } throws: { error in
                guard case RegistryError.digestMismatch(_, let expected, _) = error else { return false }
                return expected == layer.digest && "\(error)".contains(layer.digest.description)
            }
        }
        #expect(try await client().manifestDescriptor(destination) == nil, "the tag was not written")
        #expect(try await client().blobSize(destination, digest: layer.digest) == nil, "the corrupt blob was not stored")
        #expect(rig.openUploads(inDest: repository).isEmpty, "the upload session was cancelled")
    }

    @Test func droppedDownloadResumesAndSucceeds() async throws {
        let faulty = rig.registries["faulty-source"]!
        let source = try Reference(parsing: "\(faulty)/demo/large:1.0")
        let layer = try #require(try await client().manifest(try Reference(parsing: rig.ref("large"))).image?.layers.first)
        let destination = try Reference(parsing: "\(rig.dest)/\(unique("dropped/large")):1.0")
        let rules = #"[{"method":"GET","path":"/blobs/\#(layer.digest)","action":"drop","times":1}]"#
        let result = try await FaultProxies.shared.with(faulty, rules: rules) {
            try await copy(from: source, to: destination)
        }
        #expect(result.digest.description == rig.digest("large"))
        #expect(Digest.of(try await skopeoRaw(destination.description)).description == rig.digest("large"))
        #expect(try await !rig.resumedDownloads(of: layer.digest.description, through: faulty).isEmpty, "resumed with Range")
    }

    @Test func cancellingAbandonsUploadsAndWritesNoTag() async throws {
        let faulty = rig.registries["faulty-source"]!
        let source = try Reference(parsing: "\(faulty)/demo/large:1.0")
        let layer = try #require(try await client().manifest(try Reference(parsing: rig.ref("large"))).image?.layers.first)
        let repository = unique("cancelled/large")
        let destination = try Reference(parsing: "\(rig.dest)/\(repository):1.0")
        let rules = #"[{"method":"GET","path":"/blobs/\#(layer.digest)","action":"stall","after":65536,"seconds":20,"times":1}]"#
        try await FaultProxies.shared.with(faulty, rules: rules) {
            let logged = try await rig.log(of: faulty).count
            let client = try client()
            let task = Task { try await copy(from: source, to: destination, client: client) }
            try await rig.awaitStall(at: faulty, path: layer.digest.description, after: logged)
            task.cancel()
            let outcome = await task.result
            guard case .failure(let error) = outcome, case RegistryError.cancelled = error else {
                Issue.record("expected cancellation, got \(outcome)")
                return
            }
        }
        #expect(try await client().manifestDescriptor(destination) == nil)
        #expect(rig.openUploads(inDest: repository).isEmpty)
    }
}
