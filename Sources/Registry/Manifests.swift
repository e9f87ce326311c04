import Foundation
import OCI

extension RegistryClient {
    /// The `Accept` value listing every manifest type, so registries never down-convert.
    static let manifestAccept = MediaType.acceptedManifestTypes.map(\.rawValue).joined(separator: ", ")

    /// Fetches a manifest or index exactly as served, and parses it. The digest of the bytes is
    /// checked against the reference's digest and the registry's `Docker-Content-Digest`.
    public func manifest(_ reference: Reference) async throws(RegistryError) -> Manifest {
        let fetched = try await manifestBytes(reference)
        let manifest: Manifest
        do {
            manifest = try Manifest(bytes: fetched.bytes, declaredType: fetched.declaredType)
        } catch {
            throw .badResponse(what: "manifest \(reference)", reason: error.description)
        }
        if !manifest.mediaType.isSchema1 { try fetched.checkDeclaredDigest() }
        return manifest
    }

    /// A manifest's bytes exactly as served, checked against the reference's digest and the
    /// registry's `Docker-Content-Digest` but not interpreted: `regtui manifest` prints what a
    /// registry holds even when regtui would refuse to read it.
    public func rawManifest(_ reference: Reference) async throws(RegistryError) -> Data {
        let fetched = try await manifestBytes(reference)
        if fetched.declaredType?.isSchema1 != true { try fetched.checkDeclaredDigest() }
        return fetched.bytes
    }

    /// What a manifest GET gave, before anything reads it.
    struct FetchedManifest {
        var what: String
        var bytes: Data
        var digest: Digest
        var declaredType: MediaType?
        var declaredDigest: Digest?

        func checkDeclaredDigest() throws(RegistryError) {
            if let declaredDigest, declaredDigest != digest {
                throw .digestMismatch(what: "\(what) (Docker-Content-Digest)", expected: declaredDigest, actual: digest)
            }
        }
    }

    private func manifestBytes(_ reference: Reference) async throws(RegistryError) -> FetchedManifest {
        let what = "manifest \(reference)"
        let response: HTTPResponse
        do {
            response = try await send(reference.registry, "GET", manifestPath(reference),
                                      headers: ["Accept": Self.manifestAccept], scopes: [Self.pullScope(reference)],
                                      maxBufferedBody: Manifest.maxSize, what: what)
        } catch {
            if case .tooLarge = error { throw .manifestTooLarge(what: what, limit: Manifest.maxSize) }
            throw error
        }
        guard response.status == 200 else { throw failure(response, registry: reference.registry, what: what) }
        if let length = response.headers["Content-Length"].flatMap(Int.init), length != response.body.count {
            throw .sizeMismatch(what: what, expected: Int64(length), actual: Int64(response.body.count))
        }
        let digest = Digest.of(response.body)
        if let wanted = reference.digest {
            let actual = wanted.algorithm == .sha256 ? digest : Digest.of(response.body, algorithm: wanted.algorithm)
            if actual != wanted { throw .digestMismatch(what: what, expected: wanted, actual: actual) }
        }
        let declared = response.headers["Docker-Content-Digest"].flatMap { try? Digest(parsing: $0) }
        return FetchedManifest(what: what, bytes: response.body, digest: digest, declaredType: Self.contentType(response.head),
                               declaredDigest: declared?.algorithm == .sha256 ? declared : nil)
    }

    /// What the registry says about a manifest without fetching it (`HEAD`): nil when absent.
    public func manifestDescriptor(_ reference: Reference) async throws(RegistryError) -> Descriptor? {
        let what = "manifest \(reference)"
        let response = try await send(reference.registry, "HEAD", manifestPath(reference),
                                      headers: ["Accept": Self.manifestAccept], scopes: [Self.pullScope(reference)], what: what)
        if response.status == 404 { return nil }
        guard response.status == 200 else { throw failure(response, registry: reference.registry, what: what) }
        guard let digest = response.headers["Docker-Content-Digest"].flatMap({ try? Digest(parsing: $0) }) ?? reference.digest else {
            throw .badResponse(what: what, reason: "HEAD gave no Docker-Content-Digest; fetch the manifest instead")
        }
        let size = response.headers["Content-Length"].flatMap(Int64.init) ?? -1
        return Descriptor(mediaType: Self.contentType(response.head) ?? MediaType(""), digest: digest, size: size)
    }

