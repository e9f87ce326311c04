import Foundation
import OCI

/// The reasoning behind a verdict: what differs, from bytes to content.
enum Analysis {
    struct Result {
        var verdict: Verdict
        var evidence: [String]
        var pairs: [PairVerdict] = []
        /// How the platform pairs differ, for a `platform-extracted` verdict, when they do.
        var inner: Verdict?
    }

    static func compare(_ left: ImageTree, _ right: ImageTree) -> Result {
        let x = left.manifest, y = right.manifest
        if x.bytes == y.bytes {
            return Result(verdict: .identical, evidence: ["both manifests are the same \(x.bytes.count) bytes: \(x.digest)"])
        }
        if let form = formDifference(x, y) {
            return Result(verdict: .reserialized, evidence: form)
        }
        switch (x.content, y.content) {
        case (.image, .image):
            return compareImages(left, right)
        case (.index(let a), .index(let b)):
            return compareIndexes(left, a, right, b)
        case (.index, .image):
            return compareIndexToImage(index: left, image: right, indexSide: "A")
        case (.image, .index):
            return compareIndexToImage(index: right, image: left, indexSide: "B")
        default:
            return Result(verdict: .different, evidence: ["Docker schema 1 manifests can only be compared byte for byte, and these differ"])
        }
    }

    // MARK: Bytes and form

    /// When both documents hold the same JSON value: how their bytes differ.
    static func formDifference(_ x: Manifest, _ y: Manifest) -> [String]? {
        guard let spelling = x.tree.root.spellingDifferences(from: y.tree.root) else { return nil }
        let a = x.bytes, b = y.bytes
        var evidence = ["the same JSON value in different bytes (\(a.count) vs \(b.count) bytes)"]
        if let offset = zip(a, b).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset ?? (a.count != b.count ? min(a.count, b.count) : nil) {
            evidence.append("the first difference is at byte offset \(offset) (counted from 0): \(context(a, offset)) vs \(context(b, offset))")
        }
        if spelling.isWhitespaceOnly { evidence.append("only whitespace differs (indentation, spaces or newlines)") }
        if spelling.keyOrder { evidence.append("object keys are in a different order") }
        if spelling.escapes { evidence.append("strings are escaped differently (e.g. \\u00e9 vs é)") }
        if spelling.numbers { evidence.append("numbers are spelled differently (e.g. 2 vs 2.0)") }
        return evidence
    }

    /// A few bytes around `offset`, escaped, to show where the texts part.
    static func context(_ bytes: Data, _ offset: Int) -> String {
        let start = max(0, offset - 8), end = min(bytes.count, offset + 8)
        let text = String(decoding: bytes[bytes.startIndex + start..<bytes.startIndex + end], as: UTF8.self)
        return "\"" + text.replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\t", with: "\\t") + "\""
    }

    // MARK: Images

    /// How many differing layers the evidence names one by one; the parts table has the rest.
    static let layersNamed = 5

    static func compareImages(_ left: ImageTree, _ right: ImageTree) -> Result {
        let x = left.manifest.image!, y = right.manifest.image!
        if x.config.digest == y.config.digest {
            if x.layers.elementsEqual(y.layers, by: { $0.digest == $1.digest }) {
                var evidence = ["the same config \(x.config.digest) (image ID \(x.config.digest.short)) and the same \(x.layers.count) layer blobs"]
                evidence += formFields(left.manifest, right.manifest)
                return Result(verdict: .converted, evidence: evidence)
            }
            var evidence = ["the same config \(x.config.digest) (image ID \(x.config.digest.short)), so the same uncompressed layers"]
            let ids = ManifestComparison.diffIDs(left)
            if !ids.isEmpty { evidence.append("diff_ids (uncompressed layer digests) are the same on both sides: \(ids.map(\.short).joined(separator: ", "))") }
            let differing = x.layers.indices.prefix(y.layers.count).lazy.filter { x.layers[$0].digest != y.layers[$0].digest }
            for index in differing.prefix(Self.layersNamed) {
                let (l, r) = (x.layers[index], y.layers[index])
                evidence.append("layer \(index + 1) differs as a blob: \(l.digest.short) (\(ManifestComparison.detail(l))) vs \(r.digest.short) (\(ManifestComparison.detail(r)))")
            }
            let count = differing.count
            if count > Self.layersNamed {
                evidence.append("\(count - Self.layersNamed) more layers differ as blobs (\(count) of \(min(x.layers.count, y.layers.count)) in all; the parts table lists each)")
            }
            if x.layers.count != y.layers.count { evidence.append("layer counts differ: \(x.layers.count) vs \(y.layers.count)") }
            let types = mediaTypeChanges(left.manifest, right.manifest)
            if !types.isEmpty { evidence.append("the media types changed too: " + types.joined(separator: "; ")) }
            return Result(verdict: .recompressed, evidence: evidence)
        }
        var evidence = ["different configs: image ID \(x.config.digest.short) vs \(y.config.digest.short)"]
        if x.artifactType != y.artifactType {
            evidence.append("artifact types differ: \(x.artifactType ?? "none") vs \(y.artifactType ?? "none")")
        }
        if x.subject?.digest != y.subject?.digest {
            evidence.append("subjects differ: \(x.subject?.digest.description ?? "none") vs \(y.subject?.digest.description ?? "none")")
        }
        let leftIDs = ManifestComparison.diffIDs(left), rightIDs = ManifestComparison.diffIDs(right)
        if !leftIDs.isEmpty, leftIDs == rightIDs {
            evidence.append("the filesystem layers are the same (equal diff_ids); the configs differ in: \(configFieldsDiffering(left.config, right.config).joined(separator: ", "))")
        } else if !leftIDs.isEmpty || !rightIDs.isEmpty {
            evidence.append(filesystemDifference(leftIDs, rightIDs))
        }
        return Result(verdict: .different, evidence: evidence)
    }

