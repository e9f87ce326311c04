import Foundation
import OCI
import Registry
import Stores
import TestSupport
import Testing

/// The registry client against real docker-registry instances from the test rig.
@Suite struct RegistryIntegrationTests {
    let rig: Rig

    init() async throws { rig = try await Rig.shared() }

    /// A client whose credential files are in an empty folder unless `credentials` says otherwise.
    func client(credential: Credential? = nil, caFiles: [String] = [], insecure: Bool = false,
                environment: [String: String] = [:]) throws -> RegistryClient {
        let home = NSTemporaryDirectory() + "regtui-home-\(UUID().uuidString)"
        let store = CredentialStore(environment: ["HOME": home, "DOCKER_CONFIG": home + "/docker", "PATH": "/usr/bin:/bin"]
                                        .merging(environment) { $1 })
        return RegistryClient(options: ClientOptions(trust: try TrustPolicy(insecure: insecure, caFiles: caFiles, certsDirectories: []),
                                                     credentials: store, credentialOverride: credential))
    }

    /// The repository of `reference` as a store, read through `client`.
    func store(_ reference: Reference, client: RegistryClient) -> RegistryStore {
        RegistryStore(client: client, repository: reference.with(tag: nil))
    }

    @Test func catalogFollowsCappedPagesToTheEnd() async throws {
        let names = try await client().catalog(rig.source).names
        let expected = (0..<40).map { String(format: "many/repo-%02d", $0) }
        #expect(Set(expected).isSubset(of: Set(names)))
        #expect(names.contains("demo/multiarch") && names.contains("tags/many"))
        #expect(Set(names).count == names.count, "no repository listed twice")
        // The cap is 7: the first page must not be everything.
        let first = try await client().catalogPage(rig.source)
        #expect(first.items.count == 7)
        #expect(first.next != nil)
    }

    @Test func listsTags() async throws {
        let tags = try await client().tags(try Reference(parsingRepository: "\(rig.source)/tags/many")).names
        let expected = rig.fixtures["tags"]?["tags"]?.array?.compactMap(\.string) ?? []
        #expect(Set(tags) == Set(expected))
        #expect(expected.count == 15)
    }

    @Test(arguments: ["multiarch", "dockerlist", "single", "odd", "large"])
    func manifestBytesHashToWhatSkopeoSees(fixture: String) async throws {
        let reference = try Reference(parsing: rig.ref(fixture))
        let manifest = try await client().manifest(reference)
        let independent = try await skopeoRaw(rig.ref(fixture))
        #expect(manifest.bytes == independent)
        #expect(manifest.digest.description == rig.digest(fixture))
        #expect(try await client().resolveDigest(reference).description == rig.digest(fixture))
    }

    @Test func dockerManifestListKeepsItsTypeAndChildren() async throws {
        let manifest = try await client().manifest(try Reference(parsing: rig.ref("dockerlist")))
        #expect(manifest.mediaType == .dockerManifestList)
        let list = try Reference(parsing: rig.ref("dockerlist"))
        let (child, _) = try await store(list, client: client()).manifest(ImageRef(list).manifestID, platform: try Platform(parsing: "linux/arm64"))
        #expect(child.mediaType == .dockerManifest)
        #expect(child.digest.description == rig.fixtures["dockerlist"]?["children"]?[1]?["digest"]?.string)
    }

    @Test func digestReferenceIsVerified() async throws {
        let single = try Reference(parsing: rig.ref("single"))
        let pinned = single.with(tag: nil, digest: try Digest(parsing: rig.digest("single")))
        #expect(try await client().manifest(pinned).digest.description == rig.digest("single"))
        let wrong = single.with(tag: nil, digest: Digest.of(Data("nothing".utf8)))
        await #expect { _ = try await client().manifest(wrong) } throws: { "\($0)".contains("not found") }
    }

