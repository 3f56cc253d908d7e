import Domain

extension TablePageRequest {
    /// The request as a browsing service's page position, the opaque cursor text read back by `parse`
    /// (a cursor the service did not make is refused as a bad request).
    public func keysetPosition<Cursor>(_ parse: (String) -> Cursor?) throws -> KeysetPosition<Cursor> {
        func cursor(_ text: String) throws -> Cursor {
            guard let cursor = parse(text) else { throw ConsoleFailure(statusCode: 400, message: "bad cursor \(text)") }
            return cursor
        }
        switch self {
        case .first: return .first
        case .last: return .last
        case .after(let text, _, _): return .after(try cursor(text))
        case .before(let text, _, _): return .before(try cursor(text))
        case .from(let text, _, _): return .from(try cursor(text))
        }
    }
}
