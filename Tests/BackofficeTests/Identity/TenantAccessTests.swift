import Foundation
import Postgres
import Testing
@testable import Domain

/// Issue 3, items 5, 6, 10 and 12: entering stores by status and membership, resolution, the audited
/// super-admin entry, and optimistic concurrency on store updates.
@Suite struct TenantAccessTests {
    /// `enter`'s refusal, with the slug taken out, so refusals for different slugs can be compared.
    func pattern(_ error: ForbiddenError, slug: String) -> String {
        error.message.replacingOccurrences(of: "'\(slug)'", with: "'<slug>'")
    }

    func denied(_ world: IdentityWorld, _ slug: String, _ user: AuthenticatedUser) throws -> ForbiddenError {
        try #require(throws: ForbiddenError.self, "\(user.email) entered \(slug)") { try world.authenticator.enter(slug, user: user) }
    }

    // MARK: - Item 5

    @Test func suspendedAndDeletedStoresKeepMembersOutAndOnlyTheSuperAdminEntersASuspendedOne() throws {
        try IdentityWorld.with { world in
            try world.makeTenant("shop")
            let clerk = try world.member(.staff, in: "shop")
            let nowhere = pattern(try denied(world, "no-such-store", clerk.authenticated), slug: "no-such-store")
            #expect(nowhere == "store '<slug>' not found or not permitted")

            // Suspended: members out, the super admin in.
            _ = try world.tenants.change(world.platform, slug: "shop", .suspend)
            let suspended = try denied(world, "shop", clerk.authenticated)
            #expect(suspended.statusCode == 403)
            #expect(suspended.message == IdentityWorld.deniedMessage("shop"))
            #expect(pattern(suspended, slug: "shop") == nowhere)
            let adminInside = try world.authenticator.enter("shop", user: world.admin)
            #expect(adminInside.isSuperAdminEntry)
            #expect(adminInside.tenantSlug == "shop")

            // Activated again: the member is back.
            _ = try world.tenants.change(world.platform, slug: "shop", .activate)
            #expect(try world.authenticator.enter("shop", user: clerk.authenticated).role == "staff")

            // Deleted: nobody enters, with the same message as a store that does not exist.
            let deleted = try world.tenants.change(world.platform, slug: "shop", .delete)
            #expect(deleted.status == .deleted)
            #expect(deleted.deletedAt != nil)
            #expect(pattern(try denied(world, "shop", clerk.authenticated), slug: "shop") == nowhere)
            let adminRefused = try denied(world, "shop", world.admin)
            #expect(adminRefused.statusCode == 403)
            #expect(pattern(adminRefused, slug: "shop") == nowhere)
            #expect(pattern(try denied(world, "no-such-store", world.admin), slug: "no-such-store") == nowhere)

            // Restored: everyone is back.
            let restored = try world.tenants.change(world.platform, slug: "shop", .restore)
            #expect(restored.status == .active)
            #expect(restored.deletedAt == nil)
            #expect(try world.authenticator.enter("shop", user: clerk.authenticated).tenantID == restored.id)
            #expect(try world.authenticator.enter("shop", user: world.admin).tenantID == restored.id)
        }
    }

