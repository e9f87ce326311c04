import App
import Foundation
import OCI
import TerminalUI
import Testing

/// The tags pane's dates, sizes and order, and the delete and tag prompts, through `update`.
@Suite struct HousekeepingUpdateTests {
    let app = Fixtures.app

    /// A summary of `size` bytes created on `day`.
    func summary(_ size: Int64, _ day: String, platforms: Int = 1) -> ManifestSummary {
        ManifestSummary(mediaType: MediaType.ociManifest.rawValue, created: "\(day)T00:00:00Z", size: size,
                        platforms: (0..<platforms).map { .init(platform: "linux/p\($0)", digest: "sha256:x", size: size / Int64(platforms), created: nil) })
    }

    /// Answers every summary request in `effects` from `table` (tag → summary).
    @discardableResult
    func answerSummaries(_ state: inout AppState, _ effects: [Effect], _ table: [String: ManifestSummary]) -> [Effect] {
        var more: [Effect] = []
        for case .load(let id, .summary(let reference)) in effects {
            let tag = reference.tag ?? ""
            more += update(&state, .answer(id, .summary(Fixtures.digest(tag), table[tag] ?? summary(0, "2000-01-01"))))
        }
        return more
    }

    @Test func rowsShowDateSizeAndPlatformsAndTheSortKeyOrdersTheWholeList() {
        var state = Fixtures.browsing(width: 140, height: 30)
        let tags = (0..<300).map { "t\($0)" }
        let table = Dictionary(uniqueKeysWithValues: tags.enumerated().map { ($1, summary(Int64($0 % 97) << 20, "2026-01-\(10 + $0 % 17)")) })
        var effects = Fixtures.press(&state, .character("r"))
        effects = Fixtures.answer(&state, effects, .tags(app), .tags(tags))
        answerSummaries(&state, effects, table)
        #expect(Fixtures.text(state).contains("t0 2026-01-10 0B"), "\(Fixtures.text(state))")
        // Sorting by size reads every tag, at most 32 at a time.
        effects = Fixtures.press(&state, .character("s"), .character("s"))
        #expect(view(state).lines.contains { $0.contains("Tags (300) by size") })
        var rounds = 0
        while !effects.isEmpty {
            let asked = effects.filter { if case .load(_, .summary) = $0 { true } else { false } }
            #expect(asked.count <= 32, "\(asked.count) requests at once")
            effects = answerSummaries(&state, effects, table)
            rounds += 1
        }
        #expect(rounds > 5, "the list was read a few dozen tags at a time")
        // The cursor stayed on its tag, wherever the order took it; at the top, 96 MiB is the
        // largest, for t96, t193 and t290, in natural order.
        Fixtures.press(&state, .character("g"))
        let rows = view(state).lines.filter { $0.contains("96.0M") }.map { $0.split(separator: "│").dropFirst().first.map(String.init) ?? "" }
        #expect(rows.map { $0.split(separator: " ").first ?? "" } == ["t96", "t193", "t290"], "\(rows)")
        Fixtures.press(&state, .character("s"), .character("g"))
        #expect(view(state).lines.contains { $0.contains("t0 ") && $0.contains("2026-01-10") }, "back to names")
    }

    @Test func deleteShowsThePlanAndCarriesOutOnlyWhatWasShown() throws {
        var state = Fixtures.browsing(width: 140, height: 30)
        let tag = try #require(state.selectedTag)
        let asked = Fixtures.press(&state, .character("D"))
        guard case .load(let id, .deletePlan(let target)) = asked.first else { Issue.record("no plan asked: \(asked)"); return }
        #expect(target == tag)
        let plan = DeletePlan(repository: try Reference(parsing: "r1:5000/team/app"), digest: Fixtures.digest("1.0"), mediaType: .ociIndex,
                              tags: ["1.0", "stable"], orphans: [], referrers: [])
        _ = update(&state, .answer(id, .deletePlan(plan)))
        #expect(Fixtures.text(state).contains("other tags on that digest, to be kept (1): stable"))
        #expect(Fixtures.text(state).contains("y deletes only 1.0, through a placeholder manifest"))
        #expect(Fixtures.press(&state, .character("n")).isEmpty && state.prompt == nil && state.status?.text == "nothing was deleted")
        let again = Fixtures.press(&state, .character("D"))
        guard case .load(let second, .deletePlan) = again.first else { return }
        _ = update(&state, .answer(second, .deletePlan(plan)))
        let delete = Fixtures.press(&state, .character("y"))
        guard case .delete(let deleting, let confirmed, let only) = delete.first else { Issue.record("no delete: \(delete)"); return }
        #expect(confirmed == plan && only == "1.0", "exactly the plan shown, for the tag alone")
        #expect(Fixtures.press(&state, .escape).isEmpty, "a delete under way is not abandoned half way")
        let after = update(&state, .answer(deleting, .deleted(.placeholder)))
        #expect(state.status?.text.contains("deleted the tag r1:5000/team/app:1.0 through a placeholder") == true)
        #expect(Fixtures.request(after, .tags(app)) != nil, "the tags load again")
    }

    @Test func deleteAndTagSayWhyNotWhereTheyCannot() {
        var state = Fixtures.browsing(width: 140, height: 30)
        Fixtures.press(&state, .character("h"))
        Fixtures.press(&state, .character("D"))
        #expect(state.status?.text == "choose a tag or a manifest to delete")
        Fixtures.press(&state, .character("T"))
        #expect(state.status?.text == "choose a tag or a manifest to tag")
    }

    @Test func tagsAreCheckedBeforeTheyAreWritten() {
        var state = Fixtures.browsing(width: 140, height: 30)
        Fixtures.press(&state, .character("T"))
        Fixtures.type(&state, "ok bad:tag")
        #expect(Fixtures.press(&state, .enter).isEmpty)
        #expect(Fixtures.text(state).contains("bad:tag"), "the prompt names the tag that is not valid: \(Fixtures.text(state))")
        for _ in 0..<8 { Fixtures.press(&state, .backspace) }
        let effects = Fixtures.press(&state, .enter)
        guard case .addTags(let id, let source, let tags) = effects.first else { Issue.record("nothing written: \(effects)"); return }
        #expect(tags == ["ok"] && source.digest == Fixtures.indexTree().manifest.digest, "pinned to the digest shown")
        _ = update(&state, .answer(id, .tagged(Fixtures.indexTree().manifest.digest, moved: ["ok": Fixtures.digest("old")])))
        #expect(state.status?.text.contains("as ok; moved ok from") == true)
    }
}
