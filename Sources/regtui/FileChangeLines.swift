import LayerFiles
import ManifestDiff
import OCI

/// The human view of `diff --files`: counts, then one line per path that differs.
enum FileChangeLines {
    /// Paths listed before the rest are only counted (`--json` lists every one).
    static let limit = 500

    static func lines(_ changes: [FileChange]) -> [TextLine] {
        func count(_ kind: FileChange.Kind) -> Int { changes.filter { $0.change == kind }.count }
        var out = [TextLine("files: ", .bold) + TextLine("\(count(.added)) added, \(count(.removed)) removed, \(count(.modified)) modified, "
                                                          + "\(count(.metadata)) with only mode or owner changed")]
        for change in changes.prefix(limit) {
            let mark: TextLine = switch change.change {
            case .added: TextLine("+", .green)
            case .removed: TextLine("-", .red)
            case .modified: TextLine("~", .yellow)
            case .metadata: TextLine("m", .dim)
            }
            out.append(TextLine("  ") + mark + TextLine(" \(change.path)\(detail(change))"))
        }
        if changes.count > limit { out.append(TextLine("  … and \(changes.count - limit) more (--json lists every one)", .dim)) }
        return out
    }

    /// What changed, in a few words.
    static func detail(_ change: FileChange) -> String {
        guard let a = change.a, let b = change.b else {
            let entry = change.a ?? change.b
            return entry.map { $0.type == .file ? "  (\(ByteCount.format($0.size)), layer \($0.layer))" : "  (\($0.type.rawValue))" } ?? ""
        }
        if a.type != b.type { return "  (\(a.type.rawValue) → \(b.type.rawValue))" }
        if a.linkTarget != b.linkTarget { return "  (link \(a.linkTarget ?? "") → \(b.linkTarget ?? ""))" }
        if change.change == .modified { return "  (content: \(ByteCount.format(a.size)) → \(ByteCount.format(b.size)))" }
        var parts: [String] = []
        if a.mode != b.mode { parts.append("mode \(a.octalMode) → \(b.octalMode)") }
        if a.uid != b.uid || a.gid != b.gid { parts.append("owner \(a.uid):\(a.gid) → \(b.uid):\(b.gid)") }
        if a.mtime != b.mtime { parts.append("mtime \(a.mtime) → \(b.mtime)") }
        return "  (" + parts.joined(separator: ", ") + ")"
    }
}
