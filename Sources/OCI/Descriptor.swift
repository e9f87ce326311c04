/// A content descriptor: what an index or manifest says about one object it points to.
public struct Descriptor: Hashable, Sendable, Codable {
    public var mediaType: MediaType
    public var digest: Digest
    public var size: Int64
    public var urls: [String]? {
        get { rare?.urls }
        set { rare = Rare.of(urls: newValue, annotations: annotations, platform: platform, artifactType: artifactType) }
    }
    public var annotations: [String: String]? {
        get { rare?.annotations }
        set { rare = Rare.of(urls: urls, annotations: newValue, platform: platform, artifactType: artifactType) }
    }
    public var platform: Platform? {
        get { rare?.platform }
        set { rare = Rare.of(urls: urls, annotations: annotations, platform: newValue, artifactType: artifactType) }
    }
    public var artifactType: String? {
        get { rare?.artifactType }
        set { rare = Rare.of(urls: urls, annotations: annotations, platform: platform, artifactType: newValue) }
    }
    /// The fields a layer's descriptor has none of, out of line: inline they would double each
    /// of a large manifest's tens of thousands of descriptors. Nil when all are.
    private var rare: Rare?

    /// URLs, annotations, platform and artifact type, shared by a descriptor's copies.
    private final class Rare: Hashable, Sendable {
        let urls: [String]?
        let annotations: [String: String]?
        let platform: Platform?
        let artifactType: String?

        /// The fields, or nil when all are (without making an object to throw away: a manifest's
        /// layers have none).
        static func of(urls: [String]?, annotations: [String: String]?, platform: Platform?, artifactType: String?) -> Rare? {
            guard urls != nil || annotations != nil || platform != nil || artifactType != nil else { return nil }
            return Rare(urls: urls, annotations: annotations, platform: platform, artifactType: artifactType)
        }

        private init(urls: [String]?, annotations: [String: String]?, platform: Platform?, artifactType: String?) {
            self.urls = urls
            self.annotations = annotations
            self.platform = platform
            self.artifactType = artifactType
        }

        static func == (lhs: Rare, rhs: Rare) -> Bool {
            lhs.urls == rhs.urls && lhs.annotations == rhs.annotations && lhs.platform == rhs.platform
                && lhs.artifactType == rhs.artifactType
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(urls)
            hasher.combine(annotations)
            hasher.combine(platform)
            hasher.combine(artifactType)
        }
    }

    public init(mediaType: MediaType, digest: Digest, size: Int64, platform: Platform? = nil,
                annotations: [String: String]? = nil, artifactType: String? = nil) {
        self.mediaType = mediaType
        self.digest = digest
        self.size = size
        rare = Rare.of(urls: nil, annotations: annotations, platform: platform, artifactType: artifactType)
    }

    enum CodingKeys: String, CodingKey {
        case mediaType, digest, size, urls, annotations, platform, artifactType
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        mediaType = try container.decode(MediaType.self, forKey: .mediaType)
        digest = try container.decode(Digest.self, forKey: .digest)
        size = try container.decode(Int64.self, forKey: .size)
        rare = Rare.of(urls: try container.decodeIfPresent([String].self, forKey: .urls),
                    annotations: try container.decodeIfPresent([String: String].self, forKey: .annotations),
                    platform: try container.decodeIfPresent(Platform.self, forKey: .platform),
                    artifactType: try container.decodeIfPresent(String.self, forKey: .artifactType))
    }

