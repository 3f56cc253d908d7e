/// The line a box is drawn with: light for ordinary panels, heavy or double for the one that has focus,
/// so focus still shows without colour (mono themes, `NO_COLOR`).
public enum Border: Sendable, Hashable, CaseIterable {
    /// ─│┌┐└┘
    case light
    /// ━┃┏┓┗┛
    case heavy
    /// ═║╔╗╚╝
    case double

    public var horizontal: Character {
        switch self {
        case .light: "─"
        case .heavy: "━"
        case .double: "═"
        }
    }

    public var vertical: Character {
        switch self {
        case .light: "│"
        case .heavy: "┃"
        case .double: "║"
        }
    }

    public var topLeft: Character {
        switch self {
        case .light: "┌"
        case .heavy: "┏"
        case .double: "╔"
        }
    }

    public var topRight: Character {
        switch self {
        case .light: "┐"
        case .heavy: "┓"
        case .double: "╗"
        }
    }

    public var bottomLeft: Character {
        switch self {
        case .light: "└"
        case .heavy: "┗"
        case .double: "╚"
        }
    }

    public var bottomRight: Character {
        switch self {
        case .light: "┘"
        case .heavy: "┛"
        case .double: "╝"
        }
    }
}
