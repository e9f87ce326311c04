import Foundation
import OCI

/// Everything `inspect` shows about a reference, fetched in as few requests as it takes.
public struct Inspection: Sendable {
    /// The reference as resolved (with digest).
    public var reference: Reference
    public var manifest: Manifest
    /// For an image: its config blob's descriptor and parsed fields.
    public var config: Descriptor?
    public var configFields: ImageConfig?
    /// For an index: one entry per child, with the child's own config digest and layer totals.
    public var children: [Child]

    public struct Child: Sendable {
        public var descriptor: Descriptor
        public var configDigest: Digest?
        public var layerCount: Int
        public var layerBytes: Int64
    }
}

extension RegistryClient {
    /// The manifest `reference` names; when it is an index and `platform` is given, the child
    /// manifest for that platform instead. Returns the manifest and the reference it came from.
    public func manifest(_ reference: Reference, platform: Platform?) async throws(RegistryError) -> (Manifest, Reference) {
        let top = try await manifest(reference)
        guard let platform, let index = top.index else { return (top, reference.with(tag: reference.tag, digest: top.digest)) }
        let child = reference.with(tag: nil, digest: try Self.child(of: index, for: platform, in: "\(reference)").digest)
        return (try await manifest(child), child)
    }

    /// The entry an index lists for `platform`, as a container engine would pick it; a clear
    /// error naming what the index (`what`) offers when it lists none.
    public static func child(of index: ImageIndex, for platform: Platform, in what: String) throws(RegistryError) -> Descriptor {
        guard let child = index.descriptor(for: platform) else {
            throw .notFound(what: "platform \(platform) in \(what) (it offers: \(index.offered))", details: [])
        }
        return child
    }

    /// The image config of an image manifest, or of the host's platform (else the first) in an index.
    public func imageConfig(_ reference: Reference, platform: Platform?) async throws(RegistryError) -> (Data, Descriptor) {
        var (manifest, resolved) = try await self.manifest(reference, platform: platform)
        if let index = manifest.index {
            guard let child = index.descriptor(for: .host) ?? index.manifests.first else {
                throw .notFound(what: "any image in the index \(reference)", details: [])
            }
            resolved = reference.with(tag: nil, digest: child.digest)
            manifest = try await self.manifest(resolved)
        }
        guard let image = manifest.image else {
            throw .badResponse(what: "\(reference)", reason: "a \(manifest.mediaType.friendlyName) has no config")
        }
        return (try await blobData(resolved, digest: image.config.digest), image.config)
    }

    /// Fetches what `inspect` shows: the manifest, and the config (for an image) or every child's
    /// manifest (for an index: each distinct child once, a few at a time).
    public func inspect(_ reference: Reference, platform: Platform?) async throws(RegistryError) -> Inspection {
        let (manifest, resolved) = try await self.manifest(reference, platform: platform)
        var inspection = Inspection(reference: resolved.with(tag: reference.tag, digest: manifest.digest),
                                    manifest: manifest, children: [])
        if let image = manifest.image {
            inspection.config = image.config
            if image.config.mediaType == .ociConfig || image.config.mediaType == .dockerConfig {
                inspection.configFields = try await imageConfig(resolved, descriptor: image.config)
            }
        } else if let index = manifest.index {
            let children = try await children(of: index, in: reference)
            inspection.children = try index.manifests.map { (descriptor) throws(RegistryError) in
                let image = children[descriptor.digest]?.image
                let bytes: Int64
                do throws(OCIError) { bytes = try Descriptor.totalSize(image?.layers ?? [], in: "the layers of \(descriptor.digest)") } catch {
                    throw .badResponse(what: "\(reference)", reason: error.description)
                }
                return Inspection.Child(descriptor: descriptor, configDigest: image?.config.digest,
                                        layerCount: image?.layers.count ?? 0, layerBytes: bytes)
            }
        }
        return inspection
    }

    /// The child manifests an index lists, each distinct digest fetched once, at most
    /// `Limits.childFetches` at a time; keyed by digest. Entries that are not manifests (blobs an
    /// artifact index lists) are left out.
    public func children(of index: ImageIndex, in reference: Reference) async throws(RegistryError) -> [Digest: Manifest] {
        var seen = Set<Digest>()
        let distinct = index.manifests.filter { ($0.mediaType.isManifest || $0.mediaType.rawValue.isEmpty) && seen.insert($0.digest).inserted }
        guard distinct.count <= Limits.indexChildren else {
            throw .tooLarge(what: "index \(reference)", reason: "it lists \(distinct.count) distinct manifests, more than the \(Limits.indexChildren) regtui follows")
        }
        let fetched = try await concurrentMap(distinct, limit: Limits.childFetches) { (descriptor) throws(RegistryError) in
            try await self.manifest(reference.with(tag: nil, digest: descriptor.digest))
        }
        return Dictionary(fetched.map { ($0.digest, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The image config blob of an image, checked against its digest and read.
    func imageConfig(_ reference: Reference, descriptor: Descriptor) async throws(RegistryError) -> ImageConfig {
        let bytes = try await blobData(reference, digest: descriptor.digest)
        do { return try ImageConfig(parsing: bytes) } catch {
            throw .badResponse(what: "config \(descriptor.digest) of \(reference)", reason: error.description)
        }
    }
}

extension RegistryClient {
    /// The manifest `reference` names with what lies below it: an image's config blob, an
    /// index's children (each with its config), each distinct child fetched once and a few at a
    /// time. Configs over 4 MiB and non-image configs (artifacts) are left out.
    public func tree(_ reference: Reference, displayName: String? = nil) async throws(RegistryError) -> ImageTree {
        let manifest = try await self.manifest(reference)
        return try await tree(of: manifest, at: reference, displayName: displayName ?? reference.description, depth: 0)
    }

    private func tree(of manifest: Manifest, at reference: Reference, displayName: String, depth: Int) async throws(RegistryError) -> ImageTree {
        var tree = ImageTree(reference: displayName, manifest: manifest)
        if let image = manifest.image, image.config.size <= Manifest.maxSize,
           image.config.mediaType == .ociConfig || image.config.mediaType == .dockerConfig {
            let bytes = try await blobData(reference, digest: image.config.digest)
            do { _ = try ImageConfig(parsing: bytes) } catch {
                throw .badResponse(what: "config \(image.config.digest) of \(reference)", reason: error.description)
            }
            tree.config = bytes
        } else if let index = manifest.index {
            guard depth < Limits.indexDepth else {
                throw .tooLarge(what: "index \(reference)", reason: "indexes nest more than \(Limits.indexDepth) levels deep")
            }
            let children = try await children(of: index, in: reference)
            let subtrees = try await concurrentMap(Array(children.values), limit: Limits.childFetches) { (child) throws(RegistryError) in
                let childReference = reference.with(tag: nil, digest: child.digest)
                return try await self.tree(of: child, at: childReference, displayName: childReference.description, depth: depth + 1)
            }
            let byDigest = Dictionary(subtrees.map { ($0.manifest.digest, $0) }, uniquingKeysWith: { first, _ in first })
            tree.children = index.manifests.compactMap { byDigest[$0.digest] }
        }
        return tree
    }
}
