import CCursesShims
import CNcursesw
import Foundation
import TerminalUI

/// The terminal, through ncursesw: owns the screen while it lives, draws only the cells that
/// changed since the last frame, and turns input into `Key`s. Use it from one thread only.
public final class CursesTerminal {
    private var previous: Buffer?
    private var pairs: [Int: Int16] = [:]
    private let colors: Bool
    private var restored = false

    /// Takes over the terminal. `colors` false draws with attributes only (for NO_COLOR).
    public init(colors: Bool) throws {
        setlocale(LC_ALL, "")
        guard initscr() != nil else { throw CursesError("cannot start the terminal UI: is TERM set to a known terminal?") }
        regtui_restore_terminal_on_fatal_signals()
        raw()
        noecho()
        nonl()
        keypad(regtui_stdscr(), true)
        nodelay(regtui_stdscr(), true)
        set_escdelay(25)
        curs_set(0)
        mousemask(regtui_mouse_mask(), nil)
        mouseinterval(0)
        self.colors = colors && has_colors()
        if self.colors {
            start_color()
            use_default_colors()
        }
    }

    deinit { restore() }

    /// Gives the terminal back as it was. Safe to call more than once.
    public func restore() {
        guard !restored else { return }
        restored = true
        endwin()
    }

    /// The screen size in cells.
    public var size: (width: Int, height: Int) { (Int(regtui_cols()), Int(regtui_lines())) }

    /// The descriptor to wait on for input.
    public var inputDescriptor: Int32 { STDIN_FILENO }

    /// Shows `buffer`, writing only cells that differ from the last frame.
    public func draw(_ buffer: Buffer) {
        let full = previous == nil || previous!.width != buffer.width || previous!.height != buffer.height
        if full { wclear(regtui_stdscr()) }
        for y in 0..<buffer.height {
            for x in 0..<buffer.width {
                let cell = buffer[x, y]
                if cell.continuation { continue }
                if !full, let previous, previous[x, y] == cell { continue }
                put(cell, x: x, y: y)
            }
        }
        previous = buffer
        wnoutrefresh(regtui_stdscr())
        doupdate()
    }

    /// Forgets the last frame, so the next draw repaints everything (after a resize).
    public func invalidate() { previous = nil }

    private func put(_ cell: Cell, x: Int, y: Int) {
        var attributes: attr_t = 0
        if cell.style.bold { attributes |= regtui_attr_bold() }
        if cell.style.dim { attributes |= regtui_attr_dim() }
        if cell.style.reverse { attributes |= regtui_attr_reverse() }
        if cell.style.underline { attributes |= regtui_attr_underline() }
        let pair = colors ? pairNumber(cell.style) : 0
        var scalars = Array(cell.text.unicodeScalars.prefix(Int(CCHARW_MAX) - 1).map { wchar_t(bitPattern: $0.value) })
        if scalars.isEmpty { scalars = [wchar_t(32)] }
        scalars.append(0)
        var character = cchar_t()
        setcchar(&character, scalars, attributes, pair, nil)
        mvwadd_wch(regtui_stdscr(), Int32(y), Int32(x), &character)
    }

    private func pairNumber(_ style: Style) -> Int16 {
        if style.foreground == .default && style.background == .default { return 0 }
        let key = (style.foreground.rawValue + 1) * 32 + style.background.rawValue + 1
        if let pair = pairs[key] { return pair }
        let pair = Int16(pairs.count + 1)
        init_pair(pair, Int16(style.foreground.rawValue), Int16(style.background.rawValue))
        pairs[key] = pair
        return pair
    }

    /// Every key waiting, without blocking.
    public func readKeys() -> [Key] {
        var keys: [Key] = []
        var character: wint_t = 0
        while true {
            let result = wget_wch(regtui_stdscr(), &character)
            if result == ERR { break }
            if result == regtui_key_code_yes() {
                if let key = Self.special(Int32(character)) { keys.append(key) }
            } else if let key = Self.character(UInt32(character)) {
                keys.append(key)
            }
        }
        return keys
    }

    /// Writes `sequence` straight to the terminal (OSC 52 clipboard), outside curses' screen.
    public func send(_ sequence: String) {
        FileHandle.standardOutput.write(Data(sequence.utf8))
    }

    static func character(_ code: UInt32) -> Key? {
        switch code {
        case 13, 10: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 9: return .tab
        case 1...26: return .control(Character(Unicode.Scalar(code + 96)!))
        default: return Unicode.Scalar(code).map { .character(Character($0)) }
        }
    }

    static func special(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_BTAB: return .backTab
        case KEY_ENTER: return .enter
        case KEY_RESIZE: return .resize
        case KEY_MOUSE:
            var x: Int32 = 0, y: Int32 = 0, kind: Int32 = 0
            guard regtui_mouse_event(&x, &y, &kind) == 0 else { return nil }
            let event: MouseEvent.Kind = kind == 1 ? .wheelUp : (kind == 2 ? .wheelDown : .press)
            return .mouse(MouseEvent(kind: event, x: Int(x), y: Int(y)))
        case KEY_F0 + 1...KEY_F0 + 12: return .function(Int(code - KEY_F0))
        default: return nil
        }
    }
}

/// Why the terminal UI could not start.
public struct CursesError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
