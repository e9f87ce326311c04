import ManifestDiff
import OCI
import TerminalUI

// The full-screen views: help, raw JSON (or text) with its search, and the diff.

/// The help's lines: keymap warnings first, then each context's keys with what they do (and,
/// for the keys of every view, why they would do nothing here).
func helpLines(_ state: AppState, palette: Palette) -> [StyledLine] {
    var lines: [StyledLine] = []
    if !state.warnings.isEmpty {
        lines.append(StyledLine("keymap warnings (those lines were skipped)", style: palette.error))
        lines += state.warnings.map { StyledLine("  " + $0, style: palette.error) }
    }
    lines.append(StyledLine("Keys (from the active keymap; override in ~/.config/regtui/keymap)", style: .bold))
    var sections: [(title: String, rows: [(keys: String, command: Command)])] = []
    for context in KeyContext.allCases {
        let rows = Command.allCases.compactMap { command -> (String, Command)? in
            let keys = state.keymap.keys(for: command.rawValue, in: context.rawValue)
            return keys.isEmpty ? nil : (keys.map(\.description).joined(separator: " "), command)
        }
        if !rows.isEmpty { sections.append((context == .global ? "everywhere" : "in the \(context.rawValue) view", rows)) }
    }
    let keyWidth = min(32, sections.flatMap(\.rows).map(\.keys.count).max() ?? 0) + 2
    for section in sections {
        lines.append(StyledLine(section.title, style: palette.fg(.cyan, bold: true)))
        for (keys, command) in section.rows {
            var line = "  " + keys.padding(toLength: max(keyWidth, keys.count + 2), withPad: " ", startingAt: 0) + command.help
            var style = Style.plain
            if case .unavailable(let reason) = availability(command, state), section.title == "everywhere" {
                line += " (not here: \(reason))"
                style = .dim
            }
            lines.append(StyledLine(line, style: style))
        }
    }
    lines.append(StyledLine("files view: \(keyName(.open, state)) opens, \(keyName(.back, state)) goes up, "
                            + "\(keyName(.filter, state)) filters by path, \(keyName(.yankDigest, state)) copies the path, Esc closes", style: .dim))
    lines.append(StyledLine("mouse: a click selects a row and focuses its pane; the wheel scrolls the pane or the view under it", style: .dim))
    return lines
}

func drawHelp(_ state: AppState, offset: Int, _ buffer: inout Buffer, _ palette: Palette) {
    let lines = helpLines(state, palette: palette)
    let width = min(buffer.width - 2, max(60, lines.map(\.text.count).max() ?? 0) + 2)
    let more = lines.count > buffer.height - 4
    let title = more ? "Help \(min(offset + buffer.height - 4, lines.count))/\(lines.count) · j/k scroll, any other key closes"
                     : "Help · any key closes"
    let inside = buffer.centeredBox(width: width, height: lines.count + 2, title: title, color: state.color)
    buffer.text(lines, in: inside, offset: offset)
}

func drawText(_ view: TextView, _ state: AppState, _ layout: Layout, _ buffer: inout Buffer, _ palette: Palette) {
    let rect = layout.overlay
    buffer.fill(rect)
    buffer.frame(rect, title: view.title, focused: true, color: palette.color)
    let inside = rect.inset(1)
    let numberWidth = String(view.lines.count).count
    let matches = Set(view.matches)
    for row in 0..<inside.height {
        let index = view.offset + row
        guard index < view.lines.count else { break }
        let number = String(index + 1)
        let style: Style = index == view.current ? palette.match : matches.contains(index) ? palette.fg(.yellow, bold: true) : .dim
        let x = buffer.put(String(repeating: " ", count: numberWidth - number.count) + number + " ", x: inside.x, y: inside.y + row,
                           style: style)
        buffer.put(String(view.lines[index].dropFirst(view.column)), x: x, y: inside.y + row, maxWidth: inside.maxX - x)
    }
    let position = view.lines.isEmpty ? "" : " \(min(view.offset + inside.height, view.lines.count))/\(view.lines.count) "
    buffer.put(position, x: rect.maxX - position.count - 2, y: rect.maxY - 1, style: .dim)
}

