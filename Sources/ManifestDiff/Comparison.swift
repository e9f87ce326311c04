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
    public let parts: PartRows
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
        parts = PartRows(left, right)
        (self.left, self.right, sideBySideNote) = Self.shown(left, right)
    }

    /// The two manifests the side-by-side view shows, and a note when they are not the two
    /// compared: for an index against one of its platforms, the index's matching child.
    static func shown(_ left: ImageTree, _ right: ImageTree) -> (left: Manifest, right: Manifest, note: String?) {
        if left.manifest.index != nil, right.manifest.image != nil, let child = Analysis.matchingChild(of: left, for: right) {
            return (child.manifest, right.manifest,
                    "side by side: A's \(child.platform(in: left.manifest.index)?.description ?? "matching") manifest \(child.manifest.digest) (from its index) and B")
        } else if right.manifest.index != nil, left.manifest.image != nil, let child = Analysis.matchingChild(of: right, for: left) {
            return (left.manifest, child.manifest,
                    "side by side: A and B's \(child.platform(in: right.manifest.index)?.description ?? "matching") manifest \(child.manifest.digest) (from its index)")
        }
        return (left.manifest, right.manifest, nil)
    }

    /// The verdict and its causes as one headline: `platform-extracted + recompressed`.
    public var headline: String { causes.map(\.rawValue).joined(separator: " + ") }

    /// Every cause explained: the verdict's sentence, then the inner pair's.
    public var fullExplanation: String {
        causes.count > 1 ? "\(verdict.explanation); the pair is \(causes[1].rawValue): \(causes[1].explanation)" : verdict.explanation
    }

    /// Both manifests pretty-printed (key order and scalars as written), lined up. Computed on
    /// request: a JSON report does not need it.
    public func json() -> SideBySide { lined(exactBytes: false) }

    /// The exact bytes lined up, whitespace made visible (`·` space, `→` tab, `␍` carriage
    /// return, `⏎` end of line): whitespace alone changes a digest.
    public func exactBytes() -> SideBySide { lined(exactBytes: true) }

    private func lined(exactBytes: Bool) -> SideBySide {
        SideBySide(left: Self.text(of: left, exactBytes: exactBytes), right: Self.text(of: right, exactBytes: exactBytes))
    }

    /// The two manifests the comparison of `left` and `right` shows side by side, found without
    /// comparing them: a large pair's texts are made and lined up while it is being compared.
    public static func shownManifests(_ left: ImageTree, _ right: ImageTree) -> (left: Manifest, right: Manifest) {
        let shown = shown(left, right)
        return (shown.left, shown.right)
    }

    /// The text one side of the view shows: `manifest` pretty-printed, or its exact bytes with
    /// whitespace made visible.
    public static func text(of manifest: Manifest, exactBytes: Bool) -> TextLines {
        exactBytes ? visibleLines(manifest.bytes) : manifest.tree.prettyLines()
    }

    static func summary(_ tree: ImageTree) -> SideSummary {
        SideSummary(reference: tree.reference, digest: tree.manifest.digest, mediaType: tree.manifest.mediaType.rawValue,
                    size: tree.manifest.bytes.count, configDigest: tree.manifest.image?.config.digest)
    }

    static func visibleLines(_ bytes: Data) -> TextLines {
        var lines = TextLines()
        lines.reserveCapacity(lines: bytes.count / 32, bytes: bytes.count + bytes.count / 4)
        for byte in bytes {
            switch byte {
            case UInt8(ascii: " "): lines.append(contentsOf: "·".utf8)
            case UInt8(ascii: "\t"): lines.append(contentsOf: "→".utf8)
            case UInt8(ascii: "\r"): lines.append(contentsOf: "␍".utf8)
            case UInt8(ascii: "\n"):
                lines.append(contentsOf: "⏎".utf8)
                lines.endLine()
            default: lines.append(byte)
            }
        }
        if bytes.last != UInt8(ascii: "\n") { lines.endLine() }
        return lines
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
