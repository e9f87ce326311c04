import ManifestDiff
import OCI
import TerminalUI

/// Draws the whole screen for `state`. Pure: the same state gives the same cells.
public func view(_ state: AppState) -> Buffer {
    var buffer = Buffer(width: max(state.width, 40), height: max(state.height, 12))
    let layout = Layout(state)
    let palette = Palette(color: state.color)
    drawHeader(state, &buffer, palette)
    for pane in Pane.allCases { drawPane(pane, state, layout, &buffer, palette) }
    drawDetails(state, layout, &buffer, palette)
    if !state.transfers.isEmpty { drawTransfers(state, layout, &buffer, palette) }
    drawStatus(state, layout, &buffer, palette)
    switch state.overlay {
    case .help: drawHelp(state, &buffer, palette)
    case .text(let title, let lines, let offset): drawText(title, lines, offset, &buffer, palette)
    case .diff(let diff): drawDiff(diff, state, &buffer, palette)
    case nil: break
    }
    return buffer
}

/// Colours, or none when NO_COLOR is set.
struct Palette {
    let color: Bool
    func fg(_ c: Color, bold: Bool = false) -> Style { Style(foreground: color ? c : .default, bold: bold) }
    var header: Style { Style(foreground: color ? .black : .default, background: color ? .cyan : .default, bold: true, reverse: !color) }
    var error: Style { Style(foreground: color ? .red : .default, bold: true) }
    var added: Style { fg(.green) }
    var removed: Style { fg(.red) }
    var changed: Style { Style(foreground: color ? .yellow : .default, underline: !color) }
}

private func shortDigest(_ digest: Digest, _ state: AppState) -> String {
    state.fullDigests ? digest.description : "\(digest.algorithm.rawValue):\(digest.short)"
}

private func drawHeader(_ state: AppState, _ buffer: inout Buffer, _ palette: Palette) {
    buffer.fill(Rect(x: 0, y: 0, width: buffer.width, height: 1), style: palette.header)
    var crumbs = [state.selectedRegistry ?? "no registry"]
    if let repository = state.selectedRepository, state.focus.rawValue >= Pane.repositories.rawValue { crumbs.append(repository.repository) }
    var text = " regtui  " + crumbs.joined(separator: " / ")
    if let tag = state.selectedTag, state.focus.rawValue >= Pane.tags.rawValue {
        text += " : \(tag.tag ?? "")"
        if let digest = state.selectedTreeKey.flatMap({ state.trees[$0]?.value?.tree.manifest.digest }) {
            text += " @ \(digest)"
        }
    }
    buffer.put(text, x: 0, y: 0, style: palette.header, maxWidth: buffer.width - 9)
    buffer.put("? help ", x: buffer.width - 7, y: 0, style: palette.header)
}

private func drawPane(_ pane: Pane, _ state: AppState, _ layout: Layout, _ buffer: inout Buffer, _ palette: Palette) {
    let rect = layout.rect(pane)
    let focused = state.focus == pane && state.overlay == nil
    var title = pane.title
    let count = state.count(pane)
    if count > 0 { title += " (\(count))" }
    if let filter = state.filters[pane], !filter.isEmpty { title += " /\(filter)" }
    buffer.frame(rect, title: title, focused: focused, color: state.color)
    let inside = rect.inset(1)
    func message(_ text: String, _ style: Style = .dim) {
        var y = inside.y
        for line in wrap(text, width: inside.width) where y < inside.maxY {
            buffer.put(line, x: inside.x, y: y, style: style, maxWidth: inside.width)
            y += 1
        }
    }
    switch pane {
    case .registries:
        let rows = state.registries.map { registry -> ListRow in
            let detail = state.catalogs[registry]?.value.map { "\($0.all.count)\($0.next != nil ? "+" : "")" } ?? ""
            return ListRow(registry, detail: detail)
        }
        if rows.isEmpty { message("no registries: pass one on the command line or log in to one") }
        buffer.list(rows, in: inside, cursor: state.cursors[pane] ?? ListCursor(), focused: focused)
    case .repositories:
        guard let registry = state.selectedRegistry else { return }
        switch state.catalogs[registry] ?? .idle {
        case .idle: message("press Enter to list")
        case .loading: message("loading…")
        case .failed(let error): message(error, palette.error)
        case .loaded(let catalog):
            if catalog.all.isEmpty, let why = catalog.unavailable {
                message("\(why)\npress o to type a repository", palette.error)
                return
            }
            let rows = state.visibleRepositories.map { ListRow($0) }
            buffer.list(rows, in: inside, cursor: state.cursors[pane] ?? ListCursor(), focused: focused)
            if catalog.loadingMore, inside.height > 0 { buffer.put("loading more…", x: inside.maxX - 13, y: inside.maxY - 1, style: .dim) }
        }
    case .tags:
        guard let repository = state.selectedRepository else { return }
        switch state.tagLists[repository.name] ?? .idle {
        case .idle: message("")
        case .loading: message("loading…")
        case .failed(let error): message(error, palette.error)
        case .loaded(let list):
            if list.tags.isEmpty { message("no tags") }
            let rows = state.visibleTags.map { tag -> ListRow in
                let marked = state.mark?.reference == repository.with(tag: tag) ? "● " : ""
                return ListRow(marked + tag, detail: list.digests[tag].map { shortDigest($0, state) } ?? "")
            }
            buffer.list(rows, in: inside, cursor: state.cursors[pane] ?? ListCursor(), focused: focused)
        }
    case .tree:
        guard let key = state.selectedTreeKey else { return }
        switch state.trees[key] ?? .idle {
        case .idle: message("")
        case .loading: message("loading…")
        case .failed(let error): message(error, palette.error)
        case .loaded(let tree):
            let rows = state.treeRows.map { row -> ListRow in
                let marker = row.expandable ? (tree.collapsed.contains(row.path) ? "▸ " : "▾ ") : "  "
                let indent = String(repeating: "  ", count: row.depth)
                let style: Style = row.kind == .layer || row.kind == .config ? .plain : palette.fg(.cyan)
                return ListRow(indent + marker + row.label,
                               detail: shortDigest(row.descriptor.digest, state), style: style)
            }
            buffer.list(rows, in: inside, cursor: tree.cursor, focused: focused)
        }
    }
}

