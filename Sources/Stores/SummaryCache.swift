import Foundation
import OCI
import Registry
import Synchronization

/// Manifest summaries on disk under `$XDG_CACHE_HOME/regtui/summaries` (else
/// `~/.cache/regtui/summaries`), one small file per digest. A digest names immutable bytes, so
/// an entry is never stale; a tag's digest is always asked of the registry. The folder is kept
/// under `capacity` bytes, oldest entries out first. A file that is unreadable, too large or
/// not a summary is ignored and rewritten.
public final class SummaryCache: Sendable {
    public let folder: String
    /// Most bytes the folder holds.
    public let capacity: Int64
    /// Largest entry read back.
    static let entryLimit = 256 << 10
    /// Entries written between two trims, for a long-running user (the TUI).
    public static let trimEvery = 500
    private let written = Mutex(0)

    public init(folder: String? = nil, capacity: Int64 = 32 << 20) {
        self.folder = folder ?? Self.defaultFolder()
        self.capacity = capacity
    }

    static func defaultFolder() -> String {
        let environment = ProcessInfo.processInfo.environment
        let base = environment["XDG_CACHE_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.cache"
        return base + "/regtui/summaries"
    }

    private func path(_ digest: Digest) -> String { "\(folder)/\(digest.algorithm.rawValue)-\(digest.hex).json" }

    public func summary(_ digest: Digest) -> ManifestSummary? {
        guard let size = FileIO.size(path(digest)), size <= Self.entryLimit,
              let data = FileManager.default.contents(atPath: path(digest)) else { return nil }
        return try? JSONDecoder().decode(ManifestSummary.self, from: data)
    }

    /// Writes an entry (atomically); failures only mean the next run asks again. Every
    /// `trimEvery` entries, the folder is trimmed to its capacity.
    public func store(_ summary: ManifestSummary, for digest: Digest) {
        guard let data = try? JSONEncoder().encode(summary), data.count <= Self.entryLimit else { return }
        try? FileIO.makeDirectory(folder, what: "the summary cache")
        try? FileIO.writeAtomically(data, to: path(digest), what: "the summary cache")
        let count = written.withLock { count in
            count += 1
            return count
        }
        if count % Self.trimEvery == 0 { trim() }
    }

    /// Removes the oldest entries while the folder holds more than `capacity` bytes.
    public func trim() {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: folder) else { return }
        var entries: [(path: String, size: Int64, modified: Date)] = names.compactMap { name in
            let path = "\(folder)/\(name)"
            guard let attributes = try? manager.attributesOfItem(atPath: path) else { return nil }
            return (path, (attributes[.size] as? NSNumber)?.int64Value ?? 0, attributes[.modificationDate] as? Date ?? .distantPast)
        }
        var total = entries.reduce(Int64(0)) { $0 &+ $1.size }
        guard total > capacity else { return }
        entries.sort { $0.modified < $1.modified }
        for entry in entries where total > capacity {
            try? manager.removeItem(atPath: entry.path)
            total -= entry.size
        }
    }
}

extension ImageStore {
    /// Every tag with its digest (one HEAD each, a few at a time) and its manifest's summary,
    /// from `cache` where it has it; what was fetched is cached.
    public func tagSummaries(cache: SummaryCache, parallel: Int = 8) async throws(RegistryError) -> [(tag: String, digest: Digest, summary: ManifestSummary)] {
        let names = try await tags().names
        let summaries = try await concurrentMap(names, limit: parallel) { (tag) throws(RegistryError) -> (String, Digest, ManifestSummary)? in
            try await self.summary(ofTag: tag, cache: cache).map { (tag, $0.digest, $0.summary) }
        }
        cache.trim()
        return summaries.compactMap { $0 }
    }

    /// What `tag` points at now (always asked of the store) and its manifest's summary, from
    /// `cache` when it has the digest; nil when the tag is gone.
    public func summary(ofTag tag: String, cache: SummaryCache) async throws(RegistryError) -> (digest: Digest, summary: ManifestSummary)? {
        guard let digest = try await describe(.tag(tag))?.digest else { return nil }
        if let cached = cache.summary(digest) { return (digest, cached) }
        let summary = try await ManifestSummary.make(digest, in: self)
        cache.store(summary, for: digest)
        return (digest, summary)
    }
}
