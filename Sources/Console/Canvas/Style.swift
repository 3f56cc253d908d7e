/// How a cell looks: colours and attributes. Screens and widgets never name colours directly; they ask
/// the theme for a role (`ThemeRole`) and draw with the `Style` it gives, so themes and `NO_COLOR` work
/// everywhere.
public struct Style: Sendable, Equatable, Hashable {
    public var foreground: TerminalColor
    public var background: TerminalColor
    public var attributes: TextAttributes

    public init(foreground: TerminalColor = .default, background: TerminalColor = .default, attributes: TextAttributes = []) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }

    /// The terminal's own colours, no attributes.
    public static let plain = Style()
}

/// A terminal colour: the terminal's default, one of the 16 ANSI colours, one of 256 indexed colours,
/// or 24-bit RGB (drawn as the nearest indexed colour where the terminal has no more).
public enum TerminalColor: Sendable, Equatable, Hashable {
    case `default`
    /// 0–15: black, red, green, yellow, blue, magenta, cyan, white, then their bright forms.
    case ansi(UInt8)
    /// 0–255.
    case indexed(UInt8)
    case rgb(UInt8, UInt8, UInt8)
}

/// Text attributes a cell may carry.
public struct TextAttributes: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let bold = TextAttributes(rawValue: 1 << 0)
    public static let dim = TextAttributes(rawValue: 1 << 1)
    public static let italic = TextAttributes(rawValue: 1 << 2)
    public static let underline = TextAttributes(rawValue: 1 << 3)
    public static let reverse = TextAttributes(rawValue: 1 << 4)
}
