import Foundation
import OCI
import Testing

@Suite struct ManifestTests {
    static let config = "sha256:" + String(repeating: "a", count: 64)
    static let layer = "sha256:" + String(repeating: "b", count: 64)

    @Test func keepsRawBytesAndHashesThem() throws {
        // Odd formatting on purpose: the digest is of these exact bytes, never a re-encoding.
        let text = "{ \"schemaVersion\":2,\n\t\"mediaType\": \"application/vnd.oci.image.manifest.v1+json\", \"config\": {\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"\(Self.config)\",\"size\":7}, \"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+zstd\",\"digest\":\"\(Self.layer)\",\"size\":100,\"x-unknown\":true}] , \"extra\":[1,2]}"
        let bytes = Data(text.utf8)
        let manifest = try Manifest(bytes: bytes)
        #expect(manifest.bytes == bytes)
        #expect(manifest.digest == Digest.of(bytes))
        #expect(manifest.mediaType == .ociManifest)
        #expect(manifest.image?.layers.first?.mediaType.compression == "zstd")
        #expect(manifest.image?.blobs.count == 2)
    }

    @Test func infersTypeWhenTheDocumentOmitsIt() throws {
        let index = try Manifest(bytes: Data("{\"schemaVersion\":2,\"manifests\":[]}".utf8))
        #expect(index.mediaType == .ociIndex)
        #expect(index.index != nil)
        let declared = try Manifest(bytes: Data("{\"schemaVersion\":2,\"manifests\":[]}".utf8), declaredType: .dockerManifestList)
        #expect(declared.mediaType == .dockerManifestList)
    }

    @Test func readsSchema1WithoutParsingIt() throws {
        let bytes = Data("{\"schemaVersion\":1,\"name\":\"x\",\"tag\":\"1\",\"fsLayers\":[]}".utf8)
        let manifest = try Manifest(bytes: bytes, declaredType: .dockerSchema1Signed)
        #expect(manifest.content == .schema1)
        #expect(manifest.mediaType.isSchema1)
    }

    @Test func keepsUnknownMediaTypesAsWritten() throws {
        let bytes = Data("{\"schemaVersion\":2,\"mediaType\":\"application/x-custom\",\"config\":{\"mediaType\":\"a/b\",\"digest\":\"\(Self.config)\",\"size\":1},\"layers\":[]}".utf8)
        let manifest = try Manifest(bytes: bytes)
        #expect(manifest.mediaType.rawValue == "application/x-custom")
        #expect(manifest.image?.config.mediaType.rawValue == "a/b")
    }

    @Test func refusesOversizeAndNonJSON() {
        #expect { _ = try Manifest(bytes: Data(count: Manifest.maxSize + 1)) } throws: { "\($0)".contains("at most") }
        #expect { _ = try Manifest(bytes: Data("not json".utf8)) } throws: { "\($0)".contains("not valid JSON at byte 0") }
        #expect { _ = try Manifest(bytes: Data("[1]".utf8)) } throws: { "\($0)".contains("not a JSON object") }
        #expect {
            _ = try Manifest(bytes: Data("{\"schemaVersion\":2,\"config\":{\"digest\":\"nope\"},\"layers\":[]}".utf8))
        } throws: { "\($0)".contains("config: invalid digest \"nope\"") }
        #expect {
            _ = try Manifest(bytes: Data("{\"schemaVersion\":2,\"layers\":[{\"digest\":\"sha256:\(String(repeating: "a", count: 64))\"}],\"config\":{}}".utf8))
        } throws: { "\($0)".contains("layers[0] has no valid \"size\"") || "\($0)".contains("config has no") }
    }
}

