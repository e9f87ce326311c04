import Foundation
import OCI
import Stores
import Testing

/// The on-disk cache of manifest summaries: read back by digest, bounded, forgiving of junk.
@Suite struct SummaryCacheTests {
    func folder() -> String { NSTemporaryDirectory() + "regtui-summaries-\(UUID().uuidString)" }

    func summary(_ size: Int64) -> ManifestSummary {
        ManifestSummary(mediaType: MediaType.ociManifest.rawValue, created: "2026-01-01T00:00:00Z", size: size,
                        platforms: [.init(platform: "linux/amd64", digest: "sha256:x", size: size, created: nil)])
    }

    @Test func aSummaryIsReadBackByItsDigestAndJunkIsIgnored() throws {
        let cache = SummaryCache(folder: folder())
        defer { try? FileManager.default.removeItem(atPath: cache.folder) }
        let digest = Digest.of(Data("a".utf8)), other = Digest.of(Data("b".utf8))
        cache.store(summary(42), for: digest)
        #expect(cache.summary(digest) == summary(42))
        #expect(cache.summary(other) == nil)
        try Data("not json".utf8).write(to: URL(fileURLWithPath: "\(cache.folder)/sha256-\(other.hex).json"))
        #expect(cache.summary(other) == nil, "an entry that is not a summary counts as absent")
    }

    /// A long session (the TUI) writes many entries: the folder is trimmed as it goes, oldest out.
    @Test func theFolderStaysUnderItsCapacityAsEntriesAreWritten() throws {
        let cache = SummaryCache(folder: folder(), capacity: 16 << 10)
        defer { try? FileManager.default.removeItem(atPath: cache.folder) }
        for i in 0..<SummaryCache.trimEvery { cache.store(summary(Int64(i)), for: Digest.of(Data("\(i)".utf8))) }
        let names = try FileManager.default.contentsOfDirectory(atPath: cache.folder)
        let bytes = try names.reduce(0) { $0 + (try FileManager.default.attributesOfItem(atPath: "\(cache.folder)/\($1)")[.size] as? Int ?? 0) }
        #expect(bytes <= 16 << 10 && !names.isEmpty, "\(names.count) entries, \(bytes) bytes")
        #expect(cache.summary(Digest.of(Data("\(SummaryCache.trimEvery - 1)".utf8))) != nil, "the newest stays")
    }
}
