import FileTree
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

/// Something fetched: absent from its dictionary until asked for; then loading (`pending`),
/// there (`value`), or failed (`error`). A reload keeps the value on screen while it is pending.
public struct Loadable<Value: Sendable>: Sendable {
    public var value: Value?
    public var error: String?
    public var pending: RequestID?

    static func loading(_ id: RequestID) -> Loadable { Loadable(value: nil, error: nil, pending: id) }
}

/// A registry's repositories, as far as the catalog has been read.
public struct Catalog: Sendable {
    /// Repositories typed in (when the catalog is off) first, then the catalog's.
    public var list = FilteredList()
    public var names: [String] = []
    public var typed: [String] = []
    /// Where the next page starts; nil when the catalog has been read to the end.
    public var next: String?
    /// Why the registry lists no repositories, when it does not serve its catalog.
    public var unavailable = false

    mutating func refreshList() { list.setItems(typed + names) }
}

/// How the tags pane orders a repository's tags.
public enum TagOrder: String, Sendable, CaseIterable {
    /// Natural: `v1.9` before `v1.10`, `1.0-rc1` before `1.0`.
    case name
    /// Newest first.
    case created
    /// Largest first.
    case size

    /// The next order the sort key goes to.
    var next: TagOrder { TagOrder.allCases[(TagOrder.allCases.firstIndex(of: self)! + 1) % TagOrder.allCases.count] }
}

/// A repository's tags and what each points at.
public struct TagList: Sendable {
    public var list: FilteredList
    /// The tags in natural order, as listed.
    var names: [String] = []
    /// Digests found so far (filled lazily for the rows on screen, or for every tag while
    /// sorted by date or size).
    public var digests: [String: Digest] = [:]
    public var order: TagOrder = .name
    var requested: Set<String> = []
    /// Summary requests asked and not yet answered.
    var inFlight = 0
    /// Answers since the list was last sorted.
    var unsorted = 0
    /// Where in `names` the next tag to read for sorting is.
    var nextUnread = 0
    /// Tags whose summary has arrived.
    var summarised = 0
    /// Each tag's position in `names`, and the sort keys by position (size, created), kept as
    /// summaries arrive so sorting looks nothing up.
    var positions: [String: Int] = [:]
    var sizes: [Int64] = []
    var dates: [String] = []

    init(list: FilteredList) { self.list = list }
}

/// One row of the manifest tree.
public struct TreeRow: Sendable, Equatable {
    /// `files` is an image's merged filesystem, a child of its manifest.
    public enum Kind: Sendable, Equatable { case index, manifest, config, layer, files }
    public var kind: Kind
    public var depth: Int
    public var label: String
    public var descriptor: Descriptor
    /// A path of child positions from the root, naming the node.
    public var path: [Int]
    public var expandable: Bool
}

/// The manifest tree of one tag: its rows as shown (collapsed nodes' children left out, or, with
/// a filter, the matching rows and their ancestors), kept up to date as they change.
public struct TreeView: Sendable {
    public let tree: ImageTree
    public private(set) var collapsed: Set<[Int]>
    public private(set) var filter = ""
    public private(set) var rows: [TreeRow] = []
    public var cursor = ListCursor()

    init(tree: ImageTree) {
        self.tree = tree
        // Indexes start expanded one level: their platforms show, each platform's blobs do not.
        collapsed = tree.manifest.index == nil ? [] : Set(tree.children.indices.map { [$0] })
        rows = TreeFlattener.rows(tree, collapsed: collapsed)
    }

    public var selected: TreeRow? { rows.indices.contains(cursor.selected) ? rows[cursor.selected] : nil }

    mutating func toggle(_ path: [Int], collapsed isCollapsed: Bool) {
        if isCollapsed { collapsed.insert(path) } else { collapsed.remove(path) }
        reflow()
    }

    mutating func setFilter(_ text: String) {
        filter = text
        reflow()
    }

    private mutating func reflow() {
        let current = selected?.path
        rows = filter.isEmpty ? TreeFlattener.rows(tree, collapsed: collapsed) : TreeFlattener.rows(tree, matching: FilterMatcher(filter))
        if let current, let row = rows.firstIndex(where: { $0.path == current }) { cursor.selected = row }
        cursor.move(0, count: rows.count)
    }
}

