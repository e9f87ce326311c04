import FileTree
import Testing

/// The merge as a container engine applies layers, also when a layer arrives in parts.
@Suite struct MergedFilesystemTests {
    func file(_ path: String, _ layer: Int, size: Int64 = 1) -> FileEntry { FileEntry(path: path, type: .file, mode: 0o644, size: size, layer: layer) }
    func dir(_ path: String, _ layer: Int) -> FileEntry { FileEntry(path: path, type: .dir, mode: 0o755, layer: layer) }
    func whiteout(_ path: String, _ layer: Int) -> FileEntry { FileEntry(path: path, type: .whiteout, mode: 0, layer: layer) }
    func opaque(_ path: String, _ layer: Int) -> FileEntry { FileEntry(path: path, type: .opaque, mode: 0, layer: layer) }

    var base: [FileEntry] { [dir("/etc", 1), file("/etc/a", 1), file("/etc/b", 1), dir("/dir", 1), file("/dir/x", 1), dir("/dir/sub", 1), file("/dir/sub/y", 1)] }

    @Test func whiteoutsAndOpaqueDirectoriesActOnLowerLayers() {
        var merged = MergedFilesystem()
        merged.apply(base)
        merged.apply([whiteout("/etc/b", 2), opaque("/dir", 2), file("/dir/new", 2), file("/etc/a", 2, size: 2)])
        #expect(merged.sorted.map(\.path) == ["/dir", "/dir/new", "/etc", "/etc/a"])
        #expect(merged.removed == ["/etc/b": 2, "/dir/x": 2, "/dir/sub": 2])
        #expect(merged.change(at: "/etc/a") == .modified && merged.change(at: "/dir/new") == .added)
        #expect(merged.names(in: "/") == ["dir", "etc"] && merged.names(in: "/dir") == ["new"])
    }

    /// A marker read after its own layer's entries (tar order is free) must not delete them.
    @Test func aLayerInPartsInAnyOrderGivesTheSameFilesystem() {
        let upper = [file("/dir/new", 2), dir("/dir/sub", 2), file("/dir/sub/z", 2), opaque("/dir", 2), whiteout("/etc/b", 2)]
        var whole = MergedFilesystem()
        whole.apply(base)
        whole.apply(upper)
        for split in 0...upper.count {
            var parts = MergedFilesystem()
            parts.apply(base)
            parts.apply(Array(upper[split...]))
            parts.apply(Array(upper[..<split]))
            #expect(parts.sorted == whole.sorted, "split at \(split)")
        }
        #expect(whole.sorted.map(\.path) == ["/dir", "/dir/new", "/dir/sub", "/dir/sub/z", "/etc", "/etc/a"])
        #expect(whole.entries["/dir/sub/y"] == nil, "the lower layer's content of a directory the upper layer also wrote is hidden")
    }

    @Test func writingAPathAgainUndoesItsRemoval() {
        var merged = MergedFilesystem()
        merged.apply(base)
        merged.apply([whiteout("/etc/a", 2)])
        merged.apply([file("/etc/a", 3)])
        #expect(merged.removed.isEmpty && merged.change(at: "/etc/a") == .modified)
    }

    @Test func aFileReplacingADirectoryTakesWhatItHeld() {
        var merged = MergedFilesystem()
        merged.apply(base)
        merged.apply([file("/dir", 2)])
        #expect(merged.sorted.map(\.path) == ["/dir", "/etc", "/etc/a", "/etc/b"] && merged.entries["/dir"]?.type == .file)
    }

    @Test func lookupFollowsLinksInsideTheImage() {
        var merged = MergedFilesystem()
        merged.apply(base + [FileEntry(path: "/lib", type: .symlink, mode: 0o777, linkTarget: "../../dir", layer: 1),
                             FileEntry(path: "/hl", type: .hardlink, mode: 0o644, linkTarget: "/etc/a", layer: 1)])
        #expect(merged.lookup("/lib/sub/y") == .file(file("/dir/sub/y", 1), source: "/dir/sub/y"))
        #expect(merged.lookup("/hl") == .file(merged.entries["/hl"]!, source: "/etc/a"))
        #expect(merged.lookup("/etc") == .notAFile(dir("/etc", 1)))
        #expect(merged.lookup("/nowhere") == .absent)
    }
}
