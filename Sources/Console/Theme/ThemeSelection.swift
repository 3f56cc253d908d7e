import Foundation

/// Chooses the console's theme (issue 6 item 6, design §5).
public enum ThemeSelection {
    /// The theme to draw with, and a warning for the console to show when the chosen theme could not be used.
    ///
    /// - The first non-empty of `argument` (`--theme`), `environment["BACKOFFICE_THEME"]` and `settings`
    ///   names the theme: a built-in name (`default`, `light`, `high-contrast`, `mono`) or the path of a
    ///   theme file (`~/` expands to `HOME`; write `./mono` for a file that shares a built-in's name).
    ///   With none, `Theme.default`.
    /// - A missing, unreadable or broken file gives `Theme.default` and a warning naming the file, and for
    ///   a broken file the line and key. This never throws.
    /// - `NO_COLOR` set and non-empty, or `terminalColors` below 8, gives `Theme.mono` (a broken file is
    ///   still reported). Otherwise the theme is fitted to `terminalColors` (`Theme.fitted(toColors:)`).
    public static func resolve(
        argument: String?, environment: [String: String], terminalColors: Int, settings: String?
    ) -> (theme: Theme, warning: String?) {
        let sources: [(source: String, value: String?)] = [
            ("--theme", argument), ("BACKOFFICE_THEME", environment["BACKOFFICE_THEME"]), ("the settings", settings),
        ]
        var theme = Theme.default
        var warning: String?
        if let (source, value) = sources.lazy
            .compactMap({ entry in entry.value.map { (entry.source, $0.trimmingCharacters(in: .whitespaces)) } })
            .first(where: { !$0.1.isEmpty }) {
            if !looksLikePath(value), let builtIn = BuiltInTheme(name: value) {
                theme = builtIn.theme
            } else {
                do {
                    theme = try Theme.load(path: expandingHome(value, home: environment["HOME"]))
                } catch {
                    if case .unreadable = error.kind, !looksLikePath(value) {
                        warning = "Theme '\(value)' (from \(source)) is neither a built-in theme ("
                            + BuiltInTheme.allCases.map(\.rawValue).joined(separator: ", ")
                            + ") nor a readable file; using the default theme."
                    } else {
                        warning = "Theme from \(source): \(error); using the default theme."
                    }
                }
            }
        }
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty {
            return (Theme.mono, warning)
        }
        if terminalColors < 8 {
            return (Theme.mono, warning)
        }
        return (theme.fitted(toColors: terminalColors), warning)
    }

    /// A value that can only be a path: it has a `/` or ends in `.theme`.
    static func looksLikePath(_ value: String) -> Bool {
        value.contains("/") || value.hasSuffix(".theme")
    }

    static func expandingHome(_ path: String, home: String?) -> String {
        guard let home, !home.isEmpty else { return path }
        if path == "~" { return home }
        if path.hasPrefix("~/") { return home + path.dropFirst(1) }
        return path
    }
}
