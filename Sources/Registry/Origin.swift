import Foundation

/// Where a credential belongs: a scheme, a host and a port. `Authorization` goes only to the
/// origin of the registry it was issued for; every URL a registry hands back (an upload
/// `Location`, a redirect, a `Link`, a token realm) is compared with it.
public struct Origin: Hashable, Sendable, CustomStringConvertible {
    public let scheme: String
    public let host: String
    public let port: Int

    /// The origin of `url`; nil when it has no host or is not HTTP(S).
    public init?(_ url: URL) {
        guard let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty else { return nil }
        self.scheme = scheme
        self.host = host.lowercased()
        self.port = url.port ?? (scheme == "https" ? 443 : 80)
    }

    public var description: String { "\(scheme)://\(host):\(port)" }

    /// Whether requests here cross no network: loopback addresses and `localhost`.
    public var isLoopback: Bool { host == "localhost" || host.hasPrefix("127.") || host == "::1" || host == "[::1]" }
}

/// `text` cut to `limit` characters, ending in `…` when cut: registry text quoted in messages
/// stays short. (It is made inert where it reaches a terminal.)
func clipped(_ text: String, _ limit: Int = 200) -> String {
    text.count <= limit ? text : String(text.prefix(limit)) + "…"
}
