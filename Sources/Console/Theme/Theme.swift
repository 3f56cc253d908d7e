import Foundation

/// A colour theme: a `Style` for every `ThemeRole`. Built-ins come from the files in `themes/`
/// (embedded in `BuiltInThemeFiles.swift`); users copy and edit those files (`themes/README.md`).
public struct Theme: Sendable, Equatable {
    /// Themes are equal when they have the same name and styles (whatever they were fitted to).
    public static func == (lhs: Theme, rhs: Theme) -> Bool {
        lhs.name == rhs.name && lhs.styles == rhs.styles
    }

    /// The display name (`name = …` in the file).
    public var name: String
    /// A style for every role.
    public private(set) var styles: [ThemeRole: Style]
    /// The number of colours this theme was fitted to (`fitted(toColors:)`); `withAccent` fits the accent
    /// to the same.
    var colorLimit: Int = 1 << 24

    /// A theme from styles by role; roles left out are drawn with `base`'s styles (default: `Theme.default`).
    public init(name: String, styles: [ThemeRole: Style], base: Theme? = nil) {
        self.name = name
        self.styles = styles
        let missing = ThemeRole.allCases.filter { styles[$0] == nil }
        if !missing.isEmpty {
            let base = base ?? Theme.default
            for role in missing { self.styles[role] = base.style(role) }
        }
    }

    /// The style screens draw `role` with.
    public func style(_ role: ThemeRole) -> Style {
        styles[role] ?? .plain
    }

    /// Replaces one role's style.
    public mutating func set(_ role: ThemeRole, _ style: Style) {
        styles[role] = style
    }

    /// True when no role uses a colour (only attributes), as in `mono`.
    public var isMonochrome: Bool {
        styles.values.allSatisfy { $0.foreground == .default && $0.background == .default }
    }

    /// The theme in the tenant's branding colour: `accent` and `border-focused` take it as their
    /// foreground; `status-bar-accent` takes it as its background when it has one, else as its foreground.
    /// A monochrome theme stays as it is (`NO_COLOR` and colourless terminals win over branding).
    public func withAccent(_ color: TerminalColor) -> Theme {
        guard !isMonochrome else { return self }
        let color = color.fitted(toColors: colorLimit)
        var theme = self
        theme.styles[.accent]?.foreground = color
        theme.styles[.borderFocused]?.foreground = color
        if theme.style(.statusBarAccent).background != .default {
            theme.styles[.statusBarAccent]?.background = color
        } else {
            theme.styles[.statusBarAccent]?.foreground = color
        }
        return theme
    }

    /// The theme without colours: every role keeps its attributes, and the selections are drawn in
    /// reverse video so they still show.
    public func monochrome() -> Theme {
        var theme = self
        for (role, style) in styles {
            var plain = Style(attributes: style.attributes)
            if role == .selection || role == .selectionInactive { plain.attributes.insert(.reverse) }
            theme.styles[role] = plain
        }
        theme.colorLimit = 0
        return theme
    }

    /// The theme as a terminal with `colors` colours can draw it (`TerminalColor.fitted(toColors:)`);
    /// below 8 colours, `monochrome()`.
    public func fitted(toColors colors: Int) -> Theme {
        if colors < 8 { return monochrome() }
        var theme = self
        for (role, style) in styles {
            theme.styles[role] = Style(
                foreground: style.foreground.fitted(toColors: colors),
                background: style.background.fitted(toColors: colors),
                attributes: style.attributes)
        }
        theme.colorLimit = min(colorLimit, colors)
        return theme
    }

    /// The theme as a file that sets every role; `Theme.parse` reads it back as an equal theme.
    public var fileText: String {
        let width = ThemeRole.allCases.map(\.rawValue.count).max() ?? 0
        var lines = ["name = \(name)", ""]
        for role in ThemeRole.allCases {
            let key = role.rawValue + String(repeating: " ", count: width - role.rawValue.count)
            lines.append("\(key) = \(style(role).themeText)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

// MARK: - Built-in themes

/// The themes that ship with Backoffice, one per file in `themes/`.
public enum BuiltInTheme: String, CaseIterable, Sendable {
    case `default`
    case light
    case highContrast = "high-contrast"
    case mono

    /// The built-in a name means (`default`, `light`, `high-contrast`, `mono`; case-insensitive,
    /// `high_contrast` and `highContrast` too).
    public init?(name: String) {
        let wanted = ThemeRole.normalizedKey(name.trimmingCharacters(in: .whitespaces))
        guard let theme = BuiltInTheme.allCases.first(where: { ThemeRole.normalizedKey($0.rawValue) == wanted }) else {
            return nil
        }
        self = theme
    }

    /// The file's name in `themes/`.
    public var fileName: String { rawValue + ".theme" }

    /// The file's text, as embedded at build time.
    public var text: String {
        switch self {
        case .default: BuiltInThemeFiles.default
        case .light: BuiltInThemeFiles.light
        case .highContrast: BuiltInThemeFiles.highContrast
        case .mono: BuiltInThemeFiles.mono
        }
    }

    /// The parsed theme.
    public var theme: Theme {
        switch self {
        case .default: Theme.default
        case .light: Theme.light
        case .highContrast: Theme.highContrast
        case .mono: Theme.mono
        }
    }

    /// Parses the embedded file. Built-ins set every role (a test checks it), so nothing is inherited.
    func load() -> Theme {
        do {
            let document = try ThemeDocument.parse(text: text, file: "themes/" + fileName)
            return Theme(name: document.name ?? rawValue, styles: document.styles, base: Theme.unstyled)
        } catch {
            fatalError("built-in theme \(fileName) is broken: \(error)")
        }
    }
}

extension Theme {
    /// The default theme, for dark terminals (`themes/default.theme`).
    public static let `default` = BuiltInTheme.default.load()
    /// For light terminals (`themes/light.theme`).
    public static let light = BuiltInTheme.light.load()
    /// Bright on black with bold focus and selection (`themes/high-contrast.theme`).
    public static let highContrast = BuiltInTheme.highContrast.load()
    /// No colours, attributes only (`themes/mono.theme`); used for `NO_COLOR` and colourless terminals.
    public static let mono = BuiltInTheme.mono.load()

    /// Every role plain: the base of the built-ins while they load.
    static let unstyled = Theme(name: "unstyled", styles: Dictionary(uniqueKeysWithValues: ThemeRole.allCases.map { ($0, Style.plain) }))
}
