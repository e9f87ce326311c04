import App
import Foundation
import OCI
import TerminalUI
import TransferModel
import Testing

@Suite struct UpdateTests {
    let app = Fixtures.app

    @Test func openingLoadsTheNextPaneAndOnlyVisibleDigests() {
        var state = AppState(registries: ["r1:5000"], width: 100, height: 24)
        let first = start(&state)
        let afterCatalog = Fixtures.answer(&state, first, .catalog(registry: "r1:5000", next: nil), .catalog(names: ["a/b"], next: nil))
        let repository = try! ImageRef(parsingRepository: "r1:5000/a/b")
        let tags = (0..<50_000).map { "v\($0)" }
        let afterTags = Fixtures.answer(&state, afterCatalog, .tags(repository), .tags(tags))
        let digests = afterTags.filter { if case .load(_, .summary) = $0 { true } else { false } }
        #expect(!digests.isEmpty && digests.count <= 24, "only the visible rows' summaries are asked for")
        #expect(Fixtures.request(afterTags, .tree(repository.with(tag: "v0"))) != nil)
    }

    @Test func catalogPagesLoadAsTheCursorNearsTheEnd() {
        var state = AppState(registries: ["r1:5000"], width: 100, height: 24)
        let effects = start(&state)
        Fixtures.answer(&state, effects, .catalog(registry: "r1:5000", next: nil),
                        .catalog(names: (0..<100).map { "repo\($0)" }, next: "/v2/_catalog?last=repo99"))
        Fixtures.press(&state, .enter)
        var more: [Effect] = []
        for _ in 0..<80 { more += Fixtures.press(&state, .character("j")) }
        let pages = more.filter { if case .load(_, .catalog(_, "/v2/_catalog?last=repo99")) = $0 { true } else { false } }
        #expect(pages.count == 1)
        Fixtures.answer(&state, pages, .catalog(registry: "r1:5000", next: "/v2/_catalog?last=repo99"), .catalog(names: ["zzz"], next: nil))
        #expect(view(state).lines.contains { $0.contains("Repositories (101)") })
    }

    @Test func aFilterNarrowsKeepsAndClearsTheListItWasTypedOn() {
        var state = Fixtures.browsing()
        Fixtures.press(&state, .character("h"), .character("h"), .character("/"))
        let typing = Fixtures.type(&state, "r1")
        #expect(typing.isEmpty, "typing a filter loads nothing")
        #expect(state.selectedRepository?.repository == "team/app", "nor moves another pane")
        Fixtures.press(&state, .escape, .enter, .character("/"))
        Fixtures.type(&state, "db")
        #expect(state.selectedRepository?.repository == "team/db")
        Fixtures.press(&state, .enter)
        #expect(view(state).lines.contains { $0.contains("Repositories (1) /db") })
        Fixtures.press(&state, .character("h"), .character("j"))
        #expect(!view(state).lines.contains { $0.contains("/db") }, "another registry's list has its own filter")
        Fixtures.press(&state, .character("k"), .enter, .character("/"), .escape)
        #expect(view(state).lines.contains { $0.contains("Repositories (3)") })
    }

    @Test func answersToRequestsNoLongerAskedAreDropped() {
        var state = Fixtures.browsing()
        Fixtures.press(&state, .character("h"), .character("h"))
        let first = Fixtures.press(&state, .character("r"))
        let second = Fixtures.press(&state, .character("r"))
        guard let old = Fixtures.request(first, .catalog(registry: "r1:5000", next: nil)) else { return }
        #expect(second.contains(.cancel(old)), "a reload cancels the one before")
        #expect(update(&state, .answer(old, .catalog(names: ["stale/one"], next: nil))).isEmpty)
        #expect(!view(state).lines.contains { $0.contains("stale/one") })
        Fixtures.answer(&state, second, .catalog(registry: "r1:5000", next: nil), .catalog(names: ["fresh/one"], next: nil))
        #expect(view(state).lines.contains { $0.contains("fresh/one") })
    }

