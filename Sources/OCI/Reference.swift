/// An image reference such as `docker.io/library/busybox:latest` or `host:5000/a/b@sha256:…`,
/// parsed and normalised exactly as docker does it (`busybox` → `docker.io/library/busybox:latest`).
public struct Reference: Hashable, Sendable, CustomStringConvertible {
    /// The registry host, with port if any (`docker.io`, `localhost:5000`, `[::1]:5000`).
    public var registry: String
    /// The repository path inside the registry (`library/busybox`).
    public var repository: String
    /// The tag, if one was given or defaulted.
    public var tag: String?
    /// The digest, if one was given.
    public var digest: Digest?

    public static let defaultRegistry = "docker.io"
    public static let defaultTag = "latest"
    static let legacyDefaultRegistry = "index.docker.io"
    static let maxNameLength = 255
    static let maxTagLength = 128

    public init(registry: String, repository: String, tag: String? = nil, digest: Digest? = nil) {
        self.registry = registry
        self.repository = repository
        self.tag = tag
        self.digest = digest
    }

    /// Parses a reference as `docker pull` would read it. A reference with neither tag nor digest
    /// gets the tag `latest`.
    public init(parsing text: String) throws(OCIError) {
        let parsed = try Self.parse(text)
        self = parsed
        if tag == nil && digest == nil { tag = Self.defaultTag }
    }

    /// Parses a repository without tag or digest (`host/a/b`), as `tags` and `copy --all-tags` take.
    public init(parsingRepository text: String) throws(OCIError) {
        let parsed = try Self.parse(text)
        if parsed.tag != nil || parsed.digest != nil {
            throw OCIError.invalidReference(text, reason: "expected a repository without tag or digest, e.g. \(parsed.name)")
        }
        self = parsed
    }

    private static func parse(_ text: String) throws(OCIError) -> Reference {
        func fail(_ reason: String) -> OCIError { .invalidReference(text, reason: reason) }
        if text.isEmpty { throw fail("it is empty; expected e.g. registry.example.com/team/app:1.0") }
        if text.contains("://") {
            throw fail("remove the URL scheme; a reference looks like host[:port]/repository[:tag][@digest]")
        }
        if text.utf8.count == 64, text.utf8.allSatisfy(isLowerHex) {
            throw fail("a 64-character hexadecimal string is an ID, not a repository name; add a registry or use sha256:<hex>")
        }

        var rest = Substring(text)
        var digest: Digest?
        if let at = rest.lastIndex(of: "@") {
            let digestText = String(rest[rest.index(after: at)...])
            do { digest = try Digest(parsing: digestText) } catch {
                throw fail("bad digest after \"@\": \(error.description)")
            }
            rest = rest[..<at]
        }

        var tag: String?
        if let colon = rest.lastIndex(of: ":"), !rest[rest.index(after: colon)...].contains("/") {
            let tagText = String(rest[rest.index(after: colon)...])
            try validateTag(tagText, in: text)
            tag = tagText
            rest = rest[..<colon]
        }

        let name = String(rest)
        if name.isEmpty { throw fail("the repository name is missing") }
        let (registry, path) = splitRegistry(name)
        if path.lowercased() != path {
            throw fail("repository name \"\(path)\" must be lower-case")
        }
        try validateRegistry(registry, in: text)
        try validateRepository(path, in: text)
        let fullLength = registry.utf8.count + 1 + path.utf8.count
        if fullLength > maxNameLength {
            throw fail("the name is \(fullLength) characters long; at most \(maxNameLength) are allowed")
        }
        return Reference(registry: registry, repository: path, tag: tag, digest: digest)
    }

    /// The canonical form: `registry/repository[:tag][@digest]`.
    public var description: String {
        var text = "\(registry)/\(repository)"
        if let tag { text += ":\(tag)" }
        if let digest { text += "@\(digest)" }
        return text
    }

    /// The repository with its registry: `registry/repository`.
    public var name: String { "\(registry)/\(repository)" }

    /// What to ask the registry for: the digest when there is one (it pins exact bytes), else the tag.
    public var identifier: String { digest?.description ?? tag ?? Self.defaultTag }

    /// Where a copy of `source` goes when the destination is written as `text`: a repository
    /// alone takes the source's tag, or for a source named by digest only, its digest.
    public static func copyDestination(_ text: String, for source: Reference) throws(OCIError) -> Reference {
        if let repository = try? Reference(parsingRepository: text) {
            return repository.with(tag: source.tag, digest: source.tag == nil ? source.digest : nil)
        }
        return try Reference(parsing: text)
    }

    /// This reference with its tag and digest replaced.
    public func with(tag: String?, digest: Digest? = nil) -> Reference {
        Reference(registry: registry, repository: repository, tag: tag, digest: digest)
    }

    // MARK: - Grammar

    /// docker's rule: the first path component is a registry when it has a dot or a colon,
    /// is `localhost`, or has an upper-case letter.
    static func splitRegistry(_ name: String) -> (String, String) {
        var registry = defaultRegistry
        var path = name
        if let slash = name.firstIndex(of: "/") {
            let first = String(name[..<slash])
            if first.contains(".") || first.contains(":") || first == "localhost" || first.lowercased() != first {
                registry = first
                path = String(name[name.index(after: slash)...])
            }
        }
        if registry == legacyDefaultRegistry { registry = defaultRegistry }
        if registry == defaultRegistry && !path.contains("/") { path = "library/" + path }
        return (registry, path)
    }

