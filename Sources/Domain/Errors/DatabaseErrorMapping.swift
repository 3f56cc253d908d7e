import Postgres

/// Maps a database failure onto the platform's error classes (issue: "SQLSTATE mapped to the reference
/// error classes"). Row values from the server's DETAIL never reach the message.
public enum DatabaseErrorMapping {
    public static func appError(from error: PostgresError) -> any AppError {
        let field = error.field ?? "value"
        switch error.kind {
        case .uniqueViolation:
            return ConflictError("\(field) is already in use\(tableSuffix(error))", field: field)
        case .foreignKeyMissing:
            return ValidationError(issues: [FieldIssue(field: field, rule: "exists", message: "\(field) refers to something that does not exist\(tableSuffix(error))")])
        case .foreignKeyInUse:
            return ConflictError("cannot remove it: other records still refer to it\(referencingSuffix(error))", field: field)
        case .notNullViolation:
            return ValidationError(issues: [FieldIssue(field: field, rule: "required", message: "\(field) is required")])
        case .checkViolation:
            return ValidationError(issues: [FieldIssue(field: field, rule: "check", message: "\(field) breaks the rule \(error.constraint ?? "of its table")")])
        case .invalidData:
            return ValidationError(issues: [FieldIssue(field: error.column ?? "value", rule: "format", message: error.message)])
        case .insufficientPrivilege:
            return ForbiddenError("not permitted: \(error.message)")
        case .connectionUnavailable:
            return ServiceUnavailableError(error.message.hasPrefix("database unavailable") || error.message.hasPrefix("cannot connect")
                ? error.message : "database unavailable: \(error.message)")
        case .serializationFailure, .deadlock:
            return ConflictError("the data changed while this was being saved; try again")
        case .queryCanceled:
            return ServiceUnavailableError("the database took too long to answer and the request was cancelled")
        case .decoding, .missingColumn, .unexpectedRowCount, .usage, .other:
            return InternalError(error.description)
        }
    }

    private static func tableSuffix(_ error: PostgresError) -> String {
        error.table.map { " (\($0))" } ?? ""
    }

    private static func referencingSuffix(_ error: PostgresError) -> String {
        // DETAIL: Key (tenant_id, id)=(…) is still referenced from table "products".
        guard let detail = error.detail, let range = detail.range(of: "from table ") else { return "" }
        let table = detail[range.upperBound...].trimmingCharacters(in: CharacterSet(charactersIn: "\". "))
        return " (\(table))"
    }

    /// Runs `body`, rethrowing database failures as application errors.
    static func mapping<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as PostgresError {
            throw appError(from: error)
        }
    }
}

import Foundation
