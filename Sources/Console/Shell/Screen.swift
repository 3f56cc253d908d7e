/// A screen of the console in the Elm style (design §5): its state, the messages its database work
/// sends back, a pure `update` and a `view`. Screens live on the shell's navigation stack; the shell
/// draws the frame around them (breadcrumbs, status bar, messages, dialogs, palette, help) and runs the
/// effects they return, so a screen never touches the terminal, the database or another screen.
public protocol Screen: Sendable {
    /// What this screen's background work reports back.
    associatedtype Message: Sendable

    /// The screen's name in the breadcrumbs ("Home", "Stores", "Order 1042").
    var title: String { get }

    /// The screen's own key bindings, for `?` help and the `:` palette. The shell adds the global ones.
    var bindings: [KeyBinding] { get }

    /// Unsaved changes: leaving (Esc) or quitting (q) asks first.
    var isDirty: Bool { get }

    /// Whether `/` opens the filter line for this screen (its text then arrives as `.filter`).
    var isFilterable: Bool { get }

    /// Whether the filter text is a secret (a license key sought by its value): the filter line then
    /// masks it, also when reopened, and the status bar shows it redacted.
    var filterIsSecret: Bool { get }

    /// Reacts to one event. Return `.ignored` for a key the screen does not use, so the shell can
    /// apply the global keys (Esc back, `q` quit, `:` palette, `?` help, `/` filter).
    mutating func update(_ event: ScreenEvent<Message>, context: ScreenContext) -> Effect<Message>

    /// Draws the screen inside `rect` (the frame between the header and the status bar).
    func view(into canvas: inout some Canvas, in rect: Rect, context: ScreenContext)
}

extension Screen {
    public var isDirty: Bool { false }
    public var isFilterable: Bool { false }
    public var filterIsSecret: Bool { false }
}

/// What a screen reacts to.
public enum ScreenEvent<Message: Sendable>: Sendable {
    /// A key the shell passed on (overlays such as the palette take keys first).
    case key(Key)
    /// The answer of an `Effect.run`, or a confirmed dialog's message.
    case message(Message)
    /// The screen became the top of the stack: pushed, or uncovered by a pop.
    case appeared
    /// The `/` filter line's text changed ("" when cleared).
    case filter(String)
    /// Rows of the current store changed (NOTIFY on `backoffice_events`): re-read what is shown.
    case changes([ChangeNotice])
}
