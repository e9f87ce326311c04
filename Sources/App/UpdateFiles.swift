import FileTree
import Foundation
import OCI
import TerminalUI

// Inside the image: the files view of a layer or of the merged filesystem, a file's content,
// and the files section of the diff.

/// `open` on a layer row (its own entries) or an image's files row (the merged filesystem):
/// the files view, filled in as the layers stream.
func openFiles(_ row: TreeRow, in view: TreeView, _ state: inout AppState) -> [Effect] {
    guard let tag = state.selectedTag, let node = TreeFlattener.manifestTree(of: row, in: view.tree),
          let image = node.manifest.image, let position = row.path.last else { return [] }
    let reference = tag.with(tag: nil, digest: node.manifest.digest)
    let source: FilesSource = row.kind == .layer ? .layer(position + 1) : .merged
    let (id, effects) = state.requests.issue(.files)
    let whose = TreeFlattener.imageLabel(node, in: view.tree)
    let title = switch source {
    case .merged: "Files of \(whose) (\(image.layers.count) layer\(image.layers.count == 1 ? "" : "s") merged)"
    case .layer(let position): "Layer \(position) of \(whose): its own entries"
    }
    state.overlays.append(.files(FilesView(title: title, image: reference, source: source, layerCount: image.layers.count, request: id)))
    return effects + [.load(id, .files(reference, source))]
}

/// Entries and verified layers arriving for the files view on top.
func filesEvent(_ id: RequestID, _ event: FilesEvent, _ state: inout AppState) -> [Effect] {
    guard state.requests.purpose(of: id) == .files else { return [] }
    withFilesView(&state) { view in
        guard view.request == id else { return }
        switch event {
        case .entries(let entries): view.receive(entries)
        case .layerVerified(let position): view.layerVerified(position)
        }
    }
    return []
}

/// Changes the files view on top, if the top view is one, in place: while the state still held
/// it, changing a million entries would copy them all.
@discardableResult
func withFilesView<T>(_ state: inout AppState, _ body: (inout FilesView) -> T) -> T? {
    guard case .files(var view) = state.overlay else { return nil }
    state.overlay = .help(offset: 0)  // lets go of the state's reference to the view's storage
    let result = body(&view)
    state.overlay = .files(view)
    return result
}

/// A key in the files view on top: move, expand and collapse directories, open a file, filter,
/// close. The view is changed in place, the state letting go of it meanwhile.
func filesViewKey(_ command: Command, _ key: Key, _ state: inout AppState) -> [Effect] {
    guard case .files(var view) = state.overlay else { return [] }
    state.overlay = .help(offset: 0)
    let (effects, closing) = filesKey(command, key, &view, &state)
    state.overlay = closing ? nil : .files(view)
    return effects
}

/// What a key does to the files view; `closing` when it closes the view (the layers still being
/// read are then no longer wanted).
private func filesKey(_ command: Command, _ key: Key, _ view: inout FilesView,
                      _ state: inout AppState) -> (effects: [Effect], closing: Bool) {
    let visible = Layout(state).filesBody
    func move(_ delta: Int) {
        view.cursor.move(delta, count: view.rows.count)
        view.cursor.scroll(visible: visible, count: view.rows.count)
    }
    func close() -> (effects: [Effect], closing: Bool) {
        ([view.request, view.opening].compactMap { $0 }.filter { state.requests.close($0) != nil }.map { .cancel($0) }, true)
    }
    switch command {
    case .moveDown: move(1)
    case .moveUp: move(-1)
    case .pageDown: move(max(1, visible - 1))
    case .pageUp: move(-max(1, visible - 1))
    case .top: move(-view.rows.count)
    case .bottom: move(view.rows.count)
    case .filter: state.editing = .search
    case .open: return (openFileRow(&view, &state), false)
    case .back:
        // Esc closes the view; h and ← collapse a directory, or go to the one above.
        guard key != .escape, let row = view.selected else { return close() }
        if row.expandable && view.expanded.contains(row.path) && view.filter.isEmpty {
            view.toggle(row.path)
        } else if let parent = view.rows.firstIndex(where: { $0.path == MergedFilesystem.split(row.path).parent }) {
            move(parent - view.cursor.selected)
        } else {
            return close()
        }
    case .yankDigest:
        guard let row = view.selected else { return ([], false) }
        state.status = Status(text: "copied \(row.path) to the clipboard", isError: false)
        return ([.setClipboard(row.path)], false)
    default:
        break
    }
    return ([], false)
}

