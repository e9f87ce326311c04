import OCI

/// A copy's progress as its events tell it: the one fold behind both the command line's bars and
/// the TUI's copy pane. Sizes add up without trapping (they saturate), whatever a source declares.
public struct TransferProgress: Sendable, Equatable {
    /// A blob on its way.
    public struct Active: Sendable, Equatable {
        public var digest: Digest
        public var done: Int64
        public var size: Int64
    }

    public private(set) var totalBytes: Int64 = 0
    /// Bytes of blobs dealt with so far: uploaded, mounted or found already there.
    public private(set) var movedBytes: Int64 = 0
    /// Bytes of the blobs that were uploaded.
    public private(set) var uploadedBytes: Int64 = 0
    public private(set) var blobs = 0
    public private(set) var blobsDone = 0
    /// Blobs that moved bytes, were mounted, or were already there.
    public private(set) var outcomes: [BlobOutcome: Int] = [:]
    /// Manifests written by digest.
    public private(set) var manifestsPushed = 0
    /// Blobs in flight, in the order they started.
    public private(set) var active: [Active] = []

    public init() {}

    public mutating func apply(_ event: TransferEvent) {
        switch event {
        case .planned(_, _, let count, let bytes):
            blobs += count
            totalBytes = Self.add(totalBytes, bytes)
        case .blobStarted(let blob):
            active.append(Active(digest: blob.digest, done: 0, size: blob.size))
        case .blobProgress(let digest, let bytes):
            guard let index = active.firstIndex(where: { $0.digest == digest }) else { return }
            movedBytes = Self.add(movedBytes, bytes - active[index].done)
            active[index].done = bytes
        case .blobFinished(let blob, let outcome):
            let done = active.firstIndex { $0.digest == blob.digest }.map { active.remove(at: $0).done } ?? 0
            movedBytes = Self.add(movedBytes, blob.size - done)
            blobsDone += 1
            outcomes[outcome, default: 0] += 1
            if outcome == .uploaded { uploadedBytes = Self.add(uploadedBytes, blob.size) }
        case .manifestPushed:
            manifestsPushed += 1
        case .alreadyPresent, .tagged, .notice:
            break
        }
    }

    /// How far the bytes are, from 0 to 1.
    public var fraction: Double { totalBytes > 0 ? min(1, Double(movedBytes) / Double(totalBytes)) : 0 }

    /// Whether no blob had to move: everything was already at the destination or mounted.
    public var movedNothing: Bool { (outcomes[.uploaded] ?? 0) == 0 }

    private static func add(_ a: Int64, _ b: Int64) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? (b > 0 ? .max : .min) : sum
    }
}
