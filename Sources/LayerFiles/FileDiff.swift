/// One path that differs between two merged filesystems.
public struct FileChange: Sendable, Hashable, Encodable {
    public enum Kind: String, Sendable, Encodable {
        /// Only in B.
        case added
        /// Only in A.
        case removed
        /// Content, type or link target differ.
        case modified
        /// Only mode or ownership (or, when asked, mtime) differ.
        case metadata
    }

    public var path: String
    public var change: Kind
    public var a: FileEntry?
    public var b: FileEntry?
}

/// The file-level differences of two merged filesystems (regular files compared by the sha256
/// of their bytes), in path order. A change of mtime alone counts only with `times`.
public func fileChanges(_ a: MergedFilesystem, _ b: MergedFilesystem, times: Bool = false) -> [FileChange] {
    var changes: [FileChange] = []
    for (path, left) in a.entries {
        guard let right = b.entries[path] else {
            changes.append(FileChange(path: path, change: .removed, a: left, b: nil))
            continue
        }
        if left.type != right.type || left.linkTarget != right.linkTarget
            || (left.type == .file && (left.size != right.size || left.sha256 != right.sha256)) {
            changes.append(FileChange(path: path, change: .modified, a: left, b: right))
        } else if left.mode != right.mode || left.uid != right.uid || left.gid != right.gid || (times && left.mtime != right.mtime) {
            changes.append(FileChange(path: path, change: .metadata, a: left, b: right))
        }
    }
    for (path, right) in b.entries where a.entries[path] == nil {
        changes.append(FileChange(path: path, change: .added, a: nil, b: right))
    }
    return changes.sorted { MergedFilesystem.pathOrder($0.path, $1.path) }
}
