/// The platform of an image: `os/architecture[/variant]`, e.g. `linux/arm64/v8`.
public struct Platform: Hashable, Sendable, Codable, CustomStringConvertible {
    public var os: String
    public var architecture: String
    public var variant: String?
    public var osVersion: String?
    public var osFeatures: [String]?

    enum CodingKeys: String, CodingKey {
        case os, architecture, variant
        case osVersion = "os.version"
        case osFeatures = "os.features"
    }

    public init(os: String, architecture: String, variant: String? = nil) {
        self.os = os
        self.architecture = architecture
        self.variant = variant
    }

    /// Parses `os/arch[/variant]` as given on the command line (`--platform linux/arm64`).
    public init(parsing text: String) throws(OCIError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard (2...3).contains(parts.count), parts.allSatisfy({ !$0.isEmpty }) else {
            throw OCIError.invalidPlatform(text, reason: "expected os/architecture[/variant], e.g. linux/amd64 or linux/arm/v7")
        }
        self.init(os: parts[0].lowercased(), architecture: parts[1].lowercased(), variant: parts.count == 3 ? parts[2].lowercased() : nil)
    }

    public var description: String {
        [os, architecture, variant].compactMap { $0 }.joined(separator: "/")
    }

    /// The platform with the usual aliases resolved: `x86_64` → `amd64`, `aarch64` → `arm64`,
    /// `arm64/v8` → `arm64`, `arm` → `arm/v7`, `armhf` → `arm/v7`, `armel` → `arm/v6`.
    public var normalized: Platform {
        var result = Platform(os: os.lowercased(), architecture: architecture.lowercased(), variant: variant?.lowercased())
        switch result.architecture {
        case "x86_64", "x86-64": result.architecture = "amd64"
        case "i386": result.architecture = "386"
        case "aarch64": result.architecture = "arm64"
        case "armhf": result.architecture = "arm"; result.variant = "v7"
        case "armel": result.architecture = "arm"; result.variant = "v6"
        default: break
        }
        switch result.architecture {
        case "arm64" where result.variant == "v8" || result.variant == "8": result.variant = nil
        case "arm" where result.variant == nil: result.variant = "v7"
        case "arm" where result.variant.map({ ["5", "6", "7", "8"].contains($0) }) == true:
            result.variant = "v" + result.variant!
        case "amd64" where result.variant == "v1": result.variant = nil
        default: break
        }
        if result.variant?.isEmpty == true { result.variant = nil }
        return result
    }

    /// Whether an image for `self` runs where `wanted` was asked for, after normalisation.
    /// A wanted platform without a variant matches any variant, except `arm`, which means `arm/v7`.
    public func matches(_ wanted: Platform) -> Bool {
        let have = normalized, want = wanted.normalized
        guard have.os == want.os, have.architecture == want.architecture else { return false }
        if wanted.variant == nil && want.architecture != "arm" { return true }
        return have.variant == want.variant
    }
}