    /// Whether `utf8` is a valid tag name: letters, digits, `_ . -`, not starting with `.` or
    /// `-`, at most 128 characters.
    public static func isValidTag(_ utf8: some Collection<UInt8>) -> Bool {
        guard let first = utf8.first, isWordByte(first), utf8.count <= maxTagLength else { return false }
        return utf8.allSatisfy { isWordByte($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
    }

    /// Whether `utf8` is a valid repository path (`team/app`), at most 255 characters.
    public static func isValidRepository(_ utf8: some Collection<UInt8>) -> Bool {
        guard !utf8.isEmpty, utf8.count <= 255 else { return false }
        return utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).allSatisfy { isValidPathComponent(Array($0)) }
    }

    public static func validateTag(_ tag: String, in text: String) throws(OCIError) {
        let bytes = Array(tag.utf8)
        guard let first = bytes.first else {
            throw OCIError.invalidReference(text, reason: "the tag after \":\" is empty")
        }
        guard bytes.count <= maxTagLength else {
            throw OCIError.invalidReference(text, reason: "the tag is \(bytes.count) characters long; at most \(maxTagLength) are allowed")
        }
        guard isWordByte(first), bytes.allSatisfy({ isWordByte($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }) else {
            throw OCIError.invalidReference(text, reason: "tag \"\(tag)\" may contain only letters, digits, _ . - and must not start with . or -")
        }
    }

    static func validateRegistry(_ registry: String, in text: String) throws(OCIError) {
        func fail() -> OCIError {
            .invalidReference(text, reason: "registry \"\(registry)\" is not a valid host[:port]")
        }
        var host = Substring(registry)
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { throw fail() }
            let address = host[host.index(after: host.startIndex)..<close]
            guard !address.isEmpty, address.utf8.allSatisfy({ isHexDigit($0) || $0 == UInt8(ascii: ":") }) else { throw fail() }
            host = host[host.index(after: close)...]
            if host.isEmpty { return }
            guard host.first == ":" else { throw fail() }
            try validatePort(host.dropFirst(), fail: fail)
            return
        }
        if let colon = host.firstIndex(of: ":") {
            try validatePort(host[host.index(after: colon)...], fail: fail)
            host = host[..<colon]
        }
        let components = host.split(separator: ".", omittingEmptySubsequences: false)
        for component in components {
            let bytes = Array(component.utf8)
            guard let first = bytes.first, let last = bytes.last,
                  isAlphanumeric(first), isAlphanumeric(last),
                  bytes.allSatisfy({ isAlphanumeric($0) || $0 == UInt8(ascii: "-") }) else { throw fail() }
        }
    }

    private static func validatePort(_ port: Substring, fail: () -> OCIError) throws(OCIError) {
        guard !port.isEmpty, port.utf8.allSatisfy({ (48...57).contains($0) }) else { throw fail() }
    }

    /// Path components of lower-case letters and digits, joined by `.`, `_`, `__` or runs of `-`.
    static func validateRepository(_ path: String, in text: String) throws(OCIError) {
        for component in path.split(separator: "/", omittingEmptySubsequences: false) {
            guard isValidPathComponent(Array(component.utf8)) else {
                let shown = component.isEmpty ? "an empty path component (\"//\" or a trailing \"/\")" : "path component \"\(component)\""
                throw OCIError.invalidReference(text, reason: "\(shown) is not allowed; use lower-case letters and digits separated by single . or _, double __, or dashes")
            }
        }
    }

    private static func isValidPathComponent(_ bytes: [UInt8]) -> Bool {
        guard let first = bytes.first, let last = bytes.last,
              isLowerAlphanumeric(first), isLowerAlphanumeric(last) else { return false }
        var index = 0
        while index < bytes.count {
            if isLowerAlphanumeric(bytes[index]) { index += 1; continue }
            // A separator: ".", "_", "__" or one or more "-", always followed by an alphanumeric.
            let start = index
            switch bytes[index] {
            case UInt8(ascii: "."):
                index += 1
            case UInt8(ascii: "_"):
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "_") { index += 1 }
            case UInt8(ascii: "-"):
                while index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
            default:
                return false
            }
            guard index > start, index < bytes.count, isLowerAlphanumeric(bytes[index]) else { return false }
        }
        return true
    }

    private static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        (97...122).contains(byte) || (48...57).contains(byte)
    }
    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        isLowerAlphanumeric(byte) || (65...90).contains(byte)
    }
    private static func isWordByte(_ byte: UInt8) -> Bool { isAlphanumeric(byte) || byte == UInt8(ascii: "_") }
    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (48...57).contains(byte) || (97...102).contains(byte) || (65...70).contains(byte)
    }
    private static func isLowerHex(_ byte: UInt8) -> Bool { (48...57).contains(byte) || (97...102).contains(byte) }
}
