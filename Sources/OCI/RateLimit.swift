import Foundation

/// A registry's pull quota as it announces it (Docker Hub: `RateLimit-Limit: 100;w=21600` and
/// `RateLimit-Remaining: 76;w=21600`; a manifest GET counts as a pull, a HEAD does not).
public struct RateLimit: Sendable, Equatable, Codable {
    /// Pulls allowed in a window.
    public var limit: Int
    /// Pulls left in the current window.
    public var remaining: Int
    /// The window's length in seconds, when the registry says.
    public var window: Int?

    public init(limit: Int, remaining: Int, window: Int?) {
        self.limit = limit
        self.remaining = remaining
        self.window = window
    }

    /// Reads the two header values; nil unless both hold a count (an absurd one is capped).
    public init?(limit: String?, remaining: String?) {
        guard let limit, let remaining, let (allowed, window) = Self.count(limit), let (left, _) = Self.count(remaining) else { return nil }
        self.init(limit: allowed, remaining: min(left, allowed), window: window)
    }

    /// `76;w=21600`: the count and the window (at most a billion each).
    private static func count(_ value: String) -> (Int, Int?)? {
        let parts = value.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let first = parts.first, first.count <= 10, let count = Int(first), count >= 0 else { return nil }
        let window = parts.dropFirst().first { $0.hasPrefix("w=") }.flatMap { Int($0.dropFirst(2).prefix(10)) }
        return (min(count, 1_000_000_000), window.map { min(max(0, $0), 1_000_000_000) })
    }

    /// `76 of 100 pulls left (6 h window)`.
    public var description: String {
        let span = window.map { $0 % 3600 == 0 ? " (\($0 / 3600) h window)" : " (\($0) s window)" } ?? ""
        return "\(remaining) of \(limit) pulls left\(span)"
    }
}
