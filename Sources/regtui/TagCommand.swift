import Foundation
import OCI
import Registry
import Stores

/// `regtui tag REF NEWTAG…`: more tags for the same manifest, without moving a blob.
struct TagCommand: Command {
    static let name = "tag"
    static let summary = "add tags to a manifest in the same repository"
    static let help = """
    Usage: regtui tag REF NEWTAG… [--json]

    Points each NEWTAG at the manifest REF names, in the same repository (or layout, or OCI
    archive), by writing the same bytes under the new name: no blob moves, the digest is the
    same. A NEWTAG that pointed elsewhere is moved, and said so.
    \(ReferenceOperand.stores)
      --json   print [{tag, digest, movedFrom}]
    """
    let reference: ImageRef
    let tags: [String]

    init(arguments: inout Arguments) throws(UsageError) {
        reference = try parseReference(arguments.operand("REF"))
        var tags: [String] = []
        while let tag = try arguments.optionalOperand() {
            do { try Reference.validateTag(tag, in: tag) } catch { throw UsageError(error.description) }
            tags.append(tag)
        }
        guard !tags.isEmpty else { throw UsageError("missing NEWTAG") }
        self.tags = tags
    }

    struct Tagged: Encodable {
        var tag: String
        var digest: String
        var movedFrom: String?
    }

    func run(_ context: Context) async throws -> Int32 {
        let store = context.store(reference)
        let (manifest, moved) = try await store.addTags(tags, to: reference.manifestID)
        let done = tags.map { Tagged(tag: $0, digest: manifest.digest.description, movedFrom: moved[$0]?.description) }
        if context.json {
            context.output.json(done)
        } else {
            context.output.lines(done.map { tagged in
                "\(store.location.with(tag: tagged.tag)) -> \(tagged.digest)" + (tagged.movedFrom.map { " (moved from \($0))" } ?? "")
            })
        }
        return ExitStatus.success
    }
}
