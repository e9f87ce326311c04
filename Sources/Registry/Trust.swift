import Foundation

/// Decides how TLS is verified for each registry host: the system's trust plus `--ca-file`
/// and docker's and podman's per-registry `certs.d/HOST/` directories, or no verification
/// at all with `--insecure`.
public struct TrustPolicy: Sendable {
    /// Skip verification and allow plain HTTP everywhere.
    public var insecure: Bool
    /// Extra CA certificates (PEM) trusted for every host.
    public var extraPEM: Data?
    /// Directories holding `HOST[:PORT]/*.crt` (CAs) and `*.cert`/`*.key` (client certificates).
    public var certsDirectories: [String]
    /// The system's CA bundle, which extra certificates are appended to when there is no
    /// hashed directory.
    public var systemBundlePath: String
    /// The system's hashed CA directory, when it has one (Debian's `/etc/ssl/certs` does).
    public var systemDirectory: String?

    public init(insecure: Bool = false, caFiles: [String] = [],
                certsDirectories: [String] = ["/etc/docker/certs.d", "/etc/containers/certs.d"],
                systemBundlePath: String = "/etc/ssl/certs/ca-certificates.crt",
                systemDirectory: String = "/etc/ssl/certs") throws(RegistryError) {
        self.insecure = insecure
        self.certsDirectories = certsDirectories
        self.systemBundlePath = systemBundlePath
        self.systemDirectory = Self.isHashed(systemDirectory) ? systemDirectory : nil
        var pem = Data()
        for file in caFiles {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw .credentials("cannot read the CA file \(file): check the path and its permissions")
            }
            guard String(decoding: data, as: UTF8.self).contains("-----BEGIN CERTIFICATE-----") else {
                throw .credentials("the CA file \(file) holds no PEM certificate (-----BEGIN CERTIFICATE-----)")
            }
            pem.append(data)
            pem.append(0x0a)
        }
        extraPEM = pem.isEmpty ? nil : pem
    }

    /// The TLS settings for `host` (`name:port` or `name`).
    public func settings(for host: String) -> TLSSettings {
        if insecure { return TLSSettings(verify: false) }
        var pem = extraPEM ?? Data()
        var certificate: String?, key: String?
        let names = host.hasSuffix(":443") ? [host, String(host.dropLast(4))] : [host]
        for directory in certsDirectories {
            for name in names {
                let folder = "\(directory)/\(name)"
                guard let files = try? FileManager.default.contentsOfDirectory(atPath: folder) else { continue }
                for file in files.sorted() {
                    let path = "\(folder)/\(file)"
                    if file.hasSuffix(".crt"), let data = FileManager.default.contents(atPath: path) {
                        pem.append(data)
                        pem.append(0x0a)
                    } else if file.hasSuffix(".cert") {
                        certificate = path
                        key = "\(folder)/\(file.dropLast(5)).key"
                    }
                }
            }
        }
        if let systemDirectory {
            return TLSSettings(trustedPEM: pem.isEmpty ? nil : pem, trustedDirectory: systemDirectory,
                               clientCertificate: certificate, clientKey: key)
        }
        guard !pem.isEmpty else { return TLSSettings(clientCertificate: certificate, clientKey: key) }
        var bundle = FileManager.default.contents(atPath: systemBundlePath) ?? Data()
        bundle.append(0x0a)
        bundle.append(pem)
        return TLSSettings(trustedPEM: bundle, clientCertificate: certificate, clientKey: key)
    }

    /// Whether `directory` holds certificates under OpenSSL's hashed names (`5ad8a5d6.0`).
    private static func isHashed(_ directory: String) -> Bool {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return false }
        return names.contains { name in
            name.count == 10 && name.hasSuffix(".0") && name.prefix(8).allSatisfy(\.isHexDigit)
        }
    }

    /// Whether `host` is on the loopback interface (where docker tries HTTPS, then plain HTTP).
    public static func isLoopback(_ host: String) -> Bool {
        var name = Substring(host)
        if name.hasPrefix("["), let close = name.firstIndex(of: "]") {
            name = name[name.index(after: name.startIndex)..<close]
            return name == "::1"
        }
        if let colon = name.lastIndex(of: ":") { name = name[..<colon] }
        return name == "localhost" || name.hasPrefix("127.")
    }
}