    /// Which layers' contents differ, by their diff_ids, and which are the same.
    static func filesystemDifference(_ a: [Digest], _ b: [Digest]) -> String {
        let differing = (0..<max(a.count, b.count)).filter { $0 >= a.count || $0 >= b.count || a[$0] != b[$0] }
        let named = differing.prefix(layersNamed).map { String($0 + 1) }.joined(separator: ", ")
        let more = differing.count > layersNamed ? " and \(differing.count - layersNamed) more" : ""
        let same = max(a.count, b.count) - differing.count
        let counts = a.count == b.count ? "of \(a.count)" : "of \(a.count) vs \(b.count)"
        return "the filesystem content differs in layer\(differing.count == 1 ? "" : "s") \(named)\(more) (\(counts), by diff_id)"
            + (same > 0 ? "; \(same) \(same == 1 ? "layer is" : "layers are") the same" : "")
    }

    /// Where two manifests with the same blobs differ in form.
    static func formFields(_ a: Manifest, _ b: Manifest) -> [String] {
        var evidence = mediaTypeChanges(a, b)
        if let x = a.image, let y = b.image {
            if let change = annotationChanges(x.annotations, y.annotations) { evidence.append(change) }
            if x.artifactType != y.artifactType { evidence.append("artifactType: \(x.artifactType ?? "none") vs \(y.artifactType ?? "none")") }
            if x.subject != y.subject { evidence.append("subject differs") }
        }
        if let x = a.index, let y = b.index, let change = annotationChanges(x.annotations, y.annotations) { evidence.append(change) }
        if evidence.isEmpty { evidence.append("other fields of the manifest differ (see the JSON)") }
        return evidence
    }

    /// The media types that changed: the manifest's (or index's) own, the config's, the layers'.
    static func mediaTypeChanges(_ a: Manifest, _ b: Manifest) -> [String] {
        var changes: [String] = []
        if a.mediaType != b.mediaType {
            let what = a.index != nil && b.index != nil ? "the index type changed" : "the manifest type changed"
            changes.append("\(what): \(a.mediaType.friendlyName) → \(b.mediaType.friendlyName) (\(a.mediaType) → \(b.mediaType))")
        }
        if let x = a.image, let y = b.image {
            if x.config.mediaType != y.config.mediaType {
                changes.append("config media type: \(x.config.mediaType.friendlyName) → \(y.config.mediaType.friendlyName)")
            }
            let changed = x.layers.indices.prefix(y.layers.count).filter { x.layers[$0].mediaType != y.layers[$0].mediaType }
            if let first = changed.first {
                let (l, r) = (x.layers[first].mediaType, y.layers[first].mediaType)
                changes.append("layer media types (\(changed.count) of \(x.layers.count)): \(l.friendlyName) → \(r.friendlyName)")
            }
        }
        return changes
    }

    /// "annotations: added k; removed k; changed k", or nil when they are the same.
    static func annotationChanges(_ a: [String: String]?, _ b: [String: String]?) -> String? {
        let x = a ?? [:], y = b ?? [:]
        guard x != y else { return nil }
        let added = y.keys.filter { x[$0] == nil }.sorted(), removed = x.keys.filter { y[$0] == nil }.sorted()
        let changed = x.keys.filter { y[$0] != nil && y[$0] != x[$0] }.sorted()
        let parts = [("added", added), ("removed", removed), ("changed", changed)].filter { !$0.1.isEmpty }
            .map { "\($0.0) \($0.1.joined(separator: ", "))" }
        return "annotations: " + parts.joined(separator: "; ")
    }

    static func configFieldsDiffering(_ a: Data?, _ b: Data?) -> [String] {
        guard let a, let b, let x = try? JSONTree.parse(a), let y = try? JSONTree.parse(b),
              x.root.kind == .object, y.root.kind == .object else { return ["(configs not available)"] }
        let keys = Set(x.root.members.map { $0.key.string ?? "" }).union(y.root.members.map { $0.key.string ?? "" })
        let differing = keys.sorted().filter { key in
            guard let l = x[key], let r = y[key] else { return true }
            return !l.sameValue(as: r)
        }
        return differing.isEmpty ? ["formatting only"] : differing
    }

    // MARK: Indexes

