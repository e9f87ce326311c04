import OCI
import TerminalUI

// The panes, the details box under the tree, and the copy pane.

func drawPane(_ pane: Pane, _ state: AppState, _ layout: Layout, _ buffer: inout Buffer, _ palette: Palette) {
    let rect = layout.rect(pane)
    let focused = state.focus == pane && state.overlay == nil && !state.transferFocused
    var title = pane.title
    let count = state.count(pane)
    if count > 0 { title += " (\(count))" }
    let filter = state.filter(pane)
    if !filter.isEmpty || state.editing == .filter(pane) { title += " /\(filter)" }
    if reloading(pane, state) { title += " ↻" }
    if pane == .tags, let tags = state.tagList, tags.order != .name {
        title += " by \(tags.order.rawValue)"
        if tags.summarised < tags.names.count && tags.inFlight > 0 { title += " (\(tags.summarised)/\(tags.names.count) read)" }
    }
    buffer.frame(rect, title: title, focused: focused, color: state.color)
    let inside = rect.inset(1)
    func message(_ text: String, _ style: Style = .dim) {
        for (row, line) in wrap(text, width: inside.width).prefix(inside.height).enumerated() {
            buffer.put(line, x: inside.x, y: inside.y + row, style: style, maxWidth: inside.width)
        }
    }
    func list(_ list: FilteredList, detail: (String) -> String = { _ in "" }, style: (String) -> Style = { _ in .plain },
              empty: String) {
        if list.count == 0 { return message(list.items.isEmpty ? empty : "nothing matches /\(list.filter)") }
        buffer.list(count: list.count, row: { row in
            let item = list[row]
            return ListRow(item, detail: detail(item), style: style(item))
        }, in: inside, cursor: list.cursor, focused: focused)
    }
    switch pane {
    case .registries:
        list(state.registries, detail: { registry in
            state.catalogs[registry]?.value.map { "\($0.list.items.count)\($0.next != nil ? "+" : "")" } ?? ""
        }, empty: "none")
    case .repositories:
        guard let registry = state.selectedRegistry else {
            return message(state.registries.items.isEmpty ? "No registries. Start regtui with one (regtui localhost:5000), list them in ~/.config/regtui/registries (one host[:port] a line), or log in to one with regtui login HOST." : "")
        }
        guard let loadable = state.catalogs[registry] else { return }
        if let error = loadable.error, loadable.value == nil { return message(error, palette.error) }
        guard let catalog = loadable.value else { return message("loading…") }
        if catalog.unavailable && catalog.list.items.isEmpty {
            return message("\(registry) does not list its repositories. Press \(keyName(.openRepository, state)) to type one.", palette.error)
        }
        list(catalog.list, empty: "\(registry) has no repositories")
        if loadable.pending != nil, catalog.next != nil, inside.height > 0 {
            buffer.put("loading more…", x: inside.maxX - 13, y: inside.maxY - 1, style: .dim)
        }
    case .tags:
        guard let repository = state.selectedRepository, let loadable = state.tagLists[repository.name] else { return }
        if let error = loadable.error, loadable.value == nil { return message(error, palette.error) }
        guard let tags = loadable.value else { return message("loading…") }
        list(tags.list, detail: { tag in tagDetail(tag, tags, state, room: inside.width * 11 / 20) }, style: { tag in
            state.mark?.reference == repository.with(tag: tag) ? palette.fg(.yellow) : .plain
        }, empty: "no tags in \(repository.repository)")
    case .tree:
        guard let key = state.selectedTreeKey, let loadable = state.trees[key] else { return }
        if let error = loadable.error { return message(error, palette.error) }
        guard let tree = loadable.value else { return message("loading…") }
        if tree.rows.isEmpty { return message("nothing matches /\(tree.filter)") }
        buffer.list(count: tree.rows.count, row: { index in
            let row = tree.rows[index]
            let marker = row.expandable ? (tree.collapsed.contains(row.path) && tree.filter.isEmpty ? "▸ " : "▾ ") : "  "
            let indent = String(repeating: "  ", count: row.depth)
            let style: Style = row.kind == .layer || row.kind == .config ? .plain : palette.fg(.cyan)
            return ListRow(indent + marker + row.label, detail: shortDigest(row.descriptor.digest, state), style: style)
        }, in: inside, cursor: tree.cursor, focused: focused)
    }
}

/// Whether a pane's list is being loaded again while the old one shows.
private func reloading(_ pane: Pane, _ state: AppState) -> Bool {
    switch pane {
    case .repositories:
        guard let registry = state.selectedRegistry, let loadable = state.catalogs[registry] else { return false }
        return loadable.pending != nil && loadable.value != nil && loadable.value?.next == nil
    case .tags:
        guard let name = state.selectedRepository?.name, let loadable = state.tagLists[name] else { return false }
        return loadable.pending != nil && loadable.value != nil
    default:
        return false
    }
}