/// Enter on a row: a directory expands or collapses; a file's content opens.
private func openFileRow(_ view: inout FilesView, _ state: inout AppState) -> [Effect] {
    guard let row = view.selected else { return [] }
    guard let entry = row.entry else {
        state.status = Status(text: "\(row.path) was removed by layer \(row.removedBy ?? 0)", isError: false)
        return []
    }
    if row.expandable && view.filter.isEmpty {
        view.toggle(row.path)
        return []
    }
    guard view.complete else {
        state.status = Status(text: "reading the layers (\(view.verified.count) of \(view.source == .merged ? view.layerCount : 1) checked): a file opens once every layer is in",
                              isError: true)
        return []
    }
    let lookup: MergedFilesystem.FileLookup
    switch (view.source, entry.type) {
    case (.merged, _): lookup = view.filesystem.lookup(row.path)
    case (.layer, .file): lookup = .file(entry, source: entry.path)
    case (.layer, .hardlink): lookup = .file(entry, source: entry.linkTarget ?? entry.path)
    case (.layer, .symlink):
        state.status = Status(text: "a link to \(entry.linkTarget ?? ""): open the image's files to follow it", isError: true)
        return []
    case (.layer, .whiteout):
        state.status = Status(text: "a whiteout: this layer deletes \(row.path) from the layers below", isError: false)
        return []
    case (.layer, _): lookup = .notAFile(entry)
    }
    switch lookup {
    case .absent:
        state.status = Status(text: "\(row.path) leads nowhere in this image (a link to a path it does not hold)", isError: true)
        return []
    case .notAFile(let target):
        state.status = Status(text: "\(row.path) is a \(target.type.rawValue), not a file: nothing to show", isError: true)
        return []
    case .file(let target, let source):
        let (id, effects) = state.requests.issue(.fileContent)
        view.opening = id
        state.status = Status(text: "reading \(source) from layer \(target.layer)…", isError: false)
        return effects + [.load(id, .fileContent(view.image, layer: target.layer, path: source))]
    }
}

/// A file's first bytes arrived: its content over the files view.
func fileContentRead(_ id: RequestID, data: Data, size: Int64, _ state: inout AppState) {
    guard case .files(var view) = state.overlay, view.opening == id, let row = view.selected else { return }
    view.opening = nil
    state.overlay = .files(view)
    state.status = nil
    let layer = row.entry?.layer.description ?? "?"
    state.overlays.append(.text(TextView(title: "\(row.path)  (\(ByteCount.format(size)), layer \(layer))",
                                         lines: FileContent.lines(data, size: size))))
}

/// A file as lines to read: text as it is, anything else as a hex dump.
public enum FileContent {
    /// Bytes of a file shown; `regtui cat` prints the rest.
    public static let limit = 256 << 10

    public static func lines(_ data: Data, size: Int64) -> [String] {
        var lines: [String]
        if !data.contains(0), let text = String(bytes: data, encoding: .utf8) {
            lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if lines.last == "" { lines.removeLast() }
        } else {
            lines = hexDump(data)
        }
        if Int64(data.count) < size {
            lines.append("… the first \(ByteCount.format(Int64(data.count))) of \(ByteCount.format(size)) shown; regtui cat prints it all")
        }
        return lines
    }

    /// `00000010  68 65 6c 6c 6f 0a …  |hello.|`, 16 bytes a line, written byte by byte (a quarter
    /// of a MiB is 16,384 lines).
    public static func hexDump(_ data: Data) -> [String] {
        let digits = Array("0123456789abcdef".utf8)
        var lines: [String] = []
        lines.reserveCapacity(data.count / 16 + 1)
        var line: [UInt8] = []
        line.reserveCapacity(80)
        data.withUnsafeBytes { bytes in
            for start in stride(from: 0, to: bytes.count, by: 16) {
                line.removeAll(keepingCapacity: true)
                for shift in stride(from: 28, through: 0, by: -4) { line.append(digits[(start >> shift) & 15]) }
                line += [0x20, 0x20]
                let end = min(start + 16, bytes.count)
                for index in start..<start + 16 {
                    guard index < end else {
                        line += [0x20, 0x20, 0x20]
                        continue
                    }
                    line += [digits[Int(bytes[index] >> 4)], digits[Int(bytes[index] & 15)], 0x20]
                }
                line += [0x20, 0x7c]
                for index in start..<end { line.append((0x20..<0x7f).contains(bytes[index]) ? bytes[index] : 0x2e) }
                line.append(0x7c)
                lines.append(String(decoding: line, as: UTF8.self))
            }
        }
        return lines
    }
}

// MARK: - The diff's files section

/// `files` in the diff view: shows which files differ (read on first use), or the JSON again.
func toggleFileChanges(_ view: inout DiffView, _ state: inout AppState) -> [Effect] {
    view.showingFiles.toggle()
    guard view.showingFiles, view.files == nil else { return [] }
    let (id, effects) = state.requests.issue(.fileChanges)
    view.files = FileChanges(request: id)
    return effects + [.load(id, .fileChanges(view.a, view.b))]
}

/// The answer for the diff's files section, given to `body`.
func fileChangesRead(_ id: RequestID, _ state: inout AppState, _ body: (inout FileChanges) -> Void) {
    guard case .diff(var view) = state.overlay, var files = view.files, files.request == id else { return }
    files.request = nil
    body(&files)
    view.files = files
    state.overlay = .diff(view)
}
