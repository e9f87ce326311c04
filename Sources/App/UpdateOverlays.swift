import OCI
import TerminalUI

// The full-screen views: raw JSON (or text) and the diff.

func overlayKey(_ key: Key, _ state: inout AppState) -> [Effect] {
    let context: KeyContext = switch state.overlay {
    case .diff: .diff
    case .files: .tree
    default: .json
    }
    guard let name = state.keymap.action(for: key, in: KeyContext.chain(context)), let command = Command(rawValue: name) else { return [] }
    if case .files = state.overlay, command != .quit, command != .help {
        return filesViewKey(command, key, &state)
    }
    switch command {
    case .back:
        if case .diff(let view) = state.overlay {
            state.overlay = nil
            return [view.request, view.files?.request].compactMap { $0 }.filter { state.requests.close($0) != nil }.map { .cancel($0) }
        }
        state.overlay = nil
        return []
    case .quit, .help:
        return perform(command, &state)
    default:
        break
    }
    switch state.overlay {
    case .text(var view):
        textKey(command, &view, &state)
        state.overlay = .text(view)
    case .diff(var view):
        let effects = diffKey(command, &view, &state)
        state.overlay = .diff(view)
        return effects
    default:
        break
    }
    return []
}

/// The new top line for a scroll key in a view of `total` lines showing `visible`.
private func scrolled(_ offset: Int, _ command: Command, total: Int, visible: Int, page: Int) -> Int {
    let last = max(0, total - visible)
    return switch command {
    case .moveDown: min(offset + 1, last)
    case .moveUp: max(0, offset - 1)
    case .pageDown: min(offset + page, last)
    case .pageUp: max(0, offset - page)
    case .top: 0
    case .bottom: last
    default: offset
    }
}

/// Columns scrolled sideways by `<` and `>`.
private func sideways(_ column: Int, _ command: Command) -> Int {
    switch command {
    case .scrollRight: column + 8
    case .scrollLeft: max(0, column - 8)
    default: column
    }
}

private func textKey(_ command: Command, _ view: inout TextView, _ state: inout AppState) {
    let visible = Layout(state).overlayBody
    switch command {
    case .filter:
        state.editing = .search
    case .nextChange, .previousChange:
        guard !view.matches.isEmpty else {
            state.status = Status(text: view.search.isEmpty ? "press / to search" : "no line contains \"\(view.search)\"", isError: true)
            return
        }
        let at = view.current ?? view.offset
        let next = command == .nextChange ? view.matches.first { $0 > at } : view.matches.last { $0 < at }
        guard let next else {
            state.status = Status(text: command == .nextChange ? "no more matches below" : "no more matches above", isError: false)
            return
        }
        view.current = next
        reveal(next, in: &view, visible: visible)
    case .scrollLeft, .scrollRight:
        view.column = sideways(view.column, command)
    default:
        view.offset = scrolled(view.offset, command, total: view.lines.count, visible: visible, page: max(1, visible - 1))
    }
}

private func diffKey(_ command: Command, _ view: inout DiffView, _ state: inout AppState) -> [Effect] {
    guard let rows = view.rows, let comparison = view.comparison else { return [] }
    if command == .files { return toggleFileChanges(&view, &state) }
    let visible = Layout(state).diffBody(view)
    if view.showingFiles, var files = view.files {
        let total = files.changes.map { $0.count + 1 } ?? 1
        files.offset = scrolled(files.offset, command, total: total, visible: visible, page: max(1, visible - 1))
        view.files = files
        return []
    }
    switch command {
    case .nextChange, .previousChange:
        let forward = command == .nextChange
        let target = forward ? rows.changeStarts.first { $0 > view.offset } : rows.changeStarts.last { $0 < view.offset }
        let offset = target.map { min($0, max(0, rows.rows.count - visible)) }
        guard let offset, offset != view.offset else {
            let text = rows.rows.count <= visible ? "every change is on screen" : forward ? "no more changes below" : "no more changes above"
            state.status = Status(text: text, isError: false)
            return []
        }
        view.offset = offset
    case .yankDigest:
        state.status = Status(text: "copied \(comparison.b.digest) to the clipboard", isError: false)
        return [.setClipboard(comparison.b.digest.description)]
    case .scrollLeft, .scrollRight:
        view.column = sideways(view.column, command)
    default:
        view.offset = scrolled(view.offset, command, total: rows.rows.count, visible: visible, page: max(1, visible - 1))
    }
    return []
}
