import OCI
import TerminalUI
import TransferModel

/// The effects to run when the UI opens: list the first registry's repositories.
public func start(_ state: inout AppState) -> [Effect] {
    selectionChanged(.registries, &state)
}

/// Applies `action` to `state` and returns the effects to run. The only way state changes.
public func update(_ state: inout AppState, _ action: Action) -> [Effect] {
    switch action {
    case .key(let key):
        return handle(key, &state)
    case .resized(let width, let height):
        state.width = width
        state.height = height
        return scrollIntoView(&state)
    case .answer(let id, let answer):
        guard let purpose = state.requests.close(id) else { return [] }
        return receive(answer, for: purpose, id: id, &state)
    case .failed(let id, let message, let cancelled):
        guard let purpose = state.requests.close(id) else { return [] }
        return fail(purpose, id: id, message: message, cancelled: cancelled, &state)
    case .transfer(let id, let event):
        guard state.requests.purpose(of: id) == .transfer, let index = state.transfers.firstIndex(where: { $0.id == id }) else { return [] }
        state.transfers[index].progress.apply(event)
        return []
    case .files(let id, let event):
        return filesEvent(id, event, &state)
    case .rateLimits(let limits):
        state.rateLimits = limits
        return []
    }
}

/// Routes an answer to where it was asked for.
private func receive(_ answer: Answer, for purpose: Purpose, id: RequestID, _ state: inout AppState) -> [Effect] {
    switch (purpose, answer) {
    case (.catalog(let registry, let appending), .catalog(let names, let next)):
        return catalogLoaded(registry, names: names, next: next, appending: appending, &state)
    case (.catalog(let registry, _), .catalogUnavailable):
        var catalog = state.catalogs[registry]?.value ?? Catalog()
        catalog.unavailable = true
        state.catalogs[registry] = Loadable(value: catalog)
        return []
    case (.tags(let repository), .tags(let tags)):
        return tagsLoaded(repository, tags: tags, &state)
    case (.summary(let repository, let tag), .summary(let digest, let summary)):
        return summaryAnswered(repository, tag: tag, (digest, summary), &state)
    case (.deletePlan, .deletePlan(let plan)):
        return planRead(id, plan, &state)
    case (.delete, .deleted(let method)):
        return deleted(id, method, &state)
    case (.addTags, .tagged(let digest, let moved)):
        return tagsAdded(id, digest: digest, moved: moved, &state)
    case (.tree(let key), .tree(let tree)):
        state.trees[key] = Loadable(value: TreeView(tree: tree))
        return []
    case (.diff, .diff(let comparison, let rows)):
        guard case .diff(var view) = state.overlay, view.request == id else { return [] }
        view.comparison = comparison
        view.rows = rows
        state.overlay = .diff(view)
        return []
    case (.destination, .destination(let source, let current)):
        return destinationChecked(id, source: source, current: current, &state)
    case (.repository(let registry, let name), .repository(let exists)):
        return repositoryChecked(registry, name: name, exists: exists, &state)
    case (.transfer, .copied(let result)):
        return transferFinished(id, result, &state)
    case (.files, .filesRead):
        withFilesView(&state) { view in if view.request == id { view.request = nil } }
        return []
    case (.fileContent, .fileContent(let data, let size)):
        fileContentRead(id, data: data, size: size, &state)
        return []
    case (.fileChanges, .fileChanges(let changes, let scope)):
        fileChangesRead(id, &state) { files in
            files.changes = changes
            files.scope = scope
        }
        return []
    default:
        return []
    }
}

/// Shows a failed request where its answer would have gone.
private func fail(_ purpose: Purpose, id: RequestID, message: String, cancelled: Bool, _ state: inout AppState) -> [Effect] {
    switch purpose {
    case .catalog(let registry, _):
        state.catalogs[registry] = Loadable(value: state.catalogs[registry]?.value, error: message)
    case .tags(let repository):
        state.tagLists[repository] = Loadable(value: state.tagLists[repository]?.value, error: message)
    case .tree(let key):
        state.trees[key] = Loadable(error: message)
    case .summary(let repository, let tag):
        // The row shows no date or size; opening the tag says why.
        return summaryAnswered(repository, tag: tag, nil, &state)
    case .deletePlan, .delete, .addTags:
        housekeepingFailed(id, message: message, cancelled: cancelled, &state)
    case .diff:
        guard case .diff(var view) = state.overlay, view.request == id else { return [] }
        view.error = message
        state.overlay = .diff(view)
    case .destination:
        guard case .copy(var prompt) = state.prompt, prompt.checking == id else { return [] }
        prompt.checking = nil
        prompt.error = message
        state.prompt = .copy(prompt)
    case .repository(let registry, let name):
        guard case .openRepository(registry, let text, let completion, id) = state.prompt else { return [] }
        state.prompt = .openRepository(registry: registry, text: text, completion: completion, checking: nil)
        state.status = Status(text: "cannot open \(name): \(message)", isError: true)
    case .transfer:
        return transferFailed(id, message: message, cancelled: cancelled, &state)
    case .files:
        withFilesView(&state) { view in if view.request == id { view.fail(message) } }
    case .fileContent:
        withFilesView(&state) { view in if view.opening == id { view.opening = nil } }
        state.status = Status(text: message, isError: true)
    case .fileChanges:
        fileChangesRead(id, &state) { $0.error = message }
    }
    return []
}