    /// The digest a reference resolves to: `HEAD`, falling back to `GET` when the registry does
    /// not say. For a digest reference it is checked, not assumed.
    public func resolveDigest(_ reference: Reference) async throws(RegistryError) -> Digest {
        if reference.digest == nil, let descriptor = try await manifestDescriptor(reference) { return descriptor.digest }
        return try await manifest(reference).digest
    }

    /// Pushes `manifest`'s exact bytes under `reference`'s tag (or its digest when untagged).
    /// Returns the digest the registry stored, which is checked against the bytes.
    @discardableResult
    public func putManifest(_ manifest: Manifest, to reference: Reference) async throws(RegistryError) -> Digest {
        let target = reference.tag.map { reference.with(tag: $0) } ?? reference.with(tag: nil, digest: manifest.digest)
        let what = "manifest \(target)"
        let response = try await send(reference.registry, "PUT", manifestPath(target),
                                      headers: ["Content-Type": manifest.mediaType.rawValue],
                                      body: .bytes(manifest.bytes), scopes: [Self.pushScope(reference)], what: what)
        guard response.status == 201 || response.status == 200 else {
            throw failure(response, registry: reference.registry, what: what)
        }
        if let header = response.headers["Docker-Content-Digest"], let stored = try? Digest(parsing: header),
           stored.algorithm == .sha256, stored != manifest.digest {
            throw .digestMismatch(what: "\(what) as stored by the registry", expected: manifest.digest, actual: stored)
        }
        return manifest.digest
    }

    /// The manifests that declare `digest` as their `subject`: the OCI referrers API when the
    /// registry has it, else the `sha256-HEX` fallback tag's index.
    public func referrers(_ repository: Reference, of digest: Digest) async throws(RegistryError) -> [Descriptor] {
        let what = "referrers of \(repository.name)@\(digest)"
        let response = try await send(repository.registry, "GET", "/v2/\(repository.repository)/referrers/\(digest)",
                                      headers: ["Accept": MediaType.ociIndex.rawValue], scopes: [Self.pullScope(repository)],
                                      maxBufferedBody: Manifest.maxSize, what: what)
        if response.status == 200, (response.headers["Content-Type"] ?? "").hasPrefix(MediaType.ociIndex.rawValue),
           let index = try? Manifest(bytes: response.body).index {
            return index.manifests
        }
        guard response.status == 404 || response.status == 200 || response.status == 400 else {
            throw failure(response, registry: repository.registry, what: what)
        }
        do {
            return try await manifest(repository.with(tag: Self.referrersTag(for: digest))).index?.manifests ?? []
        } catch {
            if case .notFound = error { return [] }
            throw error
        }
    }

    /// Whether the registry implements the OCI referrers API (and so indexes referrers itself).
    public func hasReferrersAPI(_ repository: Reference, probe digest: Digest) async throws(RegistryError) -> Bool {
        let response = try await send(repository.registry, "GET", "/v2/\(repository.repository)/referrers/\(digest)",
                                      headers: ["Accept": MediaType.ociIndex.rawValue], scopes: [Self.pullScope(repository)],
                                      maxBufferedBody: Manifest.maxSize, what: "referrers API of \(repository.name)")
        return response.status == 200 && Self.contentType(response.head) == .ociIndex
    }

    /// The fallback tag that holds the referrers index of `digest`: `sha256-<hex>`.
    public static func referrersTag(for digest: Digest) -> String { "\(digest.algorithm.rawValue)-\(digest.hex)" }

    /// The media type of a response, without parameters such as `charset`.
    static func contentType(_ head: HTTPResponseHead) -> MediaType? {
        guard let value = head.headers["Content-Type"], let type = value.split(separator: ";").first else { return nil }
        return MediaType(type.trimmingCharacters(in: .whitespaces))
    }

    func manifestPath(_ reference: Reference) -> String {
        "/v2/\(reference.repository)/manifests/\(reference.identifier)"
    }
}