/// A full-screen view over the panes.
public enum Overlay: Sendable {
    /// The keys, scrolled to `offset`.
    case help(offset: Int)
    /// Raw JSON (or other text) of a node, scrollable and searchable.
    case text(TextView)
    case diff(DiffView)
    /// An image's files, or one layer's.
    case files(FilesView)
}

/// Lines of text, scrolled, with a search.
public struct TextView: Sendable {
    public var title: String
    public var lines: [String]
    public var offset = 0
    /// Columns scrolled to the right.
    public var column = 0
    public var search = ""
    /// Lines that contain the search.
    public var matches: [Int] = []
    /// The match `n` and `N` are at (a line number), shown highlighted.
    public var current: Int?
}

/// The diff of two manifests, scrolled together.
public struct DiffView: Sendable {
    public var title: String
    /// The two sides: the marked item, and the one compared with it.
    public var a: ImageRef
    public var b: ImageRef
    public var request: RequestID
    public var comparison: ManifestComparison?
    public var rows: SideBySide?
    public var error: String?
    public var offset = 0
    public var column = 0
    /// Which files differ, once asked for (the `files` key).
    public var files: FileChanges?
    /// The body shows the file changes instead of the JSON side by side.
    public var showingFiles = false
}

/// The file-level differences of a diff's two images, read on request.
public struct FileChanges: Sendable {
    public var request: RequestID?
    public var changes: [FileChange]?
    /// The platform compared, when both sides are indexes.
    public var scope: String?
    public var error: String?
    public var offset = 0
}

/// A question on the status line, waiting for the person's answer.
public enum Prompt: Sendable {
    /// Where to copy `source`.
    case copy(CopyPrompt)
    /// Which repository to open on `registry` (for registries that do not list theirs).
    case openRepository(registry: String, text: String, completion: Completion, checking: RequestID?)
    /// Delete a tag or manifest, once the plan is read and confirmed.
    case delete(DeletePrompt)
    /// Which tags to add to a manifest.
    case addTags(TagPrompt)
    /// Quit although copies are running (they are cancelled)?
    case confirmQuit
}

/// Completion of typed text from known names, cycled with Tab.
public struct Completion: Sendable, Equatable {
    public var candidates: [String] = []
    /// The candidate shown, or -1 while the typed text stands.
    public var index = -1
}

/// The copy prompt: typing the destination, then checking it, then perhaps confirming.
public struct CopyPrompt: Sendable {
    public var source: ImageRef
    public var text: String
    public var completion = Completion()
    /// Why the typed destination cannot be used.
    public var error: String?
    /// The destination being checked, and the request doing it.
    public var destination: ImageRef?
    public var checking: RequestID?
    /// Set when the destination tag points elsewhere: the digest there, and the source's.
    public var confirmMove: (current: Digest, source: Digest)?
}

/// Deleting: reading the plan, showing it for a yes or no, then carrying it out.
public struct DeletePrompt: Sendable {
    /// The tag or manifest named.
    public var target: ImageRef
    /// Deleting only this tag (nil: the manifest with every tag on it).
    public var tag: String?
    public var plan: DeletePlan?
    /// The request reading the plan, then the one deleting.
    public var request: RequestID?
}

/// Adding tags to a manifest: typing them, then writing them.
public struct TagPrompt: Sendable {
    /// The manifest, by digest when known.
    public var source: ImageRef
    public var label: String
    public var text = ""
    public var error: String?
    public var request: RequestID?
}

/// A copy under way or done.
public struct TransferState: Sendable {
    public var id: RequestID
    public var source: ImageRef
    public var destination: ImageRef
    public var progress = TransferProgress()
    public var outcome: Outcome = .running

    public enum Outcome: Sendable, Equatable {
        case running, succeeded(String), failed(String), cancelled
    }
}

/// An item marked for diff.
public struct Mark: Sendable, Equatable {
    public var reference: ImageRef
    public var label: String
}

/// What is being typed into a list's or a view's filter.
public enum Editing: Sendable, Equatable {
    case filter(Pane)
    /// The search of the text view, or the filter of the files view, on top.
    case search
}

