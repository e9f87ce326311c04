/// What a tag list shows of a manifest: when it was built, how big it is, for which platforms.
/// A manifest's digest names its bytes, so a summary never goes stale: it is cached by digest.
public struct ManifestSummary: Sendable, Codable, Equatable {
    /// One platform of an index (or the image itself).
    public struct Platform: Sendable, Codable, Equatable {
        public var platform: String?
        public var digest: String
        /// Config and layers, in bytes as stored (compressed).
        public var size: Int64
        public var created: String?

        public init(platform: String?, digest: String, size: Int64, created: String?) {
            self.platform = platform
            self.digest = digest
            self.size = size
            self.created = created
        }
    }

    public var mediaType: String
    /// The config's `created`, else the `org.opencontainers.image.created` annotation; for an
    /// index, its own annotation or the newest of its platforms'.
    public var created: String?
    /// Config and layers; for an index, every distinct blob of its platforms once (what a mirror
    /// stores).
    public var size: Int64
    public var platforms: [Platform]

    public init(mediaType: String, created: String?, size: Int64, platforms: [Platform]) {
        self.mediaType = mediaType
        self.created = created
        self.size = size
        self.platforms = platforms
    }

    /// The smallest and largest platform, when there are several.
    public var sizeRange: ClosedRange<Int64>? {
        guard platforms.count > 1, let low = platforms.map(\.size).min(), let high = platforms.map(\.size).max() else { return nil }
        return low...high
    }
}
