import Foundation
import Testing
@testable import Console
@testable import Domain

@Suite(.serialized) struct StaffScreenTests {
    @Test(arguments: [Size(width: 80, height: 24), Size(width: 120, height: 40)])
    func snapshot(size: Size) throws {
        try ShellWorld.withDemo(size: size) { world in
            world.signIn("owner@demo-games.test")
            let store = try #require(world.shell.session?.store?.context)
            AdminWorld.open(world, StaffScreen(store: store))
            #expect(world.topTitle == "Staff")
            world.runner.advance(by: 10)  // the sign-in notice fades
            GoldenFile.check(world.runner.frame(), "staff")
        }
    }

    @Test(arguments: [Size(width: 80, height: 24), Size(width: 120, height: 40)])
    func rolesSnapshot(size: Size) throws {
        try ShellWorld.withDemo(size: size) { world in
            world.signIn("owner@demo-games.test")
            let store = try #require(world.shell.session?.store?.context)
            AdminWorld.open(world, StaffScreen(store: store))
            world.send(.character("R"))
            #expect(world.topTitle == "Roles")
            world.send(.down)
            world.runner.advance(by: 10)
            GoldenFile.check(world.runner.frame(), "staff-roles")
        }
    }

    @Test func anOwnerGrantsAndRevokesAMemberAndTheAuditLogShowsIt() throws {
        try ShellWorld.withDemo { world in
            world.signIn("owner@demo-games.test")
            let store = try #require(world.shell.session?.store?.context)
            AdminWorld.open(world, StaffScreen(store: store))
            let before = try #require(AdminWorld.top(world, StaffScreen.self)?.members?.count)
            // The manager of demo-software gets the fulfilment role here.
            world.send(.character("i"))
            #expect(world.topTitle == "Invite")
            world.type("manager@demo-software.test")
            world.send(.tab, .enter)  // open the role list
            world.send(.end, .enter)  // the last role: fulfilment
            world.send(.control("s"))
            #expect(world.topTitle == "Staff")
            var staff = try #require(AdminWorld.top(world, StaffScreen.self))
            #expect(staff.members?.count == before + 1)
            #expect(staff.members?.first { $0.email == "manager@demo-software.test" }?.role == "fulfilment")
            // Change the role with Enter.
            try AdminWorld.selectMember(world, "manager@demo-software.test")
            world.send(.enter)
            world.send(.enter)  // open the list
            world.send(.home, .down, .down, .enter)  // staff
            world.send(.control("s"))
            staff = try #require(AdminWorld.top(world, StaffScreen.self))
            #expect(staff.members?.first { $0.email == "manager@demo-software.test" }?.role == "staff")
            // Revoke, after the confirmation.
            try AdminWorld.selectMember(world, "manager@demo-software.test")
            world.send(.character("x"))
            #expect(world.text.contains("Revoke manager@demo-software.test?"))
            world.send(.character("y"))
            staff = try #require(AdminWorld.top(world, StaffScreen.self))
            #expect(staff.members?.count == before)
            #expect(try world.services.users.list(store).contains { $0.email == "manager@demo-software.test" } == false)

            // The audit log shows the three changes, newest first, and filters by entity.
            world.runner.mutate { $0.push(AnyScreen(AuditLogScreen(store: store))) }
            let audit = try #require(AdminWorld.top(world, AuditLogScreen.self))
            let actions = audit.table.rows.prefix(3).map { $0.cells[2] }
            #expect(actions == ["member.revoked", "member.role_changed", "member.granted"])
            #expect(world.text.contains("member.revoked"))
            world.send(.character("e"))  // the entity type list
            #expect(AdminWorld.top(world, AuditLogScreen.self)?.picker != nil)
            let types = try #require(AdminWorld.top(world, AuditLogScreen.self)?.choices?.entityTypes)
            let memberIndex = try #require(types.firstIndex(of: "member"))
            world.send(.home)
            for _ in 0...memberIndex { world.send(.down) }  // row 0 is "every entity"
            world.send(.enter)
            let filtered = try #require(AdminWorld.top(world, AuditLogScreen.self))
            #expect(filtered.filter.entityType == "member")
            #expect(filtered.table.rows.prefix(3).map { $0.cells[2] } == ["member.revoked", "member.role_changed", "member.granted"])
            #expect(filtered.table.rows.allSatisfy { $0.cells[3].hasPrefix("member") })
            // Enter shows the entry's before and after.
            world.send(.home, .enter)
            #expect(world.topTitle?.hasPrefix("Audit") == true)
            #expect(world.text.contains("before"))
            #expect(world.text.contains("fulfilment") || world.text.contains("staff"))
        }
    }

