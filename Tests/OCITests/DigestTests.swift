import Foundation
import OCI
import Testing

@Suite struct DigestTests {
    @Test func sha256OfKnownInputs() {
        #expect(Digest.of(Data()).description == "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Digest.of(Data("abc".utf8)).hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func sha512OfKnownInput() {
        let digest = Digest.of(Data("abc".utf8), algorithm: .sha512)
        #expect(digest.hex.hasPrefix("ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"))
        #expect(digest.hex.count == 128)
    }

    @Test func streamingEqualsOneShot() {
        let bytes = Data((0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        var hasher = DigestHasher()
        var offset = 0
        for size in [1, 7, 4096, 65_536, 100_000] where offset < bytes.count {
            let end = min(bytes.count, offset + size)
            hasher.update(bytes[offset..<end])
            offset = end
        }
        #expect(hasher.count == Int64(bytes.count))
        #expect(hasher.finish() == Digest.of(bytes))
    }

    @Test(arguments: [
        ("sha256:abc", "needs 64 hex digits"),
        ("sha256:" + String(repeating: "A", count: 64), "lower-case hex"),
        ("md5:" + String(repeating: "a", count: 32), "unsupported algorithm"),
        ("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "algorithm:hex"),
    ])
    func rejectsMalformedDigests(text: String, reason: String) {
        #expect {
            _ = try Digest(parsing: text)
        } throws: { error in
            "\(error)".contains(reason) && "\(error)".contains(text)
        }
    }

    @Test func roundTripsThroughText() throws {
        let digest = Digest.of(Data("x".utf8))
        #expect(try Digest(parsing: digest.description) == digest)
        #expect(digest.short.count == 12)
        // Every hex digit in every place, both algorithms: text → digest → the same text.
        for algorithm in ["sha256", "sha512"] {
            let length = algorithm == "sha256" ? 64 : 128
            for shift in 0..<16 {
                let hex = String((0..<length).map { Array("0123456789abcdef")[($0 * 7 + shift) % 16] })
                #expect(try Digest(parsing: "\(algorithm):\(hex)").description == "\(algorithm):\(hex)")
            }
        }
    }
}