// MARK: - Keys

private func handle(_ key: Key, _ state: inout AppState) -> [Effect] {
    if case .resize = key { return [] }
    if case .mouse(let event) = key { return mouse(event, &state) }
    // A status line says what the last key did; the next key starts afresh.
    state.status = nil
    if state.prompt != nil { return promptKey(key, &state) }
    if let editing = state.editing { return editKey(key, editing, &state) }
    if state.transferFocused { return transferPaneKey(key, &state) }
    switch state.overlay {
    case .help(let offset):
        // Movement keys scroll the help; quit quits; any other key closes it.
        let command = state.keymap.action(for: key, in: ["global"]).flatMap(Command.init(rawValue:))
        let rows = helpLines(state, palette: Palette(color: state.color)).count, page = max(1, state.height - 4)
        let last = max(0, rows - page)
        switch command {
        case .moveDown: state.overlay = .help(offset: min(offset + 1, last))
        case .moveUp: state.overlay = .help(offset: max(0, offset - 1))
        case .pageDown: state.overlay = .help(offset: min(offset + page, last))
        case .pageUp: state.overlay = .help(offset: max(0, offset - page))
        case .top: state.overlay = .help(offset: 0)
        case .bottom: state.overlay = .help(offset: last)
        case .quit:
            state.overlay = nil
            return perform(.quit, &state)
        default: state.overlay = nil
        }
        return []
    case .text, .diff, .files:
        return overlayKey(key, &state)
    case nil:
        break
    }
    let context: KeyContext = state.focus == .tree ? .tree : .list
    guard let name = state.keymap.action(for: key, in: KeyContext.chain(context)), let command = Command(rawValue: name) else {
        return []
    }
    return perform(command, &state)
}

/// Runs `command` if it can run here, else says why not.
func perform(_ command: Command, _ state: inout AppState) -> [Effect] {
    if case .unavailable(let reason) = availability(command, state) {
        state.status = Status(text: reason, isError: true)
        return []
    }
    let pane = state.focus
    switch command {
    case .moveDown: return move(pane, by: 1, &state)
    case .moveUp: return move(pane, by: -1, &state)
    case .pageDown: return move(pane, by: max(1, Layout(state).listHeight(pane) - 1), &state)
    case .pageUp: return move(pane, by: -max(1, Layout(state).listHeight(pane) - 1), &state)
    case .top: return move(pane, by: -state.count(pane), &state)
    case .bottom: return move(pane, by: state.count(pane), &state)
    case .open: return open(&state)
    case .back: return back(&state)
    case .filter:
        // A new filter starts empty: typing narrows from the whole list.
        state.editing = .filter(pane)
        setFilter("", on: pane, &state)
        return []
    case .mark: return markItem(&state)
    case .diff: return diffAgainstMark(&state)
    case .copy: return promptCopy(&state)
    case .refresh: return refresh(&state)
    case .sortTags: return cycleOrder(&state)
    case .delete: return promptDelete(&state)
    case .addTag: return promptAddTags(&state)
    case .yankDigest:
        guard let digest = currentDigest(state) else { return [] }
        state.status = Status(text: "copied \(digest) to the clipboard", isError: false)
        return [.setClipboard(digest.description)]
    case .toggleDigests:
        state.fullDigests.toggle()
        return []
    case .openRepository:
        guard let registry = state.selectedRegistry else { return [] }
        state.prompt = .openRepository(registry: registry, text: "", completion: Completion(), checking: nil)
        return []
    case .cancelTransfer: return cancelRunningTransfer(&state)
    case .focusTransfers:
        state.transferFocused = true
        return []
    case .help:
        state.overlay = .help(offset: 0)
        return []
    case .quit:
        if state.copying {
            state.prompt = .confirmQuit
        } else {
            state.quit = true
        }
        return []
    case .nextChange, .previousChange, .scrollLeft, .scrollRight, .files:
        return []
    }
}
