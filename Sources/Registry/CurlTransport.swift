import CCurl
import CShims
import Foundation
import Synchronization

/// How to verify TLS for one host.
public struct TLSSettings: Sendable, Equatable {
    /// Verify the peer's certificate and host name. Off only when the user asked for `--insecure`.
    public var verify = true
    /// Trusted certificates (PEM) in memory; nil trusts the system's only.
    public var trustedPEM: Data?
    /// The system's certificates as a hashed directory (`c_rehash`), which OpenSSL reads one
    /// certificate at a time as a chain needs it, instead of parsing a whole bundle (about 45 ms)
    /// on every connection. Nil uses libcurl's default bundle.
    public var trustedDirectory: String?
    /// A client certificate and key (PEM file paths), from a `certs.d` directory.
    public var clientCertificate: String?
    public var clientKey: String?

    public init(verify: Bool = true, trustedPEM: Data? = nil, trustedDirectory: String? = nil,
                clientCertificate: String? = nil, clientKey: String? = nil) {
        self.verify = verify
        self.trustedPEM = trustedPEM
        self.trustedDirectory = trustedDirectory
        self.clientCertificate = clientCertificate
        self.clientKey = clientKey
    }
}

/// Counts requests per host, so commands can report how many they made.
public final class RequestCounter: Sendable {
    private let counts = Mutex<[String: Int]>([:])
    public init() {}
    func record(host: String) { counts.withLock { $0[host, default: 0] += 1 } }
    /// Requests sent to `host` (`name:port` as in the URL) so far.
    public func count(host: String) -> Int { counts.withLock { $0[host] ?? 0 } }
}

/// The libcurl transport: blocking transfers on their own threads, easy handles (and so their
/// kept-alive connections) reused from a pool, HTTP/2 when the server offers it over TLS, bodies
/// streamed in both directions. It never follows redirects: the registry client does that, so it
/// can keep `Authorization` away from other hosts.
public final class CurlTransport: Transport {
    /// Seconds to wait for a connection.
    public let connectTimeout: Int
    /// Abort when fewer than 1 byte per second moves for this many seconds.
    public let stallTimeout: Int
    private let tlsForHost: @Sendable (String) -> TLSSettings
    private let pool = Mutex<[HandleBox]>([])
    /// HTTP exchanges completed, per host.
    public let counter = RequestCounter()
    /// With `REGTUI_TRACE` set, each request line (never its headers) goes to stderr.
    private let trace = ProcessInfo.processInfo.environment["REGTUI_TRACE"] != nil

    private static let globalInit: Void = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    /// `tlsForHost` receives `host:port` and tells how to verify that host.
    public init(connectTimeout: Int = 15, stallTimeout: Int = 30,
                tlsForHost: @escaping @Sendable (String) -> TLSSettings = { _ in TLSSettings() }) {
        self.connectTimeout = connectTimeout
        self.stallTimeout = stallTimeout
        self.tlsForHost = tlsForHost
    }

    deinit {
        pool.withLock { $0.forEach { curl_easy_cleanup($0.handle) } }
    }

