import OCI
import TerminalUI

// The panes: moving, opening the next pane, and loading what it shows.

/// Changes `pane`'s list (or the tree's rows) with `body`.
func withList(_ pane: Pane, _ state: inout AppState, _ body: (inout FilteredList) -> Void) {
    switch pane {
    case .registries:
        body(&state.registries)
    case .repositories:
        guard let registry = state.selectedRegistry, var catalog = state.catalogs[registry]?.value else { return }
        body(&catalog.list)
        state.catalogs[registry]?.value = catalog
    case .tags:
        guard let repository = state.selectedRepository?.name, var list = state.tagLists[repository]?.value else { return }
        body(&list.list)
        state.tagLists[repository]?.value = list
    case .tree:
        break
    }
}

/// Changes the selected tag's tree with `body`.
func withTree(_ state: inout AppState, _ body: (inout TreeView) -> Void) {
    guard let key = state.selectedTreeKey, var view = state.trees[key]?.value else { return }
    body(&view)
    state.trees[key]?.value = view
}

func move(_ pane: Pane, by delta: Int, _ state: inout AppState) -> [Effect] {
    let count = state.count(pane), visible = Layout(state).listHeight(pane)
    if pane == .tree {
        withTree(&state) { view in
            view.cursor.move(delta, count: count)
            view.cursor.scroll(visible: visible, count: count)
        }
        return []
    }
    let before = state.cursor(pane).selected
    withList(pane, &state) { list in
        list.cursor.move(delta, count: count)
        list.cursor.scroll(visible: visible, count: count)
    }
    return state.cursor(pane).selected != before || delta == 0 ? selectionChanged(pane, &state) : moreToShow(pane, &state)
}

/// Keeps every cursor in view after the screen changed size.
func scrollIntoView(_ state: inout AppState) -> [Effect] {
    var effects: [Effect] = []
    for pane in Pane.allCases { effects += move(pane, by: 0, &state) }
    return effects
}

/// What to load after the selection in `pane` changed: the next pane's content.
func selectionChanged(_ pane: Pane, _ state: inout AppState) -> [Effect] {
    // While a filter is typed, nothing loads: the selection settles when it is kept.
    if state.editing == .filter(pane) { return [] }
    switch pane {
    case .registries:
        guard let registry = state.selectedRegistry else { return [] }
        guard state.catalogs[registry] == nil else { return selectionChanged(.repositories, &state) }
        return loadCatalog(registry, next: nil, &state)
    case .repositories:
        var effects = moreToShow(.repositories, &state)
        guard let repository = state.selectedRepository else { return effects }
        guard state.tagLists[repository.name] == nil else { return effects + selectionChanged(.tags, &state) }
        let (id, replaced) = state.requests.issue(.tags(repository: repository.name))
        state.tagLists[repository.name] = .loading(id)
        effects += replaced + [.load(id, .tags(repository))]
        return effects
    case .tags:
        var effects = moreToShow(.tags, &state)
        if let tag = state.selectedTag, let key = state.selectedTreeKey, state.trees[key] == nil {
            let (id, replaced) = state.requests.issue(.tree(key: key))
            state.trees[key] = .loading(id)
            effects += replaced + [.load(id, .tree(tag))]
        }
        return effects
    case .tree:
        return []
    }
}

func loadCatalog(_ registry: String, next: String?, _ state: inout AppState) -> [Effect] {
    let (id, effects) = state.requests.issue(.catalog(registry: registry, appending: next != nil))
    var loading = state.catalogs[registry] ?? Loadable()
    loading.pending = id
    loading.error = nil
    state.catalogs[registry] = loading
    return effects + [.load(id, .catalog(registry: registry, next: next))]
}

/// Loads what the visible rows need: the next catalog page near the end, digests of visible tags.
func moreToShow(_ pane: Pane, _ state: inout AppState) -> [Effect] {
    switch pane {
    case .repositories:
        guard let registry = state.selectedRegistry, let loadable = state.catalogs[registry], loadable.pending == nil,
              let catalog = loadable.value, let next = catalog.next else { return [] }
        guard catalog.list.cursor.selected + Layout(state).listHeight(.repositories) * 2 >= catalog.list.count else { return [] }
        return loadCatalog(registry, next: next, &state)
    case .tags:
        return requestSummaries(&state)
    default:
        return []
    }
}

func catalogLoaded(_ registry: String, names: [String], next: String?, appending: Bool, _ state: inout AppState) -> [Effect] {
    var catalog = state.catalogs[registry]?.value ?? Catalog()
    catalog.names = appending ? catalog.names + names : names
    catalog.next = next
    catalog.unavailable = false
    catalog.refreshList()
    state.catalogs[registry] = Loadable(value: catalog)
    return registry == state.selectedRegistry ? selectionChanged(.repositories, &state) : []
}

