import Foundation
import OCI
import Registry

/// Opens the store a reference names.
public enum Stores {
    /// The store `reference` is in (its tag and digest are not part of the store); registries
    /// go through `client`.
    public static func open(_ reference: ImageRef, client: RegistryClient) -> any ImageStore {
        switch reference.kind {
        case .registry: RegistryStore(client: client, repository: reference.registryReference!.with(tag: nil))
        case .ociLayout: LayoutStore(path: reference.location)
        case .ociArchive: OCIArchiveStore(path: reference.location)
        case .dockerArchive: DockerArchiveStore(path: reference.location)
        }
    }
}

/// Everything `inspect` shows about a reference, fetched in as few reads as it takes.
public struct Inspection: Sendable {
    /// The reference as resolved (with digest).
    public var reference: ImageRef
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

/// The entry an index lists for `platform`, as a container engine would pick it; a clear error
/// naming what the index (`what`) offers when it lists none.
public func child(of index: ImageIndex, for platform: Platform, in what: String) throws(RegistryError) -> Descriptor {
    guard let child = index.descriptor(for: platform) else {
        throw .notFound(what: "platform \(platform) in \(what) (it offers: \(index.offered))", details: [])
    }
    return child
}

extension ImageStore {
    /// The manifest `id` names; when it is an index and `platform` is given, the child manifest
    /// for that platform instead. Returns the manifest and the id it has here.
    public func manifest(_ id: ManifestID, platform: Platform?) async throws(RegistryError) -> (Manifest, ManifestID) {
        let top = try await manifest(id)
        guard let platform, let index = top.index else { return (top, .digest(top.digest)) }
        let entry = try child(of: index, for: platform, in: "\(location.name) \(id)")
        return (try await manifest(.digest(entry.digest)), .digest(entry.digest))
    }

    /// The image `id` names: itself, or in an index the child for `platform`, else the host's,
    /// else the first. Returns its manifest, its image view, and the platform the index gave it.
    public func image(_ id: ManifestID, platform: Platform?) async throws(RegistryError) -> (Manifest, ImageManifest, Platform?) {
        var (manifest, _) = try await self.manifest(id, platform: platform)
        var chosen = platform
        if let index = manifest.index {
            guard let entry = index.descriptor(for: .host) ?? index.manifests.first else {
                throw .notFound(what: "any image in the index \(location.name) \(id)", details: [])
            }
            manifest = try await self.manifest(.digest(entry.digest))
            chosen = entry.platform
        }
        guard let image = manifest.image else {
            throw .badResponse(what: "\(location.name) \(id)", reason: "a \(manifest.mediaType.friendlyName) is not an image")
        }
        return (manifest, image, chosen)
    }

    /// The image config of an image manifest, or of the host's platform (else the first) in an index.
    public func imageConfig(_ id: ManifestID, platform: Platform?) async throws(RegistryError) -> (Data, Descriptor) {
        let (_, image, _) = try await self.image(id, platform: platform)
        return (try await blobData(image.config.digest, limit: 16 << 20), image.config)
    }

    /// The config blob of an image, checked and read.
    public func readConfig(_ descriptor: Descriptor) async throws(RegistryError) -> (Data, ImageConfig) {
        let bytes = try await blobData(descriptor.digest, limit: 16 << 20)
        do { return (bytes, try ImageConfig(parsing: bytes)) } catch {
            throw .badResponse(what: "config \(descriptor.digest) in \(location.name)", reason: error.description)
        }
    }

    /// Fetches what `inspect` shows: the manifest, and the config (for an image) or every child's
    /// manifest (for an index: each distinct child once, a few at a time).
    public func inspect(_ id: ManifestID, platform: Platform?) async throws(RegistryError) -> Inspection {
        let (manifest, resolved) = try await self.manifest(id, platform: platform)
        var reference = location
        if case .tag(let tag) = id, platform == nil { reference.tag = tag }
        if case .digest(let digest) = resolved { reference.digest = digest }
        var inspection = Inspection(reference: reference, manifest: manifest, children: [])
        if let image = manifest.image {
            inspection.config = image.config
            if image.config.mediaType == .ociConfig || image.config.mediaType == .dockerConfig {
                inspection.configFields = try await readConfig(image.config).1
            }
        } else if let index = manifest.index {
            let children = try await children(of: index)
            inspection.children = try index.manifests.map { (descriptor) throws(RegistryError) in
                let image = children[descriptor.digest]?.image
                let bytes: Int64
                do throws(OCIError) { bytes = try Descriptor.totalSize(image?.layers ?? [], in: "the layers of \(descriptor.digest)") } catch {
                    throw .badResponse(what: "\(location.name) \(id)", reason: error.description)
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
    public func children(of index: ImageIndex) async throws(RegistryError) -> [Digest: Manifest] {
        var seen = Set<Digest>()
        let distinct = index.manifests.filter { ($0.mediaType.isManifest || $0.mediaType.rawValue.isEmpty) && seen.insert($0.digest).inserted }
        guard distinct.count <= Limits.indexChildren else {
            throw .tooLarge(what: "an index in \(location.name)", reason: "it lists \(distinct.count) distinct manifests, more than the \(Limits.indexChildren) regtui follows")
        }
        let fetched = try await concurrentMap(distinct, limit: Limits.childFetches) { (descriptor) throws(RegistryError) in
            try await self.manifest(.digest(descriptor.digest))
        }
        return Dictionary(fetched.map { ($0.digest, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The manifest `id` names with what lies below it: an image's config blob, an index's
    /// children (each with its config), each distinct child fetched once and a few at a time.
    /// Configs over 4 MiB and non-image configs (artifacts) are left out.
    public func tree(_ id: ManifestID, displayName: String) async throws(RegistryError) -> ImageTree {
        try await tree(of: manifest(id), displayName: displayName, depth: 0)
    }

    private func tree(of manifest: Manifest, displayName: String, depth: Int) async throws(RegistryError) -> ImageTree {
        var tree = ImageTree(reference: displayName, manifest: manifest)
        if let image = manifest.image, image.config.size <= Manifest.maxSize,
           image.config.mediaType == .ociConfig || image.config.mediaType == .dockerConfig {
            tree.config = try await readConfig(image.config).0
        } else if let index = manifest.index {
            guard depth < Limits.indexDepth else {
                throw .tooLarge(what: "\(displayName)", reason: "indexes nest more than \(Limits.indexDepth) levels deep")
            }
            let children = try await children(of: index)
            let subtrees = try await concurrentMap(Array(children.values), limit: Limits.childFetches) { (child) throws(RegistryError) in
                try await self.tree(of: child, displayName: self.location.with(tag: nil, digest: child.digest).description, depth: depth + 1)
            }
            let byDigest = Dictionary(subtrees.map { ($0.manifest.digest, $0) }, uniquingKeysWith: { first, _ in first })
            tree.children = index.manifests.compactMap { byDigest[$0.digest] }
        }
        return tree
    }
}
