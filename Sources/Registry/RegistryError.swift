import Foundation
import OCI

/// One entry of a registry's error body: `{"errors":[{"code":…,"message":…,"detail":…}]}`.
public struct RegistryErrorDetail: Sendable, Equatable, Decodable {
    public var code: String
    public var message: String?

    enum CodingKeys: String, CodingKey { case code, message }
}

/// What went wrong talking to a registry. Each case says what, where, and what to do.
/// Descriptions never contain credentials.
public enum RegistryError: Error, Sendable, CustomStringConvertible {
    /// The registry could not be reached at all.
    case unreachable(registry: String, cause: TransportError)
    /// TLS verification failed.
    case untrusted(registry: String, cause: TransportError)
    /// The registry wants credentials and none were found.
    case authenticationRequired(registry: String)
    /// The registry rejected the credentials or the token did not grant access.
    case accessDenied(registry: String, what: String, status: Int, details: [RegistryErrorDetail])
    /// The object does not exist.
    case notFound(what: String, details: [RegistryErrorDetail])
    /// The registry does not serve its catalog.
    case catalogUnavailable(registry: String, status: Int)
    /// Any other error status, with the registry's own error codes.
    case status(Int, what: String, details: [RegistryErrorDetail])
    /// The registry served bytes whose digest is not the one asked for or declared.
    case digestMismatch(what: String, expected: Digest, actual: Digest)
    /// A blob's size does not match its descriptor.
    case sizeMismatch(what: String, expected: Int64, actual: Int64)
    /// The registry sent something regtui cannot read.
    case badResponse(what: String, reason: String)
    /// A manifest larger than registries accept.
    case manifestTooLarge(what: String, limit: Int)
    /// The registry handed back a URL at another origin (an upload `Location`).
    case foreignOrigin(what: String, registry: Origin, other: Origin)
    /// Credentials would travel in clear text to a token server.
    case insecureRealm(registry: String, realm: String)
    /// A list, a count or a size from the registry is past what regtui accepts.
    case tooLarge(what: String, reason: String)
    /// A layout or archive on disk could not be read or written.
    case file(what: String, reason: String)
    /// Nothing was written: the store takes no writes, or `--no-clobber` keeps a tag.
    case refused(what: String, reason: String)
    /// The registry does not do what was asked (deletes disabled).
    case unsupported(what: String, reason: String)
    /// Following redirects went wrong.
    case redirect(what: String, reason: String)
    /// The transfer broke off.
    case transport(what: String, cause: TransportError)
    /// The credential store could not be read or written.
    case credentials(String)
    /// The operation was cancelled.
    case cancelled
    /// An error regtui did not expect, kept as it was described.
    case unexpected(String)

    /// `error` as a `RegistryError`: itself when it is one, `.cancelled` for a cancellation, and
    /// `.unexpected` for anything else — never a cancellation that was not one.
    public init(bridging error: any Error) {
        switch error {
        case let error as RegistryError: self = error
        case is CancellationError: self = .cancelled
        default: self = .unexpected(String(describing: error))
        }
    }

    public var description: String {
        switch self {
        case .unreachable(let registry, let cause):
            "cannot reach registry \(registry): \(cause.message). Check the host and port, and that the registry is running"
        case .untrusted(let registry, let cause):
            "TLS verification failed for \(registry): \(cause.message). Trust its CA with --ca-file FILE or /etc/docker/certs.d/\(registry)/ca.crt, or use --insecure to skip verification"
        case .authenticationRequired(let registry):
            "authentication required for \(registry): run `regtui login \(registry)`, or add credentials to docker's config.json"
        case .accessDenied(let registry, let what, let status, let details):
            "access to \(what) denied by \(registry) (HTTP \(status)\(Self.summary(details))). Check your credentials (`regtui login \(registry)`) and your permissions on the repository"
        case .notFound(let what, let details):
            "\(what) not found\(Self.summary(details))"
        case .catalogUnavailable(let registry, let status):
            "registry \(registry) does not list its repositories (HTTP \(status) on /v2/_catalog); name a repository directly, e.g. `regtui tags \(registry)/REPOSITORY`"
        case .status(let status, let what, let details):
            "\(what): registry answered HTTP \(status)\(Self.summary(details))"
        case .digestMismatch(let what, let expected, let actual):
            "digest mismatch for \(what): expected \(expected), got \(actual); the content was not used"
        case .sizeMismatch(let what, let expected, let actual):
            "size mismatch for \(what): expected \(expected) bytes, got \(actual)"
        case .badResponse(let what, let reason):
            "unreadable response for \(what): \(reason)"
        case .manifestTooLarge(let what, let limit):
            "manifest \(what) is larger than \(limit) bytes, the most registries accept; refusing it"
        case .foreignOrigin(let what, let registry, let other):
            "\(what): the registry at \(registry) pointed at \(other), another origin; regtui sends neither credentials nor content there"
        case .insecureRealm(let registry, let realm):
            "refusing to send the credentials for \(registry) to its token server \(realm) over plain HTTP, where anyone on the network could read them; use a registry whose token server speaks HTTPS, or pass --insecure on a network you trust"
        case .tooLarge(let what, let reason):
            "\(what): \(reason)"
        case .file(let what, let reason):
            "\(what): \(reason)"
        case .refused(let what, let reason):
            "\(what) was not written: \(reason)"
        case .unsupported(let what, let reason):
            "\(what): \(reason)"
        case .redirect(let what, let reason):
            "redirect while fetching \(what): \(reason)"
        case .transport(let what, let cause):
            "transfer of \(what) failed: \(cause.message)"
        case .credentials(let message):
            message
        case .cancelled:
            "cancelled"
        case .unexpected(let description):
            "unexpected error: \(description)"
        }
    }

    /// The registry's own error codes and messages, e.g. ` — MANIFEST_UNKNOWN: manifest unknown`.
    static func summary(_ details: [RegistryErrorDetail]) -> String {
        guard !details.isEmpty else { return "" }
        return ": " + details.map { detail in
            let message = detail.message.map { clipped($0) } ?? ""
            return message.isEmpty ? detail.code : "\(clipped(detail.code, 60)) \(message)"
        }.joined(separator: "; ")
    }

    /// Parses the `errors` array of an error body; empty when the body is not one.
    static func details(from body: Data) -> [RegistryErrorDetail] {
        struct Envelope: Decodable { var errors: [RegistryErrorDetail] }
        return (try? JSONDecoder().decode(Envelope.self, from: body))?.errors ?? []
    }
}

