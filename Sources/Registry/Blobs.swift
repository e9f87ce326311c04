import Foundation
import OCI

/// An upload session a registry opened for a blob.
public struct UploadSession: Sendable {
    /// Where to send the bytes (absolute or registry-relative, as the registry said).
    public var location: String
    /// The smallest chunk the registry accepts for chunked uploads (`OCI-Chunk-Min-Length`).
    public var minimumChunk: Int64?
}

/// What opening an upload with `mount` gave.
public enum MountResult: Sendable {
    /// The registry linked the blob from the other repository: nothing to upload.
    case mounted
    /// The registry did not mount it and opened an upload session instead.
    case upload(UploadSession)
}

extension RegistryClient {
    /// The size of a blob in `repository`, or nil when the registry does not have it.
    public func blobSize(_ repository: Reference, digest: Digest) async throws(RegistryError) -> Int64? {
        let what = "blob \(digest) in \(repository.name)"
        let response = try await send(repository.registry, "HEAD", "/v2/\(repository.repository)/blobs/\(digest)",
                                      scopes: [Self.pullScope(repository)], what: what)
        if response.status == 404 { return nil }
        guard response.status == 200 else { throw failure(response, registry: repository.registry, what: what) }
        return response.headers["Content-Length"].flatMap(Int64.init) ?? -1
    }

    /// A small blob (a config) read into memory, checked against its digest and `limit`.
    public func blobData(_ repository: Reference, digest: Digest, limit: Int = 16 << 20) async throws(RegistryError) -> Data {
        let what = "blob \(digest) in \(repository.name)"
        let response = try await send(repository.registry, "GET", "/v2/\(repository.repository)/blobs/\(digest)",
                                      scopes: [Self.pullScope(repository)], maxBufferedBody: limit, what: what)
        guard response.status == 200 else { throw failure(response, registry: repository.registry, what: what) }
        let actual = Digest.of(response.body, algorithm: digest.algorithm)
        if actual != digest { throw .digestMismatch(what: what, expected: digest, actual: actual) }
        return response.body
    }

    /// Streams a blob's bytes into `sink`, starting at `offset` (a `Range` request when > 0).
    /// `onHead` sees the response head before any byte reaches the sink: 200 for the whole blob,
    /// 206 when the range was honoured. Returns the final head (a 416 means the range starts at the
    /// end). Nothing is verified here; the caller hashes what it receives.
    public func fetchBlob(_ repository: Reference, digest: Digest, offset: Int64 = 0, into sink: any ByteSink,
                          onHead: @escaping @Sendable (HTTPResponseHead) -> Void = { _ in }) async throws(RegistryError) -> HTTPResponseHead {
        let what = "blob \(digest) in \(repository.name)"
        var headers: HTTPHeaders = [:]
        if offset > 0 { headers.set("Range", "bytes=\(offset)-") }
        let response = try await send(repository.registry, "GET", "/v2/\(repository.repository)/blobs/\(digest)",
                                      headers: headers, scopes: [Self.pullScope(repository)],
                                      sink: { head in
                                          guard head.status == 200 || head.status == 206 else { return nil }
                                          onHead(head)
                                          return sink
                                      }, what: what)
        guard response.status == 200 || response.status == 206 || (response.status == 416 && offset > 0) else {
            throw failure(response, registry: repository.registry, what: what)
        }
        return response.head
    }

    /// Opens an upload in `repository`; with `mountFrom`, asks the registry to link the blob from
    /// that repository of the same registry instead. The `POST` is never cut short: a cancelled
    /// one could open a session whose `Location` never arrives. A session opened for a caller
    /// cancelled meanwhile is deleted at once.
    public func startUpload(_ repository: Reference, mount digest: Digest? = nil,
                            from source: Reference? = nil) async throws(RegistryError) -> MountResult {
        var path = "/v2/\(repository.repository)/blobs/uploads/"
        var scopes = [Self.pushScope(repository)]
        if let digest, let source {
            path += "?mount=\(digest)&from=\(source.repository)"
            scopes.append(Self.pullScope(source))
        }
        let what = "upload to \(repository.name)"
        let opening = Task { [scopes] () async throws -> MountResult in
            let response = try await self.send(repository.registry, "POST", path, scopes: scopes, what: what)
            if response.status == 201 && digest != nil { return .mounted }
            guard response.status == 202 else { throw self.failure(response, registry: repository.registry, what: what) }
            return .upload(try await self.session(from: response, in: repository, what: what))
        }
        let result: MountResult
        do { result = try await opening.value } catch { throw RegistryError(bridging: error) }
        if Task.isCancelled {
            if case .upload(let session) = result { await cancelUpload(repository, session: session) }
            throw .cancelled
        }
        return result
    }

