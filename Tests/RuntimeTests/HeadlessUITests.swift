import App
import Foundation
import OCI
import Runtime
import TerminalUI
import TestSupport
import Testing

/// The terminal UI, headless, through the runtime against the rig's registries: what a person
/// following the README does, and what they see. Each step waits on the program's idle signal.
@Suite struct HeadlessUITests {
    let rig: Rig

    init() async throws { rig = try await Rig.shared() }

    /// A session on the source and destination registries, the source's repositories focused.
    func session(width: Int = 120, height: Int = 32) async -> Session {
        let session = await Session(registries: [rig.source, rig.dest], width: width, height: height)
        await session.press(.enter)
        return session
    }

    /// Filters the repositories to `repository` and opens its tag `tag`.
    func open(_ repository: String, tag: String, in session: Session) async {
        await session.filter(repository)
        await session.press(.enter)
        await session.filter(tag)
    }

    @Test func browseToATagAndReadItsManifestTree() async throws {
        let session = await session()
        await open("demo/multiarch", tag: "1.0", in: session)
        #expect(session.selection?.tag == "1.0")
        await session.press(.enter)
        #expect(session.shows("OCI index (3 platforms)"))
        #expect(session.shows(String(rig.digest("multiarch").prefix(40))), "the header shows the digest")
        await session.press(.character("j"))
        #expect(session.hints.contains("<Enter> expand"), "the hint says what Enter does on a collapsed platform")
        await session.press(.enter)
        #expect(session.shows("config"))
        await session.press(.character("j"))
        #expect(session.selection?.treeRow == "config")
        #expect(!session.hints.contains("c copy"), "no copy hint on a config: \(session.hints)")
        await session.press(.character("c"))
        #expect(session.shows("choose a tag or a manifest to copy"))
        await session.press(.enter)
        #expect(session.shows("\"architecture\""), "Enter on the config shows its JSON")
        await session.quit()
    }

    @Test func slashFiltersEveryPaneAndTypingMovesNoOtherPane() async throws {
        let session = await session()
        await session.press(.character("h"))
        let repository = session.selection?.repository
        await session.press(.character("/"))
        await session.type(rig.source)
        #expect(session.shows("Registries (1)"))
        #expect(session.selection?.repository == repository, "typing in the registries' filter moves nothing else")
        await session.press(.escape)
        #expect(session.shows("Registries (2)"))
        await session.press(.enter)
        await open("demo/multiarch", tag: "1.0", in: session)
        await session.press(.enter)
        await session.filter("arm")
        #expect(session.shows("OCI index (3 platforms)"), "ancestors of matches stay")
        #expect(session.shows("linux/arm64") && session.shows("linux/arm/v7") && !session.shows("linux/amd64"))
        await session.press(.character("/"), .escape)
        #expect(session.shows("linux/amd64"), "/ then Esc clears a kept filter")
        await session.press(.enter)
        await session.press(.character("/"))
        await session.type("digest")
        await session.press(.enter)
        let first = session.program.screen
        await session.press(.character("n"))
        #expect(session.program.screen != first, "n moves to the next match")
        await session.press(.character("N"))
        #expect(session.program.screen == first, "N moves back")
        await session.quit()
    }

    @Test func aFilterBelongsToTheListItWasTypedOn() async throws {
        let session = await session()
        await session.filter("demo/single")
        #expect(session.shows("Repositories (1) /demo"))
        await session.press(.character("h"), .character("j"))
        #expect(session.selection?.registry == rig.dest)
        #expect(!session.shows("/demo"), "the destination's list is not filtered")
        await session.press(.character("k"))
        #expect(session.shows("Repositories (1) /demo"), "the source's filter is still there")
        #expect(session.selection?.repository == "demo/single")
        await session.quit()
    }

    @Test func aCopyArrivesAtItsDestinationWithoutARefresh() async throws {
        let session = await session()
        // Look at the destination first, so its catalog is on screen before the copy.
        await session.press(.character("h"), .character("j"), .enter)
        let repository = "headless/\(UUID().uuidString.prefix(8).lowercased())"
        #expect(!session.shows(repository))
        await session.press(.character("h"), .character("k"), .enter)
        await open("demo/single", tag: "1.0", in: session)
        await session.press(.character("c"))
        #expect(session.shows("to: \(rig.dest)/demo/single:1.0"))
        await session.press(.control("u"))
        await session.type("\(rig.dest)/\(repository)")
        await session.press(.enter)
        #expect(session.shows("digest preserved: \(rig.digest("single"))"))
        await session.press(.character("h"), .character("h"), .character("j"), .enter)
        await session.filter(repository)
        #expect(session.selection?.repository == repository, "the destination's catalog was reloaded")
        await session.press(.enter)
        #expect(session.shows("sha256:\(rig.digest("single").dropFirst(7).prefix(12))"), "its tag and digest are there")
        await session.quit()
    }