/// A message on the status line: from the last key, or an answer that needs saying.
public struct Status: Sendable, Equatable {
    public var text: String
    public var isError: Bool
}

/// Everything the UI shows. Changed only by `update`.
public struct AppState: Sendable {
    public var registries: FilteredList
    public var focus: Pane = .registries
    public var catalogs: [String: Loadable<Catalog>] = [:]
    public var tagLists: [String: Loadable<TagList>] = [:]
    /// The pull quotas registries announced (Docker Hub's), by registry.
    public var rateLimits: [String: RateLimit] = [:]
    /// Manifest summaries by digest (a digest names immutable bytes, so they never go stale).
    public var summaries: [Digest: ManifestSummary] = [:]
    public var trees: [String: Loadable<TreeView>] = [:]
    public var editing: Editing?
    /// Full-screen views, the top one shown (a file's content over the files view it came from).
    public var overlays: [Overlay] = []
    public var prompt: Prompt?
    public var mark: Mark?
    public var transfers: [TransferState] = []
    /// The copy pane has the focus: Esc or x cancels a running copy, Esc closes finished ones.
    public var transferFocused = false
    public var status: Status?
    /// Warnings from loading the keymap, shown in the help.
    public var warnings: [String]
    public var fullDigests = false
    public var keymap: Keymap
    public var color: Bool
    public var width: Int
    public var height: Int
    /// Set when the person has asked to quit; the runtime then ends once no copy runs.
    public var quit = false
    var requests = Requests()

    public init(registries: [String], keymap: Keymap = .builtIn, warnings: [String] = [], color: Bool = true,
                width: Int = 100, height: Int = 30) {
        self.registries = FilteredList(registries)
        self.keymap = keymap
        self.warnings = warnings
        self.color = color
        self.width = width
        self.height = height
        if !warnings.isEmpty {
            let count = warnings.count == 1 ? "a keymap warning" : "\(warnings.count) keymap warnings"
            status = Status(text: "\(count): press ? to read \(warnings.count == 1 ? "it" : "them")", isError: true)
        }
    }

    /// The view on top. Setting it replaces the top view (or opens one); nil closes the top one.
    public var overlay: Overlay? {
        get { overlays.last }
        set {
            if let newValue {
                if overlays.isEmpty { overlays.append(newValue) } else { overlays[overlays.count - 1] = newValue }
            } else {
                _ = overlays.popLast()
            }
        }
    }

    // MARK: Where the cursor is

    public var selectedRegistry: String? { registries.selected }

    /// The selected registry's catalog, when loaded.
    var catalog: Catalog? { selectedRegistry.flatMap { catalogs[$0]?.value } }

    public var selectedRepository: ImageRef? {
        guard let registry = selectedRegistry, let name = catalog?.list.selected else { return nil }
        return try? ImageRef.repository(name, in: registry)
    }

    var tagList: TagList? { selectedRepository.flatMap { tagLists[$0.name]?.value } }

    public var selectedTag: ImageRef? {
        guard let repository = selectedRepository, let tag = tagList?.list.selected else { return nil }
        return repository.with(tag: tag)
    }

    public var selectedTreeKey: String? { selectedTag?.description }

    var treeView: TreeView? { selectedTreeKey.flatMap { trees[$0]?.value } }

    public var selectedTreeRow: TreeRow? { treeView?.selected }

    /// The list a pane shows, if it shows one.
    func list(_ pane: Pane) -> FilteredList? {
        switch pane {
        case .registries: registries
        case .repositories: catalog?.list
        case .tags: tagList?.list
        case .tree: nil
        }
    }

    /// Rows in a pane now.
    func count(_ pane: Pane) -> Int { pane == .tree ? treeView?.rows.count ?? 0 : list(pane)?.count ?? 0 }

    /// The cursor of a pane's list.
    func cursor(_ pane: Pane) -> ListCursor { pane == .tree ? treeView?.cursor ?? ListCursor() : list(pane)?.cursor ?? ListCursor() }

    /// The filter typed on a pane's list.
    func filter(_ pane: Pane) -> String { pane == .tree ? treeView?.filter ?? "" : list(pane)?.filter ?? "" }

    /// Whether copies are running.
    var copying: Bool { transfers.contains { $0.outcome == .running } }
}
