import CCursesShims
import CNcursesw
import Foundation
import TerminalUI

/// The terminal, through ncursesw: owns the screen while it lives, draws only the cells that
/// changed since the last frame, and turns input into `Key`s. Use it from one thread only.
///
/// Mouse reports are decoded here, not by ncurses: regtui asks the terminal for SGR reports
/// (`CSI ? 1006 h`) itself and reads both report forms, `CSI < b;x;y M` and the older
/// `CSI M bxy`, so a click is a click whatever the terminfo entry says (`tmux-256color`
/// declares `kmous=\E[M` where tmux sends SGR reports).
public final class CursesTerminal: TerminalDevice {
    private let screen: OpaquePointer
    private let input: Int32
    private let output: Int32
    private var previous: Buffer?
    private var pairs: [Int: Int16] = [:]
    private let colors: Bool
    private var restored = false

    /// Key codes regtui defines for the two mouse report prefixes.
    private static let sgrMouse: Int32 = 0x1001, x10Mouse: Int32 = 0x1002

    /// Takes over the terminal of type `term` (default: `$TERM`) on `input` and `output`.
    /// `colors` false draws with attributes only (for NO_COLOR).
    public init(colors: Bool, term: String? = nil, input: Int32 = STDIN_FILENO, output: Int32 = STDOUT_FILENO) throws {
        setlocale(LC_ALL, "")
        let type = term ?? ProcessInfo.processInfo.environment["TERM"]
        guard let inFile = regtui_fdopen(dup(input), "r"), let outFile = regtui_fdopen(dup(output), "w") else {
            throw CursesError("cannot open the terminal's input and output")
        }
        guard let screen = newterm(type, outFile, inFile) else {
            throw CursesError("cannot start the terminal UI: the terminal type \(type ?? "(none)") is unknown; set TERM to one this machine knows, e.g. xterm-256color")
        }
        self.screen = screen
        self.input = input
        self.output = output
        set_term(screen)
        regtui_restore_terminal_on_fatal_signals(output)
        raw()
        noecho()
        nonl()
        keypad(regtui_stdscr(), true)
        nodelay(regtui_stdscr(), true)
        set_escdelay(25)
        curs_set(0)
        // Mouse reports arrive as keys regtui decodes itself; terminfo's own entry is set aside.
        if let kmous = tigetstr("kmous"), Int(bitPattern: kmous) > 0 { define_key(kmous, 0) }
        define_key("\u{1b}[<", Self.sgrMouse)
        define_key("\u{1b}[M", Self.x10Mouse)
        self.colors = colors && has_colors()
        if self.colors {
            start_color()
            use_default_colors()
        }
        send("\u{1b}[?1000h\u{1b}[?1006h")
    }

    deinit {
        restore()
        delscreen(screen)
    }

    public func restore() {
        guard !restored else { return }
        restored = true
        send("\u{1b}[?1006l\u{1b}[?1000l")
        endwin()
    }

    public var size: (width: Int, height: Int) { (Int(regtui_cols()), Int(regtui_lines())) }

    public var inputDescriptor: Int32 { input }

    public func resize() -> (width: Int, height: Int) {
        var window = winsize()
        if ioctl(output, UInt(TIOCGWINSZ), &window) == 0, window.ws_row > 0, window.ws_col > 0 {
            resizeterm(Int32(window.ws_row), Int32(window.ws_col))
        }
        previous = nil
        return size
    }

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

    public func readKeys() -> [Key] {
        var keys: [Key] = []
        while let (code, special) = nextCode() {
            if special {
                switch code {
                case Self.sgrMouse: if let event = readSGRMouse() { keys.append(.mouse(event)) }
                case Self.x10Mouse: if let event = readX10Mouse() { keys.append(.mouse(event)) }
                default: if let key = Self.special(code) { keys.append(key) }
                }
            } else if let key = Self.character(UInt32(code)) {
                keys.append(key)
            }
        }
        return keys
    }

    /// The next input code and whether it is a key code (not a character); nil when none waits.
    private func nextCode() -> (Int32, Bool)? {
        var character: wint_t = 0
        let result = wget_wch(regtui_stdscr(), &character)
        if result == ERR { return nil }
        return (Int32(bitPattern: character), result == regtui_key_code_yes())
    }

    /// The rest of an SGR report after `CSI <`: `b;x;y` then `M` (press) or `m` (release).
    private func readSGRMouse() -> MouseEvent? {
        var text = ""
        wtimeout(regtui_stdscr(), 50)
        defer { nodelay(regtui_stdscr(), true) }
        while text.count < 24, let (code, special) = nextCode(), !special, let scalar = Unicode.Scalar(UInt32(code)) {
            if scalar == "M" || scalar == "m" { return Self.sgrEvent(text, pressed: scalar == "M") }
            text.unicodeScalars.append(scalar)
        }
        return nil
    }

    /// The three bytes of an old-style report after `CSI M`: button, column and row, each + 32.
    private func readX10Mouse() -> MouseEvent? {
        var values: [Int] = []
        wtimeout(regtui_stdscr(), 50)
        defer { nodelay(regtui_stdscr(), true) }
        while values.count < 3, let (code, special) = nextCode(), !special { values.append(Int(code) - 32) }
        guard values.count == 3 else { return nil }
        return Self.event(button: values[0], x: values[1] - 1, y: values[2] - 1, pressed: values[0] & 3 != 3)
    }

    /// Decodes `b;x;y` of an SGR report (1-based cells).
    static func sgrEvent(_ text: String, pressed: Bool) -> MouseEvent? {
        let parts = text.split(separator: ";").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        return event(button: parts[0], x: parts[1] - 1, y: parts[2] - 1, pressed: pressed)
    }

    /// A press of the first button or a wheel turn; releases and motion are not events here.
    static func event(button: Int, x: Int, y: Int, pressed: Bool) -> MouseEvent? {
        guard pressed, button & 32 == 0, x >= 0, y >= 0 else { return nil }
        switch button & ~(4 | 8 | 16) {
        case 0: return MouseEvent(kind: .press, x: x, y: y)
        case 64: return MouseEvent(kind: .wheelUp, x: x, y: y)
        case 65: return MouseEvent(kind: .wheelDown, x: x, y: y)
        default: return nil
        }
    }

    public func send(_ sequence: String) {
        POSIXWrite.all(Array(sequence.utf8), to: output)
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
        case KEY_F0 + 1...KEY_F0 + 12: return .function(Int(code - KEY_F0))
        default: return nil
        }
    }
}

/// Writes to a descriptor, retrying interrupted writes.
enum POSIXWrite {
    static func all(_ bytes: [UInt8], to descriptor: Int32) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, bytes.count - offset) }
            if written > 0 { offset += written } else if !(written < 0 && errno == EINTR) { return }
        }
    }
}

/// Why the terminal UI could not start.
public struct CursesError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
