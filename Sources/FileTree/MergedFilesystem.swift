/// An image's filesystem as a container sees it: its layers applied in order, each layer's
/// whiteouts deleting what lower layers wrote (`.wh.NAME`) and opaque markers (`.wh..wh..opq`)
/// hiding a directory's lower contents. Pure: built from entries, no I/O.
///
/// A layer may be applied in parts, as its entries stream in, in any order within the layer:
/// a marker acts only on what lower layers wrote (as the OCI image spec says), never on its own
/// layer's entries, so a marker read after them changes nothing they wrote.
public struct MergedFilesystem: Sendable {
    /// Every entry, by path.
    public private(set) var entries: [String: FileEntry] = [:]
    /// Paths a layer's marker deleted from the layers below it, with that layer's position, while
    /// no later layer writes them again (dive's "removed").
    public private(set) var removed: [String: Int] = [:]
    /// The children's names of each directory path that has any.
    private var children: [String: Set<String>] = [:]
    /// Paths whose entry replaced what a lower layer had there (dive's "modified"; the rest were
    /// added by the layer that wrote them).
    private var replaced: Set<String> = []

    public init() {}

    /// What the layer that last wrote a path did to it.
    public enum Change: Sendable, Equatable {
        /// Nothing was there below it.
        case added
        /// It replaced what a lower layer wrote.
        case modified
    }

    /// Applies one layer's own entries (as `LayerReader` lists them), or any part of them, over
    /// what is here. Layers go in order; within a layer, parts may come in any order.
    public mutating func apply(_ layer: [FileEntry]) {
        for entry in layer {
            switch entry.type {
            case .opaque:
                for name in children[entry.path] ?? [] {
                    let path = Self.join(entry.path, name)
                    if prune(path, below: entry.layer) { removed[path] = entry.layer }
                }
            case .whiteout:
                if prune(entry.path, below: entry.layer) { removed[entry.path] = entry.layer }
            default:
                insert(entry)
            }
        }
    }

    /// Directories a layer's own listing marks opaque (`list` only).
    public private(set) var opaque: Set<String> = []

    /// Lists one layer's own entries as they are, markers kept: a whiteout becomes an entry of
    /// type `whiteout` at the path it deletes, an opaque marker marks its directory. For showing
    /// a layer by itself, not for merging.
    public mutating func list(_ layer: [FileEntry]) {
        for entry in layer {
            guard entry.type == .opaque else {
                insert(entry)
                continue
            }
            opaque.insert(entry.path)
            if entries[entry.path] == nil { insert(FileEntry(path: entry.path, type: .dir, mode: 0o755, layer: entry.layer)) }
        }
    }

    /// Whether the entry at `path` was added or replaced something, by the layer that wrote it.
    public func change(at path: String) -> Change { replaced.contains(path) ? .modified : .added }

    /// The names in the directory `path`, in byte order.
    public func names(in directory: String) -> [String] {
        (children[directory] ?? []).sorted { Self.pathOrder($0, $1) }
    }

    /// Whether the directory `path` holds anything.
    public func hasChildren(_ directory: String) -> Bool { !(children[directory]?.isEmpty ?? true) }

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

    /// Where the bytes of the file `path` names are read from.
    public enum FileLookup: Sendable, Equatable {
        /// A regular file: `entry` as the path resolves, its bytes at `source` in layer `entry.layer`
        /// (a hardlink's target, as its own layer holds it).
        case file(FileEntry, source: String)
        /// Absent, or whited out.
        case absent
        /// There, but not a regular file.
        case notAFile(FileEntry)
    }

    /// Finds the bytes `path` names, symlinks followed inside the image.
    public func lookup(_ path: String) -> FileLookup {
        guard let entry = resolve(path) else { return .absent }
        switch entry.type {
        case .file: return .file(entry, source: entry.path)
        case .hardlink: return entry.linkTarget.map { .file(entry, source: $0) } ?? .notAFile(entry)
        default: return .notAFile(entry)
        }
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
        if let existing = entries[entry.path] {
            if existing.type == .dir, entry.type != .dir { prune(entry.path, below: .max) }
            if existing.layer < entry.layer { replaced.insert(entry.path) }
        } else if removed.removeValue(forKey: entry.path) != nil {
            replaced.insert(entry.path)
        }
        entries[entry.path] = entry
        var path = entry.path
        while path != "/" {
            let (parent, name) = Self.split(path)
            let (inserted, _) = children[parent, default: []].insert(name)
            // Parents a layer did not list are implied, as a tar extraction creates them.
            if parent != "/", entries[parent] == nil {
                if removed.removeValue(forKey: parent) != nil { replaced.insert(parent) }
                entries[parent] = FileEntry(path: parent, type: .dir, mode: 0o755, layer: entry.layer)
            }
            if !inserted { break }
            path = parent
        }
    }

    /// Removes `path` and what lies below it that layers before `layer` wrote; a directory that
    /// still holds entries of `layer` or later stays. Returns whether anything was removed.
    @discardableResult
    private mutating func prune(_ path: String, below layer: Int) -> Bool {
        guard entries[path] != nil || children[path] != nil else { return false }
        // Pre-order, then handled backwards: every path after all it holds.
        var order: [String] = []
        var stack = [path]
        while let next = stack.popLast() {
            order.append(next)
            for name in children[next] ?? [] { stack.append(Self.join(next, name)) }
        }
        var anything = false
        for current in order.reversed() {
            if let entry = entries[current], entry.layer >= layer { continue }
            if !(children[current]?.isEmpty ?? true) { continue }
            anything = anything || entries[current] != nil
            entries[current] = nil
            children[current] = nil
            replaced.remove(current)
            let (parent, name) = Self.split(current)
            children[parent]?.remove(name)
        }
        return anything
    }

    /// The directory that holds `path`, and its name there.
    public static func split(_ path: String) -> (parent: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return ("/", path) }
        let parent = String(path[..<slash])
        return (parent.isEmpty ? "/" : parent, String(path[path.index(after: slash)...]))
    }

    /// `name` in `directory`.
    public static func join(_ directory: String, _ name: String) -> String { directory == "/" ? "/" + name : directory + "/" + name }

    /// Path order where a directory's contents follow it directly: byte order with `/` below
    /// every other byte, which compares component by component without splitting.
    public static func pathOrder(_ a: String, _ b: String) -> Bool {
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
