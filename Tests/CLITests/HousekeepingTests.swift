import Foundation
import OCI
import TestSupport
import Testing

/// `regtui tag` and `regtui delete` against the rig's destination registry (distribution 2.8,
/// deletes enabled, deleting by digest only), through its logging proxy.
@Suite struct HousekeepingTests {
    let rig: Rig

    let environment: [String: String]

    init() async throws {
        rig = try await Rig.shared()
        environment = try rig.credentials(for: [rig.registries["faulty-dest"]!])
    }

    /// The logging, fault-injecting proxy in front of the destination registry (with Basic auth).
    var proxy: String { rig.registries["faulty-dest"]! }

    func unique(_ name: String) -> String { "\(proxy)/\(name)-\(UUID().uuidString.prefix(8).lowercased())" }

    @discardableResult
    func run(_ arguments: [String], status: Int32 = 0, sourceLocation: SourceLocation = #_sourceLocation) async throws -> ProcessResult {
        let result = try await regtui(arguments, environment: environment, input: Data())
        #expect(result.status == status, "regtui \(arguments.joined(separator: " ")): \(result.stderr)", sourceLocation: sourceLocation)
        return result
    }

    func digest(_ reference: String) async throws -> String? {
        let result = try await regtui(["digest", reference], environment: environment)
        return result.status == 0 ? result.text.trimmingCharacters(in: .whitespacesAndNewlines) : nil
    }