func open(_ state: inout AppState) -> [Effect] {
    switch state.focus {
    case .registries:
        state.focus = .repositories
        return move(.repositories, by: 0, &state)
    case .repositories:
        state.focus = .tags
        return move(.tags, by: 0, &state)
    case .tags:
        state.focus = .tree
        return []
    case .tree:
        guard let row = state.selectedTreeRow, let view = state.treeView else { return [] }
        if row.expandable && view.collapsed.contains(row.path) && view.filter.isEmpty {
            withTree(&state) { $0.toggle(row.path, collapsed: false) }
            return []
        }
        if row.kind == .layer || row.kind == .files { return openFiles(row, in: view, &state) }
        state.overlay = .text(TextView(title: rawTitle(of: row), lines: rawLines(of: row, in: view.tree)))
        return []
    }
}

func back(_ state: inout AppState) -> [Effect] {
    if state.focus == .tree, let row = state.selectedTreeRow, let view = state.treeView, view.filter.isEmpty,
       row.expandable, !view.collapsed.contains(row.path) {
        withTree(&state) { $0.toggle(row.path, collapsed: true) }
        return []
    }
    if let previous = Pane(rawValue: state.focus.rawValue - 1) { state.focus = previous }
    return []
}

func refresh(_ state: inout AppState) -> [Effect] {
    switch state.focus {
    case .registries, .repositories:
        guard let registry = state.selectedRegistry else { return [] }
        return loadCatalog(registry, next: nil, &state)
    case .tags:
        guard let repository = state.selectedRepository else { return [] }
        return reloadTags(repository, &state)
    case .tree:
        guard let tag = state.selectedTag, let key = state.selectedTreeKey else { return [] }
        let (id, effects) = state.requests.issue(.tree(key: key))
        state.trees[key] = .loading(id)
        return effects + [.load(id, .tree(tag))]
    }
}

/// Loads a repository's tags again, keeping the old list on screen until the answer comes.
func reloadTags(_ repository: ImageRef, _ state: inout AppState) -> [Effect] {
    let (id, effects) = state.requests.issue(.tags(repository: repository.name))
    var loading = state.tagLists[repository.name] ?? Loadable()
    loading.pending = id
    loading.error = nil
    state.tagLists[repository.name] = loading
    return effects + [.load(id, .tags(repository))]
}

// MARK: Items

/// How a tag is named in messages: `repo:tag`, or `/path:tag` in a layout.
private func label(_ tag: ImageRef) -> String {
    "\(tag.kind == .registry ? tag.repository : tag.location):\(tag.tag ?? "")"
}

/// The tag, or manifest node, under the cursor, as a reference and a label.
func currentItem(_ state: AppState) -> (ImageRef, String)? {
    switch state.focus {
    case .tags:
        guard let tag = state.selectedTag else { return nil }
        return (tag, label(tag))
    case .tree:
        guard let tag = state.selectedTag, let row = state.selectedTreeRow, row.kind == .index || row.kind == .manifest else {
            return nil
        }
        if row.path.isEmpty { return (tag, label(tag)) }
        let repository = tag.kind == .registry ? tag.repository : tag.location
        return (tag.with(tag: nil, digest: row.descriptor.digest), "\(repository)@\(row.descriptor.digest.short) (\(row.label))")
    default:
        return nil
    }
}

func currentDigest(_ state: AppState) -> Digest? {
    switch state.focus {
    case .tags:
        guard let tag = state.selectedTag?.tag else { return nil }
        return state.tagList?.digests[tag] ?? state.treeView?.tree.manifest.digest
    case .tree:
        return state.selectedTreeRow?.descriptor.digest
    default:
        return nil
    }
}

func markItem(_ state: inout AppState) -> [Effect] {
    guard let (reference, label) = currentItem(state) else { return [] }
    state.mark = Mark(reference: reference, label: label)
    state.status = Status(text: "marked \(label): move to another tag or manifest and press \(keyName(.diff, state)) to diff", isError: false)
    return []
}

func diffAgainstMark(_ state: inout AppState) -> [Effect] {
    guard let mark = state.mark, let (reference, label) = currentItem(state) else { return [] }
    let (id, effects) = state.requests.issue(.diff)
    state.overlay = .diff(DiffView(title: "\(mark.label)  ⇄  \(label)", a: mark.reference, b: reference, request: id))
    return effects + [.load(id, .diff(mark.reference, reference))]
}

private func rawTitle(of row: TreeRow) -> String {
    row.kind == .config ? "config  \(row.descriptor.digest)" : "\(row.label)  \(row.descriptor.digest)"
}

/// The raw JSON of a manifest or config row (layers and files rows open the files view).
private func rawLines(of row: TreeRow, in tree: ImageTree) -> [String] {
    let node = TreeFlattener.manifestTree(of: row, in: tree)
    guard row.kind == .config else { return Array(node?.manifest.tree.prettyLines() ?? []) }
    if let config = node?.config, let parsed = try? JSONTree.parse(config) { return Array(parsed.prettyLines()) }
    return ["the config blob is not an image config, or was not fetched"]
}
