import Foundation
import OCI
import Registry

/// A layout's `index.json`: the manifests it lists, each tag an `org.opencontainers.image.ref.name`
/// annotation, as OCI image-layout says. Shared by layouts on disk and in archives.
struct LayoutIndex: Sendable {
    static let refName = "org.opencontainers.image.ref.name"
    /// The most bytes an index.json may have.
    static let maxSize = 16 << 20

    var manifests: [Descriptor]

    init(manifests: [Descriptor] = []) { self.manifests = manifests }

    /// Reads `index.json`'s bytes (duplicate keys and sizes checked as for any index).
    init(bytes: Data, what: String) throws(RegistryError) {
        do throws(OCIError) {
            let manifest = try Manifest(bytes: bytes, declaredType: .ociIndex)
            guard let index = manifest.index else { throw OCIError.invalidManifest(reason: "index.json is not an image index") }
            manifests = index.manifests
        } catch {
            throw .badResponse(what: what, reason: "index.json: \(error.description)")
        }
    }

    /// The bytes of `index.json` listing `manifests`.
    var bytes: Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return (try? encoder.encode(ImageIndex(manifests: manifests))) ?? Data()
    }

    /// Every tag, in the index's order.
    var tags: [String] { manifests.compactMap { $0.annotations?[Self.refName] } }

    /// The entry for `id`: by tag, by digest, or the only one.
    func entry(_ id: ManifestID, in what: String) throws(RegistryError) -> Descriptor? {
        switch id {
        case .tag(let tag):
            return manifests.last { $0.annotations?[Self.refName] == tag }
        case .digest(let digest):
            return manifests.first { $0.digest == digest }
        case .only:
            guard manifests.count == 1 else {
                let names = tags.isEmpty ? "no tags" : "tags " + tags.joined(separator: ", ")
                throw .file(what: what, reason: "it holds \(manifests.count) images (\(names)); name one with :TAG or @DIGEST")
            }
            return manifests[0]
        }
    }

    /// Lists `descriptor` under `tag` (moving the tag off any other entry), or untagged when it
    /// is not listed yet.
    mutating func place(_ descriptor: Descriptor, tag: String?) {
        if let tag {
            manifests.removeAll { $0.annotations?[Self.refName] == tag }
            var entry = descriptor
            entry.annotations = (entry.annotations ?? [:]).merging([Self.refName: tag]) { $1 }
            manifests.append(entry)
        } else if !manifests.contains(where: { $0.digest == descriptor.digest }) {
            manifests.append(descriptor)
        }
    }
}

/// The `oci-layout` file's content.
let ociLayoutFile = Data(#"{"imageLayoutVersion":"1.0.0"}"#.utf8)

extension Descriptor {
    /// How a manifest is listed in an index: its type, digest and size, and an artifact's type.
    static func listing(_ manifest: Manifest) -> Descriptor {
        var descriptor = manifest.descriptor
        descriptor.artifactType = manifest.image?.artifactType ?? manifest.index?.artifactType
            ?? (manifest.subject != nil ? manifest.image?.config.mediaType.rawValue : nil)
        return descriptor
    }
}