    /// Three tags on one digest, made with `regtui tag`.
    func threeTags() async throws -> String {
        let repository = unique("housekeeping/app")
        try await run(["copy", rig.ref("single"), "\(repository):a"])
        let before = try await rig.log(of: proxy).count
        let tagged = try await run(["tag", "\(repository):a", "b", "c", "--json"])
        #expect(JSONValue.parse(tagged.stdout)?.array?.count == 2)
        let path = "/v2/" + repository.dropFirst(proxy.count + 1)
        let traffic = try await rig.log(of: proxy).dropFirst(before).compactMap { $0["path"]?.string }.filter { $0.hasPrefix(path + "/") }
        #expect(!traffic.isEmpty && !traffic.contains { $0.contains("/blobs/") }, "retagging moves no blob: \(traffic)")
        for tag in ["a", "b", "c"] { #expect(try await digest("\(repository):\(tag)") == rig.digest("single")) }
        return repository
    }

    @Test func deletingATagThatSharesItsDigestIsRefusedOrDoneThroughAPlaceholder() async throws {
        let repository = try await threeTags()
        let refused = try await run(["delete", "\(repository):b"], status: 2)
        #expect(refused.stderr.contains("nothing was deleted") && refused.stderr.contains("--placeholder"), "\(refused.stderr)")
        #expect(refused.text.contains("other tags on that digest, to be kept (2): "), "\(refused.text)")
        for tag in ["a", "b", "c"] { #expect(try await digest("\(repository):\(tag)") == rig.digest("single"), "\(tag) is untouched") }
        let done = try await run(["delete", "\(repository):b", "--placeholder"])
        #expect(done.text.contains("through a placeholder"), "\(done.text)")
        #expect(try await digest("\(repository):b") == nil, "b is gone")
        for tag in ["a", "c"] { #expect(try await digest("\(repository):\(tag)") == rig.digest("single"), "\(tag) still resolves") }
        #expect(try await run(["tags", repository]).text.split(separator: "\n").sorted() == ["a", "c"])
    }

    @Test func aDigestsPlanListsEveryTagAndNothingChangesUntilConfirmed() async throws {
        let repository = try await threeTags()
        let target = "\(repository)@\(rig.digest("single"))"
        let plan = try #require(JSONValue.parse(try await run(["delete", target, "--dry-run", "--json"]).stdout))
        #expect(Set(plan["tags"]?.array?.compactMap(\.string) ?? []) == ["a", "b", "c"])
        #expect(plan["deleted"] == .bool(false))
        let unconfirmed = try await run(["delete", target], status: 2)
        #expect(unconfirmed.stderr.contains("confirm with --yes"), "\(unconfirmed.stderr)")
        #expect(unconfirmed.text.contains("tags removed with it (3)"), "\(unconfirmed.text)")
        for tag in ["a", "b", "c"] { #expect(try await digest("\(repository):\(tag)") == rig.digest("single")) }
        let deleted = try #require(JSONValue.parse(try await run(["delete", target, "--yes", "--json"]).stdout))
        #expect(deleted["deleted"] == .bool(true) && deleted["method"]?.string == "digest")
        for tag in ["a", "b", "c"] { #expect(try await digest("\(repository):\(tag)") == nil) }
    }

    @Test func theOnlyTagGoesWithItsManifestOnceConfirmed() async throws {
        let repository = unique("housekeeping/lone")
        try await run(["copy", rig.ref("multiarch"), "\(repository):only", "--referrers"])
        let plan = try await run(["delete", "\(repository):only"], status: 2)
        #expect(plan.text.contains("it is the digest's only tag") && plan.text.contains("children left without a parent (3)"), "\(plan.text)")
        #expect(try await digest("\(repository):only") == rig.digest("multiarch"))
        try await run(["delete", "\(repository):only", "--yes"])
        #expect(try await digest("\(repository):only") == nil)
        #expect(try await digest("\(repository)@\(rig.digest("multiarch"))") == nil)
    }

    @Test func referrersLeftWithoutTheirSubjectAreNamed() async throws {
        let repository = unique("housekeeping/signed")
        try await run(["copy", rig.ref("single"), "\(repository):1.0", "--referrers"])
        let plan = try await run(["delete", "\(repository)@\(rig.digest("single"))", "--dry-run"])
        #expect(plan.text.contains("referrers left without their subject (1): \(rig.fixtures["artifact"]?["digest"]?.string?.dropFirst(7).prefix(12) ?? "?")"),
                "\(plan.text)")
    }

    /// A platform's manifest is listed by its index: deleting it would leave the index's tags
    /// pointing at a manifest that is gone, and the plan says so.
    @Test func theIndexesThatListAManifestAreNamed() async throws {
        let repository = unique("housekeeping/platform")
        try await run(["copy", rig.ref("multiarch"), "\(repository):1.0"])
        let child = try await run(["digest", "\(repository):1.0", "--platform", "linux/arm64"]).text.trimmingCharacters(in: .whitespacesAndNewlines)
        let plan = try await run(["delete", "\(repository)@\(child)", "--dry-run"])
        #expect(plan.text.contains("indexes that list it, left pointing at a manifest that is gone (1): \(rig.digest("multiarch").dropFirst(7).prefix(12)) (1.0)"),
                "\(plan.text)")
        let json = JSONValue.parse(try await run(["delete", "\(repository)@\(child)", "--dry-run", "--json"]).stdout)
        #expect(json?["parents"]?.array?.compactMap(\.string) == [rig.digest("multiarch")])
        let index = JSONValue.parse(try await run(["delete", "\(repository):1.0", "--dry-run", "--json"]).stdout)
        #expect(index?["orphans"]?.array?.count == 3, "its three platforms would be left without a parent")
    }

    /// Of an index's platforms, those another tagged index also lists keep a parent: only the
    /// rest are named as left without one.
    @Test func platformsAnotherIndexListsAreNotOrphans() async throws {
        let repository = unique("housekeeping/shared")
        try await run(["copy", rig.ref("multiarch"), "\(repository):1.0"])
        try await run(["copy", rig.ref("subset"), "\(repository):subset"])
        let plan = JSONValue.parse(try await run(["delete", "\(repository):1.0", "--dry-run", "--json"]).stdout)
        let third = rig.fixtures["multiarch"]?["children"]?.array?.last?["digest"]?.string
        #expect(plan?["orphans"]?.array?.compactMap(\.string) == [third].compactMap { $0 }, "\(String(describing: plan?["orphans"]))")
    }

    @Test func aRegistryWithDeletesDisabledSaysSo() async throws {
        let repository = try await threeTags()
        let body = #"{\"errors\":[{\"code\":\"UNSUPPORTED\",\"message\":\"The operation is unsupported.\"}]}"#
        let path = repository.dropFirst(proxy.count) + "/manifests/"
        let rules = #"[{"method":"DELETE","path":"\#(path)","action":"status","status":405,"body":"\#(body)","times":-1}]"#
        try await FaultProxies.shared.with(proxy, rules: rules) {
            let result = try await run(["delete", "\(repository)@\(rig.digest("single"))", "--yes"], status: 2)
            #expect(result.stderr.contains("the registry has deletes disabled (HTTP 405 UNSUPPORTED)"), "\(result.stderr)")
        }
        #expect(try await digest("\(repository):a") == rig.digest("single"))
    }

    @Test func deleteNeedsATagOrADigestAndSaysBlobsStay() async throws {
        let bare = try await run(["delete", unique("housekeeping/none")], status: 2)
        #expect(bare.stderr.contains("does not assume latest"), "\(bare.stderr)")
        #expect(try await run(["delete", "--help"]).text.contains("Deleting does not remove blobs"))
    }

    @Test func longTagListsGiveDigestsSizesAndPlatformsAndASecondRunOnlyAsksForTags() async throws {
        // The proxy is shared: hold it with no faults, so another test's corruption cannot land here.
        let source = rig.registries["faulty-source"]!
        try await FaultProxies.shared.with(source, rules: "[]") { try await self.checkLongTagLists(through: source) }
    }

    private func checkLongTagLists(through source: String) async throws {
        let cache = NSTemporaryDirectory() + "regtui-cache-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: cache) }
        var environment = self.environment
        environment["XDG_CACHE_HOME"] = cache
        func long(_ repository: String, _ extra: [String] = []) async throws -> [TestSupport.JSONValue] {
            let result = try await regtui(["tags", "\(source)/\(repository)", "--long", "--json"] + extra, environment: environment)
            #expect(result.status == 0, "\(result.stderr)")
            return JSONValue.parse(result.stdout)?.array ?? []
        }
        let manifest = try #require(JSONValue.parse(try await run(["manifest", rig.ref("single")]).stdout))
        let blobs = [manifest["config"]] + (manifest["layers"]?.array ?? []).map { Optional($0) }
        let size = blobs.compactMap { $0?["size"]?.number }.reduce(0, +)
        let many = try await long("tags/many")
        #expect(many.map { $0["tag"]?.string ?? "" } == ["latest", "v1.0", "v1.1", "v1.2", "v1.3", "v1.4", "v1.5", "v1.6", "v1.7", "v1.8",
                                                          "v1.9", "v1.10-rc1", "v1.10", "v1.11", "v2.0"], "natural order")
        #expect(many.allSatisfy { $0["created"]?.string == "2026-01-01T00:00:00Z" && $0["platforms"]?[0]?["platform"]?.string == "linux/amd64" })
        let single = try await long("demo/single")
        #expect(single.first?["size"]?.number == size && single.first?["digest"]?.string == rig.digest("single"))
        let index = try #require(try await long("demo/multiarch").first)
        let platforms = index["platforms"]?.array ?? []
        #expect(platforms.map { $0["platform"]?.string ?? "" } == ["linux/amd64", "linux/arm64/v8", "linux/arm/v7"])
        // What a mirror stores: each distinct blob of the platforms once (they share some).
        var distinct: [String: Double] = [:]
        for platform in platforms.compactMap({ $0["platform"]?.string }) {
            let child = try #require(JSONValue.parse(try await run(["manifest", rig.ref("multiarch"), "--platform", platform]).stdout))
            for blob in [child["config"]] + (child["layers"]?.array ?? []).map(Optional.init) {
                if let digest = blob?["digest"]?.string { distinct[digest] = blob?["size"]?.number }
            }
        }
        #expect(index["size"]?.number == distinct.values.reduce(0, +), "an index's size counts each blob once")
        #expect(index["size"]?.number ?? 0 < platforms.compactMap { $0["size"]?.number }.reduce(0, +), "the platforms share blobs")

        let before = try await rig.log(of: source).count
        _ = try await long("tags/many", ["--sort", "size"])
        let again = try await rig.log(of: source).dropFirst(before).filter { $0["path"]?.string?.hasPrefix("/v2/tags/many/") == true }
        let requests = again.map { "\($0["method"]?.string ?? "") \($0["path"]?.string?.split(separator: "/").dropFirst(3).first ?? "")" }
        #expect(requests.filter { $0 == "HEAD manifests" }.count == 15, "one HEAD a tag: \(requests)")
        #expect(requests.allSatisfy { $0 == "HEAD manifests" || $0 == "GET tags" }, "no manifest or config fetched again: \(requests)")
    }

    @Test func retaggingATagThatPointedElsewhereSaysItMoved() async throws {
        let repository = unique("housekeeping/moved")
        try await run(["copy", rig.ref("single"), "\(repository):old"])
        try await run(["copy", rig.ref("multiarch"), "\(repository):new"])
        let moved = try await run(["tag", "\(repository):new", "old"])
        #expect(moved.text.contains(":old -> \(rig.digest("multiarch")) (moved from \(rig.digest("single")))"), "\(moved.text)")
        #expect(try await digest("\(repository):old") == rig.digest("multiarch"))
    }
}

/// Docker Hub's pull quota, announced by the rig's proxy in front of the source registry.
@Suite struct RateLimitTests {
    let rig: Rig

