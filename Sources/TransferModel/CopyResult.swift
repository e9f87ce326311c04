import OCI

/// What one copy did.
public struct CopyResult: Sendable, Encodable {
    public var source: String
    public var destination: String
    /// The digest the source reference resolved to.
    public var sourceDigest: Digest
    /// The digest now at the destination (equal to `sourceDigest` unless platforms were filtered).
    public var digest: Digest
    /// Whether the destination has the source's digest (false only when platforms were selected).
    public var digestPreserved: Bool
    public var alreadyPresent = false
    public var manifestsPushed = 0
    public var blobsUploaded = 0
    public var blobsMounted = 0
    public var blobsSkipped = 0
    public var bytesUploaded: Int64 = 0
    public var referrersCopied = 0

    public init(source: Reference, destination: Reference, sourceDigest: Digest, digest: Digest) {
        self.source = source.description
        self.destination = destination.description
        self.sourceDigest = sourceDigest
        self.digest = digest
        self.digestPreserved = digest == sourceDigest
    }
}
