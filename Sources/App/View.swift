import OCI
import TerminalUI

/// Draws the whole screen for `state`. Pure: the same state gives the same cells. Only the rows
/// on screen are drawn, so a frame costs what the screen holds, not what the lists hold.
public func view(_ state: AppState) -> Buffer {
    var buffer = Buffer(width: max(state.width, 40), height: max(state.height, 12))
    let layout = Layout(state)
    let palette = Palette(color: state.color)
    drawHeader(state, &buffer, palette)
    for pane in Pane.allCases { drawPane(pane, state, layout, &buffer, palette) }
    drawDetails(state, layout, &buffer, palette)
    if !state.transfers.isEmpty { drawTransfers(state, layout, &buffer, palette) }
    drawStatus(state, layout, &buffer, palette)
    switch state.overlay {
    case .help(let offset): drawHelp(state, offset: offset, &buffer, palette)
    case .text(let text): drawText(text, state, layout, &buffer, palette)
    case .diff(let diff): drawDiff(diff, state, layout, &buffer, palette)
    case .files(let files): drawFiles(files, state, layout, &buffer, palette)
    case nil: break
    }
    if case .delete(let prompt) = state.prompt { drawDeleteBox(prompt, state, &buffer, palette) }
    return buffer
}

/// Colours, or none when NO_COLOR is set.
struct Palette {
    let color: Bool
    func fg(_ c: Color, bold: Bool = false) -> Style { Style(foreground: color ? c : .default, bold: bold) }
    var header: Style { Style(foreground: color ? .black : .default, background: color ? .cyan : .default, bold: true, reverse: !color) }
    var error: Style { Style(foreground: color ? .red : .default, bold: true) }
    var added: Style { fg(.green) }
    var removed: Style { fg(.red) }
    var changed: Style { Style(foreground: color ? .yellow : .default, underline: !color) }
    var match: Style { Style(foreground: color ? .black : .default, background: color ? .yellow : .default, reverse: !color) }
}

func shortDigest(_ digest: Digest, _ state: AppState) -> String {
    state.fullDigests ? digest.description : "\(digest.algorithm.rawValue):\(digest.short)"
}

private func drawHeader(_ state: AppState, _ buffer: inout Buffer, _ palette: Palette) {
    buffer.fill(Rect(x: 0, y: 0, width: buffer.width, height: 1), style: palette.header)
    var crumbs = [state.selectedRegistry ?? "no registry"]
    if let repository = state.selectedRepository, state.focus.rawValue >= Pane.repositories.rawValue { crumbs.append(repository.repository) }
    var text = " regtui  " + crumbs.joined(separator: " / ")
    if let tag = state.selectedTag, state.focus.rawValue >= Pane.tags.rawValue {
        text += " : \(tag.tag ?? "")"
        if let digest = state.treeView?.tree.manifest.digest { text += " @ \(digest)" }
    }
    let help = "\(keyName(.help, state)) help "
    buffer.put(text, x: 0, y: 0, style: palette.header, maxWidth: buffer.width - help.count - 2)
    buffer.put(help, x: buffer.width - help.count, y: 0, style: palette.header)
}

