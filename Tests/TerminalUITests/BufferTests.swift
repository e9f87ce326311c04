import Foundation
import TerminalUI
import Testing

@Suite struct BufferTests {
    @Test func wideAndCombiningCharactersTakeTheirColumns() {
        var buffer = Buffer(width: 10, height: 1)
        let end = buffer.put("漢字e\u{301}x", x: 0, y: 0)
        #expect(end == 6)
        #expect(buffer.lines == ["漢字e\u{301}x"])
        #expect(buffer[1, 0].continuation && buffer[3, 0].continuation)
        #expect(Buffer.width(of: "😀") == 2 && Buffer.width(of: "é") == 1 && Buffer.width(of: "\u{301}") == 0)
    }

    @Test func controlCharactersAndEscapesAreShownInert() {
        var buffer = Buffer(width: 40, height: 1)
        buffer.put("a\u{1b}[31mred\u{07}\u{9b}2J", x: 0, y: 0)
        #expect(buffer.lines == ["a\\x1b[31mred\\x07\\x9b2J"])
        #expect(!buffer.cells.contains { $0.text.unicodeScalars.contains { $0.value < 0x20 || (0x7f...0x9f).contains($0.value) } })
    }

    @Test func clipsToWidthWithAnEllipsisAndNeverSplitsAWideCharacter() {
        var buffer = Buffer(width: 5, height: 3)
        buffer.put("abcdefgh", x: 0, y: 0)
        buffer.put("ab漢字", x: 0, y: 1, maxWidth: 5)
        buffer.put("a漢字", x: 0, y: 2, maxWidth: 4)
        #expect(buffer.lines == ["abcd…", "ab漢…", "a漢…"])
        buffer.put("zz", x: 3, y: 5)
        #expect(buffer.lines == ["abcd…", "ab漢…", "a漢…"])
    }

    @Test func framesAndListsDraw() {
        var buffer = Buffer(width: 12, height: 4)
        buffer.frame(buffer.area, title: "Tags", focused: true)
        let rows = [ListRow("a", detail: "1"), ListRow("bb")]
        buffer.list(count: rows.count, row: { rows[$0] }, in: buffer.area.inset(1), cursor: ListCursor(selected: 1), focused: true)
        #expect(buffer.lines == ["┌─ Tags ───┐", "│a        1│", "│bb        │", "└──────────┘"])
        #expect(buffer[1, 2].style.reverse)
    }

    @Test func cursorKeepsTheSelectionVisible() {
        var cursor = ListCursor()
        cursor.move(25, count: 100)
        cursor.scroll(visible: 10, count: 100)
        #expect(cursor.selected == 25 && cursor.offset == 16)
        cursor.move(-20, count: 100)
        cursor.scroll(visible: 10, count: 100)
        #expect(cursor.offset == 5)
        cursor.move(1000, count: 3)
        cursor.scroll(visible: 10, count: 3)
        #expect(cursor.selected == 2 && cursor.offset == 0)
    }
}

@Suite struct KeymapTests {
    static let contexts: Set<String> = ["global", "list"]
    static let actions: Set<String> = ["quit", "move-down"]

    @Test func bindsAndWarnsWithFileAndLine() {
        var keymap = Keymap()
        let warnings = keymap.load("""
        # comment
        bind global q quit
        bind global <Ctrl-x> quit   # trailing comment
        bind list j move-down
        bind global <Nope> quit
        bind elsewhere q quit
        bind global z fly
        frobnicate
        bind global q
        """, file: "keys.txt", contexts: Self.contexts, actions: Self.actions)
        #expect(warnings == [
            "keys.txt:5: unknown key \"<Nope>\" (e.g. j, <Enter>, <Ctrl-f>, <PageDown>)",
            "keys.txt:6: unknown context \"elsewhere\" (one of: global, list)",
            "keys.txt:7: unknown action \"fly\"",
            "keys.txt:8: unknown command \"frobnicate\"; lines look like: bind CONTEXT KEY ACTION",
            "keys.txt:9: expected: bind CONTEXT KEY ACTION",
        ])
        #expect(keymap.action(for: .character("q"), in: ["list", "global"]) == "quit")
        #expect(keymap.action(for: .control("x"), in: ["global"]) == "quit")
        #expect(keymap.action(for: .character("j"), in: ["global"]) == nil)
        #expect(keymap.action(for: .character("j"), in: ["list", "global"]) == "move-down")
    }

    @Test func laterBindingsOverride() {
        var keymap = Keymap()
        keymap.load("bind global q quit\nbind global q move-down", file: "k", contexts: Self.contexts, actions: Self.actions)
        #expect(keymap.action(for: .character("q"), in: ["global"]) == "move-down")
    }

    @Test(arguments: [Key.enter, .escape, .backspace, .tab, .backTab, .up, .down, .left, .right, .pageUp, .pageDown, .home, .end,
                      .delete, .function(5), .control("f"), .character("j"), .character("?"), .character(" "), .character("<")])
    func keyNamesRoundTrip(key: Key) {
        #expect(Key(name: key.description) == key)
    }
}
