import OCI

/// Turns an image tree into the rows the manifest pane shows: index → platform manifests →
/// config and layers, collapsed nodes' children left out.
enum TreeFlattener {
    static func rows(_ tree: ImageTree, collapsed: Set<[Int]>) -> [TreeRow] {
        var rows: [TreeRow] = []
        append(tree, label: nil, depth: 0, path: [], parent: nil, collapsed: collapsed, into: &rows)
        return rows
    }

    private static func append(_ tree: ImageTree, label: String?, depth: Int, path: [Int], parent: ImageIndex?,
                               collapsed: Set<[Int]>, into rows: inout [TreeRow]) {
        let manifest = tree.manifest
        let platform = parent?.manifests.first { $0.digest == manifest.digest }?.platform
        var descriptor = manifest.descriptor
        descriptor.platform = platform
        let name = label ?? platform?.description ?? manifest.mediaType.friendlyName
        switch manifest.content {
        case .index(let index):
            rows.append(TreeRow(kind: .index, depth: depth, label: "\(name) (\(index.manifests.count) platforms)",
                                descriptor: descriptor, path: path, expandable: true))
            guard !collapsed.contains(path) else { return }
            for (position, child) in tree.children.enumerated() {
                append(child, label: nil, depth: depth + 1, path: path + [position], parent: index, collapsed: collapsed, into: &rows)
            }
        case .image(let image):
            let kind = image.artifactType.map { "artifact \($0)" } ?? manifest.mediaType.friendlyName
            rows.append(TreeRow(kind: .manifest, depth: depth, label: platform != nil ? "\(name)  \(kind)" : name,
                                descriptor: descriptor, path: path, expandable: true))
            guard !collapsed.contains(path) else { return }
            rows.append(TreeRow(kind: .config, depth: depth + 1, label: "config", descriptor: image.config,
                                path: path + [-1], expandable: false))
            for (position, layer) in image.layers.enumerated() {
                rows.append(TreeRow(kind: .layer, depth: depth + 1, label: "layer \(position + 1)", descriptor: layer,
                                    path: path + [position], expandable: false))
            }
            if !image.layers.isEmpty, image.config.mediaType == .ociConfig || image.config.mediaType == .dockerConfig {
                let count = image.layers.count
                rows.append(TreeRow(kind: .files, depth: depth + 1, label: "files (\(count) layer\(count == 1 ? "" : "s") merged)",
                                    descriptor: descriptor, path: path + [-2], expandable: false))
            }
        case .schema1:
            rows.append(TreeRow(kind: .manifest, depth: depth, label: "\(name) (read-only)", descriptor: descriptor,
                                path: path, expandable: false))
        }
    }

    /// Every row of the tree whose label or digest matches `matcher`, with its ancestors, whatever
    /// is collapsed.
    static func rows(_ tree: ImageTree, matching matcher: FilterMatcher) -> [TreeRow] {
        let all = rows(tree, collapsed: [])
        var keep = Set<[Int]>()
        for row in all where matcher.matches(row.label) || matcher.matches(row.descriptor.digest.description) {
            let path = row.kind == .config || row.kind == .layer || row.kind == .files ? Array(row.path.dropLast()) : row.path
            for length in 0...path.count { keep.insert(Array(path.prefix(length))) }
            keep.insert(row.path)
        }
        return all.filter { keep.contains($0.path) }
    }

    /// How the image `node` is named in titles: its platform in an index, else "the image".
    static func imageLabel(_ node: ImageTree, in tree: ImageTree) -> String {
        guard let index = tree.manifest.index, node.manifest.digest != tree.manifest.digest else { return "the image" }
        return index.manifests.first { $0.digest == node.manifest.digest }?.platform?.description ?? node.manifest.digest.short
    }

    /// The image tree a row belongs to (the manifest node itself, or the parent of a blob or
    /// files row).
    static func manifestTree(of row: TreeRow, in tree: ImageTree) -> ImageTree? {
        let path = row.kind == .config || row.kind == .layer || row.kind == .files ? Array(row.path.dropLast()) : row.path
        var node = tree
        for position in path {
            guard node.children.indices.contains(position) else { return nil }
            node = node.children[position]
        }
        return node
    }
}

/// Orders tags as people read them: digit runs compare as numbers (`v1.9` < `v1.10`),
/// and a pre-release (`1.0-rc1`) comes before its release (`1.0`).
public enum NaturalOrder {
    public static func sorted(_ tags: [String]) -> [String] {
        tags.map { (key(for: $0), $0) }.sorted { less($0.0, $1.0) || (!less($1.0, $0.0) && $0.1 < $1.1) }.map(\.1)
    }

    enum Part: Equatable {
        case number(Int), text(String)
    }

    static func key(for tag: String) -> [Part] {
        var parts: [Part] = []
        var current = ""
        var digits = false
        for character in tag {
            let isDigit = character.isASCII && character.isNumber
            if !current.isEmpty && isDigit != digits {
                parts.append(digits ? .number(Int(current) ?? .max) : .text(current))
                current = ""
            }
            digits = isDigit
            current.append(character)
        }
        if !current.isEmpty { parts.append(digits ? .number(Int(current) ?? .max) : .text(current)) }
        return parts
    }

    static func less(_ a: [Part], _ b: [Part]) -> Bool {
        for (x, y) in zip(a, b) {
            switch (x, y) {
            case (.number(let m), .number(let n)) where m != n: return m < n
            case (.text(let s), .text(let t)) where s != t:
                // "-rc" after a shared prefix sorts before the end of the other tag.
                return s < t
            case (.number, .text): return true
            case (.text, .number): return false
            default: continue
            }
        }
        if a.count != b.count {
            // A longer tag that continues with "-" is a pre-release of the shorter one.
            let longer = a.count > b.count ? a : b
            if case .text(let s) = longer[min(a.count, b.count)], s.hasPrefix("-") { return a.count > b.count }
            return a.count < b.count
        }
        return false
    }
}
