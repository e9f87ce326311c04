import ManifestDiff
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
        out += sideBySide
        return out
    }

    var partsTable: [TextLine] {
        let labelWidth = max(8, comparison.parts.map(\.part.count).max() ?? 0)
        var out = [TextLine(fit("PART", labelWidth + 2) + "   A / B", .bold)]
        for row in comparison.parts {
            let mark = row.equal ? TextLine("=", .green) : TextLine("≠", .red)
            let label = TextLine(fit(row.part, labelWidth + 2) + " ")
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

    var sideBySide: [TextLine] {
        let numberWidth = String(max(view.left.count, view.right.count)).count
        let column = max(10, (width - 3) / 2 - numberWidth - 1)
        let emptyCell = Self.blank(numberWidth + 1 + column)
        func cell(_ index: Int?, _ text: [String]) -> String {
            guard let index else { return emptyCell }
            let number = String(index + 1)
            var line = Self.blank(numberWidth - number.utf8.count)
            line += number
            line += " "
            line += fit(text[index], column)
            return line
        }
        return view.rows.map { row in
            let left = cell(row.left, view.left), right = cell(row.right, view.right)
            switch row.kind {
            case .equal: return TextLine(left, .dim) + TextLine(" │ ") + TextLine(right, .dim)
            case .changed: return TextLine(left, .yellow) + TextLine(" ≠ ") + TextLine(right, .yellow)
            case .removed: return TextLine(left, .red) + TextLine(" < " + right)
            case .added: return TextLine(left + " > ") + TextLine(right, .green)
            }
        }
    }

    /// `text` cut or padded to exactly `width` characters (cut text ends in `…`).
    func fit(_ text: String, _ width: Int) -> String {
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
