import ManifestDiff
import OCI
import TerminalUI
import TransferModel

/// The panes, left to right.
public enum Pane: Int, Sendable, CaseIterable {
    case registries, repositories, tags, tree

    var title: String {
        switch self {
        case .registries: "Registries"
        case .repositories: "Repositories"
        case .tags: "Tags"
        case .tree: "Manifest"
        }
    }
}

/// Something loaded from the network: not yet asked, on its way, there, or failed.
public enum Loadable<Value: Sendable>: Sendable {
    case idle, loading, loaded(Value), failed(String)

    public var value: Value? { if case .loaded(let value) = self { value } else { nil } }
    var isLoading: Bool { if case .loading = self { true } else { false } }
    var error: String? { if case .failed(let message) = self { message } else { nil } }
}

/// A registry's repositories, as far as the catalog has been read.
public struct Catalog: Sendable {
    public var names: [String] = []
    /// Where the next page starts; nil when the catalog has been read to the end.
    public var next: String?
    public var loadingMore = false
    /// Repositories the person typed in (when the catalog is off).
    public var typed: [String] = []
    /// Why the registry lists no repositories, when it does not serve its catalog.
    public var unavailable: String?
    public var all: [String] { typed + names }
}

/// A repository's tags and what each points at.
public struct TagList: Sendable {
    public var tags: [String]
    /// Digests found so far (filled lazily for the rows on screen).
    public var digests: [String: Digest] = [:]
    public var requested: Set<String> = []
}

/// One row of the manifest tree.
public struct TreeRow: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case index, manifest, config, layer }
    public var kind: Kind
    public var depth: Int
    public var label: String
    public var descriptor: Descriptor
    /// A path of child positions from the root, naming the node.
    public var path: [Int]
    public var expandable: Bool
}

/// The manifest tree of one reference.
public struct TreeView: Sendable {
    public var tree: ImageTree
    public var collapsed: Set<[Int]> = []
    public var cursor = ListCursor()
}

/// A full-screen view over the panes.
public enum Overlay: Sendable {
    case help
    /// Raw JSON (or other text) of a node, scrollable.
    case text(title: String, lines: [String], offset: Int)
    case diff(DiffView)
}

/// The diff of two manifests, scrolled together.
public struct DiffView: Sendable {
    public var title: String
    public var comparison: ManifestComparison?
    public var rows: SideBySide?
    public var error: String?
    public var offset = 0
}

/// What a copy prompt or confirmation is asking.
public struct CopyPrompt: Sendable {
    public var source: Reference
    public var sourceDigest: Digest?
    public var text: String
    /// Completions cycled with Tab, and which one is shown.
    public var completions: [String] = []
    public var completionIndex = -1
    /// Set when the destination tag points elsewhere: the person must answer y/n.
    public var confirmMove: Digest?
    public var destination: Reference?
}

/// A copy under way or done.
public struct TransferState: Sendable {
    public var id: Int
    public var source: Reference
    public var destination: Reference
    public var totalBytes: Int64 = 0
    public var movedBytes: Int64 = 0
    public var blobs = 0
    public var blobsDone = 0
    public var active: [Digest: (done: Int64, size: Int64)] = [:]
    public var outcome: Outcome = .running

    public enum Outcome: Sendable, Equatable {
        case running, succeeded(String), failed(String), cancelled
    }
}

/// An item marked for diff.
public struct Mark: Sendable, Equatable {
    public var reference: Reference
    public var label: String
}

/// Everything the UI shows. Changed only by `update`.
public struct AppState: Sendable {
    public var registries: [String]
    public var focus: Pane = .registries
    public var cursors: [Pane: ListCursor] = [:]
    public var catalogs: [String: Loadable<Catalog>] = [:]
    public var tagLists: [String: Loadable<TagList>] = [:]
    public var trees: [String: Loadable<TreeView>] = [:]
    public var filters: [Pane: String] = [:]
    /// The pane whose filter is being typed, if any.
    public var editingFilter: Pane?
    /// A repository being typed (open-repository), if any.
    public var typingRepository: String?
    public var overlay: Overlay?
    public var prompt: CopyPrompt?
    public var mark: Mark?
    public var transfers: [TransferState] = []
    /// The copy pane has the focus: Esc or x cancels the running copy.
    public var transferFocused = false
    public var status: (text: String, isError: Bool)?
    public var fullDigests = false
    public var keymap: Keymap
    public var color: Bool
    public var width: Int
    public var height: Int
    public var quit = false
    /// Ids of requests, so answers to questions no longer asked are dropped.
    var nextRequest = 1
    var pendingDiff: Int?

