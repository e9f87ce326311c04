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

    func write(_ view: SideBySide, into output: inout Output.Pending) {
        view.left.withLineBuffers { left in
            view.right.withLineBuffers { right in write(view.rows, left, right, into: &output) }
        }
    }

    private func write(_ rows: [DiffRow], _ left: TextLines.LineBuffers, _ right: TextLines.LineBuffers, into output: inout Output.Pending) {
        let numberWidth = String(max(left.count, right.count)).count
        let column = max(10, (width - 3) / 2 - numberWidth - 1)
        let spaces = [UInt8](repeating: 0x20, count: numberWidth + 1 + column)
        let color = color
        func paint(_ paint: TextLine.Paint?) { if color, let paint { paint.start(into: &output.bytes) } }
        func reset(_ paint: TextLine.Paint?) { if color, paint != nil { output.bytes += TextLine.reset } }
        func cell(_ index: Int?, _ texts: TextLines.LineBuffers, _ style: TextLine.Paint?) {
            paint(style)
            if let index {
                output.bytes.appendDecimal(Int64(index + 1), width: numberWidth)
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

    private static let marks = [" │ ", " ≠ ", " < ", " > "].map { Array($0.utf8) }
    private static let ellipsis = Array("…".utf8)

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
            return Sanitizer.append(DiffPrinter.fit(String(decoding: line, as: UTF8.self), width), to: &bytes)
        }
        if line.count > width {
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: line[..<(width - 1)]))
            bytes += ellipsis
        } else {
            bytes.append(contentsOf: line)
            bytes.append(contentsOf: padding[..<(width - line.count)])
        }
    }
}
