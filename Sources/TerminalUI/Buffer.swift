import OCI

/// A colour from the 16 standard terminal colours, or the terminal's default.
public enum Color: Int, Sendable, Hashable, CaseIterable {
    case `default` = -1, black = 0, red, green, yellow, blue, magenta, cyan, white
    case brightBlack = 8, brightRed, brightGreen, brightYellow, brightBlue, brightMagenta, brightCyan, brightWhite
}

/// How a cell looks: colours and attributes.
public struct Style: Sendable, Hashable {
    public var foreground: Color = .default
    public var background: Color = .default
    public var bold = false
    public var dim = false
    public var reverse = false
    public var underline = false

    public init(foreground: Color = .default, background: Color = .default, bold: Bool = false, dim: Bool = false,
                reverse: Bool = false, underline: Bool = false) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.dim = dim
        self.reverse = reverse
        self.underline = underline
    }

    public static let plain = Style()
    public static let bold = Style(bold: true)
    public static let dim = Style(dim: true)
    public static let selected = Style(reverse: true)

    /// This style with `other`'s colours and attributes added on top.
    public func merged(_ other: Style) -> Style {
        Style(foreground: other.foreground == .default ? foreground : other.foreground,
              background: other.background == .default ? background : other.background,
              bold: bold || other.bold, dim: dim || other.dim, reverse: reverse || other.reverse,
              underline: underline || other.underline)
    }
}

/// One screen cell: a grapheme and its style. A wide character's second cell is a
/// `continuation` the terminal fills by itself.
public struct Cell: Sendable, Hashable {
    public var text: String
    public var style: Style
    public var continuation = false

    public static let blank = Cell(text: " ", style: .plain)
}

/// A rectangle of the screen.
public struct Rect: Sendable, Hashable {
    public var x: Int, y: Int, width: Int, height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    public var maxX: Int { x + width }
    public var maxY: Int { y + height }

    /// The top `rows` rows, and what is left below them.
    public func splitTop(_ rows: Int) -> (Rect, Rect) {
        let top = min(max(0, rows), height)
        return (Rect(x: x, y: y, width: width, height: top), Rect(x: x, y: y + top, width: width, height: height - top))
    }

    /// The left `columns` columns, and what is left to their right.
    public func splitLeft(_ columns: Int) -> (Rect, Rect) {
        let left = min(max(0, columns), width)
        return (Rect(x: x, y: y, width: left, height: height), Rect(x: x + left, y: y, width: width - left, height: height))
    }

    /// The rectangle shrunk by `margin` on every side.
    public func inset(_ margin: Int) -> Rect {
        Rect(x: x + margin, y: y + margin, width: width - 2 * margin, height: height - 2 * margin)
    }

    public func contains(x px: Int, y py: Int) -> Bool { px >= x && px < maxX && py >= y && py < maxY }
}