@Suite struct PlatformTests {
    @Test(arguments: [
        ("linux/arm64/v8", "linux/arm64", true), ("linux/arm64", "linux/arm64/v8", true),
        ("linux/aarch64", "linux/arm64", true), ("linux/x86_64", "linux/amd64", true),
        ("linux/arm/v7", "linux/arm", true), ("linux/arm/v6", "linux/arm", false),
        ("linux/armhf", "linux/arm/v7", true), ("linux/amd64", "linux/arm64", false),
        ("windows/amd64", "linux/amd64", false), ("linux/amd64/v3", "linux/amd64", true),
    ])
    func matchesWithNormalisation(have: String, want: String, expected: Bool) throws {
        #expect(try Platform(parsing: have).matches(Platform(parsing: want)) == expected)
    }

    @Test func rejectsMalformedPlatforms() {
        #expect { _ = try Platform(parsing: "linux") } throws: { "\($0)".contains("os/architecture") }
        #expect(throws: OCIError.self) { _ = try Platform(parsing: "linux//v7") }
    }

    @Test func indexPicksTheMatchingChild() throws {
        let digest = "sha256:" + String(repeating: "c", count: 64)
        let text = "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"\(digest)\",\"size\":1,\"platform\":{\"os\":\"linux\",\"architecture\":\"arm64\",\"variant\":\"v8\"}}]}"
        let index = try #require(try Manifest(bytes: Data(text.utf8)).index)
        #expect(index.descriptor(for: try Platform(parsing: "linux/arm64"))?.digest.description == digest)
        #expect(index.descriptor(for: try Platform(parsing: "linux/amd64")) == nil)
    }

    @Test func formatsByteCounts() {
        #expect(ByteCount.format(512) == "512 B")
        #expect(ByteCount.format(1536) == "1.5 KiB")
        #expect(ByteCount.format(3 << 30) == "3.0 GiB")
        #expect(ByteCount.format(1023) == "1023 B")
        #expect(ByteCount.format(1024) == "1.0 KiB")
        #expect(ByteCount.format(1075) == "1.0 KiB", "1.0498 rounds down")
        #expect(ByteCount.format(1076) == "1.1 KiB", "1.0508 rounds up")
        #expect(ByteCount.format(1024 * 1024 - 1) == "1024.0 KiB", "the unit changes at 1024, before rounding")
        #expect(ByteCount.format(5 << 40) == "5.0 TiB")
        #expect(ByteCount.format(3000 << 40) == "3000.0 TiB", "no unit above TiB")
    }

    // MARK: Hostile documents