    @Test func copyAsksBeforeMovingATagAndCopiesTheDigestItChecked() {
        var state = Fixtures.browsing()
        Fixtures.press(&state, .character("c"))
        guard case .copy(let prompt)? = state.prompt else { Issue.record("no prompt"); return }
        #expect(prompt.text == "r2:5000/team/app:1.0")
        let check = Fixtures.press(&state, .enter)
        let source = app.with(tag: "1.0"), destination = try! ImageRef(parsing: "r2:5000/team/app:1.0")
        let approved = Fixtures.digest("approved")
        #expect(Fixtures.answer(&state, check, .destination(source: source, destination: destination),
                                .destination(source: approved, current: Fixtures.digest("other"))).isEmpty)
        #expect(view(state).lines.contains { $0.contains("Move the tag? (y/n)") })
        let started = Fixtures.press(&state, .character("y"))
        guard case .copy(let id, let copied, let target)? = started.first else { Issue.record("\(started)"); return }
        #expect(copied.digest == approved && copied.tag == "1.0", "the digest the person approved is the one copied")
        #expect(target == destination)
        #expect(Fixtures.press(&state, .character("x")) == [.cancel(id)])
        _ = update(&state, .failed(id, message: "cancelled", cancelled: true))
        #expect(state.status?.text == "copy cancelled: no tag was written")
    }

    @Test func aLateDestinationCheckCannotStartACopyNobodyApproved() {
        var state = Fixtures.browsing()
        Fixtures.press(&state, .character("c"))
        let check = Fixtures.press(&state, .enter)
        let escape = Fixtures.press(&state, .escape)
        guard let id = Fixtures.request(check, .destination(source: app.with(tag: "1.0"), destination: try! ImageRef(parsing: "r2:5000/team/app:1.0"))) else { return }
        #expect(escape == [.cancel(id)])
        Fixtures.press(&state, .character("k"), .character("c"))
        #expect(update(&state, .answer(id, .destination(source: Fixtures.digest("a"), current: nil))).isEmpty,
                "the answer to the abandoned check starts nothing")
        #expect(state.transfers.isEmpty)
    }

    @Test func aFinishedCopyRefreshesWhatTheDestinationShows() {
        var state = Fixtures.browsing()
        let destinationCatalog = Fixtures.press(&state, .character("h"), .character("h"), .character("h"), .character("j"), .enter)
        Fixtures.answer(&state, destinationCatalog, .catalog(registry: "r2:5000", next: nil), .catalog(names: [], next: nil))
        #expect(Fixtures.text(state).contains("r2:5000 has no repositories"))
        Fixtures.press(&state, .character("h"), .character("k"), .enter, .enter, .character("c"))
        let check = Fixtures.press(&state, .enter)
        let started = Fixtures.answer(&state, check, .destination(source: app.with(tag: "1.0"), destination: try! ImageRef(parsing: "r2:5000/team/app:1.0")),
                                      .destination(source: Fixtures.indexTree().manifest.digest, current: nil))
        guard case .copy(let id, _, _)? = started.first else { Issue.record("\(started)"); return }
        var result = CopyResult(source: app.with(tag: "1.0"), destination: try! ImageRef(parsing: "r2:5000/team/app:1.0"),
                                sourceDigest: Fixtures.indexTree().manifest.digest, digest: Fixtures.indexTree().manifest.digest)
        result.alreadyPresent = true
        let after = update(&state, .answer(id, .copied(result)))
        #expect(Fixtures.request(after, .catalog(registry: "r2:5000", next: nil)) != nil, "the destination's catalog reloads")
        #expect(Fixtures.text(state).contains("already there, only the tag was written"))
        #expect(Fixtures.text(state).contains("no blob needed uploading"))
    }

    @Test func quittingWhileACopyRunsAsksAndCancelsIt() {
        var state = Fixtures.browsing()
        Fixtures.press(&state, .character("c"))
        let check = Fixtures.press(&state, .enter)
        let started = Fixtures.answer(&state, check, .destination(source: app.with(tag: "1.0"), destination: try! ImageRef(parsing: "r2:5000/team/app:1.0")),
                                      .destination(source: Fixtures.digest("a"), current: nil))
        guard case .copy(let id, _, _)? = started.first else { Issue.record("\(started)"); return }
        Fixtures.press(&state, .character("q"))
        #expect(!state.quit && view(state).lines.contains { $0.contains("A copy is running. Quit and cancel it") })
        Fixtures.press(&state, .character("n"))
        #expect(!state.quit && state.prompt == nil)
        Fixtures.press(&state, .character("q"))
        #expect(Fixtures.press(&state, .character("y")) == [.cancel(id)])
        #expect(state.quit)
    }

    @Test func hintsSayWhatTheKeysDoOnTheSelectedNode() {
        var state = Fixtures.browsing()
        Fixtures.press(&state, .enter, .character("j"))
        #expect(state.selectedTreeRow?.label.hasPrefix("linux/amd64") == true)
        #expect(view(state).lines.contains { $0.contains("<Enter> expand · m mark") })
        Fixtures.press(&state, .enter, .character("j"), .character("j"))
        #expect(state.selectedTreeRow?.kind == .layer)
        let hint = view(state).lines.first { $0.contains("<Enter> files") }
        #expect(hint != nil && hint?.contains("c copy") == false, "no copy hint on a layer: \(hint ?? "")")
        Fixtures.press(&state, .character("c"))
        #expect(state.status?.text.contains("choose a tag or a manifest to copy") == true)
        Fixtures.press(&state, .character("j"))
        #expect(state.status == nil, "the next key clears the status line")
    }

    @Test func theCopyPromptExplainsABadDestinationAndListsCompletions() {
        var state = Fixtures.browsing()
        Fixtures.press(&state, .character("c"), .control("u"))
        Fixtures.type(&state, "Not A Reference")
        #expect(Fixtures.press(&state, .enter).isEmpty)
        #expect(view(state).lines.contains { $0.contains("invalid reference") }, "\(view(state).lines.last ?? "")")
        Fixtures.press(&state, .control("u"))
        Fixtures.type(&state, "r1:5000/team/")
        Fixtures.press(&state, .tab)
        #expect(state.status?.text.contains("2 matches: r1:5000/team/app  r1:5000/team/db") == true)
        guard case .copy(let prompt)? = state.prompt else { return }
        #expect(prompt.text == "r1:5000/team/app")
        Fixtures.press(&state, .tab)
        guard case .copy(let cycled)? = state.prompt else { return }
        #expect(cycled.text == "r1:5000/team/db")
    }

    @Test func typingARepositoryChecksItExistsFirst() {
        var state = AppState(registries: ["r1:5000"], width: 100, height: 24)
        let effects = start(&state)
        Fixtures.answer(&state, effects, .catalog(registry: "r1:5000", next: nil), .catalogUnavailable)
        #expect(Fixtures.text(state).contains("Press o to type one"))
        Fixtures.press(&state, .character("o"))
        Fixtures.type(&state, "team/app")
        let check = Fixtures.press(&state, .enter)
        let missing = Fixtures.answer(&state, check, .repository(app), .repository(exists: false))
        #expect(missing.isEmpty && state.status?.text == "r1:5000 has no repository team/app")
        Fixtures.press(&state, .character("o"))
        Fixtures.type(&state, "team/app")
        let again = Fixtures.press(&state, .enter)
        let opened = Fixtures.answer(&state, again, .repository(app), .repository(exists: true))
        #expect(Fixtures.request(opened, .tags(app)) != nil)
    }

    @Test func emptyRegistriesAndListsSaySo() {
        let none = AppState(registries: [], width: 100, height: 24)
        #expect(Fixtures.text(none).contains("No registries. Start regtui with one"))
        var state = AppState(registries: ["r1:5000"], width: 100, height: 24)
        let effects = start(&state)
        Fixtures.answer(&state, effects, .catalog(registry: "r1:5000", next: nil), .catalog(names: [], next: nil))
        #expect(Fixtures.text(state).contains("r1:5000 has no repositories"))
    }

    @Test func theCopyPaneClosesWhenNothingRuns() {
        var state = Fixtures.browsing()
        Fixtures.press(&state, .character("c"))
        let check = Fixtures.press(&state, .enter)
        let started = Fixtures.answer(&state, check, .destination(source: app.with(tag: "1.0"), destination: try! ImageRef(parsing: "r2:5000/team/app:1.0")),
                                      .destination(source: Fixtures.digest("a"), current: nil))
        guard case .copy(let id, _, _)? = started.first else { return }
        _ = update(&state, .failed(id, message: "HTTP 500", cancelled: false))
        Fixtures.press(&state, .tab)
        #expect(view(state).lines.contains { $0.contains("Copy · Esc closes") })
        Fixtures.press(&state, .escape)
        #expect(state.transfers.isEmpty)
    }

    @Test func mouseClickSelectsAndWheelScrolls() {
        var state = Fixtures.browsing()
        // Repositories: frame at row 5, rows from 6 (busybox, app, db).
        Fixtures.press(&state, .mouse(MouseEvent(kind: .press, x: 3, y: 8)))
        #expect(state.focus == .repositories)
        #expect(state.selectedRepository?.repository == "team/db")
        Fixtures.press(&state, .mouse(MouseEvent(kind: .wheelUp, x: 3, y: 7)))
        #expect(state.selectedRepository?.repository == "library/busybox")
    }

    @Test func tagsSortNaturally() {
        #expect(NaturalOrder.sorted(["v1.10", "v1.9", "latest", "v1.10-rc1", "v2.0", "1.0", "1.0-rc1"])
            == ["1.0-rc1", "1.0", "latest", "v1.9", "v1.10-rc1", "v1.10", "v2.0"])
    }

    @Test func shippedKeymapsLoadWithoutWarnings() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let defaultText = try String(contentsOf: root.appendingPathComponent("keymaps/default"), encoding: .utf8)
        #expect(defaultText == Keymap.defaultKeymapText + "\n", "keymaps/default is the built-in keymap")
        for name in ["default", "vim", "emacs"] {
            var keymap = Keymap.builtIn
            let text = try String(contentsOf: root.appendingPathComponent("keymaps/\(name)"), encoding: .utf8)
            #expect(keymap.load(regtuiKeymap: text, file: name).isEmpty)
        }
        var keymap = Keymap.builtIn
        keymap.load(regtuiKeymap: try String(contentsOf: root.appendingPathComponent("keymaps/emacs"), encoding: .utf8), file: "emacs")
        var state = Fixtures.browsing(keymap: keymap)
        Fixtures.press(&state, .control("x"))
        #expect(state.quit)
    }

    @Test func everyKeymapWarningCanBeRead() {
        var keymap = Keymap.builtIn
        let warnings = keymap.load(regtuiKeymap: "bind nowhere j move-down\nbind global j nothing\nbind global <Nope> quit", file: "mine")
        var state = AppState(registries: ["r1:5000"], keymap: keymap, warnings: warnings, width: 120, height: 40)
        #expect(state.status?.text == "3 keymap warnings: press ? to read them")
        Fixtures.press(&state, .character("?"))
        let lines = view(state).lines
        for line in 1...3 { #expect(lines.contains { $0.contains("mine:\(line):") }) }
    }

    @Test func aHelpTallerThanTheScreenScrolls() {
        var state = Fixtures.browsing(width: 100, height: 20)
        Fixtures.press(&state, .character("?"))
        #expect(view(state).lines.contains { $0.contains("j/k scroll, any other key closes") })
        #expect(!view(state).lines.contains { $0.contains("mouse: a click selects") })
        Fixtures.press(&state, .character("G"))
        #expect(view(state).lines.contains { $0.contains("mouse: a click selects") }, "the last line, scrolled to")
        Fixtures.press(&state, .character("x"))
        #expect(state.overlay == nil)
    }
}
