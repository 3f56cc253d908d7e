import ArgumentParser
import Domain
import Foundation
import Postgres

/// `backoffice keys …`: license-key pools of variants with inventory `keys`.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Import, count and list license keys (sealed at rest; revealing needs keys.reveal and is audited).",
        subcommands: [Import.self, Count.self, List.self])

    static func describe(_ counts: LicenseKeyService.KeyCounts) -> String {
        "available \(counts.available), reserved \(counts.reserved), delivered \(counts.delivered), revoked \(counts.revoked)"
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import keys from a file: one per line, or CSV with a key column.")
        @Option(help: "The variant's sku.") var sku: String
        @Argument(help: "The file of keys.") var file: String
        @OptionGroup var options: StoreOptions

        func run() throws {
            try options.output.run {
                let text = try JSONOption.file(file)
                let environment = try CommandEnvironment.open()
                let report = try environment.licenseKeys().importKeys(try environment.enter(options.tenant), sku: sku, text: text)
                var lines = ["imported \(report.imported) key\(report.imported == 1 ? "" : "s") into \(report.sku)"]
                if !report.duplicateLinesInFile.isEmpty {
                    lines.append("skipped \(report.duplicateLinesInFile.count) repeated in the file (lines \(KeysCommand.lineList(report.duplicateLinesInFile)))")
                }
                if !report.alreadyInPool.isEmpty {
                    lines.append("skipped \(report.alreadyInPool.count) already in the pool (lines \(KeysCommand.lineList(report.alreadyInPool)))")
                }
                lines.append("pool: " + KeysCommand.describe(report.counts))
                return (report, lines.joined(separator: "\n"))
            }
        }
    }

    static func lineList(_ lines: [Int]) -> String {
        let shown = lines.prefix(20).map(String.init).joined(separator: ", ")
        return lines.count > 20 ? shown + ", …" : shown
    }

    struct Count: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Count a variant's keys by status.")
        @Option(help: "The variant's sku.") var sku: String
        @OptionGroup var options: StoreOptions

        func run() throws {
            try options.output.run {
                let environment = try CommandEnvironment.open()
                let counts = try environment.licenseKeys().count(try environment.enter(options.tenant), sku: sku)
                return (counts, "\(sku): " + KeysCommand.describe(counts))
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a variant's keys, redacted unless --reveal.")
        @Option(help: "The variant's sku.") var sku: String
        @Option(help: "available, reserved, delivered or revoked.") var status: String?
        @Option(help: "How many (1–1000).") var limit: Int = 50
        @Flag(help: "Show the keys in full (needs keys.reveal; audited).") var reveal = false
        @OptionGroup var options: StoreOptions

        func run() throws {
            try options.output.run {
                let environment = try CommandEnvironment.open()
                let keys = try environment.licenseKeys().list(try environment.enter(options.tenant), sku: sku, status: status, limit: limit, reveal: reveal)
                var table = TextTable("ID", "STATUS", "KEY")
                for key in keys { table.add(key.id, key.status, key.key) }
                return (keys, table.text)
            }
        }
    }
}
