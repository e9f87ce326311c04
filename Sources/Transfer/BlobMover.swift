import Foundation
import OCI
import Registry

extension Copier {
    /// Moves one blob: skipped when the destination has it, mounted within one registry,
    /// else streamed from the source GET into the destination upload with its digest checked.
    /// Transient failures restart the blob (resuming the download where the registry allows);
    /// a digest or size mismatch never does.
    func moveBlob(_ blob: Descriptor, from source: Reference, to destination: Reference) async throws(RegistryError) -> BlobOutcome {
        observer(.blobStarted(blob))
        var session: UploadSession
        if source.registry == destination.registry && source.repository != destination.repository {
            switch try await client.startUpload(destination, mount: blob.digest, from: source) {
            case .mounted:
                observer(.blobFinished(blob, .mounted))
                return .mounted
            case .upload(let opened):
                session = opened
            }
        } else {
            if try await client.blobSize(destination, digest: blob.digest) != nil {
                observer(.blobFinished(blob, .skipped))
                return .skipped
            }
            session = try await Self.openSession(client, destination)
        }
        var attempt = 1
        while true {
            do {
                try await upload(blob, from: source, to: destination, session: session)
                observer(.blobFinished(blob, .uploaded))
                return .uploaded
            } catch {
                let stale = session
                let client = self.client
                await Task { await client.cancelUpload(destination, session: stale) }.value
                guard attempt < options.attempts, Self.isTransient(error), !Task.isCancelled else { throw error }
                attempt += 1
                try await Task.sleep(milliseconds: 200 * attempt)
                session = try await Self.openSession(client, destination)
            }
        }
    }

    private static func openSession(_ client: RegistryClient, _ destination: Reference) async throws(RegistryError) -> UploadSession {
        guard case .upload(let session) = try await client.startUpload(destination) else {
            throw .badResponse(what: "upload to \(destination.name)", reason: "the registry mounted a blob it was not asked to mount")
        }
        return session
    }

    /// One attempt: the download feeds a pipe that the upload drains, concurrently.
    private func upload(_ blob: Descriptor, from source: Reference, to destination: Reference,
                        session: UploadSession) async throws(RegistryError) {
        let observer = self.observer
        let pipe = BytePipe(expected: blob) { bytes in observer(.blobProgress(blob.digest, bytes: bytes)) }
        let client = self.client
        async let uploaded: RegistryError? = {
            do throws(RegistryError) {
                try await client.finishUpload(destination, session: session, digest: blob.digest,
                                              body: .stream(pipe, length: blob.size))
                return nil
            } catch {
                pipe.fail(error)
                return error
            }
        }()
        let downloaded: RegistryError?
        do throws(RegistryError) {
            try await download(blob, from: source, into: pipe)
            try pipe.finishDownload()
            downloaded = nil
        } catch {
            pipe.fail(error)
            downloaded = error
        }
        let uploadError = await uploaded
        // The download's error is the cause when both failed (the upload only saw the pipe close).
        if let error = downloaded ?? uploadError { throw error }
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
