/// A content descriptor: what an index or manifest says about one object it points to.
public struct Descriptor: Hashable, Sendable, Codable {
    public var mediaType: MediaType
    public var digest: Digest
    public var size: Int64
    public var urls: [String]?
    public var annotations: [String: String]?
    public var platform: Platform?
    public var artifactType: String?

    public init(mediaType: MediaType, digest: Digest, size: Int64, platform: Platform? = nil,
                annotations: [String: String]? = nil, artifactType: String? = nil) {
        self.mediaType = mediaType
        self.digest = digest
        self.size = size
        self.platform = platform
        self.annotations = annotations
        self.artifactType = artifactType
    }

    /// Reads a list of descriptors; `name` names the list in errors (`layers[3]`).
    static func list(_ items: JSONValue.Items, named name: String) throws(OCIError) -> [Descriptor] {
        var descriptors: [Descriptor] = []
        descriptors.reserveCapacity(items.count)
        var mediaTypes = MediaTypeReuse()
        for (position, item) in items.enumerated() {
            descriptors.append(try Descriptor(item, at: "\(name)[\(position)]", mediaTypes: &mediaTypes))
        }
        return descriptors
    }

    /// Reads a descriptor from a parsed document; `path` names it in errors (`layers[3]`).
    /// One pass over the members: manifests can hold tens of thousands of descriptors.
    init(_ tree: JSONValue, at path: @autoclosure () -> String) throws(OCIError) {
        var mediaTypes = MediaTypeReuse()
        try self.init(tree, at: path(), mediaTypes: &mediaTypes)
    }

    /// The media type of the descriptor before, kept to be used again when the next one is
    /// written the same (a list's layers mostly are): one string for the list, not one each.
    struct MediaTypeReuse {
        var last: (text: JSONValue, type: MediaType)?

        mutating func mediaType(of value: JSONValue) -> MediaType? {
            if let last, last.text.sameText(as: value) { return last.type }
            guard let text = value.string else { return nil }
            last = (value, MediaType(text))
            return last?.type
        }
    }

    private init(_ tree: JSONValue, at path: @autoclosure () -> String, mediaTypes: inout MediaTypeReuse) throws(OCIError) {
        guard tree.kind == .object else { throw .invalidManifest(reason: "\(path()) is not a descriptor") }
        try tree.requireUniqueKeys(in: path())
        var type: MediaType?, digestValue: JSONValue?, size: Int64?
        var urls: [String]?, annotations: [String: String]?, artifactType: String?, platformTree: JSONValue?
        for member in tree.members {
            switch member.key {
            case "\"mediaType\"": type = mediaTypes.mediaType(of: member.value)
            case "\"digest\"": digestValue = member.value
            case "\"size\"": size = member.value.integer
            case "\"urls\"": urls = member.value.items?.compactMap(\.string)
            case "\"annotations\"":
                try member.value.requireUniqueKeys(in: "\(path()).annotations")
                annotations = member.value.stringMap
            case "\"artifactType\"": artifactType = member.value.string
            case "\"platform\"": platformTree = member.value
            default: break
            }
        }
        guard let digestValue, digestValue.kind == .string else { throw .invalidManifest(reason: "\(path()) has no \"digest\"") }
        let digest: Digest
        do { digest = try Digest(json: digestValue) } catch { throw .invalidManifest(reason: "\(path()): \(error.description)") }
        guard let size, size >= 0 else { throw .invalidManifest(reason: "\(path()) has no valid \"size\"") }
        guard size <= Limits.blobSize else {
            throw .invalidManifest(reason: "\(path()) declares \(size) bytes, more than the \(Limits.blobSize) (16 TiB) regtui accepts for one blob")
        }
        // Every field set here, once: a delegating init would copy the whole descriptor.
        self.mediaType = type ?? MediaType("")
        self.digest = digest
        self.size = size
        self.urls = urls
        self.annotations = annotations
        self.artifactType = artifactType
        self.platform = try platformTree.map { (tree) throws(OCIError) in try Self.platform(tree, at: path()) }
    }

    private static func platform(_ tree: JSONValue, at path: String) throws(OCIError) -> Platform {
        try tree.requireUniqueKeys(in: "\(path).platform")
        guard let os = tree["os"]?.string, let architecture = tree["architecture"]?.string else {
            throw .invalidManifest(reason: "\(path).platform needs \"os\" and \"architecture\"")
        }
        var value = Platform(os: os, architecture: architecture, variant: tree["variant"]?.string)
        value.osVersion = tree["os.version"]?.string
        value.osFeatures = tree["os.features"]?.items?.compactMap(\.string)
        return value
    }
}
