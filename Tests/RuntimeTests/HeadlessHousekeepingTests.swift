import App
import Foundation
import OCI
import Runtime
import TerminalUI
import TestSupport
import Testing

/// Housekeeping in the terminal UI against the rig's destination registry (deletes enabled,
/// deleting by digest only): the tags pane's dates, sizes and order, `T` and `D`.
@Suite struct HeadlessHousekeepingTests {
    let rig: Rig

    init() async throws { rig = try await Rig.shared() }

    func digest(_ reference: String) async throws -> String? {
        let result = try await regtui(["digest", reference])
        return result.status == 0 ? result.text.trimmingCharacters(in: .whitespacesAndNewlines) : nil
    }

    /// A repository on the destination with the index under `1.0`, `latest` and `stable`, and the
    /// single image under `old`; a session with its tags focused.
    func repository() async throws -> (String, Session) {
        let repository = "headless-housekeeping/\(UUID().uuidString.prefix(8).lowercased())"
        let name = "\(rig.dest)/\(repository)"
        #expect(try await regtui(["copy", rig.ref("multiarch"), "\(name):1.0"]).status == 0)
        #expect(try await regtui(["tag", "\(name):1.0", "latest", "stable"]).status == 0)
        #expect(try await regtui(["copy", rig.ref("single"), "\(name):old"]).status == 0)
        let session = await Session(registries: [rig.dest], width: 140, height: 36)
        await session.press(.enter)
        await session.filter(repository)
        await session.press(.enter)
        return (name, session)
    }

    @Test func tagsShowDatesAndSizesAndSortByThem() async throws {
        let (_, session) = try await repository()
        let single = try #require(JSONValue.parse(try await regtui(["tags", "\(rig.source)/demo/single", "--long", "--json"]).stdout)?[0])
        #expect(session.shows("old ") && session.shows("2026-01-01 \(ByteCount.compact(Int64(single["size"]?.number ?? 0)))"), "\(session.screen)")
        #expect(session.shows("×3"), "an index says how many platforms")
        await session.press(.character("s"), .character("s"))
        #expect(session.shows("Tags (4) by size"))
        await session.press(.character("g"))
        #expect(session.selection?.tag == "1.0", "the index, the largest, first")
        #expect(session.text.contains("linux/arm/v7"), "the Details box lists the platforms")
        await session.press(.character("G"))
        #expect(session.selection?.tag == "old")
        await session.quit()
    }

    @Test func addingATagWritesTheSameDigestAndTheListShowsIt() async throws {
        let (name, session) = try await repository()
        await session.filter("old")
        await session.press(.character("T"))
        await session.type("v1 v2")
        await session.press(.enter)
        #expect(session.shows("as v1, v2"), "\(session.screen)")
        await session.press(.character("/"), .escape)
        #expect(session.shows("Tags (6)"), "the list was read again")
        for tag in ["v1", "v2"] { #expect(try await digest("\(name):\(tag)") == rig.digest("single")) }
        await session.quit()
    }

    @Test func deletingASharedTagShowsThePlanAndTakesOnlyThatTag() async throws {
        let (name, session) = try await repository()
        await session.filter("latest")
        await session.press(.character("D"))
        #expect(session.text.contains("other tags on that digest, to be kept (2): 1.0, stable") || session.text.contains("to be kept (2): stable, 1.0"),
                "\(session.screen)")
        #expect(session.shows("y deletes only latest, through a placeholder"))
        await session.press(.character("n"))
        #expect(try await digest("\(name):latest") == rig.digest("multiarch"), "n keeps it")
        await session.press(.character("D"), .character("y"))
        #expect(session.shows("deleted the tag \(name):latest through a placeholder"), "deleted? \(session.screen)")
        #expect(try await digest("\(name):latest") == nil)
        for tag in ["1.0", "stable"] { #expect(try await digest("\(name):\(tag)") == rig.digest("multiarch"), "\(tag) still resolves") }
        await session.press(.character("/"), .escape)
        #expect(session.shows("Tags (3)"))
        await session.quit()
    }

    /// What the person confirmed is what happens: a tag that appears on the digest after the plan
    /// was shown stops the delete.
    @Test func aDeleteWhoseRepositoryChangedSinceThePlanDeletesNothing() async throws {
        let (name, session) = try await repository()
        await session.filter("old")
        await session.press(.character("D"))
        #expect(session.shows("it is the digest's only tag"), "\(session.screen)")
        #expect(try await regtui(["tag", "\(name):old", "newcomer"]).status == 0)
        await session.press(.character("y"))
        #expect(session.text.contains("nothing was deleted") && session.text.contains("changed since the plan"), "\(session.screen)")
        for tag in ["old", "newcomer"] { #expect(try await digest("\(name):\(tag)") == rig.digest("single"), "\(tag) still resolves") }
        await session.quit()
    }

    /// Docker Hub's pull quota, as the rig's proxy announces it, on the status line.
    @Test func theStatusLineShowsThePullsLeft() async throws {
        let proxy = rig.registries["faulty-source"]!
        let rules = #"[{"path":"/v2/","action":"ratelimit","limit":100,"remaining":42,"window":21600,"times":-1}]"#
        try await FaultProxies.shared.with(proxy, rules: rules) {
            let logged = try await rig.log(of: proxy).count
            let session = await Session(registries: [proxy], width: 140, height: 36)
            await session.press(.enter)
            await session.filter("demo/single")
            await session.press(.enter, .enter)
            // Each manifest GET is a pull (the tags' summaries and the tree); HEADs are not.
            let pulls = try await rig.log(of: proxy).dropFirst(logged).filter {
                $0["method"]?.string == "GET" && $0["path"]?.string?.contains("/manifests/") == true
            }.count
            #expect(pulls > 0)
            #expect(session.lines.last?.hasSuffix("pulls left: \(42 - pulls)/100") == true, "\(pulls) pulls: \(session.lines.last ?? "")")
            await session.quit()
        }
    }
}
