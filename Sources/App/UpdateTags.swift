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
    list.nextUnread = 0
    list.summarised = 0
    list.positions = Dictionary(list.names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    // Summaries already known by digest count once the tags' digests are asked again.
    list.sizes = Array(repeating: -1, count: list.names.count)
    list.dates = Array(repeating: "", count: list.names.count)
    state.tagLists[repository] = Loadable(value: list)
    resort(repository, &state)
    return repository == state.selectedRepository?.name ? selectionChanged(.tags, &state) : []
}

/// Changes `repository`'s tag list in place: a copy would cost the whole list on every answer.
@discardableResult
func withTags<T>(_ repository: String, _ state: inout AppState, _ body: (inout TagList) -> T) -> T? {
    guard state.tagLists[repository]?.value != nil else { return nil }
    return body(&state.tagLists[repository]!.value!)
}

/// Asks for the summaries the tags pane needs: the rows on screen; while sorted by date or size,
/// every tag, a few dozen requests at a time.
func requestSummaries(_ state: inout AppState) -> [Effect] {
    guard let repository = state.selectedRepository else { return [] }
    let visible = Layout(state).listHeight(.tags)
    let wanted = withTags(repository.name, &state) { tags -> [String] in
        var wanted: [String] = []
        for row in tags.list.cursor.offset..<min(tags.list.count, tags.list.cursor.offset + visible) {
            if tags.requested.insert(tags.list[row]).inserted { wanted.append(tags.list[row]) }
        }
        if tags.order != .name {
            while tags.inFlight + wanted.count < sortingRequests, tags.nextUnread < tags.names.count {
                let tag = tags.names[tags.nextUnread]
                tags.nextUnread += 1
                if tags.requested.insert(tag).inserted { wanted.append(tag) }
            }
        }
        tags.inFlight += wanted.count
        return wanted
    } ?? []
    return wanted.map { tag in
        let (id, _) = state.requests.issue(.summary(repository: repository.name, tag: tag))
        return .load(id, .summary(repository.with(tag: tag)))
    }
}

/// A tag's summary arrived (or could not be read): note it, re-sort now and then, ask for more.
func summaryAnswered(_ repository: String, tag: String, _ answer: (Digest, ManifestSummary)?, _ state: inout AppState) -> [Effect] {
    let sortNow = withTags(repository, &state) { tags -> Bool in
        tags.inFlight = max(0, tags.inFlight - 1)
        if let (digest, summary) = answer {
            tags.digests[tag] = digest
            tags.summarised += 1
            if let position = tags.positions[tag] {
                tags.sizes[position] = summary.size
                tags.dates[position] = summary.created ?? ""
            }
        }
        tags.unsorted += 1
        // Sorting costs the whole list (27 ms for 50,000 tags): not every answer, but every 256,
        // or every tenth of a long list, and at the end.
        return tags.order != .name && (tags.inFlight == 0 || tags.unsorted >= max(256, tags.names.count / 10))
    }
    guard let sortNow else { return [] }
    if let (digest, summary) = answer { state.summaries[digest] = summary }
    if sortNow { resort(repository, &state) }
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

/// Orders a list's tags as its order says; tags not yet read go last, by name. The keys are
/// kept by position as summaries arrive, so sorting looks nothing up.
func resort(_ repository: String, _ state: inout AppState) {
    let visible = Layout(state).listHeight(.tags)
    withTags(repository, &state) { tags in
        tags.unsorted = 0
        let names = tags.names
        func sorted<Key: Comparable>(by keys: [Key]) -> [String] {
            names.indices.sorted { keys[$0] != keys[$1] ? keys[$0] > keys[$1] : $0 < $1 }.map { names[$0] }
        }
        switch tags.order {
        case .name: tags.list.setItems(names)
        case .created: tags.list.setItems(sorted(by: tags.dates))
        case .size: tags.list.setItems(sorted(by: tags.sizes))
        }
        tags.list.cursor.scroll(visible: visible, count: tags.list.count)
    }
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
