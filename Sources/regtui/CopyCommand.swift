import Foundation
import OCI
import Registry
import Stores
import Transfer
import TransferModel

/// `regtui copy SOURCE DESTINATION`: byte-exact copy that keeps every digest.
struct CopyCommand: Command {
    static let name = "copy"
    static let summary = "copy an image to another registry or repository, keeping its digest"
    static let help = """
    Usage: regtui copy SOURCE DESTINATION [--platform P]… [--referrers] [--all-tags] [--no-clobber]
                       [--jobs N] [--json]

    Copies the manifest or index SOURCE names, with everything below it, byte for byte, so the
    digest at DESTINATION equals the source's. SOURCE and DESTINATION are registry references or
    OCI layouts (oci:DIR[:TAG]) or OCI archives (oci-archive:FILE[:TAG]); SOURCE may not be a
    docker-archive: (an engine's archive holds no registry manifest to keep). Only what
    DESTINATION lacks is transferred (blobs within one registry are mounted, not uploaded); every
    blob is checked against its digest on the way; the tag is written last, so a failed copy
    never moves it (an archive is written beside the file and renamed into place). DESTINATION
    without a tag takes SOURCE's tag. A tag that pointed elsewhere is moved, and said so.
    Ctrl-C cancels: open uploads are abandoned and no tag is written.
      --platform P   copy only this platform of an index (repeatable); the destination then gets
                     that platform's manifest (or a new index), so the index digest changes —
                     unless every platform is chosen, which copies the index itself
      --referrers    also copy artifacts whose subject is the image (signatures, SBOMs)
      --all-tags     SOURCE and DESTINATION are repositories: copy every tag
      --no-clobber   refuse to move a destination tag that points at another digest
      --jobs N       blobs moved at once (default \(CopyOptions.defaultJobs))
      --json         print a JSON summary: digests, blobs uploaded/mounted/skipped, bytes
                     written to the destination, requests made and seconds
    """
    let source: ImageRef
    let destination: ImageRef
    let allTags: Bool
    let options: CopyOptions

    init(arguments: inout Arguments) throws(UsageError) {
        let platforms = try parsePlatforms(arguments.options("--platform"))
        let referrers = arguments.flag("--referrers")
        let noClobber = arguments.flag("--no-clobber")
        allTags = arguments.flag("--all-tags")
        let jobsText = try arguments.option("--jobs", "-j")
        var jobs = CopyOptions.defaultJobs
        if let jobsText {
            guard let value = Int(jobsText), (1...64).contains(value) else { throw UsageError("--jobs takes a number from 1 to 64") }
            jobs = value
        }
        options = CopyOptions(platforms: platforms, referrers: referrers, noClobber: noClobber, jobs: jobs)
        let sourceText = try arguments.operand("SOURCE")
        let destinationText = try arguments.operand("DESTINATION")
        if allTags {
            do {
                source = try ImageRef(parsingRepository: sourceText)
                destination = try ImageRef(parsingRepository: destinationText)
            } catch {
                throw UsageError("with --all-tags, SOURCE and DESTINATION are repositories without tag or digest: \(error.description)")
            }
            return
        }
        source = try parseReference(sourceText)
        do { destination = try ImageRef.copyDestination(destinationText, for: source) } catch {
            throw UsageError(error.description)
        }
    }