    @Test func missingThingsAreNotFound() async throws {
        await #expect { _ = try await client().manifest(try Reference(parsing: "\(rig.source)/demo/single:nope")) } throws: { error in
            guard case RegistryError.notFound = error else { return false }
            return "\(error)".contains("MANIFEST_UNKNOWN")
        }
        #expect(try await client().manifestDescriptor(try Reference(parsing: "\(rig.source)/demo/single:nope")) == nil)
    }

    @Test func readsBlobsAndChecksThem() async throws {
        let reference = try Reference(parsing: rig.ref("single"))
        let (config, descriptor) = try await store(reference, client: client()).imageConfig(ImageRef(reference).manifestID, platform: nil)
        #expect(Digest.of(config).description == rig.fixtures["single"]?["config"]?.string)
        #expect(try await client().blobSize(reference, digest: descriptor.digest) == Int64(config.count))
        #expect(try await client().blobSize(reference, digest: Digest.of(Data("absent".utf8))) == nil)
    }

    @Test func findsReferrersThroughTheFallbackTag() async throws {
        let reference = try Reference(parsing: rig.ref("single"))
        let referrers = try await client().referrers(reference, of: try Digest(parsing: rig.digest("single")))
        #expect(referrers.map(\.digest.description) == [rig.digest("artifact")])
        #expect(referrers.first?.artifactType == "application/vnd.example.sbom.v1+json")
    }

    @Test func inspectReportsEveryPlatformsConfig() async throws {
        let multiarch = try Reference(parsing: rig.ref("multiarch"))
        let inspection = try await store(multiarch, client: client()).inspect(ImageRef(multiarch).manifestID, platform: nil)
        let expected = rig.fixtures["multiarch"]?["children"]?.array?.compactMap { $0["config"]?.string } ?? []
        #expect(inspection.children.compactMap { $0.configDigest?.description } == expected)
        #expect(inspection.children.map { $0.descriptor.platform?.description ?? "" } == ["linux/amd64", "linux/arm64/v8", "linux/arm/v7"])
    }

    // MARK: Authentication

    @Test func basicAuthNeedsCredentials() async throws {
        let reference = try Reference(parsing: rig.ref("single", on: rig.registries["basic"]))
        await #expect { _ = try await client().manifest(reference) } throws: { error in
            guard case RegistryError.authenticationRequired = error else { return false }
            return "\(error)".contains("regtui login")
        }
        let good = Credential(username: rig.user, secret: rig.password)
        #expect(try await client(credential: good).manifest(reference).digest.description == rig.digest("single"))
        let bad = Credential(username: rig.user, secret: "wrong-password-123")
        await #expect { _ = try await client(credential: bad).manifest(reference) } throws: { error in
            !"\(error)".contains("wrong-password-123") && "\(error)".contains("denied")
        }
    }

    @Test func basicAuthFromDockerConfig() async throws {
        let home = NSTemporaryDirectory() + "regtui-dc-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let auth = Data("\(rig.user):\(rig.password)".utf8).base64EncodedString()
        try #"{"auths":{"\#(rig.registries["basic"]!)":{"auth":"\#(auth)"}}}"#.write(toFile: home + "/config.json", atomically: true, encoding: .utf8)
        let tags = try await client(environment: ["DOCKER_CONFIG": home]).tags(try Reference(parsingRepository: "\(rig.registries["basic"]!)/tags/many")).names
        #expect(tags.count == 15)
    }

    @Test func tokenAuthWithPasswordAndWithIdentityToken() async throws {
        let token = rig.registries["token"]!
        let reference = try Reference(parsing: rig.ref("multiarch", on: token))
        await #expect(throws: RegistryError.self) { _ = try await client().manifest(reference) }
        let withPassword = try client(credential: Credential(username: rig.user, secret: rig.password))
        #expect(try await withPassword.manifest(reference).digest.description == rig.digest("multiarch"))
        #expect(try await withPassword.catalog(token).names.contains("demo/multiarch"))
        let withIdentity = try client(credential: Credential(username: "", secret: rig.refreshToken, isIdentityToken: true))
        #expect(try await withIdentity.resolveDigest(reference).description == rig.digest("multiarch"))
    }

    @Test func redirectedBlobGetsNeverCarryAuthorizationToTheOtherHost() async throws {
        let redirect = rig.registries["redirect"]!
        let reference = try Reference(parsing: rig.ref("single", on: redirect))
        let client = try client(credential: Credential(username: rig.user, secret: rig.password))
        let (config, descriptor) = try await store(reference, client: client).imageConfig(ImageRef(reference).manifestID, platform: nil)
        #expect(Digest.of(config) == descriptor.digest)
        let seen = try await runProcess(["curl", "-s", "http://\(rig.blobHost)/seen"])
        let requests = JSONValue.parse(seen.stdout)?.array ?? []
        let ours = requests.filter { $0["path"]?.string?.contains(descriptor.digest.hex) == true }
        #expect(!ours.isEmpty, "the blob was fetched from the redirect target")
        #expect(ours.allSatisfy { $0["authorization"] == .bool(false) })
    }

    // MARK: TLS

    @Test func selfSignedRegistryIsRefusedUntilItsCAIsTrusted() async throws {
        let tls = rig.registries["tls"]!
        let reference = try Reference(parsing: rig.ref("single", on: tls))
        await #expect { _ = try await client().manifest(reference) } throws: { error in
            guard case RegistryError.untrusted = error else { return false }
            return "\(error)".contains("--ca-file")
        }
        #expect(try await client(caFiles: [rig.caFile]).manifest(reference).digest.description == rig.digest("single"))
        #expect(try await client(insecure: true).manifest(reference).digest.description == rig.digest("single"))
    }

    @Test func certsDirectoryAddsTrustPerHost() async throws {
        let tls = rig.registries["tls"]!
        let directory = NSTemporaryDirectory() + "regtui-certs-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: "\(directory)/\(tls)", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: rig.caFile, toPath: "\(directory)/\(tls)/ca.crt")
        let client = RegistryClient(options: ClientOptions(trust: try TrustPolicy(certsDirectories: [directory])))
        #expect(try await client.resolveDigest(try Reference(parsing: rig.ref("single", on: tls))).description == rig.digest("single"))
    }

    @Test func unreachableRegistrySaysSo() async throws {
        await #expect { _ = try await client().catalog("127.0.0.1:1") } throws: { error in
            guard case RegistryError.unreachable = error else { return false }
            return "\(error)".contains("127.0.0.1:1")
        }
    }
}
