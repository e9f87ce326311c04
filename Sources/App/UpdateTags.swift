import OCI
import TerminalUI

// The tags pane: what each tag points at, its date, size and platforms, and the list's order.

/// Requests in flight at once while every tag's summary is read for sorting.
let sortingRequests = 32

func tagsLoaded(_ repository: String, tags: [String], _ state: inout AppState) -> [Effect] {
    var list = state.tagLists[repository]?.value ?? TagList(list: FilteredList())
    list.names = NaturalOrder.sorted(tags)
    // A reload may have changed what tags point at: ask again. Summaries stay: they are by digest.
    list.digests = [:]
    list.requested = []
    list.inFlight = 0
    list.unsorted = 0
    state.tagLists[repository] = Loadable(value: list)
    resort(repository, &state)
    return repository == state.selectedRepository?.name ? selectionChanged(.tags, &state) : []
}

/// Asks for the summaries the tags pane needs: the rows on screen; while sorted by date or size,
/// every tag, a few dozen requests at a time.
func requestSummaries(_ state: inout AppState) -> [Effect] {
    guard let repository = state.selectedRepository, let tags = state.tagList else { return [] }
    var wanted: [String] = []
    let window = tags.list.cursor.offset..<min(tags.list.count, tags.list.cursor.offset + Layout(state).listHeight(.tags))
    for row in window where !tags.requested.contains(tags.list[row]) { wanted.append(tags.list[row]) }
    if tags.order != .name {
        let room = sortingRequests - tags.inFlight - wanted.count
        if room > 0 {
            let onScreen = Set(wanted)
            wanted += Array(tags.names.lazy.filter { !tags.requested.contains($0) && !onScreen.contains($0) }.prefix(room))
        }
    }
    var effects: [Effect] = []
    for tag in wanted {
        // In place: a copy of the list would cost the whole list on every page.
        guard state.tagLists[repository.name]?.value?.requested.insert(tag).inserted == true else { continue }
        state.tagLists[repository.name]?.value?.inFlight += 1
        let (id, _) = state.requests.issue(.summary(repository: repository.name, tag: tag))
        effects.append(.load(id, .summary(repository.with(tag: tag))))
    }
    return effects
}

/// A tag's summary arrived (or could not be read): note it, re-sort now and then, ask for more.
func summaryAnswered(_ repository: String, tag: String, _ answer: (Digest, ManifestSummary)?, _ state: inout AppState) -> [Effect] {
    guard var list = state.tagLists[repository]?.value else { return [] }
    list.inFlight = max(0, list.inFlight - 1)
    if let (digest, summary) = answer {
        list.digests[tag] = digest
        state.summaries[digest] = summary
    }
    list.unsorted += 1
    let settled = list.inFlight == 0
    state.tagLists[repository]?.value = list
    // Sorting 50,000 tags on every answer would cost the list each time: every 256, and at the end.
    if list.order != .name && (settled || list.unsorted >= 256) { resort(repository, &state) }
    return repository == state.selectedRepository?.name ? requestSummaries(&state) : []
}

/// `s`: the next order (name, created, size), over the whole list.
func cycleOrder(_ state: inout AppState) -> [Effect] {
    guard let repository = state.selectedRepository?.name else { return [] }
    guard let order = state.tagLists[repository]?.value?.order.next else { return [] }
    state.tagLists[repository]?.value?.order = order
    resort(repository, &state)
    state.status = Status(text: order == .name ? "tags by name" : "tags by \(order.rawValue), \(order == .created ? "newest" : "largest") first; reading every tag's summary", isError: false)
    return requestSummaries(&state)
}

/// Orders a list's tags as its order says; tags not yet read go last, by name.
func resort(_ repository: String, _ state: inout AppState) {
    guard var list = state.tagLists[repository]?.value else { return }
    list.unsorted = 0
    let visible = Layout(state).listHeight(.tags)
    let summaries = state.summaries
    func summary(_ tag: String) -> ManifestSummary? { list.digests[tag].flatMap { summaries[$0] } }
    let ordered: [String]
    switch list.order {
    case .name:
        ordered = list.names
    case .created:
        ordered = stablySorted(list.names) { summary($0)?.created ?? "" > summary($1)?.created ?? "" }
    case .size:
        ordered = stablySorted(list.names) { summary($0)?.size ?? -1 > summary($1)?.size ?? -1 }
    }
    list.list.setItems(ordered)
    list.list.cursor.scroll(visible: visible, count: list.list.count)
    state.tagLists[repository]?.value = list
}

/// `items` sorted by `before`, items it does not order keeping their order.
private func stablySorted(_ items: [String], by before: (String, String) -> Bool) -> [String] {
    items.enumerated().sorted { before($0.element, $1.element) || (!before($1.element, $0.element) && $0.offset < $1.offset) }.map(\.element)
}

/// `2026-01-01 1.2M ×3`: a tag's row detail once its summary is known (the size alone where
/// `room` is narrower), else its short digest.
func tagDetail(_ tag: String, _ list: TagList, _ state: AppState, room: Int) -> String {
    guard let digest = list.digests[tag] else { return "" }
    guard let summary = state.summaries[digest] else { return shortDigest(digest, state) }
    let size = ByteCount.compact(summary.size) + (summary.platforms.count > 1 ? " ×\(summary.platforms.count)" : "")
    let dated = "\(summary.created.map { String($0.prefix(10)) } ?? "no date") \(size)"
    return dated.count <= room ? dated : size
}
