import OCI
import TerminalUI
import TransferModel

// Copies: the prompt, the check of the destination, the transfer, and what follows.

/// `c`: asks where to copy the selected tag or manifest, proposing the same path on the next registry.
func promptCopy(_ state: inout AppState) -> [Effect] {
    guard let (reference, _) = currentItem(state) else { return [] }
    state.prompt = .copy(CopyPrompt(source: reference, text: defaultDestination(for: reference, state)))
    return []
}

/// The same repository path and tag on the next registry in the list.
func defaultDestination(for source: ImageRef, _ state: AppState) -> String {
    let registries = state.registries.items
    let index = registries.firstIndex(of: source.storeName) ?? -1
    let target = registries.isEmpty ? source.storeName : registries[(index + 1) % registries.count]
    let suffix = source.tag.map { ":\($0)" } ?? source.digest.map { "@\($0)" } ?? ""
    guard !target.hasPrefix("oci:") && !target.hasPrefix("oci-archive:") && !target.hasPrefix("docker-archive:") else { return target + suffix }
    let repository = source.kind == .registry ? source.repository : "copied"
    return "\(target)/\(repository)\(suffix)"
}

func copyPromptKey(_ key: Key, _ prompt: CopyPrompt, _ state: inout AppState) -> [Effect] {
    var prompt = prompt
    if let checking = prompt.checking {
        // Esc while the destination is checked: nothing starts.
        guard key == .escape else { return [] }
        state.prompt = nil
        _ = state.requests.close(checking)
        return [.cancel(checking)]
    }
    if let (current, approved) = prompt.confirmMove, let destination = prompt.destination {
        switch key {
        case .character("y"), .character("Y"):
            state.prompt = nil
            return startCopy(prompt.source, approved: approved, to: destination, &state)
        case .character("n"), .character("N"), .escape:
            state.prompt = nil
            state.status = Status(text: "not copied: \(destination) still points to \(current.short)", isError: false)
        default:
            break
        }
        return []
    }
    switch key {
    case .escape:
        state.prompt = nil
        return []
    case .enter:
        let destination: ImageRef
        do { destination = try ImageRef.copyDestination(prompt.text.trimmingCharacters(in: .whitespaces), for: prompt.source) } catch {
            prompt.error = error.description
            state.prompt = .copy(prompt)
            return []
        }
        let (id, effects) = state.requests.issue(.destination)
        prompt.destination = destination
        prompt.checking = id
        prompt.error = nil
        state.prompt = .copy(prompt)
        return effects + [.load(id, .destination(source: prompt.source, destination: destination))]
    case .tab:
        complete(&prompt.text, &prompt.completion, from: copyCompletions(state), &state)
    default:
        guard edit(&prompt.text, key) else { return [] }
        prompt.completion = Completion()
        prompt.error = nil
    }
    state.prompt = .copy(prompt)
    return []
}

/// What a copy destination may be: known registries and their repositories.
private func copyCompletions(_ state: AppState) -> [String] {
    var candidates = state.registries.items.map { $0 + "/" }
    for (registry, catalog) in state.catalogs {
        candidates += (catalog.value?.list.items ?? []).map { "\(registry)/\($0)" }
    }
    return candidates
}

/// The destination check answered: start at once when the tag is absent or already has the
/// digest, else ask before moving it. The digest checked here is the one copied.
func destinationChecked(_ id: RequestID, source: Digest, current: Digest?, _ state: inout AppState) -> [Effect] {
    guard case .copy(var prompt) = state.prompt, prompt.checking == id, let destination = prompt.destination else { return [] }
    prompt.checking = nil
    if current == nil || current == source {
        state.prompt = nil
        return startCopy(prompt.source, approved: source, to: destination, &state)
    }
    prompt.confirmMove = (current!, source)
    state.prompt = .copy(prompt)
    return []
}

private func startCopy(_ source: ImageRef, approved: Digest, to destination: ImageRef, _ state: inout AppState) -> [Effect] {
    let (id, _) = state.requests.issue(.transfer)
    state.transfers.append(TransferState(id: id, source: source, destination: destination))
    state.status = Status(text: "copying \(source) to \(destination)… (\(keyName(.cancelTransfer, state)) cancels)", isError: false)
    return [.copy(id, source: source.with(tag: source.tag, digest: approved), destination: destination)]
}

/// A copy ended well: say what it did, and refresh what the destination's panes show.
func transferFinished(_ id: RequestID, _ result: CopyResult, _ state: inout AppState) -> [Effect] {
    guard let index = state.transfers.firstIndex(where: { $0.id == id }) else { return [] }
    let transfer = state.transfers[index]
    let kept = result.digestPreserved ? "digest preserved: \(result.digest)" : "the digest differs from the source's: \(result.digest)"
    let what = result.alreadyPresent ? "already there, only the tag was written; " : ""
    state.transfers[index].outcome = .succeeded(what + kept)
    state.status = Status(text: "copied to \(result.destination): \(what)\(kept)", isError: false)
    return refreshDestination(transfer.destination, &state)
}

/// After a copy: the destination's catalog, tag list and trees are loaded again where they are shown.
private func refreshDestination(_ destination: ImageRef, _ state: inout AppState) -> [Effect] {
    let catalog = state.catalogs[destination.storeName] != nil ? loadCatalog(destination.storeName, next: nil, &state) : []
    return catalog + refreshRepository(destination, &state)
}

func transferFailed(_ id: RequestID, message: String, cancelled: Bool, _ state: inout AppState) -> [Effect] {
    guard let index = state.transfers.firstIndex(where: { $0.id == id }) else { return [] }
    state.transfers[index].outcome = cancelled ? .cancelled : .failed(message)
    state.status = Status(text: cancelled ? "copy cancelled: no tag was written" : "copy failed: \(message)", isError: true)
    return []
}

func cancelRunningTransfer(_ state: inout AppState) -> [Effect] {
    guard let running = state.transfers.last(where: { $0.outcome == .running }) else { return [] }
    return [.cancel(running.id)]
}

/// A key while the copy pane has the focus: Esc or x cancels a running copy, Esc closes the pane
/// when nothing runs; any other key gives the focus back.
func transferPaneKey(_ key: Key, _ state: inout AppState) -> [Effect] {
    state.transferFocused = false
    let command = state.keymap.action(for: key, in: ["global"]).flatMap(Command.init(rawValue:))
    if state.copying, key == .escape || command == .cancelTransfer { return cancelRunningTransfer(&state) }
    if key == .escape {
        state.transfers.removeAll { $0.outcome != .running }
        return []
    }
    if command == .focusTransfers { return [] }
    return handleAgain(key, &state)
}

/// Handles `key` as if the copy pane did not have the focus.
private func handleAgain(_ key: Key, _ state: inout AppState) -> [Effect] { update(&state, .key(key)) }
