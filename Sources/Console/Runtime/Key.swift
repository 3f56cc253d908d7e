/// A key press as screens and widgets see it, decoded once from the terminal (ncurses `get_wch`) so
/// that `update` functions are pure and tests can drive them with plain values.
public enum Key: Sendable, Hashable {
    /// A printable character (already combined into a grapheme where the terminal sent several scalars).
    case character(Character)
    /// Ctrl plus a letter, lowercase (`.control("s")` is Ctrl-S).
    case control(Character)
    case enter
    case escape
    case tab
    case backTab
    case backspace
    case delete
    case up, down, left, right
    case home, end
    case pageUp, pageDown
    case insert
    /// F1–F12.
    case function(Int)
    /// A bracketed or fast paste: the whole text at once.
    case paste(String)
}