    /// Children of two indexes paired by platform (or by position when they have none).
    static func pairChildren(_ a: ImageIndex, _ b: ImageIndex) -> [(String, Descriptor?, Descriptor?)] {
        var pairs: [(String, Descriptor?, Descriptor?)] = []
        var unmatched = b.manifests
        for (position, entry) in a.manifests.enumerated() {
            let label = entry.platform?.description ?? "entry \(position + 1)"
            let match = unmatched.firstIndex { other in
                if let p = entry.platform, let q = other.platform { return p.normalized == q.normalized }
                return entry.platform == nil && other.platform == nil && other.digest == entry.digest
            }
            pairs.append((label, entry, match.map { unmatched.remove(at: $0) }))
        }
        for entry in unmatched {
            pairs.append((entry.platform?.description ?? "unpaired entry", nil, entry))
        }
        return pairs
    }

    static func compareIndexes(_ left: ImageTree, _ a: ImageIndex, _ right: ImageTree, _ b: ImageIndex) -> Result {
        let pairs = pairChildren(a, b)
        var verdicts: [PairVerdict] = []
        var evidence: [String] = []
        for (platform, l, r) in pairs {
            guard let l, let r else {
                verdicts.append(PairVerdict(platform: platform, a: l?.digest, b: r?.digest, verdict: .different))
                continue
            }
            let inner: Verdict
            if l.digest == r.digest {
                inner = .identical
            } else if let lt = left.children.first(where: { $0.manifest.digest == l.digest }),
                      let rt = right.children.first(where: { $0.manifest.digest == r.digest }) {
                let result = compare(lt, rt)
                inner = result.verdict
                evidence.append("\(platform): \(result.verdict.rawValue) — \(result.evidence.first ?? "")")
            } else {
                inner = .different
                evidence.append("\(platform): child manifests differ and were not fetched")
            }
            verdicts.append(PairVerdict(platform: platform, a: l.digest, b: r.digest, verdict: inner))
        }
        let onlyA = verdicts.filter { $0.b == nil }.map(\.platform)
        let onlyB = verdicts.filter { $0.a == nil }.map(\.platform)
        let paired = verdicts.filter { $0.a != nil && $0.b != nil }
        let worst = paired.max { $0.verdict.severity < $1.verdict.severity }?.verdict ?? .identical
        if !onlyA.isEmpty || !onlyB.isEmpty {
            let subset = (onlyA.isEmpty || onlyB.isEmpty) && !paired.isEmpty && worst.severity <= Verdict.recompressed.severity
            evidence.insert("platforms only in A: \(onlyA.isEmpty ? "none" : onlyA.joined(separator: ", ")); only in B: \(onlyB.isEmpty ? "none" : onlyB.joined(separator: ", "))", at: 0)
            return Result(verdict: subset ? .platformExtracted : .different, evidence: evidence, pairs: verdicts,
                          inner: subset && worst != .identical ? worst : nil)
        }
        if worst == .identical {
            return Result(verdict: .converted, evidence: ["every platform's manifest is the same on both sides"] + formFields(left.manifest, right.manifest),
                          pairs: verdicts)
        }
        return Result(verdict: worst, evidence: evidence, pairs: verdicts)
    }

    /// The child of an index that a single image corresponds to: the same digest, else the same platform.
    static func matchingChild(of index: ImageTree, for image: ImageTree) -> ImageTree? {
        if let same = index.children.first(where: { $0.manifest.digest == image.manifest.digest }) { return same }
        guard let platform = image.platform() else { return nil }
        return index.children.first { $0.platform(in: index.manifest.index)?.matches(platform) == true }
    }

    static func compareIndexToImage(index: ImageTree, image: ImageTree, indexSide: String) -> Result {
        let count = index.manifest.index?.manifests.count ?? 0
        let imageSide = indexSide == "A" ? "B" : "A"
        guard let child = matchingChild(of: index, for: image) else {
            return Result(verdict: .different, evidence: [
                "\(indexSide) is a multi-platform index (\(count) platforms); \(imageSide) is a single manifest for \(image.platform()?.description ?? "an unknown platform"), which the index does not offer",
            ])
        }
        let platform = child.platform(in: index.manifest.index)?.description ?? "its platform"
        var evidence = ["\(indexSide) is a multi-platform index (\(count) platforms); \(imageSide) is a single manifest for \(platform): the index was reduced to that platform (a pull into an engine and a push, or a copy that selects a platform, does this)"]
        let inner = indexSide == "A" ? compare(child, image) : compare(image, child)
        evidence.append("the \(platform) pair is \(inner.verdict.rawValue): " + inner.evidence.joined(separator: "; "))
        return Result(verdict: .platformExtracted, evidence: evidence,
                      pairs: [PairVerdict(platform: platform, a: indexSide == "A" ? child.manifest.digest : image.manifest.digest,
                                          b: indexSide == "A" ? image.manifest.digest : child.manifest.digest, verdict: inner.verdict)],
                      inner: inner.verdict == .identical ? nil : inner.verdict)
    }
}
