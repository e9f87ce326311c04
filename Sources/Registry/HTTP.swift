import Foundation

/// HTTP header fields, in order, looked up case-insensitively.
public struct HTTPHeaders: Sendable, Sequence, ExpressibleByDictionaryLiteral {
    public private(set) var fields: [(name: String, value: String)] = []

    public init() {}
    public init(dictionaryLiteral elements: (String, String)...) {
        fields = elements.map { (name: $0.0, value: $0.1) }
    }

    /// The first value of `name`, ignoring case.
    public subscript(name: String) -> String? {
        fields.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// Every value of `name`, ignoring case, in order.
    public func values(_ name: String) -> [String] {
        fields.filter { $0.name.caseInsensitiveCompare(name) == .orderedSame }.map(\.value)
    }

    public mutating func add(_ name: String, _ value: String) { fields.append((name, value)) }

    /// Replaces every value of `name` with `value`, or removes the field when `value` is nil.
    public mutating func set(_ name: String, _ value: String?) {
        fields.removeAll { $0.name.caseInsensitiveCompare(name) == .orderedSame }
        if let value { fields.append((name, value)) }
    }

    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> { fields.makeIterator() }
}

/// Bytes pulled by the transport for a request body, on the transport's own thread.
public protocol ByteSource: AnyObject, Sendable {
    /// Fills `buffer` with up to its size in bytes, blocking until some are available.
    /// Returns 0 at the end of the stream. Throwing aborts the request with that error.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

/// Bytes pushed by the transport from a response body, on the transport's own thread.
public protocol ByteSink: AnyObject, Sendable {
    /// Takes the next piece of the body, blocking as long as it needs to (back-pressure).
    /// Throwing aborts the request with that error.
    func write(_ bytes: UnsafeRawBufferPointer) throws
}

/// What a request sends.
public enum RequestBody: Sendable {
    case none
    case bytes(Data)
    /// A stream of `length` bytes, or of unknown length (sent chunked) when nil.
    case stream(any ByteSource, length: Int64?)
}

/// One HTTP request.
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: URL
    public var headers: HTTPHeaders
    public var body: RequestBody
    /// The most body bytes buffered in memory when the response is not streamed to a sink.
    public var maxBufferedBody: Int

    public init(method: String, url: URL, headers: HTTPHeaders = [:], body: RequestBody = .none,
                maxBufferedBody: Int = 1 << 20) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.maxBufferedBody = maxBufferedBody
    }
}

/// The status line and headers of a response, known before its body.
public struct HTTPResponseHead: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
}

/// A complete response. `body` holds the bytes unless they went to a sink.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: Data
    public var url: URL

    public var head: HTTPResponseHead { HTTPResponseHead(status: status, headers: headers) }
}

/// Decides, once a response's head is known, whether its body streams to a sink (returned) or is
/// buffered (nil).
public typealias SinkSelector = @Sendable (HTTPResponseHead) -> (any ByteSink)?

/// Why a request got no HTTP response.
public struct TransportError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The host could not be reached (DNS, refused, reset before a response).
        case connect
        /// The peer's certificate is not trusted or does not name the host.
        case tls
        /// The TLS handshake failed, e.g. because the server speaks plain HTTP.
        case tlsHandshake
        /// No progress for too long.
        case timeout
        /// The connection broke while the body was moving.
        case interrupted
        /// A buffered body exceeded the request's limit.
        case bodyTooLarge
        /// The task was cancelled.
        case cancelled
        /// A body source or sink threw; `underlying` holds its error.
        case aborted
        case other
    }
    public var kind: Kind
    public var url: String
    public var message: String
    public var underlying: (any Error)?

    public init(kind: Kind, url: String, message: String, underlying: (any Error)? = nil) {
        self.kind = kind
        self.url = url
        self.message = message
        self.underlying = underlying
    }

    public var description: String { "\(url): \(message)" }
}

/// Something that sends HTTP requests. `CurlTransport` is the real one.
public protocol Transport: Sendable {
    /// Sends `request`. When `sink` returns a sink for the response head, the body streams there;
    /// otherwise it is buffered into the response (up to `request.maxBufferedBody`).
    func send(_ request: HTTPRequest, sink: SinkSelector?) async throws(TransportError) -> HTTPResponse
    /// Requests sent so far, per host.
    var counter: RequestCounter { get }
}
