import Foundation
import Postgres

/// Where the database is: a configured server (`BACKOFFICE_DATABASE_URL` for the app role,
/// `BACKOFFICE_OWNER_DATABASE_URL` for migrations and bootstrap) or, with neither set, the embedded
/// cluster in `BACKOFFICE_DATA_DIR` (design §1).
public enum DatabaseConfiguration: Sendable {
    case configured(appURL: String?, ownerURL: String?)
    case embedded(EmbeddedCluster)

    /// The database the embedded cluster holds.
    public static let embeddedDatabaseName = "backoffice"

    /// Reads the environment.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> DatabaseConfiguration {
        let app = environment["BACKOFFICE_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
        let owner = environment["BACKOFFICE_OWNER_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
        if app != nil || owner != nil {
            return .configured(appURL: app, ownerURL: owner)
        }
        return .embedded(EmbeddedCluster(directory: try dataDirectory(environment)))
    }

    /// `BACKOFFICE_DATA_DIR`, else `${XDG_DATA_HOME:-~/.local/share}/backoffice`. As root, when the
    /// `postgres` user (which must run the server) cannot reach that default, `/var/lib/backoffice`.
    public static func dataDirectory(_ environment: [String: String]) throws -> String {
        if let explicit = environment["BACKOFFICE_DATA_DIR"], !explicit.isEmpty {
            return absolute(explicit)
        }
        let base: String
        if let xdg = environment["XDG_DATA_HOME"], !xdg.isEmpty {
            base = xdg
        } else {
            base = home(environment) + "/.local/share"
        }
        let preferred = absolute(base + "/backoffice")
        if !EmbeddedCluster.serverUserCanReach(preferred) {
            return "/var/lib/backoffice"
        }
        return preferred
    }

    /// `${XDG_STATE_HOME:-~/.local/state}/backoffice`: where our own logs go (never the screen).
    public static func stateDirectory(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let xdg = environment["XDG_STATE_HOME"], !xdg.isEmpty { return absolute(xdg + "/backoffice") }
        return absolute(home(environment) + "/.local/state/backoffice")
    }

    /// The app-role URL (what the console and scripts use).
    public func appURL() throws -> String {
        switch self {
        case .embedded(let cluster):
            return cluster.url(user: DatabaseRoles.app, database: Self.embeddedDatabaseName)
        case .configured(let app, _):
            guard let app else {
                throw ValidationError(issues: [FieldIssue(field: "BACKOFFICE_DATABASE_URL", rule: "required", message: "BACKOFFICE_DATABASE_URL is not set: it names the app role's connection (BACKOFFICE_OWNER_DATABASE_URL alone is only for migrations)")])
            }
            return app
        }
    }

    /// The owner URL (migrations, bootstrap).
    public func ownerURL() throws -> String {
        switch self {
        case .embedded(let cluster):
            return cluster.url(user: EmbeddedCluster.ownerRole, database: Self.embeddedDatabaseName)
        case .configured(_, let owner):
            guard let owner else {
                throw ValidationError(issues: [FieldIssue(field: "BACKOFFICE_OWNER_DATABASE_URL", rule: "required", message: "BACKOFFICE_OWNER_DATABASE_URL is not set: migrations need the owner role's connection")])
            }
            return owner
        }
    }

    private static func home(_ environment: [String: String]) -> String {
        if let home = environment["HOME"], !home.isEmpty { return home }
        if let entry = getpwuid(geteuid()), let dir = entry.pointee.pw_dir { return String(cString: dir) }
        return "/tmp"
    }

    private static func absolute(_ path: String) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        if expanded.hasPrefix("/") { return (expanded as NSString).standardizingPath }
        return ((FileManager.default.currentDirectoryPath + "/" + expanded) as NSString).standardizingPath
    }
}

/// Masks the password in a connection URL or string before it is shown (`postgresql://app:***@host/db`).
public func redactedConnectionString(_ text: String) -> String {
    var result = text
    if let scheme = result.range(of: "://"), let at = result[scheme.upperBound...].firstIndex(of: "@") {
        let userinfo = result[scheme.upperBound..<at]
        if let colon = userinfo.firstIndex(of: ":") {
            result.replaceSubrange(result.index(after: colon)..<at, with: "***")
        }
    }
    for key in ["password=", "password ="] {
        while let range = result.range(of: key), !result[range.upperBound...].hasPrefix("***") {
            let end = result[range.upperBound...].firstIndex(where: { $0 == " " || $0 == "&" }) ?? result.endIndex
            result.replaceSubrange(range.upperBound..<end, with: "***")
        }
    }
    return result
}
