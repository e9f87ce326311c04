import TerminalUI

/// A click selects a row and focuses its pane (or the copy pane); the wheel scrolls the pane
/// under the pointer, or the diff.
func mouse(_ event: MouseEvent, _ state: inout AppState) -> [Effect] {
    guard state.prompt == nil else { return [] }
    if state.overlay != nil {
        guard event.kind != .press else { return [] }
        return overlayKey(event.kind == .wheelUp ? .up : .down, &state)
    }
    let layout = Layout(state)
    if !state.transfers.isEmpty, layout.transfers.contains(x: event.x, y: event.y), event.kind == .press {
        state.transferFocused = true
        return []
    }
    guard let pane = Pane.allCases.first(where: { layout.rect($0).contains(x: event.x, y: event.y) }) else { return [] }
    state.editing = nil
    state.focus = pane
    switch event.kind {
    case .wheelUp: return move(pane, by: -3, &state)
    case .wheelDown: return move(pane, by: 3, &state)
    case .press:
        let row = event.y - layout.rect(pane).y - 1
        let cursor = state.cursor(pane)
        guard row >= 0, cursor.offset + row < state.count(pane) else { return [] }
        return move(pane, by: cursor.offset + row - cursor.selected, &state)
    }
}
