extension ImageIndex {
    /// The platforms the index offers, in its order (entries without a platform are left out).
    public var platforms: [Platform] { manifests.compactMap(\.platform) }

    /// The first entry whose platform matches `wanted`, as a container engine would pick it.
    public func descriptor(for wanted: Platform) -> Descriptor? {
        manifests.first { $0.platform?.matches(wanted) == true }
    }

    /// The entries whose platform matches any of `wanted`, in the index's order.
    public func entries(matching wanted: [Platform]) -> [Descriptor] {
        manifests.filter { entry in entry.platform.map { platform in wanted.contains { platform.matches($0) } } ?? false }
    }

    /// What the index offers, for messages: `linux/amd64, linux/arm64` or `none`.
    public var offered: String {
        let list = platforms.map(\.description).joined(separator: ", ")
        return list.isEmpty ? "none" : list
    }
}
