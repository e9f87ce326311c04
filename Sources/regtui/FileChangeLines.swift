import FileTree
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
            let paint: TextLine.Paint = switch change.change {
            case .added: .green
            case .removed: .red
            case .modified: .yellow
            case .metadata: .dim
            }
            let mark = TextLine(String(change.mark), paint)
            out.append(TextLine("  ") + mark + TextLine(" \(change.path)  \(change.summary)"))
        }
        if changes.count > limit { out.append(TextLine("  … and \(changes.count - limit) more (--json lists every one)", .dim)) }
        return out
    }
}
