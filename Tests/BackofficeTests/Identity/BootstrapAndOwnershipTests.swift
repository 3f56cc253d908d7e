import Foundation
import Postgres
import Testing
@testable import Domain

/// Issue 3, item 11: the first super admin, and a store that never loses its last owner.
@Suite struct BootstrapAndOwnershipTests {
    @Test func onlyTheFirstSuperAdminCanBeBootstrapped() throws {
        try IdentityWorld.with { world in
            // The world bootstrapped one over the owner connection, and it signs in as a super admin.
            #expect(world.admin.isSuperAdmin)
            #expect(world.admin.email == IdentityWorld.adminEmail)
            #expect(try world.count("users", where: "is_super_admin") == 1)

            let counts = try world.rowCounts()
            let error = try #require(throws: ForbiddenError.self) {
                try UserService.bootstrapSuperAdmin(
                    ownerDatabase: world.ownerDatabase,
                    .init(email: "second@platform.test", name: "Second", password: IdentityWorld.password),
                    hasher: .fast)
            }
            #expect(error.statusCode == 403)
            #expect(try world.rowCounts() == counts)
            #expect(try world.count("users", where: "email = 'second@platform.test'") == 0)
        }
    }

    @Test func theBootstrapNeedsAPassword() throws {
        try TestDatabase.with { db in
            let owner = Database(url: try db.ownerConninfo, maxConnections: 1)
            defer { owner.close() }
            let error = try #require(throws: ValidationError.self) {
                try UserService.bootstrapSuperAdmin(ownerDatabase: owner, .init(email: "root@platform.test", name: "Root", password: nil), hasher: .fast)
            }
            #expect(error.issues.map(\.field) == ["password"])
            let check = try db.owner()
            defer { check.close() }
            #expect(try check.query("SELECT count(*)::int AS n FROM users").single().decode("n", as: Int.self) == 0)
        }
    }

    @Test func theLastOwnerCannotBeRevokedOrDemoted() throws {
        try IdentityWorld.with { world in
            let shop = try world.makeTenant("shop")
            let boss = try world.member(.owner, in: "shop", email: "boss@shop.test")

            func expectRefused(_ what: String, _ body: () throws -> Void) throws {
                let counts = try world.rowCounts()
                let content = try world.contentFingerprint()
                let error = try #require(throws: ConflictError.self, "\(what)") { try body() }
                #expect(error.statusCode == 409)
                #expect(error.field == "role")
                #expect(try world.rowCounts() == counts)
                #expect(try world.contentFingerprint() == content)
            }

            try expectRefused("platform revoke") { try world.users.revoke(world.platform, email: "boss@shop.test", tenantSlug: "shop") }
            try expectRefused("platform demote") { _ = try world.users.grant(world.platform, email: "boss@shop.test", tenantSlug: "shop", role: "manager") }
            try expectRefused("self revoke") { try world.users.revoke(boss.context, email: "boss@shop.test") }
            try expectRefused("self demote") { _ = try world.users.grant(boss.context, email: "boss@shop.test", role: "staff") }
            #expect(try world.count("tenant_users", where: "tenant_id = \(shop.id) AND role = 'owner'") == 1)

            // With a second owner, either may step down, but the one left is the last again.
            _ = try world.member(.owner, in: "shop", email: "heir@shop.test")
            _ = try world.users.grant(boss.context, email: "boss@shop.test", role: "manager")
            try expectRefused("revoke the new last owner") { try world.users.revoke(world.platform, email: "heir@shop.test", tenantSlug: "shop") }
            #expect(try world.count("tenant_users", where: "tenant_id = \(shop.id) AND role = 'owner'") == 1)
        }
    }
}

/// Issue 3, item 11 under concurrency: two owners stepping down at the same moment must not leave the
/// store without one. Both transactions are held (by a lock on `audit_log`, which each writes last)
/// until both have passed the "another owner exists" check, then released together.
@Suite struct ConcurrentOwnershipTests {
    final class Results: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [String: Result<Void, any Error>] = [:]
        func set(_ key: String, _ value: Result<Void, any Error>) { lock.withLock { values[key] = value } }
        var all: [String: Result<Void, any Error>] { lock.withLock { values } }
    }

    @Test func twoOwnersSteppingDownTogetherLeaveOneOwner() throws {
        try IdentityWorld.with { world in
            let shop = try world.makeTenant("shop")
            let first = try world.member(.owner, in: "shop", email: "first@shop.test")
            let second = try world.member(.owner, in: "shop", email: "second@shop.test")

            let blocker = try world.testDatabase.owner()
            defer { blocker.close() }
            try blocker.execute("BEGIN")
            try blocker.execute("LOCK TABLE audit_log IN SHARE MODE")

            let results = Results()
            let group = DispatchGroup()
            let users = world.users
            for member in [first, second] {
                group.enter()
                let context = member.context
                let email = member.email
                Thread.detachNewThread {
                    results.set(email, Result { _ = try users.grant(context, email: email, role: "manager") })
                    group.leave()
                }
            }
            // Wait until both are blocked on a lock (at most 10 s), then let them go.
            let deadline = Date().addingTimeInterval(10)
            while Date() < deadline {
                let waiting: Int = try world.owner.query("""
                    SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'
                    """).single().decode("n")
                if waiting >= 2 { break }
                Thread.sleep(forTimeInterval: 0.02)
            }
            try blocker.execute("COMMIT")
            #expect(group.wait(timeout: .now() + 30) == .success)

            let outcomes = results.all
            let succeeded = outcomes.values.filter { if case .success = $0 { true } else { false } }.count
            let conflicts = outcomes.values.filter { if case .failure(let error) = $0 { error is ConflictError } else { false } }.count
            #expect(succeeded == 1, "\(outcomes)")
            #expect(conflicts == 1, "\(outcomes)")
            #expect(try world.count("tenant_users", where: "tenant_id = \(shop.id) AND role = 'owner'") == 1,
                    "the store has no owner left")
        }
    }
}
