import Foundation
import Postgres
import Testing
@testable import Domain

/// Issue 3, items 7 and 8: an audit line for every change, secrets redacted, and the log's pagination.
@Suite struct AuditTrailTests {
    // MARK: - Item 7

    @Test func everyStoreChangeIsAuditedWithBeforeAndAfter() throws {
        try IdentityWorld.with { world in
            let shop = try world.makeTenant("shop", name: "Shop")
            _ = try world.tenants.update(world.platform, slug: "shop", .init(name: "Shop Two"))
            for change in [TenantService.StatusChange.suspend, .activate, .delete, .restore] {
                _ = try world.tenants.change(world.platform, slug: "shop", change)
            }
            let rows = try world.auditRows(shop.id)
            #expect(rows.map(\.action) == ["tenant.created", "tenant.updated", "tenant.suspended", "tenant.activated", "tenant.deleted", "tenant.restored"])
            #expect(rows.allSatisfy { $0.actor == world.admin.id && $0.entityType == "tenant" && $0.entityID == shop.id.uuidString.lowercased() })

            let created = rows[0]
            #expect(created.before == nil)
            #expect(created.after?["slug"] == .string("shop"))
            #expect(created.after?["name"] == .string("Shop"))

            let updated = rows[1]
            #expect(updated.before?["name"] == .string("Shop"))
            #expect(updated.after?["name"] == .string("Shop Two"))
            #expect(updated.before?["version"] == .integer(1))
            #expect(updated.after?["version"] == .integer(2))

            let transitions: [(String, String)] = [("active", "suspended"), ("suspended", "active"), ("active", "deleted"), ("deleted", "active")]
            for (row, (from, to)) in zip(rows.dropFirst(2), transitions) {
                #expect(row.before?["status"] == .string(from), "\(row.action)")
                #expect(row.after?["status"] == .string(to), "\(row.action)")
            }
        }
    }

    @Test func everyMembershipChangeIsAuditedInTheStore() throws {
        try IdentityWorld.with { world in
            let shop = try world.makeTenant("shop")
            let boss = try world.member(.owner, in: "shop", email: "boss@shop.test")
            let clerk = try world.makeUser("clerk@shop.test")
            let baseline = try world.auditRows(shop.id).count

            _ = try world.users.grant(boss.context, email: "clerk@shop.test", role: "staff")
            _ = try world.users.grant(boss.context, email: "clerk@shop.test", role: "manager")
            _ = try world.users.grant(boss.context, email: "clerk@shop.test", role: "manager") // no change, no line
            try world.users.revoke(boss.context, email: "clerk@shop.test")
            _ = try world.users.grant(world.platform, email: "clerk@shop.test", tenantSlug: "shop", role: "fulfilment")
            try world.users.revoke(world.platform, email: "clerk@shop.test", tenantSlug: "shop")

            let rows = Array(try world.auditRows(shop.id).dropFirst(baseline))
            #expect(rows.map(\.action) == ["member.granted", "member.role_changed", "member.revoked", "member.granted", "member.revoked"])
            #expect(rows.allSatisfy { $0.entityType == "member" && $0.entityID == clerk.id.uuidString.lowercased() })
            #expect(rows.map(\.actor) == [boss.user.id, boss.user.id, boss.user.id, world.admin.id, world.admin.id])

            #expect(rows[0].before == nil)
            #expect(rows[0].after == .object(["email": .string("clerk@shop.test"), "role": .string("staff")]))
            #expect(rows[1].before?["role"] == .string("staff"))
            #expect(rows[1].after?["role"] == .string("manager"))
            #expect(rows[2].before?["role"] == .string("manager"))
            #expect(rows[2].after == nil)
            #expect(rows[3].after?["role"] == .string("fulfilment"))
            #expect(rows[4].before?["role"] == .string("fulfilment"))
        }
    }

    @Test func accountChangesAreAuditedOnThePlatform() throws {
        try IdentityWorld.with { world in
            let bootstrap = try world.platformAuditRows()
            // The bootstrap (no actor: it ran over the owner connection) and the super admin's sign-in.
            #expect(bootstrap.map(\.action) == ["user.created", "session.created"])
            #expect(bootstrap[0].actor == nil)
            #expect(bootstrap[0].after?["email"] == .string(IdentityWorld.adminEmail))
            #expect(bootstrap[0].after?["isSuperAdmin"] == .bool(true))
            #expect(bootstrap[1].actor == world.admin.id)

            let user = try world.makeUser("clerk@shop.test", name: "Clerk")
            _ = try world.users.disable(world.platform, email: "clerk@shop.test")
            let rows = Array(try world.platformAuditRows().dropFirst(bootstrap.count))
            #expect(rows.map(\.action) == ["user.created", "user.disabled"])
            #expect(rows.allSatisfy { $0.actor == world.admin.id && $0.entityType == "user" && $0.entityID == user.id.uuidString.lowercased() })
            #expect(rows[0].before == nil)
            #expect(rows[0].after?["email"] == .string("clerk@shop.test"))
            #expect(rows[0].after?["name"] == .string("Clerk"))
            #expect(rows[0].after?["disabled"] == .bool(false))
            #expect(rows[1].before?["disabled"] == .bool(false))
            #expect(rows[1].after?["disabled"] == .bool(true))
            // No password hash ever reaches the log.
            #expect(try world.count("platform_audit_log", where: "position('argon2' IN platform_audit_log::text) > 0") == 0)
        }
    }