    func run(_ context: Context) async throws -> Int32 {
        let progress = CopyProgress(live: context.output.stderrIsTerminal && !context.json, quiet: context.json)
        let copier = Copier(options: options) { progress.handle($0) }
        let from = context.store(source), to = context.store(destination)
        let started = ContinuousClock.now
        if allTags, let registry = source.registryReference?.registry { try await checkQuota(of: from, registry: registry, context) }
        let work = Task { [source, destination, allTags] () throws(RegistryError) -> [CopyResult] in
            if allTags { return try await copier.copyAllTags(from: from, to: to) }
            return [try await copier.copy(from: from, source.manifestID, to: to, tag: destination.tag)]
        }
        let interrupt = Interrupt { work.cancel() }
        defer { interrupt.stop() }
        let results: [CopyResult]
        do {
            results = try await work.value
        } catch {
            progress.finish()
            if case .cancelled = error as? RegistryError ?? .cancelled, interrupt.fired {
                context.output.error("copy cancelled: open uploads were abandoned and no tag was written")
                return 130
            }
            throw error
        }
        progress.finish()
        let elapsed = seconds(since: started)
        let requests = destination.kind == .registry ? context.client.transport.counter.count(host: destination.location) : 0
        if context.json {
            context.output.json(Summary(results: results, requests: requests, seconds: elapsed, allTags: allTags))
        } else {
            for result in results { context.output.line(Self.describe(result)) }
            let bytes = results.reduce(0) { $0 + $1.bytesUploaded }
            let where_ = destination.kind == .registry ? ", \(requests) requests to \(destination.location)" : " to \(destination.name)"
            context.output.note(String(format: "%@ written%@, %.2f s", ByteCount.format(bytes), where_, elapsed))
        }
        return ExitStatus.success
    }

    /// Before `--all-tags` pulls every tag: one HEAD (which no quota counts) learns the source's
    /// pull quota, and a warning says when the tags outnumber the pulls left.
    private func checkQuota(of store: any ImageStore, registry: String, _ context: Context) async throws {
        let tags = try await store.tags().names
        guard let first = tags.first else { return }
        _ = try await store.describe(.tag(first))
        guard let quota = context.client.rateLimit(for: registry), quota.remaining < tags.count else { return }
        context.output.note("regtui: warning: copying \(tags.count) tags pulls about \(tags.count) manifests from \(registry), which allows \(quota.description); the copy may stop part way with HTTP 429 (nothing half-written stays, and running it again later goes on)")
    }

    static func describe(_ result: CopyResult) -> String {
        let blobs = "\(result.blobsUploaded) uploaded, \(result.blobsMounted) mounted, \(result.blobsSkipped) skipped"
        return "\(result.destination)  \(result.summary)\(result.nothingToDo ? "" : "; blobs: \(blobs)")"
    }

    /// The `--json` output.
    struct Summary: Encodable {
        var results: [CopyResult]
        var requests: Int
        var seconds: Double
        var allTags: Bool

        func encode(to encoder: any Encoder) throws {
            if !allTags, let result = results.first {
                try Flat(result: result, requests: requests, seconds: seconds).encode(to: encoder)
                return
            }
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(results.map { Flat(result: $0, requests: nil, seconds: nil) }, forKey: .init("copies"))
            try container.encode(requests, forKey: .init("requests"))
            try container.encode(seconds, forKey: .init("seconds"))
            try container.encode(results.reduce(0) { $0 + $1.bytesUploaded }, forKey: .init("bytesUploaded"))
        }

        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(_ value: String) { stringValue = value }
            init?(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        struct Flat: Encodable {
            var result: CopyResult
            var requests: Int?
            var seconds: Double?

            func encode(to encoder: any Encoder) throws {
                try result.encode(to: encoder)
                var container = encoder.container(keyedBy: Key.self)
                try container.encodeIfPresent(requests, forKey: .init("requests"))
                try container.encodeIfPresent(seconds, forKey: .init("seconds"))
            }
        }
    }
}

/// Turns Ctrl-C into a call of `action` instead of killing the process, while it is installed.
final class Interrupt: @unchecked Sendable {
    private let source: DispatchSourceSignal
    private let lock = NSLock()
    private var didFire = false

    init(action: @escaping @Sendable () -> Void) {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { [unowned self] in
            lock.withLock { didFire = true }
            action()
        }
        source.resume()
    }

    /// Whether Ctrl-C was pressed.
    var fired: Bool { lock.withLock { didFire } }

    func stop() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}
