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
        guard let child = index.descriptor(for: platform) else {
            let offered = index.platforms.map(\.description).joined(separator: ", ")
            throw .notFound(what: "platform \(platform) in \(reference) (it offers: \(offered.isEmpty ? "none" : offered))", details: [])
        }
        let childReference = reference.with(tag: nil, digest: child.digest)
        return (try await manifest(childReference), childReference)
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
    /// manifest (for an index, fetched concurrently).
    public func inspect(_ reference: Reference, platform: Platform?) async throws(RegistryError) -> Inspection {
        let (manifest, resolved) = try await self.manifest(reference, platform: platform)
        var inspection = Inspection(reference: resolved.with(tag: reference.tag, digest: manifest.digest),
                                    manifest: manifest, children: [])
        if let image = manifest.image {
            inspection.config = image.config
            if image.config.mediaType == .ociConfig || image.config.mediaType == .dockerConfig {
                inspection.configFields = ImageConfig.parse(try await blobData(resolved, digest: image.config.digest))
            }
        } else if let index = manifest.index {
            do {
                inspection.children = try await withThrowingTaskGroup(of: (Int, Inspection.Child).self) { group in
                    for (position, descriptor) in index.manifests.enumerated() {
                        group.addTask {
                            let child = try await self.manifest(reference.with(tag: nil, digest: descriptor.digest))
                            let image = child.image
                            return (position, Inspection.Child(descriptor: descriptor, configDigest: image?.config.digest,
                                                               layerCount: image?.layers.count ?? 0,
                                                               layerBytes: image?.layers.reduce(0) { $0 + $1.size } ?? 0))
                        }
                    }
                    var children: [(Int, Inspection.Child)] = []
                    for try await child in group { children.append(child) }
                    return children.sorted { $0.0 < $1.0 }.map(\.1)
                }
            } catch {
                throw error as? RegistryError ?? .cancelled
            }
        }
        return inspection
    }
}

extension RegistryClient {
    /// The manifest `reference` names with what lies below it: an image's config blob, an
    /// index's children (each with its config), fetched concurrently. Configs over 4 MiB and
    /// non-image configs (artifacts) are left out.
    public func tree(_ reference: Reference, displayName: String? = nil) async throws(RegistryError) -> ImageTree {
        let manifest = try await self.manifest(reference)
        return try await tree(of: manifest, at: reference, displayName: displayName ?? reference.description, depth: 0)
    }

    private func tree(of manifest: Manifest, at reference: Reference, displayName: String, depth: Int) async throws(RegistryError) -> ImageTree {
        var tree = ImageTree(reference: displayName, manifest: manifest)
        if let image = manifest.image, image.config.size <= Manifest.maxSize,
           image.config.mediaType == .ociConfig || image.config.mediaType == .dockerConfig {
            tree.config = try await blobData(reference, digest: image.config.digest)
        } else if let index = manifest.index, depth < 4 {
            do {
                tree.children = try await withThrowingTaskGroup(of: (Int, ImageTree).self) { group in
                    for (position, entry) in index.manifests.enumerated() where entry.mediaType.isManifest || entry.mediaType.rawValue.isEmpty {
                        group.addTask {
                            let childReference = reference.with(tag: nil, digest: entry.digest)
                            let child = try await self.manifest(childReference)
                            return (position, try await self.tree(of: child, at: childReference,
                                                                 displayName: childReference.description, depth: depth + 1))
                        }
                    }
                    var children: [(Int, ImageTree)] = []
                    for try await child in group { children.append(child) }
                    return children.sorted { $0.0 < $1.0 }.map(\.1)
                }
            } catch {
                throw error as? RegistryError ?? .cancelled
            }
        }
        return tree
    }
}
