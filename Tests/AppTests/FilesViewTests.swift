import App
import FileTree
import Foundation
import OCI
import TerminalUI
import Testing

/// The files view through `update`: layers arriving in any order, and a file's content.
@Suite struct FilesViewTests {
    /// A state whose tree is an image of two layers, the files view of its merged filesystem open;
    /// and the request reading its layers.
    func openFiles() throws -> (AppState, RequestID) {
        let config = Fixtures.config
        let layers = ["one", "two"].map { #"{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"\#(Fixtures.digest($0))","size":100}"# }
        let text = #"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"\#(Digest.of(config))","size":\#(config.count)},"layers":[\#(layers.joined(separator: ","))]}"#
        let manifest = try Manifest(bytes: Data(text.utf8))
        var state = Fixtures.browsing(width: 120, height: 30)
        let reload = Fixtures.press(&state, .enter, .character("r"))
        Fixtures.answer(&state, reload, .tree(Fixtures.app.with(tag: "1.0")), .tree(ImageTree(reference: "two", manifest: manifest, config: config)))
        let opened = Fixtures.press(&state, .character("G"), .enter)
        guard case .load(let id, .files(_, .merged))? = opened.last else { throw FixtureError("the files view did not open: \(opened)") }
        return (state, id)
    }

    struct FixtureError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    func file(_ path: String, layer: Int) -> FileEntry { FileEntry(path: path, type: .file, mode: 0o644, size: 3, layer: layer) }

    @Test func anUpperLayerWaitsForTheLayersBelowIt() throws {
        var (state, id) = try openFiles()
        // Layer 2 is read first: its whiteout must not act before layer 1 is in.
        _ = update(&state, .files(id, .entries([FileEntry(path: "/etc/a", type: .whiteout, mode: 0, layer: 2), file("/etc/b", layer: 2)])))
        #expect(!Fixtures.text(state).contains(" b "), "nothing of layer 2 shows while layer 1 is read")
        _ = update(&state, .files(id, .layerVerified(2)))
        _ = update(&state, .files(id, .entries([FileEntry(path: "/etc", type: .dir, mode: 0o755, layer: 1), file("/etc/a", layer: 1)])))
        #expect(Fixtures.text(state).contains("reading: 1 of 2 layers checked"))
        _ = update(&state, .files(id, .layerVerified(1)))
        Fixtures.press(&state, .character("j"), .enter)
        let screen = Fixtures.text(state)
        #expect(screen.contains("2 entries, every layer checked"), "\(screen)")
        #expect(screen.contains("- L2 a (removed)") && screen.contains("+ -rw-r--r-- 3 B L2 b"), "\(screen)")
    }

    @Test func aLayerThatFailsItsCheckLeavesNothingOnScreen() throws {
        var (state, id) = try openFiles()
        _ = update(&state, .files(id, .entries([file("/x", layer: 1)])))
        #expect(Fixtures.text(state).contains(" x "))
        _ = update(&state, .failed(id, message: "digest mismatch for layer 1", cancelled: false))
        #expect(!Fixtures.text(state).contains(" x ") && Fixtures.text(state).contains("digest mismatch for layer 1"))
    }

    @Test func textShowsAsItIsAndBinaryBytesAsAHexDump() {
        #expect(FileContent.lines(Data("one\ntwo\n".utf8), size: 8) == ["one", "two"])
        let bytes = Data((0..<20).map { UInt8($0 * 13 % 256) } + Array("hi".utf8))
        #expect(FileContent.lines(bytes, size: 1000) == [
            "00000000  00 0d 1a 27 34 41 4e 5b 68 75 82 8f 9c a9 b6 c3  |...'4AN[hu......|",
            "00000010  d0 dd ea f7 68 69                                |....hi|",
            "… the first 22 B of 1000 B shown; regtui cat prints it all"])
    }
}
