import Foundation
import Testing
@testable import Console
@testable import Domain
import Postgres

/// Live behaviour of the shell: changes announced on `backoffice_events` refresh the home, a lost feed
/// shows the banner and keeps what was typed, notices expire, text from the database is sanitized.
@Suite("Console shell: live changes, notices, banner")
struct ConsoleShellLiveTests {
    @Test func aChangeInTheStoreRefreshesTheHomeAndOtherStoresAreIgnored() throws {
        try ShellWorld.withDemo { world in
            world.signIn("manager@demo-games.test")
            let store = try #require(world.shell.session?.store)
            let before = try #require(world.shell.screens.last?.unwrap(as: StoreHomeScreen.self)?.overview?.ordersAwaitingPayment)
            // Another console or the CLI places an order (its commit NOTIFYs); the LISTEN socket hands the
            // shell the change.
            let listener = try NotificationListener(conninfo: try world.testDatabase.appConninfo)
            defer { listener.connection.close() }
            try listener.listen(LiveChangeFeed.channel)
            let order = try world.services.orders.create(store.context, .init(email: "new@example.com", lines: [.init(sku: "G3-KEY", quantity: 1)]))
            let notices = try listener.wait(timeout: 5).compactMap { ChangeNotice(payload: $0.payload) }
            #expect(order.number > 0)
            #expect(notices.contains { $0.tenantID == store.context.tenantID && $0.entity == "order" }, "\(notices)")
            // A change in another store does nothing.
            world.runner.post(.changes([ChangeNotice(tenantID: UUID(), event: "order.created", id: "x")]))
            #expect(world.shell.screens.last?.unwrap(as: StoreHomeScreen.self)?.overview?.ordersAwaitingPayment == before)
            world.runner.post(.changes(notices))
            #expect(world.shell.screens.last?.unwrap(as: StoreHomeScreen.self)?.overview?.ordersAwaitingPayment == before + 1)
        }
    }

    @Test func aLostFeedShowsTheBannerKeepsTheTypingAndRefreshesWhenBack() throws {
        try ShellWorld.withDemo { world in
            world.send(.control("u"))
            world.type("half-typed@")
            world.runner.post(.feed(.live))
            world.runner.post(.feed(.lost("the database connection broke")))
            let lost = world.text
            #expect(lost.contains("connection lost"))
            #expect(lost.contains("✗ offline"))
            GoldenFile.check(world.runner.frame(), "sign-in-connection-lost")
            world.type("x.test")
            world.runner.post(.feed(.live))
            #expect(!world.text.contains("connection lost"))
            #expect(world.text.contains("● live"))
            let signIn = try #require(world.shell.screens.last?.unwrap(as: SignInScreen.self))
            #expect(signIn.form.text("email") == "half-typed@x.test", "nothing typed was lost")
        }
    }

    @Test func noticesExpireAfterTheirTime() throws {
        try ShellWorld.withDemo { world in
            world.signIn("manager@demo-games.test")
            #expect(world.shell.visibleNotices.map(\.text).contains { $0.contains("entered Demo Games") })
            world.runner.advance(by: 3)
            #expect(!world.shell.visibleNotices.isEmpty)
            world.runner.advance(by: 2)
            #expect(world.shell.visibleNotices.isEmpty)
        }
    }

    @Test func storeNamesFromTheDatabaseAreSanitizedBeforeTheyAreDrawn() throws {
        try ShellWorld.withDemo { world in
            // The services refuse control characters in a name; a row written another way must still be safe.
            let owner = try world.testDatabase.owner()
            defer { owner.close() }
            try owner.execute("UPDATE tenants SET name = \("Evil\u{1B}]0;pwned\u{07}\u{1B}[2J Store") WHERE slug = 'demo-games'")
            world.signIn(DemoData.adminEmail)
            let frame = world.runner.frame()
            let text = frame.textDump()
            #expect(!text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
            #expect(!text.contains("\u{1B}"))
            #expect(text.contains("Evil"))
            #expect(text.contains("Store"))
        }
    }

    @Test func theBreadcrumbsGiveWayFromTheLeftOnANarrowScreen() throws {
        try ShellWorld.withDemo(size: Size(width: 40, height: 12)) { world in
            try world.enterAsSuperAdmin("demo-games")
            world.send(.control("t"))
            let header = String(world.text.split(separator: "\n")[0])
            #expect(DisplayWidth.of(header) <= 40)
            #expect(header.hasSuffix("Switch store"), "the current screen stays visible: \(header)")
        }
    }
}
