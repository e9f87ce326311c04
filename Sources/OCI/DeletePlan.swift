import Foundation

/// What deleting a manifest from a registry takes with it, worked out before anything is
/// deleted: a registry deletes manifests by digest, and every tag on that digest goes too.
public struct DeletePlan: Sendable, Equatable {
    public var repository: Reference
    public var digest: Digest
    public var mediaType: MediaType
    /// Every tag that points at the digest (the whole tag list read), in the registry's order.
    public var tags: [String]
    /// An index's children that no tag points at: left without a parent.
    public var orphans: [Descriptor]
    /// Artifacts (signatures, SBOMs) whose subject it is: left without their subject.
    public var referrers: [Descriptor]
    /// Indexes a tag points at that list it: they would keep pointing at a manifest that is gone.
    public var parents: [Parent]

    /// An index that lists the manifest, and the tags on it.
    public struct Parent: Sendable, Equatable {
        public var digest: Digest
        public var tags: [String]

        public init(digest: Digest, tags: [String]) {
            self.digest = digest
            self.tags = tags
        }
    }

    public init(repository: Reference, digest: Digest, mediaType: MediaType, tags: [String], orphans: [Descriptor],
                referrers: [Descriptor], parents: [Parent] = []) {
        self.repository = repository
        self.digest = digest
        self.mediaType = mediaType
        self.tags = tags
        self.orphans = orphans
        self.referrers = referrers
        self.parents = parents
    }

    /// The other tags on the digest: while there are any, only a placeholder takes `tag` alone.
    public func othersSharing(_ tag: String) -> [String] { tags.filter { $0 != tag } }

    /// The plan as a person reads it, one line each: for deleting the manifest, or (`tag`) only
    /// that tag.
    public func lines(tag: String? = nil) -> [String] {
        var out: [String]
        if let tag {
            let others = tags.filter { $0 != tag }
            out = ["delete the tag \(repository.name):\(tag), which points at \(digest) (\(mediaType.friendlyName))"]
            guard others.isEmpty else {
                out.append("  other tags on that digest, to be kept (\(others.count)): \(others.joined(separator: ", "))")
                return out
            }
            out.append("  it is the digest's only tag: where the registry deletes by digest only, the manifest goes with it")
        } else {
            out = ["delete \(repository.name)@\(digest) (\(mediaType.friendlyName))"]
            out.append(tags.isEmpty ? "  no tag points at it" : "  tags removed with it (\(tags.count)): \(tags.joined(separator: ", "))")
        }
        if !parents.isEmpty {
            out.append("  indexes that list it, left pointing at a manifest that is gone (\(parents.count)): "
                       + parents.map { "\($0.digest.short) (\($0.tags.joined(separator: ", ")))" }.joined(separator: ", "))
        }
        if !orphans.isEmpty {
            out.append("  children left without a parent (\(orphans.count)): "
                       + orphans.map { "\($0.digest.short)\($0.platform.map { " \($0)" } ?? "")" }.joined(separator: ", "))
        }
        if !referrers.isEmpty {
            out.append("  referrers left without their subject (\(referrers.count)): "
                       + referrers.map { "\($0.digest.short)\($0.artifactType.map { " \($0)" } ?? "")" }.joined(separator: ", "))
        }
        out.append("  blobs stay until the registry's garbage collector removes them")
        return out
    }
}

/// How a delete was done.
public enum DeleteMethod: String, Sendable, Encodable {
    /// The registry deleted the tag alone.
    case tag
    /// The manifest was deleted by digest, with every tag on it.
    case digest
    /// The tag was pointed at a placeholder manifest of its own, which was then deleted.
    case placeholder
}

