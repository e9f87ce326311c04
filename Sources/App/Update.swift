import ManifestDiff
import OCI
import TerminalUI
import TransferModel

/// The effects to run when the UI opens: list the first registry's repositories.
public func start(_ state: inout AppState) -> [Effect] {
    move(.registries, by: 0, &state)
}

/// Applies `action` to `state` and returns the effects to run. The only way state changes.
public func update(_ state: inout AppState, _ action: Action) -> [Effect] {
    var effects: [Effect] = []
    switch action {
    case .key(let key):
        effects = handle(key, &state)
    case .resized(let width, let height):
        state.width = width
        state.height = height
    case .catalogLoaded(let registry, let names, let next, let appended):
        var catalog = appended ? (state.catalogs[registry]?.value ?? Catalog()) : Catalog()
        if appended { catalog.typed = state.catalogs[registry]?.value?.typed ?? [] }
        catalog.names += names
        catalog.next = next
        catalog.loadingMore = false
        state.catalogs[registry] = .loaded(catalog)
        if registry == state.selectedRegistry { effects += selectionChanged(.repositories, &state) }
    case .catalogFailed(let registry, let message, let unavailable):
        if unavailable {
            var catalog = Catalog()
            catalog.unavailable = message
            state.catalogs[registry] = .loaded(catalog)
        } else {
            state.catalogs[registry] = .failed(message)
        }
    case .tagsLoaded(let repository, let tags):
        state.tagLists[repository] = .loaded(TagList(tags: NaturalOrder.sorted(tags)))
        if repository == state.selectedRepository?.name { effects += selectionChanged(.tags, &state) }
    case .tagsFailed(let repository, let message):
        state.tagLists[repository] = .failed(message)
    case .digestLoaded(let reference, let digest):
        if var list = state.tagLists[reference.name]?.value, let tag = reference.tag {
            list.digests[tag] = digest
            state.tagLists[reference.name] = .loaded(list)
        }
    case .treeLoaded(let key, let tree):
        state.trees[key] = .loaded(TreeView(tree: tree, collapsed: defaultCollapsed(tree)))
    case .treeFailed(let key, let message):
        state.trees[key] = .failed(message)
    case .diffLoaded(let id, let comparison, let rows):
        guard state.pendingDiff == id, case .diff(var view) = state.overlay else { break }
        view.comparison = comparison
        view.rows = rows
        state.overlay = .diff(view)
    case .diffFailed(let id, let message):
        guard state.pendingDiff == id, case .diff(var view) = state.overlay else { break }
        view.error = message
        state.overlay = .diff(view)
    case .destinationChecked(let destination, let current, let source):
        guard var prompt = state.prompt else { break }
        if current == nil || current == source {
            state.prompt = nil
            effects.append(startCopy(prompt.source, destination, &state))
        } else {
            prompt.confirmMove = current
            prompt.destination = destination
            prompt.sourceDigest = source
            state.prompt = prompt
        }
    case .destinationCheckFailed(let message):
        state.prompt = nil
        state.status = ("cannot copy: \(message)", true)
    case .transfer(let id, let event):
        guard let index = state.transfers.firstIndex(where: { $0.id == id }) else { break }
        apply(event, to: &state.transfers[index])
    case .transferFinished(let id, let result):
        guard let index = state.transfers.firstIndex(where: { $0.id == id }) else { break }
        let kept = result.digestPreserved ? "digest preserved: \(result.digest)" : "digest differs from the source (\(result.digest))"
        state.transfers[index].outcome = .succeeded(kept)
        state.status = ("copied to \(result.destination): \(kept)", false)
        state.tagLists[state.transfers[index].destination.name] = nil
    case .transferFailed(let id, let message, let cancelled):
        guard let index = state.transfers.firstIndex(where: { $0.id == id }) else { break }
        state.transfers[index].outcome = cancelled ? .cancelled : .failed(message)
        state.status = (cancelled ? "copy cancelled: no tag was written" : "copy failed: \(message)", true)
    }
    return effects
}

