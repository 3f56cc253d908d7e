import Foundation
import Testing
@testable import Console
@testable import Domain

/// The console's first screens, headless over a real database, compared with golden text files at 80x24
/// and 120x40: first run, sign-in, the store picker, homes per role, the palette, the help.
@Suite("Console shell: screens and golden snapshots")
struct ConsoleShellScreensTests {
    static let sizes = [Size(width: 80, height: 24), Size(width: 120, height: 40)]

    @Test(arguments: sizes)
    func firstRunLoadsTheDemoAndOffersTheSignIn(size: Size) throws {
        try ShellWorld.with(size: size) { world in
            #expect(world.topTitle == "Welcome")
            GoldenFile.check(world.runner.frame(), "first-run")
            world.send(.enter)
            #expect(world.shell.overlayName == "confirm")
            GoldenFile.check(world.runner.frame(), "first-run-confirm")
            world.send(.character("y"))
            #expect(world.topTitle == "Sign in")
            let signIn = try #require(world.shell.screens.last?.unwrap(as: SignInScreen.self))
            #expect(signIn.form.text("email") == DemoData.adminEmail)
            #expect(signIn.form.focus == 1, "the password field has the focus")
            GoldenFile.check(world.runner.frame(), "sign-in-after-demo")
        }
    }

    @Test(arguments: sizes)
    func firstRunCreatesTheFirstSuperAdminAndShowsIssuesByField(size: Size) throws {
        try ShellWorld.with(size: size) { world in
            world.send(.character("a"))
            #expect(world.topTitle == "First super admin")
            world.type("Ada")
            world.send(.tab)
            world.type("not-an-email")
            world.send(.tab)
            world.type("pw")
            world.send(.tab)
            world.type("pw")
            world.send(.control("s"))
            let screen = try #require(world.shell.screens.last?.unwrap(as: CreateSuperAdminScreen.self))
            let issues = screen.form.fields.compactMap { field in field.issue.map { (field.name, $0) } }
            #expect(issues.map(\.0).contains("email"), "issues: \(issues)")
            #expect(issues.map(\.0).contains("password"), "issues: \(issues)")
            GoldenFile.check(world.runner.frame(), "create-super-admin-issues")
            #expect(try world.services.platformHasUsers() == false, "nothing was written")

            // Esc with unsaved input asks first; n stays.
            world.send(.escape)
            #expect(world.shell.overlayName == "confirm")
            world.send(.character("n"))
            #expect(world.topTitle == "First super admin")

            #expect(screen.form.focus == 1, "the first field with an issue has the focus")
            world.send(.control("u"))
            world.type("ada@example.com")
            world.send(.tab, .control("u"))
            world.type("a long enough password")
            world.send(.tab, .control("u"))
            world.type("a long enough password")
            world.send(.enter)
            #expect(world.topTitle == "Sign in")
            #expect(try world.services.platformHasUsers())
            world.send(.control("u"))
            world.type("a long enough password")
            world.send(.enter)
            #expect(world.topTitle == "Stores", "a super admin lands on the store picker over the platform home")
            #expect(world.text.contains("There are no stores yet"))
        }
    }

    @Test(arguments: sizes)
    func aWrongPasswordShowsTheAuthenticatorsMessageAndKeepsTheEmail(size: Size) throws {
        try ShellWorld.withDemo(size: size) { world in
            world.signIn("manager@demo-games.test", password: "wrong")
            #expect(world.topTitle == "Sign in")
            #expect(world.text.contains("invalid email or password"))
            let signIn = try #require(world.shell.screens.last?.unwrap(as: SignInScreen.self))
            #expect(signIn.form.text("email") == "manager@demo-games.test")
            #expect(signIn.form.text("password").isEmpty, "the password is cleared")
            GoldenFile.check(world.runner.frame(), "sign-in-failed")
        }
    }

    @Test func emptyFieldsAreNamedWithoutAsking() throws {
        try ShellWorld.withDemo { world in
            world.send(.enter, .enter)
            #expect(world.text.contains("enter your email"))
            #expect(world.text.contains("enter your password"))
        }
    }

    @Test func fiveFailuresShowTheLockoutMessage() throws {
        try ShellWorld.withDemo { world in
            for _ in 0..<5 { world.signIn("staff@demo-games.test", password: "nope") }
            world.signIn("staff@demo-games.test")
            #expect(world.text.contains("locked"), "screen:\n\(world.text)")
            #expect(world.topTitle == "Sign in")
        }
    }

    @Test(arguments: sizes)
    func aSuperAdminSeesEveryStoreFiltersAndEnters(size: Size) throws {
        try ShellWorld.withDemo(size: size) { world in
            world.signIn(DemoData.adminEmail)
            #expect(world.shell.screens.map(\.title) == ["Platform", "Stores"])
            GoldenFile.check(world.runner.frame(), "store-picker-super-admin")
            world.send(.character("/"))
            world.type("soft")
            #expect(world.shell.overlayName == "filter")
            GoldenFile.check(world.runner.frame(), "store-picker-filtered")
            world.send(.enter)
            #expect(world.shell.overlayName == nil)
            #expect(world.text.contains("filter: soft"))
            world.send(.enter)
            #expect(world.shell.session?.store?.context.tenantSlug == "demo-software")
            #expect(world.shell.session?.store?.context.isSuperAdminEntry == true)
            #expect(world.topTitle == "Home")
            // The store's branding accent colours the frame.
            let brand = try #require(TerminalColor(themeText: "#2bb673"))
            #expect(world.shell.theme == Theme.default.withAccent(brand))
            #expect(world.shell.theme != Theme.default)
            GoldenFile.check(world.runner.frame(), "store-home-super-admin")
        }
    }

