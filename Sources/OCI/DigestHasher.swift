import CCrypto
import Foundation

/// Streaming hash over bytes that arrive in pieces, through OpenSSL's EVP interface.
/// Not thread-safe: feed it from one thread at a time.
public struct DigestHasher: ~Copyable {
    private let context: OpaquePointer
    public let algorithm: Digest.Algorithm
    /// How many bytes have been hashed so far.
    public private(set) var count: Int64 = 0

    public init(algorithm: Digest.Algorithm = .sha256) {
        self.algorithm = algorithm
        guard let context = EVP_MD_CTX_new() else { fatalError("OpenSSL could not allocate a digest context") }
        self.context = context
        let md = algorithm == .sha256 ? EVP_sha256() : EVP_sha512()
        EVP_DigestInit_ex(context, md, nil)
    }

    /// Adds `bytes` to the hash.
    public mutating func update<Bytes: DataProtocol>(_ bytes: Bytes) {
        for region in bytes.regions {
            region.withUnsafeBytes { raw in
                if let base = raw.baseAddress, raw.count > 0 { EVP_DigestUpdate(context, base, raw.count) }
            }
            count += Int64(region.count)
        }
    }

    /// Adds raw memory to the hash.
    public mutating func update(_ buffer: UnsafeRawBufferPointer) {
        if let base = buffer.baseAddress, buffer.count > 0 { EVP_DigestUpdate(context, base, buffer.count) }
        count += Int64(buffer.count)
    }

    /// The digest of everything added; the hasher cannot be used afterwards.
    public consuming func finish() -> Digest {
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        EVP_DigestFinal_ex(context, &output, &length)
        return output.withUnsafeBytes { Digest(algorithm: algorithm, hash: UnsafeRawBufferPointer(rebasing: $0.prefix(Int(length)))) }
    }

    deinit { EVP_MD_CTX_free(context) }
}
