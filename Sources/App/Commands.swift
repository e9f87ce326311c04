import TerminalUI

/// Every action a key can be bound to, with the help text the help overlay shows.
public enum Command: String, CaseIterable, Sendable {
    case moveDown = "move-down", moveUp = "move-up", pageDown = "page-down", pageUp = "page-up"
    case top, bottom
    case open, back
    case filter
    case mark, diff, copy
    case refresh
    case sortTags = "sort-tags"
    case delete
    case addTag = "add-tag"
    case yankDigest = "yank-digest"
    case toggleDigests = "toggle-digests"
    case openRepository = "open-repository"
    case nextChange = "next-change", previousChange = "previous-change"
    case scrollLeft = "scroll-left", scrollRight = "scroll-right"
    case cancelTransfer = "cancel-transfer"
    case focusTransfers = "focus-transfers"
    case files
    case help, quit

    /// What the action does, for the help overlay.
    public var help: String {
        switch self {
        case .moveDown: "move down"
        case .moveUp: "move up"
        case .pageDown: "page down"
        case .pageUp: "page up"
        case .top: "go to the top"
        case .bottom: "go to the bottom"
        case .open: "open: next pane, expand a node, raw JSON, a layer's files"
        case .back: "go back a pane, close a view"
        case .filter: "filter the pane, or search the text (type to narrow, Enter keeps, Esc clears)"
        case .mark: "mark the item for diff"
        case .diff: "diff the marked item against this one"
        case .copy: "copy this tag or manifest to another registry"
        case .refresh: "reload the pane"
        case .sortTags: "sort the tags by name, date (newest first) or size (largest first)"
        case .delete: "delete the tag or manifest, after showing everything that goes with it"
        case .addTag: "add tags to this manifest (same repository, no blob moved)"
        case .yankDigest: "copy the digest to the clipboard (OSC 52)"
        case .toggleDigests: "show short or full digests"
        case .openRepository: "type a repository to open (when the catalog is off)"
        case .nextChange: "next change (diff) or match (search)"
        case .previousChange: "previous change or match"
        case .scrollLeft: "scroll the text left"
        case .scrollRight: "scroll the text right, to read what is cut"
        case .cancelTransfer: "cancel the running copy (no tag is written)"
        case .focusTransfers: "focus the copy pane (then Esc or x cancels the copy, Esc closes finished ones)"
        case .files: "show which files differ (diff view; again for the JSON)"
        case .help: "show this help"
        case .quit: "quit (asks first while a copy runs)"
        }
    }
}

/// The keymap contexts: `global` applies everywhere; the others where their view has focus.
public enum KeyContext: String, CaseIterable, Sendable {
    case global, list, tree, json, diff

    /// The contexts a view looks keys up in, most specific first.
    static func chain(_ context: KeyContext) -> [String] {
        context == .global ? ["global"] : [context.rawValue, "global"]
    }
}

extension Keymap {
    /// Loads a keymap file's text, checking names against regtui's contexts and actions.
    @discardableResult
    public mutating func load(regtuiKeymap text: String, file: String) -> [String] {
        load(text, file: file, contexts: Set(KeyContext.allCases.map(\.rawValue)), actions: Set(Command.allCases.map(\.rawValue)))
    }

    /// The keymap built into regtui: the same as `keymaps/default`.
    public static let builtIn: Keymap = {
        var keymap = Keymap()
        keymap.load(regtuiKeymap: defaultKeymapText, file: "built-in")
        return keymap
    }()

    /// The built-in bindings, in the keymap file format.
    public static let defaultKeymapText = """
    # regtui default keymap: bind CONTEXT KEY ACTION
    # Contexts: global (everywhere), list, tree, json, diff. Keys: j, <Enter>, <Ctrl-f>, <PageDown>, <Space>, <F1>.
    bind global j        move-down
    bind global <Down>   move-down
    bind global k        move-up
    bind global <Up>     move-up
    bind global <PageDown> page-down
    bind global <Ctrl-f> page-down
    bind global <PageUp> page-up
    bind global <Ctrl-b> page-up
    bind global g        top
    bind global <Home>   top
    bind global G        bottom
    bind global <End>    bottom
    bind global <Enter>  open
    bind global l        open
    bind global <Right>  open
    bind global h        back
    bind global <Left>   back
    bind global <Backspace> back
    bind global <Esc>    back
    bind global /        filter
    bind global m        mark
    bind global d        diff
    bind global c        copy
    bind global r        refresh
    bind global s        sort-tags
    bind global D        delete
    bind global T        add-tag
    bind global y        yank-digest
    bind global t        toggle-digests
    bind global o        open-repository
    bind global x        cancel-transfer
    bind global <Tab>    focus-transfers
    bind global ?        help
    bind global q        quit
    bind global <Ctrl-c> quit
    bind diff   n        next-change
    bind diff   N        previous-change
    bind diff   f        files
    bind diff   <Lt>     scroll-left
    bind diff   >        scroll-right
    bind json   n        next-change
    bind json   N        previous-change
    bind json   <Lt>     scroll-left
    bind json   >        scroll-right
    """
}
