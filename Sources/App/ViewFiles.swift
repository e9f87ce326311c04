import FileTree
import Foundation
import OCI
import TerminalUI

// The files view and the diff's files section.

func drawFiles(_ view: FilesView, _ state: AppState, _ layout: Layout, _ buffer: inout Buffer, _ palette: Palette) {
    let rect = layout.overlay
    buffer.fill(rect)
    let wanted = view.source == .merged ? view.layerCount : 1
    let checked = view.source == .merged ? "every layer checked" : "checked against its digest"
    let progress = view.error != nil ? "failed" : view.complete ? "\(view.filesystem.entries.count) entries, \(checked)"
        : "reading: \(view.verified.count) of \(wanted) layer\(wanted == 1 ? "" : "s") checked, entries show as they arrive"
    buffer.frame(rect, title: "\(view.title) · \(progress)", focused: true, color: state.color)
    let inside = rect.inset(1)
    if let error = view.error {
        for (row, line) in wrap(error, width: inside.width).prefix(inside.height).enumerated() {
            buffer.put(line, x: inside.x, y: inside.y + row, style: palette.error, maxWidth: inside.width)
        }
        return
    }
    let list = Rect(x: inside.x, y: inside.y, width: inside.width, height: max(0, inside.height - 1))
    if view.rows.isEmpty {
        let text = !view.filter.isEmpty ? "nothing matches /\(view.filter)" : view.complete ? "no entries" : "loading…"
        buffer.put(text, x: list.x, y: list.y, style: .dim, maxWidth: list.width)
    }
    buffer.list(count: view.rows.count, row: { index in
        let row = view.rows[index]
        return ListRow(fileRowText(row, view), style: fileMarkStyle(row.mark, palette))
    }, in: list, cursor: view.cursor, focused: true)
    let footer = view.selected.map { fileDetails($0, view) } ?? ""
    let keys = "  ·  \(keyName(.open, state)) open  \(keyName(.filter, state)) filter  h up  Esc close"
    buffer.put(footer + keys, x: inside.x, y: inside.maxY - 1, style: .dim, maxWidth: inside.width)
}

/// `+ -rw-r--r--    1.2 KiB  L3    ▸ name -> target`: mark, mode, size, layer, the tree.
private func fileRowText(_ row: FileRow, _ view: FilesView) -> String {
    let mark: String = switch row.mark {
    case .none: " "
    case .added: "+"
    case .modified: "~"
    case .removed: "-"
    }
    let indent = String(repeating: "  ", count: row.depth)
    let opener = row.expandable && view.filter.isEmpty ? (view.expanded.contains(row.path) ? "▾ " : "▸ ") : "  "
    guard let entry = row.entry else {
        return "\(mark) \(pad("", 10))  \(pad("", 9))  L\(pad(String(row.removedBy ?? 0), 3, left: false)) \(indent)\(opener)\(row.name)  (removed)"
    }
    let size = entry.type == .file || entry.type == .hardlink ? ByteCount.format(entry.size) : "-"
    var text = "\(mark) \(entry.modeString)  \(pad(size, 9))  L\(pad(String(entry.layer), 3, left: false)) \(indent)\(opener)\(row.name)"
    if entry.type == .dir && !row.expandable && view.filter.isEmpty { text += "/" }
    switch entry.type {
    case .symlink, .hardlink: text += " -> \(entry.linkTarget ?? "")"
    case .whiteout: text += "  (whiteout: deleted from the layers below)"
    default: break
    }
    if view.filesystem.opaque.contains(row.path) { text += "  (opaque: lower layers' contents hidden)" }
    return text
}

/// The selected entry in full: path, link, owner, mode, time and which layer did what.
private func fileDetails(_ row: FileRow, _ view: FilesView) -> String {
    guard let entry = row.entry else { return "\(row.path): removed by layer \(row.removedBy ?? 0)" }
    var parts = [entry.path + (entry.linkTarget.map { " -> \($0)" } ?? "")]
    parts.append("\(entry.uid):\(entry.gid) \(entry.octalMode)")
    if entry.type == .file { parts.append("\(entry.size) bytes") }
    parts.append(Date(timeIntervalSince1970: TimeInterval(entry.mtime)).formatted(.iso8601))
    switch row.mark {
    case .added: parts.append("added by layer \(entry.layer)")
    case .modified: parts.append("layer \(entry.layer) replaced a lower layer's")
    default: parts.append("layer \(entry.layer)")
    }
    return parts.joined(separator: "  ")
}

private func fileMarkStyle(_ mark: FileMark, _ palette: Palette) -> Style {
    switch mark {
    case .none: .plain
    case .added: palette.added
    case .modified: palette.fg(.yellow)
    case .removed: palette.removed
    }
}

/// `text` padded to `width` columns: on the left (right-aligned), or on the right.
private func pad(_ text: String, _ width: Int, left: Bool = true) -> String {
    let room = String(repeating: " ", count: max(0, width - text.count))
    return left ? room + text : text + room
}

/// The diff's files section: counts, then one line per path that differs.
func fileChangeLines(_ files: FileChanges, palette: Palette) -> [StyledLine] {
    if let error = files.error { return [StyledLine("files: \(error)", style: palette.error)] }
    guard let changes = files.changes else { return [StyledLine("files: reading both images' layers…", style: .dim)] }
    func count(_ kind: FileChange.Kind) -> Int { changes.filter { $0.change == kind }.count }
    let scope = files.scope.map { " (\($0))" } ?? ""
    var lines = [StyledLine("files\(scope): \(count(.added)) added, \(count(.removed)) removed, \(count(.modified)) modified, "
                            + "\(count(.metadata)) with only mode or owner changed", style: .bold)]
    for change in changes {
        let style: Style = switch change.change {
        case .added: palette.added
        case .removed: palette.removed
        case .modified: palette.fg(.yellow)
        case .metadata: .dim
        }
        lines.append(StyledLine("\(change.mark) \(change.path)  \(change.summary)", style: style))
    }
    return lines
}