    @Test func theLastOwnerCannotBeRevokedAndTheDomainsMessageIsShown() throws {
        try ShellWorld.withDemo { world in
            world.signIn("owner@demo-games.test")
            let store = try #require(world.shell.session?.store?.context)
            AdminWorld.open(world, StaffScreen(store: store))
            try AdminWorld.selectMember(world, "owner@demo-games.test")
            world.send(.character("x"))
            world.send(.character("y"))
            let staff = try #require(AdminWorld.top(world, StaffScreen.self))
            #expect(staff.failure == "this is the store's last owner: make someone else owner first")
            #expect(world.text.contains("last owner"))
            #expect(try world.services.users.list(store).contains { $0.email == "owner@demo-games.test" })
            // Demoting the last owner is refused the same way.
            world.send(.enter)
            world.send(.enter, .home, .down, .enter)  // manager
            world.send(.control("s"))
            #expect(world.topTitle?.hasPrefix("Role of") == true)
            #expect(world.text.contains("last owner"))
        }
    }

    @Test func ownersCannotCreateOrDisableAccounts() throws {
        try ShellWorld.withDemo { world in
            world.signIn("owner@demo-games.test")
            let store = try #require(world.shell.session?.store?.context)
            let screen = StaffScreen(store: store)
            #expect(!screen.bindings.map(\.name).contains("Create a new user in this store"))
            AdminWorld.open(world, screen)
            world.send(.character("n"))
            #expect(world.topTitle == "Staff")
            #expect(world.text.contains("only a super admin creates accounts"))
        }
    }

    @Test func aManagerWithoutUsersManageIsToldSo() throws {
        try ShellWorld.withDemo { world in
            world.signIn("manager@demo-games.test")
            let store = try #require(world.shell.session?.store?.context)
            AdminWorld.open(world, StaffScreen(store: store))
            #expect(world.text.contains("lacks the permission users.manage"))
        }
    }

    @Test func aSuperAdminCreatesAUserInTheStoreAndDisablesIt() throws {
        try ShellWorld.withDemo(size: Size(width: 100, height: 30)) { world in
            try world.enterAsSuperAdmin("demo-games")
            let store = try #require(world.shell.session?.store?.context)
            #expect(store.isSuperAdminEntry)
            AdminWorld.open(world, StaffScreen(store: store))
            world.send(.character("n"))
            #expect(world.topTitle == "New user")
            world.type("new.clerk@demo-games.test")
            world.send(.tab)
            world.type("New Clerk")
            world.send(.tab)
            world.type("a long enough password 1")
            #expect(!world.text.contains("a long enough password"))
            world.send(.tab)
            world.type("a long enough password 1")
            world.send(.tab, .character("f"))  // type-ahead: Fulfilment
            world.send(.control("s"))
            #expect(world.topTitle == "Staff")
            let staff = try #require(AdminWorld.top(world, StaffScreen.self))
            #expect(staff.members?.first { $0.email == "new.clerk@demo-games.test" }?.role == "fulfilment")
            #expect(try world.services.authenticator.signIn(email: "new.clerk@demo-games.test", password: "a long enough password 1").user.name == "New Clerk")
            try AdminWorld.selectMember(world, "new.clerk@demo-games.test")
            world.send(.character("D"))
            #expect(world.text.contains("Disable new.clerk@demo-games.test?"))
            world.send(.character("y"))
            #expect(AdminWorld.top(world, StaffScreen.self)?.members?.first { $0.email == "new.clerk@demo-games.test" }?.disabled == true)
            #expect(throws: (any Error).self) {
                try world.services.authenticator.signIn(email: "new.clerk@demo-games.test", password: "a long enough password 1")
            }
        }
    }
}
