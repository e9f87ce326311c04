import Foundation

/// A manifest or index exactly as a registry served it. The raw `bytes` are the truth: the digest
/// is theirs, and they are what gets copied. Parsed views are derived from them, never written back.
public struct Manifest: Sendable, Hashable {
    public static func == (lhs: Manifest, rhs: Manifest) -> Bool { lhs.bytes == rhs.bytes }
    public func hash(into hasher: inout Hasher) { hasher.combine(digest) }

    /// The exact bytes.
    public let bytes: Data
    /// The digest of `bytes`.
    public let digest: Digest
    /// The media type: the document's own `mediaType` field, else the type the registry declared,
    /// else inferred from the document's shape.
    public let mediaType: MediaType
    /// The parsed view.
    public let content: Content

    /// The largest manifest regtui accepts, as registries do (4 MiB).
    public static let maxSize = 4 * 1024 * 1024

    /// What the bytes hold.
    public enum Content: Sendable, Hashable {
        case index(ImageIndex)
        case image(ImageManifest)
        /// Docker schema 1: read-only, shown raw.
        case schema1
    }

    /// Parses `bytes`. `declaredType` is the `Content-Type` the registry sent, if any.
    public init(bytes: Data, declaredType: MediaType? = nil) throws(OCIError) {
        guard bytes.count <= Self.maxSize else {
            throw .invalidManifest(reason: "it is \(bytes.count) bytes; registries accept at most \(Self.maxSize)")
        }
        let tree: JSONTree
        do { tree = try JSONTree.parse(bytes) } catch {
            throw .invalidManifest(reason: error.description)
        }
        guard tree.root.kind == .object else { throw .invalidManifest(reason: "it is not a JSON object") }
        try tree.root.requireUniqueKeys(in: "the manifest")
        let declared = tree["mediaType"]?.string.map { MediaType($0) }
        let type = declared ?? Self.infer(tree, declaredType: declaredType)
        self.bytes = bytes
        self.digest = Digest.of(bytes)
        self.mediaType = type
        self.tree = tree
        do {
            if type.isSchema1 || tree["schemaVersion"]?.integer == 1 {
                content = .schema1
            } else if type.isIndex || (tree["manifests"] != nil && tree["layers"] == nil) {
                content = .index(try ImageIndex(tree))
            } else if tree["config"] != nil || tree["layers"] != nil {
                content = .image(try ImageManifest(tree))
            } else {
                throw OCIError.invalidManifest(reason: "media type \(type) has neither \"manifests\" nor \"config\"/\"layers\"")
            }
        } catch let error as OCIError {
            throw error
        } catch {
            throw .invalidManifest(reason: "\(error)")
        }
    }

    /// The document as parsed, keys in their order: for pretty-printing and comparing.
    public let tree: JSONTree

    /// The descriptor another manifest would use to point at this one.
    public var descriptor: Descriptor {
        Descriptor(mediaType: mediaType, digest: digest, size: Int64(bytes.count))
    }

    /// The index view, when this is an index.
    public var index: ImageIndex? { if case .index(let value) = content { value } else { nil } }
    /// The image view, when this is an image manifest.
    public var image: ImageManifest? { if case .image(let value) = content { value } else { nil } }

    /// The `subject` this manifest refers to (OCI 1.1 referrers), if any.
    public var subject: Descriptor? {
        switch content {
        case .index(let index): index.subject
        case .image(let image): image.subject
        case .schema1: nil
        }
    }

    /// The top-level `annotations`, refused when a key repeats.
    static func annotations(_ tree: JSONTree) throws(OCIError) -> [String: String]? {
        guard let value = tree["annotations"] else { return nil }
        try value.requireUniqueKeys(in: "annotations")
        return value.stringMap
    }

    private static func infer(_ tree: JSONTree, declaredType: MediaType?) -> MediaType {
        if let declaredType, declaredType.isManifest { return declaredType }
        if tree["schemaVersion"]?.integer == 1 || tree["fsLayers"] != nil { return .dockerSchema1 }
        if tree["manifests"] != nil { return .ociIndex }
        return .ociManifest
    }
}

