import Foundation
import OCI

/// Why two manifests' digests differ, from least to most substantial.
public enum Verdict: String, Sendable, CaseIterable {
    /// Same bytes, same digest.
    case identical
    /// Same JSON value written differently: whitespace, key order, escaping.
    case reserialized
    /// Same config and layer blobs; the manifest differs in form (media types, annotations).
    case converted
    /// Same config (so the same uncompressed layers) but different compressed layer blobs.
    case recompressed
    /// One side is a multi-platform index, the other one of its platforms (or fewer of them).
    case platformExtracted = "platform-extracted"
    /// Different content: a different config.
    case different

    var severity: Int { Self.allCases.firstIndex(of: self)! }

    /// A sentence for people (the verdict's name is not repeated in it).
    public var explanation: String {
        switch self {
        case .identical: "the same bytes, so the same digest"
        case .reserialized: "the same JSON written differently (whitespace, key order or escaping), so a different digest"
        case .converted: "the same config and layer blobs, but the manifest differs in form (media types or other fields)"
        case .recompressed: "the same config and uncompressed layers, but the compressed layer blobs differ, as when an image is pulled into an engine and pushed again"
        case .platformExtracted: "one side is a multi-platform index, the other one of its platforms (or fewer of them), as when a pull or a copy selects a platform"
        case .different: "the images have different configs, so different content"
        }
    }
}

/// What one side of a comparison is.
public struct SideSummary: Sendable, Equatable {
    public var reference: String
    public var digest: Digest
    public var mediaType: String
    public var size: Int
    /// The config digest (the image ID an engine shows), for an image.
    public var configDigest: Digest?
}

/// One row of the parts table: a part's digest on each side.
public struct PartRow: Sendable, Equatable {
    /// "manifest", "config (image ID)", "layer 1", "diff_id 1", "linux/amd64", …
    public var part: String
    public var a: Digest?
    public var b: Digest?
    public var equal: Bool { a == b }
    /// Size and media type of each side, where the part has them (made into text on request:
    /// a table can have tens of thousands of rows).
    private var aBlob: Blob?
    private var bBlob: Blob?

    private struct Blob: Sendable, Equatable {
        var size: Int64
        var mediaType: MediaType
    }

    /// A row of two digests.
    init(part: String, a: Digest?, b: Digest?) {
        self.part = part
        self.a = a
        self.b = b
    }

    /// A row of two descriptors, with their sizes and media types.
    init(part: String, a: Descriptor?, b: Descriptor?) {
        self.init(part: part, a: a?.digest, b: b?.digest)
        aBlob = a.map { Blob(size: $0.size, mediaType: $0.mediaType) }
        bBlob = b.map { Blob(size: $0.size, mediaType: $0.mediaType) }
    }

    /// "1.2 MiB, OCI layer (gzip)" for side A, when the part has a size and media type.
    public var aDetail: String? { aBlob.map { ManifestComparison.detail(size: $0.size, mediaType: $0.mediaType) } }
    /// The same for side B.
    public var bDetail: String? { bBlob.map { ManifestComparison.detail(size: $0.size, mediaType: $0.mediaType) } }
    /// Both details, the text made once when both sides have the same size and media type.
    public var details: (a: String?, b: String?) {
        let a = aDetail
        return (a, bBlob == aBlob ? a : bDetail)
    }
}

/// The comparison of a pair of children (indexes are compared platform by platform).
public struct PairVerdict: Sendable, Equatable {
    public var platform: String
    public var a: Digest?
    public var b: Digest?
    public var verdict: Verdict
}

/// Two manifests compared: both sides, the verdict with its evidence, the parts table, and the
/// pretty-printed JSON of both lined up.
public struct ManifestComparison: Sendable {
    public let a: SideSummary
    public let b: SideSummary
    public let verdict: Verdict
    /// Every cause, the verdict first: `platform-extracted` and then how the platform's pair
    /// differs (`recompressed`), when it does.
    public let causes: [Verdict]
    /// What the side-by-side view shows when it is not the two manifests themselves: for an
    /// index against one of its platforms, the index's matching child.
    public let sideBySideNote: String?
    /// The facts behind the verdict, one sentence each.
    public let evidence: [String]
    public let parts: [PartRow]
    public let pairs: [PairVerdict]
    private let left: Manifest
    private let right: Manifest

    public init(_ left: ImageTree, _ right: ImageTree) {
        a = Self.summary(left)
        b = Self.summary(right)
        let analysis = Analysis.compare(left, right)
        verdict = analysis.verdict
        causes = [analysis.verdict] + (analysis.inner.map { [$0] } ?? [])
        evidence = analysis.evidence
        pairs = analysis.pairs
        parts = Self.parts(left, right)
        // An index against one of its platforms: the child lined up with the image, not the index.
        if left.manifest.index != nil, right.manifest.image != nil, let child = Analysis.matchingChild(of: left, for: right) {
            (self.left, self.right) = (child.manifest, right.manifest)
            sideBySideNote = "side by side: A's \(child.platform(in: left.manifest.index)?.description ?? "matching") manifest \(child.manifest.digest) (from its index) and B"
        } else if right.manifest.index != nil, left.manifest.image != nil, let child = Analysis.matchingChild(of: right, for: left) {
            (self.left, self.right) = (left.manifest, child.manifest)
            sideBySideNote = "side by side: A and B's \(child.platform(in: right.manifest.index)?.description ?? "matching") manifest \(child.manifest.digest) (from its index)"
        } else {
            (self.left, self.right) = (left.manifest, right.manifest)
            sideBySideNote = nil
        }
    }

