import Postgres

/// Number handling shared by the schema check, the value check and the projection: reading JSON numbers
/// as whole numbers without silent rounding, and writing doubles back the way people wrote them.
enum SchemaNumber {
    /// A JSON number as an `Int64` when it is a whole number in range (`3` or `3.0`); nil otherwise.
    static func wholeNumber(_ value: JSONValue) -> Int64? {
        switch value {
        case .integer(let v): return v
        case .number(let d): return wholeNumber(d)
        default: return nil
        }
    }

    /// `d` as an `Int64` when it is finite, has no fraction and fits exactly.
    static func wholeNumber(_ d: Double) -> Int64? {
        guard d.isFinite, d.rounded(.towardZero) == d, d >= -9.223372036854775808e18, d < 9.223372036854775808e18 else { return nil }
        return Int64(d)
    }

    /// A JSON number as a finite `Double`; nil for anything else.
    static func finite(_ value: JSONValue) -> Double? {
        switch value {
        case .integer(let v): return Double(v)
        case .number(let d): return d.isFinite ? d : nil
        default: return nil
        }
    }

    /// A rule bound as JSON: whole numbers as integers (`0`, not `0.0`) so schemas round-trip as written.
    static func json(_ d: Double) -> JSONValue {
        if let whole = wholeNumber(d), abs(d) < 9.007199254740992e15 { return .integer(whole) }
        return .number(d)
    }

    /// A number for messages: `3`, `2.5`.
    static func text(_ d: Double) -> String {
        if let whole = wholeNumber(d), abs(d) < 9.007199254740992e15 { return String(whole) }
        return "\(d)"
    }

    /// Canonical text of a number value: whole numbers as plain decimal digits (so `3`, `3.0` and `3e0` agree),
    /// other values in the shortest form that reads back to the same double (`2.5`, `1e-07`).
    static func canonical(_ d: Double) -> String {
        if let whole = wholeNumber(d) { return String(whole) }
        return "\(d)"
    }
}
