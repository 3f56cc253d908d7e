import Foundation
import Testing
@testable import Console
@testable import Domain

@Suite(.serialized) struct TenantsScreenTests {
    @Test(arguments: [Size(width: 80, height: 24), Size(width: 120, height: 40)])
    func snapshot(size: Size) throws {
        try ShellWorld.withDemo(size: size) { world in
            world.signIn(DemoData.adminEmail)
            AdminWorld.open(world, TenantsScreen())
            #expect(world.topTitle == "Stores admin")
            world.runner.advance(by: 10)  // the sign-in notice fades
            GoldenFile.check(world.runner.frame(), "tenants")
        }
    }

    @Test func suspendingAStoreAsksFirstAndThenItsStaffCannotEnterIt() throws {
        try ShellWorld.withDemo { world in
            world.signIn(DemoData.adminEmail)
            AdminWorld.open(world, TenantsScreen())
            try AdminWorld.selectTenant(world, "demo-games")
            world.send(.character("s"))
            #expect(world.shell.overlayName == "confirm")
            #expect(world.text.contains("Suspend demo-games?"))
            world.send(.character("n"))
            #expect(try world.services.tenants.show(AdminWorld.platform(world), slug: "demo-games").status == .active)
            world.send(.character("s"))
            world.send(.character("y"))
            let screen = try #require(AdminWorld.top(world, TenantsScreen.self))
            #expect(screen.shown.first { $0.slug == "demo-games" }?.status == .suspended)
            #expect(world.text.contains("demo-games is now suspended"))
            // A member of demo-games is refused entry now.
            let owner = try world.services.authenticator.signIn(email: "owner@demo-games.test", password: DemoData.password)
            #expect(throws: ForbiddenError.self) { try world.services.authenticator.enter("demo-games", user: owner.user) }
            // Suspending again does not apply; activating brings it back.
            world.send(.character("s"))
            #expect(world.shell.overlayName != "confirm")
            world.send(.character("a"))
            world.send(.character("y"))
            #expect(AdminWorld.top(world, TenantsScreen.self)?.selected?.status == .active)
            #expect(try world.services.authenticator.enter("demo-games", user: owner.user).tenantSlug == "demo-games")
        }
    }

    @Test func deletingHidesTheStoreAndRestoringBringsItBack() throws {
        try ShellWorld.withDemo { world in
            world.signIn(DemoData.adminEmail)
            AdminWorld.open(world, TenantsScreen())
            try AdminWorld.selectTenant(world, "demo-software")
            world.send(.character("d"))
            #expect(world.text.contains("Delete demo-software?"))
            world.send(.character("y"))
            var screen = try #require(AdminWorld.top(world, TenantsScreen.self))
            #expect(!screen.shown.contains { $0.slug == "demo-software" })
            world.send(.character("i"))
            screen = try #require(AdminWorld.top(world, TenantsScreen.self))
            #expect(screen.includeDeleted)
            #expect(screen.shown.first { $0.slug == "demo-software" }?.status == .deleted)
            try AdminWorld.selectTenant(world, "demo-software")
            world.send(.character("u"))
            world.send(.character("y"))
            #expect(try world.services.tenants.show(AdminWorld.platform(world), slug: "demo-software").status == .active)
        }
    }

    @Test func creatingAStoreShowsTheDomainsIssuesThenCreatesIt() throws {
        try ShellWorld.withDemo { world in
            world.signIn(DemoData.adminEmail)
            AdminWorld.open(world, TenantsScreen())
            world.send(.character("n"))
            #expect(world.topTitle == "New store")
            world.type("Admin")
            world.send(.tab)
            world.send(.control("s"))
            #expect(world.topTitle == "New store")
            #expect(world.text.contains("slug may contain only lowercase letters"))
            #expect(world.text.contains("name"))
            AdminWorld.clearField(world)
            world.type("board-games")
            world.send(.tab)
            world.type("Board Games")
            world.send(.tab)
            world.type("p")  // type-ahead: pro
            world.send(.control("s"))
            #expect(world.topTitle == "Stores admin")
            let tenant = try world.services.tenants.show(AdminWorld.platform(world), slug: "board-games")
            #expect(tenant.name == "Board Games")
            #expect(tenant.plan == .pro)
            #expect(AdminWorld.top(world, TenantsScreen.self)?.shown.contains { $0.slug == "board-games" } == true)
        }
    }

