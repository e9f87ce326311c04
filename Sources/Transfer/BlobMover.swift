import Foundation
import OCI
import Registry
import TransferModel

extension Copier {
    /// Moves one blob: skipped when the destination has it, mounted within one registry, else
    /// uploaded with its digest checked (small blobs from memory in one request, large ones
    /// streamed). Transient failures restart the blob; a digest or size mismatch never does.
    /// `checkPresence` false skips the HEAD, for a destination repository known to be new.
    func moveBlob(_ blob: Descriptor, from source: Reference, to destination: Reference,
                  checkPresence: Bool) async throws(RegistryError) -> BlobOutcome {
        observer(.blobStarted(blob))
        var session: UploadSession?
        if source.registry == destination.registry && source.repository != destination.repository {
            switch try await client.startUpload(destination, mount: blob.digest, from: source) {
            case .mounted:
                observer(.blobFinished(blob, .mounted))
                return .mounted
            case .upload(let opened):
                session = opened
            }
        } else if checkPresence, try await client.blobSize(destination, digest: blob.digest) != nil {
            observer(.blobFinished(blob, .skipped))
            return .skipped
        }
        var attempt = 1
        while true {
            // Each upload closes the session it was given when it fails.
            let opened = session
            session = nil
            do throws(RegistryError) {
                if blob.size <= Self.inMemoryLimit {
                    try await uploadFromMemory(blob, from: source, to: destination, session: opened)
                } else {
                    let streaming: UploadSession
                    if let opened { streaming = opened } else { streaming = try await Self.openSession(client, destination) }
                    try await uploadStreaming(blob, from: source, to: destination, session: streaming)
                }
                observer(.blobFinished(blob, .uploaded))
                return .uploaded
            } catch {
                guard attempt < options.attempts, Self.isTransient(error), !Task.isCancelled else { throw error }
                attempt += 1
                try await Task.sleep(milliseconds: 200 * attempt)
            }
        }
    }

    /// Blobs up to this size are downloaded and verified in memory, then uploaded in one request.
    static let inMemoryLimit: Int64 = 4 << 20

    /// Downloads the blob into memory (checked against its digest), then uploads it with one
    /// `POST ?digest=` (or `PUT` to a session already open). Nothing reaches the destination
    /// unless it is verified.
    private func uploadFromMemory(_ blob: Descriptor, from source: Reference, to destination: Reference,
                                  session: UploadSession?) async throws(RegistryError) {
        do throws(RegistryError) {
            let bytes = try await client.blobData(source, digest: blob.digest, limit: Int(Self.inMemoryLimit))
            guard Int64(bytes.count) == blob.size else {
                throw RegistryError.sizeMismatch(what: "blob \(blob.digest) from the source", expected: blob.size, actual: Int64(bytes.count))
            }
            observer(.blobProgress(blob.digest, bytes: blob.size))
            if let session {
                try await client.finishUpload(destination, session: session, digest: blob.digest, body: .bytes(bytes))
            } else {
                try await client.uploadMonolithic(destination, digest: blob.digest, bytes: bytes)
            }
        } catch {
            if let session { await client.cancelUpload(destination, session: session) }
            throw error
        }
    }

    /// Streams the blob: the source GET feeds a pipe that one streamed `PATCH` drains; once the
    /// digest is verified, `PUT ?digest=` commits it. On any failure the PATCH body ends cleanly
    /// and the session is deleted, so no partial upload is left open.
    private func uploadStreaming(_ blob: Descriptor, from source: Reference, to destination: Reference,
                                 session: UploadSession) async throws(RegistryError) {
        let observer = self.observer
        let pipe = BytePipe(expected: blob) { bytes in observer(.blobProgress(blob.digest, bytes: bytes)) }
        let client = self.client
        // Not a child task: cancelling the copy must end the body cleanly, not abort it.
        let patch = Task { () throws -> UploadSession in
            do throws(RegistryError) {
                return try await client.uploadChunk(destination, session: session, offset: 0, length: nil,
                                                    body: .stream(pipe, length: nil), digest: blob.digest)
            } catch {
                pipe.fail(error)
                throw error
            }
        }
        var failure: RegistryError?
        do {
            try await withTaskCancellationHandler {
                try await download(blob, from: source, into: pipe)
            } onCancel: {
                pipe.fail(RegistryError.cancelled)
            }
            try pipe.finishDownload()
        } catch {
            failure = RegistryError(bridging: error)
            pipe.fail(failure!)
        }
        let committed: UploadSession
        switch await patch.result {
        case .success(let after):
            if let failure {
                await client.cancelUpload(destination, session: after)
                throw failure
            }
            committed = after
        case .failure(let error):
            // The PATCH failed: the session it was sent to is still open.
            await client.cancelUpload(destination, session: session)
            throw failure ?? RegistryError(bridging: error)
        }
        do throws(RegistryError) {
            try await client.finishUpload(destination, session: committed, digest: blob.digest, body: .none)
        } catch {
            await client.cancelUpload(destination, session: committed)
            throw error
        }
    }

    private static func openSession(_ client: RegistryClient, _ destination: Reference) async throws(RegistryError) -> UploadSession {
        guard case .upload(let session) = try await client.startUpload(destination) else {
            throw .badResponse(what: "upload to \(destination.name)", reason: "the registry mounted a blob it was not asked to mount")
        }
        return session
    }

    /// Streams the blob into `pipe`, resuming a dropped download with `Range` when the registry
    /// answers 206 from the right offset, and starting over (dropping what the pipe has) on a 200.
    private func download(_ blob: Descriptor, from source: Reference, into pipe: BytePipe) async throws(RegistryError) {
        var attempt = 1
        while true {
            let offset = pipe.received
            do throws(RegistryError) {
                let head = try await client.fetchBlob(source, digest: blob.digest, offset: offset, into: pipe) { head in
                    guard offset > 0 else { return }
                    if head.status == 200 {
                        pipe.restartDownload()
                    } else if !(head.headers["Content-Range"] ?? "").hasPrefix("bytes \(offset)-") {
                        pipe.fail(RegistryError.badResponse(what: "blob \(blob.digest)",
                                                            reason: "the registry resumed at another offset than \(offset)"))
                    }
                }
                if head.status == 416 && pipe.received != blob.size {
                    throw RegistryError.badResponse(what: "blob \(blob.digest)", reason: "the registry refused to resume at byte \(offset)")
                }
                return
            } catch {
                guard attempt < options.attempts, case .transport(_, let cause) = error,
                      [.interrupted, .timeout, .connect].contains(cause.kind) else { throw error }
                attempt += 1
                try await Task.sleep(milliseconds: 200 * attempt)
            }
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

extension Task where Success == Never, Failure == Never {
    /// Sleeps, turning cancellation into `RegistryError.cancelled`.
    static func sleep(milliseconds: Int) async throws(RegistryError) {
        do { try await Task.sleep(for: .milliseconds(milliseconds)) } catch { throw .cancelled }
    }
}
