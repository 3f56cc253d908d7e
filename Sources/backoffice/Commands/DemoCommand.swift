import ArgumentParser
import Domain
import Foundation

/// `backoffice demo`: loads the demo data (idempotent) and prints the demo sign-ins.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Load demo data (two stores, staff of every role, products, keys, orders); running it again changes nothing.")
    @OptionGroup var options: OutputOptions

    func run() throws {
        try options.output.run {
            let environment = try CommandEnvironment.open()
            // A signed-in super admin loads it; otherwise the demo's own super admin (created over the owner
            // connection on an empty platform).
            var platform: PlatformContext?
            if environment.sessions.token() != nil, let user = try? environment.currentUser(), user.isSuperAdmin {
                platform = try environment.authenticator.platform(user)
            }
            let owner = (try? environment.configuration.ownerURL()).map { Database(url: $0, maxConnections: 1) }
            defer { owner?.close() }
            let report = try DemoData(database: environment.database, box: try environment.secretBox())
                .load(platform: platform, ownerDatabase: owner)
            var lines = [report.created.isEmpty ? "the demo data was already loaded" : "loaded: " + report.created.joined(separator: ", ")]
            lines.append("sign in with any of these (password \(report.password)):")
            var table = TextTable("EMAIL", "STORE", "ROLE")
            for account in report.accounts { table.add(account.email, account.store ?? "(platform)", account.role) }
            lines.append(table.text)
            return (report, lines.joined(separator: "\n"))
        }
    }
}
