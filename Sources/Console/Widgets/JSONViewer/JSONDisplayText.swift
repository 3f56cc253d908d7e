import Postgres

/// How `JSONViewer` spells a node: keys, quoted strings, numbers, the summaries of containers, and
/// cutting a row to its width.
///
/// It exists so every piece of JSON text that reaches the canvas goes through one place that sanitizes
/// it (`TerminalText.sanitized`: no control or escape characters from the data reach the terminal,
/// design §5) and measures it by display width. Line feeds inside strings are shown as `\n`, as JSON
/// writes them; quotes and backslashes inside strings are escaped so a string's end is unambiguous.
/// Huge strings are never sanitized whole: only a prefix a row could show is looked at.
enum JSONDisplayText {
    /// A text for one row and whether it was cut before it was measured (it then must end in "…").
    struct Fragment: Sendable, Equatable {
        var text: String
        var isCut: Bool
    }

    /// The most Unicode scalars of one string looked at for a row `columns` wide. Every grapheme shown
    /// takes at least one column and few take more than a handful of scalars, so this is plenty; what is
    /// left out shows as "…".
    static func scalarBudget(forColumns columns: Int) -> Int {
        max(64, columns * 8)
    }

    /// A string value as drawn: sanitized, escaped and in double quotes, looked at only as far as
    /// `columns` columns could show.
    static func string(_ raw: String, columns: Int) -> Fragment {
        let (prefix, isCut) = bounded(raw, columns: columns)
        let clean = TerminalText.sanitized(prefix, keepingNewlines: true)
        if isCut { return Fragment(text: "\"" + escaped(clean), isCut: true) }
        return Fragment(text: quoted(clean), isCut: false)
    }

    /// An object key as drawn: sanitized, bare when it is a plain identifier (`email`, `unit_price`,
    /// `x-id`), else quoted like a string (`"two words"`, `""`).
    static func key(_ raw: String, columns: Int) -> Fragment {
        let (prefix, isCut) = bounded(raw, columns: columns)
        let clean = TerminalText.sanitized(prefix, keepingNewlines: true)
        if isCut {
            return Fragment(text: isPlainKey(clean) ? clean : "\"" + escaped(clean), isCut: true)
        }
        return Fragment(text: isPlainKey(clean) ? clean : quoted(clean), isCut: false)
    }

    /// A number as JSON writes it (`JSONValue.jsonText`): integers exactly, doubles in Swift's shortest
    /// round-trip form; infinities and NaN, which JSON cannot hold, as `null`.
    static func integer(_ value: Int64) -> String { String(value) }

    static func number(_ value: Double) -> String { value.isFinite ? "\(value)" : "null" }

    static func bool(_ value: Bool) -> String { value ? "true" : "false" }

    static let null = "null"

    /// What a container shows in place of its members: `{3 keys}`, `{1 key}`, `[12 items]`, `[1 item]`;
    /// `{}` and `[]` when empty. `nil` for scalars.
    static func summary(_ value: JSONValue) -> String? {
        switch value {
        case .object(let members):
            return members.isEmpty ? "{}" : "{\(members.count) \(members.count == 1 ? "key" : "keys")}"
        case .array(let elements):
            return elements.isEmpty ? "[]" : "[\(elements.count) \(elements.count == 1 ? "item" : "items")]"
        default:
            return nil
        }
    }

    /// Whether a (sanitized) key can be shown without quotes: a letter or `_`, then letters, digits,
    /// `_` or `-`.
    static func isPlainKey(_ key: String) -> Bool {
        guard let first = key.first, first.isLetter || first == "_" else { return false }
        return key.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
    }

    /// `text` in double quotes with quotes, backslashes and line feeds escaped.
    static func quoted(_ text: String) -> String {
        "\"" + escaped(text) + "\""
    }

    private static func escaped(_ text: String) -> String {
        guard text.contains(where: { $0 == "\"" || $0 == "\\" || $0 == "\n" }) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for character in text {
            switch character {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }

    /// The start of `raw` a row `columns` wide could show, and whether anything was left out.
    private static func bounded(_ raw: String, columns: Int) -> (String, Bool) {
        let budget = scalarBudget(forColumns: columns)
        guard raw.utf8.count > budget else { return (raw, false) }
        let scalars = raw.unicodeScalars
        guard let end = scalars.index(scalars.startIndex, offsetBy: budget, limitedBy: scalars.endIndex),
              end < scalars.endIndex else { return (raw, false) }
        // Drop the last (possibly partial) grapheme: the cut must not leave half a cluster.
        var prefix = String(scalars[..<end])
        if !prefix.isEmpty { prefix.removeLast() }
        return (prefix, true)
    }

    /// `text` in at most `columns` columns, always ending in "…" (the caller knows something follows
    /// or was cut). Never splits a grapheme; a wide character that would straddle the "…" becomes a
    /// space, so the result is exactly `columns` wide whenever the text needed cutting.
    static func cut(_ text: String, to columns: Int) -> String {
        guard columns > 0 else { return "" }
        let budget = columns - 1
        var out = ""
        var used = 0
        var straddled = false
        for character in text {
            let width = DisplayWidth.of(character)
            if used + width > budget {
                straddled = true
                break
            }
            out.append(character)
            used += width
        }
        if straddled && used < budget { out += String(repeating: " ", count: budget - used) }
        return out + "…"
    }
}