private func drawStatus(_ state: AppState, _ layout: Layout, _ buffer: inout Buffer, _ palette: Palette) {
    let y = layout.statusRow
    let width = buffer.width
    switch state.prompt {
    case .copy(let prompt):
        if let (current, source) = prompt.confirmMove, let destination = prompt.destination {
            buffer.put("\(destination) points to \(current.short), not \(source.short). Move the tag? (y/n)",
                       x: 0, y: y, style: palette.fg(.yellow, bold: true), maxWidth: width)
        } else if prompt.checking != nil, let destination = prompt.destination {
            buffer.put("checking \(destination)… (Esc stops)", x: 0, y: y, style: .dim, maxWidth: width)
        } else {
            let end = buffer.put("copy \(prompt.source) to: ", x: 0, y: y, style: .bold, maxWidth: width / 2)
            let after = buffer.put(prompt.text, x: end, y: y, maxWidth: width - end - 1)
            buffer.put("▏", x: after, y: y, style: .bold)
            if let error = prompt.error { buffer.put("  " + error, x: after + 1, y: y, style: palette.error, maxWidth: width - after - 1) }
        }
        return
    case .openRepository(let registry, let text, _, let checking):
        let end = buffer.put("open repository on \(registry): ", x: 0, y: y, style: .bold, maxWidth: width / 2)
        let after = buffer.put(text, x: end, y: y, maxWidth: width - end - 1)
        buffer.put(checking == nil ? "▏  Tab completes, Enter opens, Esc cancels" : "  checking…", x: after, y: y, style: .dim,
                   maxWidth: width - after)
        return
    case .confirmQuit:
        buffer.put("A copy is running. Quit and cancel it (no tag is written)? (y/n)", x: 0, y: y, style: palette.fg(.yellow, bold: true),
                   maxWidth: width)
        return
    case .delete(let prompt):
        let text = prompt.plan == nil ? "reading the plan… (Esc stops)" : prompt.request != nil ? "deleting…" : "Delete what the box shows? (y/n)"
        buffer.put(text, x: 0, y: y, style: palette.fg(.yellow, bold: true), maxWidth: width)
        return
    case .addTags(let prompt):
        let end = buffer.put("add tags to \(prompt.label): ", x: 0, y: y, style: .bold, maxWidth: width / 2)
        let after = buffer.put(prompt.text, x: end, y: y, maxWidth: width - end - 1)
        let note = prompt.request != nil ? "  writing…" : prompt.error.map { "  " + $0 } ?? "▏  spaces separate tags, Enter writes, Esc cancels"
        buffer.put(note, x: after, y: y, style: prompt.error != nil ? palette.error : .dim, maxWidth: width - after)
        return
    case nil:
        break
    }
    if let editing = state.editing {
        let text: String
        switch editing {
        case .filter(let pane): text = "/" + state.filter(pane)
        case .search:
            text = switch state.overlay {
            case .text(let view): "/" + view.search
            case .files(let view): "/" + view.filter
            default: "/"
            }
        }
        let end = buffer.put(text, x: 0, y: y, style: .bold, maxWidth: width - 30)
        buffer.put("▏  Enter keeps, Esc clears", x: end, y: y, style: .dim)
        return
    }
    if state.quit {
        buffer.put("quitting: cancelling the running copy and closing its uploads…", x: 0, y: y, style: .bold, maxWidth: width)
    } else if let status = state.status {
        buffer.put(status.text, x: 0, y: y, style: status.isError ? palette.error : .plain, maxWidth: width)
    } else {
        buffer.put(statusKeys(state).map { "\($0.0) \($0.1)" }.joined(separator: "  "), x: 0, y: y, style: .dim, maxWidth: width)
    }
    // The selected registry's pull quota, at the right end, over the key hints if it must.
    if let registry = state.selectedRegistry, let quota = state.rateLimits[registry], state.prompt == nil, state.editing == nil {
        let text = " pulls left: \(quota.remaining)/\(quota.limit) "
        let low = quota.remaining * 10 < quota.limit
        buffer.put(text, x: max(0, width - text.count), y: y, style: low ? palette.error : palette.fg(.cyan), maxWidth: width)
    }
}

/// The plan of a delete, over everything, with what `y` does.
private func drawDeleteBox(_ prompt: DeletePrompt, _ state: AppState, _ buffer: inout Buffer, _ palette: Palette) {
    let width = min(buffer.width - 4, 100)
    let lines = deleteLines(prompt).flatMap { wrap($0, width: width - 2) }.map { StyledLine($0) }
    let inside = buffer.centeredBox(width: width, height: min(buffer.height - 2, lines.count + 2), title: "Delete \(prompt.tag.map { "the tag \($0)" } ?? "a manifest")",
                                    color: state.color)
    buffer.text(lines, in: inside)
}

/// The keys the status line offers where the person is: the view on top's, else the panes'.
private func statusKeys(_ state: AppState) -> [(String, String)] {
    // Esc closes a view, whatever else `back` is bound to.
    let close = state.keymap.action(for: .escape, in: ["global"]) == Command.back.rawValue ? "Esc" : keyName(.back, state)
    let keys: [(Command, String)]
    switch state.overlay {
    case .text: keys = [(.filter, "search"), (.nextChange, "next"), (.previousChange, "previous"), (.scrollRight, "sideways")]
    case .diff(let view):
        keys = view.showingFiles ? [(.files, "the JSON")]
            : [(.nextChange, "next change"), (.previousChange, "previous"), (.files, "which files differ"), (.scrollRight, "sideways"),
               (.yankDigest, "yank B's digest")]
    case .files: keys = [(.open, "open"), (.filter, "filter"), (.yankDigest, "yank the path")]
    case .help, nil:
        let panes: [(Command, String)] = [(.help, "help"), (.quit, "quit"), (.filter, "filter"), (.mark, "mark"), (.diff, "diff"),
                                          (.copy, "copy"), (.yankDigest, "yank"), (.sortTags, "sort"), (.addTag, "tag"), (.delete, "delete")]
        return panes.map { (keyName($0.0, state), $0.1) }
    }
    return keys.map { (keyName($0.0, state), $0.1) } + [(close, "close")]
}

/// Splits text into lines of at most `width` characters, at spaces where it can.
func wrap(_ text: String, width: Int) -> [String] {
    guard width > 0 else { return [] }
    var lines: [String] = []
    for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
        var line = ""
        for word in paragraph.split(separator: " ") {
            if !line.isEmpty && line.count + 1 + word.count > width { lines.append(line); line = "" }
            line += (line.isEmpty ? "" : " ") + word
            while line.count > width { lines.append(String(line.prefix(width))); line = String(line.dropFirst(width)) }
        }
        lines.append(line)
    }
    return lines
}
