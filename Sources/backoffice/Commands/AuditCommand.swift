import ArgumentParser
import Domain
import Foundation
import Postgres

/// `backoffice audit --tenant SLUG`: a store's audit log, newest first.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Show a store's audit log, newest first (needs audit.read, or a super admin).")

    @Option(help: "The store's slug.") var tenant: String
    @Option(help: "How many entries (1–500).") var limit: Int = 50
    @Option(help: "Continue after this entry id (the previous page's nextCursor).") var after: String?
    @OptionGroup var options: OutputOptions

    func run() throws {
        try options.output.run {
            let cursor = try OptionValue.cursor(after, of: "an entry")
            let environment = try CommandEnvironment.open()
            let page = try environment.inStore(
                tenant,
                asPlatform: { try environment.tenants.audit($0, slug: tenant, limit: limit, after: cursor) },
                asMember: { try AuditLog.list(environment.database, $0, limit: limit, after: cursor) })
            var table = TextTable("WHEN", "WHO", "ACTION", "ENTITY")
            let formatter = ISO8601DateFormatter()
            for entry in page.entries {
                table.add(formatter.string(from: entry.createdAt), entry.actorEmail ?? "system", entry.action,
                          "\(entry.entityType) \(entry.entityID ?? "")")
            }
            var text = table.text
            if let next = page.nextCursor { text += "\nmore: --after \(next.uuidString.lowercased())" }
            return (page, text)
        }
    }
}
