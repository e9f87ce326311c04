/// A key press, mouse event or terminal resize, as the UI sees it.
public enum Key: Hashable, Sendable, CustomStringConvertible {
    case character(Character)
    /// Ctrl with a letter: `.control("f")`.
    case control(Character)
    case enter, escape, backspace, tab, backTab, delete
    case up, down, left, right, pageUp, pageDown, home, end
    case function(Int)
    case mouse(MouseEvent)
    case resize

    /// The name used in keymap files: `j`, `<Enter>`, `<Ctrl-f>`, `<Space>`, `<F1>`.
    public var description: String {
        switch self {
        case .character(" "): "<Space>"
        case .character("<"): "<Lt>"
        case .character(let c): String(c)
        case .control(let c): "<Ctrl-\(c)>"
        case .enter: "<Enter>"
        case .escape: "<Esc>"
        case .backspace: "<Backspace>"
        case .tab: "<Tab>"
        case .backTab: "<S-Tab>"
        case .delete: "<Delete>"
        case .up: "<Up>"
        case .down: "<Down>"
        case .left: "<Left>"
        case .right: "<Right>"
        case .pageUp: "<PageUp>"
        case .pageDown: "<PageDown>"
        case .home: "<Home>"
        case .end: "<End>"
        case .function(let n): "<F\(n)>"
        case .mouse: "<Mouse>"
        case .resize: "<Resize>"
        }
    }

    /// Parses a keymap key name; nil when it names no key.
    public init?(name: String) {
        if name.count == 1, let c = name.first, c != "<" || name == "<" {
            self = .character(c)
            return
        }
        guard name.hasPrefix("<"), name.hasSuffix(">"), name.count > 2 else { return nil }
        let inner = String(name.dropFirst().dropLast())
        let lower = inner.lowercased()
        for prefix in ["ctrl-", "c-"] where lower.hasPrefix(prefix) && inner.count == prefix.count + 1 {
            let letter = Character(String(lower.suffix(1)))
            guard letter.isLetter else { return nil }
            self = .control(letter)
            return
        }
        if lower.hasPrefix("f"), let n = Int(lower.dropFirst()), (1...12).contains(n) {
            self = .function(n)
            return
        }
        let named: [String: Key] = [
            "enter": .enter, "cr": .enter, "return": .enter, "esc": .escape, "escape": .escape, "backspace": .backspace,
            "bs": .backspace, "tab": .tab, "s-tab": .backTab, "backtab": .backTab, "delete": .delete, "del": .delete,
            "up": .up, "down": .down, "left": .left, "right": .right, "pageup": .pageUp, "pgup": .pageUp,
            "pagedown": .pageDown, "pgdn": .pageDown, "home": .home, "end": .end, "space": .character(" "),
            "lt": .character("<"),
        ]
        guard let key = named[lower] else { return nil }
        self = key
    }
}

/// A mouse click or wheel turn at a cell.
public struct MouseEvent: Hashable, Sendable {
    public enum Kind: Hashable, Sendable { case press, wheelUp, wheelDown }
    public var kind: Kind
    public var x: Int
    public var y: Int

    public init(kind: Kind, x: Int, y: Int) {
        self.kind = kind
        self.x = x
        self.y = y
    }
}

/// Key bindings per context, read from tig-like files:
///
///     # comment
///     bind CONTEXT KEY ACTION
///
/// Later lines override earlier ones. Lines that name an unknown context, key or action are
/// skipped with a warning `file:line: message`.
public struct Keymap: Sendable {
    public private(set) var bindings: [String: [Key: String]] = [:]
    /// Each context's keys in the order they were first bound, so the first key written for an
    /// action is the one hints show.
    private var order: [String: [Key]] = [:]

    public init() {}

    /// Adds the bindings in `text` (from `file`, for warnings). Returns the warnings.
    @discardableResult
    public mutating func load(_ text: String, file: String, contexts: Set<String>, actions: Set<String>) -> [String] {
        var warnings: [String] = []
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard !words.isEmpty else { continue }
            func warn(_ message: String) { warnings.append("\(file):\(number + 1): \(message)") }
            guard words[0] == "bind" else { warn("unknown command \"\(words[0])\"; lines look like: bind CONTEXT KEY ACTION"); continue }
            guard words.count == 4 else { warn("expected: bind CONTEXT KEY ACTION"); continue }
            guard contexts.contains(words[1]) else {
                warn("unknown context \"\(words[1])\" (one of: \(contexts.sorted().joined(separator: ", ")))")
                continue
            }
            guard let key = Key(name: words[2]) else { warn("unknown key \"\(words[2])\" (e.g. j, <Enter>, <Ctrl-f>, <PageDown>)"); continue }
            guard actions.contains(words[3]) else { warn("unknown action \"\(words[3])\""); continue }
            if bindings[words[1]]?[key] == nil { order[words[1], default: []].append(key) }
            bindings[words[1], default: [:]][key] = words[3]
        }
        return warnings
    }

    /// The action bound to `key`, looking through `contexts` in order.
    public func action(for key: Key, in contexts: [String]) -> String? {
        for context in contexts { if let action = bindings[context]?[key] { return action } }
        return nil
    }

    /// The keys bound to `action` in `context`, in the order they were bound.
    public func keys(for action: String, in context: String) -> [Key] {
        (order[context] ?? []).filter { bindings[context]?[$0] == action }
    }
}
