/// A multi-statement SQL script run over the simple query protocol, with no parameters at all.
///
/// Migrations and test fixtures are files the program ships; they cannot carry values, so they do not
/// need (and cannot have) bound parameters. Keeping them a separate type means a `SQL` statement can
/// never be executed as a script and a script never gains interpolated values.
public struct SQLScript: Sendable {
    /// Where the script came from, for error messages (a file name, a migration name).
    public let name: String
    public let text: String

    public init(name: String, text: String) {
        self.name = name
        self.text = text
    }
}
