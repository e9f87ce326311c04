import ManifestDiff
import TerminalUI
import OCI
import Registry

/// The human view of a comparison above its two texts (`SideBySidePrinter`): verdict and
/// evidence, both headers and the parts table. Registry text is made inert as it is written
/// (`TextLine.render`, `Sanitizer`); a table of tens of thousands of rows is written straight
/// into bytes, a row at a time.
struct DiffPrinter {
    let comparison: ManifestComparison
    /// Lines shown below the evidence: the files that differ, the layers verified.
    var details: [TextLine] = []

    /// The verdict, its evidence and both sides' headers.
    var header: [TextLine] {
        var out: [TextLine] = []
        out.append(TextLine("verdict: \(comparison.headline)", .bold) + TextLine(" — " + comparison.fullExplanation))
        for line in comparison.evidence { out.append(TextLine("  • " + line)) }
        out += details
        out.append("")
        out.append(TextLine("A ", .bold) + TextLine(comparison.a.reference))
        out.append(TextLine("  \(comparison.a.digest)  \(comparison.a.size) bytes  \(comparison.a.mediaType)"))
        out.append(TextLine("B ", .bold) + TextLine(comparison.b.reference))
        out.append(TextLine("  \(comparison.b.digest)  \(comparison.b.size) bytes  \(comparison.b.mediaType)"))
        out.append("")
        return out
    }

    /// Everything above the side-by-side view: the header, the parts table and what the view shows.
    func writeHeaderAndParts(into output: inout Output.Pending, color: Bool) {
        for line in header {
            line.render(into: &output.bytes, color: color)
            output.endLine()
        }
        writePartsTable(into: &output, color: color)
        output.endLine()
        if let note = comparison.sideBySideNote {
            TextLine.render(note, .dim, into: &output.bytes, color: color)
            output.endLine()
        }
    }

    /// One row a part (two where A and B differ): `=` or `≠`, the digests, sizes and media types.
    /// A line's text is gathered and made inert in one piece (in pieces between colours).
    func writePartsTable(into output: inout Output.Pending, color: Bool) {
        let labelWidth = max(8, comparison.parts.map { Self.columns($0.part) }.max() ?? 0)
        var text: [UInt8] = []
        func flush() {
            text.withUnsafeBufferPointer { Sanitizer.append(validUTF8: $0, to: &output.bytes) }
            text.removeAll(keepingCapacity: true)
        }
        func put(_ piece: String) {
            var piece = piece
            piece.withUTF8 { text.append(contentsOf: $0) }
        }
        func put(_ piece: String, _ paint: TextLine.Paint) {
            guard color else { return put(piece) }
            flush()
            paint.start(into: &output.bytes)
            put(piece)
            flush()
            output.bytes += TextLine.reset
        }
        func endLine() {
            flush()
            output.endLine()
        }
        var friendlyNames = FriendlyNames()
        func putDetail(_ blob: PartRow.Blob?) {
            guard let blob else { return put("—") }
            ByteCount.append(blob.size, to: &text)
            put(", ")
            put(friendlyNames[blob.mediaType])
        }
        func putBlob(_ digest: Digest?, _ blob: PartRow.Blob?) {
            put(digest?.description ?? "—")
            guard let blob else { return }
            put("  (")
            putDetail(blob)
            put(")")
        }
        put(Self.fit("PART", labelWidth + 2) + "   A / B", .bold)
        endLine()
        for row in comparison.parts {
            put(row.part)
            text.append(contentsOf: repeatElement(0x20, count: labelWidth + 3 - Self.columns(row.part)))
            if row.equal {
                put("=", .green)
                put(" ")
                if row.aBlob != row.bBlob {
                    // The same bytes under another media type (Docker → OCI): both are named.
                    put(row.a?.description ?? "—")
                    put("  (A: ")
                    putDetail(row.aBlob)
                    put("; B: ")
                    putDetail(row.bBlob)
                    put(")")
                } else {
                    putBlob(row.a, row.aBlob)
                }
            } else {
                put("≠", .red)
                put(" A ")
                putBlob(row.a, row.aBlob)
                endLine()
                put(Self.blank(labelWidth + 4) + "B ")
                putBlob(row.b, row.bBlob)
            }
            endLine()
        }
    }

    /// Media types' friendly names, the last one kept: a table's layers mostly share one.
    private struct FriendlyNames {
        private var last: (type: MediaType, name: String)?

        subscript(type: MediaType) -> String {
            mutating get {
                if let last, last.type == type { return last.name }
                last = (type, type.friendlyName)
                return last!.name
            }
        }
    }

    /// How many characters `text` has (as many as bytes, for ASCII).
    static func columns(_ text: String) -> Int {
        text.utf8.allSatisfy { $0 < 0x80 } ? text.utf8.count : text.count
    }

    /// `text` cut or padded to exactly `width` characters (cut text ends in `…`).
    static func fit(_ text: String, _ width: Int) -> String {
        let count = columns(text)
        if count > width { return String(text.prefix(width - 1)) + "…" }
        return text + Self.blank(width - count)
    }

    /// `count` spaces.
    static func blank(_ count: Int) -> String {
        count < blanks.count ? blanks[max(0, count)] : String(repeating: " ", count: count)
    }

    private static let blanks = (0..<256).map { String(repeating: " ", count: $0) }
}
