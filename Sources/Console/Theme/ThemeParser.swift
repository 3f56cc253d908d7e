import Foundation

/// What is wrong with a theme file, and where: the file, the line (from 1) and the key of that line.
public struct ThemeError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The key is neither `name`, `inherit` nor a role.
        case unknownRole
        /// The value names no colour; carries the text.
        case unknownColor(String)
        /// An attribute that does not exist; carries the text.
        case unknownAttribute(String)
        /// The key was already set, on the line carried.
        case duplicateKey(firstLine: Int)
        /// A line that is neither blank, a comment nor `key = value`.
        case missingEquals
        /// `key =` with nothing after it.
        case missingValue
        /// `inherit` names no built-in theme; carries the text.
        case unknownTheme(String)
        /// The file could not be read (line 0, no key); carries the reason.
        case unreadable(String)
    }

    /// The file as given (a path, or `themes/<name>.theme` for built-ins).
    public var file: String
    /// The line, counting from 1; 0 when the file could not be read.
    public var line: Int
    /// The key of the line (its first word when there is no `=`); empty when the file could not be read.
    public var key: String
    public var kind: Kind

    public init(file: String, line: Int, key: String, kind: Kind) {
        self.file = file
        self.line = line
        self.key = key
        self.kind = kind
    }

    /// What is wrong, without the location.
    public var message: String {
        switch kind {
        case .unknownRole:
            "unknown key; valid keys are name, inherit and the roles: "
                + ThemeRole.allCases.map(\.rawValue).joined(separator: ", ")
        case .unknownColor(let text):
            "unknown colour '\(text)'; use default, an ANSI name (black, red, green, yellow, blue, magenta, cyan, "
                + "white or their bright- forms such as bright-white), color(0-255) or #rrggbb"
        case .unknownAttribute(let text):
            TerminalColor(themeText: text) != nil
                ? "unknown attribute '\(text)' (colours come first: 'black on cyan, bold'); "
                    + "attributes are bold, dim, italic, underline and reverse"
                : "unknown attribute '\(text)'; attributes are bold, dim, italic, underline and reverse"
        case .duplicateKey(let firstLine):
            "duplicate key; it is already set on line \(firstLine)"
        case .missingEquals:
            "missing '=': write 'role = colour on colour, attribute' (e.g. 'selection = black on cyan, bold')"
        case .missingValue:
            "missing value after '='"
        case .unknownTheme(let text):
            "unknown theme '\(text)' to inherit; built-in themes are "
                + BuiltInTheme.allCases.map(\.rawValue).joined(separator: ", ")
        case .unreadable(let reason):
            "cannot read the theme file: \(reason)"
        }
    }

    /// `file:line: key 'k': message`, or `file: message` when the file could not be read.
    public var description: String {
        line == 0 ? "\(file): \(message)" : "\(file):\(line): key '\(key)': \(message)"
    }
}

/// A theme file's lines, validated: the optional `name` and `inherit`, and the roles it sets.
struct ThemeDocument: Sendable, Equatable {
    var name: String?
    var inherit: BuiltInTheme?
    var styles: [ThemeRole: Style] = [:]

    static func parse(text: String, file: String) throws(ThemeError) -> ThemeDocument {
        var document = ThemeDocument()
        var seen: [String: Int] = [:] // normalised key → first line
        var body = Substring(text)
        if body.first == "\u{FEFF}" { body = body.dropFirst() }
        let lines = body.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        for (offset, rawLine) in lines.enumerated() {
            let number = offset + 1
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let equals = line.firstIndex(of: "=") else {
                let key = String(line.prefix { !$0.isWhitespace })
                throw ThemeError(file: file, line: number, key: key, kind: .missingEquals)
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            func fail(_ kind: ThemeError.Kind) -> ThemeError {
                ThemeError(file: file, line: number, key: key, kind: kind)
            }
            if key.isEmpty { throw fail(.missingEquals) }
            let normalized = ThemeRole.normalizedKey(key)
            if let firstLine = seen[normalized] { throw fail(.duplicateKey(firstLine: firstLine)) }
            if normalized != "name", normalized != "inherit", ThemeRole(key: key) == nil { throw fail(.unknownRole) }
            seen[normalized] = number
            if value.isEmpty { throw fail(.missingValue) }
            switch normalized {
            case "name":
                document.name = value
            case "inherit":
                guard let base = BuiltInTheme(name: value) else { throw fail(.unknownTheme(value)) }
                document.inherit = base
            default:
                guard let role = ThemeRole(key: key) else { throw fail(.unknownRole) }
                document.styles[role] = try parseStyle(value, fail: fail)
            }
        }
        return document
    }

    /// `fg`, `fg on bg` or `on bg`, then attributes after commas; or attributes alone.
    static func parseStyle(_ value: String, fail: (ThemeError.Kind) -> ThemeError) throws(ThemeError) -> Style {
        var parts = value.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        var style = Style()
        if let first = parts.first, TextAttributes(themeName: first) == nil {
            parts.removeFirst()
            let words = first.split(whereSeparator: \.isWhitespace).map(String.init)
            if let on = words.firstIndex(where: { $0.lowercased() == "on" }) {
                let foreground = words[..<on].joined(separator: " ")
                let background = words[(on + 1)...].joined(separator: " ")
                if !foreground.isEmpty { style.foreground = try color(foreground, fail) }
                style.background = try color(background, fail)
            } else {
                style.foreground = try color(first, fail)
            }
        }
        for part in parts {
            guard let attribute = TextAttributes(themeName: part) else { throw fail(.unknownAttribute(part)) }
            style.attributes.insert(attribute)
        }
        return style
    }

    private static func color(_ text: String, _ fail: (ThemeError.Kind) -> ThemeError) throws(ThemeError) -> TerminalColor {
        guard let color = TerminalColor(themeText: text) else { throw fail(.unknownColor(text)) }
        return color
    }
}

extension Theme {
    /// Reads a theme file's text. Roles it does not set come from the built-in named by `inherit`
    /// (default: `Theme.default`). The name defaults to the file's name without `.theme`.
    /// Throws a `ThemeError` naming `file`, the line and the key of the first mistake.
    public static func parse(text: String, file: String) throws(ThemeError) -> Theme {
        let document = try ThemeDocument.parse(text: text, file: file)
        var fallbackName = (file as NSString).lastPathComponent
        if fallbackName.hasSuffix(".theme") { fallbackName.removeLast(".theme".count) }
        return Theme(
            name: document.name ?? (fallbackName.isEmpty ? "Custom" : fallbackName),
            styles: document.styles,
            base: (document.inherit ?? .default).theme)
    }

    /// Reads and parses the theme file at `path`.
    public static func load(path: String) throws(ThemeError) -> Theme {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "\(error.localizedDescription)" : "no such file"
            throw ThemeError(file: path, line: 0, key: "", kind: .unreadable(reason))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ThemeError(file: path, line: 0, key: "", kind: .unreadable("not UTF-8 text"))
        }
        return try parse(text: text, file: path)
    }
}
