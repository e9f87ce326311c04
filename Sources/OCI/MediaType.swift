/// A media type string such as `application/vnd.oci.image.manifest.v1+json`. Unknown types are kept
/// as written, so nothing a registry serves is lost.
public struct MediaType: Hashable, Sendable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String

    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
    public var description: String { rawValue }

    public static let ociIndex: MediaType = "application/vnd.oci.image.index.v1+json"
    public static let ociManifest: MediaType = "application/vnd.oci.image.manifest.v1+json"
    public static let ociConfig: MediaType = "application/vnd.oci.image.config.v1+json"
    public static let ociLayer: MediaType = "application/vnd.oci.image.layer.v1.tar"
    public static let ociLayerGzip: MediaType = "application/vnd.oci.image.layer.v1.tar+gzip"
    public static let ociLayerZstd: MediaType = "application/vnd.oci.image.layer.v1.tar+zstd"
    public static let ociEmpty: MediaType = "application/vnd.oci.empty.v1+json"
    public static let dockerManifestList: MediaType = "application/vnd.docker.distribution.manifest.list.v2+json"
    public static let dockerManifest: MediaType = "application/vnd.docker.distribution.manifest.v2+json"
    public static let dockerSchema1: MediaType = "application/vnd.docker.distribution.manifest.v1+json"
    public static let dockerSchema1Signed: MediaType = "application/vnd.docker.distribution.manifest.v1+prettyjws"
    public static let dockerConfig: MediaType = "application/vnd.docker.container.image.v1+json"
    public static let dockerLayerGzip: MediaType = "application/vnd.docker.image.rootfs.diff.tar.gzip"
    /// An uncompressed layer tar, as container engines save them (`docker save`).
    public static let dockerLayer: MediaType = "application/vnd.docker.image.rootfs.diff.tar"
    public static let dockerForeignLayerGzip: MediaType = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip"

    /// Every manifest type regtui asks registries for, most preferred first.
    public static let acceptedManifestTypes: [MediaType] = [
        .ociIndex, .ociManifest, .dockerManifestList, .dockerManifest, .dockerSchema1Signed, .dockerSchema1,
    ]

    /// A multi-platform index or Docker manifest list.
    public var isIndex: Bool { self == .ociIndex || self == .dockerManifestList }
    /// A single-image manifest (OCI or Docker schema 2).
    public var isImageManifest: Bool { self == .ociManifest || self == .dockerManifest }
    /// Docker's legacy schema 1, which regtui reads but never writes.
    public var isSchema1: Bool { self == .dockerSchema1 || self == .dockerSchema1Signed }
    /// Any manifest type (as opposed to a blob).
    public var isManifest: Bool { isIndex || isImageManifest || isSchema1 }
    /// Whether this is one of Docker's own types (rather than OCI's).
    public var isDocker: Bool { rawValue.hasPrefix("application/vnd.docker.") }

    /// The compression a layer media type names, if any: `gzip`, `zstd`, or nil for plain tar and others.
    public var compression: String? {
        if rawValue.hasSuffix("+gzip") || rawValue.hasSuffix(".tar.gzip") { return "gzip" }
        if rawValue.hasSuffix("+zstd") { return "zstd" }
        return nil
    }

    /// A short human name: "OCI index", "Docker manifest list", or the raw string.
    public var friendlyName: String { Self.friendlyNames[rawValue] ?? rawValue }

    private static let friendlyNames: [String: String] = [
        ociIndex.rawValue: "OCI index",
        ociManifest.rawValue: "OCI manifest",
        ociConfig.rawValue: "OCI config",
        ociLayer.rawValue: "OCI layer (tar)",
        ociLayerGzip.rawValue: "OCI layer (gzip)",
        ociLayerZstd.rawValue: "OCI layer (zstd)",
        ociEmpty.rawValue: "OCI empty",
        dockerManifestList.rawValue: "Docker manifest list",
        dockerManifest.rawValue: "Docker manifest v2",
        dockerSchema1.rawValue: "Docker schema 1",
        dockerSchema1Signed.rawValue: "Docker schema 1",
        dockerConfig.rawValue: "Docker config",
        dockerLayerGzip.rawValue: "Docker layer (gzip)",
        dockerLayer.rawValue: "Docker layer (tar)",
        dockerForeignLayerGzip.rawValue: "Docker foreign layer",
    ]
}