    @Test func statusChangesThatMakeNoSenseAreConflicts() throws {
        try IdentityWorld.with { world in
            try world.makeTenant("shop")
            let senseless: [(Tenant.Status, TenantService.StatusChange)] = [
                (.active, .activate), (.active, .restore),
                (.suspended, .suspend), (.suspended, .restore),
                (.deleted, .delete), (.deleted, .suspend), (.deleted, .activate),
            ]
            for (status, change) in senseless {
                // Bring the store to `status` first.
                let current = try world.tenants.show(world.platform, slug: "shop").status
                if current != status {
                    if current == .deleted { _ = try world.tenants.change(world.platform, slug: "shop", .restore) }
                    switch status {
                    case .active: break
                    case .suspended: _ = try world.tenants.change(world.platform, slug: "shop", .suspend)
                    case .deleted: _ = try world.tenants.change(world.platform, slug: "shop", .delete)
                    }
                }
                let before = try world.tenants.show(world.platform, slug: "shop")
                #expect(before.status == status)
                let counts = try world.rowCounts()
                let error = try #require(throws: ConflictError.self, "\(change) on a \(status) store") {
                    try world.tenants.change(world.platform, slug: "shop", change)
                }
                #expect(error.statusCode == 409)
                #expect(error.field == "status")
                #expect(try world.tenants.show(world.platform, slug: "shop") == before)
                #expect(try world.rowCounts() == counts)
            }
        }
    }

    @Test func resolveFindsOnlyActiveStoresBySlugOrDomain() throws {
        try IdentityWorld.with { world in
            let shop = try world.makeTenant("shop", domain: "shop.example.com")
            try world.makeTenant("other", domain: "other.example.com")
            #expect(try world.tenants.resolve("shop").id == shop.id)
            #expect(try world.tenants.resolve("shop.example.com").id == shop.id)
            #expect(try world.tenants.resolve(" Shop.Example.COM ").id == shop.id)
            #expect(throws: NotFoundError.self) { try world.tenants.resolve("nope") }
            #expect(throws: NotFoundError.self) { try world.tenants.resolve("nope.example.com") }

            for change in [TenantService.StatusChange.suspend, .delete] {
                _ = try world.tenants.change(world.platform, slug: "shop", change)
                for key in ["shop", "shop.example.com"] {
                    let error = try #require(throws: NotFoundError.self, "\(key) resolved while \(change)") { try world.tenants.resolve(key) }
                    #expect(error.statusCode == 404)
                }
                #expect(try world.tenants.resolve("other.example.com").slug == "other")
            }
            _ = try world.tenants.change(world.platform, slug: "shop", .restore)
            #expect(try world.tenants.resolve("shop.example.com").id == shop.id)
        }
    }

    // MARK: - Item 6

    @Test func aSuperAdminsEntryIsAudited() throws {
        try IdentityWorld.with { world in
            let shop = try world.makeTenant("shop")
            let other = try world.makeTenant("other")
            let context = try world.authenticator.enter("shop", user: world.admin)
            #expect(context.tenantID == shop.id)
            #expect(context.role == "super-admin")
            #expect(context.permissions == Set(Permission.allNames))

            let entries = try world.auditRows(shop.id).filter { $0.action == "tenant.entered" }
            #expect(entries.count == 1)
            let entry = try #require(entries.first)
            #expect(entry.actor == world.admin.id)
            #expect(entry.entityType == "tenant")
            #expect(entry.entityID == shop.id.uuidString.lowercased())
            #expect(entry.after?["superAdmin"] == .bool(true))
            #expect(entry.after?["email"] == .string(IdentityWorld.adminEmail))
            #expect(try world.auditRows(other.id).allSatisfy { $0.action != "tenant.entered" })

            // The entry reads back through the store's own log too.
            let page = try AuditLog.list(world.database, context)
            #expect(page.entries.first?.action == "tenant.entered")
            #expect(page.entries.first?.actorEmail == IdentityWorld.adminEmail)

            // A member's entry is not audited.
            let clerk = try world.member(.staff, in: "shop")
            _ = try world.authenticator.enter("shop", user: clerk.authenticated)
            #expect(try world.auditRows(shop.id).filter { $0.action == "tenant.entered" }.count == 1)
        }
    }

    // MARK: - Item 10

    @Test func aNonMemberIsRefusedLikeAStoreThatDoesNotExist() throws {
        try IdentityWorld.with { world in
            try world.makeTenant("store-a")
            try world.makeTenant("store-b")
            let clerk = try world.member(.staff, in: "store-a")
            let intoB = try denied(world, "store-b", clerk.authenticated)
            let intoNothing = try denied(world, "store-c", clerk.authenticated)
            #expect(intoB.statusCode == 403)
            #expect(intoB.message == IdentityWorld.deniedMessage("store-b"))
            #expect(pattern(intoB, slug: "store-b") == pattern(intoNothing, slug: "store-c"))
            // An owner of A is no better off in B.
            let boss = try world.member(.owner, in: "store-a")
            #expect(pattern(try denied(world, "store-b", boss.authenticated), slug: "store-b") == pattern(intoNothing, slug: "store-c"))
        }
    }

    @Test func membershipsShowWhatEachUserMayEnter() throws {
        try IdentityWorld.with { world in
            try world.makeTenant("alpha", name: "Alpha")
            try world.makeTenant("bravo", name: "Bravo")
            try world.makeTenant("charlie", name: "Charlie")
            try world.makeTenant("delta", name: "Delta")

            // No memberships: nothing.
            try world.makeUser("loner@test.test")
            let loner = try world.authenticator.authenticate(
                token: world.authenticator.signIn(email: "loner@test.test", password: IdentityWorld.password).token)
            #expect(try world.authenticator.memberships(of: loner).isEmpty)

            // A member of alpha (owner), bravo (staff) and charlie (fulfilment); charlie suspended, delta deleted.
            let member = try world.member(.owner, in: "alpha", email: "many@test.test")
            _ = try world.users.grant(world.platform, email: "many@test.test", tenantSlug: "bravo", role: "staff")
            _ = try world.users.grant(world.platform, email: "many@test.test", tenantSlug: "charlie", role: "fulfilment")
            _ = try world.tenants.change(world.platform, slug: "charlie", .suspend)
            _ = try world.tenants.change(world.platform, slug: "delta", .delete)

            let mine = try world.authenticator.memberships(of: member.authenticated)
            #expect(mine.map(\.slug) == ["alpha", "bravo"])
            #expect(mine.map(\.role) == ["owner", "staff"])
            #expect(mine.allSatisfy { $0.status == .active })

            // The super admin: every store that is not deleted, suspended ones included.
            let all = try world.authenticator.memberships(of: world.admin)
            #expect(all.map(\.slug) == ["alpha", "bravo", "charlie"])
            #expect(all.first { $0.slug == "charlie" }?.status == .suspended)
            #expect(all.allSatisfy { $0.role == "super-admin" })
        }
    }

    // MARK: - Item 12

    @Test func aStaleVersionIsAConflictAndChangesNothing() throws {
        try IdentityWorld.with { world in
            let created = try world.makeTenant("shop", name: "First")
            #expect(created.version == 1)
            let updated = try world.tenants.update(world.platform, slug: "shop", .init(name: "Second", expectedVersion: 1))
            #expect(updated.version == 2)
            #expect(updated.name == "Second")

            let counts = try world.rowCounts()
            let error = try #require(throws: ConflictError.self) {
                try world.tenants.update(world.platform, slug: "shop", .init(name: "Third", plan: "pro", expectedVersion: 1))
            }
            #expect(error.statusCode == 409)
            #expect(error.field == "version")
            let now = try world.tenants.show(world.platform, slug: "shop")
            #expect(now == updated)
            #expect(try world.rowCounts() == counts)

            // With the current version it goes through.
            let third = try world.tenants.update(world.platform, slug: "shop", .init(name: "Third", expectedVersion: 2))
            #expect(third.version == 3)
        }
    }
}
