/// Everything a screen or widget draws with. Screens never name colours: they ask the theme for the
/// `Style` of a role. The raw value is the key used in theme files (`themes/README.md`); files may
/// also spell it in camel or snake case (`borderFocused`, `border_focused`).
public enum ThemeRole: String, CaseIterable, Sendable {
    /// Body text on the screen's background.
    case normal
    /// Secondary text: hints, timestamps, ids, counts.
    case muted
    /// Emphasised text; the tenant's brand colour replaces it (`Theme.withAccent`).
    case accent
    /// The top bar: application, tenant and signed-in user.
    case header
    /// Borders of panels and boxes that do not have the focus.
    case border
    /// The border of the panel that has the focus.
    case borderFocused = "border-focused"
    /// Titles of screens and panels.
    case title
    /// The highlighted row of the focused list or table.
    case selection
    /// The highlighted row of a list or table that does not have the focus.
    case selectionInactive = "selection-inactive"
    /// The bottom status bar.
    case statusBar = "status-bar"
    /// The mode and key hints inside the status bar.
    case statusBarAccent = "status-bar-accent"
    /// An editable field.
    case input
    /// The field being edited.
    case inputFocused = "input-focused"
    /// Hint text shown in an empty field.
    case placeholder
    /// Actions and fields the signed-in role may not use.
    case disabled
    /// Error messages and invalid fields.
    case error
    /// Warnings (such as a broken theme file).
    case warning
    /// Confirmations: saved, delivered, paid.
    case success
    /// Neutral information and progress.
    case info
    /// The body of a modal dialog or the command palette.
    case dialog
    /// The border of a modal dialog or the command palette.
    case dialogBorder = "dialog-border"
    /// Column headings of tables.
    case tableHeader = "table-header"
    /// Every other row of a table, for reading across wide rows.
    case tableRowAlternate = "table-row-alternate"
    /// A row or field with unsaved changes.
    case changedRow = "changed-row"
    /// The marker of a required field.
    case required
    /// Text of the help overlay (`?`).
    case help
    /// Key names in help and hints (`Ctrl-S`, `Esc`).
    case key
    /// The part of a text that matches the current filter (`/`).
    case match
    /// A reference to another record that `Enter` opens.
    case link
    /// Scroll bars.
    case scrollbar
    /// A prominent banner, such as the environment or an impersonated tenant.
    case banner

    /// The role a theme-file key names: the raw value, or the case name in camel or snake case;
    /// case-insensitive.
    public init?(key: String) {
        let wanted = ThemeRole.normalizedKey(key)
        guard let role = ThemeRole.allCases.first(where: { ThemeRole.normalizedKey($0.rawValue) == wanted }) else {
            return nil
        }
        self = role
    }

    static func normalizedKey(_ key: String) -> String {
        String(key.lowercased().filter { $0 != "-" && $0 != "_" })
    }
}
