import Foundation

/// A Swift type that a column's text value decodes into (see `Row.decode`).
///
/// Every connection of ours receives results in text format with fixed session settings
/// (`DateStyle=ISO`, `TimeZone=UTC`, `bytea_output=hex`, `extra_float_digits=3`), so decoding is a parse of
/// well-known text. A failed parse throws `PostgresDecodingError`, which `Row` extends with the column name.
public protocol PostgresDecodable {
    init(postgresText text: String, type: PostgresType) throws(PostgresDecodingError)
}

/// Why one value could not be decoded; `Row` wraps it into a `PostgresError` naming the column.
public struct PostgresDecodingError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }

    static func mismatch<T>(_ text: String, _ type: PostgresType, as swiftType: T.Type) -> PostgresDecodingError {
        let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
        return PostgresDecodingError("cannot read \(String(describing: swiftType)) from '\(shown)' (type oid \(type.rawValue))")
    }
}

extension String: PostgresDecodable {
    public init(postgresText text: String, type: PostgresType) { self = text }
}

extension Int: PostgresDecodable {
    public init(postgresText text: String, type: PostgresType) throws(PostgresDecodingError) {
        guard let v = Int(text) else { throw .mismatch(text, type, as: Int.self) }
        self = v
    }
}

extension Int64: PostgresDecodable {
    public init(postgresText text: String, type: PostgresType) throws(PostgresDecodingError) {
        guard let v = Int64(text) else { throw .mismatch(text, type, as: Int64.self) }
        self = v
    }
}

extension Int32: PostgresDecodable {
    public init(postgresText text: String, type: PostgresType) throws(PostgresDecodingError) {
        guard let v = Int32(text) else { throw .mismatch(text, type, as: Int32.self) }
        self = v
    }
}

extension Int16: PostgresDecodable {
    public init(postgresText text: String, type: PostgresType) throws(PostgresDecodingError) {
        guard let v = Int16(text) else { throw .mismatch(text, type, as: Int16.self) }
        self = v
    }
}

extension Bool: PostgresDecodable {
    public init(postgresText text: String, type: PostgresType) throws(PostgresDecodingError) {
        switch text {
        case "t", "true": self = true
        case "f", "false": self = false
        default: throw .mismatch(text, type, as: Bool.self)
        }
    }
}

extension Double: PostgresDecodable {
    public init(postgresText text: String, type: PostgresType) throws(PostgresDecodingError) {
        switch text {
        case "NaN": self = .nan
        case "Infinity": self = .infinity
        case "-Infinity": self = -.infinity
        default:
            guard let v = Double(text) else { throw .mismatch(text, type, as: Double.self) }
            self = v
        }
    }
}

extension UUID: PostgresDecodable {
    public init(postgresText text: String, type: PostgresType) throws(PostgresDecodingError) {
        guard let v = PostgresUUID.parse(text) else { throw .mismatch(text, type, as: UUID.self) }
        self = v
    }
}

extension Date: PostgresDecodable {
    public init(postgresText text: String, type: PostgresType) throws(PostgresDecodingError) {
        guard let v = PostgresTimestamp.parse(text) else { throw .mismatch(text, type, as: Date.self) }
        self = v
    }
}

extension Data: PostgresDecodable {
    public init(postgresText text: String, type: PostgresType) throws(PostgresDecodingError) {
        let bytes = Array(text.utf8)
        guard bytes.count >= 2, bytes[0] == UInt8(ascii: "\\"), bytes[1] == UInt8(ascii: "x"), bytes.count % 2 == 0 else {
            throw .mismatch(text, type, as: Data.self)
        }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: c - 48
            case 97...102: c - 87
            case 65...70: c - 55
            default: nil
            }
        }
        var out = Data(capacity: (bytes.count - 2) / 2)
        var i = 2
        while i < bytes.count {
            guard let hi = nibble(bytes[i]), let lo = nibble(bytes[i + 1]) else { throw .mismatch(text, type, as: Data.self) }
            out.append(hi << 4 | lo)
            i += 2
        }
        self = out
    }
}

extension JSONValue: PostgresDecodable {
    public init(postgresText text: String, type: PostgresType) throws(PostgresDecodingError) {
        do {
            self = try JSONValue(parsing: text)
        } catch {
            throw .mismatch(text, type, as: JSONValue.self)
        }
    }
}

extension Jsonb: PostgresDecodable {
    public init(postgresText text: String, type: PostgresType) throws(PostgresDecodingError) {
        do {
            value = try JSONDecoder().decode(Value.self, from: Data(text.utf8))
        } catch {
            throw PostgresDecodingError("cannot read \(Value.self) from JSON: \(error)")
        }
    }
}

/// One-dimensional arrays of decodable elements; NULL elements need an optional element type.
extension Array: PostgresDecodable where Element: PostgresDecodable {
    public init(postgresText text: String, type: PostgresType) throws(PostgresDecodingError) {
        guard let elements = PostgresArrayLiteral.parse(text) else { throw .mismatch(text, type, as: Self.self) }
        var out: [Element] = []
        out.reserveCapacity(elements.count)
        for element in elements {
            if let element {
                out.append(try Element(postgresText: element, type: .unknown))
            } else if let nullable = Element.self as? any PostgresNullable.Type {
                out.append(nullable.postgresNull as! Element)
            } else {
                throw PostgresDecodingError("array has a NULL element but \(Element.self) is not optional")
            }
        }
        self = out
    }
}

/// Types with a NULL value: lets arrays of optionals hold NULL elements.
protocol PostgresNullable {
    static var postgresNull: Any { get }
}

extension Optional: PostgresNullable {
    static var postgresNull: Any { Optional<Wrapped>.none as Any }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    public init(postgresText text: String, type: PostgresType) throws(PostgresDecodingError) {
        self = try Wrapped(postgresText: text, type: type)
    }
}
