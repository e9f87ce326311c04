import OCI
import TerminalUI

// Typing: filters on lists, search in text, and the prompts on the status line.

/// Edits `text` with `key`; returns false when the key is not an edit.
func edit(_ text: inout String, _ key: Key) -> Bool {
    switch key {
    case .character(let c):
        text.append(c)
    case .backspace:
        if !text.isEmpty { text.removeLast() }
    case .control("u"):
        text = ""
    case .control("w"):
        while text.last == "/" || text.last == ":" { text.removeLast() }
        while let last = text.last, last != "/" && last != ":" { text.removeLast() }
    default:
        return false
    }
    return true
}

/// A key while a filter or search is being typed: Enter keeps it, Esc clears it.
func editKey(_ key: Key, _ editing: Editing, _ state: inout AppState) -> [Effect] {
    switch editing {
    case .filter(let pane):
        var text = state.filter(pane)
        switch key {
        case .enter:
            state.editing = nil
            return selectionChanged(pane, &state)
        case .escape:
            state.editing = nil
            setFilter("", on: pane, &state)
            return selectionChanged(pane, &state)
        default:
            if edit(&text, key) { setFilter(text, on: pane, &state) }
            return []
        }
    case .search:
        if case .files(var files) = state.overlay { return filesFilterKey(key, &files, &state) }
        guard case .text(var view) = state.overlay else {
            state.editing = nil
            return []
        }
        switch key {
        case .enter:
            state.editing = nil
            if view.matches.isEmpty && !view.search.isEmpty { state.status = Status(text: "no line contains \"\(view.search)\"", isError: true) }
        case .escape:
            state.editing = nil
            view.search = ""
            view.matches = []
            view.current = nil
        default:
            var text = view.search
            guard edit(&text, key) else { return [] }
            search(text, in: &view, visible: Layout(state).overlayBody)
        }
        state.overlay = .text(view)
        return []
    }
}

/// A key while the files view's filter is typed: Enter keeps it, Esc clears it.
private func filesFilterKey(_ key: Key, _ view: inout FilesView, _ state: inout AppState) -> [Effect] {
    switch key {
    case .enter:
        state.editing = nil
    case .escape:
        state.editing = nil
        view.setFilter("")
    default:
        var text = view.filter
        guard edit(&text, key) else { return [] }
        view.setFilter(text)
    }
    view.cursor.scroll(visible: Layout(state).filesBody, count: view.rows.count)
    state.overlay = .files(view)
    return []
}

func setFilter(_ text: String, on pane: Pane, _ state: inout AppState) {
    if pane == .tree {
        withTree(&state) { $0.setFilter(text) }
        return
    }
    let visible = Layout(state).listHeight(pane)
    withList(pane, &state) { list in
        list.setFilter(text)
        list.cursor.scroll(visible: visible, count: list.count)
    }
}

/// Finds the lines containing `text` and scrolls to the first at or below the top line.
func search(_ text: String, in view: inout TextView, visible: Int) {
    view.search = text
    let matcher = FilterMatcher(text)
    view.matches = text.isEmpty ? [] : view.lines.indices.filter { matcher.matches(view.lines[$0]) }
    view.current = view.matches.first { $0 >= view.offset } ?? view.matches.first
    if let current = view.current { reveal(current, in: &view, visible: visible) }
}

/// Scrolls the least that shows line `line`.
func reveal(_ line: Int, in view: inout TextView, visible: Int) {
    if line < view.offset { view.offset = line }
    if line >= view.offset + visible { view.offset = min(line, max(0, view.lines.count - visible)) }
}

// MARK: Prompts

func promptKey(_ key: Key, _ state: inout AppState) -> [Effect] {
    switch state.prompt {
    case .confirmQuit:
        switch key {
        case .character("y"), .character("Y"):
            state.prompt = nil
            state.quit = true
            return state.transfers.filter { $0.outcome == .running }.map { .cancel($0.id) }
        case .character("n"), .character("N"), .escape:
            state.prompt = nil
        default:
            break
        }
        return []
    case .openRepository(let registry, var text, var completion, let checking):
        switch key {
        case .escape:
            state.prompt = nil
            return checking.map { [.cancel($0)] } ?? []
        case .enter:
            guard checking == nil, !text.isEmpty else { return [] }
            guard let repository = try? ImageRef.repository(text, in: registry) else {
                state.status = Status(text: "\"\(text)\" is not a repository name: lower-case letters, digits and . _ - separated by /", isError: true)
                return []
            }
            let (id, effects) = state.requests.issue(.repository(registry: registry, name: text))
            state.prompt = .openRepository(registry: registry, text: text, completion: completion, checking: id)
            return effects + [.load(id, .repository(repository))]
        case .tab:
            complete(&text, &completion, from: (state.catalogs[registry]?.value?.list.items ?? []), &state)
        default:
            guard checking == nil, edit(&text, key) else { return [] }
            completion = Completion()
        }
        state.prompt = .openRepository(registry: registry, text: text, completion: completion, checking: checking)
        return []
    case .copy(let prompt):
        return copyPromptKey(key, prompt, &state)
    case .delete(let prompt):
        return deleteKey(key, prompt, &state)
    case .addTags(let prompt):
        return addTagsKey(key, prompt, &state)
    case nil:
        return []
    }
}

/// The answer to "does this typed repository exist?": open it, or say it is not there.
func repositoryChecked(_ registry: String, name: String, exists: Bool, _ state: inout AppState) -> [Effect] {
    state.prompt = nil
    guard exists else {
        state.status = Status(text: "\(registry) has no repository \(name)", isError: true)
        return []
    }
    var catalog = state.catalogs[registry]?.value ?? Catalog()
    if !catalog.list.items.contains(name) { catalog.typed.insert(name, at: 0) }
    catalog.refreshList()
    catalog.list.setFilter("")
    catalog.list.select(name)
    state.catalogs[registry] = Loadable(value: catalog, pending: state.catalogs[registry]?.pending)
    state.focus = .repositories
    return selectionChanged(.repositories, &state)
}

/// Tab: completes `text` from `candidates`. One match is taken; several complete their common
/// prefix and are listed on the status line, and Tab again cycles through them.
func complete(_ text: inout String, _ completion: inout Completion, from candidates: [String], _ state: inout AppState) {
    if completion.candidates.isEmpty {
        let matches = candidates.filter { $0.hasPrefix(text) && $0 != text }.sorted()
        guard matches.count > 1 else {
            if let only = matches.first { text = only } else { state.status = Status(text: "nothing known starts with \"\(text)\"", isError: true) }
            return
        }
        let common = matches.dropFirst().reduce(matches[0]) { String($0.commonPrefix(with: $1)) }
        if common.count > text.count {
            completion = Completion(candidates: matches, index: -1)
            text = common
        } else {
            completion = Completion(candidates: matches, index: 0)
            text = matches[0]
        }
    } else {
        completion.index = (completion.index + 1) % completion.candidates.count
        text = completion.candidates[completion.index]
    }
    let shown = completion.candidates.prefix(5).joined(separator: "  ")
    let more = completion.candidates.count > 5 ? "  …" : ""
    state.status = Status(text: "\(completion.candidates.count) matches: \(shown)\(more)  (Tab cycles)", isError: false)
}
