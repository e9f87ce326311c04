/// Selection and scroll position of a list, kept so the selection stays in view.
public struct ListCursor: Sendable, Equatable {
    public var selected = 0
    public var offset = 0

    public init(selected: Int = 0, offset: Int = 0) {
        self.selected = selected
        self.offset = offset
    }

    /// Moves by `delta` rows within `count` rows.
    public mutating func move(_ delta: Int, count: Int) {
        selected = count == 0 ? 0 : min(max(0, selected + delta), count - 1)
    }

    /// Keeps the selection inside a window of `visible` rows.
    public mutating func scroll(visible: Int, count: Int) {
        selected = count == 0 ? 0 : min(max(0, selected), count - 1)
        guard visible > 0 else { return }
        if selected < offset { offset = selected }
        if selected >= offset + visible { offset = selected - visible + 1 }
        offset = max(0, min(offset, max(0, count - visible)))
    }
}

/// One row of a list: text on the left, an optional dim detail on the right.
public struct ListRow: Sendable, Equatable {
    public var text: String
    public var detail: String
    public var style: Style

    public init(_ text: String, detail: String = "", style: Style = .plain) {
        self.text = text
        self.detail = detail
        self.style = style
    }
}

/// A line of text with its style.
public struct StyledLine: Sendable, Equatable {
    public var text: String
    public var style: Style

    public init(_ text: String, style: Style = .plain) {
        self.text = text
        self.style = style
    }
}

extension Buffer {
    /// A box with a title in its top border; the focused one drawn bold and coloured.
    public mutating func frame(_ rect: Rect, title: String, focused: Bool, color: Bool = true) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        let style = focused ? Style(foreground: color ? .cyan : .default, bold: true) : Style.dim
        let horizontal = String(repeating: "─", count: rect.width - 2)
        put("┌" + horizontal + "┐", x: rect.x, y: rect.y, style: style)
        put("└" + horizontal + "┘", x: rect.x, y: rect.maxY - 1, style: style)
        for y in rect.y + 1..<rect.maxY - 1 {
            put("│", x: rect.x, y: y, style: style)
            put("│", x: rect.maxX - 1, y: y, style: style)
        }
        if !title.isEmpty {
            put(" \(title) ", x: rect.x + 2, y: rect.y, style: style, maxWidth: rect.width - 4)
        }
    }

    /// The visible rows of a list of `count` rows, made by `row` only for the rows shown; the
    /// selected row reversed when the list has focus, bold otherwise.
    public mutating func list(count: Int, row: (Int) -> ListRow, in rect: Rect, cursor: ListCursor, focused: Bool) {
        for line in 0..<rect.height {
            let index = cursor.offset + line
            guard index < count else { break }
            let item = row(index)
            let y = rect.y + line
            let selected = index == cursor.selected
            var style = item.style
            if selected { style = style.merged(focused ? .selected : Style(bold: true)) }
            fill(Rect(x: rect.x, y: y, width: rect.width, height: 1), style: selected && focused ? .selected : .plain)
            let detailWidth = item.detail.isEmpty ? 0 : min(Buffer.width(of: item.detail), rect.width * 11 / 20)
            put(item.text, x: rect.x, y: y, style: style, maxWidth: rect.width - (detailWidth > 0 ? detailWidth + 1 : 0))
            if detailWidth > 0 {
                put(item.detail, x: rect.maxX - detailWidth, y: y, style: style.merged(selected && focused ? .plain : .dim),
                    maxWidth: detailWidth)
            }
        }
    }

    /// Lines of text from line `offset` and column `column` on, clipped to the rectangle (a line
    /// cut at the right edge ends in `…`).
    public mutating func text(_ lines: [StyledLine], in rect: Rect, offset: Int = 0, column: Int = 0) {
        for row in 0..<rect.height {
            let index = offset + row
            guard index >= 0, index < lines.count else { continue }
            let text = column > 0 ? String(lines[index].text.dropFirst(column)) : lines[index].text
            put(text, x: rect.x, y: rect.y + row, style: lines[index].style, maxWidth: rect.width)
        }
    }

    /// `[#####-----]` filled to `fraction`.
    public mutating func progressBar(_ fraction: Double, x: Int, y: Int, width: Int, style: Style = .plain) {
        guard width >= 3 else { return }
        let inner = width - 2
        let filled = Int((min(max(fraction, 0), 1) * Double(inner)).rounded(.down))
        put("[" + String(repeating: "█", count: filled) + String(repeating: "·", count: inner - filled) + "]", x: x, y: y, style: style)
    }

    /// A box centred in the buffer, blanked, with a frame and title; returns its inside.
    public mutating func centeredBox(width: Int, height: Int, title: String, color: Bool = true) -> Rect {
        let w = min(width, self.width - 2), h = min(height, self.height - 2)
        let rect = Rect(x: (self.width - w) / 2, y: (self.height - h) / 2, width: w, height: h)
        fill(rect)
        frame(rect, title: title, focused: true, color: color)
        return rect.inset(1)
    }
}
