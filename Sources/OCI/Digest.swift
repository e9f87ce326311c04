import CCrypto
import Foundation

/// A content digest such as `sha256:2605a2c4…`: the algorithm and the lower-case hex of the hash
/// of some exact bytes. Registries address every manifest and blob by one.
public struct Digest: Hashable, Sendable, CustomStringConvertible, Comparable, Codable {
    /// The hash algorithms regtui can compute and verify.
    public enum Algorithm: String, Sendable, CaseIterable, Codable {
        case sha256, sha512

        /// Length of the hex-encoded hash.
        public var hexLength: Int { self == .sha256 ? 64 : 128 }

        /// The algorithm named `name` (as written before the colon), if regtui knows it.
        init?(named name: UnsafeRawBufferPointer) {
            func isNamed(_ known: StaticString) -> Bool {
                name.count == known.utf8CodeUnitCount && memcmp(name.baseAddress!, known.utf8Start, name.count) == 0
            }
            if isNamed("sha256") { self = .sha256 } else if isNamed("sha512") { self = .sha512 } else { return nil }
        }
    }

    public let algorithm: Algorithm
    /// `algorithm:hex`, as registries write it. Kept whole: digests are printed far more often
    /// than they are taken apart.
    public let description: String

    /// Lower-case hex encoding of the hash.
    public var hex: String { String(description.dropFirst(algorithm.rawValue.count + 1)) }

    /// Parses `algorithm:hex`, strictly: a known algorithm, lower-case hex of the right length.
    public init(parsing text: String) throws(OCIError) {
        var text = text
        switch text.withUTF8({ Self.check(UnsafeRawBufferPointer($0)) }) {
        case .success(let algorithm): self.init(algorithm: algorithm, checked: text)
        case .failure(let flaw): throw .invalidDigest(text, reason: flaw.reason)
        }
    }

    /// Parses string `index` of a parsed document, checking its bytes where they lie: a manifest
    /// can hold tens of thousands, and only the valid ones become strings.
    init(json view: JSONView, _ index: Int) throws(OCIError) {
        guard !view.isEscaped(index) else { try self.init(parsing: view.string(index)); return }
        let bytes = view.text(index, trim: 1)
        switch Self.check(bytes) {
        case .success(let algorithm): self.init(algorithm: algorithm, checked: String(decoding: bytes, as: UTF8.self))
        case .failure(let flaw): throw .invalidDigest(view.string(index), reason: flaw.reason)
        }
    }

    /// Why some text is not a digest.
    private struct Flaw: Error {
        let reason: String
    }

    /// The algorithm of `utf8` when it is `algorithm:hex` with a known algorithm and lower-case
    /// hex of its length.
    private static func check(_ utf8: UnsafeRawBufferPointer) -> Result<Algorithm, Flaw> {
        guard let colon = utf8.firstIndex(of: UInt8(ascii: ":")) else {
            return .failure(Flaw(reason: "expected the form algorithm:hex, e.g. sha256:<64 hex digits>"))
        }
        let name = UnsafeRawBufferPointer(rebasing: utf8[..<colon])
        guard let algorithm = Algorithm(named: name) else {
            return .failure(Flaw(reason: "unsupported algorithm \"\(String(decoding: name, as: UTF8.self))\" (use sha256 or sha512)"))
        }
        let hexCount = utf8.count - colon - 1
        guard hexCount == algorithm.hexLength else {
            return .failure(Flaw(reason: "\(algorithm.rawValue) needs \(algorithm.hexLength) hex digits, found \(hexCount)"))
        }
        guard isLowerHex(UnsafeRawBufferPointer(rebasing: utf8[(colon + 1)...])) else {
            return .failure(Flaw(reason: "the hash must be lower-case hex digits 0-9a-f"))
        }
        return .success(algorithm)
    }

    /// Whether every byte is 0-9 or a-f. Eight at a time: a manifest can hold tens of thousands
    /// of digests. A byte is a digit when adding 0x50 sets its 0x80 bit and adding 0x46 does not
    /// (0x30…0x39); a letter the same with 0x1f and 0x19 (0x61…0x66). Bytes of 0x80 and above are
    /// ruled out first, so no addition carries into the next byte.
    private static func isLowerHex(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, high: UInt64 = 0x8080_8080_8080_8080
        var index = 0
        while index + 8 <= bytes.count {
            let word = bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            guard word & high == 0 else { return false }
            let digit = (word &+ ones &* 0x50) & ~(word &+ ones &* 0x46)
            let letter = (word &+ ones &* 0x1f) & ~(word &+ ones &* 0x19)
            guard (digit | letter) & high == high else { return false }
            index += 8
        }
        return bytes[index...].allSatisfy { $0 &- 48 < 10 || $0 &- 97 < 6 }
    }

    private init(algorithm: Algorithm, checked description: String) {
        self.algorithm = algorithm
        self.description = description
    }

    init(algorithm: Algorithm, hex: String) {
        self.init(algorithm: algorithm, checked: algorithm.rawValue + ":" + hex)
    }

    /// The digest of `bytes` with `algorithm`.
    public static func of<Bytes: DataProtocol>(_ bytes: Bytes, algorithm: Algorithm = .sha256) -> Digest {
        var hasher = DigestHasher(algorithm: algorithm)
        hasher.update(bytes)
        return hasher.finish()
    }

    /// The first 12 hex digits, as container engines show image IDs.
    public var short: String { String(description.dropFirst(algorithm.rawValue.count + 1).prefix(12)) }

    public static func < (lhs: Digest, rhs: Digest) -> Bool { lhs.description < rhs.description }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        try self.init(parsing: text)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

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
        var hex = [UInt8]()
        hex.reserveCapacity(Int(length) * 2)
        for byte in output.prefix(Int(length)) {
            hex.append(Self.hexDigits[Int(byte >> 4)])
            hex.append(Self.hexDigits[Int(byte & 0xf)])
        }
        return Digest(algorithm: algorithm, hex: String(decoding: hex, as: UTF8.self))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    deinit { EVP_MD_CTX_free(context) }
}