    @Test func brandingWithABadAccentColourShowsTheDomainsIssue() throws {
        try ShellWorld.withDemo(size: Size(width: 100, height: 30)) { world in
            world.signIn(DemoData.adminEmail)
            AdminWorld.open(world, TenantsScreen())
            try AdminWorld.selectTenant(world, "demo-games")
            world.send(.enter)
            let edit = try #require(AdminWorld.top(world, TenantEditScreen.self))
            #expect(edit.title == "Edit demo-games")
            // Focus the branding area and replace its text.
            while AdminWorld.top(world, TenantEditScreen.self)?.form.focusedName != "branding" { world.send(.tab) }
            AdminWorld.clearField(world, lines: 6)
            world.type("{\"accentColor\": \"blue\"}")
            world.send(.control("s"))
            #expect(world.topTitle == "Edit demo-games")
            #expect(world.text.contains("branding.accentColor must be a colour like #3366ff"))
            #expect(try world.services.tenants.show(AdminWorld.platform(world), slug: "demo-games").branding["accentColor"] == .string("#3f8cff"))
            // Broken JSON is refused the same way.
            AdminWorld.clearField(world, lines: 3)
            world.type("{\"accentColor\": ")
            world.send(.control("s"))
            #expect(world.text.contains("branding must be valid JSON"))
            AdminWorld.clearField(world, lines: 3)
            world.type("{\"accentColor\": \"#112233\", \"displayName\": \"Games!\"}")
            world.send(.control("s"))
            #expect(world.topTitle == "Stores admin")
            let saved = try world.services.tenants.show(AdminWorld.platform(world), slug: "demo-games")
            #expect(saved.branding["accentColor"] == .string("#112233"))
            #expect(saved.branding["displayName"] == .string("Games!"))
        }
    }

    @Test func aVersionConflictIsShownAndNothingIsOverwritten() throws {
        try ShellWorld.withDemo(size: Size(width: 100, height: 30)) { world in
            world.signIn(DemoData.adminEmail)
            AdminWorld.open(world, TenantsScreen())
            try AdminWorld.selectTenant(world, "demo-games")
            world.send(.enter)
            // Someone else renames the store meanwhile.
            _ = try world.services.tenants.update(AdminWorld.platform(world), slug: "demo-games", .init(name: "Renamed Elsewhere"))
            world.send(.control("e"))
            world.type(" Mine")
            world.send(.control("s"))
            let edit = try #require(AdminWorld.top(world, TenantEditScreen.self))
            #expect(edit.failure?.contains("was changed by someone else") == true)
            #expect(edit.conflictingFields == ["name"])
            #expect(world.text.contains("Saved meanwhile by someone else"))
            #expect(edit.form.value("name") == "Demo Games Mine")
            #expect(try world.services.tenants.show(AdminWorld.platform(world), slug: "demo-games").name == "Renamed Elsewhere")
            // Ctrl-R (confirmed) loads their version.
            world.send(.control("r"))
            world.send(.character("y"))
            #expect(AdminWorld.top(world, TenantEditScreen.self)?.form.value("name") == "Renamed Elsewhere")
        }
    }

    @Test func everyActionIsAKeyBinding() {
        let names = TenantsScreen().bindings.map(\.name)
        for expected in ["New store", "Suspend the store", "Activate the suspended store", "Delete the store", "Restore the deleted store"] {
            #expect(names.contains(expected))
        }
    }
}
