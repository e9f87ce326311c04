import ManifestDiff
import OCI
import TerminalUI
import TransferModel

/// Everything that can change the state: keys, and answers to effects.
public enum Action: Sendable {
    case key(Key)
    case resized(width: Int, height: Int)
    case catalogLoaded(registry: String, names: [String], next: String?, appended: Bool)
    /// `unavailable`: the registry does not serve its catalog (the person may type a repository).
    case catalogFailed(registry: String, message: String, unavailable: Bool)
    case tagsLoaded(repository: String, tags: [String])
    case tagsFailed(repository: String, message: String)
    case digestLoaded(reference: Reference, digest: Digest)
    case treeLoaded(key: String, tree: ImageTree)
    case treeFailed(key: String, message: String)
    case diffLoaded(id: Int, comparison: ManifestComparison, rows: SideBySide)
    case diffFailed(id: Int, message: String)
    /// The destination tag's current digest (nil when absent), for the copy prompt.
    case destinationChecked(destination: Reference, current: Digest?, source: Digest)
    case destinationCheckFailed(message: String)
    case transfer(id: Int, TransferEvent)
    case transferFinished(id: Int, result: CopyResult)
    case transferFailed(id: Int, message: String, cancelled: Bool)
}

/// Work the runtime does for `update`; each answers with actions.
public enum Effect: Sendable, Equatable {
    case loadCatalog(registry: String, next: String?)
    case loadTags(Reference)
    case loadDigest(Reference)
    case loadTree(key: String, reference: Reference)
    case loadDiff(id: Int, a: Reference, b: Reference)
    case checkDestination(source: Reference, destination: Reference)
    case startCopy(id: Int, source: Reference, destination: Reference)
    case cancelCopy(id: Int)
    /// Put text on the clipboard (OSC 52).
    case setClipboard(String)
}
