/// Where an image is, in any store regtui reads: a registry reference (`host/repo:tag`), an OCI
/// image layout (`oci:PATH[:TAG]`), an OCI archive (`oci-archive:FILE[:TAG]`), or what a container
/// engine saves (`docker-archive:FILE[:REPO:TAG]`). `@sha256:…` names a manifest by digest in
/// any of them.
public struct ImageRef: Hashable, Sendable, CustomStringConvertible {
    /// The kinds of store.
    public enum Kind: String, Sendable, CaseIterable {
        case registry
        case ociLayout = "oci"
        case ociArchive = "oci-archive"
        case dockerArchive = "docker-archive"

        /// Whether images live in a file or directory rather than on a server.
        public var isFile: Bool { self != .registry }
    }

    public var kind: Kind
    /// The registry host, or the path of the layout or archive.
    public var location: String
    /// The repository path in a registry; empty in a file (it holds one repository).
    public var repository: String
    /// The tag (`REPO:TAG` in a docker archive).
    public var tag: String?
    public var digest: Digest?

    public init(kind: Kind, location: String, repository: String = "", tag: String? = nil, digest: Digest? = nil) {
        self.kind = kind
        self.location = location
        self.repository = repository
        self.tag = tag
        self.digest = digest
    }

    /// A registry reference.
    public init(_ reference: Reference) {
        self.init(kind: .registry, location: reference.registry, repository: reference.repository, tag: reference.tag,
                  digest: reference.digest)
    }

    /// Parses `oci:…`, `oci-archive:…`, `docker-archive:…` or a registry reference (which, as
    /// docker reads it, gets the tag `latest` when it has neither tag nor digest).
    public init(parsing text: String) throws(OCIError) {
        guard let (kind, rest) = Self.fileKind(text) else {
            self.init(try Reference(parsing: text))
            return
        }
        self = try Self.parseFile(kind, rest, in: text)
    }

    /// Parses a store without tag or digest: a registry repository (`host/a/b`) or a file.
    public init(parsingRepository text: String) throws(OCIError) {
        if let (kind, rest) = Self.fileKind(text) {
            let parsed = try Self.parseFile(kind, rest, in: text)
            guard parsed.tag == nil && parsed.digest == nil else {
                throw OCIError.invalidReference(text, reason: "expected a layout or archive without tag or digest, e.g. \(kind.rawValue):\(parsed.location)")
            }
            self = parsed
            return
        }
        self.init(try Reference(parsingRepository: text))
    }

    private static func fileKind(_ text: String) -> (Kind, Substring)? {
        for kind in [Kind.ociArchive, .dockerArchive, .ociLayout] where text.hasPrefix(kind.rawValue + ":") {
            return (kind, text.dropFirst(kind.rawValue.count + 1))
        }
        return nil
    }

    /// `PATH[:NAME][@DIGEST]`, as skopeo reads it: the name after the first `:`. For layouts and
    /// OCI archives the name is the `org.opencontainers.image.ref.name` of an entry (a tag, or a
    /// whole reference such as `localhost/app:1.0` as engines write it); for docker archives it
    /// is `REPO:TAG`.
    private static func parseFile(_ kind: Kind, _ rest: Substring, in text: String) throws(OCIError) -> ImageRef {
        var rest = rest
        var digest: Digest?
        if let at = rest.lastIndex(of: "@"), rest[rest.index(after: at)...].hasPrefix("sha") {
            do { digest = try Digest(parsing: String(rest[rest.index(after: at)...])) } catch {
                throw OCIError.invalidReference(text, reason: "bad digest after \"@\": \(error.description)")
            }
            rest = rest[..<at]
        }
        var tag: String?
        if let colon = rest.firstIndex(of: ":") {
            tag = String(rest[rest.index(after: colon)...])
            rest = rest[..<colon]
        }
        guard !rest.isEmpty else {
            throw OCIError.invalidReference(text, reason: "the path is missing; write \(kind.rawValue):PATH\(kind == .dockerArchive ? "[:REPO:TAG]" : "[:TAG]")")
        }
        if tag?.isEmpty == true { tag = nil }
        if let tag { try validateRefName(tag, in: text) }
        return ImageRef(kind: kind, location: String(rest), tag: tag, digest: digest)
    }

    /// Longest name accepted in a layout's `ref.name`.
    static let maxRefNameLength = 512

    /// A layout entry's name as the image-layout spec's grammar allows it: components of letters
    /// and digits joined by `-._:@+` (or `--`), separated by `/`.
    static func validateRefName(_ name: String, in text: String) throws(OCIError) {
        let bytes = Array(name.utf8)
        guard bytes.count <= maxRefNameLength else {
            throw OCIError.invalidReference(text, reason: "the name is \(bytes.count) characters long; at most \(maxRefNameLength) are allowed")
        }
        let separators = Set("-._:@+".utf8)
        let valid = name.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { component in
            let bytes = Array(component.utf8)
            guard let first = bytes.first, let last = bytes.last, isAlphanumeric(first), isAlphanumeric(last) else { return false }
            return bytes.allSatisfy { isAlphanumeric($0) || separators.contains($0) }
        }
        guard valid else {
            throw OCIError.invalidReference(text, reason: "name \"\(name)\" may contain only letters, digits and -._:@+ between them, in parts separated by /")
        }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// Where a copy of `source` goes when the destination is written as `text`: without tag or
    /// digest it takes the source's tag, or for a source named by digest only, its digest.
    public static func copyDestination(_ text: String, for source: ImageRef) throws(OCIError) -> ImageRef {
        guard let store = try? ImageRef(parsingRepository: text) else { return try ImageRef(parsing: text) }
        guard let tag = source.tag else { return store.with(tag: nil, digest: source.digest) }
        do {
            if store.kind == .registry { try Reference.validateTag(tag, in: text) } else { try validateRefName(tag, in: text) }
        } catch {
            throw OCIError.invalidReference(text, reason: "the source's name \"\(tag)\" is no tag here: name one, e.g. \(store.name):1.0")
        }
        return store.with(tag: tag)
    }

    /// This reference with its tag and digest replaced.
    public func with(tag: String?, digest: Digest? = nil) -> ImageRef {
        ImageRef(kind: kind, location: location, repository: repository, tag: tag, digest: digest)
    }

    /// The store and repository alone: what a store is opened for.
    public var repositoryRef: ImageRef { with(tag: nil) }

    /// The registry reference, for a registry.
    public var registryReference: Reference? {
        kind == .registry ? Reference(registry: location, repository: repository, tag: tag, digest: digest) : nil
    }

    /// The store and repository as written: `host/repo`, `oci:/path`.
    public var name: String { kind == .registry ? "\(location)/\(repository)" : "\(kind.rawValue):\(location)" }

    /// The canonical form, as it parses back.
    public var description: String {
        var text = name
        if let tag { text += ":\(tag)" }
        if let digest { text += "@\(digest)" }
        return text
    }

    /// A repository of the store named `store` (a registry host, or `oci:/path` as the registries
    /// pane lists it): for files the name is the file's.
    public static func repository(_ name: String, in store: String) throws(OCIError) -> ImageRef {
        if let (kind, rest) = fileKind(store) { return ImageRef(kind: kind, location: String(rest)) }
        return ImageRef(try Reference(parsingRepository: "\(store)/\(name)"))
    }

    /// The store's own name as the registries pane lists it: the host, or `oci:/path`.
    public var storeName: String { kind == .registry ? location : name }
}
