import Foundation
import Postgres
import Testing
@testable import Console
@testable import Domain

/// One console over its own database, run headless: the real `ConsoleShell` and screens, the real
/// Domain services over PostgreSQL (cheap password hashing), keys in and frames out.
final class ShellWorld {
    let testDatabase: TestDatabase
    let services: ConsoleServices
    var runner: HeadlessRunner<ConsoleShell>

    /// Runs `body` on an owner connection inside a transaction with the store `slug`'s tenant set (for
    /// set-ups the services do not offer: fixed dates, rows written in bulk).
    @discardableResult
    func asOwner<T>(of slug: String = "demo-games", _ body: (Connection, UUID) throws -> T) throws -> T {
        let owner = try testDatabase.owner()
        defer { owner.close() }
        let tenant: UUID = try owner.query("SELECT id FROM tenants WHERE slug = \(slug)").single().decode("id")
        return try owner.transaction { connection in
            try connection.setLocal(DatabaseRoles.tenantSetting, to: tenant.uuidString)
            return try body(connection, tenant)
        }
    }

    init(_ testDatabase: TestDatabase, size: Size = Size(width: 80, height: 24), theme: Theme = .default) throws {
        self.testDatabase = testDatabase
        let keyring = try MasterKeyring.generate()
        services = ConsoleServices(databaseURL: try testDatabase.appConninfo, ownerDatabaseURL: try testDatabase.ownerConninfo,
                                   hasher: .fast, secretBox: { SecretBox(keyring: keyring) })
        runner = HeadlessRunner(ConsoleShell(services: services, theme: theme), size: size)
    }

    /// A fresh database with nothing in it: the console starts on the first-run screen.
    static func with<T>(size: Size = Size(width: 80, height: 24), _ body: (ShellWorld) throws -> T) throws -> T {
        try TestDatabase.with { db in
            let world = try ShellWorld(db, size: size)
            defer { world.services.close() }
            return try body(world)
        }
    }

    /// A fresh database with the demo data loaded (through the services, not the screen).
    static func withDemo<T>(size: Size = Size(width: 80, height: 24), _ body: (ShellWorld) throws -> T) throws -> T {
        try TestDatabase.with { db in
            let world = try ShellWorld(db, size: size)
            defer { world.services.close() }
            _ = try DemoData(database: world.services.database, box: try world.services.secretBox(), hasher: .fast)
                .load(platform: nil, ownerDatabase: world.services.ownerDatabase)
            world.runner = HeadlessRunner(ConsoleShell(services: world.services, theme: .default), size: size)
            return try body(world)
        }
    }

    var shell: ConsoleShell { runner.program }
    var text: String { runner.frame().textDump() }
    var topTitle: String? { shell.screens.last?.title }

    func send(_ keys: Key...) { runner.send(keys) }
    func type(_ text: String) { runner.type(text) }

    /// Types an email and password into the sign-in screen and presses Enter.
    func signIn(_ email: String, password: String = DemoData.password) {
        // Clear whatever the email field holds, then fill both fields.
        if shell.screens.last?.unwrap(as: SignInScreen.self)?.form.focus == 1 { runner.send(.backTab) }
        runner.send(.control("u"))
        runner.type(email)
        runner.send(.tab, .control("u"))
        runner.type(password)
        runner.send(.enter)
    }

    /// Signs in as a demo member and enters their store (a member of one store goes straight in).
    func enterAsMember(_ email: String) {
        signIn(email)
    }

    /// Signs in as the demo super admin and enters `slug` from the picker.
    func enterAsSuperAdmin(_ slug: String) throws {
        signIn(DemoData.adminEmail)
        let picker = try #require(shell.screens.last?.unwrap(as: StorePickerScreen.self))
        let index = try #require(picker.shown.firstIndex { $0.slug == slug })
        runner.send(.home)
        for _ in 0..<index { runner.send(.down) }
        runner.send(.enter)
    }
}
