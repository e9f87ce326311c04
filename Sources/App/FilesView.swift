import FileTree
import OCI
import TerminalUI

/// What a files view lists.
public enum FilesSource: Sendable, Equatable {
    /// The image's merged filesystem: every layer applied, as a container sees it.
    case merged
    /// One layer's own entries (1-based), whiteouts and opaque markers shown as such.
    case layer(Int)
}

/// How an entry differs from what the layers below it had (dive's marks).
public enum FileMark: Sendable, Equatable {
    /// Written by the first layer, or, for one layer's listing, simply there.
    case none
    case added
    case modified
    /// Deleted by a whiteout, or hidden by an opaque directory.
    case removed
}

/// One row of a files view.
public struct FileRow: Sendable, Equatable {
    public var path: String
    /// The name shown: the last component in the tree, the whole path while filtering.
    public var name: String
    public var depth: Int
    /// The entry, or nil for a path a layer removed.
    public var entry: FileEntry?
    public var mark: FileMark
    /// The layer that removed it, for a removed path.
    public var removedBy: Int?
    /// A directory with something in it.
    public var expandable: Bool
}

/// An image's files, browsed like dive: a directory tree whose directories expand, with each
/// entry's size, the layer that wrote it and whether it was added, changed or removed. It fills
/// in as the layers stream: a layer's entries apply at once when every layer below it has been
/// read (layers are read a few at a time, in any order), and wait until then otherwise.
public struct FilesView: Sendable {
    public var title: String
    /// The image manifest, by digest.
    public var image: ImageRef
    public var source: FilesSource
    /// The image's layer count: what the merged view waits for.
    public var layerCount: Int
    /// The request reading the layers, while it runs.
    public var request: RequestID?
    /// The request reading a file's content, while it runs.
    public var opening: RequestID?
    public var error: String?
    public private(set) var filesystem = MergedFilesystem()
    /// Layers read to the end and verified against their digests.
    public private(set) var verified: Set<Int> = []
    /// The layers applied in order so far (1...applied).
    public private(set) var applied = 0
    /// Entries of layers whose lower layers are still being read.
    private var waiting: [Int: [FileEntry]] = [:]
    public private(set) var expanded: Set<String> = ["/"]
    public private(set) var filter = ""
    public private(set) var rows: [FileRow] = []
    public var cursor = ListCursor()

    init(title: String, image: ImageRef, source: FilesSource, layerCount: Int, request: RequestID) {
        self.title = title
        self.image = image
        self.source = source
        self.layerCount = layerCount
        self.request = request
    }

    public var selected: FileRow? { rows.indices.contains(cursor.selected) ? rows[cursor.selected] : nil }

    /// Every layer the view needs has been read and verified.
    public var complete: Bool {
        switch source {
        case .merged: verified.count == layerCount
        case .layer(let position): verified.contains(position)
        }
    }

    /// Entries as they stream in: applied now, or kept until the layers below are in.
    mutating func receive(_ entries: [FileEntry]) {
        guard case .merged = source else {
            filesystem.list(entries)
            return reflow()
        }
        var now: [FileEntry] = []
        for entry in entries {
            if entry.layer <= applied + 1 { now.append(entry) } else { waiting[entry.layer, default: []].append(entry) }
        }
        filesystem.apply(now)
        reflow()
    }

    /// A layer was read to its end and its digest matched: the layers above it may apply.
    mutating func layerVerified(_ position: Int) {
        verified.insert(position)
        guard case .merged = source else { return }
        while verified.contains(applied + 1) {
            applied += 1
            if let next = waiting.removeValue(forKey: applied + 1) { filesystem.apply(next) }
        }
        reflow()
    }

    /// Drops what was read (a layer failed its check: nothing unverified stays on screen).
    mutating func fail(_ message: String) {
        error = message
        request = nil
        filesystem = MergedFilesystem()
        waiting = [:]
        verified = []
        applied = 0
        reflow()
    }

    mutating func toggle(_ path: String) {
        if expanded.contains(path) { expanded.remove(path) } else { expanded.insert(path) }
        reflow()
    }

    mutating func setFilter(_ text: String) {
        filter = text
        reflow()
    }

    /// The rows again, the cursor kept on the same path.
    mutating func reflow() {
        let current = selected?.path
        rows = filter.isEmpty ? treeRows() : matchingRows(FilterMatcher(filter))
        if let current, let row = rows.firstIndex(where: { $0.path == current }) { cursor.selected = row }
        cursor.move(0, count: rows.count)
    }

    private func treeRows() -> [FileRow] {
        // What layers removed, by the directory it was in (the merged view shows it, marked).
        var removed: [String: [String]] = [:]
        for path in filesystem.removed.keys where filesystem.entries[path] == nil {
            let (parent, name) = MergedFilesystem.split(path)
            removed[parent, default: []].append(name)
        }
        func names(in directory: String) -> [String] {
            let names = filesystem.names(in: directory)
            guard let gone = removed[directory] else { return names }
            return (names + gone).sorted(by: MergedFilesystem.pathOrder)
        }
        var rows: [FileRow] = []
        var stack: [(path: String, depth: Int)] = names(in: "/").reversed().map { (MergedFilesystem.join("/", $0), 0) }
        while let (path, depth) = stack.popLast() {
            let row = self.row(path, name: MergedFilesystem.split(path).name, depth: depth)
            rows.append(row)
            guard row.expandable, expanded.contains(path) else { continue }
            stack += names(in: path).reversed().map { (MergedFilesystem.join(path, $0), depth + 1) }
        }
        return rows
    }

    /// Every path containing the filter, in path order, named in full.
    private func matchingRows(_ matcher: FilterMatcher) -> [FileRow] {
        let paths = filesystem.entries.keys.filter(matcher.matches) + filesystem.removed.keys.filter(matcher.matches)
        return paths.sorted(by: MergedFilesystem.pathOrder).map { row($0, name: $0, depth: 0) }
    }

    private func row(_ path: String, name: String, depth: Int) -> FileRow {
        guard let entry = filesystem.entries[path] else {
            return FileRow(path: path, name: name, depth: depth, entry: nil, mark: .removed, removedBy: filesystem.removed[path],
                           expandable: false)
        }
        let mark: FileMark
        switch source {
        case .layer: mark = entry.type == .whiteout ? .removed : .none
        case .merged: mark = entry.layer <= 1 ? .none : filesystem.change(at: path) == .modified ? .modified : .added
        }
        return FileRow(path: path, name: name, depth: depth, entry: entry, mark: mark, removedBy: nil,
                       expandable: entry.type == .dir && filesystem.hasChildren(path))
    }
}
