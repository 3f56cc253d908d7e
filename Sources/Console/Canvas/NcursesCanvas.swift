import CCurses

/// The terminal behind `Canvas`. Views draw into a `CellBuffer` frame exactly as in tests; `present()`
/// sends ncurses only the runs that differ from the frame shown last (`CellBuffer.diff(from:)`, which is
/// tested) and ends with one `doupdate()`. Colour pairs are allocated on demand per `Style` and cached;
/// colours are brought down to what the terminal has (`TerminalColor.fitted(toColors:)`), none when it
/// has no colours. Every ncurses call of the console's drawing lives in this file.
///
/// Create it after `initscr()` (with the locale set first, design §6); not thread-safe, like ncurses.
public final class NcursesCanvas: Canvas {
    /// The frame being drawn.
    private var frame: CellBuffer
    /// The frame ncurses holds, as of the last `present()`.
    private var shown: CellBuffer
    /// The number of colours pairs may use: 0 without colour, at most 256 (ncurses pairs take indices).
    private let colors: Int
    /// Whether colour -1 means the terminal's own colour (`use_default_colors`).
    private let hasDefaultColors: Bool
    private var looks: [Style: Look] = [:]
    private var pairs: [PairKey: Int16] = [:]
    private var nextPair: Int32 = 1
    private var cursorVisible: Bool?

    private struct Look {
        var attributes: attr_t
        var pair: Int16
    }

    private struct PairKey: Hashable {
        var foreground: Int16
        var background: Int16
    }

    public init() {
        if has_colors() && start_color() == OK {
            hasDefaultColors = use_default_colors() == OK
            colors = Int(bo_colors()) >= 8 ? min(Int(bo_colors()), 256) : 0
        } else {
            hasDefaultColors = false
            colors = 0
        }
        let size = NcursesCanvas.screenSize()
        frame = CellBuffer(size: size)
        shown = CellBuffer(size: size)
        werase(bo_stdscr())
    }

    // MARK: Canvas: drawing goes into the frame

    public var size: Size { frame.size }

    @discardableResult
    public func put(_ text: String, x: Int, y: Int, style: Style, maxWidth: Int) -> Int {
        frame.put(text, x: x, y: y, style: style, maxWidth: maxWidth)
    }

    public func fill(_ rect: Rect, style: Style) { frame.fill(rect, style: style) }
    public func box(_ rect: Rect, style: Style, title: String?, border: Border) {
        frame.box(rect, style: style, title: title, border: border)
    }
    public func setCursor(x: Int, y: Int) { frame.setCursor(x: x, y: y) }
    public func hideCursor() { frame.hideCursor() }
    public func clear() { frame.clear() }

    // MARK: Terminal

    /// Sends the frame's changes to the terminal: the changed runs, the cursor, one `doupdate()`.
    public func present() {
        let window = bo_stdscr()
        for change in frame.diff(from: shown) { draw(change, in: window) }
        if let cursor = frame.cursor {
            wmove(window, Int32(cursor.y), Int32(cursor.x))
            showCursor(true)
        } else {
            showCursor(false)
        }
        wnoutrefresh(window)
        doupdate()
        shown = frame
    }

    /// After `KEY_RESIZE`: takes the new size, blanks both frames and repaints the whole screen on the next
    /// `present()`. Redraw the view before presenting.
    public func resize() {
        let size = NcursesCanvas.screenSize()
        frame = CellBuffer(size: size)
        shown = CellBuffer(size: size)
        werase(bo_stdscr())
        clearok(bo_stdscr(), true)
    }

    /// Repaints the whole screen on the next `present()` (Ctrl-L, or after something else wrote to it).
    public func invalidate() {
        clearok(bo_stdscr(), true)
    }

    private static func screenSize() -> Size {
        Size(width: Int(bo_getmaxx(bo_stdscr())), height: Int(bo_getmaxy(bo_stdscr())))
    }

