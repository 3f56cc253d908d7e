import Foundation
import Postgres
import Testing
@testable import Domain

/// The Domain additions behind the console's staff and audit screens: a store's roles with their
/// permissions and pricing tier, and the audit log paged by keyset and filtered by entity and user.
@Suite struct StoreRolesAndAuditBrowsingTests {
    @Test func rolesListTheSystemRolesInOrderWithPermissionsAndMembers() throws {
        try IdentityWorld.with { world in
            _ = try world.makeTenant("shop")
            let owner = try world.member(.owner, in: "shop")
            _ = try world.member(.staff, in: "shop")
            let roles = try world.users.roles(owner.context)
            #expect(roles.map(\.slug) == ["owner", "manager", "staff", "fulfilment"])
            #expect(roles.allSatisfy { $0.isSystem })
            #expect(roles[0].permissions == Permission.allNames)
            #expect(roles[3].permissions == ["deliveries.fulfil", "deliveries.read"])
            #expect(roles.map(\.memberCount) == [1, 0, 1, 0])
            #expect(roles.allSatisfy { $0.pricingTier == nil })
        }
    }

    @Test func rolesNeedUsersManage() throws {
        try IdentityWorld.with { world in
            _ = try world.makeTenant("shop")
            let manager = try world.member(.manager, in: "shop")
            #expect(throws: ForbiddenError.self) { try world.users.roles(manager.context) }
        }
    }

    @Test func theAuditLogPagesBothWaysAndFilters() throws {
        try IdentityWorld.with { world in
            _ = try world.makeTenant("shop")
            let owner = try world.member(.owner, in: "shop")
            for index in 0..<5 { _ = try world.makeUser("u\(index)@shop.test") }
            for index in 0..<5 { _ = try world.users.grant(owner.context, email: "u\(index)@shop.test", role: "staff") }
            let browsing = AuditBrowsing(database: world.database)
            let all = try browsing.page(owner.context, at: .first, limit: 500)
            #expect(all.entries.first?.action == "member.granted")
            let newest = try world.users.list(world.platform, tenantSlug: "shop").first { $0.email == "u4@shop.test" }
            #expect(all.entries.first?.entityID == newest?.id.uuidString.lowercased())

            let members = try browsing.page(owner.context, filter: AuditFilter(entityType: "member"), at: .first, limit: 2)
            #expect(members.entries.count == 2 && members.hasOlder && !members.hasNewer)
            #expect(members.entries.allSatisfy { $0.entityType == "member" })
            let next = try browsing.page(owner.context, filter: AuditFilter(entityType: "member"), at: .after(members.entries[1].id), limit: 2)
            #expect(next.entries.count == 2 && next.hasNewer)
            let back = try browsing.page(owner.context, filter: AuditFilter(entityType: "member"), at: .before(next.entries[0].id), limit: 2)
            #expect(back.entries.map(\.id) == members.entries.map(\.id))
            let again = try browsing.page(owner.context, filter: AuditFilter(entityType: "member"), at: .from(next.entries[0].id), limit: 2)
            #expect(again.entries.map(\.id) == next.entries.map(\.id) && again.hasNewer)

            let byOwner = try browsing.page(owner.context, filter: AuditFilter(actorUserID: owner.user.id), at: .first, limit: 50)
            #expect(byOwner.entries.count == 5)
            #expect(byOwner.entries.allSatisfy { $0.actorEmail == owner.email })

            let choices = try browsing.choices(owner.context)
            #expect(choices.entityTypes.contains("member") && choices.entityTypes.contains("tenant"))
            #expect(choices.actors.contains { $0.userID == owner.user.id })
        }
    }

    @Test func theAuditLogNeedsAuditRead() throws {
        try IdentityWorld.with { world in
            _ = try world.makeTenant("shop")
            let staff = try world.member(.staff, in: "shop")
            #expect(throws: ForbiddenError.self) { try AuditBrowsing(database: world.database).page(staff.context, at: .first, limit: 10) }
            #expect(throws: ForbiddenError.self) { try AuditBrowsing(database: world.database).choices(staff.context) }
        }
    }
}
