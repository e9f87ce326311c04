import Foundation

/// A manifest with what lies below it, as far as it was fetched: for an image its config blob,
/// for an index its children (in the index's order). What the diff and the TUI's tree work on.
public struct ImageTree: Sendable {
    /// Where it came from, for display (`registry/repo:tag`).
    public var reference: String
    public var manifest: Manifest
    /// The config blob's bytes, when this is an image and the config was fetched.
    public var config: Data?
    /// For an index: each child's tree, in the index's order.
    public var children: [ImageTree]

    public init(reference: String, manifest: Manifest, config: Data? = nil, children: [ImageTree] = []) {
        self.reference = reference
        self.manifest = manifest
        self.config = config
        self.children = children
    }

    /// The platform this image is for: from its index entry when known, else from its config.
    public func platform(in parent: ImageIndex? = nil) -> Platform? {
        if let entry = parent?.manifests.first(where: { $0.digest == manifest.digest }), let platform = entry.platform {
            return platform
        }
        guard let config, let fields = ImageConfig.parse(config), let os = fields.os, let architecture = fields.architecture else {
            return nil
        }
        return Platform(os: os, architecture: architecture, variant: fields.variant)
    }
}