    private func showCursor(_ visible: Bool) {
        guard cursorVisible != visible else { return }
        curs_set(visible ? 1 : 0)
        cursorVisible = visible
    }

    /// Writes a run cell by cell at its own column, so a grapheme ncurses measures differently from our
    /// width table cannot shift the rest of the row. Continuation columns are blanked first: where ncurses
    /// agrees the grapheme is wide, writing it covers them again.
    private func draw(_ change: CellBuffer.Change, in window: UnsafeMutablePointer<WINDOW>?) {
        let y = Int32(change.row)
        for (offset, cell) in change.cells.enumerated() where cell.isContinuation {
            var blank = complexCharacter(" ", look(for: cell.style))
            mvwadd_wchnstr(window, y, Int32(change.x + offset), &blank, 1)
        }
        for (offset, cell) in change.cells.enumerated() {
            guard let character = cell.character else { continue }
            var complex = complexCharacter(character, look(for: cell.style))
            mvwadd_wchnstr(window, y, Int32(change.x + offset), &complex, 1)
        }
    }

    /// A `cchar_t` for a grapheme: its base and up to four marks or variation selectors after it, which is
    /// what ncurses can hold. The rest of a longer cluster (a ZWJ emoji sequence, a flag) is left out, so
    /// the terminal shows its first emoji; a grapheme ncurses rejects is drawn as a space.
    private func complexCharacter(_ character: Character, _ look: Look) -> cchar_t {
        var complex = cchar_t()
        var characters: [wchar_t] = []
        for scalar in character.unicodeScalars {
            if !characters.isEmpty {
                let category = scalar.properties.generalCategory
                let isMark = category == .nonspacingMark || category == .enclosingMark || category == .spacingMark
                guard isMark || (0xFE00...0xFE0F).contains(scalar.value), characters.count < Int(CCHARW_MAX) - 1 else { break }
            }
            characters.append(wchar_t(bitPattern: scalar.value))
        }
        if setcchar(&complex, characters + [0], look.attributes, look.pair, nil) != OK {
            setcchar(&complex, [wchar_t(32), 0], look.attributes, look.pair, nil)
        }
        return complex
    }

    private func look(for style: Style) -> Look {
        if let look = looks[style] { return look }
        var attributes = bo_a_normal()
        let names: [(TextAttributes, attr_t)] = [
            (.bold, bo_a_bold()), (.dim, bo_a_dim()), (.italic, bo_a_italic()),
            (.underline, bo_a_underline()), (.reverse, bo_a_reverse()),
        ]
        for (attribute, value) in names where style.attributes.contains(attribute) { attributes |= value }
        let look = Look(attributes: attributes, pair: pair(style.foreground, style.background))
        looks[style] = look
        return look
    }

    /// The colour pair for a foreground and background, allocated on first use; pair 0 (the terminal's
    /// colours) without colour or once the terminal's pairs run out.
    private func pair(_ foreground: TerminalColor, _ background: TerminalColor) -> Int16 {
        guard colors > 0 else { return 0 }
        let key = PairKey(
            foreground: colorNumber(foreground, otherwise: COLOR_WHITE),
            background: colorNumber(background, otherwise: COLOR_BLACK))
        if key.foreground == -1 && key.background == -1 { return 0 }
        if let pair = pairs[key] { return pair }
        guard nextPair < min(bo_color_pairs(), Int32(Int16.max)),
              init_pair(Int16(nextPair), key.foreground, key.background) == OK else { return 0 }
        let pair = Int16(nextPair)
        nextPair += 1
        pairs[key] = pair
        return pair
    }

    /// The ncurses colour number: -1 for the terminal's own colour where it allows that, else `otherwise`.
    private func colorNumber(_ color: TerminalColor, otherwise: Int32) -> Int16 {
        switch color.fitted(toColors: colors) {
        case .ansi(let index), .indexed(let index):
            return Int16(index)
        case .default, .rgb:
            return hasDefaultColors ? -1 : Int16(otherwise)
        }
    }
}
