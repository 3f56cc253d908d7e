/// The platform's error classes (reference: "Error Classes"): every failure a user can see carries an
/// HTTP-like status code and a message, so the console, the CLI's `--json` envelope and logs agree.
public protocol AppError: Error, Sendable, CustomStringConvertible {
    var statusCode: Int { get }
    var message: String { get }
}

extension AppError {
    public var description: String { message }
}

/// One problem with one input field: which field, which rule, and a sentence for people.
public struct FieldIssue: Sendable, Codable, Equatable {
    public var field: String
    public var rule: String
    public var message: String

    public init(field: String, rule: String, message: String) {
        self.field = field
        self.rule = rule
        self.message = message
    }
}

/// 400: the input breaks a rule; `issues` lists every problem found, field by field.
public struct ValidationError: AppError {
    public var statusCode: Int { 400 }
    public var message: String
    public var issues: [FieldIssue]

    public init(_ message: String, issues: [FieldIssue] = []) {
        self.message = message
        self.issues = issues
    }

    public init(issues: [FieldIssue]) {
        self.issues = issues
        self.message = issues.count == 1 ? issues[0].message : "\(issues.count) fields are invalid: " + issues.map(\.field).joined(separator: ", ")
    }
}

/// 401: not signed in, or the session is no longer valid.
public struct UnauthorizedError: AppError {
    public var statusCode: Int { 401 }
    public var message: String
    public init(_ message: String) { self.message = message }
}

/// 403: signed in, but not allowed to do this (including a row-level-security refusal).
public struct ForbiddenError: AppError {
    public var statusCode: Int { 403 }
    public var message: String
    public init(_ message: String) { self.message = message }
}

/// 404: the thing does not exist (or is not visible to this tenant).
public struct NotFoundError: AppError {
    public var statusCode: Int { 404 }
    public var message: String
    public init(_ message: String) { self.message = message }
}

/// 409: the request conflicts with the current state (a duplicate, a stale version, a row still in use).
public struct ConflictError: AppError {
    public var statusCode: Int { 409 }
    public var message: String
    /// The field the conflict is about, when there is one (`slug`, `sku`).
    public var field: String?
    public init(_ message: String, field: String? = nil) {
        self.message = message
        self.field = field
    }
}

/// 503: the database cannot be reached; nothing was changed that was not committed.
public struct ServiceUnavailableError: AppError {
    public var statusCode: Int { 503 }
    public var message: String
    public init(_ message: String) { self.message = message }
}

/// 500: a failure that is a bug or an unexpected server condition; the message is for logs and support.
public struct InternalError: AppError {
    public var statusCode: Int { 500 }
    public var message: String
    public init(_ message: String) { self.message = message }
}
