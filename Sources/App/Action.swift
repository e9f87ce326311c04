import FileTree
import Foundation
import ManifestDiff
import OCI
import TerminalUI
import TransferModel

/// Names one request `update` asked the runtime for; every answer carries it back, and an answer
/// whose request is no longer open is dropped.
public typealias RequestID = Int

/// Everything that can change the state: keys, and answers to effects.
public enum Action: Sendable {
    case key(Key)
    case resized(width: Int, height: Int)
    /// The answer to request `RequestID`.
    case answer(RequestID, Answer)
    /// Request `RequestID` failed (or was cancelled).
    case failed(RequestID, message: String, cancelled: Bool)
    /// Progress of the copy started as request `RequestID`.
    case transfer(RequestID, TransferEvent)
    /// Entries read so far for the files view opened as request `RequestID`.
    case files(RequestID, FilesEvent)
    /// The pull quotas registries announced, by registry.
    case rateLimits([String: RateLimit])
}

/// What reading an image's layers for a files view brings, as it streams.
public enum FilesEvent: Sendable {
    /// Entries as they were read, before their layer's digest was checked.
    case entries([FileEntry])
    /// The layer at this 1-based position was read to its end and matched its digest.
    case layerVerified(Int)
}

/// What a request found.
public enum Answer: Sendable {
    /// A page of a registry's catalog, and where the next starts.
    case catalog(names: [String], next: String?)
    /// The registry does not serve its catalog: the person may type repositories.
    case catalogUnavailable
    case tags([String])
    /// What a tag points at now, and that manifest's summary (created, size, platforms).
    case summary(Digest, ManifestSummary)
    case tree(ImageTree)
    case diff(ManifestComparison, SideBySide)
    /// What a copy would do: the digest the source resolves to now (it is the one copied), and the
    /// destination tag's current digest (nil when absent).
    case destination(source: Digest, current: Digest?)
    /// Whether a typed repository exists.
    case repository(exists: Bool)
    case copied(CopyResult)
    /// What deleting would take with it.
    case deletePlan(DeletePlan)
    /// The delete was carried out, this way.
    case deleted(DeleteMethod)
    /// The tags were added to the manifest `Digest`; those that pointed elsewhere, with where.
    case tagged(Digest, moved: [String: Digest])
    /// Every layer a files view asked for was read and verified.
    case filesRead
    /// The first bytes of a file (at most `FileContent.limit`), and its whole size.
    case fileContent(Data, size: Int64)
    /// Which files differ between the two images of a diff; `scope` names the platform compared
    /// when the two are indexes.
    case fileChanges([FileChange], scope: String?)
}

/// Work the runtime does for `update`; each answers with actions carrying its `RequestID`.
public enum Effect: Sendable, Equatable {
    case load(RequestID, Load)
    /// Copies `source` (pinned to the digest the person approved) to `destination`.
    case copy(RequestID, source: ImageRef, destination: ImageRef)
    /// Stops request `RequestID`: its answer is no longer wanted, and a copy ends with no tag written.
    case cancel(RequestID)
    /// Put text on the clipboard (OSC 52).
    case setClipboard(String)
    /// Carries out a delete plan the person confirmed: `tag` alone, or with no tag the manifest.
    case delete(RequestID, DeletePlan, tag: String?)
    /// Points `tags` at the manifest `ImageRef` names, in its repository.
    case addTags(RequestID, ImageRef, [String])
}

/// What to fetch.
public enum Load: Sendable, Equatable {
    /// A page of the repositories of `registry` (a host, or `oci:/path`, whose one repository is itself).
    case catalog(registry: String, next: String?)
    case tags(ImageRef)
    /// What a tag points at and its manifest's summary (for the tags pane's rows).
    case summary(ImageRef)
    case tree(ImageRef)
    case diff(ImageRef, ImageRef)
    /// The source's digest and the destination tag's, before a copy.
    case destination(source: ImageRef, destination: ImageRef)
    /// Whether a repository exists (the person typed it).
    case repository(ImageRef)
    /// What deleting the tag or manifest `ImageRef` names would take with it.
    case deletePlan(ImageRef)
    /// The files of the image manifest `ImageRef` (by digest): merged, or one layer's own.
    case files(ImageRef, FilesSource)
    /// The bytes of the file at `path` in layer `layer` (1-based) of the image.
    case fileContent(ImageRef, layer: Int, path: String)
    /// Which files differ between two images.
    case fileChanges(ImageRef, ImageRef)
}