    @Test(arguments: sizes)
    func escapeFromThePickerGoesToThePlatformHome(size: Size) throws {
        try ShellWorld.withDemo(size: size) { world in
            world.signIn(DemoData.adminEmail)
            world.send(.escape)
            #expect(world.topTitle == "Platform")
            #expect(world.text.contains("Active stores       2"))
            GoldenFile.check(world.runner.frame(), "platform-home")
        }
    }

    @Test(arguments: sizes)
    func aManagerGoesStraightToTheirStoresHome(size: Size) throws {
        try ShellWorld.withDemo(size: size) { world in
            world.signIn("manager@demo-games.test")
            #expect(world.shell.screens.map(\.title) == ["Home"])
            #expect(world.shell.session?.store?.context.role == "manager")
            let text = world.text
            #expect(text.contains("Awaiting payment"))
            #expect(text.contains("Active products"))
            #expect(text.contains("Waiting in the queue"))
            GoldenFile.check(world.runner.frame(), "store-home-manager")
        }
    }

    @Test(arguments: sizes)
    func aFulfilmentClerkSeesTheQueueAndNoRevenue(size: Size) throws {
        try ShellWorld.withDemo(size: size) { world in
            world.signIn("fulfilment@demo-games.test")
            #expect(world.shell.screens.map(\.title) == ["Fulfilment"], "a clerk's home is the fulfilment desk")
            let text = world.text
            #expect(text.contains("Queue (oldest first)"))
            #expect(!text.contains("Awaiting payment"))
            #expect(!text.contains("EUR"))
            GoldenFile.check(world.runner.frame(), "store-home-fulfilment", patterns: ["[0-9]+ (s|min) ": "n s "])
        }
    }

    @Test(arguments: sizes)
    func thePaletteFindsActionsFuzzilyAndRunsThem(size: Size) throws {
        try ShellWorld.withDemo(size: size) { world in
            world.signIn("manager@demo-games.test")
            world.send(.character(":"))
            world.type("swst")
            #expect(world.shell.overlayName == "palette")
            GoldenFile.check(world.runner.frame(), "palette-switch-store")
            world.send(.enter)
            #expect(world.topTitle == "Switch store")
            world.send(.escape)
            #expect(world.topTitle == "Home")
            // A screen's own binding from the palette: "reload" sends `r` to the home.
            world.send(.character(":"))
            world.type("reload")
            world.send(.enter)
            #expect(world.shell.overlayName == nil)
            #expect(world.topTitle == "Home")
        }
    }

    @Test(arguments: sizes)
    func helpListsTheScreensBindingsAndTheGlobalOnes(size: Size) throws {
        try ShellWorld.withDemo(size: size) { world in
            world.signIn(DemoData.adminEmail)
            world.send(.character("?"))
            #expect(world.shell.overlayName == "help")
            let text = world.text
            for line in ["Enter the selected store", "Reload the list", "Filter", "Switch store", "Quit"] {
                #expect(text.contains(line), "help lists \(line)")
            }
            GoldenFile.check(world.runner.frame(), "help-store-picker")
            world.send(.escape)
            #expect(world.shell.overlayName == nil)
        }
    }

    @Test func controlTSwitchesStoreFromAnywhere() throws {
        try ShellWorld.withDemo { world in
            try world.enterAsSuperAdmin("demo-games")
            #expect(world.shell.session?.store?.context.tenantSlug == "demo-games")
            world.send(.control("t"))
            #expect(world.topTitle == "Switch store")
            world.send(.control("t"))
            #expect(world.shell.screens.count == 2, "Ctrl-T on the picker does not stack another")
            world.send(.end, .enter)
            #expect(world.shell.session?.store?.context.tenantSlug == "demo-software")
            #expect(world.shell.screens.map(\.title) == ["Home"])
            #expect(world.text.contains("Demo Software"))
        }
    }

    @Test func aMemberCannotEnterAStoreSuspendedMeanwhile() throws {
        try ShellWorld.withDemo { world in
            world.signIn("manager@demo-games.test")
            // Suspend the store behind the console's back, then try to switch into it again.
            let admin = try world.services.authenticator.signIn(email: DemoData.adminEmail, password: DemoData.password)
            let platform = try world.services.authenticator.platform(admin.user)
            _ = try world.services.tenants.change(platform, slug: "demo-games", .suspend)
            world.send(.control("t"))
            #expect(world.text.contains("not a member of any active store"))
        }
    }

    @Test func signingOutRevokesTheSessionAndShowsTheSignIn() throws {
        try ShellWorld.withDemo { world in
            world.signIn("staff@demo-games.test")
            let token = try #require(world.shell.session?.token)
            world.send(.character(":"))
            world.type("sign out")
            world.send(.enter)
            #expect(world.topTitle == "Sign in")
            #expect(world.shell.session == nil)
            #expect(throws: UnauthorizedError.self) { try world.services.authenticator.authenticate(token: token) }
        }
    }

    @Test func quittingIsImmediateWithoutUnsavedChangesAndAsksWithThem() throws {
        try ShellWorld.withDemo { world in
            world.signIn("staff@demo-games.test")
            world.send(.character("q"))
            #expect(world.runner.didQuit)
        }
        try ShellWorld.with { world in
            world.send(.character("a"))
            world.type("Ada")
            world.send(.control("c"))
            #expect(!world.runner.didQuit)
            #expect(world.shell.overlayName == "confirm")
            #expect(world.text.contains("unsaved changes"))
            world.send(.character("y"))
            #expect(world.runner.didQuit)
        }
    }
}