    /// Members in one fixed order: indexes regtui writes are compared byte for byte.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(mediaType, forKey: .mediaType)
        try container.encode(digest, forKey: .digest)
        try container.encode(size, forKey: .size)
        try container.encodeIfPresent(urls, forKey: .urls)
        try container.encodeIfPresent(annotations, forKey: .annotations)
        try container.encodeIfPresent(platform, forKey: .platform)
        try container.encodeIfPresent(artifactType, forKey: .artifactType)
    }

    /// Reads a list of descriptors; `name` names the list in errors (`layers[3]`). A manifest
    /// can hold tens of thousands: they are read through a view of the document, in one pass
    /// over each one's members.
    static func list(_ items: JSONValue.Items, named name: String) throws(OCIError) -> [Descriptor] {
        let storage = items.storage
        return try storage.withView { view in
            Result { () throws(OCIError) -> [Descriptor] in
                var descriptors: [Descriptor] = []
                descriptors.reserveCapacity(items.count)
                var mediaTypes = MediaTypeReuse()
                var position = items.position
                for number in 0..<items.count {
                    descriptors.append(try Descriptor(view, position, of: storage, at: "\(name)[\(number)]", mediaTypes: &mediaTypes))
                    position = view.next(position)
                }
                return descriptors
            }
        }.get()
    }

    /// Reads a descriptor from a parsed document; `path` names it in errors (`layers[3]`).
    init(_ tree: JSONValue, at path: @autoclosure () -> String) throws(OCIError) {
        let result = tree.storage.withView { view in
            Result { () throws(OCIError) -> Descriptor in
                var mediaTypes = MediaTypeReuse()
                return try Descriptor(view, tree.index, of: tree.storage, at: path(), mediaTypes: &mediaTypes)
            }
        }
        self = try result.get()
    }

    /// The media type of the descriptor before, kept to be used again when the next one is
    /// written the same (a list's layers mostly are): one string for the list, not one each.
    /// Lives within one view of one document.
    struct MediaTypeReuse {
        var last: (text: UnsafeRawBufferPointer, type: MediaType)?

        mutating func mediaType(_ view: JSONView, _ index: Int) -> MediaType? {
            let text = view.text(index)
            if let last, JSONView.equal(last.text, text) { return last.type }
            guard view.kind(index) == .string else { return nil }
            last = (text, MediaType(view.string(index)))
            return last?.type
        }
    }

    /// Descriptor `index` of `view` (a view of `storage`): the fields regtui uses are read from
    /// the view; the rare ones (URLs, annotations, platform) as values of `storage`.
    private init(_ view: JSONView, _ index: Int, of storage: JSONTree.Storage, at path: @autoclosure () -> String,
                 mediaTypes: inout MediaTypeReuse) throws(OCIError) {
        guard view.kind(index) == .object else { throw .invalidManifest(reason: "\(path()) is not a descriptor") }
        if view.repeatedKey(in: index) != nil { try JSONValue(storage: storage, index: index).requireUniqueKeys(in: path()) }
        var type: MediaType?, digestIndex: Int?, size: Int64?
        var urls: [String]?, annotations: [String: String]?, artifactType: String?, platformTree: JSONValue?
        for key in view.keys(of: index) {
            let value = key + 1
            if view.isText(key, "\"mediaType\"") {
                type = mediaTypes.mediaType(view, value)
            } else if view.isText(key, "\"digest\"") {
                digestIndex = value
            } else if view.isText(key, "\"size\"") {
                size = view.integer(value)
            } else if view.isText(key, "\"urls\"") {
                urls = JSONValue(storage: storage, index: value).items?.compactMap(\.string)
            } else if view.isText(key, "\"annotations\"") {
                let tree = JSONValue(storage: storage, index: value)
                try tree.requireUniqueKeys(in: "\(path()).annotations")
                annotations = tree.stringMap
            } else if view.isText(key, "\"artifactType\"") {
                artifactType = view.kind(value) == .string ? view.string(value) : nil
            } else if view.isText(key, "\"platform\"") {
                platformTree = JSONValue(storage: storage, index: value)
            }
        }
        guard let digestIndex, view.kind(digestIndex) == .string else { throw .invalidManifest(reason: "\(path()) has no \"digest\"") }
        let digest: Digest
        do { digest = try Digest(json: view, digestIndex) } catch { throw .invalidManifest(reason: "\(path()): \(error.description)") }
        guard let size, size >= 0 else { throw .invalidManifest(reason: "\(path()) has no valid \"size\"") }
        guard size <= Limits.blobSize else {
            throw .invalidManifest(reason: "\(path()) declares \(size) bytes, more than the \(Limits.blobSize) (16 TiB) regtui accepts for one blob")
        }
        // Every field set here, once: a delegating init would copy the whole descriptor.
        self.mediaType = type ?? MediaType("")
        self.digest = digest
        self.size = size
        rare = Rare.of(urls: urls, annotations: annotations,
                    platform: try platformTree.map { (tree) throws(OCIError) in try Self.platform(tree, at: path()) },
                    artifactType: artifactType)
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
