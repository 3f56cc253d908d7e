import Domain
import Foundation
import Testing

/// Issue 8 end to end with the real binary in tmux: an order created and paid with the CLI appears on a
/// manager's dashboard within a second, without a keypress; two clerks in two consoles claim different
/// deliveries.
@Suite("Dashboard and fulfilment end to end (tmux)", .serialized, .enabled(if: ConsoleTmux.isAvailable, "tmux is not installed"),
       .enabled(if: BackofficeCLI.isBuilt, "the backoffice executable is not built beside the tests"))
struct DashboardTmuxTests {
    /// Loads the demo through the console's first-run screen and leaves it at the sign-in.
    static func loadDemo(_ tmux: ConsoleTmux) throws {
        _ = try tmux.waitForScreen(containing: "Welcome to Backoffice")
        try tmux.keys("Enter")
        _ = try tmux.waitForScreen(containing: "[ Load (y) ]")
        try tmux.keys("y")
        _ = try tmux.waitForScreen(containing: "Sign in to Backoffice")
    }

    /// On the sign-in screen, signs in as `email`. `prefilled`: the first-run set-up filled in the email
    /// and put the focus on the password.
    static func signIn(_ tmux: ConsoleTmux, _ email: String, prefilled: Bool = true) throws {
        if prefilled { try tmux.keys("BTab") }
        try tmux.keys("C-u")
        try tmux.literal(email)
        try tmux.keys("Tab", "C-u")
        try tmux.literal(DemoData.password)
        try tmux.keys("Enter")
    }

    /// Polls the pane until `text` shows; returns the seconds it took.
    static func secondsUntil(_ tmux: ConsoleTmux, shows text: String, limit: TimeInterval = 5) throws -> TimeInterval {
        let start = Date()
        while Date().timeIntervalSince(start) < limit {
            if try tmux.run("capture-pane", "-p", "-t", tmux.target).contains(text) { return Date().timeIntervalSince(start) }
            usleep(10_000)
        }
        return .infinity
    }

    @Test func anOrderMadeWithTheCLIShowsOnTheDashboardWithinASecond() throws {
        try TestDatabase.with { db in
            let tmux = try ConsoleTmux(databaseURL: try db.appConninfo, ownerURL: try db.ownerConninfo, width: 100, height: 30)
            defer { tmux.tearDown() }
            try DashboardTmuxTests.loadDemo(tmux)
            try DashboardTmuxTests.signIn(tmux, "manager@demo-games.test")
            _ = try tmux.waitForScreen(containing: "Awaiting payment      1")
            _ = try tmux.waitForScreen(containing: "● live")

            let cli = try BackofficeCLI(db)
            try cli.login("manager@demo-games.test", password: DemoData.password)
            let created = try cli.run("order", "create", "--tenant", "demo-games", "--email", "walk-in@example.com",
                                      "--item", "G2-BOX:1", "--json")
            #expect(created.succeeded, "\(created.stderr)")
            let shownCreated = try DashboardTmuxTests.secondsUntil(tmux, shows: "Awaiting payment      2")
            #expect(shownCreated < 1, "the new order showed after \(shownCreated) s")

            guard case .integer(let number)? = created.jsonData["number"], case .integer(let cents)? = created.jsonData["total"]?["amount"] else {
                Issue.record("no order number or total in \(created.stdout)")
                return
            }
            let amount = "\(cents / 100).\(String(format: "%02lld", cents % 100))"
            let paid = try cli.run("order", "pay", "\(number)", "--amount", amount, "--method", "cash", "--reference", "TILL-1",
                                   "--tenant", "demo-games", "--json")
            #expect(paid.succeeded, "\(paid.stderr)")
            let shownPaid = try DashboardTmuxTests.secondsUntil(tmux, shows: "Waiting in the queue  3")
            #expect(shownPaid < 1, "the paid order's delivery showed in the queue after \(shownPaid) s")
            #expect(try tmux.run("capture-pane", "-p", "-t", tmux.target).contains("Awaiting payment      1"))
        }
    }

    @Test func twoClerksInTwoConsolesClaimDifferentDeliveries() throws {
        try TestDatabase.with { db in
            let first = try ConsoleTmux(databaseURL: try db.appConninfo, ownerURL: try db.ownerConninfo)
            defer { first.tearDown() }
            try DashboardTmuxTests.loadDemo(first)
            let second = try ConsoleTmux(databaseURL: try db.appConninfo, ownerURL: try db.ownerConninfo)
            defer { second.tearDown() }
            _ = try second.waitForScreen(containing: "Sign in to Backoffice")

            try DashboardTmuxTests.signIn(first, "fulfilment@demo-games.test")
            _ = try first.waitForScreen(containing: "n claims the next delivery")
            try DashboardTmuxTests.signIn(second, "owner@demo-games.test", prefilled: false)
            _ = try second.waitForScreen(containing: "you are owner")
            try second.literal("f")
            _ = try second.waitForScreen(containing: "n claims the next delivery")

            try first.literal("n")
            try second.literal("n")
            let mine = try first.waitForScreen(containing: "Your claim")
            let theirs = try second.waitForScreen(containing: "Your claim")
            func claimedOrder(_ screen: String) -> String? {
                screen.split(separator: "\n").first { $0.contains("│ Order ") }
                    .map { String($0).components(separatedBy: "Order ").last?.components(separatedBy: " ").first ?? "" }
            }
            let a = try #require(claimedOrder(mine))
            let b = try #require(claimedOrder(theirs))
            #expect(a != b, "two clerks got the same delivery (order \(a))")

            // Quitting (Ctrl-C: letters go into the hand-over field) gives an unfinished claim back.
            try first.keys("C-c")
            #expect(try first.waitForExitStatus() == 0)
            let log = (try? String(contentsOfFile: first.directory + "/state/backoffice/console.log", encoding: .utf8)) ?? ""
            #expect(log.contains("given back"), "log: \(log)")
        }
    }

    /// A super admin suspends a store in one console; that store's staff, signing in at another, can no
    /// longer enter it.
    @Test func aSuspendedStoresStaffCannotEnterIt() throws {
        try TestDatabase.with { db in
            let admin = try ConsoleTmux(databaseURL: try db.appConninfo, ownerURL: try db.ownerConninfo, width: 100, height: 30)
            defer { admin.tearDown() }
            try DashboardTmuxTests.loadDemo(admin)
            let staff = try ConsoleTmux(databaseURL: try db.appConninfo, ownerURL: try db.ownerConninfo)
            defer { staff.tearDown() }
            _ = try staff.waitForScreen(containing: "Sign in to Backoffice")

            try DashboardTmuxTests.signIn(admin, DemoData.adminEmail)
            _ = try admin.waitForScreen(containing: "Every store on the platform")
            try admin.keys("Escape")
            _ = try admin.waitForScreen(containing: "Active stores       2")
            try admin.literal("t")
            _ = try admin.waitForScreen(containing: "demo-software")
            try admin.literal("/")
            try admin.literal("games")
            try admin.keys("Enter")
            _ = try admin.waitForScreen(containing: "filter: games")
            try admin.literal("s")
            _ = try admin.waitForScreen(containing: "Suspend demo-games?")
            try admin.literal("y")
            _ = try admin.waitForScreen(containing: "demo-games is now suspended")

            try DashboardTmuxTests.signIn(staff, "staff@demo-games.test", prefilled: false)
            let refused = try staff.waitForScreen(containing: "not a member of any active store")
            #expect(!refused.contains("you are staff"), "the staff member did not get into the suspended store")
        }
    }
}