/// An in-memory grid of cells that widgets draw into. The terminal backend shows only the
/// cells that changed since the last frame; tests read it back as lines of text.
///
/// Every string enters through `put`, which shows control characters and escape sequences as
/// inert text: nothing a registry sends can act on the terminal.
public struct Buffer: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public var area: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { cells[y * width + x] = newValue }
    }

    /// Writes `text` at (x, y), clipped to `maxWidth` columns and the buffer; text that does not
    /// fit ends in `…`. Returns the column after the text.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style = .plain, maxWidth: Int = .max) -> Int {
        guard y >= 0, y < height else { return x }
        let limit = maxWidth >= width ? width : min(width, x + max(0, maxWidth))
        var column = x
        for character in Sanitizer.inline(text) {
            let cellWidth = Self.width(of: character)
            if cellWidth == 0 {
                // Combining marks join the previous cell.
                if column > x, column - 1 < width {
                    var previous = column - 1
                    while previous > 0 && self[previous, y].continuation { previous -= 1 }
                    self[previous, y].text += String(character)
                }
                continue
            }
            guard column + cellWidth <= limit else {
                markCut(from: x, to: column, limit: limit, y: y, style: style)
                break
            }
            if column >= 0 {
                self[column, y] = Cell(text: String(character), style: style)
                if cellWidth == 2 { self[column + 1, y] = Cell(text: "", style: style, continuation: true) }
            }
            column += cellWidth
        }
        return column
    }

    /// Marks text cut at `end`: `…` in the next free cell before `limit`, else over the last cell
    /// written since `start`.
    private mutating func markCut(from start: Int, to end: Int, limit: Int, y: Int, style: Style) {
        if end >= 0, end < limit {
            self[end, y] = Cell(text: "…", style: style)
            return
        }
        guard end > start, end - 1 >= 0, end - 1 < width else { return }
        var last = end - 1
        if self[last, y].continuation, last > 0 {
            self[last, y] = Cell(text: " ", style: style)
            last -= 1
        }
        self[last, y] = Cell(text: "…", style: style)
    }

    /// Paints `style` over a rectangle, keeping the text.
    public mutating func paint(_ rect: Rect, style: Style) {
        for y in max(0, rect.y)..<min(height, rect.maxY) {
            for x in max(0, rect.x)..<min(width, rect.maxX) { self[x, y].style = self[x, y].style.merged(style) }
        }
    }

    /// Blanks a rectangle with `style`.
    public mutating func fill(_ rect: Rect, style: Style = .plain) {
        for y in max(0, rect.y)..<min(height, rect.maxY) {
            for x in max(0, rect.x)..<min(width, rect.maxX) { self[x, y] = Cell(text: " ", style: style) }
        }
    }

    /// The text of each row, trailing spaces removed: what snapshot tests compare.
    public var lines: [String] {
        (0..<height).map { y in
            var line = ""
            for x in 0..<width where !self[x, y].continuation { line += self[x, y].text }
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }
    }

    /// Columns a character takes on a terminal: 0 (combining), 1, or 2 (wide). Decided by
    /// Unicode properties alone, the same in every locale.
    public static func width(of character: Character) -> Int {
        guard let first = character.unicodeScalars.first else { return 0 }
        if first.isASCII { return 1 }
        if character.unicodeScalars.contains(where: { $0.properties.isEmojiPresentation }) { return 2 }
        return width(of: first)
    }

    static func width(of scalar: Unicode.Scalar) -> Int {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        let v = scalar.value
        if (0x1160...0x11FF).contains(v) { return 0 }
        let wide = (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) && v != 0x303F
            || (0xAC00...0xD7A3).contains(v) || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v)
            || (0xFF00...0xFF60).contains(v) || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1F64F).contains(v)
            || (0x1F900...0x1F9FF).contains(v) || (0x20000...0x3FFFD).contains(v)
        return wide ? 2 : 1
    }

    /// Columns a string takes.
    public static func width(of text: String) -> Int { Sanitizer.inline(text).reduce(0) { $0 + width(of: $1) } }
}

extension Buffer {
    /// The styles of the cells, a letter a cell (`.` for plain), then a legend naming each
    /// letter's style: what style snapshots compare, apart from the text.
    public var styleMap: [String] {
        var letters: [Style: Character] = [.plain: "."]
        var legend: [String] = []
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        let rows = (0..<height).map { y in
            String((0..<width).map { x -> Character in
                let style = self[x, y].style
                if let letter = letters[style] { return letter }
                let letter = letters.count - 1 < alphabet.count ? alphabet[letters.count - 1] : "?"
                letters[style] = letter
                legend.append("\(letter) = \(style.summary)")
                return letter
            })
        }
        return rows + [""] + legend
    }
}

extension Style {
    /// `bold fg:cyan bg:black`, for style snapshots.
    var summary: String {
        var parts: [String] = []
        if bold { parts.append("bold") }
        if dim { parts.append("dim") }
        if reverse { parts.append("reverse") }
        if underline { parts.append("underline") }
        if foreground != .default { parts.append("fg:\(foreground)") }
        if background != .default { parts.append("bg:\(background)") }
        return parts.joined(separator: " ")
    }
}
