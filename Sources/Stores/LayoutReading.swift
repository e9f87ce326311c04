import Foundation
import OCI
import Registry

/// What a layout on disk and one in an archive have in common: an `index.json` and blobs by
/// digest. Everything above the bytes (tags, manifests, referrers, checks) is written once here.
protocol LayoutBacked: ImageStore {
    /// The layout's index as it is now.
    func index() async throws(RegistryError) -> LayoutIndex
    /// A blob's bytes as stored, at most `limit` of them (not yet checked against the digest).
    func storedBlob(_ digest: Digest, limit: Int) async throws(RegistryError) -> Data
    /// Whether the layout or archive is there yet (a copy's destination may not be).
    var exists: Bool { get }
}

extension LayoutBacked {
    func entry(_ id: ManifestID) async throws(RegistryError) -> Descriptor? {
        try await index().entry(id, in: location.name)
    }

    public func manifest(_ id: ManifestID) async throws(RegistryError) -> Manifest {
        let (bytes, declared) = try await manifestBytes(id)
        do { return try Manifest(bytes: bytes, declaredType: declared) } catch {
            throw .badResponse(what: "manifest \(id) in \(location.name)", reason: error.description)
        }
    }

    public func rawManifest(_ id: ManifestID) async throws(RegistryError) -> Data { try await manifestBytes(id).0 }

    /// A manifest's bytes, checked against its digest, and the type the index declares for it.
    private func manifestBytes(_ id: ManifestID) async throws(RegistryError) -> (Data, MediaType?) {
        let listed = try await entry(id)
        guard let digest = listed?.digest ?? { if case .digest(let digest) = id { return digest } else { return nil } }() else {
            throw .notFound(what: "\(id) in \(location.name)\(try await tagHint())", details: [])
        }
        let bytes = try await blobData(digest, limit: Manifest.maxSize)
        return (bytes, listed?.mediaType.rawValue.isEmpty == false ? listed?.mediaType : nil)
    }

    private func tagHint() async throws(RegistryError) -> String {
        let tags = try await index().tags
        return tags.isEmpty ? " (it has no tags)" : " (its tags: \(tags.prefix(10).joined(separator: ", "))\(tags.count > 10 ? ", …" : ""))"
    }

    public func describe(_ id: ManifestID) async throws(RegistryError) -> Descriptor? {
        guard exists else { return nil }
        if let listed = try await entry(id) { return listed }
        guard case .digest(let digest) = id, let size = try await blobSize(digest) else { return nil }
        return Descriptor(mediaType: MediaType(""), digest: digest, size: size)
    }

    public func tags() async throws(RegistryError) -> NameList { NameList(names: try await index().tags) }

    /// The manifests the index lists whose `subject` is `digest`: a layout keeps its referrers
    /// in its index.
    public func referrers(of digest: Digest) async throws(RegistryError) -> [Descriptor] {
        let listed = try await index().manifests.filter { $0.digest != digest && ($0.mediaType.isManifest || $0.mediaType.rawValue.isEmpty) }
        guard listed.count <= Limits.indexChildren else {
            throw .tooLarge(what: location.name, reason: "its index lists \(listed.count) manifests, more than the \(Limits.indexChildren) regtui reads for referrers")
        }
        var found: [Descriptor] = []
        for entry in listed {
            let manifest = try await manifest(.digest(entry.digest))
            if manifest.subject?.digest == digest { found.append(Descriptor.listing(manifest)) }
        }
        return found
    }

    public func blobData(_ digest: Digest, limit: Int) async throws(RegistryError) -> Data {
        let bytes = try await storedBlob(digest, limit: limit)
        let actual = Digest.of(bytes, algorithm: digest.algorithm)
        guard actual == digest else {
            throw .digestMismatch(what: "blob \(digest) in \(location.name)", expected: digest, actual: actual)
        }
        return bytes
    }
}

extension Digest {
    /// Where a layout keeps this blob: `blobs/ALGORITHM/HEX`.
    var layoutPath: String { "blobs/\(algorithm.rawValue)/\(hex)" }
}
