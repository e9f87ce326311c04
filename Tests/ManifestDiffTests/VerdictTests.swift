import Foundation
import ManifestDiff
import OCI
import Testing

/// One image written each of the ways whose digests differ, built from bytes.
@Suite struct VerdictTests {
    static func digest(_ seed: String) -> String { Digest.of(Data(seed.utf8)).description }
    static let layerA = digest("layer a"), layerB = digest("layer b")
    static let recompressedA = digest("layer a, gzip -1"), recompressedB = digest("layer b, gzip -1")
    static let diffIDs = [digest("tar a"), digest("tar b")]

    static func config(cmd: String = "/bin/sh", arch: String = "amd64") -> Data {
        Data(#"{"architecture":"\#(arch)","os":"linux","config":{"Cmd":["\#(cmd)"]},"rootfs":{"type":"layers","diff_ids":["\#(diffIDs[0])","\#(diffIDs[1])"]}}"#.utf8)
    }

    static func manifest(type: String = "application/vnd.oci.image.manifest.v1+json",
                         configType: String = "application/vnd.oci.image.config.v1+json",
                         layerType: String = "application/vnd.oci.image.layer.v1.tar+gzip",
                         layers: [String] = [layerA, layerB], config: Data = config(), extra: String = "") -> String {
        let descriptors = layers.map { #"{"mediaType":"\#(layerType)","digest":"\#($0)","size":100}"# }.joined(separator: ",")
        return #"{"schemaVersion":2,"mediaType":"\#(type)","config":{"mediaType":"\#(configType)","digest":"\#(Digest.of(config))","size":\#(config.count)},"layers":[\#(descriptors)]\#(extra)}"#
    }

    static func tree(_ text: String, config: Data = config(), name: String = "x") throws -> ImageTree {
        ImageTree(reference: name, manifest: try Manifest(bytes: Data(text.utf8)), config: config)
    }

    let base: ImageTree

    init() throws { base = try Self.tree(Self.manifest(extra: #","annotations":{"note":"café"}"#), name: "base") }

    @Test func identical() throws {
        let comparison = ManifestComparison(base, base)
        #expect(comparison.verdict == .identical)
        #expect(comparison.parts.allSatisfy { $0.equal })
    }

    @Test func reserializedWhitespaceNamesTheFirstDifferingByte() throws {
        let spaced = String(decoding: base.manifest.bytes, as: UTF8.self).replacingOccurrences(of: ",\"config\"", with: ", \"config\"")
        let comparison = ManifestComparison(base, try Self.tree(spaced))
        #expect(comparison.verdict == .reserialized)
        let offset = try #require(String(decoding: base.manifest.bytes, as: UTF8.self).range(of: ",\"config\"")).lowerBound.utf16Offset(in: String(decoding: base.manifest.bytes, as: UTF8.self)) + 1
        #expect(comparison.evidence.contains { $0.contains("first difference is at byte offset \(offset) (counted from 0)") })
        #expect(comparison.evidence.contains("only whitespace differs (indentation, spaces or newlines)"))
    }

    @Test func reserializedKeyOrderAndEscapes() throws {
        let text = String(decoding: base.manifest.bytes, as: UTF8.self)
        let object = try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let rewritten = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        let escaped = String(decoding: rewritten, as: UTF8.self).replacingOccurrences(of: "café", with: "caf\\u00e9")
        let comparison = ManifestComparison(base, try Self.tree(escaped))
        #expect(comparison.verdict == .reserialized)
        #expect(comparison.evidence.contains("object keys are in a different order"))
        #expect(comparison.evidence.contains { $0.contains("escaped differently") })
    }

    @Test func convertedToDockerMediaTypes() throws {
        let docker = try Self.tree(Self.manifest(type: "application/vnd.docker.distribution.manifest.v2+json",
                                                 configType: "application/vnd.docker.container.image.v1+json",
                                                 layerType: "application/vnd.docker.image.rootfs.diff.tar.gzip"))
        let comparison = ManifestComparison(base, docker)
        #expect(comparison.verdict == .converted)
        #expect(comparison.evidence.contains { $0.contains("the manifest type changed: OCI manifest → Docker manifest v2") })
        #expect(comparison.evidence.contains("annotations: removed note"), "\(comparison.evidence)")
        let config = try #require(comparison.parts.first { $0.part == "config (image ID)" })
        #expect(config.equal && config.details.a != config.details.b, "both sides' config media types are kept")
        #expect(comparison.headline == "converted" && !comparison.fullExplanation.hasPrefix("converted"), "the name is not repeated")
    }

    @Test func annotationChangesAreNamedByKey() throws {
        let changed = try Self.tree(Self.manifest(extra: #","annotations":{"note":"tea","added":"x"}"#))
        let comparison = ManifestComparison(base, changed)
        #expect(comparison.evidence.contains("annotations: added added; changed note"), "\(comparison.evidence)")
    }

    @Test func anIndexTypeChangeIsSaid() throws {
        func index(_ type: String) throws -> ImageTree {
            let text = #"{"schemaVersion":2,"mediaType":"\#(type)","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"\#(base.manifest.digest)","size":\#(base.manifest.bytes.count),"platform":{"os":"linux","architecture":"amd64"}}]}"#
            return ImageTree(reference: type, manifest: try Manifest(bytes: Data(text.utf8)), children: [base])
        }
        let comparison = ManifestComparison(try index("application/vnd.oci.image.index.v1+json"),
                                            try index("application/vnd.docker.distribution.manifest.list.v2+json"))
        #expect(comparison.verdict == .converted)
        #expect(comparison.evidence.contains { $0.hasPrefix("the index type changed: OCI index → Docker manifest list") }, "\(comparison.evidence)")
    }

    @Test func recompressedLayersWithTheSameConfig() throws {
        let pushedAgain = try Self.tree(Self.manifest(type: "application/vnd.docker.distribution.manifest.v2+json",
                                                      layerType: "application/vnd.docker.image.rootfs.diff.tar.gzip",
                                                      layers: [Self.recompressedA, Self.recompressedB]))
        let comparison = ManifestComparison(base, pushedAgain)
        #expect(comparison.verdict == .recompressed)
        #expect(comparison.parts.first { $0.part == "layer 1" }?.equal == false)
        #expect(comparison.parts.first { $0.part == "diff_id 1" }?.equal == true)
        #expect(comparison.evidence.contains { $0.contains("diff_ids") })
        #expect(comparison.evidence.contains { $0.hasPrefix("the media types changed too: the manifest type changed: OCI manifest → Docker manifest v2") },
                "\(comparison.evidence)")
    }

    @Test func manyRecompressedLayersAreNamedFiveAtATimeAndAllListedInTheParts() throws {
        let count = 12
        let layers = (0..<count).map { Self.digest("layer \($0)") }, recompressed = (0..<count).map { Self.digest("layer \($0), zstd") }
        let comparison = ManifestComparison(try Self.tree(Self.manifest(layers: layers)),
                                            try Self.tree(Self.manifest(layers: recompressed)))
        #expect(comparison.verdict == .recompressed)
        #expect(comparison.evidence.filter { $0.contains("differs as a blob") }.count == 5)
        #expect(comparison.evidence.contains("7 more layers differ as blobs (12 of 12 in all; the parts table lists each)"))
        let layerRows = comparison.parts.filter { $0.part.hasPrefix("layer ") }
        #expect(layerRows.count == count && layerRows.allSatisfy { !$0.equal })
        #expect(layerRows.last?.b?.description == recompressed.last)
        #expect(layerRows.first?.aDetail == "100 B, OCI layer (gzip)")
    }

    @Test func platformExtractedFromAnIndexAndThePairExplained() throws {
        let arm = try Self.tree(Self.manifest(config: Self.config(arch: "arm64")), config: Self.config(arch: "arm64"))
        let indexText = #"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"\#(base.manifest.digest)","size":\#(base.manifest.bytes.count),"platform":{"os":"linux","architecture":"amd64"}},{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"\#(arm.manifest.digest)","size":\#(arm.manifest.bytes.count),"platform":{"os":"linux","architecture":"arm64"}}]}"#
        let index = ImageTree(reference: "index", manifest: try Manifest(bytes: Data(indexText.utf8)), children: [base, arm])
        let pushedAgain = try Self.tree(Self.manifest(type: "application/vnd.docker.distribution.manifest.v2+json",
                                                      layerType: "application/vnd.docker.image.rootfs.diff.tar.gzip",
                                                      layers: [Self.recompressedA, Self.recompressedB]))
        let comparison = ManifestComparison(index, pushedAgain)
        #expect(comparison.verdict == .platformExtracted)
        #expect(comparison.pairs.count == 1)
        #expect(comparison.pairs.first?.platform == "linux/amd64")
        #expect(comparison.pairs.first?.a == base.manifest.digest && comparison.pairs.first?.b == pushedAgain.manifest.digest)
        #expect(comparison.pairs.first?.verdict == .recompressed)
        #expect(!comparison.evidence.joined().contains("docker pull"), "the tool is not known, so it is not named")
        #expect(comparison.headline == "platform-extracted + recompressed", "the headline names every cause")
        #expect(comparison.fullExplanation.contains("the pair is recompressed"))
        #expect(comparison.json().left == base.manifest.tree.prettyLines(), "A's matching child is lined up with B, not the index")
        #expect(comparison.sideBySideNote?.contains("A's linux/amd64 manifest") == true)
        let reversed = ManifestComparison(pushedAgain, index)
        #expect(reversed.verdict == .platformExtracted)
        #expect(reversed.json().right == base.manifest.tree.prettyLines())
    }

    @Test func differentConfigSaysWhatChanged() throws {
        let other = Self.config(cmd: "/bin/app")
        let comparison = ManifestComparison(base, try Self.tree(Self.manifest(config: other), config: other))
        #expect(comparison.verdict == .different)
        #expect(comparison.evidence.contains { $0.contains("the filesystem layers are the same") && $0.contains("config") })
    }

    @Test func theLayersWhoseContentDiffersAreNamedExactly() throws {
        let ids = [Self.digest("tar a"), Self.digest("tar b"), Self.digest("tar c")]
        func config(_ ids: [String]) -> Data {
            Data(#"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["\#(ids.joined(separator: "\",\""))"]}}"#.utf8)
        }
        let a = config(ids), b = config([Self.digest("other a"), ids[1], Self.digest("other c")])
        let comparison = ManifestComparison(try Self.tree(Self.manifest(layers: [Self.layerA, Self.layerB, Self.layerA], config: a), config: a),
                                            try Self.tree(Self.manifest(layers: [Self.recompressedA, Self.layerB, Self.recompressedB], config: b), config: b))
        #expect(comparison.verdict == .different)
        #expect(comparison.evidence.contains("the filesystem content differs in layers 1, 3 (of 3, by diff_id); 1 layer is the same"),
                "\(comparison.evidence)")
    }

    @Test func exactBytesViewShowsWhitespace() throws {
        let spaced = try Self.tree("{ \"schemaVersion\":2,\n\t\"manifests\":[] }\n")
        let compact = try Self.tree("{\"schemaVersion\":2,\"manifests\":[]}")
        let view = ManifestComparison(spaced, compact).exactBytes()
        #expect(view.left == ["{·\"schemaVersion\":2,⏎", "→\"manifests\":[]·}⏎"])
        #expect(view.right == ["{\"schemaVersion\":2,\"manifests\":[]}"])
    }
}
