import Foundation
import OCI
import Registry
import Stores

/// `regtui delete REF`: a tag, or a manifest with everything that goes with it, never more than
/// the person was shown.
struct DeleteCommand: Command {
    static let name = "delete"
    static let summary = "delete a tag or a manifest, showing first what goes with it"
    static let help = """
    Usage: regtui delete REPO:TAG | REPO@sha256:… [--dry-run] [--yes] [--placeholder] [--json]

    A registry deletes manifests by digest, and every tag on the digest goes with it. regtui
    first reads every tag of the repository and shows the plan: the tags removed, an index's
    children left without a parent, the indexes that list it (a platform's manifest: they would
    point at a manifest that is gone), the referrers (signatures, SBOMs) left without their subject.

    By tag, only that tag is deleted. When no other tag shares its digest, regtui asks the
    registry to delete the tag (the OCI distribution spec allows it); a registry that deletes
    by digest only (distribution 2.8) then deletes the manifest, after the plan is confirmed.
    When other tags share the digest, regtui refuses and names them, unless --placeholder: the
    tag is first pointed at a tiny placeholder manifest of its own, which is then deleted by
    digest; that leaves the placeholder's 2-byte config blob in the repository.

    By digest, the manifest and every tag on it are deleted, once the plan is confirmed: y/n on
    a terminal, --yes without one (otherwise nothing changes, exit 2).

    Deleting does not remove blobs: the registry's garbage collector does that.
      --dry-run       show the plan, change nothing
      --yes           do not ask
      --placeholder   delete a tag that shares its digest with others, through a placeholder
      --json          print the plan and what was done as JSON
    """
    let reference: Reference
    let dryRun: Bool
    let assumeYes: Bool
    let placeholder: Bool

    init(arguments: inout Arguments) throws(UsageError) {
        dryRun = arguments.flag("--dry-run")
        assumeYes = arguments.flag("--yes", "-y")
        placeholder = arguments.flag("--placeholder")
        let text = try arguments.operand("REF")
        guard let reference = try parseReference(text).registryReference else {
            throw UsageError("regtui deletes from registries only; for a layout, copy what you keep into a new one")
        }
        let name = text.split(separator: "/").last ?? ""
        guard name.contains(":") || name.contains("@") else {
            throw UsageError("name the tag or the digest to delete (\(text):TAG or \(text)@sha256:…); regtui does not assume latest")
        }
        self.reference = reference
    }

    func run(_ context: Context) async throws -> Int32 {
        let plan = try await DeletePlan.make(for: reference, in: RegistryStore(client: context.client, repository: reference))
        let report = Report(plan: plan, tag: reference.digest == nil ? reference.tag : nil)
        if let tag = report.tag {
            return try await deleteTag(tag, plan: plan, report: report, context: context)
        }
        return try await deleteDigest(plan: plan, report: report, context: context)
    }

    /// Only `tag`: by the registry's tag delete, through a placeholder, or (when it is the only
    /// tag and the registry deletes by digest only) with its manifest, once confirmed.
    private func deleteTag(_ tag: String, plan: DeletePlan, report: Report, context: Context) async throws -> Int32 {
        if dryRun { return show(report, context) }
        let store = RegistryStore(client: context.client, repository: reference)
        if !plan.othersSharing(tag).isEmpty {
            // Refused without --placeholder: the plan shows which tags share the digest.
            if !placeholder { show(report, context) }
            return show(report.done(try await plan.execute(tag: tag, placeholder: placeholder, in: store)), context)
        }
        if try await context.client.deleteManifest(reference.with(tag: tag)) == .deleted { return show(report.done(.tag), context) }
        // The registry deletes by digest only, and this is the digest's only tag.
        guard try confirm(plan, context) else { return show(report, context, refused: true) }
        return show(report.done(try await plan.execute(tag: nil, placeholder: false, in: store)), context)
    }

    private func deleteDigest(plan: DeletePlan, report: Report, context: Context) async throws -> Int32 {
        if dryRun { return show(report, context) }
        guard try confirm(plan, context) else { return show(report, context, refused: true) }
        let store = RegistryStore(client: context.client, repository: reference)
        return show(report.done(try await plan.execute(tag: nil, placeholder: false, in: store)), context)
    }

    /// `--yes`, or y on a terminal; false (nothing deleted) otherwise.
    private func confirm(_ plan: DeletePlan, _ context: Context) throws -> Bool {
        if assumeYes { return true }
        // Only a person at a terminal is asked: a script's stdin is a pipe or a file.
        guard isatty(STDIN_FILENO) == 1 else { return false }
        context.output.note(plan.lines(tag: reference.digest == nil ? reference.tag : nil).joined(separator: "\n"))
        let answer = try Terminal.prompt("Delete? [y/N] ", echo: true)?.lowercased() ?? ""
        return answer == "y" || answer == "yes"
    }

    @discardableResult
    private func show(_ report: Report, _ context: Context, refused: Bool = false) -> Int32 {
        if context.json {
            context.output.json(report)
        } else {
            context.output.lines(report.plan.lines(tag: report.tag).dropFirst(report.method == nil ? 0 : 1))
            if let method = report.method { context.output.line(report.sentence(method)) }
        }
        guard refused else { return ExitStatus.success }
        context.output.error("nothing was deleted: confirm with --yes (there is no terminal to ask on), or look first with --dry-run")
        return ExitStatus.error
    }

    /// The plan, and what was done with it.
    struct Report: Encodable {
        /// What was done, in a sentence.
        func sentence(_ method: DeleteMethod) -> String {
            let target = "\(plan.repository.name)"
            return switch method {
            case .tag: "deleted the tag \(target):\(tag ?? "") (the registry deleted the tag alone)"
            case .digest: "deleted \(target)@\(plan.digest) and its \(plan.tags.count) tag\(plan.tags.count == 1 ? "" : "s")"
            case .placeholder: "deleted the tag \(target):\(tag ?? "") through a placeholder; \(plan.digest) keeps its other tags; the placeholder's 2-byte config blob stays until garbage collection"
            }
        }

        let plan: DeletePlan
        let tag: String?
        var method: DeleteMethod?

        func done(_ method: DeleteMethod) -> Report {
            var report = self
            report.method = method
            return report
        }

        enum Keys: String, CodingKey { case digest, mediaType, tags, orphans, referrers, parents, tag, deleted, method }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(plan.digest.description, forKey: .digest)
            try container.encode(plan.mediaType.rawValue, forKey: .mediaType)
            try container.encode(plan.tags, forKey: .tags)
            try container.encode(plan.orphans.map(\.digest.description), forKey: .orphans)
            try container.encode(plan.referrers.map(\.digest.description), forKey: .referrers)
            try container.encode(plan.parents.map(\.digest.description), forKey: .parents)
            try container.encodeIfPresent(tag, forKey: .tag)
            try container.encode(method != nil, forKey: .deleted)
            try container.encodeIfPresent(method, forKey: .method)
        }
    }
}