    static func image(layers: String, extra: String = "") -> Data {
        Data(#"{"schemaVersion":2,"config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"\#(ManifestTests.config)","size":7},"layers":\#(layers)\#(extra)}"#.utf8)
    }

    static func layer(_ size: String, extra: String = "") -> String {
        #"{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"\#(ManifestTests.layer)","size":\#(size)\#(extra)}"#
    }

    /// Layer digests are read where they lie in the document, and as strictly as any other:
    /// escapes decoded, sha512 known, anything else refused with the layer it is in.
    @Test func layerDigestsAreCheckedStrictly() throws {
        func layers(_ digests: [String]) -> Data {
            Self.image(layers: "[" + digests.map { #"{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":\#($0),"size":1}"# }
                .joined(separator: ",") + "]")
        }
        let hex = String(repeating: "a", count: 64)
        let read = try Manifest(bytes: layers(["\"sha256:\(hex)\"", #""sha256:\u0061"# + hex.dropFirst() + "\"",
                                                "\"sha512:\(hex)\(hex)\""]))
        #expect(read.image?.layers.map(\.digest.description) == ["sha256:\(hex)", "sha256:\(hex)", "sha512:\(hex)\(hex)"])
        // The media type written alike is read once and shared; written otherwise, read again.
        #expect(read.image?.layers.allSatisfy { $0.mediaType == .ociLayerGzip } == true)
        for (digest, complaint) in [("\"sha256:\(hex.uppercased())\"", "layers[1]: invalid digest"),
                                    ("\"sha256:\(hex.dropLast())\"", "layers[1]: invalid digest"),
                                    ("\"md5:\(hex)\"", "unsupported algorithm \"md5\""),
                                    ("7", "layers[1] has no \"digest\"")] {
            #expect { _ = try Manifest(bytes: layers(["\"sha256:\(hex)\"", digest])) } throws: { "\($0)".contains(complaint) }
        }
    }

    /// A decoy layer list: readers that take the first and readers that take the last disagree.
    @Test func repeatedKeysAreRefusedWithTheKeyAndOffset() throws {
        let decoy = Self.image(layers: "[]", extra: #","layers":[\#(Self.layer("1"))]"#)
        let offset = try #require(String(decoding: decoy, as: UTF8.self).range(of: #","layers":["#, options: .backwards)).lowerBound.utf16Offset(in: String(decoding: decoy, as: UTF8.self)) + 1
        #expect { try Manifest(bytes: decoy) } throws: { "\($0)".contains(#"the manifest has the key "layers" twice (again at byte \#(offset)"#) }
        let inDescriptor = Self.image(layers: "[\(Self.layer("1", extra: #","size":2"#))]")
        #expect { try Manifest(bytes: inDescriptor) } throws: { "\($0)".contains(#"layers[0] has the key "size" twice"#) }
        let escapedTwin = Self.image(layers: "[]", extra: #","annotations":{"a":"1","\u0061":"2"}"#)
        #expect { try Manifest(bytes: escapedTwin) } throws: { "\($0)".contains(#"annotations has the key "a" twice"#) }
    }

    /// Keys that differ but look alike once escaped for a terminal are two keys, and nothing traps.
    @Test func keysThatLookAlikeWhenEscapedStayApart() throws {
        let manifest = try Manifest(bytes: Self.image(layers: "[]", extra: #","annotations":{"k\u001b":"1","k\\x1b":"2"}"#))
        #expect(manifest.image?.annotations == ["k\u{1b}": "1", "k\\x1b": "2"])
    }

    @Test func sizesAreCappedAndTotalsChecked() throws {
        let huge = Self.image(layers: "[\(Self.layer("1")),\(Self.layer("9223372036854775807"))]")
        #expect { try Manifest(bytes: huge) } throws: {
            "\($0)".contains("layers[1] declares 9223372036854775807 bytes, more than the 17592186044416 (16 TiB)")
        }
        let big = Descriptor(mediaType: .ociLayer, digest: try Digest(parsing: ManifestTests.layer), size: Limits.blobSize)
        #expect(try Descriptor.totalSize(Array(repeating: big, count: 1000), in: "x") == Limits.blobSize * 1000)
        #expect { try Descriptor.totalSize(Array(repeating: big, count: 1 << 20), in: "the index") } throws: {
            "\($0)".contains("the sizes in the index add up to more than 2^63 bytes")
        }
    }

    @Test func configsWithRepeatedKeysAreRefused() throws {
        #expect(try ImageConfig(parsing: Data(#"{"os":"linux","rootfs":{"type":"layers","diff_ids":["\#(ManifestTests.layer)"]}}"#.utf8)).rootfs?.diffIDs?.count == 1)
        #expect { try ImageConfig(parsing: Data(#"{"rootfs":{"diff_ids":[],"diff_ids":["\#(ManifestTests.layer)"]}}"#.utf8)) } throws: {
            "\($0)".contains(#"rootfs has the key "diff_ids" twice"#)
        }
    }
}

@Suite struct RateLimitParsingTests {
    @Test func readsDockerHubsHeadersAndRefusesTheRest() {
        #expect(RateLimit(limit: "100;w=21600", remaining: "76;w=21600") == RateLimit(limit: 100, remaining: 76, window: 21600))
        #expect(RateLimit(limit: "100", remaining: "7") == RateLimit(limit: 100, remaining: 7, window: nil))
        #expect(RateLimit(limit: "100;w=21600", remaining: nil) == nil)
        #expect(RateLimit(limit: "lots", remaining: "5") == nil)
        #expect(RateLimit(limit: "99999999999999999999", remaining: "1") == nil, "a count too long to be true")
        #expect(RateLimit(limit: "10", remaining: "50")?.remaining == 10, "never more left than allowed")
    }
}