// MARK: - Keys

private func handle(_ key: Key, _ state: inout AppState) -> [Effect] {
    if case .resize = key { return [] }
    if case .mouse(let event) = key { return mouse(event, &state) }
    if state.prompt != nil { return promptKey(key, &state) }
    if let pane = state.editingFilter { return filterKey(key, pane, &state) }
    if state.typingRepository != nil { return repositoryKey(key, &state) }
    if state.transferFocused {
        state.transferFocused = false
        if key == .escape || state.keymap.action(for: key, in: ["global"]) == Command.cancelTransfer.rawValue {
            return perform(.cancelTransfer, &state)
        }
        if state.keymap.action(for: key, in: ["global"]) == Command.focusTransfers.rawValue { return [] }
    }
    switch state.overlay {
    case .help:
        if state.keymap.action(for: key, in: ["global"]) == Command.quit.rawValue { state.quit = true }
        state.overlay = nil
        return []
    case .text, .diff:
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

private func perform(_ command: Command, _ state: inout AppState) -> [Effect] {
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
        state.editingFilter = pane
        state.filters[pane] = ""
        return []
    case .mark:
        guard let (reference, label) = currentItem(state) else {
            state.status = ("nothing to mark here: choose a tag or a manifest", true)
            return []
        }
        state.mark = Mark(reference: reference, label: label)
        state.status = ("marked \(label): move to another tag or manifest and press d to diff", false)
        return []
    case .diff:
        guard let mark = state.mark else {
            state.status = ("mark an item first (m), then diff another against it (d)", true)
            return []
        }
        guard let (reference, label) = currentItem(state) else {
            state.status = ("choose a tag or a manifest to diff against \(mark.label)", true)
            return []
        }
        let id = state.nextRequest
        state.nextRequest += 1
        state.pendingDiff = id
        state.overlay = .diff(DiffView(title: "\(mark.label)  ⇄  \(label)"))
        return [.loadDiff(id: id, a: mark.reference, b: reference)]
    case .copy:
        guard let (reference, _) = currentItem(state) else {
            state.status = ("choose a tag or a manifest to copy", true)
            return []
        }
        state.prompt = CopyPrompt(source: reference, text: defaultDestination(for: reference, state))
        return []
    case .refresh: return refresh(&state)
    case .yankDigest:
        guard let digest = currentDigest(state) else {
            state.status = ("no digest known here yet", true)
            return []
        }
        state.status = ("copied \(digest) to the clipboard", false)
        return [.setClipboard(digest.description)]
    case .toggleDigests:
        state.fullDigests.toggle()
        return []
    case .openRepository:
        guard state.selectedRegistry != nil else { return [] }
        state.typingRepository = ""
        return []
    case .cancelTransfer:
        guard let running = state.transfers.last(where: { $0.outcome == .running }) else {
            state.status = ("no copy is running", true)
            return []
        }
        return [.cancelCopy(id: running.id)]
    case .focusTransfers:
        state.transferFocused = !state.transfers.isEmpty
        return []
    case .help:
        state.overlay = .help
        return []
    case .quit:
        state.quit = true
        return []
    case .nextChange, .previousChange:
        return []
    }
}

// MARK: Moving

func move(_ pane: Pane, by delta: Int, _ state: inout AppState) -> [Effect] {
    let count = state.count(pane)
    if pane == .tree {
        guard let key = state.selectedTreeKey, var view = state.trees[key]?.value else { return [] }
        view.cursor.move(delta, count: count)
        view.cursor.scroll(visible: Layout(state).listHeight(.tree), count: count)
        state.trees[key] = .loaded(view)
        return []
    }
    var cursor = state.cursors[pane] ?? ListCursor()
    let before = cursor.selected
    cursor.move(delta, count: count)
    cursor.scroll(visible: Layout(state).listHeight(pane), count: count)
    state.cursors[pane] = cursor
    return cursor.selected != before || delta == 0 ? selectionChanged(pane, &state) : moreToShow(pane, &state)
}

/// What to load after the selection in `pane` changed: the next pane's content.
func selectionChanged(_ pane: Pane, _ state: inout AppState) -> [Effect] {
    var effects: [Effect] = []
    switch pane {
    case .registries:
        state.cursors[.repositories] = ListCursor()
        state.cursors[.tags] = ListCursor()
        if let registry = state.selectedRegistry, state.catalogs[registry] == nil {
            state.catalogs[registry] = .loading
            effects.append(.loadCatalog(registry: registry, next: nil))
        }
    case .repositories:
        state.cursors[.tags] = ListCursor()
        if let repository = state.selectedRepository, state.tagLists[repository.name] == nil {
            state.tagLists[repository.name] = .loading
            effects.append(.loadTags(repository))
        }
        effects += moreToShow(.repositories, &state)
    case .tags:
        if let tag = state.selectedTag, let key = state.selectedTreeKey, state.trees[key] == nil {
            state.trees[key] = .loading
            effects.append(.loadTree(key: key, reference: tag))
        }
        effects += moreToShow(.tags, &state)
    case .tree:
        break
    }
    return effects
}

/// Loads what the visible rows need: the next catalog page near the end, digests of visible tags.
func moreToShow(_ pane: Pane, _ state: inout AppState) -> [Effect] {
    switch pane {
    case .repositories:
        guard let registry = state.selectedRegistry, var catalog = state.catalogs[registry]?.value,
              let next = catalog.next, !catalog.loadingMore else { return [] }
        let cursor = state.cursors[.repositories] ?? ListCursor()
        guard cursor.selected + Layout(state).listHeight(.repositories) * 2 >= catalog.all.count else { return [] }
        catalog.loadingMore = true
        state.catalogs[registry] = .loaded(catalog)
        return [.loadCatalog(registry: registry, next: next)]
    case .tags:
        guard let repository = state.selectedRepository, var list = state.tagLists[repository.name]?.value else { return [] }
        let cursor = state.cursors[.tags] ?? ListCursor()
        let tags = state.visibleTags
        let window = tags.dropFirst(cursor.offset).prefix(Layout(state).listHeight(.tags))
        let wanted = window.filter { !list.requested.contains($0) }
        guard !wanted.isEmpty else { return [] }
        list.requested.formUnion(wanted)
        state.tagLists[repository.name] = .loaded(list)
        return wanted.map { .loadDigest(repository.with(tag: $0)) }
    default:
        return []
    }
}

private func open(_ state: inout AppState) -> [Effect] {
    switch state.focus {
    case .registries:
        state.focus = .repositories
        return move(.repositories, by: 0, &state)
    case .repositories:
        guard state.selectedRepository != nil else { return [] }
        state.focus = .tags
        return move(.tags, by: 0, &state)
    case .tags:
        guard state.selectedTag != nil else { return [] }
        state.focus = .tree
        return []
    case .tree:
        guard let key = state.selectedTreeKey, var view = state.trees[key]?.value, let row = state.selectedTreeRow else { return [] }
        if row.expandable && view.collapsed.contains(row.path) {
            view.collapsed.remove(row.path)
            state.trees[key] = .loaded(view)
            return []
        }
        state.overlay = rawView(of: row, in: view.tree)
        return []
    }
}

private func back(_ state: inout AppState) -> [Effect] {
    if state.focus == .tree, let key = state.selectedTreeKey, var view = state.trees[key]?.value,
       let row = state.selectedTreeRow, row.expandable, !view.collapsed.contains(row.path) {
        view.collapsed.insert(row.path)
        state.trees[key] = .loaded(view)
        return []
    }
    if let previous = Pane(rawValue: state.focus.rawValue - 1) { state.focus = previous }
    return []
}

private func refresh(_ state: inout AppState) -> [Effect] {
    switch state.focus {
    case .registries, .repositories:
        guard let registry = state.selectedRegistry else { return [] }
        state.catalogs[registry] = .loading
        return [.loadCatalog(registry: registry, next: nil)]
    case .tags:
        guard let repository = state.selectedRepository else { return [] }
        state.tagLists[repository.name] = .loading
        return [.loadTags(repository)]
    case .tree:
        guard let tag = state.selectedTag, let key = state.selectedTreeKey else { return [] }
        state.trees[key] = .loading
        return [.loadTree(key: key, reference: tag)]
    }
}

/// Indexes start expanded one level: their platforms show, each platform's blobs do not.
private func defaultCollapsed(_ tree: ImageTree) -> Set<[Int]> {
    guard tree.manifest.index != nil else { return [] }
    return Set(tree.children.indices.map { [$0] })
}

// MARK: Items

/// The tag, or manifest node, under the cursor, as a reference and a label.
func currentItem(_ state: AppState) -> (Reference, String)? {
    switch state.focus {
    case .tags:
        guard let tag = state.selectedTag else { return nil }
        return (tag, "\(tag.repository):\(tag.tag ?? "")")
    case .tree:
        guard let tag = state.selectedTag, let row = state.selectedTreeRow, row.kind == .index || row.kind == .manifest else {
            return nil
        }
        if row.path.isEmpty { return (tag, "\(tag.repository):\(tag.tag ?? "")") }
        return (tag.with(tag: nil, digest: row.descriptor.digest), "\(tag.repository)@\(row.descriptor.digest.short) (\(row.label))")
    default:
        return nil
    }
}

private func currentDigest(_ state: AppState) -> Digest? {
    switch state.focus {
    case .tags:
        guard let tag = state.selectedTag?.tag else { return nil }
        return state.selectedRepository.flatMap { state.tagLists[$0.name]?.value?.digests[tag] }
            ?? state.selectedTreeKey.flatMap { state.trees[$0]?.value?.tree.manifest.digest }
    case .tree:
        return state.selectedTreeRow?.descriptor.digest
    default:
        return nil
    }
}

private func rawView(of row: TreeRow, in tree: ImageTree) -> Overlay {
    let node = TreeFlattener.manifestTree(of: row, in: tree)
    switch row.kind {
    case .index, .manifest:
        let lines = node?.manifest.tree.prettyLines() ?? []
        return .text(title: "\(row.label)  \(row.descriptor.digest)", lines: lines, offset: 0)
    case .config:
        if let config = node?.config, let parsed = try? JSONTree.parse(config) {
            return .text(title: "config  \(row.descriptor.digest)", lines: parsed.prettyLines(), offset: 0)
        }
        return .text(title: "config", lines: ["the config blob is not an image config, or was not fetched"], offset: 0)
    case .layer:
        var lines = ["digest      \(row.descriptor.digest)", "media type  \(row.descriptor.mediaType)",
                     "size        \(row.descriptor.size) bytes (\(ByteCount.format(row.descriptor.size)))"]
        for (key, value) in (row.descriptor.annotations ?? [:]).sorted(by: { $0.key < $1.key }) { lines.append("\(key): \(value)") }
        if let urls = row.descriptor.urls { lines += urls.map { "url         \($0)" } }
        return .text(title: row.label, lines: lines, offset: 0)
    }
}

// MARK: Overlays

private func overlayKey(_ key: Key, _ state: inout AppState) -> [Effect] {
    let context: KeyContext
    if case .diff = state.overlay { context = .diff } else { context = .json }
    guard let name = state.keymap.action(for: key, in: KeyContext.chain(context)), let command = Command(rawValue: name) else { return [] }
    let page = max(1, state.height - 8)
    func scroll(_ offset: Int, _ total: Int, _ visible: Int) -> Int {
        switch command {
        case .moveDown: min(offset + 1, max(0, total - visible))
        case .moveUp: max(0, offset - 1)
        case .pageDown: min(offset + page, max(0, total - visible))
        case .pageUp: max(0, offset - page)
        case .top: 0
        case .bottom: max(0, total - visible)
        default: offset
        }
    }
    switch command {
    case .back:
        state.overlay = nil
        return []
    case .quit:
        state.quit = true
        return []
    case .help:
        state.overlay = .help
        return []
    default:
        break
    }
    switch state.overlay {
    case .text(let title, let lines, let offset):
        state.overlay = .text(title: title, lines: lines, offset: scroll(offset, lines.count, Layout(state).overlayBody))
    case .diff(var view):
        guard let rows = view.rows else { return [] }
        let visible = Layout(state).diffBody(view)
        switch command {
        case .nextChange:
            if let next = rows.changeStarts.first(where: { $0 > view.offset }) { view.offset = min(next, max(0, rows.rows.count - visible)) }
        case .previousChange:
            if let previous = rows.changeStarts.last(where: { $0 < view.offset }) { view.offset = previous }
        case .yankDigest:
            if let comparison = view.comparison {
                state.status = ("copied \(comparison.b.digest) to the clipboard", false)
                return [.setClipboard(comparison.b.digest.description)]
            }
        default:
            view.offset = scroll(view.offset, rows.rows.count, visible)
        }
        state.overlay = .diff(view)
    default:
        break
    }
    return []
}

// MARK: Typing

/// Edits `text` with `key`; returns false when the key is not an edit.
private func edit(_ text: inout String, _ key: Key) -> Bool {
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

private func filterKey(_ key: Key, _ pane: Pane, _ state: inout AppState) -> [Effect] {
    var text = state.filters[pane] ?? ""
    switch key {
    case .enter:
        state.editingFilter = nil
    case .escape:
        state.editingFilter = nil
        state.filters[pane] = nil
    default:
        guard edit(&text, key) else { return [] }
        state.filters[pane] = text
    }
    return move(pane, by: 0, &state)
}

private func repositoryKey(_ key: Key, _ state: inout AppState) -> [Effect] {
    var text = state.typingRepository ?? ""
    switch key {
    case .escape:
        state.typingRepository = nil
    case .enter:
        state.typingRepository = nil
        guard let registry = state.selectedRegistry, !text.isEmpty else { return [] }
        guard (try? Reference(parsingRepository: "\(registry)/\(text)")) != nil else {
            state.status = ("\"\(text)\" is not a repository name", true)
            return []
        }
        var catalog = state.catalogs[registry]?.value ?? Catalog()
        if !catalog.all.contains(text) { catalog.typed.insert(text, at: 0) }
        state.catalogs[registry] = .loaded(catalog)
        state.filters[.repositories] = nil
        state.cursors[.repositories] = ListCursor(selected: catalog.all.firstIndex(of: text) ?? 0)
        state.focus = .repositories
        return selectionChanged(.repositories, &state)
    default:
        if edit(&text, key) { state.typingRepository = text }
    }
    return []
}

private func promptKey(_ key: Key, _ state: inout AppState) -> [Effect] {
    guard var prompt = state.prompt else { return [] }
    if let current = prompt.confirmMove, let destination = prompt.destination {
        switch key {
        case .character("y"), .character("Y"):
            state.prompt = nil
            return [startCopy(prompt.source, destination, &state)]
        case .character("n"), .character("N"), .escape:
            state.prompt = nil
            state.status = ("not copied: \(destination) still points to \(current.short)", false)
        default:
            break
        }
        return []
    }
    switch key {
    case .escape:
        state.prompt = nil
    case .enter:
        let text = prompt.text.trimmingCharacters(in: .whitespaces)
        let destination: Reference
        do {
            destination = try copyDestination(text, source: prompt.source)
        } catch {
            state.status = ("\(error)", true)
            return []
        }
        prompt.destination = destination
        state.prompt = prompt
        state.status = ("checking \(destination)…", false)
        return [.checkDestination(source: prompt.source, destination: destination)]
    case .tab:
        if prompt.completionIndex < 0 { prompt.completions = completions(for: prompt.text, state) }
        guard !prompt.completions.isEmpty else { break }
        prompt.completionIndex = (prompt.completionIndex + 1) % prompt.completions.count
        prompt.text = prompt.completions[prompt.completionIndex]
    default:
        if edit(&prompt.text, key) {
            prompt.completionIndex = -1
            prompt.completions = []
        }
    }
    if state.prompt != nil { state.prompt = prompt }
    return []
}

/// Reads the typed destination; without tag or digest it takes the source's.
func copyDestination(_ text: String, source: Reference) throws -> Reference {
    try Reference.copyDestination(text, for: source)
}

/// The same repository path and tag on the next registry in the list.
func defaultDestination(for source: Reference, _ state: AppState) -> String {
    let registries = state.registries
    let index = registries.firstIndex(of: source.registry) ?? -1
    let target = registries.isEmpty ? source.registry : registries[(index + 1) % registries.count]
    let suffix = source.tag.map { ":\($0)" } ?? source.digest.map { "@\($0)" } ?? ""
    return "\(target)/\(source.repository)\(suffix)"
}

/// Known registries and repositories that start with `prefix`.
func completions(for prefix: String, _ state: AppState) -> [String] {
    var candidates = state.registries.map { $0 + "/" }
    for (registry, catalog) in state.catalogs {
        candidates += (catalog.value?.all ?? []).map { "\(registry)/\($0)" }
    }
    return candidates.filter { $0.hasPrefix(prefix) && $0 != prefix }.sorted()
}

private func startCopy(_ source: Reference, _ destination: Reference, _ state: inout AppState) -> Effect {
    let id = state.nextRequest
    state.nextRequest += 1
    state.transfers.append(TransferState(id: id, source: source, destination: destination))
    state.status = ("copying \(source) to \(destination)… (x cancels)", false)
    return .startCopy(id: id, source: source, destination: destination)
}

private func apply(_ event: TransferEvent, to transfer: inout TransferState) {
    switch event {
    case .planned(_, _, let blobs, let bytes):
        transfer.blobs += blobs
        transfer.totalBytes += bytes
    case .blobStarted(let blob):
        transfer.active[blob.digest] = (0, blob.size)
    case .blobProgress(let digest, let bytes):
        guard let entry = transfer.active[digest] else { return }
        transfer.movedBytes += bytes - entry.done
        transfer.active[digest] = (bytes, entry.size)
    case .blobFinished(let blob, _):
        transfer.movedBytes += blob.size - (transfer.active[blob.digest]?.done ?? 0)
        transfer.active[blob.digest] = nil
        transfer.blobsDone += 1
    case .manifestPushed, .alreadyPresent, .tagged, .notice:
        break
    }
}

// MARK: Mouse

private func mouse(_ event: MouseEvent, _ state: inout AppState) -> [Effect] {
    guard state.overlay == nil, state.prompt == nil else {
        if case .diff = state.overlay, event.kind != .press {
            return overlayKey(event.kind == .wheelUp ? .up : .down, &state)
        }
        return []
    }
    let layout = Layout(state)
    if !state.transfers.isEmpty, layout.transfers.contains(x: event.x, y: event.y), event.kind == .press {
        state.transferFocused = true
        return []
    }
    for pane in Pane.allCases {
        let rect = layout.rect(pane)
        guard rect.contains(x: event.x, y: event.y) else { continue }
        state.focus = pane
        switch event.kind {
        case .wheelUp: return move(pane, by: -3, &state)
        case .wheelDown: return move(pane, by: 3, &state)
        case .press:
            let row = event.y - rect.y - 1
            let offset = pane == .tree ? (state.selectedTreeKey.flatMap { state.trees[$0]?.value?.cursor.offset } ?? 0)
                                       : (state.cursors[pane] ?? ListCursor()).offset
            let selected = pane == .tree ? (state.selectedTreeKey.flatMap { state.trees[$0]?.value?.cursor.selected } ?? 0)
                                         : (state.cursors[pane] ?? ListCursor()).selected
            guard row >= 0 else { return [] }
            return move(pane, by: offset + row - selected, &state)
        }
    }
    return []
}
