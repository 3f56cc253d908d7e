/// Everything that can go wrong talking to PostgreSQL, classified so that the Domain can map it onto
/// the platform's error classes (409 for a unique violation, 403 for row-level security, …).
///
/// Values from the failing row are never copied into `message`: the server's DETAIL (which can quote
/// them) is kept apart in `detail` for logs and the field name in `field`.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Kind: Sendable, Equatable {
        /// The server could not be reached or the connection broke (SQLSTATE class 08, admin shutdown).
        case connectionUnavailable
        /// 23505: a unique constraint was violated.
        case uniqueViolation
        /// 23503 on insert/update: the referenced row does not exist.
        case foreignKeyMissing
        /// 23503 on delete/update of a referenced row: other rows still refer to it.
        case foreignKeyInUse
        /// 23502: a NOT NULL column got NULL.
        case notNullViolation
        /// 23514, 23P01: a CHECK or exclusion constraint failed.
        case checkViolation
        /// 42501: insufficient privilege, including a row-level-security WITH CHECK failure.
        case insufficientPrivilege
        /// 40001: serialization failure; the transaction may be retried.
        case serializationFailure
        /// 40P01: deadlock detected; the transaction may be retried.
        case deadlock
        /// 22xxx: the data itself is invalid (bad UUID text, out-of-range number, …).
        case invalidData
        /// 57014: the statement was cancelled or timed out.
        case queryCanceled
        /// A column's value could not be decoded into the requested Swift type.
        case decoding
        /// The result had no column of the requested name.
        case missingColumn
        /// The query returned a different number of rows than the caller required.
        case unexpectedRowCount
        /// Misuse of this layer (e.g. a closed connection).
        case usage
        /// Any other server error.
        case other
    }

    public var kind: Kind
    /// The server's SQLSTATE, when the server reported the error.
    public var sqlState: String?
    /// The primary, human-readable message.
    public var message: String
    /// The server's DETAIL, which may quote row values: for logs, never for end users as is.
    public var detail: String?
    public var hint: String?
    public var constraint: String?
    public var table: String?
    public var column: String?

    public init(kind: Kind, message: String, sqlState: String? = nil, detail: String? = nil,
                hint: String? = nil, constraint: String? = nil, table: String? = nil, column: String? = nil) {
        self.kind = kind
        self.message = message
        self.sqlState = sqlState
        self.detail = detail
        self.hint = hint
        self.constraint = constraint
        self.table = table
        self.column = column
    }

    public var description: String {
        var s = message
        if let sqlState { s += " (SQLSTATE \(sqlState))" }
        return s
    }

    /// Whether re-running the whole transaction may succeed.
    public var isRetryable: Bool { kind == .serializationFailure || kind == .deadlock }

    /// The key columns a unique or foreign-key violation is about, without `tenant_id`:
    /// `Key (tenant_id, slug)=(…)` gives `["slug"]`, and an expression key `Key (lower(email))=(…)` gives
    /// `["email"]`. Under row-level security PostgreSQL leaves the key out of the DETAIL (it could reveal
    /// rows the role cannot see); the columns are then read from the constraint's name, which follows
    /// PostgreSQL's default naming `<table>_<columns>_key|fkey|pkey`.
    public var keyColumns: [String] {
        if let detail, let columns = PostgresError.keyColumns(inDetail: detail) {
            return PostgresError.withoutTenant(columns)
        }
        if let constraint, let columns = PostgresError.keyColumns(inConstraint: constraint, table: table) {
            return PostgresError.withoutTenant(columns)
        }
        return column.map { [$0] } ?? []
    }

    /// The field a constraint violation is about, for "which field" in user-facing errors.
    public var field: String? {
        switch kind {
        case .notNullViolation: return column
        case .uniqueViolation, .foreignKeyMissing, .foreignKeyInUse:
            let keys = keyColumns
            return keys.isEmpty ? constraint : keys.joined(separator: ", ")
        case .checkViolation: return column ?? constraint
        default: return column
        }
    }

    private static func withoutTenant(_ names: [String]) -> [String] {
        let rest = names.filter { $0 != "tenant_id" }
        return rest.isEmpty ? names : rest
    }

    /// The columns in `Key (a, lower(b))=(…)`, each expression reduced to the column it reads.
    static func keyColumns(inDetail detail: String) -> [String]? {
        guard let start = detail.range(of: "Key (") else { return nil }
        var depth = 1
        var items: [String] = []
        var current = ""
        for ch in detail[start.upperBound...] {
            switch ch {
            case "(":
                depth += 1
                current.append(ch)
            case ")":
                depth -= 1
                if depth == 0 {
                    items.append(current)
                    let columns = items.compactMap(columnName(inExpression:))
                    return columns.isEmpty ? nil : columns
                }
                current.append(ch)
            case "," where depth == 1:
                items.append(current)
                current = ""
            default:
                current.append(ch)
            }
        }
        return nil
    }

    /// `slug` → `slug`; `lower(email)` → `email`; `(name)::text` → `name`: the first identifier that is
    /// neither a function being called nor a type after `::`.
    static func columnName(inExpression expression: String) -> String? {
        let characters = Array(expression)
        var index = 0
        while index < characters.count {
            let ch = characters[index]
            if ch == "\"" {
                var end = index + 1
                while end < characters.count && characters[end] != "\"" { end += 1 }
                return String(characters[(index + 1)..<min(end, characters.count)])
            }
            guard ch.isLetter || ch == "_" else { index += 1; continue }
            var end = index
            while end < characters.count && (characters[end].isLetter || characters[end].isNumber || characters[end] == "_") {
                end += 1
            }
            let word = String(characters[index..<end])
            let isCall = end < characters.count && characters[end] == "("
            let isType = index >= 2 && characters[index - 1] == ":" && characters[index - 2] == ":"
            if !isCall && !isType { return word }
            index = end
        }
        return nil
    }

    /// `product_types_tenant_id_slug_key` on `product_types` → `["slug"]`: the table prefix, the suffix and
    /// a leading `tenant_id_` are removed. A name cannot show where one column ends and the next begins,
    /// so what remains is returned as one field (`payments_tenant_id_method_reference_key` →
    /// `["method_reference"]`); a name that does not follow the convention gives nil.
    static func keyColumns(inConstraint constraint: String, table: String?) -> [String]? {
        var name = Substring(constraint)
        guard let suffix = ["_fkey", "_pkey", "_key", "_excl"].first(where: { name.hasSuffix($0) }) else { return nil }
        name = name.dropLast(suffix.count)
        if let table, name.hasPrefix(table + "_") { name = name.dropFirst(table.count + 1) }
        if name.hasPrefix("tenant_id_") { name = name.dropFirst("tenant_id_".count) }
        return name.isEmpty ? nil : [String(name)]
    }

    /// Classifies a SQLSTATE (with the DETAIL text where a class alone is ambiguous).
    /// The message decides between the two foreign-key cases because row-level security hides the DETAIL.
    static func kind(forSQLState state: String, message: String, detail: String?) -> Kind {
        switch state {
        case "23505": return .uniqueViolation
        case "23503":
            if message.hasPrefix("update or delete on table") { return .foreignKeyInUse }
            if let detail, detail.contains("is still referenced") { return .foreignKeyInUse }
            return .foreignKeyMissing
        case "23502": return .notNullViolation
        case "23514", "23P01": return .checkViolation
        case "42501": return .insufficientPrivilege
        case "40001": return .serializationFailure
        case "40P01": return .deadlock
        case "57014": return .queryCanceled
        case "57P01", "57P02", "57P03": return .connectionUnavailable
        default:
            if state.hasPrefix("08") { return .connectionUnavailable }
            if state.hasPrefix("22") { return .invalidData }
            return .other
        }
    }
}

import Foundation
