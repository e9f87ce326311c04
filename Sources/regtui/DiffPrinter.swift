import ManifestDiff
import TerminalUI
import OCI
import Registry

/// The human view of a comparison: verdict and evidence, both headers, the parts table and
/// the two texts side by side, fitted to `width` columns. Registry text is made inert as it is
/// written (`TextLine.render`, `Sanitizer`); tables of tens of thousands of rows are written
/// straight into bytes, a row at a time.
struct DiffPrinter {
    let comparison: ManifestComparison
    let width: Int
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
        let labelWidth = max(8, comparison.parts.map(\.part.count).max() ?? 0)
        func put(_ text: String, _ paint: TextLine.Paint? = nil) { TextLine.render(text, paint, into: &output.bytes, color: color) }
        var friendlyNames = FriendlyNames()
        func putDetail(_ blob: PartRow.Blob?) {
            guard let blob else { return put("—") }
            put(ByteCount.format(blob.size))
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
        output.endLine()
        for row in comparison.parts {
            put(Self.fit(row.part, labelWidth + 2) + " ")
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
                output.endLine()
                put(Self.blank(labelWidth + 4) + "B ")
                putBlob(row.b, row.bBlob)
            }
            output.endLine()
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

    /// The two texts side by side, a row at a time straight into `output`'s bytes: line
    /// numbers, each text cut or padded to its column, the mark between (`│` equal, `≠` changed,
    /// `<` only in A, `>` only in B) and, with `color`, regtui's colours.
    func writeSideBySide(_ view: SideBySide, into output: inout Output.Pending, color: Bool) {
        view.left.withLineBuffers { left in
            view.right.withLineBuffers { right in writeSideBySide(view.rows, left, right, into: &output, color: color) }
        }
    }

    private func writeSideBySide(_ rows: [DiffRow], _ left: TextLines.LineBuffers, _ right: TextLines.LineBuffers,
                                 into output: inout Output.Pending, color: Bool) {
        let numberWidth = String(max(left.count, right.count)).count
        let column = max(10, (width - 3) / 2 - numberWidth - 1)
        let spaces = [UInt8](repeating: 0x20, count: numberWidth + 1 + column)
        func paint(_ paint: TextLine.Paint?) { if color, let paint { paint.start(into: &output.bytes) } }
        func reset(_ paint: TextLine.Paint?) { if color, paint != nil { output.bytes += Self.reset } }
        func cell(_ index: Int?, _ texts: TextLines.LineBuffers, _ style: TextLine.Paint?) {
            paint(style)
            if let index {
                Self.appendNumber(index + 1, width: numberWidth, to: &output.bytes)
                output.bytes.append(0x20)
                Self.appendFitted(texts[index], column, padding: spaces, to: &output.bytes)
            } else {
                output.bytes += spaces
            }
            reset(style)
        }
        for row in rows {
            let (leftStyle, mark, rightStyle): (TextLine.Paint?, [UInt8], TextLine.Paint?) = switch row.kind {
            case .equal: (.dim, Self.marks[0], .dim)
            case .changed: (.yellow, Self.marks[1], .yellow)
            case .removed: (.red, Self.marks[2], nil)
            case .added: (nil, Self.marks[3], .green)
            }
            cell(row.left, left, leftStyle)
            output.bytes += mark
            cell(row.right, right, rightStyle)
            output.endLine()
        }
    }

    private static let reset = Array("\u{1b}[0m".utf8)
    private static let marks = [" │ ", " ≠ ", " < ", " > "].map { Array($0.utf8) }

    /// `number` in decimal, right-aligned in `width` columns.
    static func appendNumber(_ number: Int, width: Int, to bytes: inout [UInt8]) {
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { buffer in
            var start = buffer.count
            var rest = number.magnitude
            repeat {
                start -= 1
                buffer[start] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            } while rest > 0
            if number < 0 { start -= 1; buffer[start] = UInt8(ascii: "-") }
            let count = buffer.count - start
            for _ in count..<max(count, width) { bytes.append(0x20) }
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[start...]))
        }
    }

    /// A line made inert and cut or padded to `width` columns (`padding` holds at least that
    /// many spaces). Printable ASCII (what JSON pretty-printed mostly is) is copied as bytes;
    /// anything else goes the long way.
    static func appendFitted(_ line: UnsafeBufferPointer<UInt8>, _ width: Int, padding: [UInt8], to bytes: inout [UInt8]) {
        var printable = true
        for byte in line where byte < 0x20 || byte >= 0x7f {
            printable = false
            break
        }
        guard printable else {
            return Sanitizer.append(fit(String(decoding: line, as: UTF8.self), width), to: &bytes)
        }
        if line.count > width {
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: line[..<(width - 1)]))
            bytes += ellipsis
        } else {
            bytes.append(contentsOf: line)
            bytes.append(contentsOf: padding[..<(width - line.count)])
        }
    }

    private static let ellipsis = Array("…".utf8)

    /// `text` cut or padded to exactly `width` characters (cut text ends in `…`).
    static func fit(_ text: String, _ width: Int) -> String {
        let count = text.utf8.allSatisfy { $0 < 0x80 } ? text.utf8.count : text.count
        if count > width { return String(text.prefix(width - 1)) + "…" }
        return text + Self.blank(width - count)
    }

    /// `count` spaces.
    static func blank(_ count: Int) -> String {
        count < blanks.count ? blanks[max(0, count)] : String(repeating: " ", count: count)
    }

    private static let blanks = (0..<256).map { String(repeating: " ", count: $0) }
}
