import Foundation
import OCI
import Registry

/// One repository of a registry, through the distribution API.
public final class RegistryStore: ImageStore {
    public let client: RegistryClient
    /// The repository (no tag).
    public let repository: Reference
    public var location: ImageRef { ImageRef(repository) }

    /// Attempts to resume a dropped download before the blob is started over.
    static let resumeAttempts = 3

    public init(client: RegistryClient, repository: Reference) {
        self.client = client
        self.repository = repository.with(tag: nil)
    }

    private func reference(_ id: ManifestID) -> Reference {
        switch id {
        case .tag(let tag): repository.with(tag: tag)
        case .digest(let digest): repository.with(tag: nil, digest: digest)
        case .only: repository.with(tag: Reference.defaultTag)
        }
    }

    // MARK: Reading

    public func manifest(_ id: ManifestID) async throws(RegistryError) -> Manifest { try await client.manifest(reference(id)) }
    public func rawManifest(_ id: ManifestID) async throws(RegistryError) -> Data { try await client.rawManifest(reference(id)) }
    public func describe(_ id: ManifestID) async throws(RegistryError) -> Descriptor? {
        guard let found = try await client.manifestDescriptor(reference(id)) else { return nil }
        // Asked by digest, the digest is the one asked for, whatever a header says.
        if case .digest(let digest) = id { return Descriptor(mediaType: found.mediaType, digest: digest, size: found.size) }
        return found
    }
    public func tags() async throws(RegistryError) -> NameList { try await client.tags(repository) }
    public func referrers(of digest: Digest) async throws(RegistryError) -> [Descriptor] { try await client.referrers(repository, of: digest) }
    public func blobData(_ digest: Digest, limit: Int) async throws(RegistryError) -> Data {
        try await client.blobData(repository, digest: digest, limit: limit)
    }

    /// Streams the blob into `pipe`, resuming a dropped download with `Range` when the registry
    /// answers 206 from the right offset, and starting over (dropping what the pipe has) on a 200.
    public func readBlob(_ blob: Descriptor, into pipe: BytePipe) async throws(RegistryError) {
        var attempt = 1
        while true {
            let offset = pipe.received
            do throws(RegistryError) {
                let head = try await client.fetchBlob(repository, digest: blob.digest, offset: offset, into: pipe) { head in
                    guard offset > 0 else { return }
                    if head.status == 200 {
                        pipe.restartDownload()
                    } else if !(head.headers["Content-Range"] ?? "").hasPrefix("bytes \(offset)-") {
                        pipe.fail(RegistryError.badResponse(what: "blob \(blob.digest)",
                                                            reason: "the registry resumed at another offset than \(offset)"))
                    }
                }
                if head.status == 416 && pipe.received != blob.size {
                    throw RegistryError.badResponse(what: "blob \(blob.digest)", reason: "the registry refused to resume at byte \(offset)")
                }
                return
            } catch {
                guard attempt < Self.resumeAttempts, case .transport(_, let cause) = error,
                      [.interrupted, .timeout, .connect].contains(cause.kind) else { throw error }
                attempt += 1
                do { try await Task.sleep(for: .milliseconds(200 * attempt)) } catch { throw .cancelled }
            }
        }
    }

    // MARK: Writing

    public var holdsRegistryManifests: Bool { true }
    public var parallelWrites: Int { .max }

    public func blobSize(_ digest: Digest) async throws(RegistryError) -> Int64? { try await client.blobSize(repository, digest: digest) }
    public func mayHaveContent() async throws(RegistryError) -> Bool { try await client.repositoryExists(repository) }
    /// The session is opened while the bytes are read; the bytes go in one `PUT`. (A `POST
    /// ?digest=` with the bytes is optional in the spec and distribution ignores it, which would
    /// send them twice.) A failure on either side closes the session.
    public func putBlob(_ blob: Descriptor, reading: () async throws(RegistryError) -> Data) async throws(RegistryError) {
        async let opening = openSession()
        let bytes: Data
        do throws(RegistryError) { bytes = try await reading() } catch {
            if case .success(let session) = await opening { await client.cancelUpload(repository, session: session) }
            throw error
        }
        let session = try await opening.get()
        do {
            try await client.finishUpload(repository, session: session, digest: blob.digest, body: .bytes(bytes))
        } catch {
            await client.cancelUpload(repository, session: session)
            throw error
        }
    }

