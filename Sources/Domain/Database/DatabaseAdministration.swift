import Foundation
import Postgres

/// What `backoffice db start | stop | status | migrate | url` do, for the embedded cluster or a
/// configured server alike.
public struct DatabaseAdministration {
    public let configuration: DatabaseConfiguration

    public init(configuration: DatabaseConfiguration) {
        self.configuration = configuration
    }

    /// What `db status` reports.
    public struct Status: Sendable, Codable {
        public var mode: String
        public var running: Bool
        public var pid: Int32?
        public var dataDirectory: String?
        public var socketDirectory: String?
        public var serverVersion: String?
        public var appliedMigrations: [Int]
        public var pendingMigrations: [String]
        public var url: String?
    }

    /// Starts the embedded cluster (creating it on first use) and applies pending migrations; for a
    /// configured server, checks it answers and migrates it when the owner URL is set.
    @discardableResult
    public func start() throws -> [Migration] {
        switch configuration {
        case .embedded(let cluster):
            try cluster.start()
            try cluster.createDatabaseIfMissing(DatabaseConfiguration.embeddedDatabaseName)
            return try migrate()
        case .configured(let app, let owner):
            if owner != nil { return try migrate() }
            let connection = try Connection.connect(try app ?? configuration.appURL())
            connection.close()
            return []
        }
    }

    /// Stops the embedded cluster; a configured server is not ours to stop. Returns what happened.
    public func stop() throws -> String {
        switch configuration {
        case .embedded(let cluster):
            guard case .running = cluster.status() else { return "the embedded cluster in \(cluster.directory) is not running" }
            try cluster.stop()
            return "stopped the embedded cluster in \(cluster.directory)"
        case .configured:
            return "nothing to stop: backoffice does not manage the configured server (BACKOFFICE_DATABASE_URL)"
        }
    }

    /// Applies pending migrations over the owner connection.
    @discardableResult
    public func migrate() throws -> [Migration] {
        let owner = try Connection.connect(try configuration.ownerURL())
        defer { owner.close() }
        return try Migrator(migrations: Migration.bundled()).migrate(owner)
    }

    public func status() throws -> Status {
        var status = Status(mode: "configured", running: false, appliedMigrations: [], pendingMigrations: [])
        switch configuration {
        case .embedded(let cluster):
            status.mode = "embedded"
            status.dataDirectory = cluster.directory
            status.socketDirectory = cluster.socketDirectory
            guard case .running(let pid) = cluster.status() else { return status }
            status.pid = pid
        case .configured:
            break
        }
        status.url = redactedConnectionString(try configuration.appURL())
        let connectURL = try (try? configuration.ownerURL()) ?? configuration.appURL()
        let connection = try Connection.connect(connectURL)
        defer { connection.close() }
        status.running = true
        status.serverVersion = try connection.query("SELECT current_setting('server_version') AS v").single().decode("v")
        if (try? configuration.ownerURL()) != nil {
            let state = try Migrator(migrations: Migration.bundled()).state(connection)
            status.appliedMigrations = state.applied
            status.pendingMigrations = state.pending.map(\.name)
        }
        return status
    }
}
