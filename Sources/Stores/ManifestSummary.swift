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
            let children = try await store.children(of: index)
            var platforms: [Platform] = []
            for entry in index.manifests {
                guard let image = children[entry.digest]?.image else { continue }
                let created = children[entry.digest].flatMap(createdAnnotation)
                platforms.append(try await summary(of: image, digest: entry.digest, platform: entry.platform?.description,
                                                   annotated: created, in: store))
            }
            let (total, overflow) = platforms.reduce(Int64(0)) { $0 &+ $1.size }.addingReportingOverflow(0)
            return ManifestSummary(mediaType: manifest.mediaType.rawValue,
                                   created: annotated ?? platforms.compactMap(\.created).max(),
                                   size: overflow ? .max : total, platforms: platforms)
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
