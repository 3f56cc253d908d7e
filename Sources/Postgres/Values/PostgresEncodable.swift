import Foundation

/// A Swift value that can be bound as a statement parameter (see `SQL`).
///
/// Each conforming type names its PostgreSQL type, so the server never has to guess, and NULL (an
/// `Optional.none`) still carries a type.
public protocol PostgresEncodable: Sendable {
    /// The PostgreSQL type a value of this Swift type binds as.
    static var postgresType: PostgresType { get }
    /// The value in PostgreSQL's text input format.
    var postgresText: String { get }
    /// The parameter as libpq receives it (an `Optional` overrides this to bind NULL).
    var postgresBind: PostgresBind { get }
}

extension PostgresEncodable {
    public var postgresBind: PostgresBind {
        PostgresBind(type: Self.postgresType, text: postgresText)
    }
}

/// `nil` binds as SQL NULL of the wrapped type.
extension Optional: PostgresEncodable where Wrapped: PostgresEncodable {
    public static var postgresType: PostgresType { Wrapped.postgresType }
    public var postgresText: String { self.map(\.postgresText) ?? "" }
    public var postgresBind: PostgresBind {
        PostgresBind(type: Wrapped.postgresType, text: self?.postgresText)
    }
}

extension String: PostgresEncodable {
    public static var postgresType: PostgresType { .text }
    public var postgresText: String { self }
}

extension Substring: PostgresEncodable {
    public static var postgresType: PostgresType { .text }
    public var postgresText: String { String(self) }
}

extension Int: PostgresEncodable {
    public static var postgresType: PostgresType { .int8 }
    public var postgresText: String { String(self) }
}

extension Int64: PostgresEncodable {
    public static var postgresType: PostgresType { .int8 }
    public var postgresText: String { String(self) }
}

extension Int32: PostgresEncodable {
    public static var postgresType: PostgresType { .int4 }
    public var postgresText: String { String(self) }
}

extension Int16: PostgresEncodable {
    public static var postgresType: PostgresType { .int2 }
    public var postgresText: String { String(self) }
}

extension Bool: PostgresEncodable {
    public static var postgresType: PostgresType { .bool }
    public var postgresText: String { self ? "t" : "f" }
}

extension Double: PostgresEncodable {
    public static var postgresType: PostgresType { .float8 }
    public var postgresText: String {
        if isNaN { return "NaN" }
        if isInfinite { return self < 0 ? "-Infinity" : "Infinity" }
        return "\(self)"
    }
}

extension UUID: PostgresEncodable {
    public static var postgresType: PostgresType { .uuid }
    public var postgresText: String { PostgresUUID.format(self) }
}

extension Date: PostgresEncodable {
    public static var postgresType: PostgresType { .timestamptz }
    public var postgresText: String { PostgresTimestamp.format(self) }
}

extension Data: PostgresEncodable {
    public static var postgresType: PostgresType { .bytea }
    public var postgresText: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8](repeating: 0, count: 2 + count * 2)
        out[0] = UInt8(ascii: "\\")
        out[1] = UInt8(ascii: "x")
        var i = 2
        for byte in self {
            out[i] = digits[Int(byte >> 4)]
            out[i + 1] = digits[Int(byte & 0x0f)]
            i += 2
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Arrays bind as one-dimensional PostgreSQL arrays (for `= ANY($1)` and bulk inserts with `unnest`).
extension Array: PostgresEncodable where Element: PostgresArrayElement {
    public static var postgresType: PostgresType { Element.postgresArrayType }
    public var postgresText: String {
        var out = "{"
        for (index, element) in enumerated() {
            if index > 0 { out += "," }
            out += PostgresArrayLiteral.quote(element.postgresArrayElementText)
        }
        return out + "}"
    }
}

/// An element type that has a PostgreSQL array type.
public protocol PostgresArrayElement: Sendable {
    static var postgresArrayType: PostgresType { get }
    /// The element's text, or nil for a NULL element.
    var postgresArrayElementText: String? { get }
}

extension PostgresArrayElement where Self: PostgresEncodable {
    public var postgresArrayElementText: String? { postgresText }
}

extension String: PostgresArrayElement { public static var postgresArrayType: PostgresType { .textArray } }
extension Int: PostgresArrayElement { public static var postgresArrayType: PostgresType { .int8Array } }
extension Int64: PostgresArrayElement { public static var postgresArrayType: PostgresType { .int8Array } }
extension Int32: PostgresArrayElement { public static var postgresArrayType: PostgresType { .int4Array } }
extension Bool: PostgresArrayElement { public static var postgresArrayType: PostgresType { .boolArray } }
extension Double: PostgresArrayElement { public static var postgresArrayType: PostgresType { .float8Array } }
extension UUID: PostgresArrayElement { public static var postgresArrayType: PostgresType { .uuidArray } }
extension Date: PostgresArrayElement { public static var postgresArrayType: PostgresType { .timestamptzArray } }
extension Optional: PostgresArrayElement where Wrapped: PostgresArrayElement & PostgresEncodable {
    public static var postgresArrayType: PostgresType { Wrapped.postgresArrayType }
    public var postgresArrayElementText: String? { self?.postgresText }
}
