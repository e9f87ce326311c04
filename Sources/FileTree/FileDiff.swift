import OCI
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

extension FileChange {
    /// What changed, in a few words: `(mode 0600 → 0644)`, `(link a → b)`, `(1.2 KiB, layer 3)`.
    public var summary: String {
        guard let a, let b else {
            let entry = a ?? b
            return entry.map { $0.type == .file ? "(\(ByteCount.format($0.size)), layer \($0.layer))" : "(\($0.type.rawValue))" } ?? ""
        }
        if a.type != b.type { return "(\(a.type.rawValue) → \(b.type.rawValue))" }
        if a.linkTarget != b.linkTarget { return "(link \(a.linkTarget ?? "") → \(b.linkTarget ?? ""))" }
        if change == .modified { return "(content: \(ByteCount.format(a.size)) → \(ByteCount.format(b.size)))" }
        var parts: [String] = []
        if a.mode != b.mode { parts.append("mode \(a.octalMode) → \(b.octalMode)") }
        if a.uid != b.uid || a.gid != b.gid { parts.append("owner \(a.uid):\(a.gid) → \(b.uid):\(b.gid)") }
        if a.mtime != b.mtime { parts.append("mtime \(a.mtime) → \(b.mtime)") }
        return "(" + parts.joined(separator: ", ") + ")"
    }

    /// The one-character mark lists show: `+` added, `-` removed, `~` modified, `m` metadata.
    public var mark: Character {
        switch change {
        case .added: "+"
        case .removed: "-"
        case .modified: "~"
        case .metadata: "m"
        }
    }
}
