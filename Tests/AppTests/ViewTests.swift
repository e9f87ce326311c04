import App
import Foundation
import ManifestDiff
import OCI
import TerminalUI
import Testing

@Suite struct ViewTests {
    @Test func panesFromRegistriesToTheManifestTree() {
        var state = Fixtures.browsing()
        _ = update(&state, .key(.enter))
        assertSnapshot(view(state), named: "panes")
    }

    @Test func helpIsGeneratedFromTheActiveKeymap() {
        var keymap = Keymap.builtIn
        keymap.load(regtuiKeymap: "bind global Q quit", file: "test")
        var state = Fixtures.browsing(height: 50, keymap: keymap)
        _ = update(&state, .key(.character("?")))
        let lines = view(state).lines
        #expect(lines.contains { $0.contains("q <Ctrl-c> Q") && $0.contains("quit") })
        assertSnapshot(view(state), named: "help")
    }

    @Test func rawJSONOfANode() {
        var state = Fixtures.browsing()
        _ = update(&state, .key(.enter))
        _ = update(&state, .key(.enter))
        assertSnapshot(view(state), named: "json")
    }

    @Test func diffShowsVerdictDigestsAndBothSides() {
        var state = Fixtures.browsing(width: 120, height: 30)
        Fixtures.press(&state, .character("m"), .character("k"))
        let effects = Fixtures.press(&state, .character("d"))
        guard case .load(let id, .diff)? = effects.last else { Issue.record("no diff requested: \(effects)"); return }
        let tree = Fixtures.indexTree()
        let comparison = ManifestComparison(tree, tree.children[0])
        _ = update(&state, .answer(id, .diff(comparison, comparison.json())))
        let lines = view(state).lines
        #expect(lines.contains { $0.contains("verdict: platform-extracted") })
        #expect(lines.contains { $0.contains(tree.manifest.digest.description) })
        assertSnapshot(view(state), named: "diff")
    }

    @Test func copyInProgressShowsBarsAndTotals() {
        var state = Fixtures.browsing()
        Fixtures.press(&state, .character("c"))
        let check = Fixtures.press(&state, .enter)
        let source = Fixtures.app.with(tag: "1.0")
        let started = Fixtures.answer(&state, check, .destination(source: source, destination: try! ImageRef(parsing: "r2:5000/team/app:1.0")),
                                      .destination(source: Fixtures.indexTree().manifest.digest, current: nil))
        guard case .copy(let id, _, _)? = started.first else { Issue.record("\(started)"); return }
        let blob = Descriptor(mediaType: .ociLayerGzip, digest: Fixtures.digest("blob"), size: 4 << 20)
        _ = update(&state, .transfer(id, .planned(source: source, manifests: 3, blobs: 5, bytes: 10 << 20)))
        _ = update(&state, .transfer(id, .blobStarted(blob)))
        _ = update(&state, .transfer(id, .blobProgress(blob.digest, bytes: 1 << 20)))
        assertSnapshot(view(state), named: "copy")
    }

    @Test func registryTextCannotReachTheTerminalRaw() {
        var state = AppState(registries: ["r1:5000"], width: 200, height: 20)
        let effects = start(&state)
        Fixtures.answer(&state, effects, .catalog(registry: "r1:5000", next: nil),
                        .catalog(names: ["evil\u{1b}]52;c;aGk=\u{07}/x", "ok/\u{9b}2J"], next: nil))
        let cells = view(state).cells.map(\.text).joined()
        #expect(!cells.unicodeScalars.contains { $0.value < 0x20 || (0x7f...0x9f).contains($0.value) })
        #expect(view(state).lines.contains { $0.contains("evil\\x1b]52;c;aGk=\\x07/x") })
    }

    @Test func textCutAtAnEdgeEndsInAnEllipsisAndTheDetailsShowItWhole() {
        var state = Fixtures.browsing(width: 80)
        Fixtures.press(&state, .character("t"))
        let lines = view(state).lines
        #expect(lines.contains { $0.contains("…") })
        let full = Fixtures.indexTree().manifest.digest.description
        #expect(lines.joined().replacingOccurrences(of: "│", with: "").replacingOccurrences(of: " ", with: "").contains(String(full.dropFirst(7))),
                "the details box wraps the full digest")
    }

    @Test func monochromeWhenColourIsOff() {
        var state = Fixtures.browsing()
        state.color = false
        #expect(view(state).cells.allSatisfy { $0.style.foreground == .default && $0.style.background == .default })
    }
}