    private func openSession() async -> Result<UploadSession, RegistryError> {
        do throws(RegistryError) { return .success(try await client.openUpload(repository)) } catch { return .failure(error) }
    }

    /// Links `digest` from another repository of the same registry; false (with nothing left
    /// open) when the registry would rather have it uploaded.
    public func mount(_ digest: Digest, from source: RegistryStore) async throws(RegistryError) -> Bool {
        switch try await client.startUpload(repository, mount: digest, from: source.repository) {
        case .mounted:
            return true
        case .upload(let session):
            await client.cancelUpload(repository, session: session)
            return false
        }
    }

    /// One streamed `PATCH` drains the pipe; once the pipe has verified the digest,
    /// `PUT ?digest=` commits it. When the pipe fails, its body ends cleanly and the session is
    /// deleted, so no partial upload is left open.
    public func writeBlob(_ blob: Descriptor, from pipe: BytePipe) async throws(RegistryError) {
        let session = try await client.openUpload(repository)
        let after: UploadSession
        do {
            after = try await client.uploadChunk(repository, session: session, offset: 0, length: nil,
                                                 body: .stream(pipe, length: nil), digest: blob.digest)
        } catch {
            pipe.fail(error)
            await client.cancelUpload(repository, session: session)
            throw error
        }
        if let failure = pipe.failed {
            await client.cancelUpload(repository, session: after)
            throw RegistryError(bridging: failure)
        }
        do throws(RegistryError) {
            try await client.finishUpload(repository, session: after, digest: blob.digest, body: .none)
        } catch {
            await client.cancelUpload(repository, session: after)
            throw error
        }
    }

    public func putManifest(_ manifest: Manifest, as placement: Placement) async throws(RegistryError) {
        if case .root(let tag?) = placement {
            try await client.putManifest(manifest, to: repository.with(tag: tag))
        } else {
            try await client.putManifest(manifest, to: repository.with(tag: nil, digest: manifest.digest))
        }
    }

    /// Keeps the `sha256-HEX` fallback tag index listing `referrers` of `subject` when the
    /// registry lacks the referrers API. The source's own fallback index (`sourceIndex`) is taken
    /// as it is when it lists exactly these, so its digest is kept too.
    public func indexReferrers(_ referrers: [Descriptor], of subject: Digest, sourceIndex: Manifest?) async throws(RegistryError) {
        if try await client.hasReferrersAPI(repository, probe: subject) { return }
        let tag = RegistryClient.referrersTag(for: subject)
        var existing: Manifest?
        do { existing = try await client.manifest(repository.with(tag: tag)) } catch {
            guard case .notFound = error else { throw error }
        }
        let listed = Set(existing?.index?.manifests.map(\.digest) ?? [])
        let missing = referrers.filter { !listed.contains($0.digest) }
        guard !missing.isEmpty else { return }
        let index: Manifest
        if existing == nil, let sourceIndex, Set(sourceIndex.index?.manifests.map(\.digest) ?? []) == Set(referrers.map(\.digest)) {
            index = sourceIndex
        } else {
            index = try Self.index(of: (existing?.index?.manifests ?? []) + missing, what: "referrers index for \(subject)")
        }
        try await client.putManifest(index, to: repository.with(tag: tag))
    }

    /// This repository's fallback tag index of `subject`'s referrers, if it has one.
    public func referrersIndex(of subject: Digest) async -> Manifest? {
        try? await client.manifest(repository.with(tag: RegistryClient.referrersTag(for: subject)))
    }

    /// A new OCI index listing `manifests`.
    static func index(of manifests: [Descriptor], what: String) throws(RegistryError) -> Manifest {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        do { return try Manifest(bytes: try encoder.encode(ImageIndex(manifests: manifests)), declaredType: .ociIndex) } catch {
            throw .badResponse(what: what, reason: "\(error)")
        }
    }

    public func commit() async throws(RegistryError) {}
    public func discard() async {}
}
