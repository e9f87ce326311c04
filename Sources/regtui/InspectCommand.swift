import Foundation
import OCI
import Registry
import Stores

/// `regtui inspect REF`: what an image is made of, with every digest that matters.
struct InspectCommand: Command {
    static let name = "inspect"
    static let summary = "show media type, digest, platforms, config (image ID) and layers"
    static let help = """
    Usage: regtui inspect REF [--platform P] [--json]

    Shows the manifest digest (what you pin), its media type and size; for an index, each
    platform's manifest and config digest; for an image, the config digest (the image ID a
    container engine shows), platform, creation time and layers with sizes.
    \(ReferenceOperand.stores)
    \(ReferenceOperand.help)
      --json         print a JSON object
    """
    let operand: ReferenceOperand

    init(arguments: inout Arguments) throws(UsageError) { operand = try ReferenceOperand(arguments: &arguments) }

    func run(_ context: Context) async throws -> Int32 {
        let inspection = try await context.store(operand.reference).inspect(operand.reference.manifestID, platform: operand.platform)
        var report = try Report(inspection)
        report.rateLimit = operand.reference.registryReference.flatMap { context.client.rateLimit(for: $0.registry) }
        if context.json { context.output.json(report) } else { context.output.lines(report.lines) }
        return ExitStatus.success
    }

    /// The inspection as shown: the same fields for text and JSON.
    struct Report: Encodable {
        struct Blob: Encodable { var digest: String; var size: Int64; var mediaType: String }
        struct Child: Encodable {
            var platform: String?
            var digest: String
            var mediaType: String
            var size: Int64
            var configDigest: String?
            var layers: Int
            var layerBytes: Int64
        }
        var reference: String
        var digest: String
        var mediaType: String
        var size: Int
        var artifactType: String?
        var subject: String?
        var platforms: [Child]?
        var config: Blob?
        var imageID: String?
        var platform: String?
        var created: String?
        var layers: [Blob]?
        var diffIDs: [String]?
        /// The layers' total, checked when the report was made.
        var layerBytes: Int64?
        var annotations: [String: String]?
        /// The registry's pull quota, when it announces one.
        var rateLimit: RateLimit?

        init(_ inspection: Inspection) throws(RegistryError) {
            let manifest = inspection.manifest
            reference = inspection.reference.description
            digest = manifest.digest.description
            mediaType = manifest.mediaType.rawValue
            size = manifest.bytes.count
            subject = manifest.subject?.digest.description
            if let index = manifest.index {
                artifactType = index.artifactType
                annotations = index.annotations
                platforms = inspection.children.map { child in
                    Child(platform: child.descriptor.platform?.description, digest: child.descriptor.digest.description,
                          mediaType: child.descriptor.mediaType.rawValue, size: child.descriptor.size,
                          configDigest: child.configDigest?.description, layers: child.layerCount, layerBytes: child.layerBytes)
                }
            }
            if let image = manifest.image {
                artifactType = image.artifactType
                annotations = image.annotations
                config = Blob(digest: image.config.digest.description, size: image.config.size, mediaType: image.config.mediaType.rawValue)
                imageID = inspection.configFields != nil ? image.config.digest.description : nil
                layers = image.layers.map { Blob(digest: $0.digest.description, size: $0.size, mediaType: $0.mediaType.rawValue) }
                do { layerBytes = try Descriptor.totalSize(image.layers, in: "the layers of \(reference)") } catch {
                    throw .badResponse(what: reference, reason: error.description)
                }
                if let fields = inspection.configFields {
                    platform = [fields.os, fields.architecture, fields.variant].compactMap { $0 }.joined(separator: "/")
                    created = fields.created
                    diffIDs = fields.rootfs?.diffIDs?.map(\.description)
                }
            }
        }

        var lines: [String] {
            var lines = [
                "Reference    \(reference)",
                "Digest       \(digest)",
                "Media type   \(mediaType) (\(MediaType(mediaType).friendlyName))",
                "Size         \(size) bytes",
            ]
            if let rateLimit { lines.append("Rate limit   \(rateLimit.description)") }
            if let artifactType { lines.append("Artifact     \(artifactType)") }
            if let subject { lines.append("Subject      \(subject)") }
            if let platforms {
                lines.append("")
                lines.append("Platforms (\(platforms.count))")
                let width = max(8, platforms.map { ($0.platform ?? "-").count }.max() ?? 0)
                lines.append("  " + "PLATFORM".padding(toLength: width + 2, withPad: " ", startingAt: 0)
                             + "MANIFEST".padding(toLength: 73, withPad: " ", startingAt: 0) + "IMAGE ID      LAYERS")
                for child in platforms {
                    let imageID = child.configDigest.map { String($0.dropFirst(7).prefix(12)) } ?? "-"
                    lines.append("  " + (child.platform ?? "-").padding(toLength: width + 2, withPad: " ", startingAt: 0)
                                 + child.digest.padding(toLength: 73, withPad: " ", startingAt: 0)
                                 + imageID.padding(toLength: 14, withPad: " ", startingAt: 0)
                                 + "\(child.layers), \(ByteCount.format(child.layerBytes))")
                }
            }
            if let config {
                let id = imageID.map { " (image ID \($0.dropFirst(7).prefix(12)))" } ?? ""
                lines.append("Config       \(config.digest)\(id)")
                lines.append("             \(config.mediaType), \(config.size) bytes")
            }
            if let platform { lines.append("Platform     \(platform)") }
            if let created { lines.append("Created      \(created)") }
            if let layers {
                let total = layerBytes ?? 0
                lines.append("")
                lines.append("Layers (\(layers.count), \(ByteCount.format(total)))")
                for layer in layers {
                    lines.append("  \(layer.digest)  \(ByteCount.format(layer.size).padding(toLength: 10, withPad: " ", startingAt: 0))  \(MediaType(layer.mediaType).friendlyName)")
                }
            }
            if let annotations, !annotations.isEmpty {
                lines.append("")
                lines.append("Annotations")
                for key in annotations.keys.sorted() { lines.append("  \(key): \(annotations[key]!)") }
            }
            return lines
        }
    }
}

/// `regtui referrers REF`: signatures, SBOMs and attestations that point at an image.
struct ReferrersCommand: Command {
    static let name = "referrers"
    static let summary = "list artifacts whose subject is the image"
    static let help = """
    Usage: regtui referrers REF [--json]

    Lists the manifests that declare REF's manifest as their subject (OCI 1.1), through the
    referrers API or, where the registry lacks it, the sha256-<hex> fallback tag.
      --json   print a JSON array of descriptors
    """
    let reference: ImageRef

    init(arguments: inout Arguments) throws(UsageError) { reference = try parseReference(arguments.operand("REF")) }

    func run(_ context: Context) async throws -> Int32 {
        let store = context.store(reference)
        guard let digest = try await store.describe(reference.manifestID)?.digest else {
            throw RegistryError.notFound(what: "manifest \(reference)", details: [])
        }
        let referrers = try await store.referrers(of: digest)
        if context.json {
            context.output.json(referrers)
        } else {
            for descriptor in referrers {
                let type = descriptor.artifactType ?? descriptor.mediaType.rawValue
                context.output.line("\(descriptor.digest)  \(ByteCount.format(descriptor.size))  \(type)")
            }
        }
        return referrers.isEmpty ? ExitStatus.negative : ExitStatus.success
    }
}
