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
        for (position, item) in items.enumerated() { descriptors.append(try Descriptor(item, at: "\(name)[\(position)]")) }
        return descriptors
    }

    /// Reads a descriptor from a parsed document; `path` names it in errors (`layers[3]`).
    /// One pass over the members: manifests can hold tens of thousands of descriptors.
    init(_ tree: JSONValue, at path: @autoclosure () -> String) throws(OCIError) {
        guard tree.kind == .object else { throw .invalidManifest(reason: "\(path()) is not a descriptor") }
        try tree.requireUniqueKeys(in: path())
        var type: String?, digestText: String?, size: Int64?
        var urls: [String]?, annotations: [String: String]?, artifactType: String?, platformTree: JSONValue?
        for member in tree.members {
            switch member.key {
            case "\"mediaType\"": type = member.value.string
            case "\"digest\"": digestText = member.value.string
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
        guard let digestText else { throw .invalidManifest(reason: "\(path()) has no \"digest\"") }
        let digest: Digest
        do { digest = try Digest(parsing: digestText) } catch { throw .invalidManifest(reason: "\(path()): \(error.description)") }
        guard let size, size >= 0 else { throw .invalidManifest(reason: "\(path()) has no valid \"size\"") }
        guard size <= Limits.blobSize else {
            throw .invalidManifest(reason: "\(path()) declares \(size) bytes, more than the \(Limits.blobSize) (16 TiB) regtui accepts for one blob")
        }
        self.init(mediaType: MediaType(type ?? ""), digest: digest, size: size, annotations: annotations, artifactType: artifactType)
        self.urls = urls
        if let platformTree {
            try platformTree.requireUniqueKeys(in: "\(path()).platform")
            guard let os = platformTree["os"]?.string, let architecture = platformTree["architecture"]?.string else {
                throw .invalidManifest(reason: "\(path()).platform needs \"os\" and \"architecture\"")
            }
            var value = Platform(os: os, architecture: architecture, variant: platformTree["variant"]?.string)
            value.osVersion = platformTree["os.version"]?.string
            value.osFeatures = platformTree["os.features"]?.items?.compactMap(\.string)
            platform = value
        }
    }
}
