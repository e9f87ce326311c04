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
        #expect(lines.contains { $0.contains("<Ctrl-c> Q q") && $0.contains("quit") })
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
        _ = update(&state, .key(.character("m")))
        _ = update(&state, .key(.character("k")))
        let effects = update(&state, .key(.character("d")))
        guard case .loadDiff(let id, _, _)? = effects.first else { Issue.record("no diff requested: \(effects)"); return }
        let tree = Fixtures.indexTree()
        let comparison = ManifestComparison(tree, tree.children[0])
        _ = update(&state, .diffLoaded(id: id, comparison: comparison, rows: comparison.json()))
        let lines = view(state).lines
        #expect(lines.contains { $0.contains("verdict: platform-extracted") })
        #expect(lines.contains { $0.contains(tree.manifest.digest.description) })
        assertSnapshot(view(state), named: "diff")
    }

    @Test func copyInProgressShowsBarsAndTotals() {
        var state = Fixtures.browsing()
        _ = update(&state, .key(.character("c")))
        let effects = update(&state, .key(.enter))
        guard case .checkDestination(let source, let destination)? = effects.first else { Issue.record("\(effects)"); return }
        let started = update(&state, .destinationChecked(destination: destination, current: nil, source: Fixtures.indexTree().manifest.digest))
        guard case .startCopy(let id, _, _)? = started.first else { Issue.record("\(started)"); return }
        let blob = Descriptor(mediaType: .ociLayerGzip, digest: Fixtures.digest("blob"), size: 4 << 20)
        _ = update(&state, .transfer(id: id, .planned(source: source, manifests: 3, blobs: 5, bytes: 10 << 20)))
        _ = update(&state, .transfer(id: id, .blobStarted(blob)))
        _ = update(&state, .transfer(id: id, .blobProgress(blob.digest, bytes: 1 << 20)))
        assertSnapshot(view(state), named: "copy")
    }

    @Test func registryTextCannotReachTheTerminalRaw() {
        var state = AppState(registries: ["r1:5000"], width: 200, height: 20)
        _ = start(&state)
        _ = update(&state, .catalogLoaded(registry: "r1:5000", names: ["evil\u{1b}]52;c;aGk=\u{07}/x", "ok/\u{9b}2J"], next: nil, appended: false))
        let cells = view(state).cells.map(\.text).joined()
        #expect(!cells.unicodeScalars.contains { $0.value < 0x20 || (0x7f...0x9f).contains($0.value) })
        #expect(view(state).lines.contains { $0.contains("evil\\x1b]52;c;aGk=\\x07/x") })
    }

    @Test func monochromeWhenColourIsOff() {
        var state = Fixtures.browsing()
        state.color = false
        #expect(view(state).cells.allSatisfy { $0.style.foreground == .default && $0.style.background == .default })
    }
}