private func drawDetails(_ state: AppState, _ layout: Layout, _ buffer: inout Buffer, _ palette: Palette) {
    let rect = layout.details
    buffer.frame(rect, title: "Details", focused: false, color: state.color)
    let inside = rect.inset(1)
    var lines: [StyledLine] = []
    if state.focus == .tree, let row = state.selectedTreeRow {
        lines.append(StyledLine(row.label, style: .bold))
        lines.append(StyledLine("media type  \(row.descriptor.mediaType.rawValue)"))
        lines.append(StyledLine("size        \(row.descriptor.size) bytes (\(ByteCount.format(row.descriptor.size)))"))
        lines.append(StyledLine("digest      \(row.descriptor.digest)"))
        if let platform = row.descriptor.platform { lines.append(StyledLine("platform    \(platform)")) }
        if row.kind == .config { lines.append(StyledLine("(the config digest is the image ID: \(row.descriptor.digest.short))", style: .dim)) }
        for (key, value) in (row.descriptor.annotations ?? [:]).sorted(by: { $0.key < $1.key }) {
            lines.append(StyledLine("\(key): \(value)", style: .dim))
        }
        lines.append(StyledLine("Enter: raw JSON · m mark · d diff · c copy · y yank digest", style: .dim))
    } else if let tag = state.selectedTag {
        lines.append(StyledLine(tag.description, style: .bold))
        if let tree = state.selectedTreeKey.flatMap({ state.trees[$0]?.value?.tree }) {
            lines.append(StyledLine("digest      \(tree.manifest.digest)"))
            lines.append(StyledLine("media type  \(tree.manifest.mediaType.rawValue)"))
            lines.append(StyledLine("size        \(tree.manifest.bytes.count) bytes"))
            if let config = tree.manifest.image?.config { lines.append(StyledLine("image ID    \(config.digest.short)")) }
        }
        lines.append(StyledLine("Enter: manifest tree · m mark · d diff · c copy", style: .dim))
    } else if let repository = state.selectedRepository {
        lines.append(StyledLine(repository.name, style: .bold))
    }
    if let mark = state.mark { lines.append(StyledLine("marked: \(mark.label)", style: palette.fg(.yellow))) }
    buffer.text(lines, in: inside)
}

