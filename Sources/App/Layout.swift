import TerminalUI

/// Where each part of the screen goes, for drawing and for mouse clicks.
struct Layout {
    let width: Int
    let height: Int
    let registryRows: Int
    let transferRows: Int

    init(_ state: AppState) {
        width = max(state.width, 40)
        height = max(state.height, 12)
        registryRows = max(1, state.registries.count)
        transferRows = state.transfers.isEmpty ? 0 : min(7, 4 + min(3, state.transfers.last?.progress.active.count ?? 0))
    }

    var body: Rect { Rect(x: 0, y: 1, width: width, height: height - 2 - transferRows) }
    var transfers: Rect { Rect(x: 0, y: body.maxY, width: width, height: transferRows) }
    var statusRow: Int { height - 1 }

    private var columns: (left: Rect, middle: Rect, right: Rect) {
        let (left, rest) = body.splitLeft(max(18, width * 26 / 100))
        let (middle, right) = rest.splitLeft(max(16, width * 27 / 100))
        return (left, middle, right)
    }

    func rect(_ pane: Pane) -> Rect {
        let (left, middle, right) = columns
        switch pane {
        case .registries: return left.splitTop(min(registryRows + 2, max(4, left.height / 3))).0
        case .repositories: return left.splitTop(min(registryRows + 2, max(4, left.height / 3))).1
        case .tags: return middle
        case .tree: return right.splitTop(max(6, right.height * 60 / 100)).0
        }
    }

    /// The box under the tree with the selected item's details.
    var details: Rect { columns.right.splitTop(max(6, columns.right.height * 60 / 100)).1 }

    /// Rows a pane's list shows (inside its frame).
    func listHeight(_ pane: Pane) -> Int { max(1, rect(pane).height - 2) }

    /// The full-screen views' frame, and the rows of text inside it.
    var overlay: Rect { Rect(x: 0, y: 1, width: width, height: height - 2) }
    var overlayBody: Int { max(1, overlay.height - 2) }

    /// Rows of the files view's list (the last row inside its frame tells about the selected entry).
    var filesBody: Int { max(1, overlayBody - 1) }

    /// Rows of the diff's side-by-side part.
    func diffBody(_ view: DiffView) -> Int { max(1, overlayBody - DiffHeader.lines(view, width: overlay.width - 2, rows: overlayBody).count) }
}
