import OCI

/// One row of the parts table: a part's digest on each side.
public struct PartRow: Sendable, Equatable {
    /// "manifest", "config (image ID)", "layer 1", "diff_id 1", "linux/amd64", …
    public var part: String
    public var a: Digest?
    public var b: Digest?
    public var equal: Bool { a == b }
    /// Size and media type of each side, where the part has them (made into text on request:
    /// a table can have tens of thousands of rows).
    public private(set) var aBlob: Blob?
    public private(set) var bBlob: Blob?

    /// A blob's size and media type.
    public struct Blob: Sendable, Equatable {
        public var size: Int64
        public var mediaType: MediaType

        init(_ descriptor: Descriptor) {
            self.init(size: descriptor.size, mediaType: descriptor.mediaType)
        }

        init(size: Int64, mediaType: MediaType) {
            self.size = size
            self.mediaType = mediaType
        }

        /// "1.2 MiB, OCI layer (gzip)".
        public var detail: String { ManifestComparison.detail(size: size, mediaType: mediaType) }
    }

    /// A row of two digests.
    init(part: String, a: Digest?, b: Digest?) {
        self.part = part
        self.a = a
        self.b = b
    }

    /// A row of `a[index]` and `b[index]`, either of which may be past its end.
    init(part: String, _ a: [Descriptor], _ b: [Descriptor], at index: Int) {
        self.init(part: part, a: Digest?.none, b: Digest?.none)
        // Through buffer pointers: the fields are read where they lie, not from a copy of the
        // whole descriptor.
        a.withUnsafeBufferPointer { a in
            guard index < a.count else { return }
            self.a = a[index].digest
            aBlob = Blob(size: a[index].size, mediaType: a[index].mediaType)
        }
        b.withUnsafeBufferPointer { b in
            guard index < b.count else { return }
            self.b = b[index].digest
            bBlob = Blob(size: b[index].size, mediaType: b[index].mediaType)
        }
    }

    /// A row of two descriptors, with their sizes and media types.
    init(part: String, a: Descriptor?, b: Descriptor?) {
        self.init(part: part, a: a?.digest, b: b?.digest)
        aBlob = a.map(Blob.init)
        bBlob = b.map(Blob.init)
    }

    /// "1.2 MiB, OCI layer (gzip)" for side A, when the part has a size and media type.
    public var aDetail: String? { aBlob?.detail }
    /// The same for side B.
    public var bDetail: String? { bBlob?.detail }
    /// Both details, the text made once when both sides have the same size and media type.
    public var details: (a: String?, b: String?) {
        let a = aDetail
        return (a, bBlob == aBlob ? a : bDetail)
    }
}

/// The parts table of a comparison: the manifests, the platforms' or the paired manifests, the
/// config, and each layer and diff_id. Layer and diff_id rows are made on request from the two
/// manifests: a table of two large images has tens of thousands of rows.
public struct PartRows: RandomAccessCollection, Sendable {
    /// The rows before the layers: manifest, platforms or paired manifest, config.
    private var head: [PartRow] = []
    private var layers: (left: [Descriptor], right: [Descriptor]) = ([], [])
    private var diffIDs: (left: [Digest], right: [Digest]) = ([], [])
    private var layerRows: Int { Swift.max(layers.left.count, layers.right.count) }

    init(_ left: ImageTree, _ right: ImageTree) {
        head = [PartRow(part: "manifest", a: left.manifest.descriptor, b: right.manifest.descriptor)]
        switch (left.manifest.content, right.manifest.content) {
        case (.index(let x), .index(let y)):
            for (platform, l, r) in Analysis.pairChildren(x, y) {
                head.append(PartRow(part: platform, a: l, b: r))
            }
        case (.index, .image), (.image, .index):
            let (index, image, indexOnLeft) = left.manifest.index != nil ? (left, right, true) : (right, left, false)
            if let child = Analysis.matchingChild(of: index, for: image) {
                let label = child.platform(in: index.manifest.index).map { "\($0) manifest" } ?? "paired manifest"
                let (l, r) = indexOnLeft ? (child, image) : (image, child)
                head.append(PartRow(part: label, a: l.manifest.digest, b: r.manifest.digest))
                setImageParts(l, r)
            }
        case (.image, .image):
            setImageParts(left, right)
        default:
            break
        }
    }

    /// The config row, and the layers and diff_ids the later rows are made from.
    private mutating func setImageParts(_ left: ImageTree, _ right: ImageTree) {
        guard let x = left.manifest.image, let y = right.manifest.image else { return }
        head.append(PartRow(part: "config (image ID)", a: x.config, b: y.config))
        layers = (x.layers, y.layers)
        diffIDs = (ManifestComparison.diffIDs(left), ManifestComparison.diffIDs(right))
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { head.count + layerRows + Swift.max(diffIDs.left.count, diffIDs.right.count) }

    public subscript(position: Int) -> PartRow {
        precondition(indices.contains(position), "row \(position) is outside the parts table")
        if position < head.count { return head[position] }
        let layer = position - head.count
        if layer < layerRows {
            return PartRow(part: "layer " + String(layer + 1), layers.left, layers.right, at: layer)
        }
        let id = layer - layerRows
        return PartRow(part: "diff_id " + String(id + 1), a: diffIDs.left[safe: id], b: diffIDs.right[safe: id])
    }

    /// The labels of the rows, among them the widest: every row's before the layers, and the
    /// last layer's and diff_id's (numbered labels only grow).
    public var widestLabels: [String] {
        head.map(\.part) + [count - 1, head.count + layerRows - 1].filter { $0 >= head.count }.map { self[$0].part }
    }
}

private extension Array {
    subscript(safe index: Int) -> Element? { index < count ? self[index] : nil }
}