/// The lines above the diff's side-by-side part: the verdict, every line of evidence, both
/// digests, and as many rows of the parts table (differing parts first) as leave the JSON room.
enum DiffHeader {
    static func lines(_ view: DiffView, width: Int, rows: Int) -> [StyledLine] {
        guard let comparison = view.comparison else { return [StyledLine(view.error ?? "comparing…")] }
        var lines = [StyledLine("verdict: \(comparison.headline)", style: .bold)]
        lines += wrap(comparison.fullExplanation, width: width).map { StyledLine($0, style: .dim) }
        for evidence in comparison.evidence { lines += wrap("• " + evidence, width: width).map { StyledLine($0) } }
        lines.append(StyledLine("A \(comparison.a.digest)  \(comparison.a.size) B  \(comparison.a.reference)"))
        lines.append(StyledLine("B \(comparison.b.digest)  \(comparison.b.size) B  \(comparison.b.reference)"))
        let differing = comparison.parts.filter { !$0.equal }
        let body = view.showingFiles ? "f the JSON again" : "n/N next/previous change  ·  < > scroll sideways  ·  f which files differ"
        lines.append(StyledLine("parts: \(comparison.parts.count - differing.count) equal, \(differing.count) differ  ·  \(body)", style: .dim))
        let shown = differing + comparison.parts.filter(\.equal)
        // The JSON keeps at least a third of the rows, and at least 6.
        let room = max(0, rows - lines.count - max(6, rows / 3))
        let fits = shown.count <= room ? shown.count : max(0, room - 1)
        let labelWidth = min(24, shown.map(\.part.count).max() ?? 0)
        for part in shown.prefix(fits) {
            let label = part.part.padding(toLength: labelWidth, withPad: " ", startingAt: 0)
            let side = part.equal ? "" : "A "
            let a = side + (part.a.map { String($0.description.prefix(19)) } ?? "—") + (part.aDetail.map { " (\($0))" } ?? "")
            let b = part.equal ? "" : "   B " + (part.b.map { String($0.description.prefix(19)) } ?? "—") + (part.bDetail.map { " (\($0))" } ?? "")
            lines.append(StyledLine("\(part.equal ? "=" : "≠") \(label) \(a)\(b)", style: part.equal ? .dim : .plain))
        }
        if fits < shown.count {
            lines.append(StyledLine("  … \(shown.count - fits) more parts: a taller terminal shows them, regtui diff --json lists them all", style: .dim))
        }
        return lines
    }
}

func drawDiff(_ diff: DiffView, _ state: AppState, _ layout: Layout, _ buffer: inout Buffer, _ palette: Palette) {
    let rect = layout.overlay
    buffer.fill(rect)
    buffer.frame(rect, title: "Diff  \(diff.title)", focused: true, color: state.color)
    let inside = rect.inset(1)
    var header = DiffHeader.lines(diff, width: inside.width, rows: inside.height)
    if diff.error != nil { header = header.map { StyledLine($0.text, style: palette.error) } }
    if let verdict = diff.comparison?.verdict, !header.isEmpty {
        header[0].style = verdict == .identical ? palette.fg(.green, bold: true) : palette.fg(.yellow, bold: true)
    }
    buffer.text(header, in: inside)
    let top = inside.y + header.count
    if diff.showingFiles, let files = diff.files {
        let body = Rect(x: inside.x, y: top, width: inside.width, height: max(0, inside.maxY - top))
        buffer.text(fileChangeLines(files, palette: palette), in: body, offset: files.offset)
        return
    }
    guard let rows = diff.rows else { return }
    let half = (inside.width - 3) / 2
    for line in 0..<max(0, inside.maxY - top) {
        let index = diff.offset + line
        guard index < rows.rows.count else { break }
        let row = rows.rows[index]
        let y = top + line
        let (leftStyle, rightStyle, gutter): (Style, Style, String) = switch row.kind {
        case .equal: (.dim, .dim, "│")
        case .changed: (palette.changed, palette.changed, "≠")
        case .removed: (palette.removed, .plain, "<")
        case .added: (.plain, palette.added, ">")
        }
        if let left = row.left { buffer.put(String(rows.left[left].dropFirst(diff.column)), x: inside.x, y: y, style: leftStyle, maxWidth: half) }
        buffer.put(gutter, x: inside.x + half + 1, y: y, style: .dim)
        if let right = row.right {
            buffer.put(String(rows.right[right].dropFirst(diff.column)), x: inside.x + half + 3, y: y, style: rightStyle, maxWidth: half)
        }
    }
}
