import FileTree
import LayerFiles
import ManifestDiff
import OCI
import Registry
import Stores

/// What `diff --files` and `diff --verify` find inside the two images, read from their stores.
struct ContentFindings {
    /// One layer position whose blobs differ, each side decompressed and checked.
    struct LayerPair {
        var position: Int
        var a: DiffIDCheck
        var b: DiffIDCheck
        /// Both sides decompress to their declared diff_id, and it is the same one.
        var proven: Bool { a.matches && b.matches && a.actual == b.actual }
    }

    var changes: [FileChange]?
    var verified: [LayerPair]?

    /// Reads what was asked for: both sides at once.
    static func gather(_ a: ImageRef, _ b: ImageRef, platform: Platform?, files: Bool, times: Bool, verify: Bool,
                       context: Context) async throws -> ContentFindings {
        async let openedA = ImageFiles.open(context.store(a), a.manifestID, platform: platform)
        async let openedB = ImageFiles.open(context.store(b), b.manifestID, platform: platform)
        let (imageA, imageB) = try await (openedA, openedB)
        var findings = ContentFindings()
        if files {
            findings.changes = try await imageA.changes(to: imageB, times: times)
        }
        if verify {
            let positions = zip(imageA.image.layers, imageB.image.layers).enumerated()
                .filter { $0.element.0.digest != $0.element.1.digest }.map { $0.offset + 1 }
            async let checksA = imageA.checkDiffIDs(at: positions)
            async let checksB = imageB.checkDiffIDs(at: positions)
            let (left, right) = try await (checksA, checksB)
            findings.verified = zip(left, right).map { LayerPair(position: $0.position, a: $0, b: $1) }
        }
        return findings
    }

    /// The human view, below the evidence.
    func lines(verdict: Verdict) -> [TextLine] {
        var out: [TextLine] = []
        if let verified {
            out += verifiedLines(verified)
        }
        if let changes {
            out += FileChangeLines.lines(changes)
        } else if verdict == .different {
            out.append(TextLine("  (run with --files to see which files differ)", .dim))
        }
        return out
    }

    private func verifiedLines(_ pairs: [LayerPair]) -> [TextLine] {
        guard !pairs.isEmpty else { return [TextLine("verify: ", .bold) + TextLine("no layer blobs differ; nothing to decompress")] }
        let proven = pairs.allSatisfy(\.proven)
        var out = [TextLine("verify: ", .bold) + (proven
            ? TextLine("same content, proven", .green) + TextLine(": \(pairs.count) differing layer \(pairs.count == 1 ? "pair" : "pairs") decompressed to the same diff_ids")
            : TextLine("the content differs", .red))]
        for pair in pairs {
            if pair.proven {
                out.append(TextLine("  layer \(pair.position): both decompress to \(pair.a.actual), their diff_id"))
                continue
            }
            for (side, check) in [("A", pair.a), ("B", pair.b)] where !check.matches {
                out.append(TextLine("  layer \(pair.position) of \(side) does not match its diff_id: ", .red)
                           + TextLine("declared \(check.declared?.description ?? "none"), decompresses to \(check.actual)"))
            }
            if pair.a.matches && pair.b.matches {
                out.append(TextLine("  layer \(pair.position): different content (\(pair.a.actual) vs \(pair.b.actual))"))
            }
        }
        return out
    }

    /// The `--json` keys, in order: `files` (after `explanation`) is written by `writeFiles`,
    /// `verify` (after `parts`) by `writeVerified`.
    func writeFiles(_ json: inout JSONWriter) {
        guard let changes else { return }
        json.key("files"); json.beginArray()
        for change in changes {
            json.beginObject()
            json.key("a"); FilesCommand.write(change.a, to: &json)
            json.key("b"); FilesCommand.write(change.b, to: &json)
            json.key("change"); json.string(change.change.rawValue)
            json.key("path"); json.string(change.path)
            json.endObject()
        }
        json.endArray()
    }

    func writeVerified(_ json: inout JSONWriter) {
        guard let verified else { return }
        func side(_ check: DiffIDCheck) {
            json.beginObject()
            json.key("actual"); json.string(check.actual.description)
            json.key("declared"); json.string(check.declared?.description)
            json.key("matches"); json.bool(check.matches)
            json.endObject()
        }
        json.key("verify"); json.beginArray()
        for pair in verified {
            json.beginObject()
            json.key("a"); side(pair.a)
            json.key("b"); side(pair.b)
            json.key("layer"); json.number(pair.position)
            json.key("proven"); json.bool(pair.proven)
            json.endObject()
        }
        json.endArray()
    }
}
