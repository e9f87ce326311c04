import ManifestDiff
import OCI
import TerminalUI

/// Two texts side by side, fitted to `width` columns, a row at a time straight into bytes: line
/// numbers, each text cut or padded to its column, the mark between (`│` equal, `≠` changed,
/// `<` only in A, `>` only in B) and, with `color`, regtui's colours. Lines are made inert on
/// the way (`Sanitizer`).
struct SideBySidePrinter {
    let width: Int
    let color: Bool

    /// Rows `rows` of `view` (all of them when nil), each ended with a newline.
    func write(_ view: SideBySide, rows: Range<Int>? = nil, into output: inout LineBuilder) {
        view.left.withLineBuffers { left in
            view.right.withLineBuffers { right in
                view.rows.withUnsafeBufferPointer { all in
                    write(UnsafeBufferPointer(rebasing: all[rows ?? all.indices]), left, right, numbered: max(left.count, right.count), into: &output)
                }
            }
        }
    }

    /// How a row of each kind looks: the colours of its two cells (empty without colour) and the mark between.
    private struct Look {
        var left: [UInt8] = []
        var mark: StaticString
        var right: [UInt8] = []

        init(_ left: TextLine.Paint?, _ mark: StaticString, _ right: TextLine.Paint?, color: Bool) {
            self.mark = mark
            if color {
                left?.start(into: &self.left)
                right?.start(into: &self.right)
            }
        }
    }

    private func write(_ rows: UnsafeBufferPointer<DiffRow>, _ left: TextLines.LineBuffers, _ right: TextLines.LineBuffers,
                       numbered lines: Int, into line: inout LineBuilder) {
        let layout = Layout(numberWidth: String(lines).count, width: width)
        let looks = [Look(.dim, " │ ", .dim, color: color), Look(.yellow, " ≠ ", .yellow, color: color),
                     Look(.red, " < ", nil, color: color), Look(nil, " > ", .green, color: color)]
        var numbers = (left: LineNumber(width: layout.numberWidth), right: LineNumber(width: layout.numberWidth))
        for row in rows {
            let look = looks[Int(row.kind.rawValue)]
            layout.cell(row.left, left, look.left, number: &numbers.left, into: &line)
            line.append(look.mark)
            layout.cell(row.right, right, look.right, number: &numbers.right, into: &line)
            line.append(0x0a)
        }
    }

    /// A column's line number as text, right-aligned in `width` columns: counted up in place
    /// when the next row has the next line (most do), written afresh otherwise.
    private struct LineNumber {
        private var text: [UInt8]
        private var value = -1

        init(width: Int) { text = Array(repeating: 0x20, count: width) }

        mutating func append(_ number: Int, to line: inout LineBuilder) {
            if number == value + 1 && value >= 0 {
                countUp()
            } else {
                for place in text.indices { text[place] = 0x20 }
                var digits = number
                for place in text.indices.reversed() {
                    text[place] = UInt8(48 + digits % 10)
                    digits /= 10
                    if digits == 0 { break }
                }
            }
            value = number
            text.withUnsafeBufferPointer { line.append($0) }
        }

        /// Adds one to the text: nines become zeros up to the first other digit, or a space.
        private mutating func countUp() {
            var place = text.count - 1
            while place >= 0 {
                switch text[place] {
                case UInt8(ascii: "9"):
                    text[place] = UInt8(ascii: "0")
                    place -= 1
                case 0x20:
                    text[place] = UInt8(ascii: "1")
                    return
                default:
                    text[place] += 1
                    return
                }
            }
        }
    }

    /// Where a cell's parts go: its line number, a space, and the text in `column` columns.
    private struct Layout {
        let numberWidth: Int
        let column: Int
        var cellWidth: Int { numberWidth + 1 + column }

        init(numberWidth: Int, width: Int) {
            self.numberWidth = numberWidth
            column = max(10, (width - 3) / 2 - numberWidth - 1)
        }

        /// Line `index` of `texts` (blank when nil), in `paint` when it is not empty.
        func cell(_ index: Int?, _ texts: TextLines.LineBuffers, _ paint: [UInt8], number: inout LineNumber, into line: inout LineBuilder) {
            paint.withUnsafeBufferPointer { line.append($0) }
            if let index {
                number.append(index + 1, to: &line)
                line.append(0x20)
                SideBySidePrinter.appendFitted(texts[index], column, to: &line)
            } else {
                line.append(repeating: 0x20, count: cellWidth)
            }
            if !paint.isEmpty { TextLine.reset.withUnsafeBufferPointer { line.append($0) } }
        }
    }

    /// A line made inert and cut or padded to `width` columns. Printable ASCII (what JSON
    /// pretty-printed mostly is) is copied as bytes; anything else goes the long way.
    static func appendFitted(_ text: UnsafeBufferPointer<UInt8>, _ width: Int, to line: inout LineBuilder) {
        guard Sanitizer.endOfPrintableASCII(in: text, from: 0) == text.count else {
            var inert: [UInt8] = []
            Sanitizer.append(DiffPrinter.fit(String(decoding: text, as: UTF8.self), width), to: &inert)
            return inert.withUnsafeBufferPointer { line.append($0) }
        }
        if text.count > width {
            line.append(UnsafeBufferPointer(rebasing: text[..<(width - 1)]))
            line.append("…")
        } else {
            line.append(text)
            line.append(repeating: 0x20, count: width - text.count)
        }
    }
}
