/// Errors in OCI values: each says what was wrong and with which input.
public enum OCIError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidDigest(String, reason: String)
    case invalidReference(String, reason: String)
    case invalidPlatform(String, reason: String)
    case invalidManifest(reason: String)

    public var description: String {
        switch self {
        case .invalidDigest(let text, let reason): "invalid digest \"\(text)\": \(reason)"
        case .invalidReference(let text, let reason): "invalid reference \"\(text)\": \(reason)"
        case .invalidPlatform(let text, let reason): "invalid platform \"\(text)\": \(reason)"
        case .invalidManifest(let reason): "invalid manifest: \(reason)"
        }
    }
}
