/// An image's filesystem as a container sees it: its layers applied in order, each layer's
/// whiteouts deleting what lower layers wrote (`.wh.NAME`) and opaque markers (`.wh..wh..opq`)
/// hiding a directory's lower contents. Pure: built from entries, no I/O.
public struct MergedFilesystem: Sendable {
    /// Every entry, by path.
    public private(set) var entries: [String: FileEntry] = [:]
    /// The children's names of each directory path that has any.
    private var children: [String: Set<String>] = [:]

    public init() {}

    /// Applies one layer's own entries (as `LayerReader` lists them) over what is here.
    public mutating func apply(_ layer: [FileEntry]) {
        // A layer's markers act on the layers below it, so they go first.
        for marker in layer where marker.type == .opaque {
            for child in children[marker.path] ?? [] { remove(Self.join(marker.path, child)) }
        }
        for marker in layer where marker.type == .whiteout { remove(marker.path) }
        for entry in layer where entry.type != .whiteout && entry.type != .opaque { insert(entry) }
    }

    /// The entries sorted by path, a directory before what it holds.
    public var sorted: [FileEntry] {
        entries.values.sorted { Self.pathOrder($0.path, $1.path) }
    }

    /// What `path` names with symlinks along it followed inside the image (an absolute target
    /// from the image's root, a relative one from the link's directory); nil when it is absent,
    /// or the links go round more than 40 times. A hardlink is returned as it is: its bytes are
    /// those of its target in the hardlink's own layer, which a later layer may have replaced.
    public func resolve(_ path: String) -> FileEntry? {
        var pending = FileEntry.normalise(path)
        for _ in 0..<40 {
            guard let (entry, rest) = walk(pending) else { return nil }
            if let rest {
                pending = rest
                continue
            }
            switch entry.type {
            case .symlink:
                guard let next = Self.target(of: entry) else { return nil }
                pending = next
            default:
                return entry
            }
        }
        return nil
    }

    // MARK: - Internals

    /// Walks `path` component by component: the entry it names, or, when a symlink sits part way,
    /// the path to continue with instead.
    private func walk(_ path: String) -> (FileEntry, String?)? {
        if path == "/" { return (FileEntry(path: "/", type: .dir, mode: 0o755, layer: 0), nil) }
        let parts = path.split(separator: "/")
        var current = ""
        for (index, part) in parts.enumerated() {
            current += "/" + part
            guard let entry = entries[current] else { return nil }
            if index == parts.count - 1 { return (entry, nil) }
            if entry.type == .symlink {
                guard let base = Self.target(of: entry) else { return nil }
                let rest = parts[(index + 1)...].joined(separator: "/")
                return (entry, FileEntry.normalise(base + "/" + rest))
            }
            if entry.type != .dir { return nil }
        }
        return nil
    }

    /// A symlink's target as an absolute path in the image.
    private static func target(of link: FileEntry) -> String? {
        guard let target = link.linkTarget, !target.isEmpty else { return nil }
        if target.hasPrefix("/") { return FileEntry.normalise(target) }
        return FileEntry.normalise(split(link.path).parent + "/" + target)
    }

    private mutating func insert(_ entry: FileEntry) {
        if let existing = entries[entry.path], existing.type == .dir, entry.type != .dir {
            remove(entry.path)
        }
        entries[entry.path] = entry
        var path = entry.path
        while path != "/" {
            let (parent, name) = Self.split(path)
            let (inserted, _) = children[parent, default: []].insert(name)
            // Parents a layer did not list are implied, as a tar extraction creates them.
            if parent != "/", entries[parent] == nil {
                entries[parent] = FileEntry(path: parent, type: .dir, mode: 0o755, layer: entry.layer)
            }
            if !inserted { break }
            path = parent
        }
    }

    private mutating func remove(_ path: String) {
        guard entries[path] != nil || children[path] != nil else { return }
        var stack = [path]
        while let next = stack.popLast() {
            entries[next] = nil
            if let names = children.removeValue(forKey: next) { stack.append(contentsOf: names.map { Self.join(next, $0) }) }
        }
        let (parent, name) = Self.split(path)
        children[parent]?.remove(name)
    }

    static func split(_ path: String) -> (parent: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return ("/", path) }
        let parent = String(path[..<slash])
        return (parent.isEmpty ? "/" : parent, String(path[path.index(after: slash)...]))
    }

    static func join(_ directory: String, _ name: String) -> String { directory == "/" ? "/" + name : directory + "/" + name }

    /// Path order where a directory's contents follow it directly: byte order with `/` below
    /// every other byte, which compares component by component without splitting.
    static func pathOrder(_ a: String, _ b: String) -> Bool {
        var left = a.utf8.makeIterator(), right = b.utf8.makeIterator()
        while true {
            switch (left.next(), right.next()) {
            case (nil, nil): return false
            case (nil, _): return true
            case (_, nil): return false
            case let (x?, y?) where x != y: return (x == 0x2F ? 0 : x) < (y == 0x2F ? 0 : y)
            default: continue
            }
        }
    }
}
