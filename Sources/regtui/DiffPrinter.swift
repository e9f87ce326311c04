import ManifestDiff
import OCI
import Registry

/// ANSI colours for the diff, or none.
struct DiffStyle {
    let color: Bool
    func paint(_ text: String, _ code: String) -> String { color ? "\u{1b}[\(code)m\(text)\u{1b}[0m" : text }
    func removed(_ text: String) -> String { paint(text, "31") }
    func added(_ text: String) -> String { paint(text, "32") }
    func changed(_ text: String) -> String { paint(text, "33") }
    func bold(_ text: String) -> String { paint(text, "1") }
    func dim(_ text: String) -> String { paint(text, "2") }
}

/// The human view of a comparison: verdict and evidence, both headers, the parts table and
/// the two texts side by side, fitted to `width` columns.
struct DiffPrinter {
    let comparison: ManifestComparison
    let view: SideBySide
    let width: Int
    let style: DiffStyle

    var lines: [String] {
        var out: [String] = []
        out.append(style.bold("verdict: \(comparison.verdict.rawValue)") + " — " + comparison.verdict.explanation)
        for line in comparison.evidence { out.append("  • " + safe(line)) }
        out.append("")
        out.append(style.bold("A ") + safe(comparison.a.reference))
        out.append("  \(comparison.a.digest)  \(comparison.a.size) bytes  \(safe(comparison.a.mediaType))")
        out.append(style.bold("B ") + safe(comparison.b.reference))
        out.append("  \(comparison.b.digest)  \(comparison.b.size) bytes  \(safe(comparison.b.mediaType))")
        out.append("")
        out += partsTable
        out.append("")
        out += sideBySide
        return out
    }

    var partsTable: [String] {
        let labelWidth = max(8, comparison.parts.map(\.part.count).max() ?? 0)
        var out = [style.bold(fit("PART", labelWidth + 2) + "   A / B")]
        for row in comparison.parts {
            let mark = row.equal ? style.added("=") : style.removed("≠")
            let label = fit(safe(row.part), labelWidth + 2)
            let a = (row.a?.description ?? "—") + (row.aDetail.map { "  (\($0))" } ?? "")
            if row.equal {
                out.append("\(label) \(mark) \(a)")
            } else {
                let b = (row.b?.description ?? "—") + (row.bDetail.map { "  (\($0))" } ?? "")
                out.append("\(label) \(mark) A \(a)")
                out.append(Self.blank(labelWidth + 4) + "B \(b)")
            }
        }
        return out
    }

    var sideBySide: [String] {
        let numberWidth = String(max(view.left.count, view.right.count)).count
        let column = max(10, (width - 3) / 2 - numberWidth - 1)
        let emptyCell = Self.blank(numberWidth + 1 + column)
        func cell(_ index: Int?, _ text: [String]) -> String {
            guard let index else { return emptyCell }
            let number = String(index + 1)
            var line = Self.blank(numberWidth - number.utf8.count)
            line += number
            line += " "
            line += fit(safe(text[index]), column)
            return line
        }
        return view.rows.map { row in
            let left = cell(row.left, view.left), right = cell(row.right, view.right)
            switch row.kind {
            case .equal: return style.dim(left) + " │ " + style.dim(right)
            case .changed: return style.changed(left) + " ≠ " + style.changed(right)
            case .removed: return style.removed(left) + " < " + right
            case .added: return left + " > " + style.added(right)
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