    /// Opens an upload session in `repository` (no mount asked).
    public func openUpload(_ repository: Reference) async throws(RegistryError) -> UploadSession {
        guard case .upload(let session) = try await startUpload(repository) else {
            throw .badResponse(what: "upload to \(repository.name)", reason: "the registry mounted a blob it was not asked to mount")
        }
        return session
    }

    /// The upload session a response names in its `Location`. One at another origin is refused
    /// (nothing is sent there, credentials least of all) and the session it names is deleted at
    /// the registry's own origin, so none is left open.
    private func session(from response: HTTPResponse, in repository: Reference, what: String) async throws(RegistryError) -> UploadSession {
        guard let location = response.headers["Location"] else {
            throw .badResponse(what: what, reason: "HTTP \(response.status) without a Location for the upload")
        }
        let minimum = response.headers["OCI-Chunk-Min-Length"].flatMap(Int64.init)
        do {
            _ = try resolve(location, against: try await host(repository.registry).baseURL(), what: what)
        } catch {
            if case .foreignOrigin = error, let components = URLComponents(string: location) {
                let ownPath = components.percentEncodedPath + (components.percentEncodedQuery.map { "?\($0)" } ?? "")
                await cancelUpload(repository, session: UploadSession(location: ownPath, minimumChunk: nil))
            }
            throw error
        }
        return UploadSession(location: location, minimumChunk: minimum)
    }

    /// Sends a whole blob in one `PUT` and closes the session.
    public func finishUpload(_ repository: Reference, session: UploadSession, digest: Digest,
                             body: RequestBody) async throws(RegistryError) {
        let what = "upload of blob \(digest) to \(repository.name)"
        let response = try await send(repository.registry, "PUT", Self.appendQuery(session.location, "digest=\(digest)"),
                                      headers: ["Content-Type": "application/octet-stream"], body: body,
                                      scopes: [Self.pushScope(repository)], what: what)
        guard response.status == 201 || response.status == 204 else {
            throw failure(response, registry: repository.registry, what: what)
        }
    }

    /// Sends one chunk (`PATCH`) starting at `offset`; returns the session to continue with.
    public func uploadChunk(_ repository: Reference, session: UploadSession, offset: Int64, length: Int64?,
                            body: RequestBody, digest: Digest) async throws(RegistryError) -> UploadSession {
        let what = "upload of blob \(digest) to \(repository.name)"
        var headers: HTTPHeaders = ["Content-Type": "application/octet-stream"]
        if let length, length > 0 {
            headers.set("Content-Range", "\(offset)-\(offset + length - 1)")
            headers.set("Content-Length", String(length))
        }
        let response = try await send(repository.registry, "PATCH", session.location, headers: headers, body: body,
                                      scopes: [Self.pushScope(repository)], what: what)
        guard response.status == 202 else { throw failure(response, registry: repository.registry, what: what) }
        return try await self.session(from: response, in: repository, what: what)
    }

    /// Abandons an upload session so the registry frees it, even while the caller is being
    /// cancelled. Errors are ignored: the session expires on its own.
    public func cancelUpload(_ repository: Reference, session: UploadSession) async {
        await Task {
            _ = try? await send(repository.registry, "DELETE", session.location, scopes: [Self.pushScope(repository)],
                                what: "cancelling an upload to \(repository.name)")
        }.value
    }

    static func appendQuery(_ location: String, _ item: String) -> String {
        location + (location.contains("?") ? "&" : "?") + item
    }
}
