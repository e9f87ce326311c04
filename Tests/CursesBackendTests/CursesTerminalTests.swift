import CursesBackend
import Foundation
import TerminalUI
import Testing

/// The real curses backend on pipes (`newterm`, no terminal needed): what each terminal type's
/// keys and mouse reports decode to, and what a frame writes.
@Suite(.serialized) struct CursesTerminalTests {
    /// A curses terminal of type `term` on pipes: bytes written to `keyboard` are its input, and
    /// what it draws can be read from `display`.
    final class Pipes {
        let terminal: CursesTerminal
        let keyboard: Int32
        let display: Int32

        init(_ term: String) throws {
            var input: [Int32] = [0, 0], output: [Int32] = [0, 0]
            pipe(&input)
            pipe(&output)
            _ = fcntl(output[0], F_SETFL, O_NONBLOCK)
            terminal = try CursesTerminal(colors: true, term: term, input: input[0], output: output[1])
            keyboard = input[1]
            display = output[0]
        }

        /// Types `bytes` and reads the keys they decode to.
        func keys(_ bytes: String) -> [Key] {
            _ = bytes.utf8CString.withUnsafeBufferPointer { write(keyboard, $0.baseAddress, $0.count - 1) }
            return terminal.readKeys()
        }

        /// What the terminal has written since the last call.
        func written() -> [UInt8] {
            var all: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = read(display, &chunk, chunk.count)
                if count <= 0 { return all }
                all += chunk[0..<count]
            }
        }

        deinit { terminal.restore() }
    }

    static let terms = ["xterm-256color", "tmux-256color", "screen-256color"]

    @Test(arguments: terms) func keysDecode(term: String) throws {
        let pipes = try Pipes(term)
        #expect(pipes.keys("j") == [.character("j")])
        #expect(pipes.keys("\r") == [.enter])
        #expect(pipes.keys("\u{06}") == [.control("f")])
        #expect(pipes.keys("\u{7f}") == [.backspace])
        #expect(pipes.keys("\u{1b}OA") == [.up])
        #expect(pipes.keys("\u{1b}[6~") == [.pageDown])
        #expect(pipes.keys("\u{1b}OP") == [.function(1)])
        #expect(pipes.keys("é漢") == [.character("é"), .character("漢")])
    }

    /// A click is a click whatever the terminfo entry says: tmux-256color declares `kmous=\E[M`,
    /// but terminals send SGR reports once asked for them, and regtui asks.
    @Test(arguments: terms) func mouseReportsDecodeInBothForms(term: String) throws {
        let pipes = try Pipes(term)
        #expect(pipes.keys("\u{1b}[<0;5;3M") == [.mouse(MouseEvent(kind: .press, x: 4, y: 2))])
        #expect(pipes.keys("\u{1b}[<0;5;3m").isEmpty, "a release is not a click")
        #expect(pipes.keys("\u{1b}[<64;10;7M") == [.mouse(MouseEvent(kind: .wheelUp, x: 9, y: 6))])
        #expect(pipes.keys("\u{1b}[<65;10;7M") == [.mouse(MouseEvent(kind: .wheelDown, x: 9, y: 6))])
        #expect(pipes.keys("\u{1b}[<32;5;3M").isEmpty, "motion is not a click")
        #expect(pipes.keys("\u{1b}[M %#") == [.mouse(MouseEvent(kind: .press, x: 4, y: 2))], "the older form")
        #expect(pipes.keys("\u{1b}[<0;5;3Mj") == [.mouse(MouseEvent(kind: .press, x: 4, y: 2)), .character("j")])
    }

    @Test func startingAsksForMouseReportsAndRestoringTurnsThemOff() throws {
        let pipes = try Pipes("tmux-256color")
        #expect(String(decoding: pipes.written(), as: UTF8.self).contains("\u{1b}[?1000h\u{1b}[?1006h"))
        pipes.terminal.restore()
        #expect(String(decoding: pipes.written(), as: UTF8.self).contains("\u{1b}[?1006l\u{1b}[?1000l"))
    }

    /// The second frame writes only the cell that changed.
    @Test func aFrameWritesOnlyWhatChanged() throws {
        let pipes = try Pipes("xterm-256color")
        var buffer = Buffer(width: 80, height: 24)
        for y in 0..<24 { buffer.put(String(repeating: "abcdefghij", count: 8), x: 0, y: y, style: Style(foreground: .cyan)) }
        _ = pipes.written()
        pipes.terminal.draw(buffer)
        let first = pipes.written()
        buffer.put("Z", x: 40, y: 12)
        pipes.terminal.draw(buffer)
        let second = pipes.written()
        #expect(first.count > 1900, "the first frame paints the screen: \(first.count) bytes")
        #expect(second.count < 40 && second.contains(UInt8(ascii: "Z")), "then only the change: \(second.count) bytes")
        pipes.terminal.draw(buffer)
        #expect(pipes.written().count < 8, "an unchanged frame writes (almost) nothing")
    }
}
