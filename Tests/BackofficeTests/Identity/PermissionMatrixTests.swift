import Foundation
import Postgres
import Testing
@testable import Domain

/// Issue 3, item 1: who may do what, for every seeded role and every permission-guarded operation.
@Suite struct PermissionMatrixTests {
    /// The permission-guarded operations that exist now and the permission each needs.
    enum Operation: String, CaseIterable {
        case auditList, membersList, grant, revoke

        var permission: Permission {
            switch self {
            case .auditList: .auditRead
            case .membersList, .grant, .revoke: .usersManage
            }
        }
    }

    @Test(arguments: SystemRole.allCases)
    func eachOperationSucceedsIffTheRoleHoldsItsPermission(role: SystemRole) throws {
        try IdentityWorld.with { world in
            let tenant = try world.makeTenant("shop")
            _ = try world.member(.owner, in: "shop", email: "boss@shop.test")
            let actor = try world.member(role, in: "shop", email: "actor@shop.test")
            #expect(actor.context.role == role.rawValue)
            #expect(actor.context.permissions == Set(role.permissions.map(\.rawValue)))
            #expect(!actor.context.isSuperAdminEntry)

            for operation in Operation.allCases {
                // Fresh targets per operation: one to grant a role to, one member to revoke.
                let newcomer = "new-\(operation.rawValue)@shop.test"
                try world.makeUser(newcomer)
                let leaver = try world.member(.staff, in: "shop", email: "leave-\(operation.rawValue)@shop.test")
                let allowed = role.permissions.contains(operation.permission)
                let before = try world.contentFingerprint()
                let counts = try world.rowCounts()

                func run() throws {
                    switch operation {
                    case .auditList:
                        let page = try AuditLog.list(world.database, actor.context, limit: 500)
                        #expect(page.entries.contains { $0.action == "tenant.created" })
                    case .membersList:
                        let members = try world.users.list(actor.context)
                        #expect(members.contains { $0.email == actor.email && $0.role == role.rawValue })
                        #expect(members.contains { $0.email == leaver.email })
                    case .grant:
                        let granted = try world.users.grant(actor.context, email: newcomer, role: "fulfilment")
                        #expect(granted.role == "fulfilment")
                    case .revoke:
                        try world.users.revoke(actor.context, email: leaver.email)
                    }
                }

                if allowed {
                    try run()
                    switch operation {
                    case .grant:
                        #expect(try world.count("tenant_users", where: "tenant_id = \(tenant.id) AND role = 'fulfilment'") == 1)
                    case .revoke:
                        #expect(try world.count("tenant_users", where: "tenant_id = \(tenant.id) AND user_id = \(leaver.user.id)") == 0)
                    case .auditList, .membersList:
                        #expect(try world.contentFingerprint() == before)
                    }
                } else {
                    let error = try #require(throws: ForbiddenError.self, "\(role) \(operation)") { try run() }
                    #expect(error.statusCode == 403)
                    #expect(error.message.contains(operation.permission.rawValue))
                    #expect(try world.contentFingerprint() == before, "\(role) \(operation) changed something")
                    #expect(try world.rowCounts() == counts)
                }
            }
        }
    }

    @Test func everyNewStoreIsSeededWithTheSystemRoles() throws {
        try IdentityWorld.with { world in
            let stores = try ["north", "south", "east"].map { try world.makeTenant($0) }
            for store in stores {
                let rows = try world.owner.query("""
                    SELECT slug, name, permissions, is_system FROM user_roles WHERE tenant_id = \(store.id) ORDER BY slug
                    """)
                #expect(rows.map { (try? $0.decode("slug", as: String.self)) ?? "?" } == SystemRole.allCases.map(\.rawValue).sorted())
                for row in rows {
                    let slug: String = try row.decode("slug")
                    let role = try #require(SystemRole(rawValue: slug))
                    let permissions = Authenticator.strings(try row.decode("permissions"))
                    #expect(Set(permissions) == Set(role.permissions.map(\.rawValue)), "\(store.slug)/\(slug)")
                    #expect(permissions.count == role.permissions.count, "no duplicates in \(store.slug)/\(slug)")
                    #expect(try row.decode("name", as: String.self) == role.name)
                    #expect(try row.decode("is_system", as: Bool.self))
                }
            }
        }
    }

    @Test func fulfilmentHoldsExactlyReadAndFulfilDeliveries() throws {
        #expect(SystemRole.fulfilment.permissions == [.deliveriesRead, .deliveriesFulfil])
        try IdentityWorld.with { world in
            let store = try world.makeTenant("shop")
            let stored = try world.owner.query("""
                SELECT permissions FROM user_roles WHERE tenant_id = \(store.id) AND slug = 'fulfilment'
                """).single()
            #expect(Set(Authenticator.strings(try stored.decode("permissions"))) == ["deliveries.read", "deliveries.fulfil"])
            let clerk = try world.member(.fulfilment, in: "shop")
            #expect(clerk.context.permissions == ["deliveries.read", "deliveries.fulfil"])
        }
    }
}
