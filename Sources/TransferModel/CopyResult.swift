import OCI

/// What one copy did.
public struct CopyResult: Sendable, Encodable {
    public var source: String
    public var destination: String
    /// The destination tag written (nil for a copy by digest).
    public var tag: String?
    /// The digest the source reference resolved to.
    public var sourceDigest: Digest
    /// The digest now at the destination (equal to `sourceDigest` unless platforms were selected).
    public var digest: Digest
    /// Whether the destination has the source's digest.
    public var digestPreserved: Bool
    /// The platforms copied out of the source index, when `--platform` chose some of them.
    public var platforms: [String]?
    /// What the destination tag pointed at before, when the copy moved it.
    public var movedFrom: Digest?
    /// The manifest was at the destination already.
    public var alreadyPresent = false
    /// Nothing was written: the destination tag already pointed at this digest.
    public var nothingToDo = false
    public var manifestsPushed = 0
    public var blobsUploaded = 0
    public var blobsMounted = 0
    public var blobsSkipped = 0
    /// Bytes written to the destination, whatever it is.
    public var bytesUploaded: Int64 = 0
    public var referrersCopied = 0

    public init(source: ImageRef, destination: ImageRef, sourceDigest: Digest, digest: Digest) {
        self.source = source.description
        self.destination = destination.description
        self.tag = destination.tag
        self.sourceDigest = sourceDigest
        self.digest = digest
        self.digestPreserved = digest == sourceDigest
    }

    /// What the copy did, in a line: whether the digest was kept (and for which platform), a
    /// tag moved, or nothing to do.
    public var summary: String {
        if nothingToDo { return "nothing to do: the destination already points at \(digest)" }
        var text: String
        switch platforms {
        case let chosen? where chosen.count == 1:
            text = "copied the \(chosen[0]) manifest \(digest), its digest kept; the source index \(sourceDigest) was not copied"
        case let chosen?:
            text = "copied \(chosen.count) platforms as a new index \(digest); the source index \(sourceDigest) cannot be kept with fewer platforms"
        case nil:
            text = "\(digest) \(digestPreserved ? "digest preserved" : "digest changed")"
        }
        if let movedFrom { text += "; moved \(tag ?? "the tag") from \(movedFrom) to \(digest)" }
        return text
    }
}
