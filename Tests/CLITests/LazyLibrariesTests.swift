import Foundation
import TestSupport
import Testing

/// libcurl and libarchive are opened on first use: a command that needs neither runs without
/// them, and one that needs a library that cannot be loaded says which, why and what to install.
/// The libraries are made unloadable by putting empty files of their names first on the loader's
/// path.
@Suite struct LazyLibrariesTests {
    let folder = NSTemporaryDirectory() + "regtui-no-libraries-\(UUID().uuidString)"

    init() throws {
        try FileManager.default.createDirectory(atPath: folder + "/lib", withIntermediateDirectories: true)
        for library in ["libcurl.so.4", "libarchive.so.13"] {
            FileManager.default.createFile(atPath: "\(folder)/lib/\(library)", contents: Data())
        }
    }

    var environment: [String: String] { ["LD_LIBRARY_PATH": folder + "/lib", "HOME": folder, "DOCKER_CONFIG": folder + "/docker"] }

    @Test func aManifestDiffNeedsNeitherLibrary() async throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let manifest = #"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:\#(String(repeating: "c", count: 64))","size":2},"layers":[]}"#
        try manifest.write(toFile: folder + "/a.json", atomically: true, encoding: .utf8)
        try (manifest + "\n").write(toFile: folder + "/b.json", atomically: true, encoding: .utf8)
        let result = try await regtui(["diff", "file:\(folder)/a.json", "file:\(folder)/b.json", "--json"], environment: environment)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(JSONValue.parse(result.stdout)?["verdict"]?.string == "reserialized")
    }

    @Test func aRegistryCommandNamesTheMissingLibcurl() async throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try await regtui(["inspect", "127.0.0.1:9/demo:1"], environment: environment)
        #expect(result.status == 2)
        #expect(result.stderr.contains("libcurl cannot be loaded (\(folder)/lib/libcurl.so.4"), "\(result.stderr)")
        #expect(result.stderr.contains("install libcurl4"))
    }

    @Test func anArchiveCommandNamesTheMissingLibarchive() async throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        FileManager.default.createFile(atPath: folder + "/image.tar", contents: Data())
        let result = try await regtui(["inspect", "oci-archive:\(folder)/image.tar"], environment: environment)
        #expect(result.status == 2)
        #expect(result.stderr.contains("libarchive cannot be loaded (\(folder)/lib/libarchive.so.13"), "\(result.stderr)")
        #expect(result.stderr.contains("install libarchive13"))
    }
}
