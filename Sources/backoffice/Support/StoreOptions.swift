import ArgumentParser
import Domain
import Foundation
import Postgres

/// `--tenant SLUG` and `--json`, shared by every command that acts inside a store.
struct StoreOptions: ParsableArguments {
    @Option(help: "The store to act in (its slug).") var tenant: String
    @Flag(help: "Print the platform's JSON envelope instead of text.") var json = false

    var output: CommandOutput { CommandOutput(json: json) }
}

/// Reads `--data '{…}'`-style JSON object options, naming the option when the text is not one.
enum JSONOption {
    static func object(_ text: String?, field: String = "data") throws -> JSONValue? {
        guard let text else { return nil }
        guard let value = try? JSONValue(parsing: text) else {
            throw ValidationError(issues: [FieldIssue(field: field, rule: "json", message: "--\(field) is not valid JSON")])
        }
        guard case .object = value else {
            throw ValidationError(issues: [FieldIssue(field: field, rule: "type", message: "--\(field) must be a JSON object ({…})")])
        }
        return value
    }

    /// Reads a file given on the command line, with a clear error when it cannot be read.
    static func file(_ path: String, maxBytes: Int = 64 << 20) throws -> String {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError(issues: [FieldIssue(field: "file", rule: "readable", message: "cannot read \(path)")])
        }
        if let size = attributes[.size] as? Int, size > maxBytes {
            throw ValidationError(issues: [FieldIssue(field: "file", rule: "maxSize", message: "\(path) is larger than \(maxBytes >> 20) MB")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ValidationError(issues: [FieldIssue(field: "file", rule: "utf8", message: "\(path) is not UTF-8 text")])
        }
        return text
    }
}

/// Parses the plain-text values of options (ids, enum names) with errors that name the option.
enum OptionValue {
    /// `--after ID`: the id of the last item of the previous page.
    static func cursor(_ text: String?, of what: String) throws -> UUID? {
        guard let text else { return nil }
        guard let id = UUID(uuidString: text) else {
            throw ValidationError(issues: [FieldIssue(field: "after", rule: "uuid", message: "--after must be \(what) id (a UUID, the previous page's nextCursor)")])
        }
        return id
    }

    /// One of an enum's raw values, e.g. `--status active`.
    static func choice<T: RawRepresentable & CaseIterable>(_ text: String?, field: String, as type: T.Type = T.self) throws -> T? where T.RawValue == String {
        guard let text else { return nil }
        guard let value = T(rawValue: text) else {
            let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError(issues: [FieldIssue(field: field, rule: "enum", message: "\(field) must be one of \(allowed) (got '\(text)')")])
        }
        return value
    }
}
