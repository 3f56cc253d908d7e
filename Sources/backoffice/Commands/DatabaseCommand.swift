import ArgumentParser
import Domain
import Foundation

/// `backoffice db …`: the embedded cluster (or the configured server).
struct DatabaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Start, stop, check and migrate the database.",
        subcommands: [Start.self, Stop.self, Status.self, Migrate.self, URL.self]
    )

    static func administration() throws -> DatabaseAdministration {
        DatabaseAdministration(configuration: try DatabaseConfiguration.fromEnvironment())
    }

    struct Start: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create (on first use) and start the embedded cluster, then apply migrations.")
        @OptionGroup var options: OutputOptions

        func run() throws {
            try options.output.run {
                let admin = try DatabaseCommand.administration()
                let applied = try admin.start()
                let where_: String
                switch admin.configuration {
                case .embedded(let cluster): where_ = "embedded cluster running in \(cluster.directory)"
                case .configured: where_ = "configured server reachable"
                }
                let migrations = applied.isEmpty ? "schema up to date" : "applied \(applied.map(\.name).joined(separator: ", "))"
                return (["applied": applied.map(\.name)], "\(where_); \(migrations)")
            }
        }
    }

    struct Stop: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop the embedded cluster.")
        @OptionGroup var options: OutputOptions

        func run() throws {
            try options.output.run {
                let message = try DatabaseCommand.administration().stop()
                return ([String: String](), message)
            }
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show whether the database runs, where, and its migrations.")
        @OptionGroup var options: OutputOptions

        func run() throws {
            try options.output.run {
                let status = try DatabaseCommand.administration().status()
                var lines = ["mode: \(status.mode)"]
                if let dir = status.dataDirectory { lines.append("data directory: \(dir)") }
                if status.mode == "embedded" {
                    lines.append("state: " + (status.running ? "running (pid \(status.pid ?? 0))" : "stopped"))
                }
                if let socket = status.socketDirectory, status.running { lines.append("socket: \(socket)") }
                if let version = status.serverVersion { lines.append("server: PostgreSQL \(version)") }
                if status.running {
                    lines.append("migrations: \(status.appliedMigrations.count) applied, \(status.pendingMigrations.count) pending")
                }
                if let url = status.url { lines.append("url: \(url)") }
                return (status, lines.joined(separator: "\n"))
            }
        }
    }

    struct Migrate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Apply pending migrations (over the owner connection).")
        @OptionGroup var options: OutputOptions

        func run() throws {
            try options.output.run {
                let applied = try DatabaseCommand.administration().migrate()
                let message = applied.isEmpty ? "schema up to date" : "applied \(applied.map(\.name).joined(separator: ", "))"
                return (["applied": applied.map(\.name)], message)
            }
        }
    }

    struct URL: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the app role's connection URL (psql accepts it).")
        @OptionGroup var options: OutputOptions

        func run() throws {
            try options.output.run {
                // A configured URL may carry a password: it is shown masked (the caller has it already).
                let configuration = try DatabaseConfiguration.fromEnvironment()
                let url = try configuration.appURL()
                let shown: String
                if case .embedded = configuration { shown = url } else { shown = redactedConnectionString(url) }
                return (["url": shown], shown)
            }
        }
    }
}