    @Test func anOCILayoutIsBrowsedAndCopiedIntoLikeARegistry() async throws {
        let folder = NSTemporaryDirectory() + "regtui-headless-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let copied = try await regtui(["copy", rig.ref("multiarch"), "oci:\(folder)/source:1.0"])
        try #require(copied.status == 0, "\(copied.stderr)")
        let session = await Session(registries: ["oci:\(folder)/source", rig.source], width: 120, height: 32)
        #expect(session.shows("oci:\(folder)/source"), "the layout is listed among the registries")
        await session.press(.enter)
        await session.press(.enter)
        #expect(session.shows("1.0"), "its tags are listed")
        await session.press(.enter)
        #expect(session.shows("OCI index (3 platforms)"))
        await session.press(.character("h"))
        await session.press(.character("c"))
        await session.press(.control("u"))
        await session.type("oci:\(folder)/target:1.0")
        await session.press(.enter)
        #expect(session.shows("digest preserved: \(rig.digest("multiarch"))"))
        let digest = try await regtui(["digest", "oci:\(folder)/target:1.0"])
        #expect(digest.text.trimmingCharacters(in: .whitespacesAndNewlines) == rig.digest("multiarch"))
        await session.quit()
    }

    @Test func theDiffShowsEveryLineOfEvidenceTheCommandLinePrints() async throws {
        let session = await session(width: 160, height: 48)
        await open("verdicts/image", tag: "base", in: session)
        await session.press(.character("m"))
        await session.filter("recompressed")
        await session.press(.character("d"))
        #expect(session.shows("verdict: recompressed"))
        let cli = try await regtui(["diff", "\(rig.source)/verdicts/image:base", "\(rig.source)/verdicts/image:recompressed", "--json"])
        let evidence = JSONValue.parse(cli.stdout)?["evidence"]?.array?.compactMap(\.string) ?? []
        #expect(!evidence.isEmpty)
        for line in evidence { #expect(session.screen.replacingOccurrences(of: "\n", with: " ").contains(String(line.prefix(40))), "\(line)") }
        await session.press(.character("n"))
        #expect(session.shows("every change is on screen") || session.shows("no more changes"), "n says when there is nothing further")
        await session.press(.escape)
        #expect(session.selection?.focus == .tags)
        await session.quit()
    }

    @Test func openingARepositoryThatDoesNotExistSaysSo() async throws {
        let session = await session()
        await session.press(.character("o"))
        await session.type("demo/sin")
        await session.press(.tab)
        #expect(session.shows("open repository on \(rig.source): demo/single"), "Tab completes from the catalog")
        await session.press(.control("u"))
        await session.type("no/such-repository")
        await session.press(.enter)
        #expect(session.shows("\(rig.source) has no repository no/such-repository"))
        #expect(!session.shows("Repositories (43)"), "nothing was added to the list")
        await session.quit()
    }

    @Test func anIndexOf6000EntriesBrowsesAndStaysResponsive() async throws {
        let hostile = rig.hostile["basic"]!
        let session = await Session(registries: [hostile], environment: try rig.credentials(for: [hostile]))
        await session.press(.enter)
        #expect(session.text.contains("does not list its repositories"))
        await session.press(.character("o"))
        await session.type("fanout/same")
        await session.press(.enter)
        await session.press(.enter)
        #expect(session.selection?.tag == "idx")
        await session.press(.enter)
        #expect(session.shows("OCI index (6000 platforms)"))
        await session.press(.character("G"))
        #expect(session.selection?.treeRow?.hasPrefix("linux/amd64") == true, "the last of 6,000 rows")
        await session.quit()
    }

    @Test func quittingDuringACopyAsksThenCancelsAndClosesItsUploads() async throws {
        let faulty = rig.registries["faulty-source"]!
        let layer = try await regtui(["inspect", rig.ref("large"), "--json"])
        let digest = try #require(JSONValue.parse(layer.stdout)?["layers"]?[0]?["digest"]?.string)
        let repository = "headless-quit/\(UUID().uuidString.prefix(8).lowercased())"
        let rules = #"[{"method":"GET","path":"/blobs/\#(digest)","action":"stall","after":65536,"seconds":30,"times":1}]"#
        try await FaultProxies.shared.with(faulty, rules: rules) {
            let logged = try await rig.log(of: faulty).count
            let session = await Session(registries: [faulty, rig.dest])
            await session.press(.enter)
            await open("demo/large", tag: "1.0", in: session)
            await session.press(.character("c"), .control("u"))
            await session.type("\(rig.dest)/\(repository)")
            // The copy runs until it is cancelled: keys are handled meanwhile, the program is not idle.
            await session.pressDuringWork(.enter)
            try await rig.awaitStall(at: faulty, path: digest, after: logged)
            await session.pressDuringWork(.character("q"))
            #expect(session.shows("A copy is running. Quit and cancel it"))
            await session.press(.character("y"))
            #expect(session.program.finished && session.terminal.restored)
        }
        #expect(try await regtui(["digest", "\(rig.dest)/\(repository):1.0"]).status == 1, "no tag was written")
        #expect(rig.openUploads(inDest: repository).isEmpty, "the upload session was closed")
    }
}
