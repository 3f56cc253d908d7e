/// One thing a screen lets the user do from the keyboard. Screens list their bindings once; the `?` help
/// overlay and the `:` command palette are generated from these lists, so neither can drift from what
/// the keys really do (the palette runs an action by sending its first key to the screen).
public struct KeyBinding: Sendable, Equatable {
    /// The keys that trigger the action; the first one is shown and is what the palette sends.
    public var keys: [Key]
    /// What the action does, as the help and the palette show it ("Save", "Open the selected store").
    public var name: String
    /// Whether the palette offers it (movement keys are only listed in the help).
    public var inPalette: Bool

    public init(_ keys: [Key], _ name: String, inPalette: Bool = true) {
        self.keys = keys
        self.name = name
        self.inPalette = inPalette
    }

    public init(_ key: Key, _ name: String, inPalette: Bool = true) {
        self.init([key], name, inPalette: inPalette)
    }

    /// The keys as the help shows them: "↑/k", "Ctrl-S".
    public var keyLabel: String {
        keys.map(\.label).joined(separator: "/")
    }
}

extension Key {
    /// How help, hints and the palette name a key.
    public var label: String {
        switch self {
        case .character(" "): "Space"
        case .character(let c): String(c)
        case .control(let c): "Ctrl-" + String(c).uppercased()
        case .enter: "Enter"
        case .escape: "Esc"
        case .tab: "Tab"
        case .backTab: "Shift-Tab"
        case .backspace: "Backspace"
        case .delete: "Del"
        case .up: "↑"
        case .down: "↓"
        case .left: "←"
        case .right: "→"
        case .home: "Home"
        case .end: "End"
        case .pageUp: "PgUp"
        case .pageDown: "PgDn"
        case .insert: "Ins"
        case .function(let n): "F\(n)"
        case .paste: "paste"
        }
    }
}