    /// The verdict and its causes as one headline: `platform-extracted + recompressed`.
    public var headline: String { causes.map(\.rawValue).joined(separator: " + ") }

    /// Every cause explained: the verdict's sentence, then the inner pair's.
    public var fullExplanation: String {
        causes.count > 1 ? "\(verdict.explanation); the pair is \(causes[1].rawValue): \(causes[1].explanation)" : verdict.explanation
    }

    /// Both manifests pretty-printed (key order and scalars as written), lined up. Computed on
    /// request: a JSON report does not need it.
    public func json() -> SideBySide {
        SideBySide(left: left.tree.prettyLines(), right: right.tree.prettyLines())
    }

    /// The exact bytes lined up, whitespace made visible (`·` space, `→` tab, `␍` carriage
    /// return, `⏎` end of line): whitespace alone changes a digest.
    public func exactBytes() -> SideBySide {
        SideBySide(left: Self.visibleLines(left.bytes), right: Self.visibleLines(right.bytes))
    }

    static func summary(_ tree: ImageTree) -> SideSummary {
        SideSummary(reference: tree.reference, digest: tree.manifest.digest, mediaType: tree.manifest.mediaType.rawValue,
                    size: tree.manifest.bytes.count, configDigest: tree.manifest.image?.config.digest)
    }

    static func visibleLines(_ bytes: Data) -> [String] {
        let text = String(decoding: bytes, as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.replacingOccurrences(of: " ", with: "·").replacingOccurrences(of: "\t", with: "→")
                .replacingOccurrences(of: "\r", with: "␍") + "⏎"
        }
        if text.hasSuffix("\n") { lines.removeLast() } else if !lines.isEmpty { lines[lines.count - 1].removeLast() }
        return lines
    }

    // MARK: - Parts

    static func parts(_ left: ImageTree, _ right: ImageTree) -> [PartRow] {
        var rows = [PartRow(part: "manifest", a: left.manifest.descriptor, b: right.manifest.descriptor)]
        switch (left.manifest.content, right.manifest.content) {
        case (.index(let x), .index(let y)):
            for (platform, l, r) in Analysis.pairChildren(x, y) {
                rows.append(PartRow(part: platform, a: l, b: r))
            }
        case (.index, .image), (.image, .index):
            let (index, image, indexOnLeft) = left.manifest.index != nil ? (left, right, true) : (right, left, false)
            if let child = Analysis.matchingChild(of: index, for: image) {
                let label = child.platform(in: index.manifest.index).map { "\($0) manifest" } ?? "paired manifest"
                let (l, r) = indexOnLeft ? (child, image) : (image, child)
                rows.append(PartRow(part: label, a: l.manifest.digest, b: r.manifest.digest))
                appendImageParts(l, r, to: &rows)
            }
        case (.image, .image):
            appendImageParts(left, right, to: &rows)
        default:
            break
        }
        return rows
    }

    /// The config, layer and diff_id rows of two images.
    static func appendImageParts(_ left: ImageTree, _ right: ImageTree, to rows: inout [PartRow]) {
        guard let x = left.manifest.image, let y = right.manifest.image else { return }
        rows.reserveCapacity(rows.count + 1 + max(x.layers.count, y.layers.count) * 2)
        rows.append(PartRow(part: "config (image ID)", a: x.config, b: y.config))
        for index in 0..<max(x.layers.count, y.layers.count) {
            rows.append(PartRow(part: "layer \(index + 1)", a: index < x.layers.count ? x.layers[index] : nil,
                                b: index < y.layers.count ? y.layers[index] : nil))
        }
        let leftIDs = diffIDs(left), rightIDs = diffIDs(right)
        for index in 0..<max(leftIDs.count, rightIDs.count) {
            rows.append(PartRow(part: "diff_id \(index + 1)", a: index < leftIDs.count ? leftIDs[index] : nil,
                                b: index < rightIDs.count ? rightIDs[index] : nil))
        }
    }

    static func diffIDs(_ tree: ImageTree) -> [Digest] {
        tree.config.flatMap(ImageConfig.parse)?.rootfs?.diffIDs ?? []
    }

    static func detail(_ descriptor: Descriptor) -> String {
        detail(size: descriptor.size, mediaType: descriptor.mediaType)
    }

    /// "1.2 MiB, OCI layer (gzip)".
    static func detail(size: Int64, mediaType: MediaType) -> String {
        ByteCount.format(size) + ", " + mediaType.friendlyName
    }
}