/// The selected item in full (wrapped, where a pane cuts it), and the keys that act on it.
func drawDetails(_ state: AppState, _ layout: Layout, _ buffer: inout Buffer, _ palette: Palette) {
    let rect = layout.details
    buffer.frame(rect, title: "Details", focused: false, color: state.color)
    let inside = rect.inset(1)
    var lines: [StyledLine] = []
    func add(_ text: String, _ style: Style = .plain) {
        lines += wrap(text, width: inside.width).map { StyledLine($0, style: style) }
    }
    /// `name  value`, the value cut into lines under itself when long (digests, media types).
    func field(_ name: String, _ value: String) {
        let label = name.padding(toLength: 11, withPad: " ", startingAt: 0) + " "
        let room = max(8, inside.width - label.count)
        var rest = Substring(value)
        var first = true
        repeat {
            lines.append(StyledLine((first ? label : String(repeating: " ", count: label.count)) + rest.prefix(room)))
            rest = rest.dropFirst(room)
            first = false
        } while !rest.isEmpty
    }
    switch state.focus {
    case .tree:
        if let row = state.selectedTreeRow {
            add(row.label, .bold)
            field("digest", row.descriptor.digest.description)
            field("media type", row.descriptor.mediaType.rawValue)
            field("size", "\(row.descriptor.size) bytes (\(ByteCount.format(row.descriptor.size)))")
            if let platform = row.descriptor.platform { field("platform", platform.description) }
            if row.kind == .config { add("the config digest is the image ID: \(row.descriptor.digest.short)", .dim) }
            for (key, value) in (row.descriptor.annotations ?? [:]).sorted(by: { $0.key < $1.key }) { add("\(key): \(value)", .dim) }
        }
    case .tags:
        if let tag = state.selectedTag {
            add(tag.description, .bold)
            let digest = state.tagList?.digests[tag.tag ?? ""]
            if let tree = state.treeView?.tree {
                field("digest", tree.manifest.digest.description)
                field("media type", tree.manifest.mediaType.rawValue)
                if let config = tree.manifest.image?.config { field("image ID", config.digest.short) }
            } else if let digest {
                field("digest", digest.description)
            }
            if let summary = digest.flatMap({ state.summaries[$0] }) {
                for line in summaryLines(summary) { field(line.0, line.1) }
            }
        }
    case .repositories:
        if let repository = state.selectedRepository { add(repository.name, .bold) }
    case .registries:
        if let registry = state.selectedRegistry { add(registry, .bold) }
    }
    if let mark = state.mark { add("marked: \(mark.label)", palette.fg(.yellow)) }
    let footer = wrap(hints(state), width: inside.width).map { StyledLine($0, style: .dim) }
    let room = max(0, inside.height - footer.count)
    if lines.count > room, room > 0 { lines = Array(lines.prefix(room - 1)) + [StyledLine("…", style: .dim)] }
    buffer.text(Array(lines.prefix(room)) + footer, in: inside)
}

func drawTransfers(_ state: AppState, _ layout: Layout, _ buffer: inout Buffer, _ palette: Palette) {
    let rect = layout.transfers
    guard let transfer = state.transfers.last else { return }
    var title = state.transfers.count > 1 ? "Copies (\(state.transfers.count))" : "Copy"
    if state.transferFocused {
        title += state.copying ? " · Esc or \(keyName(.cancelTransfer, state)) cancels, any other key returns"
                               : " · Esc closes, any other key returns"
    }
    buffer.frame(rect, title: title, focused: state.transferFocused || transfer.outcome == .running, color: state.color)
    let inside = rect.inset(1)
    buffer.put("\(transfer.source) → \(transfer.destination)", x: inside.x, y: inside.y, style: .bold, maxWidth: inside.width)
    let y = inside.y + 1
    let progress = transfer.progress
    switch transfer.outcome {
    case .running:
        let barWidth = max(10, inside.width / 3)
        let label = " \(ByteCount.format(progress.movedBytes)) / \(ByteCount.format(progress.totalBytes))  \(progress.blobsDone)/\(progress.blobs) blobs  (\(keyName(.cancelTransfer, state)) cancels)"
        buffer.progressBar(progress.fraction, x: inside.x, y: y, width: barWidth, style: palette.fg(.green))
        buffer.put(label, x: inside.x + barWidth, y: y, maxWidth: inside.width - barWidth)
        for (offset, blob) in progress.active.prefix(max(0, inside.height - 2)).enumerated() {
            let row = y + 1 + offset
            buffer.put("  \(blob.digest.short) ", x: inside.x, y: row, style: .dim)
            buffer.progressBar(blob.size > 0 ? Double(blob.done) / Double(blob.size) : 0, x: inside.x + 16, y: row, width: 20)
            buffer.put(" \(ByteCount.format(blob.done)) / \(ByteCount.format(blob.size))", x: inside.x + 36, y: row, style: .dim,
                       maxWidth: inside.width - 36)
        }
    case .succeeded(let message):
        let moved = progress.movedNothing ? "no blob needed uploading" : "\(ByteCount.format(progress.uploadedBytes)) uploaded"
        buffer.put("✓ done, \(moved): \(message)", x: inside.x, y: y, style: palette.added, maxWidth: inside.width)
    case .failed(let message): buffer.put("✗ failed: \(message)", x: inside.x, y: y, style: palette.error, maxWidth: inside.width)
    case .cancelled: buffer.put("✗ cancelled: no tag was written", x: inside.x, y: y, style: palette.error, maxWidth: inside.width)
    }
}

/// A tag's summary as the Details box shows it: created, size (an index's platforms each, their
/// range and sum), platforms.
private func summaryLines(_ summary: ManifestSummary) -> [(String, String)] {
    var lines = [("created", summary.created ?? "not recorded")]
    guard summary.platforms.count > 1, let range = summary.sizeRange else {
        return lines + [("size", "\(ByteCount.format(summary.size)) (config and layers, compressed)")]
            + (summary.platforms.first?.platform.map { [("platform", $0)] } ?? [])
    }
    lines.append(("size", "\(ByteCount.format(range.lowerBound))–\(ByteCount.format(range.upperBound)) a platform, \(ByteCount.format(summary.size)) in all"))
    for platform in summary.platforms { lines.append(("", "\(platform.platform ?? "?")  \(ByteCount.format(platform.size))")) }
    return lines
}
