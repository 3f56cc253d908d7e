import Foundation

/// A SQL statement whose values travel as bound parameters, never as text.
///
/// Build it by string interpolation: literal segments are compile-time `StaticString`s, so a runtime
/// `String` can never become SQL text by accident. Every interpolated value becomes a `$n` parameter;
/// an interpolated `SQL` fragment is spliced in and renumbered, because parameters are numbered only when
/// the statement is rendered (see `render()`).
///
/// ```swift
/// let filter: SQL = "status = \(status)"
/// let query: SQL = "SELECT id FROM products WHERE tenant_id = \(tenantID) AND \(filter)"
/// // SELECT id FROM products WHERE tenant_id = $1 AND status = $2
/// ```
///
/// Identifiers go through `\(ident: name)` (quoted); raw text only through the explicitly named
/// `\(unsafeRaw:)` / `SQL(unsafeRaw:)`, which must never carry user input.
public struct SQL: Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    enum Part: Sendable {
        /// A literal segment of the source code (kept as is: no copy until rendering).
        case literal(StaticString)
        case text(String)
        case bind(PostgresBind)
    }

    var parts: [Part]

    public init(stringLiteral value: StaticString) {
        parts = [.literal(value)]
    }

    public init(stringInterpolation: StringInterpolation) {
        parts = stringInterpolation.parts
    }

    /// Raw SQL text from a runtime string. Named so that every use stands out in review: only for text
    /// that the program itself produced (migration files it ships, identifiers it validated).
    public init(unsafeRaw text: String) {
        parts = [.text(text)]
    }

    init(parts: [Part]) {
        self.parts = parts
    }

    /// The empty fragment, handy as the neutral element when composing optional clauses.
    public static var empty: SQL { SQL(parts: []) }

    /// Whether the fragment renders to nothing.
    public var isEmpty: Bool {
        parts.allSatisfy {
            switch $0 {
            case .literal(let l): l.utf8CodeUnitCount == 0
            case .text(let t): t.isEmpty
            case .bind: false
            }
        }
    }

    /// The statement text with `$1…$n` placeholders, and the parameters in order.
    public func render() -> (text: String, binds: [PostgresBind]) {
        var text = ""
        var binds: [PostgresBind] = []
        var capacity = 0
        var bindCount = 0
        for part in parts {
            switch part {
            case .literal(let l): capacity += l.utf8CodeUnitCount
            case .text(let t): capacity += t.utf8.count
            case .bind: capacity += 4; bindCount += 1
            }
        }
        text.reserveCapacity(capacity)
        binds.reserveCapacity(bindCount)
        for part in parts {
            switch part {
            case .literal(let l):
                l.withUTF8Buffer { text += String(decoding: $0, as: UTF8.self) }
            case .text(let t):
                text += t
            case .bind(let b):
                binds.append(b)
                text += "$"
                text += String(binds.count)
            }
        }
        return (text, binds)
    }

    /// The rendered text, placeholders included; values are never shown (they may be secrets).
    public var description: String { render().text }

    /// Joins fragments with a separator fragment: `SQL.join(conditions, with: " AND ")`.
    public static func join(_ fragments: [SQL], with separator: SQL) -> SQL {
        var parts: [Part] = []
        for (index, fragment) in fragments.enumerated() {
            if index > 0 { parts += separator.parts }
            parts += fragment.parts
        }
        return SQL(parts: parts)
    }

    public static func + (lhs: SQL, rhs: SQL) -> SQL {
        SQL(parts: lhs.parts + rhs.parts)
    }

    public static func += (lhs: inout SQL, rhs: SQL) {
        lhs.parts += rhs.parts
    }

    /// The interpolation that turns values into parameters.
    public struct StringInterpolation: StringInterpolationProtocol {
        var parts: [Part] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            parts.reserveCapacity(interpolationCount * 2 + 1)
        }

        public mutating func appendLiteral(_ literal: StaticString) {
            parts.append(.literal(literal))
        }

        /// A value: becomes a bound parameter `$n`.
        public mutating func appendInterpolation<Value: PostgresEncodable>(_ value: Value) {
            parts.append(.bind(value.postgresBind))
        }

        /// An optional value: a bound parameter, SQL NULL (typed) when nil.
        public mutating func appendInterpolation<Value: PostgresEncodable>(_ value: Value?) {
            parts.append(.bind(value.postgresBind))
        }

        /// A fragment: spliced in; its parameters are renumbered when the whole is rendered.
        public mutating func appendInterpolation(_ fragment: SQL) {
            parts += fragment.parts
        }

        /// An identifier (table, column, channel): double-quoted, embedded quotes doubled.
        public mutating func appendInterpolation(ident name: String) {
            parts.append(.text(SQL.quoteIdentifier(name)))
        }

        /// Raw text. Only for text the program itself made; never user input.
        public mutating func appendInterpolation(unsafeRaw text: String) {
            parts.append(.text(text))
        }
    }

    /// Quotes an identifier the way PostgreSQL's `quote_ident` does for every name.
    public static func quoteIdentifier(_ name: String) -> String {
        let cleaned = name.replacingOccurrences(of: "\u{0}", with: "")
        return "\"" + cleaned.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