/// The parsed view of a multi-platform index or Docker manifest list.
public struct ImageIndex: Hashable, Sendable, Codable {
    public var schemaVersion: Int
    public var mediaType: MediaType?
    public var artifactType: String?
    public var manifests: [Descriptor]
    public var subject: Descriptor?
    public var annotations: [String: String]?

    public init(schemaVersion: Int = 2, mediaType: MediaType? = .ociIndex, manifests: [Descriptor]) {
        self.schemaVersion = schemaVersion
        self.mediaType = mediaType
        self.manifests = manifests
    }

    init(_ tree: JSONTree) throws(OCIError) {
        guard let entries = tree["manifests"]?.items else { throw .invalidManifest(reason: "an index needs a \"manifests\" list") }
        schemaVersion = Int(tree["schemaVersion"]?.integer ?? 2)
        mediaType = tree["mediaType"]?.string.map { MediaType($0) }
        artifactType = tree["artifactType"]?.string
        manifests = try Descriptor.list(entries, named: "manifests")
        subject = try tree["subject"].map { (entry) throws(OCIError) in try Descriptor(entry, at: "subject") }
        annotations = try Manifest.annotations(tree)
    }
}

/// The parsed view of a single-image manifest (OCI or Docker schema 2), or an artifact.
public struct ImageManifest: Hashable, Sendable {
    public var schemaVersion: Int
    public var mediaType: MediaType?
    public var artifactType: String?
    public var config: Descriptor
    public var layers: [Descriptor]
    public var subject: Descriptor?
    public var annotations: [String: String]?

    init(_ tree: JSONTree) throws(OCIError) {
        guard let config = tree["config"] else { throw .invalidManifest(reason: "an image manifest needs a \"config\"") }
        schemaVersion = Int(tree["schemaVersion"]?.integer ?? 2)
        mediaType = tree["mediaType"]?.string.map { MediaType($0) }
        artifactType = tree["artifactType"]?.string
        self.config = try Descriptor(config, at: "config")
        layers = try tree["layers"]?.items.map { (items) throws(OCIError) in try Descriptor.list(items, named: "layers") } ?? []
        subject = try tree["subject"].map { (entry) throws(OCIError) in try Descriptor(entry, at: "subject") }
        annotations = try Manifest.annotations(tree)
    }

    /// All blobs this manifest needs: the config first, then the layers, each once.
    public var blobs: [Descriptor] {
        var seen = Set<Digest>()
        return ([config] + layers).filter { seen.insert($0.digest).inserted }
    }
}

/// The fields of an image configuration that regtui shows and compares.
public struct ImageConfig: Hashable, Sendable {
    public var architecture: String?
    public var os: String?
    public var variant: String?
    public var created: String?
    public var rootfs: RootFS?

    public struct RootFS: Hashable, Sendable {
        public var type: String?
        public var diffIDs: [Digest]?
    }

    /// Reads a config blob, refusing one that repeats a key in the objects regtui reads. A blob
    /// that is JSON but not an image config (an artifact's `{}`) gives empty fields.
    public init(parsing bytes: Data) throws(OCIError) {
        let tree: JSONTree
        do { tree = try JSONTree.parse(bytes) } catch { throw .invalidManifest(reason: "the config is \(error.description)") }
        guard tree.root.kind == .object else { throw .invalidManifest(reason: "the config is not a JSON object") }
        try tree.root.requireUniqueKeys(in: "the config")
        architecture = tree["architecture"]?.string
        os = tree["os"]?.string
        variant = tree["variant"]?.string
        created = tree["created"]?.string
        if let rootfs = tree["rootfs"], rootfs.kind == .object {
            try rootfs.requireUniqueKeys(in: "the config's rootfs")
            var ids: [Digest]?
            if let items = rootfs["diff_ids"]?.items {
                ids = []
                for (position, item) in items.enumerated() {
                    do { ids?.append(try Digest(parsing: item.string ?? "")) } catch {
                        throw .invalidManifest(reason: "the config's rootfs.diff_ids[\(position)]: \(error.description)")
                    }
                }
            }
            self.rootfs = RootFS(type: rootfs["type"]?.string, diffIDs: ids)
        }
    }

    /// Reads a config blob already checked when it was fetched; nil when it cannot be read.
    public static func parse(_ bytes: Data) -> ImageConfig? { try? ImageConfig(parsing: bytes) }
}