    public func send(_ request: HTTPRequest, sink: SinkSelector?) async throws(TransportError) -> HTTPResponse {
        // Once, before the first transfer (not when the client is made: the UI's first frame
        // does not wait for OpenSSL to start).
        if let problem = SystemLibraries.curlProblem { throw TransportError(kind: .other, url: request.url.absoluteString, message: problem) }
        _ = Self.globalInit
        let context = TransferContext(request: request, sinkSelector: sink)
        let handle = takeHandle()
        let outcome: Result<HTTPResponse, TransportError> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                // A thread of its own: transfers block (on the network, or on a pipe feeding another
                // transfer), and a bounded pool such as Dispatch's would starve them into deadlock.
                let thread = Thread {
                    continuation.resume(returning: self.perform(request, context: context, handle: handle))
                }
                thread.stackSize = 512 << 10
                thread.start()
            }
        } onCancel: {
            context.cancel()
        }
        returnHandle(handle)
        return try outcome.get()
    }

    private func takeHandle() -> HandleBox {
        if let box = pool.withLock({ $0.popLast() }) { return box }
        guard let handle = curl_easy_init() else { fatalError("libcurl could not create a handle") }
        return HandleBox(handle: handle)
    }

    private func returnHandle(_ box: HandleBox) {
        pool.withLock { $0.append(box) }
    }

    private func perform(_ request: HTTPRequest, context: TransferContext, handle box: HandleBox) -> Result<HTTPResponse, TransportError> {
        let handle = box.handle
        curl_easy_reset(handle)
        let url = request.url.absoluteString
        let hostKey = request.url.port.map { "\(request.url.host ?? ""):\($0)" } ?? (request.url.host ?? "")
        let started = ContinuousClock.now
        if trace { POSIXIO.writeAll(Data("regtui: \(request.method) \(Self.traced(request.url))\n".utf8), to: STDERR_FILENO) }

        var headerList: UnsafeMutablePointer<curl_slist>?
        for (name, value) in request.headers { headerList = curl_slist_append(headerList, "\(name): \(value)") }
        headerList = curl_slist_append(headerList, "Expect:")
        defer { curl_slist_free_all(headerList) }

        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        let unmanaged = Unmanaged.passRetained(context)
        defer { unmanaged.release() }
        let opaque = unmanaged.toOpaque()

        let code: CURLcode = errorBuffer.withUnsafeMutableBufferPointer { errorPointer in
            regtui_curl_setopt_string(handle, CURLOPT_URL, url)
            regtui_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
            regtui_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https")
            regtui_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0)
            regtui_curl_setopt_long(handle, CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_2TLS))
            regtui_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT, connectTimeout)
            regtui_curl_setopt_long(handle, CURLOPT_LOW_SPEED_LIMIT, 1)
            regtui_curl_setopt_long(handle, CURLOPT_LOW_SPEED_TIME, stallTimeout)
            regtui_curl_setopt_long(handle, CURLOPT_TCP_KEEPALIVE, 1)
            regtui_curl_setopt_long(handle, CURLOPT_BUFFERSIZE, 512 << 10)
            regtui_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorPointer.baseAddress)
            regtui_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList)
            configureTLS(handle, for: hostKey)

            regtui_curl_setopt_callback(handle, CURLOPT_HEADERFUNCTION, curlHeaderCallback)
            regtui_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, opaque)
            regtui_curl_setopt_callback(handle, CURLOPT_WRITEFUNCTION, curlWriteCallback)
            regtui_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, opaque)
            regtui_curl_setopt_progress(handle, curlProgressCallback)
            regtui_curl_setopt_pointer(handle, CURLOPT_XFERINFODATA, opaque)
            regtui_curl_setopt_long(handle, CURLOPT_NOPROGRESS, 0)

            switch request.method {
            case "GET": break
            case "HEAD": regtui_curl_setopt_long(handle, CURLOPT_NOBODY, 1)
            default: regtui_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request.method)
            }
            switch request.body {
            case .none where request.method == "GET" || request.method == "HEAD" || request.method == "DELETE":
                break
            case .none:
                setUpload(handle, length: 0, opaque: opaque)
            case .bytes(let data):
                setUpload(handle, length: Int64(data.count), opaque: opaque)
            case .stream(_, let length):
                setUpload(handle, length: length, opaque: opaque)
            }
            return curl_easy_perform(handle)
        }

        var status = 0
        regtui_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        if trace {
            let milliseconds = (ContinuousClock.now - started) / .microseconds(1) / 1000
            let outcome = code == CURLE_OK ? "\(status)" : "failed"
            let line = "regtui: \(outcome) \(request.method) \(Self.traced(request.url)) in \(String(format: "%.1f", milliseconds)) ms\n"
            POSIXIO.writeAll(Data(line.utf8), to: STDERR_FILENO)
        }
        if code != CURLE_OK {
            let detail = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            return .failure(context.transportError(code: code, detail: detail, url: url))
        }
        counter.record(host: hostKey)
        return .success(HTTPResponse(status: status, headers: context.headers, body: context.buffered, url: request.url))
    }

    /// A URL as `REGTUI_TRACE` shows it: query values hidden (presigned URLs carry credentials in
    /// them) except the paging and upload parameters of the distribution API; control
    /// characters escaped.
    static func traced(_ url: URL) -> String {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: true) else { return "(unreadable URL)" }
        components.user = nil
        components.password = nil
        components.queryItems = components.queryItems?.map { item in
            ["n", "last", "digest", "mount", "from"].contains(item.name) ? item : URLQueryItem(name: item.name, value: "…")
        }
        let text = components.string ?? "(unreadable URL)"
        return String(text.unicodeScalars.map { $0.value < 0x20 || (0x7f...0x9f).contains($0.value) ? "?" : Character($0) })
    }

    private func setUpload(_ handle: UnsafeMutableRawPointer, length: Int64?, opaque: UnsafeMutableRawPointer) {
        regtui_curl_setopt_long(handle, CURLOPT_UPLOAD, 1)
        regtui_curl_setopt_long(handle, CURLOPT_UPLOAD_BUFFERSIZE, 512 << 10)
        regtui_curl_setopt_callback(handle, CURLOPT_READFUNCTION, curlReadCallback)
        regtui_curl_setopt_pointer(handle, CURLOPT_READDATA, opaque)
        if let length { regtui_curl_setopt_offset(handle, CURLOPT_INFILESIZE_LARGE, curl_off_t(length)) }
    }

    private func configureTLS(_ handle: UnsafeMutableRawPointer, for host: String) {
        let settings = tlsForHost(host)
        regtui_curl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, settings.verify ? 1 : 0)
        regtui_curl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, settings.verify ? 2 : 0)
        if let directory = settings.trustedDirectory {
            regtui_curl_setopt_string(handle, CURLOPT_CAINFO, nil)
            regtui_curl_setopt_string(handle, CURLOPT_CAPATH, directory)
        }
        if let pem = settings.trustedPEM {
            pem.withUnsafeBytes { raw in
                _ = regtui_curl_setopt_blob(handle, CURLOPT_CAINFO_BLOB, raw.baseAddress, raw.count)
            }
        }
        if let certificate = settings.clientCertificate { regtui_curl_setopt_string(handle, CURLOPT_SSLCERT, certificate) }
        if let key = settings.clientKey { regtui_curl_setopt_string(handle, CURLOPT_SSLKEY, key) }
    }
}

