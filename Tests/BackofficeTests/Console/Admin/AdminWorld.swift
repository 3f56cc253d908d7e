import Foundation
import Testing
@testable import Console
@testable import Domain

/// Helpers for the administration screens' tests: open a screen directly on the shell's stack, find it,
/// and reach the platform's services as the demo super admin.
enum AdminWorld {
    static func open<S: Screen>(_ world: ShellWorld, _ screen: S) {
        world.runner.mutate { $0.push(AnyScreen(screen)) }
    }

    static func top<S: Screen>(_ world: ShellWorld, _ type: S.Type) -> S? {
        world.shell.screens.last?.unwrap(as: type)
    }

    static func platform(_ world: ShellWorld) throws -> PlatformContext {
        let admin = try world.services.authenticator.signIn(email: DemoData.adminEmail, password: DemoData.password)
        return try world.services.authenticator.platform(admin.user)
    }

    /// Moves the tenants screen's selection to `slug`.
    static func selectTenant(_ world: ShellWorld, _ slug: String) throws {
        let screen = try #require(top(world, TenantsScreen.self))
        let index = try #require(screen.shown.firstIndex { $0.slug == slug })
        world.send(.home)
        for _ in 0..<index { world.send(.down) }
        #expect(top(world, TenantsScreen.self)?.selected?.slug == slug)
    }

    /// Moves the staff screen's selection to `email`.
    static func selectMember(_ world: ShellWorld, _ email: String) throws {
        let screen = try #require(top(world, StaffScreen.self))
        let index = try #require(screen.members?.firstIndex { $0.email == email })
        world.send(.home)
        for _ in 0..<index { world.send(.down) }
        #expect(top(world, StaffScreen.self)?.selected?.email == email)
    }

    /// Empties the focused text field (a one-line field or a text area: Ctrl-U per line from the end).
    static func clearField(_ world: ShellWorld, lines: Int = 1) {
        for _ in 0..<lines {
            world.send(.control("e"), .control("u"), .backspace)
        }
    }
}
