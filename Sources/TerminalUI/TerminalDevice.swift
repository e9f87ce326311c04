/// What the UI runtime draws to and reads keys from: the real terminal (through curses) or a
/// headless one in tests. Used from the UI thread only.
public protocol TerminalDevice: AnyObject {
    /// The screen size in cells.
    var size: (width: Int, height: Int) { get }
    /// A descriptor that becomes readable when keys are waiting.
    var inputDescriptor: Int32 { get }
    /// Every key waiting, without blocking.
    func readKeys() -> [Key]
    /// Shows `buffer`, writing only what changed since the last frame.
    func draw(_ buffer: Buffer)
    /// Learns the new size after the window changed, and repaints everything on the next draw.
    func resize() -> (width: Int, height: Int)
    /// Writes a control sequence of regtui's own straight to the terminal (OSC 52 clipboard).
    func send(_ sequence: String)
    /// Gives the terminal back as it was. Safe to call more than once.
    func restore()
}