/// An easy handle; only ever used by one transfer at a time.
private final class HandleBox: @unchecked Sendable {
    let handle: UnsafeMutableRawPointer
    init(handle: UnsafeMutableRawPointer) { self.handle = handle }
}

/// State of one transfer, touched by libcurl's callbacks on the transfer's thread; only
/// `cancelled` is read from other threads, and it is atomic.
private final class TransferContext: @unchecked Sendable {
    let request: HTTPRequest
    let sinkSelector: SinkSelector?
    private(set) var headers = HTTPHeaders()
    private var status = 0
    private var sink: (any ByteSink)?
    private var sinkDecided = false
    private(set) var buffered = Data()
    private var uploadOffset = 0
    private var bodyTooLarge = false
    private var callbackError: (any Error)?
    private var bytesReceived = 0
    private let cancelled = Atomic<Bool>(false)

    init(request: HTTPRequest, sinkSelector: SinkSelector?) {
        self.request = request
        self.sinkSelector = sinkSelector
    }

    func cancel() { cancelled.store(true, ordering: .relaxed) }
    var isCancelled: Bool { cancelled.load(ordering: .relaxed) }

    func receiveHeader(_ line: UnsafeRawBufferPointer) -> Int {
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if text.hasPrefix("HTTP/") {
            headers = HTTPHeaders()
            let parts = text.split(separator: " ", maxSplits: 2)
            status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
            sinkDecided = false
            sink = nil
            buffered = Data()
        } else if let colon = text.firstIndex(of: ":") {
            let name = String(text[..<colon]).trimmingCharacters(in: .whitespaces)
            let value = String(text[text.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
            headers.add(name, value)
        }
        return line.count
    }

    func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Int {
        if isCancelled { return 0 }
        if !sinkDecided {
            sinkDecided = true
            sink = sinkSelector?(HTTPResponseHead(status: status, headers: headers))
        }
        bytesReceived += bytes.count
        if let sink {
            do { try sink.write(bytes) } catch {
                callbackError = error
                return 0
            }
        } else {
            guard buffered.count + bytes.count <= request.maxBufferedBody else {
                bodyTooLarge = true
                return 0
            }
            buffered.append(contentsOf: bytes)
        }
        return bytes.count
    }

    func sendBody(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        if isCancelled { return Int(CURL_READFUNC_ABORT) }
        switch request.body {
        case .none:
            return 0
        case .bytes(let data):
            let count = min(buffer.count, data.count - uploadOffset)
            data.withUnsafeBytes { raw in
                buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[uploadOffset..<uploadOffset + count]))
            }
            uploadOffset += count
            return count
        case .stream(let source, _):
            do { return try source.read(into: buffer) } catch {
                callbackError = error
                return Int(CURL_READFUNC_ABORT)
            }
        }
    }

