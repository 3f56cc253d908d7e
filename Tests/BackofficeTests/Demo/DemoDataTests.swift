import Foundation
import Postgres
import Testing
@testable import Domain

/// `backoffice demo`: loads two stores with staff, products, keys and orders in every resting status on
/// an empty platform, and running it again changes nothing.
@Suite struct DemoDataTests {
    static let tables = ["tenants", "users", "tenant_users", "product_types", "products", "product_variants", "license_keys",
                         "orders", "payments", "deliveries", "audit_log"]

    func counts(_ owner: Connection) throws -> [String: Int] {
        var result: [String: Int] = [:]
        for table in DemoDataTests.tables {
            result[table] = try owner.query("SELECT count(*)::int AS n FROM \(ident: table)").single().decode("n")
        }
        return result
    }

    @Test func loadsOnceAndIsIdempotent() throws {
        try TestDatabase.with { db in
            let database = try db.database()
            defer { database.close() }
            let ownerDatabase = Database(url: try db.ownerConninfo, maxConnections: 1)
            defer { ownerDatabase.close() }
            let owner = try db.owner()
            defer { owner.close() }
            let demo = DemoData(database: database, box: SecretBox(keyring: try MasterKeyring.generate()), hasher: .fast)

            let first = try demo.load(platform: nil, ownerDatabase: ownerDatabase)
            #expect(first.accounts.count == 1 + 2 * SystemRole.allCases.count)
            #expect(!first.created.isEmpty)
            let loaded = try counts(owner)
            #expect(loaded["tenants"] == 2)
            let statuses = Set(try owner.query("SELECT DISTINCT status FROM orders").map { try $0.decode("status", as: String.self) })
            #expect(statuses == ["pending_payment", "fulfilling", "fulfilled", "cancelled", "refunded"])
            // The one-key pool: one order got the key, the other unit waits in the queue with the reason.
            let reasons = try owner.query("SELECT delivery_data ->> 'reason' AS r FROM deliveries WHERE status = 'pending'")
                .compactMap { try $0.decode("r", as: String?.self) }
            #expect(reasons.contains { $0.contains("key pool") })

            // Every demo account signs in and enters its store.
            let authenticator = Authenticator(database: database, hasher: .fast)
            for account in first.accounts {
                let user = try authenticator.authenticate(token: try authenticator.signIn(email: account.email, password: DemoData.password).token)
                if let store = account.store {
                    #expect(try authenticator.enter(store, user: user).role == account.role)
                }
            }

            let second = try demo.load(platform: nil, ownerDatabase: ownerDatabase)
            #expect(second.created.isEmpty)
            var after = try counts(owner)
            // Entering a store as the super admin is audited; nothing else may change.
            after["audit_log"] = loaded["audit_log"]
            #expect(after == loaded)
        }
    }
}
