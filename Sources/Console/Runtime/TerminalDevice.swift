import CCurses

/// What the event loop needs from a terminal: where input arrives, reading what arrived without blocking,
/// its size and showing a frame. `NcursesTerminal` is the real one; tests use a fake over a pipe.
public protocol TerminalDevice: AnyObject {
    /// The descriptor `poll` watches for key presses.
    var inputFD: Int32 { get }
    /// Everything readable now, without blocking (ncurses `get_wch` in nodelay mode).
    func readInput() -> [KeyDecoder.RawInput]
    /// Takes the terminal's new size after a resize and returns it.
    func resize() -> Size
    var size: Size { get }
    /// Shows `frame`, sending only what changed (one `doupdate()` on ncurses).
    func present(_ frame: CellBuffer)
}

/// The terminal through ncurses: reads with `get_wch`, draws through `NcursesCanvas`. Create it after the
/// `TerminalSession`.
public final class NcursesTerminal: TerminalDevice {
    private let canvas: NcursesCanvas

    public init() {
        canvas = NcursesCanvas()
    }

    public var inputFD: Int32 { 0 }

    public var size: Size { canvas.size }

    public func readInput() -> [KeyDecoder.RawInput] {
        var inputs: [KeyDecoder.RawInput] = []
        // A bound, so a flood of input (a paste) still lets the loop redraw now and then.
        while inputs.count < 4096 {
            var code: wint_t = 0
            let status = get_wch(&code)
            if status == ERR { break }
            inputs.append(KeyDecoder.RawInput(status: status, code: UInt32(code)))
        }
        return inputs
    }

    public func resize() -> Size {
        canvas.resize()
        return canvas.size
    }

    public func present(_ frame: CellBuffer) {
        canvas.clear()
        frame.replay(into: canvas)
        canvas.present()
    }
}

extension CellBuffer {
    /// Draws this frame's cells onto another canvas (same size expected), cursor included.
    func replay(into canvas: some Canvas) {
        var target = canvas
        for y in 0..<min(size.height, target.size.height) {
            for x in 0..<min(size.width, target.size.width) {
                let cell = self[x, y]
                guard let character = cell.character else { continue }
                target.put(String(character), x: x, y: y, style: cell.style, maxWidth: DisplayWidth.of(character))
            }
        }
        if let cursor { target.setCursor(x: cursor.x, y: cursor.y) } else { target.hideCursor() }
    }
}
