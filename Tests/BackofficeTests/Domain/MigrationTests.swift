import Foundation
import Postgres
import Testing
@testable import Domain

@Suite struct MigrationTests {
    @Test func bundledMigrationsAreNumberedInOrder() throws {
        let migrations = try Migration.bundled()
        #expect(migrations.count >= 5)
        #expect(migrations.map(\.version) == Array(1...migrations.count))
    }

    @Test func migratingAnUpToDateDatabaseDoesNothing() throws {
        try TestDatabase.with { db in
            let owner = try db.owner()
            let applied = try Migrator(migrations: Migration.bundled()).migrate(owner)
            #expect(applied.isEmpty)
            let state = try Migrator(migrations: Migration.bundled()).state(owner)
            #expect(state.applied == Array(1...(try Migration.bundled().count)))
            #expect(state.pending.isEmpty)
        }
    }

    @Test func anEditedAppliedMigrationIsRefused() throws {
        try TestDatabase.with { db in
            var migrations = try Migration.bundled()
            let edited = migrations[1]
            migrations[1] = Migration(version: edited.version, name: edited.name, sql: edited.sql + "\n-- edited\n")
            let error = #expect(throws: ConflictError.self) {
                try Migrator(migrations: migrations).migrate(try db.owner())
            }
            #expect(error?.message.contains(edited.name) == true)
            #expect(error?.message.contains("edited") == true)
        }
    }

    @Test func aDatabaseNewerThanTheBuildIsRefused() throws {
        try TestDatabase.with { db in
            let all = try Migration.bundled()
            let error = #expect(throws: ConflictError.self) {
                try Migrator(migrations: Array(all.dropLast())).migrate(try db.owner())
            }
            #expect(error?.message.contains(all.last!.name) == true)
        }
    }

    @Test func aFailingMigrationLeavesNothingBehind() throws {
        try TestDatabase.with { db in
            let owner = try db.owner()
            var migrations = try Migration.bundled()
            let next = migrations.count + 1
            migrations.append(Migration(version: next, name: "\(next)_broken.sql", sql: "CREATE TABLE half_done (id int); SELECT no_such_function();"))
            #expect(throws: InternalError.self) { try Migrator(migrations: migrations).migrate(owner) }
            let exists: Bool = try owner.query("SELECT to_regclass('half_done') IS NOT NULL AS e").single().decode("e")
            #expect(!exists)
            #expect(try Migrator(migrations: migrations).state(owner).pending.map(\.version) == [next])
        }
    }

    @Test func concurrentMigratorsApplyEachMigrationOnce() throws {
        let server = try TestServer.get()
        let name = "bo_fresh_\(UUID().uuidString.prefix(8).lowercased())"
        let admin = try Connection.connect(server.ownerConninfo)
        defer {
            _ = try? admin.execute("DROP DATABASE IF EXISTS \(ident: name) WITH (FORCE)")
            admin.close()
        }
        try admin.execute("CREATE DATABASE \(ident: name)")
        let conninfo = try ConnectionString.replacing(server.ownerConninfo, ["dbname": name])
        let migrations = try Migration.bundled()
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: 3) { _ in
            do {
                let connection = try Connection.connect(conninfo)
                defer { connection.close() }
                results.add(try Migrator(migrations: migrations).migrate(connection).count)
            } catch {
                results.fail("\(error)")
            }
        }
        #expect(results.failures.isEmpty)
        #expect(results.counts.reduce(0, +) == migrations.count)
    }
}

/// Collects results from concurrent workers.
final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var counts: [Int] = []
    private(set) var failures: [String] = []
    func add(_ count: Int) { lock.lock(); counts.append(count); lock.unlock() }
    func fail(_ message: String) { lock.lock(); failures.append(message); lock.unlock() }
}
