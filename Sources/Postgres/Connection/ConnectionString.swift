import CLibPQ

/// Rewrites libpq connection strings (URL or `key=value` form) with some parameters replaced, e.g. the
/// same server as another role or database: `ConnectionString.replacing(url, ["user": "backoffice_app"])`.
public enum ConnectionString {
    /// Parses `conninfo` with libpq and returns a `key='value'` string with `overrides` applied.
    public static func replacing(_ conninfo: String, _ overrides: [String: String]) throws(PostgresError) -> String {
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(conninfo, &errorMessage) else {
            let reason = errorMessage.map { String(cString: $0) } ?? "invalid connection string"
            if let errorMessage { PQfreemem(errorMessage) }
            throw PostgresError(kind: .usage, message: "invalid connection string: \(Connection.firstLine(of: reason))")
        }
        defer { PQconninfoFree(options) }
        var pairs: [(String, String)] = []
        var index = 0
        while let keyword = options[index].keyword {
            let key = String(cString: keyword)
            if overrides[key] == nil, let value = options[index].val {
                pairs.append((key, String(cString: value)))
            }
            index += 1
        }
        for (key, value) in overrides.sorted(by: { $0.key < $1.key }) {
            pairs.append((key, value))
        }
        return pairs.map { "\($0.0)=\(quote($0.1))" }.joined(separator: " ")
    }

    /// The value `keyword` has in `conninfo`, or nil when it is unset or the string does not parse.
    public static func value(of keyword: String, in conninfo: String) -> String? {
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(conninfo, &errorMessage) else {
            if let errorMessage { PQfreemem(errorMessage) }
            return nil
        }
        defer { PQconninfoFree(options) }
        var index = 0
        while let name = options[index].keyword {
            if String(cString: name) == keyword { return options[index].val.map { String(cString: $0) } }
            index += 1
        }
        return nil
    }

    static func quote(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }
}

import Foundation