    @Test func secretsInSettingsAreRedacted() throws {
        try IdentityWorld.with { world in
            let shop = try world.makeTenant("shop")
            let settings = #"{"password":"hunter2hunter2","apiToken":"tok-123456","theme":"dark","gateway":{"client_secret":"s3cr3t-value","mode":"live"},"hooks":[{"webhookToken":"wh-987654"}]}"#
            _ = try world.tenants.update(world.platform, slug: "shop", .init(settings: settings))
            _ = try world.tenants.update(world.platform, slug: "shop", .init(name: "Renamed"))

            // The store keeps its settings; the log keeps none of the secrets.
            let stored = try world.tenants.show(world.platform, slug: "shop").settings
            #expect(stored["password"] == .string("hunter2hunter2"))

            let updates = try world.auditRows(shop.id).filter { $0.action == "tenant.updated" }
            #expect(updates.count == 2)
            let logged = try #require(updates[0].after?["settings"])
            #expect(logged["password"] == .string("[redacted]"))
            #expect(logged["apiToken"] == .string("[redacted]"))
            #expect(logged["theme"] == .string("dark"))
            #expect(logged["gateway"]?["client_secret"] == .string("[redacted]"))
            #expect(logged["gateway"]?["mode"] == .string("live"))
            #expect(updates[1].before?["settings"]?["password"] == .string("[redacted]"))
            #expect(updates[1].after?["settings"]?["apiToken"] == .string("[redacted]"))
            for secret in ["hunter2hunter2", "tok-123456", "s3cr3t-value", "wh-987654"] {
                #expect(try world.count("audit_log", where: "position(\(secret) IN audit_log::text) > 0") == 0, "\(secret) is in the log")
            }
        }
    }

    // MARK: - Item 8

    @Test func theLogPagesNewestFirstWithoutGapsOrDuplicates() throws {
        try IdentityWorld.with { world in
            let shop = try world.makeTenant("shop")
            let boss = try world.member(.owner, in: "shop")
            for n in 1...12 {
                _ = try world.tenants.update(world.platform, slug: "shop", .init(name: "Shop \(n)"))
            }
            // Seven lines with one timestamp: the id breaks the tie.
            try world.owner.execute("""
                INSERT INTO audit_log (tenant_id, created_at, action, entity_type)
                SELECT \(shop.id), now(), 'test.tied', 'test' FROM generate_series(1, 7)
                """)
            let expected: [UUID] = try world.owner.query("""
                SELECT id FROM audit_log WHERE tenant_id = \(shop.id) ORDER BY created_at DESC, id DESC
                """).map { try $0.decode("id") }
            #expect(expected.count == 21) // created, granted, 12 updates, 7 tied

            for limit in [1, 5, 7, 20, 21, 500] {
                var seen: [UUID] = []
                var cursor: UUID?
                var pages = 0
                repeat {
                    let page = try AuditLog.list(world.database, boss.context, limit: limit, after: cursor)
                    pages += 1
                    #expect(page.entries.count <= limit)
                    if page.nextCursor != nil {
                        #expect(page.entries.count == limit)
                        #expect(page.nextCursor == page.entries.last?.id)
                    }
                    seen += page.entries.map(\.id)
                    cursor = page.nextCursor
                } while cursor != nil && pages < 100
                #expect(seen == expected, "limit \(limit)")
                #expect(pages == (expected.count + limit - 1) / limit, "limit \(limit)")
            }
            // Newest first: the timestamps never go up.
            let all = try AuditLog.list(world.database, boss.context, limit: 500).entries
            #expect(zip(all, all.dropFirst()).allSatisfy { $0.createdAt >= $1.createdAt })
            #expect(all.first?.action == "test.tied")
            #expect(all.last?.action == "tenant.created")
        }
    }

    @Test(arguments: [0, -1, 501, 10_000])
    func aLimitOutOfRangeIsA400NamingLimit(limit: Int) throws {
        try IdentityWorld.with { world in
            try world.makeTenant("shop")
            let boss = try world.member(.owner, in: "shop")
            let error = try #require(throws: ValidationError.self) { try AuditLog.list(world.database, boss.context, limit: limit) }
            #expect(error.statusCode == 400)
            #expect(error.issues.map(\.field) == ["limit"])
            let platform = try #require(throws: ValidationError.self) {
                try world.tenants.audit(world.platform, slug: "shop", limit: limit)
            }
            #expect(platform.issues.map(\.field) == ["limit"])
        }
    }
}
