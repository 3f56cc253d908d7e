import Foundation
import Postgres
@testable import Domain

/// A database of one's own for one test, cloned from the migrated template, dropped by `drop()` (or with
/// the throwaway cluster). Tests stay parallel-safe because none shares a database.
struct TestDatabase {
    let name: String
    let server: TestServer

    static func create() throws -> TestDatabase {
        let server = try TestServer.get()
        let name = "bo_test_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased())"
        let admin = try Connection.connect(server.ownerConninfo)
        defer { admin.close() }
        try admin.execute("CREATE DATABASE \(ident: name) TEMPLATE \(ident: server.templateName)")
        return TestDatabase(name: name, server: server)
    }

    /// Runs `body` with a fresh database, dropping it afterwards.
    static func with<T>(_ body: (TestDatabase) throws -> T) throws -> T {
        let database = try create()
        defer { database.drop() }
        return try body(database)
    }

    var ownerConninfo: String {
        get throws { try ConnectionString.replacing(server.ownerConninfo, ["dbname": name]) }
    }

    var appConninfo: String {
        get throws { try ConnectionString.replacing(server.ownerConninfo, ["dbname": name, "user": DatabaseRoles.app, "password": ""]) }
    }

    func owner() throws -> Connection { try Connection.connect(try ownerConninfo) }
    func app() throws -> Connection { try Connection.connect(try appConninfo) }

    /// A Domain `Database` over the app role.
    func database() throws -> Database { Database(url: try appConninfo) }

    /// Inserts a tenant (as owner) and returns its id.
    func makeTenant(slug: String? = nil) throws -> UUID {
        let owner = try owner()
        defer { owner.close() }
        let slug = slug ?? "t-\(UUID().uuidString.prefix(8).lowercased())"
        return try owner.query("INSERT INTO tenants (slug, name) VALUES (\(slug), \(slug)) RETURNING id").single().decode("id")
    }

    /// A context for a tenant, as authentication would produce it.
    func context(tenant: UUID, slug: String = "test", permissions: Set<String> = []) -> TenantContext {
        TenantContext(tenantID: tenant, tenantSlug: slug, userID: UUID(), role: "owner", permissions: permissions)
    }

    func drop() {
        guard let admin = try? Connection.connect(server.ownerConninfo) else { return }
        defer { admin.close() }
        _ = try? admin.execute("DROP DATABASE IF EXISTS \(ident: name) WITH (FORCE)")
    }
}
