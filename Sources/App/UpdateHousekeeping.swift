import OCI
import TerminalUI

// Housekeeping: deleting a tag or manifest after showing its plan, and adding tags.

/// `D`: reads what deleting the selected tag or manifest takes with it, to show it for a yes or no.
func promptDelete(_ state: inout AppState) -> [Effect] {
    guard let (target, _) = currentItem(state) else { return [] }
    let (id, effects) = state.requests.issue(.deletePlan)
    state.prompt = .delete(DeletePrompt(target: target, tag: target.digest == nil ? target.tag : nil, plan: nil, request: id))
    return effects + [.load(id, .deletePlan(target))]
}

func planRead(_ id: RequestID, _ plan: DeletePlan, _ state: inout AppState) -> [Effect] {
    guard case .delete(var prompt) = state.prompt, prompt.request == id else { return [] }
    prompt.plan = plan
    prompt.request = nil
    state.prompt = .delete(prompt)
    return []
}

/// The plan's lines as the confirmation box shows them, ending with what `y` does.
func deleteLines(_ prompt: DeletePrompt) -> [String] {
    guard let plan = prompt.plan else { return ["reading every tag of \(prompt.target.repositoryRef) to see what goes with it…", "", "Esc stops"] }
    var lines = plan.lines(tag: prompt.tag)
    if prompt.request != nil { return lines + ["", "deleting…"] }
    if let tag = prompt.tag, !plan.othersSharing(tag).isEmpty {
        lines += ["", "y deletes only \(tag), through a placeholder manifest of its own (its 2-byte config blob stays); n keeps it"]
    } else {
        lines += ["", "y deletes, n keeps"]
    }
    return lines
}

/// A key while the delete box is up: y carries the plan out, n or Esc keeps everything.
func deleteKey(_ key: Key, _ prompt: DeletePrompt, _ state: inout AppState) -> [Effect] {
    var prompt = prompt
    switch key {
    case .character("y"), .character("Y"):
        guard let plan = prompt.plan, prompt.request == nil else { return [] }
        let (id, effects) = state.requests.issue(.delete)
        prompt.request = id
        state.prompt = .delete(prompt)
        return effects + [.delete(id, plan, tag: prompt.tag)]
    case .character("n"), .character("N"), .escape:
        // A delete under way is not stopped half way: only reading the plan is.
        if prompt.plan != nil, prompt.request != nil { return [] }
        state.prompt = nil
        state.status = Status(text: "nothing was deleted", isError: false)
        return prompt.request.flatMap { state.requests.close($0) != nil ? [.cancel($0)] : nil } ?? []
    default:
        return []
    }
}

func deleted(_ id: RequestID, _ method: DeleteMethod, _ state: inout AppState) -> [Effect] {
    guard case .delete(let prompt) = state.prompt, prompt.request == id, let plan = prompt.plan else { return [] }
    state.prompt = nil
    let name = prompt.target.repositoryRef.description
    let text = switch method {
    case .tag: "deleted the tag \(name):\(prompt.tag ?? "")"
    case .placeholder: "deleted the tag \(name):\(prompt.tag ?? "") through a placeholder; \(plan.digest.short) keeps its other tags"
    case .digest: "deleted \(name)@\(plan.digest.short) and its tags: \(plan.tags.isEmpty ? "none" : plan.tags.joined(separator: ", "))"
    }
    state.status = Status(text: text, isError: false)
    if let mark = state.mark, mark.reference.repositoryRef == prompt.target.repositoryRef { state.mark = nil }
    return refreshRepository(prompt.target, &state)
}

/// `T`: asks which tags to add to the selected manifest.
func promptAddTags(_ state: inout AppState) -> [Effect] {
    guard let (reference, label) = currentItem(state) else { return [] }
    let source = currentDigest(state).map { reference.with(tag: nil, digest: $0) } ?? reference
    state.prompt = .addTags(TagPrompt(source: source, label: label))
    return []
}

/// A key while tags are typed: Enter writes them, Esc cancels.
func addTagsKey(_ key: Key, _ prompt: TagPrompt, _ state: inout AppState) -> [Effect] {
    var prompt = prompt
    guard prompt.request == nil else { return [] }
    switch key {
    case .escape:
        state.prompt = nil
        return []
    case .enter:
        let tags = prompt.text.split(separator: " ").map(String.init)
        guard !tags.isEmpty else {
            prompt.error = "type one or more tags, separated by spaces"
            state.prompt = .addTags(prompt)
            return []
        }
        for tag in tags {
            do { try Reference.validateTag(tag, in: tag) } catch {
                prompt.error = error.description
                state.prompt = .addTags(prompt)
                return []
            }
        }
        let (id, effects) = state.requests.issue(.addTags)
        prompt.request = id
        prompt.error = nil
        state.prompt = .addTags(prompt)
        return effects + [.addTags(id, prompt.source, tags)]
    default:
        guard edit(&prompt.text, key) else { return [] }
        prompt.error = nil
        state.prompt = .addTags(prompt)
        return []
    }
}

func tagsAdded(_ id: RequestID, digest: Digest, moved: [String: Digest], _ state: inout AppState) -> [Effect] {
    guard case .addTags(let prompt) = state.prompt, prompt.request == id else { return [] }
    state.prompt = nil
    let tags = prompt.text.split(separator: " ").map(String.init)
    let movedText = moved.isEmpty ? "" : "; moved " + moved.sorted { $0.key < $1.key }.map { "\($0.key) from \($0.value.short)" }.joined(separator: ", ")
    state.status = Status(text: "tagged \(digest.short) as \(tags.joined(separator: ", "))\(movedText)", isError: false)
    return refreshRepository(prompt.source, &state)
}

/// A plan, delete or tag write failed: a delete's box closes with the reason on the status line;
/// the tag prompt stays, with the reason, to be corrected.
func housekeepingFailed(_ id: RequestID, message: String, cancelled: Bool, _ state: inout AppState) {
    switch state.prompt {
    case .delete(let prompt) where prompt.request == id:
        state.prompt = nil
        if !cancelled { state.status = Status(text: "nothing was deleted: \(message)", isError: true) }
    case .addTags(var prompt) where prompt.request == id:
        prompt.request = nil
        prompt.error = message
        state.prompt = .addTags(prompt)
    default:
        break
    }
}

/// After a delete or a new tag: the repository's tags, and the trees of its tags, load again.
func refreshRepository(_ reference: ImageRef, _ state: inout AppState) -> [Effect] {
    let repository = reference.repositoryRef
    for key in state.trees.keys where key.hasPrefix(repository.description + ":") { state.trees[key] = nil }
    var effects: [Effect] = []
    if state.tagLists[repository.name] != nil { effects += reloadTags(repository, &state) }
    return effects + (state.selectedRepository?.name == repository.name ? selectionChanged(.tags, &state) : [])
}