    func transportError(code: CURLcode, detail: String, url: String) -> TransportError {
        let message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        if isCancelled { return TransportError(kind: .cancelled, url: url, message: "cancelled") }
        if let callbackError {
            return TransportError(kind: .aborted, url: url, message: "\(callbackError)", underlying: callbackError)
        }
        if bodyTooLarge {
            return TransportError(kind: .bodyTooLarge, url: url,
                                  message: "the response body is larger than \(request.maxBufferedBody) bytes")
        }
        let kind: TransportError.Kind = switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_CONNECT: .connect
        case CURLE_OPERATION_TIMEDOUT: .timeout
        case CURLE_SSL_CONNECT_ERROR: .tlsHandshake
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM,
             CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CIPHER, CURLE_SSL_ISSUER_ERROR: .tls
        case CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_PARTIAL_FILE, CURLE_GOT_NOTHING, CURLE_HTTP2,
             CURLE_HTTP2_STREAM: bytesReceived == 0 && status == 0 ? .connect : .interrupted
        // The connection broke after a streamed body was sent; it cannot be sent again.
        case CURLE_SEND_FAIL_REWIND: .interrupted
        default: .other
        }
        return TransportError(kind: kind, url: url, message: message)
    }
}

private let curlHeaderCallback: regtui_curl_data_callback = { data, size, count, context in
    let transfer = Unmanaged<TransferContext>.fromOpaque(context!).takeUnretainedValue()
    return transfer.receiveHeader(UnsafeRawBufferPointer(start: data, count: size * count))
}

private let curlWriteCallback: regtui_curl_data_callback = { data, size, count, context in
    let transfer = Unmanaged<TransferContext>.fromOpaque(context!).takeUnretainedValue()
    return transfer.receiveBody(UnsafeRawBufferPointer(start: data, count: size * count))
}

private let curlReadCallback: regtui_curl_data_callback = { data, size, count, context in
    let transfer = Unmanaged<TransferContext>.fromOpaque(context!).takeUnretainedValue()
    return transfer.sendBody(into: UnsafeMutableRawBufferPointer(start: data, count: size * count))
}

private let curlProgressCallback: regtui_curl_progress_callback = { context, _, _, _, _ in
    let transfer = Unmanaged<TransferContext>.fromOpaque(context!).takeUnretainedValue()
    return transfer.isCancelled ? 1 : 0
}
