import Foundation
import OCI
import Registry
import Stores
import TransferModel

extension Copier {
    /// Moves one blob: mounted within one registry, skipped when the destination has it, else
    /// written with its digest checked (small blobs from memory, large ones streamed from the
    /// source's read into the destination's write). Transient failures restart the blob; a
    /// digest or size mismatch never does. `checkPresence` false skips asking, for a
    /// destination known to be empty.
    func moveBlob(_ blob: Descriptor, from source: any ImageStore, to destination: any ImageStore,
                  checkPresence: Bool) async throws(RegistryError) -> BlobOutcome {
        observer(.blobStarted(blob))
        if let target = destination as? RegistryStore, let origin = source as? RegistryStore,
           target.repository.registry == origin.repository.registry, target.repository.repository != origin.repository.repository,
           try await target.mount(blob.digest, from: origin) {
            observer(.blobFinished(blob, .mounted))
            return .mounted
        }
        if checkPresence, try await destination.blobSize(blob.digest) != nil {
            observer(.blobFinished(blob, .skipped))
            return .skipped
        }
        var attempt = 1
        while true {
            do throws(RegistryError) {
                if blob.size <= Self.inMemoryLimit {
                    try await destination.putBlob(blob) { () throws(RegistryError) in
                        let bytes = try await source.blobData(blob.digest, limit: Int(Self.inMemoryLimit))
                        guard Int64(bytes.count) == blob.size else {
                            throw .sizeMismatch(what: "blob \(blob.digest) from \(source.location.name)", expected: blob.size, actual: Int64(bytes.count))
                        }
                        observer(.blobProgress(blob.digest, bytes: blob.size))
                        return bytes
                    }
                } else {
                    try await stream(blob, from: source, to: destination)
                }
                observer(.blobFinished(blob, .uploaded))
                return .uploaded
            } catch {
                guard attempt < options.attempts, Self.isTransient(error), !Task.isCancelled else { throw error }
                attempt += 1
                do { try await Task.sleep(for: .milliseconds(200 * attempt)) } catch { throw .cancelled }
            }
        }
    }

    /// Blobs up to this size are read and verified in memory, then written in one go.
    static let inMemoryLimit: Int64 = 4 << 20

    /// The source's read feeds a pipe that the destination's write drains; the pipe hashes and
    /// counts every byte, and lets the write finish only once the digest is verified. On any
    /// failure the write ends cleanly and leaves nothing behind (no upload session, no file).
    private func stream(_ blob: Descriptor, from source: any ImageStore, to destination: any ImageStore) async throws(RegistryError) {
        let observer = self.observer
        let pipe = BytePipe(expected: blob) { bytes in observer(.blobProgress(blob.digest, bytes: bytes)) }
        // Not a child task: cancelling the copy must end the write cleanly, not abort it.
        let writer = Task { () throws -> Void in
            do throws(RegistryError) { try await destination.writeBlob(blob, from: pipe) } catch {
                pipe.fail(error)
                throw error
            }
        }
        var failure: RegistryError?
        do {
            try await withTaskCancellationHandler {
                try await source.readBlob(blob, into: pipe)
            } onCancel: {
                pipe.fail(RegistryError.cancelled)
            }
            try pipe.finishDownload()
        } catch {
            failure = RegistryError(bridging: error)
            pipe.fail(failure!)
        }
        switch await writer.result {
        case .success:
            if let failure { throw failure }
        case .failure(let error):
            throw failure ?? RegistryError(bridging: error)
        }
    }

    /// Whether restarting the blob may help: broken connections, server trouble, a stale session.
    static func isTransient(_ error: RegistryError) -> Bool {
        switch error {
        case .transport(_, let cause): [.interrupted, .timeout, .connect].contains(cause.kind)
        case .status(let status, _, _): [429, 500, 502, 503, 504].contains(status)
        case .notFound(let what, let details): what.hasPrefix("upload") && details.contains { $0.code.hasPrefix("BLOB_UPLOAD") }
        default: false
        }
    }
}