    init() async throws { rig = try await Rig.shared() }

    var proxy: String { rig.registries["faulty-source"]! }

    func quota(remaining: Int) -> String {
        #"[{"path":"/v2/","action":"ratelimit","limit":100,"remaining":\#(remaining),"window":21600,"times":-1}]"#
    }

    @Test func inspectShowsThePullsLeft() async throws {
        try await FaultProxies.shared.with(proxy, rules: quota(remaining: 77)) {
            let human = try await regtui(["inspect", "\(proxy)/demo/single:1.0"])
            #expect(human.text.contains("Rate limit   76 of 100 pulls left (6 h window)"), "the manifest GET took one: \(human.text)")
            let json = JSONValue.parse(try await regtui(["inspect", "\(proxy)/demo/single:1.0", "--json"]).stdout)
            #expect(json?["rateLimit"]?["remaining"]?.number == 75 && json?["rateLimit"]?["limit"]?.number == 100)
        }
        let plain = try await regtui(["inspect", "\(rig.source)/demo/single:1.0"])
        #expect(!plain.text.contains("Rate limit"), "a registry that announces none shows none")
    }

    @Test func copyingEveryTagWarnsBeforeItWouldRunOutOfPulls() async throws {
        let destination = "\(rig.dest)/ratelimit/\(UUID().uuidString.prefix(8).lowercased())"
        try await FaultProxies.shared.with(proxy, rules: quota(remaining: 5)) {
            let short = try await regtui(["copy", "\(proxy)/tags/many", destination, "--all-tags"])
            #expect(short.status == 0, "\(short.stderr)")
            #expect(short.stderr.contains("warning: copying 15 tags pulls about 15 manifests from \(proxy), which allows 5 of 100 pulls left"),
                    "\(short.stderr)")
        }
        try await FaultProxies.shared.with(proxy, rules: quota(remaining: 90)) {
            let plenty = try await regtui(["copy", "\(proxy)/tags/many", destination + "-2", "--all-tags"])
            #expect(plenty.status == 0 && !plenty.stderr.contains("warning"), "\(plenty.stderr)")
        }
    }
}
