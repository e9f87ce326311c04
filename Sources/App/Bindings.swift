import TerminalUI

/// Whether a command can run where the cursor is, and if not, why: the reason is what the
/// status line says when its key is pressed anyway, and what the help shows beside it.
enum Availability: Equatable {
    case available
    case unavailable(String)
}

func availability(_ command: Command, _ state: AppState) -> Availability {
    func need(_ condition: Bool, _ reason: @autoclosure () -> String) -> Availability {
        condition ? .available : .unavailable(reason())
    }
    switch command {
    case .open:
        switch state.focus {
        case .registries: return need(state.selectedRegistry != nil, "no registry to open: start regtui with one, e.g. regtui localhost:5000")
        case .repositories: return need(state.selectedRepository != nil, "no repository here to open")
        case .tags: return need(state.selectedTag != nil, "no tag here to open")
        case .tree: return need(state.selectedTreeRow != nil, "the manifest tree is not loaded yet")
        }
    case .filter:
        return need(state.focus == .tree ? state.treeView != nil : state.list(state.focus) != nil, "nothing to filter here yet")
    case .mark:
        return need(currentItem(state) != nil, "choose a tag or a manifest to mark (layers and configs belong to their manifest)")
    case .diff:
        guard let mark = state.mark else { return .unavailable("mark an item first (\(keyName(.mark, state))), then diff another against it") }
        return need(currentItem(state) != nil, "choose a tag or a manifest to diff against \(mark.label)")
    case .copy:
        return need(currentItem(state) != nil, "choose a tag or a manifest to copy (layers and configs go with their manifest)")
    case .yankDigest:
        return need(currentDigest(state) != nil, "no digest known here yet")
    case .sortTags:
        return need(state.tagList != nil && (state.focus == .tags || state.focus == .tree), "only in the tags pane")
    case .delete:
        guard let (reference, _) = currentItem(state) else { return .unavailable("choose a tag or a manifest to delete") }
        return need(reference.kind == .registry, "regtui deletes from registries only; copy what you keep into a new layout instead")
    case .addTag:
        guard let (reference, _) = currentItem(state) else { return .unavailable("choose a tag or a manifest to tag") }
        return need(reference.kind != .dockerArchive, "a container engine's archive is read only")
    case .openRepository:
        return need(state.selectedRegistry != nil, "no registry to open a repository in")
    case .cancelTransfer:
        return need(state.copying, "no copy is running")
    case .focusTransfers:
        return need(!state.transfers.isEmpty, "no copy to show")
    case .nextChange, .previousChange, .scrollLeft, .scrollRight:
        return need(state.overlay != nil, "only in the raw JSON and diff views")
    case .files:
        if case .diff = state.overlay { return .available }
        return .unavailable("only in the diff view; in the manifest tree, open a layer or an image's files row")
    case .moveDown, .moveUp, .pageDown, .pageUp, .top, .bottom, .back, .refresh, .toggleDigests, .help, .quit:
        return .available
    }
}

/// The name of the first key bound to `command`, as the keymap spells it (`d`, `<Enter>`).
func keyName(_ command: Command, _ state: AppState) -> String {
    for context in KeyContext.allCases {
        if let key = state.keymap.keys(for: command.rawValue, in: context.rawValue).first { return key.description }
    }
    return command.rawValue
}

/// What `open` does on the selected item, said the way the hints say it.
func openLabel(_ state: AppState) -> String {
    switch state.focus {
    case .registries: return "repositories"
    case .repositories: return "tags"
    case .tags: return "manifest tree"
    case .tree:
        guard let row = state.selectedTreeRow else { return "open" }
        if row.expandable, let view = state.treeView, view.filter.isEmpty, view.collapsed.contains(row.path) { return "expand" }
        return row.kind == .layer || row.kind == .files ? "files" : "raw JSON"
    }
}

/// The keys that do something on the selected item, with what they do: the Details box's last
/// line. Only what is available here is listed.
func hints(_ state: AppState) -> String {
    let items: [(Command, String)] = [(.open, openLabel(state)), (.mark, "mark"), (.diff, "diff"), (.copy, "copy"),
                                      (.yankDigest, "yank"), (.addTag, "tag"), (.delete, "delete")]
    return items.filter { availability($0.0, state) == .available }.map { "\(keyName($0.0, state)) \($0.1)" }.joined(separator: " · ")
}
