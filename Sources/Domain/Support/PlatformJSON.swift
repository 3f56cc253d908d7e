import Foundation
import Postgres

/// How the platform writes its entities as JSON, in one place: sorted keys, ISO-8601 dates, slashes
/// unescaped. The CLI's `--json` envelope and the console's record views both use it, so a console
/// user sees exactly what a script gets.
public enum PlatformJSON {
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    /// The value as a `JSONValue` tree (for the console's JSON viewer).
    public static func value(_ value: some Encodable) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: try encoder().encode(value))
    }
}