private func drawTransfers(_ state: AppState, _ layout: Layout, _ buffer: inout Buffer, _ palette: Palette) {
    let rect = layout.transfers
    guard let transfer = state.transfers.last else { return }
    let title = "Copy \(state.transfers.count > 1 ? "(\(state.transfers.count))" : "")"
        + (state.transferFocused ? " · Esc or x cancels, any other key returns" : "")
    buffer.frame(rect, title: title, focused: state.transferFocused || transfer.outcome == .running, color: state.color)
    let inside = rect.inset(1)
    buffer.put("\(transfer.source) → \(transfer.destination)", x: inside.x, y: inside.y, style: .bold, maxWidth: inside.width)
    let y = inside.y + 1
    switch transfer.outcome {
    case .running:
        let fraction = transfer.totalBytes > 0 ? Double(transfer.movedBytes) / Double(transfer.totalBytes) : 0
        let label = " \(ByteCount.format(transfer.movedBytes)) / \(ByteCount.format(transfer.totalBytes))  \(transfer.blobsDone)/\(transfer.blobs) blobs  (x cancels)"
        buffer.progressBar(fraction, x: inside.x, y: y, width: max(10, inside.width / 3), style: palette.fg(.green))
        buffer.put(label, x: inside.x + max(10, inside.width / 3), y: y, maxWidth: inside.width)
        for (offset, entry) in transfer.active.sorted(by: { $0.key < $1.key }).prefix(max(0, inside.height - 2)).enumerated() {
            let row = y + 1 + offset
            buffer.put("  \(entry.key.short) ", x: inside.x, y: row, style: .dim)
            buffer.progressBar(entry.value.size > 0 ? Double(entry.value.done) / Double(entry.value.size) : 0, x: inside.x + 16, y: row, width: 20)
            buffer.put(" \(ByteCount.format(entry.value.done)) / \(ByteCount.format(entry.value.size))", x: inside.x + 36, y: row, style: .dim)
        }
    case .succeeded(let message): buffer.put("✓ done: \(message)", x: inside.x, y: y, style: palette.added, maxWidth: inside.width)
    case .failed(let message): buffer.put("✗ failed: \(message)", x: inside.x, y: y, style: palette.error, maxWidth: inside.width)
    case .cancelled: buffer.put("✗ cancelled: no tag was written", x: inside.x, y: y, style: palette.error, maxWidth: inside.width)
    }
}

private func drawStatus(_ state: AppState, _ layout: Layout, _ buffer: inout Buffer, _ palette: Palette) {
    let y = layout.statusRow
    if let prompt = state.prompt {
        if let current = prompt.confirmMove, let destination = prompt.destination {
            buffer.put("\(destination) points to \(current.short), not \(prompt.sourceDigest?.short ?? "the source"). Move the tag? (y/n)",
                       x: 0, y: y, style: palette.fg(.yellow, bold: true))
        } else {
            let end = buffer.put("copy \(prompt.source) to: ", x: 0, y: y, style: .bold)
            let after = buffer.put(prompt.text, x: end, y: y)
            buffer.put("▏", x: after, y: y, style: .bold)
        }
        return
    }
    if let pane = state.editingFilter {
        let end = buffer.put("/" + (state.filters[pane] ?? ""), x: 0, y: y, style: .bold)
        buffer.put("▏  Enter keeps, Esc clears", x: end, y: y, style: .dim)
        return
    }
    if let text = state.typingRepository {
        let end = buffer.put("open repository: " + text, x: 0, y: y, style: .bold)
        buffer.put("▏", x: end, y: y)
        return
    }
    if let status = state.status {
        buffer.put(status.text, x: 0, y: y, style: status.isError ? palette.error : .plain, maxWidth: buffer.width)
        return
    }
    buffer.put("? help  q quit  / filter  m mark  d diff  c copy  y yank digest  t full digests", x: 0, y: y, style: .dim)
}

private func drawHelp(_ state: AppState, _ buffer: inout Buffer, _ palette: Palette) {
    var lines: [StyledLine] = [StyledLine("Keys (from the active keymap; override in ~/.config/regtui/keymap)", style: .bold)]
    for context in KeyContext.allCases {
        let bound = Command.allCases.compactMap { command -> StyledLine? in
            let keys = state.keymap.keys(for: command.rawValue, in: context.rawValue)
            guard !keys.isEmpty else { return nil }
            let names = keys.map(\.description).joined(separator: " ")
            return StyledLine("  " + names.padding(toLength: 24, withPad: " ", startingAt: 0) + command.help)
        }
        guard !bound.isEmpty else { continue }
        lines.append(StyledLine(context == .global ? "everywhere" : "in the \(context.rawValue) view", style: palette.fg(.cyan, bold: true)))
        lines += bound
    }
    lines.append(StyledLine("any key closes this help", style: .dim))
    let inside = buffer.centeredBox(width: 90, height: lines.count + 2, title: "Help", color: state.color)
    buffer.text(lines, in: inside)
}

private func drawText(_ title: String, _ lines: [String], _ offset: Int, _ buffer: inout Buffer, _ palette: Palette) {
    let rect = Rect(x: 0, y: 1, width: buffer.width, height: buffer.height - 2)
    buffer.fill(rect)
    buffer.frame(rect, title: title, focused: true, color: palette.color)
    let inside = rect.inset(1)
    let numberWidth = String(lines.count).count
    let styled = lines.enumerated().map { index, line -> StyledLine in
        let number = String(index + 1)
        return StyledLine(String(repeating: " ", count: numberWidth - number.count) + number + " " + line)
    }
    buffer.text(styled, in: inside, offset: offset)
    let position = lines.isEmpty ? "" : " \(min(offset + inside.height, lines.count))/\(lines.count) "
    buffer.put(position, x: rect.maxX - position.count - 2, y: rect.maxY - 1, style: .dim)
}

