import App
import Foundation
import OCI
import TerminalUI
import Testing

@Suite struct UpdateTests {
    @Test func openingLoadsTheNextPaneAndOnlyVisibleDigests() {
        var state = AppState(registries: ["r1:5000"], width: 100, height: 24)
        #expect(start(&state) == [.loadCatalog(registry: "r1:5000", next: nil)])
        let afterCatalog = update(&state, .catalogLoaded(registry: "r1:5000", names: ["a/b"], next: nil, appended: false))
        #expect(afterCatalog == [.loadTags(try! Reference(parsingRepository: "r1:5000/a/b"))])
        let tags = (0..<50_000).map { "v\($0)" }
        let afterTags = update(&state, .tagsLoaded(repository: "r1:5000/a/b", tags: tags))
        let digests = afterTags.filter { if case .loadDigest = $0 { true } else { false } }
        #expect(!digests.isEmpty && digests.count <= 24, "only the visible rows' digests are asked for")
        #expect(afterTags.contains(.loadTree(key: "r1:5000/a/b:v0", reference: try! Reference(parsing: "r1:5000/a/b:v0"))))
    }

    @Test func catalogPagesLoadAsTheCursorNearsTheEnd() {
        var state = AppState(registries: ["r1:5000"], width: 100, height: 24)
        _ = start(&state)
        _ = update(&state, .catalogLoaded(registry: "r1:5000", names: (0..<100).map { "repo\($0)" }, next: "/v2/_catalog?last=repo99", appended: false))
        _ = update(&state, .key(.enter))
        var requested = 0
        for _ in 0..<80 {
            requested += update(&state, .key(.character("j"))).filter { $0 == .loadCatalog(registry: "r1:5000", next: "/v2/_catalog?last=repo99") }.count
        }
        #expect(requested == 1)
        _ = update(&state, .catalogLoaded(registry: "r1:5000", names: ["zzz"], next: nil, appended: true))
        #expect(state.visibleRepositories.count == 101)
    }

    @Test func filterNarrowsKeepsAndClears() {
        var state = Fixtures.browsing()
        _ = update(&state, .key(.character("h")))
        _ = update(&state, .key(.character("/")))
        for c in "db" { _ = update(&state, .key(.character(c))) }
        #expect(state.visibleRepositories == ["team/db"])
        _ = update(&state, .key(.enter))
        #expect(state.visibleRepositories == ["team/db"] && state.editingFilter == nil)
        _ = update(&state, .key(.character("/")))
        _ = update(&state, .key(.escape))
        #expect(state.visibleRepositories.count == 3)
    }

    @Test func tagsSortNaturally() {
        #expect(NaturalOrder.sorted(["v1.10", "v1.9", "latest", "v1.10-rc1", "v2.0", "1.0", "1.0-rc1"])
            == ["1.0-rc1", "1.0", "latest", "v1.9", "v1.10-rc1", "v1.10", "v2.0"])
    }

    @Test func copyAsksBeforeMovingATagThatPointsElsewhere() {
        var state = Fixtures.browsing()
        _ = update(&state, .key(.character("c")))
        #expect(state.prompt?.text == "r2:5000/team/app:1.0")
        let effects = update(&state, .key(.enter))
        let destination = try! Reference(parsing: "r2:5000/team/app:1.0")
        #expect(effects == [.checkDestination(source: try! Reference(parsing: "r1:5000/team/app:1.0"), destination: destination)])
        let source = Fixtures.indexTree().manifest.digest
        #expect(update(&state, .destinationChecked(destination: destination, current: Fixtures.digest("other"), source: source)).isEmpty)
        #expect(state.prompt?.confirmMove == Fixtures.digest("other"))
        #expect(update(&state, .key(.character("n"))).isEmpty)
        #expect(state.prompt == nil && state.transfers.isEmpty)
        _ = update(&state, .key(.character("c")))
        _ = update(&state, .key(.enter))
        _ = update(&state, .destinationChecked(destination: destination, current: Fixtures.digest("other"), source: source))
        let started = update(&state, .key(.character("y")))
        guard case .startCopy(let id, _, let target)? = started.first else { Issue.record("\(started)"); return }
        #expect(target == destination)
        #expect(update(&state, .key(.character("x"))) == [.cancelCopy(id: id)])
        _ = update(&state, .key(.tab))
        #expect(state.transferFocused)
        #expect(update(&state, .key(.escape)) == [.cancelCopy(id: id)], "Esc on the copy pane cancels it")
        #expect(!state.transferFocused)
        _ = update(&state, .transferFailed(id: id, message: "cancelled", cancelled: true))
        #expect(state.status?.text == "copy cancelled: no tag was written")
    }

    @Test func copyStartsAtOnceWhenTheDestinationIsAbsentOrTheSame() {
        var state = Fixtures.browsing()
        _ = update(&state, .key(.character("c")))
        for _ in 0..<state.prompt!.text.count { _ = update(&state, .key(.backspace)) }
        for c in "r1:5000/" { _ = update(&state, .key(.character(c))) }
        _ = update(&state, .key(.tab))
        #expect(state.prompt?.text == "r1:5000/library/busybox")
        _ = update(&state, .key(.tab))
        #expect(state.prompt?.text == "r1:5000/team/app")
        let effects = update(&state, .key(.enter))
        guard case .checkDestination(_, let destination)? = effects.first else { Issue.record("\(effects)"); return }
        #expect(destination.description == "r1:5000/team/app:1.0")
        let digest = Fixtures.indexTree().manifest.digest
        let started = update(&state, .destinationChecked(destination: destination, current: digest, source: digest))
        #expect(started.count == 1)
    }

    @Test func diffNeedsAMarkAndDropsStaleAnswers() {
        var state = Fixtures.browsing()
        #expect(update(&state, .key(.character("d"))).isEmpty)
        #expect(state.status?.isError == true)
        _ = update(&state, .key(.character("m")))
        let first = update(&state, .key(.character("d")))
        guard case .loadDiff(let old, _, _)? = first.first else { Issue.record("\(first)"); return }
        _ = update(&state, .key(.escape))
        _ = update(&state, .key(.character("d")))
        _ = update(&state, .diffFailed(id: old, message: "stale"))
        guard case .diff(let view)? = state.overlay else { Issue.record("no diff view"); return }
        #expect(view.error == nil, "an answer to an earlier diff is dropped")
    }

    @Test func mouseClickSelectsAndWheelScrolls() {
        var state = Fixtures.browsing()
        // Repositories: frame at row 5, rows from 6 (busybox, app, db).
        _ = update(&state, .key(.mouse(MouseEvent(kind: .press, x: 3, y: 8))))
        #expect(state.focus == .repositories)
        #expect(state.selectedRepository?.repository == "team/db")
        _ = update(&state, .key(.mouse(MouseEvent(kind: .wheelUp, x: 3, y: 7))))
        #expect(state.selectedRepository?.repository == "library/busybox")
    }

    @Test func catalogOffLetsThePersonTypeARepository() {
        var state = AppState(registries: ["r1:5000"], width: 100, height: 24)
        _ = start(&state)
        _ = update(&state, .catalogFailed(registry: "r1:5000", message: "this registry does not list its repositories", unavailable: true))
        #expect(view(state).lines.contains { $0.contains("press o to type") })
        _ = update(&state, .key(.character("o")))
        for c in "team/app" { _ = update(&state, .key(.character(c))) }
        let effects = update(&state, .key(.enter))
        #expect(effects == [.loadTags(try! Reference(parsingRepository: "r1:5000/team/app"))])
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
        _ = update(&state, .key(.control("x")))
        #expect(state.quit)
    }
}
