import ManifestDiff
import TerminalUI
import OCI
import Registry

/// The human view of a comparison: verdict and evidence, both headers, the parts table and
/// the two texts side by side, fitted to `width` columns. Registry text is made inert when the
/// lines are written (`Output.styled`).
struct DiffPrinter {
    let comparison: ManifestComparison
    let view: SideBySide
    let width: Int
    /// Lines shown below the evidence: the files that differ, the layers verified.
    var details: [TextLine] = []

    /// Everything above the side-by-side view.
    var lines: [TextLine] {
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
        out += partsTable
        out.append("")
        if let note = comparison.sideBySideNote { out.append(TextLine(note, .dim)) }
        return out
    }

    var partsTable: [TextLine] {
        let labelWidth = max(8, comparison.parts.map(\.part.count).max() ?? 0)
        var out = [TextLine(Self.fit("PART", labelWidth + 2) + "   A / B", .bold)]
        for row in comparison.parts {
            let mark = row.equal ? TextLine("=", .green) : TextLine("≠", .red)
            let label = TextLine(Self.fit(row.part, labelWidth + 2) + " ")
            let a = (row.a?.description ?? "—") + (row.aDetail.map { "  (\($0))" } ?? "")
            let (detailA, detailB) = row.details
            if row.equal, detailA != detailB {
                // The same bytes under another media type (Docker → OCI): both are named.
                out.append(label + mark + TextLine(" \(row.a?.description ?? "—")  (A: \(detailA ?? "—"); B: \(detailB ?? "—"))"))
            } else if row.equal {
                out.append(label + mark + TextLine(" \(a)"))
            } else {
                let b = (row.b?.description ?? "—") + (row.bDetail.map { "  (\($0))" } ?? "")
                out.append(label + mark + TextLine(" A \(a)"))
                out.append(TextLine(Self.blank(labelWidth + 4) + "B \(b)"))
            }
        }
        return out
    }

    /// The two texts side by side, a row at a time straight into `output`'s bytes: line
    /// numbers, each text cut or padded to its column, the mark between (`│` equal, `≠` changed,
    /// `<` only in A, `>` only in B) and, with `color`, regtui's colours.
    func writeSideBySide(into output: inout Output.Pending, color: Bool) {
        let numberWidth = String(max(view.left.count, view.right.count)).count
        let column = max(10, (width - 3) / 2 - numberWidth - 1)
        func paint(_ paint: TextLine.Paint?) { if color, let paint { output.bytes += Array("\u{1b}[\(paint.rawValue)m".utf8) } }
        func reset(_ paint: TextLine.Paint?) { if color, paint != nil { output.bytes += Self.reset } }
        func cell(_ index: Int?, _ texts: [String], _ style: TextLine.Paint?) {
            paint(style)
            if let index {
                let number = String(index + 1)
                output.bytes.append(contentsOf: repeatElement(0x20, count: numberWidth - number.utf8.count))
                output.bytes += number.utf8
                output.bytes.append(0x20)
                Self.appendFitted(texts[index], column, to: &output.bytes)
            } else {
                output.bytes.append(contentsOf: repeatElement(0x20, count: numberWidth + 1 + column))
            }
            reset(style)
        }
        for row in view.rows {
            let (leftStyle, mark, rightStyle): (TextLine.Paint?, String, TextLine.Paint?) = switch row.kind {
            case .equal: (.dim, " │ ", .dim)
            case .changed: (.yellow, " ≠ ", .yellow)
            case .removed: (.red, " < ", nil)
            case .added: (nil, " > ", .green)
            }
            cell(row.left, view.left, leftStyle)
            output.bytes += mark.utf8
            cell(row.right, view.right, rightStyle)
            output.endLine()
        }
    }

    private static let reset = Array("\u{1b}[0m".utf8)

    /// `text` made inert and cut or padded to `width` columns. Printable ASCII (what JSON
    /// pretty-printed mostly is) is copied as bytes; anything else goes the long way.
    static func appendFitted(_ text: String, _ width: Int, to bytes: inout [UInt8]) {
        var text = text
        let copied: Bool = text.withUTF8 { utf8 in
            guard utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7f }) else { return false }
            if utf8.count > width {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[..<(width - 1)]))
                bytes += ellipsis
            } else {
                bytes.append(contentsOf: utf8)
                bytes.append(contentsOf: repeatElement(0x20, count: width - utf8.count))
            }
            return true
        }
        if !copied { Sanitizer.append(fit(text, width), to: &bytes) }
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