/// The lines above the diff's side-by-side part.
enum DiffHeader {
    static func lines(_ view: DiffView, width: Int) -> [StyledLine] {
        guard let comparison = view.comparison else { return [StyledLine(view.error ?? "comparing…")] }
        var lines = [StyledLine("verdict: \(comparison.verdict.rawValue)", style: .bold),
                     StyledLine(comparison.verdict.explanation, style: .dim)]
        lines += comparison.evidence.prefix(3).map { StyledLine("• " + $0) }
        lines.append(StyledLine("A \(comparison.a.digest)  \(comparison.a.size) B  \(comparison.a.reference)"))
        lines.append(StyledLine("B \(comparison.b.digest)  \(comparison.b.size) B  \(comparison.b.reference)"))
        let differing = comparison.parts.filter { !$0.equal }
        lines.append(StyledLine("parts: \(comparison.parts.count - differing.count) equal, \(differing.count) differ  ·  n/N next/previous change",
                                style: .dim))
        // The parts table, differing parts first, as many as leave room for the JSON.
        let shown = differing + comparison.parts.filter(\.equal)
        let labelWidth = min(18, shown.map(\.part.count).max() ?? 0)
        for part in shown.prefix(6) {
            let label = part.part.padding(toLength: labelWidth, withPad: " ", startingAt: 0)
            let side = part.equal ? "" : "A "
            let a = side + (part.a.map { String($0.description.prefix(19)) } ?? "—") + (part.aDetail.map { " (\($0))" } ?? "")
            let b = part.equal ? "" : "   B " + (part.b.map { String($0.description.prefix(19)) } ?? "—") + (part.bDetail.map { " (\($0))" } ?? "")
            lines.append(StyledLine("\(part.equal ? "=" : "≠") \(label) \(a)\(b)", style: part.equal ? .dim : .plain))
        }
        if shown.count > 6 { lines.append(StyledLine("  … \(shown.count - 6) more parts: regtui diff --json lists them all", style: .dim)) }
        return lines
    }
}

private func drawDiff(_ diff: DiffView, _ state: AppState, _ buffer: inout Buffer, _ palette: Palette) {
    let rect = Rect(x: 0, y: 1, width: buffer.width, height: buffer.height - 2)
    buffer.fill(rect)
    buffer.frame(rect, title: "Diff  \(diff.title)", focused: true, color: state.color)
    let inside = rect.inset(1)
    var header = DiffHeader.lines(diff, width: inside.width)
    if diff.error != nil { header = header.map { StyledLine($0.text, style: palette.error) } }
    if let verdict = diff.comparison?.verdict, !header.isEmpty {
        header[0].style = verdict == .identical ? palette.fg(.green, bold: true) : palette.fg(.yellow, bold: true)
    }
    buffer.text(header, in: inside)
    guard let rows = diff.rows else { return }
    let top = inside.y + header.count
    let half = (inside.width - 3) / 2
    for line in 0..<max(0, inside.maxY - top) {
        let index = diff.offset + line
        guard index < rows.rows.count else { break }
        let row = rows.rows[index]
        let y = top + line
        let (leftStyle, rightStyle, gutter): (Style, Style, String) = switch row.kind {
        case .equal: (.dim, .dim, "│")
        case .changed: (palette.changed, palette.changed, "≠")
        case .removed: (palette.removed, .plain, "<")
        case .added: (.plain, palette.added, ">")
        }
        if let left = row.left { buffer.put(rows.left[left], x: inside.x, y: y, style: leftStyle, maxWidth: half) }
        buffer.put(gutter, x: inside.x + half + 1, y: y, style: .dim)
        if let right = row.right { buffer.put(rows.right[right], x: inside.x + half + 3, y: y, style: rightStyle, maxWidth: half) }
    }
}

/// Splits text into lines of at most `width` characters, at spaces where it can.
func wrap(_ text: String, width: Int) -> [String] {
    guard width > 0 else { return [] }
    var lines: [String] = []
    for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
        var line = ""
        for word in paragraph.split(separator: " ") {
            if !line.isEmpty && line.count + 1 + word.count > width { lines.append(line); line = "" }
            line += (line.isEmpty ? "" : " ") + word
            while line.count > width { lines.append(String(line.prefix(width))); line = String(line.dropFirst(width)) }
        }
        lines.append(line)
    }
    return lines
}
