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
    func writePartsTable(into output: inout Output.Pending, color: Bool) {
        let labelWidth = max(8, comparison.parts.widestLabels.map(Self.columns).max() ?? 0)
        var table = PartsTable(color: color)
        table.put(Self.fit("PART", labelWidth + 2) + "   A / B", .bold, into: &output)
        table.endLine(into: &output)
        for row in comparison.parts {
            table.put(row.part)
            table.putSpaces(labelWidth + 3 - Self.columns(row.part))
            if row.equal {
                table.put("=", .green, into: &output)
                table.put(" ")
                if row.aBlob != row.bBlob {
                    // The same bytes under another media type (Docker → OCI): both are named.
                    table.put(row.a)
                    table.put("  (A: ")
                    table.putDetail(row.aBlob)
                    table.put("; B: ")
                    table.putDetail(row.bBlob)
                    table.put(")")
                } else {
                    table.putBlob(row.a, row.aBlob)
                }
            } else {
                table.put("≠", .red, into: &output)
                table.put(" A ")
                table.putBlob(row.a, row.aBlob)
                table.endLine(into: &output)
                table.putSpaces(labelWidth + 4)
                table.put("B ")
                table.putBlob(row.b, row.bBlob)
            }
            table.endLine(into: &output)
        }
    }

    /// The parts table's text, gathered a line at a time and appended to the output in one
    /// piece: a table can have tens of thousands of rows. What regtui writes itself (digests'
    /// hex, sizes, its own words) goes as it is; text from elsewhere (a part's label, a media
    /// type) is made inert on the way in.
    private struct PartsTable: ~Copyable {
        let color: Bool
        private var line = LineBuilder(capacity: 512)
        private var number: [UInt8] = []
        private var friendlyNames = FriendlyNames()

        init(color: Bool) {
            self.color = color
        }

        /// Text from elsewhere, made inert.
        mutating func put(_ piece: String) {
            var inert = Sanitizer.inline(piece)
            inert.withUTF8 { line.append($0) }
        }

        /// regtui's own words.
        mutating func put(_ piece: StaticString) {
            line.append(piece)
        }

        mutating func putSpaces(_ count: Int) {
            line.append(repeating: 0x20, count: count)
        }

        /// A digest, or `—`.
        mutating func put(_ digest: Digest?) {
            guard let digest else { return put("—") }
            digest.withText { line.append($0) }
        }

        /// `piece`, regtui's own, in `paint` when colours are on.
        mutating func put(_ piece: StaticString, _ paint: TextLine.Paint, into output: inout Output.Pending) {
            painted(paint, into: &output) { $0.put(piece) }
        }

        /// `piece` in `paint` when colours are on.
        mutating func put(_ piece: String, _ paint: TextLine.Paint, into output: inout Output.Pending) {
            painted(paint, into: &output) { $0.put(piece) }
        }

        private mutating func painted(_ paint: TextLine.Paint, into output: inout Output.Pending, _ body: (inout Self) -> Void) {
            guard color else { return body(&self) }
            flush(into: &output)
            paint.start(into: &output.bytes)
            body(&self)
            flush(into: &output)
            output.bytes += TextLine.reset
        }

        /// "1.2 MiB, OCI layer (gzip)", or `—`.
        mutating func putDetail(_ blob: PartRow.Blob?) {
            guard let blob else { return put("—") }
            number.removeAll(keepingCapacity: true)
            ByteCount.append(blob.size, to: &number)
            number.withUnsafeBufferPointer { line.append($0) }
            put(", ")
            friendlyNames[blob.mediaType].withUnsafeBufferPointer { line.append($0) }
        }

        /// A digest and its detail in parentheses.
        mutating func putBlob(_ digest: Digest?, _ blob: PartRow.Blob?) {
            put(digest)
            guard let blob else { return }
            put("  (")
            putDetail(blob)
            put(")")
        }

        mutating func endLine(into output: inout Output.Pending) {
            flush(into: &output)
            output.endLine()
        }

        private mutating func flush(into output: inout Output.Pending) {
            line.flush { output.bytes.append(contentsOf: $0) }
        }
    }

    /// Media types' friendly names made inert, the last one kept: a table's layers mostly share one.
    private struct FriendlyNames {
        private var last: (type: MediaType, name: [UInt8])?

        subscript(type: MediaType) -> [UInt8] {
            mutating get {
                if let last, last.type == type { return last.name }
                var name: [UInt8] = []
                Sanitizer.append(type.friendlyName, to: &name)
                last = (type, name)
                return name
            }
        }
    }

    /// How many characters `text` has (as many as bytes, for ASCII).
    static func columns(_ text: String) -> Int {
        var text = text
        return text.withUTF8 { utf8 in utf8.allSatisfy { $0 < 0x80 } ? utf8.count : nil } ?? text.count
    }

    /// `text` cut or padded to exactly `width` characters (cut text ends in `…`).
    static func fit(_ text: String, _ width: Int) -> String {
        let count = columns(text)
        if count > width { return String(text.prefix(width - 1)) + "…" }
        return text + String(repeating: " ", count: width - count)
    }
}
