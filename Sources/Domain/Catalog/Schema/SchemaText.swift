import Postgres

/// Text measurements the schema and value checks share, written so hostile input costs little: lengths
/// are counted only up to the limit that matters, and control characters are found scalar by scalar.
enum SchemaText {
    /// The character count of `text` when it is at most `limit`; nil when it is longer (counting stops at
    /// `limit + 1`, so a megabyte string costs no more than the limit).
    static func count(_ text: String, upTo limit: Int) -> Int? {
        if text.utf8.count <= limit { return text.count }
        guard let end = text.index(text.startIndex, offsetBy: limit, limitedBy: text.endIndex) else { return text.count }
        return end == text.endIndex ? limit : nil
    }

    /// The first control character (Unicode general category Cc, which includes ESC and the C1 controls that
    /// start terminal escape sequences), ignoring those in `allowed`.
    static func controlCharacter(in text: String, allowing allowed: Set<Unicode.Scalar> = []) -> Unicode.Scalar? {
        text.unicodeScalars.first { $0.properties.generalCategory == .control && !allowed.contains($0) }
    }

    /// `U+001B` for messages.
    static func codePoint(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// What kind of JSON a value is, for "must be a number (got a string)" messages; never prints the value,
    /// which may be huge or hostile.
    static func kind(of value: JSONValue) -> String { JSONValueKind(value).description }
}

/// The kind of a JSON value, named as messages use it.
enum JSONValueKind: CustomStringConvertible {
    case null, bool, number, string, array, object

    init(_ value: JSONValue) {
        switch value {
        case .null: self = .null
        case .bool: self = .bool
        case .integer, .number: self = .number
        case .string: self = .string
        case .array: self = .array
        case .object: self = .object
        }
    }

    var description: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
