import Foundation
import OCI
import Registry
import TestSupport
import Testing

/// `copy --all-tags` over 200 tags whose images share layers, against a local registry.
@Suite struct LoadTests {
    @Test func twoHundredTagsCopyWithEveryDigestKeptAndFlatMemory() async throws {
        let rig = try await Rig.shared()
        let expected = rig.fixtures["load"]?["digests"]
        let repository = "load/copy-\(UUID().uuidString.prefix(6).lowercased())"
        let home = NSTemporaryDirectory() + "regtui-load-\(UUID().uuidString)"
        let result = try await runProcess(["/usr/bin/time", "-v", Rig.repositoryRoot + "/.build/debug/regtui", "copy", "--all-tags",
                                           "\(rig.source)/load/app", "\(rig.dest)/\(repository)", "--json"],
                                          environment: ["HOME": home, "DOCKER_CONFIG": home + "/d"])
        #expect(result.status == 0, "\(result.stderr.suffix(2000))")
        let summary = try #require(JSONValue.parse(result.stdout))
        let copies = summary["copies"]?.array ?? []
        #expect(copies.count == 200)
        for copy in copies {
            let tag = String(copy["destination"]?.string?.split(separator: ":").last ?? "")
            #expect(copy["digest"]?.string == expected?[tag]?.string, "\(tag)")
            #expect(copy["digestPreserved"] == .bool(true))
        }
        // The 2 shared layers move once; each image brings its own config and layer.
        let uploaded = copies.reduce(0.0) { $0 + ($1["blobsUploaded"]?.number ?? 0) }
        #expect(uploaded == 2 + 200 * 2)
        let tags = try await regtui(["tags", "\(rig.dest)/\(repository)"], environment: ["HOME": home])
        #expect(tags.text.split(separator: "\n").count == 200)
        let sample = try await skopeoRaw("\(rig.dest)/\(repository):build-137")
        #expect(Digest.of(sample).description == expected?["build-137"]?.string)
        let rss = result.stderr.split(separator: "\n").first { $0.contains("Maximum resident set size") }
            .flatMap { Int($0.split(separator: " ").last ?? "") } ?? .max
        #expect(rss < 100 * 1024, "peak RSS \(rss) KiB")
    }
}
