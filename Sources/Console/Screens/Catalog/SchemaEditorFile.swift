import Domain
import Foundation
import Postgres

/// Reading and writing the schema editor's JSON files, off the input loop: import takes a product type
/// file (`{"slug","name","schema":{…},…}`, what `backoffice product-type export` prints) or a bare schema
/// (`{"fields":[…]}`), checked by the Domain's schema check; export writes the product type file with
/// the edited schema, importable by `backoffice product-type import`. Every failure says which file and
/// what is wrong with it.
enum SchemaEditorFile {
    /// A `~`-prefixed path made absolute; other relative paths are the console's working directory's.
    static func resolve(_ path: String) -> String {
        let trimmed = path.trimmingCharacters(in: .whitespaces)
        let expanded = (trimmed as NSString).expandingTildeInPath
        if expanded.hasPrefix("/") { return expanded }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(expanded).standardizedFileURL.path
    }

    /// The schema in the file at `path`.
    static func read(_ path: String) throws -> ProductSchema {
        guard !path.trimmingCharacters(in: .whitespaces).isEmpty else { throw ConsoleFailure(statusCode: 400, message: "type the path of a JSON file") }
        let file = resolve(path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) else {
            throw ConsoleFailure(statusCode: 404, message: "there is no file \(file)")
        }
        guard !isDirectory.boolValue else { throw ConsoleFailure(statusCode: 400, message: "\(file) is a directory, not a JSON file") }
        guard FileManager.default.isReadableFile(atPath: file), let data = FileManager.default.contents(atPath: file) else {
            throw ConsoleFailure(statusCode: 403, message: "\(file) cannot be read (permission denied)")
        }
        guard data.count <= 4_000_000 else { throw ConsoleFailure(statusCode: 400, message: "\(file) is too large for a product type (\(data.count) bytes)") }
        guard let text = String(data: data, encoding: .utf8) else { throw ConsoleFailure(statusCode: 400, message: "\(file) is not UTF-8 text") }
        let json: JSONValue
        do {
            json = try JSONValue(parsing: text)
        } catch {
            throw ConsoleFailure(statusCode: 400, message: "\(file) is not valid JSON: \(error)")
        }
        do {
            if case .object(let members) = json, members["schema"] != nil {
                return try ProductTypeDefinition.parse(json).schema
            }
            return try ProductSchema.parse(json)
        } catch {
            throw ConsoleFailure(statusCode: 400, message: "\(file) was not imported: " + summary(of: error.issues), issues: error.issues)
        }
    }

    /// Writes `definition` as pretty JSON to `path`; refuses to replace an existing file unless `overwrite`.
    /// Returns the absolute path written.
    static func write(_ definition: JSONValue, to path: String, overwrite: Bool) throws -> String {
        guard !path.trimmingCharacters(in: .whitespaces).isEmpty else { throw ConsoleFailure(statusCode: 400, message: "type the path of the file to write") }
        let file = resolve(path)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) {
            if isDirectory.boolValue { throw ConsoleFailure(statusCode: 400, message: "\(file) is a directory; give a file name") }
            if !overwrite { throw SchemaEditorFile.Exists(path: file) }
        }
        let directory = (file as NSString).deletingLastPathComponent
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ConsoleFailure(statusCode: 404, message: "there is no directory \(directory)")
        }
        do {
            try Data((definition.prettyJSONText + "\n").utf8).write(to: URL(fileURLWithPath: file), options: .atomic)
        } catch {
            let reason = FileManager.default.isWritableFile(atPath: directory) ? "\(error.localizedDescription)" : "permission denied"
            throw ConsoleFailure(statusCode: 403, message: "\(file) could not be written: \(reason)")
        }
        return file
    }

    /// The file exists and replacing it was not confirmed.
    struct Exists: Error {
        var path: String
    }

    /// `3 problems: fields[1].type must be …; …` with at most three listed.
    static func summary(of issues: [FieldIssue]) -> String {
        let listed = issues.prefix(3).map(\.message).joined(separator: "; ")
        let more = issues.count > 3 ? "; and \(issues.count - 3) more" : ""
        return "\(issues.count) problem\(issues.count == 1 ? "" : "s"): \(listed)\(more)"
    }
}