    public init(registries: [String], keymap: Keymap = .builtIn, warnings: [String] = [], color: Bool = true,
                width: Int = 100, height: Int = 30) {
        self.registries = registries
        self.keymap = keymap
        self.color = color
        self.width = width
        self.height = height
        if let first = warnings.first {
            status = (warnings.count == 1 ? first : "\(first) (and \(warnings.count - 1) more keymap warnings)", true)
        }
    }

    // MARK: Where the cursor is

    public var selectedRegistry: String? {
        let cursor = cursors[.registries] ?? ListCursor()
        return registries.indices.contains(cursor.selected) ? registries[cursor.selected] : nil
    }

    /// Repositories of the selected registry, filtered.
    public var visibleRepositories: [String] {
        guard let registry = selectedRegistry, let catalog = catalogs[registry]?.value else { return [] }
        return filtered(catalog.all, .repositories)
    }

    public var selectedRepository: Reference? {
        guard let registry = selectedRegistry else { return nil }
        let names = visibleRepositories
        let cursor = cursors[.repositories] ?? ListCursor()
        guard names.indices.contains(cursor.selected) else { return nil }
        return try? Reference(parsingRepository: "\(registry)/\(names[cursor.selected])")
    }

    public var visibleTags: [String] {
        guard let repository = selectedRepository, let list = tagLists[repository.name]?.value else { return [] }
        return filtered(list.tags, .tags)
    }

    public var selectedTag: Reference? {
        guard let repository = selectedRepository else { return nil }
        let tags = visibleTags
        let cursor = cursors[.tags] ?? ListCursor()
        guard tags.indices.contains(cursor.selected) else { return nil }
        return repository.with(tag: tags[cursor.selected])
    }

    public var selectedTreeKey: String? { selectedTag?.description }

    /// The rows of the selected tag's manifest tree, collapsed nodes hidden.
    public var treeRows: [TreeRow] {
        guard let key = selectedTreeKey, let view = trees[key]?.value else { return [] }
        return TreeFlattener.rows(view.tree, collapsed: view.collapsed)
    }

    public var selectedTreeRow: TreeRow? {
        guard let key = selectedTreeKey, let view = trees[key]?.value else { return nil }
        let rows = treeRows
        return rows.indices.contains(view.cursor.selected) ? rows[view.cursor.selected] : nil
    }

    func filtered(_ items: [String], _ pane: Pane) -> [String] {
        guard let filter = filters[pane], !filter.isEmpty else { return items }
        let matcher = FilterMatcher(filter)
        return items.filter(matcher.matches)
    }

    /// Rows in each pane's list now, for cursor arithmetic.
    func count(_ pane: Pane) -> Int {
        switch pane {
        case .registries: registries.count
        case .repositories: visibleRepositories.count
        case .tags: visibleTags.count
        case .tree: treeRows.count
        }
    }
}

/// Case-insensitive substring matching for filters, on bytes: Foundation's locale-aware
/// matching took 450 ms a keystroke over 50,000 tags.
struct FilterMatcher {
    private let needle: [UInt8]
    private let ascii: Bool
    private let lowered: String

    init(_ filter: String) {
        lowered = filter.lowercased()
        needle = Array(lowered.utf8)
        ascii = needle.allSatisfy { $0 < 0x80 }
    }

    func matches(_ text: String) -> Bool {
        guard ascii else { return text.lowercased().contains(lowered) }
        var text = text
        return text.withUTF8 { haystack in
            guard haystack.count >= needle.count else { return false }
            let first = needle[0]
            var start = 0
            while start + needle.count <= haystack.count {
                if Self.fold(haystack[start]) == first {
                    var index = 1
                    while index < needle.count && Self.fold(haystack[start + index]) == needle[index] { index += 1 }
                    if index == needle.count { return true }
                }
                start += 1
            }
            return false
        }
    }

    private static func fold(_ byte: UInt8) -> UInt8 { (65...90).contains(byte) ? byte + 32 : byte }
}
