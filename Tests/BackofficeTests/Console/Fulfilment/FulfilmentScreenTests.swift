import Foundation
import Postgres
import Testing
@testable import Console
@testable import Domain

/// The fulfilment desk over the demo store: a clerk's home, claiming the oldest delivery, handing it
/// over, failing it, giving it back, two clerks never sharing one, and claims given back on exit.
@Suite("Console: fulfilment desk")
struct FulfilmentScreenTests {
    /// The demo's waiting deliveries dated 2025-12-01, so frames do not depend on the clock.
    static func settle(_ world: ShellWorld) throws {
        try world.asOwner { connection, tenant in
            try connection.execute("""
                UPDATE deliveries d SET created_at = timestamptz '2025-12-01 10:00Z' + r.n * interval '1 minute'
                  FROM (SELECT id, row_number() OVER (ORDER BY created_at, id) AS n FROM deliveries WHERE tenant_id = \(tenant)) r
                 WHERE d.tenant_id = \(tenant) AND d.id = r.id
                """)
        }
        OrderRows.dayFormat.timeZone = TimeZone(identifier: "UTC")
    }

    static let timeMasks = ["claimed [0-9]+ s ago": "claimed n s ago", "queue in [0-9]+ min": "queue in n min"]

    var desk: (ShellWorld) -> FulfilmentScreen? = { $0.shell.screens.last?.unwrap(as: FulfilmentScreen.self) }

    @Test(arguments: ConsoleShellScreensTests.sizes)
    func aClerksHomeIsTheQueueAndNClaimsTheOldest(size: Size) throws {
        try ShellWorld.withDemo(size: size) { world in
            try FulfilmentScreenTests.settle(world)
            world.signIn("fulfilment@demo-games.test")
            #expect(world.shell.screens.map(\.title) == ["Fulfilment"])
            let queue = try #require(desk(world)?.queue)
            #expect(queue.filter { $0.status == .pending }.count == 2)
            GoldenFile.check(world.runner.frame(), "fulfilment-queue")
            world.send(.character("n"))
            let ticket = try #require(desk(world)?.ticket)
            #expect(ticket.delivery.id == queue.first?.id, "the oldest waiting delivery")
            #expect(ticket.delivery.claimedBy == world.shell.session?.store?.context.userID)
            #expect(ticket.customerEmail != nil)
            #expect(world.shell.heldClaims.map(\.delivery) == [ticket.delivery.id])
            GoldenFile.check(world.runner.frame(), "fulfilment-claimed", patterns: FulfilmentScreenTests.timeMasks)
        }
    }

    @Test func handingOverMarksItDeliveredAndSealsTheValue() throws {
        try ShellWorld.withDemo { world in
            world.signIn("fulfilment@demo-games.test")
            world.send(.character("n"))
            let ticket = try #require(desk(world)?.ticket)
            world.send(.control("s"))
            #expect(world.text.contains("say what was handed over"), "nothing typed: the field says what is missing")
            #expect(desk(world)?.ticket != nil)
            world.type("BOX-TRACKING-123")
            world.send(.tab)
            world.type("posted with tracking")
            world.send(.control("s"))
            #expect(desk(world)?.ticket == nil)
            #expect(world.shell.visibleNotices.contains { $0.text.contains("delivered") })
            let store = try #require(world.shell.session?.store?.context)
            let admin = try world.services.authenticator.signIn(email: DemoData.adminEmail, password: DemoData.password)
            let owner = try world.services.authenticator.enter("demo-games", user: admin.user)
            #expect(try world.services.deliveries().reveal(owner, id: ticket.delivery.id) == "BOX-TRACKING-123")
            #expect(try world.services.deliveries().queue(store).contains { $0.id == ticket.delivery.id } == false)
        }
    }

    @Test func failingNeedsAReasonAndGivingBackReturnsItToTheQueue() throws {
        try ShellWorld.withDemo { world in
            world.signIn("fulfilment@demo-games.test")
            world.send(.character("n"))
            let first = try #require(desk(world)?.ticket)
            world.send(.control("f"), .enter)
            #expect(world.shell.visibleNotices.contains { $0.text.contains("reason") })
            #expect(desk(world)?.ticket != nil, "still claimed after a refused fail")
            world.type("the customer's address is wrong")
            world.send(.enter)
            #expect(desk(world)?.ticket == nil)
            let store = try #require(world.shell.session?.store?.context)
            #expect(try world.services.deliveries().queue(store).contains { $0.id == first.delivery.id } == false)

            world.send(.character("n"))
            let second = try #require(desk(world)?.ticket)
            world.send(.control("g"))
            #expect(world.shell.overlayName == "confirm")
            world.send(.character("y"))
            #expect(desk(world)?.ticket == nil)
            let back = try #require(try world.services.deliveries().queue(store).first { $0.id == second.delivery.id })
            #expect(back.status == .pending)
            #expect(world.shell.heldClaims.isEmpty)
        }
    }

    @Test func twoClerksNeverGetTheSameDelivery() throws {
        try ShellWorld.withDemo { world in
            let other = try ShellWorld(world.testDatabase)
            defer { other.services.close() }
            world.signIn("fulfilment@demo-games.test")
            other.signIn("owner@demo-games.test")
            other.send(.character("f"))
            #expect(other.topTitle == "Fulfilment")
            world.send(.character("n"))
            other.send(.character("n"))
            let mine = try #require(desk(world)?.ticket)
            let theirs = try #require(other.shell.screens.last?.unwrap(as: FulfilmentScreen.self)?.ticket)
            #expect(mine.delivery.id != theirs.delivery.id)
            #expect(mine.delivery.claimedBy != theirs.delivery.claimedBy)
            // Both waiting deliveries are taken: the next claim finds nothing.
            let third = try ShellWorld(world.testDatabase)
            defer { third.services.close() }
            third.signIn("manager@demo-games.test")
            third.send(.character("f"), .character("n"))
            #expect(third.shell.screens.last?.unwrap(as: FulfilmentScreen.self)?.ticket == nil)
            #expect(third.shell.visibleNotices.contains { $0.text.contains("the queue is empty") })
        }
    }

    @Test func aManagerReachesTheDeskFromHomeAndThePalette() throws {
        try ShellWorld.withDemo { world in
            world.signIn("manager@demo-games.test")
            world.send(.character(":"))
            world.type("fulfilment")
            world.send(.enter)
            #expect(world.topTitle == "Fulfilment")
            world.send(.escape)
            #expect(world.topTitle == "Home")
        }
    }
}
