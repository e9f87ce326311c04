import Foundation
import OCI
import Registry

extension ManifestSummary {
    /// Reads the manifest `digest` names and what lies below it (configs; an index's children,
    /// each once, a few at a time).
    public static func make(_ digest: Digest, in store: any ImageStore) async throws(RegistryError) -> ManifestSummary {
        let manifest = try await store.manifest(.digest(digest))
        let annotated = createdAnnotation(manifest)
        switch manifest.content {
        case .image(let image):
            let platform = try await summary(of: image, digest: digest, platform: nil, annotated: annotated, in: store)
            return ManifestSummary(mediaType: manifest.mediaType.rawValue, created: platform.created, size: platform.size,
                                   platforms: [platform])
        case .index(let index):
            // Each distinct child once, a few at a time: an index may list one child thousands of times.
            let children = try await store.children(of: index)
            let distinct = Array(children.values)
            let summaries = try await concurrentMap(distinct, limit: Limits.childFetches) { (child) throws(RegistryError) -> Platform? in
                guard let image = child.image else { return nil }
                return try await summary(of: image, digest: child.digest, platform: nil, annotated: createdAnnotation(child), in: store)
            }
            let byDigest = Dictionary(zip(distinct.map(\.digest), summaries).compactMap { key, value in value.map { (key, $0) } },
                                      uniquingKeysWith: { first, _ in first })
            let platforms = index.manifests.compactMap { entry -> Platform? in
                guard var platform = byDigest[entry.digest] else { return nil }
                if let named = entry.platform?.description { platform.platform = named }
                return platform
            }
            // What a mirror stores: every distinct blob of every platform, once.
            var seen = Set<Digest>()
            let blobs = distinct.compactMap(\.image).flatMap { [$0.config] + $0.layers }.filter { seen.insert($0.digest).inserted }
            let total: Int64
            do throws(OCIError) { total = try Descriptor.totalSize(blobs, in: "\(store.location.name)@\(digest)") } catch {
                throw .badResponse(what: "\(store.location.name)@\(digest)", reason: error.description)
            }
            return ManifestSummary(mediaType: manifest.mediaType.rawValue,
                                   created: annotated ?? platforms.compactMap(\.created).max(), size: total, platforms: platforms)
        case .schema1:
            return ManifestSummary(mediaType: manifest.mediaType.rawValue, created: nil, size: 0, platforms: [])
        }
    }

    private static func createdAnnotation(_ manifest: Manifest) -> String? {
        (manifest.index?.annotations ?? manifest.image?.annotations)?["org.opencontainers.image.created"]
    }

    private static func summary(of image: ImageManifest, digest: Digest, platform: String?, annotated: String?,
                                in store: any ImageStore) async throws(RegistryError) -> Platform {
        let size: Int64
        do throws(OCIError) { size = try Descriptor.totalSize([image.config] + image.layers, in: store.location.name) } catch {
            throw .badResponse(what: "\(store.location.name)@\(digest)", reason: error.description)
        }
        var created = annotated, described = platform
        if image.config.mediaType == .ociConfig || image.config.mediaType == .dockerConfig, image.config.size <= 4 << 20 {
            let config = try await store.readConfig(image.config).1
            created = config.created ?? annotated
            if described == nil, let os = config.os, let architecture = config.architecture {
                described = [os, architecture, config.variant].compactMap { $0 }.joined(separator: "/")
            }
        }
        return Platform(platform: described, digest: digest.description, size: size, created: created)
    }
}
