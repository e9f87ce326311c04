import App
import Foundation
import OCI
import Runtime
import TerminalUI
import TestSupport
import Testing

/// Inside the image, in the terminal UI: a layer's entries, the merged filesystem as a tree with
/// dive's marks, a file's content, and the diff's files section, read from the rig's registries.
@Suite struct HeadlessFilesTests {
    let rig: Rig

    init() async throws { rig = try await Rig.shared() }

    /// A session with `repository`'s tags focused, filtered to `tag`.
    func tags(_ repository: String, tag: String, registry: String? = nil) async -> Session {
        let session = await Session(registries: [registry ?? rig.source], width: 140, height: 36)
        await session.press(.enter)
        await session.filter(repository)
        await session.press(.enter)
        await session.filter(tag)
        return session
    }

    /// A session with `repository:tag`'s manifest tree focused.
    func tree(_ repository: String, tag: String, registry: String? = nil) async -> Session {
        let session = await tags(repository, tag: tag, registry: registry)
        await session.press(.enter)
        return session
    }

    @Test func theMergedFilesystemBrowsesLikeDive() async throws {
        let session = await tree("files/image", tag: "1.0")
        await session.press(.character("G"))
        #expect(session.selection?.treeRow == "files (3 layers merged)")
        #expect(session.shows("<Enter> files"), "\(session.screen)")
        await session.press(.enter)
        #expect(session.shows("Files of the image (3 layers merged) · 20 entries, every layer checked"), "\(session.screen)")
        #expect(session.shows("~ drwxr-xr-x          -  L2   ▸ dir"), "layer 2 wrote /dir again: modified")
        #expect(session.shows("+ drwxr-xr-x          -  L3   ▸ lib"), "layer 3 added /lib")
        await session.press(.character("j"), .enter)
        #expect(session.shows("+ -rw-r--r--        4 B  L2       new"), "the directory expanded")
        #expect(session.shows("x  (removed)") && session.shows("sub  (removed)"), "what the opaque directory hid shows as removed")
        await session.press(.character("/"))
        await session.type("etc/a")
        await session.press(.enter)
        #expect(session.shows("~ -rw-r--r--        8 B  L2     /etc/a"), "a filter lists matching paths in full: \(session.screen)")
        await session.press(.enter)
        #expect(session.shows("/etc/a  (8 B, layer 2)") && session.shows("1 alpha 2"), "Enter shows the file as the image has it")
        await session.press(.escape)
        #expect(session.shows("Files of the image"), "Esc goes back to the files")
        await session.press(.character("/"), .escape, .character("G"))
        await session.press(.character("k"))
        #expect(session.selection?.treeRow == "files (3 layers merged)", "the tree's selection is untouched")
        await session.press(.escape)
        #expect(!session.shows("Files of the image") && session.shows("Manifest (6)"))
        await session.quit()
    }

    @Test func aLayerListsItsOwnEntriesWithWhiteoutsAndABinaryFileAsHex() async throws {
        let session = await tree("files/image", tag: "1.0")
        await session.press(.character("j"), .character("j"), .character("j"))
        #expect(session.selection?.treeRow == "layer 2")
        await session.press(.enter)
        #expect(session.shows("Layer 2 of the image: its own entries"))
        await session.press(.character("j"), .enter)
        #expect(session.shows("b  (whiteout: deleted from the layers below)"), "\(session.screen)")
        #expect(session.shows("dir  (opaque: lower layers' contents hidden)"))
        await session.press(.escape)
        await session.press(.character("k"))
        #expect(session.selection?.treeRow == "layer 1")
        await session.press(.enter, .character("/"))
        await session.type("esc")
        await session.press(.enter, .enter)
        #expect(session.shows("/esc\\x1b]0;owned\\x07name  (4 B, layer 1)") && session.shows("1 esc"), "\(session.screen)")
        #expect(!session.lines.joined().contains("\u{1b}"), "a name with an escape sequence is drawn inert")
        await session.quit()

        let bomb = await tree("files/bomb", tag: "1.0")
        await bomb.press(.character("G"), .enter, .enter)
        #expect(bomb.shows("00000000  00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  |................|"), "a binary file as hex: \(bomb.screen)")
        await bomb.press(.character("G"))
        #expect(bomb.shows("… the first 256.0 KiB of 256.0 MiB shown; regtui cat prints it all"))
        await bomb.quit()
    }

    @Test func theDiffHasAFilesSection() async throws {
        let session = await tags("files/image", tag: "1.0")
        await session.press(.character("m"))
        await session.filter("changed")
        await session.press(.character("d"))
        #expect(session.shows("verdict: different") && session.shows("f which files differ"), "\(session.screen)")
        await session.press(.character("f"))
        #expect(session.shows("files: 2 added, 1 removed, 2 modified, 1 with only mode or owner changed"), "\(session.screen)")
        #expect(session.shows("~ /lib/link  (link ../etc/a → /etc/c)") && session.shows("m /etc/c  (mode 0600 → 0644)"), "\(session.screen)")
        await session.press(.character("f"))
        #expect(session.shows("\"schemaVersion\""), "f again shows the JSON")
        await session.quit()
    }

    /// Entries show while the layer still streams; closing the view stops the download at once,
    /// although the registry would keep it hanging for 30 s.
    @Test func entriesShowAsTheyStreamAndClosingStopsTheDownload() async throws {
        let faulty = rig.registries["faulty-source"]!
        let manifest = try await regtui(["manifest", "\(rig.source)/files/streaming:1.0"])
        let layer = try #require(JSONValue.parse(manifest.stdout)?["layers"]?[0]?["digest"]?.string)
        let rules = #"[{"method":"GET","path":"/blobs/\#(layer)","action":"stall","after":65536,"seconds":30,"times":-1}]"#
        try await FaultProxies.shared.with(faulty, rules: rules) {
            let logged = try await rig.log(of: faulty).count
            let session = await tree("files/streaming", tag: "1.0", registry: faulty)
            await session.press(.character("G"))
            await session.pressDuringWork(.enter)
            try await rig.awaitStall(at: faulty, path: layer, after: logged)
            try await awaitCondition("the first entries on screen") { session.shows("d0000") }
            #expect(session.shows("reading: 0 of 1 layer checked, entries show as they arrive"), "\(session.screen)")
            let closed = ContinuousClock.now
            await session.press(.escape)
            #expect(ContinuousClock.now - closed < .seconds(10), "the stalled download was cancelled, not waited out")
            #expect(!session.shows("Files of"))
            await session.quit()
        }
    }
}
