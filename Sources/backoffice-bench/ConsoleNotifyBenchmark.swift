/// `console_notify_refresh`: how long a change made elsewhere takes to reach a manager's dashboard
/// (issue 8: under 50 ms from commit to painted frame, median). In process, over the bench database
/// with the demo: the real `ConsoleShell` signed in as the store's manager on its home (headless, so
/// "painted" is the frame rendered into the cell grid; the bytes to a terminal are `console_table_pty`'s
/// business), and the real `LiveChangeFeed` on its own LISTEN connection. Each round places an order
/// through `OrderService` (another client), then waits on the feed's socket with `poll`, reads the
/// notification, hands it to the shell (which re-reads the figures under RLS) and renders the frame;
/// the round's time runs from the commit's return to that frame, which must show the new count.
/// Measured on demo-software (a store of ordinary size) and on demo-games, which the end-to-end set-up
/// filled with 1,000,000 orders placed today (50,000 awaiting payment): the target holds for both, since
/// the figures come from the statistics and counters that triggers keep (migrations 0008 and 0009).
import Console
import Domain
import Foundation
import Postgres

struct ConsoleNotifyBenchmark: BenchFigure {
    static let rounds = 50
    static let targetMilliseconds = 50.0

    let e2e: ConsoleEndToEnd
    let name = ConsoleEndToEnd.notifyName

    func verify() throws {}

    func measure(settings: BenchSettings) throws -> FigureReport {
        var parts: [String] = []
        var verdicts: [Bool] = []
        for (slug, sku, email) in [("demo-software", "S2-BOX", "manager@demo-software.test"), ("demo-games", "G2-BOX", "manager@demo-games.test")] {
            let times = try measure(store: slug, sku: sku, manager: email)
            let sorted = times.sorted()
            let median = sorted[sorted.count / 2]
            let p95 = sorted[min(sorted.count - 1, sorted.count * 95 / 100)]
            let passed = median < Self.targetMilliseconds
            verdicts.append(passed)
            parts.append("\(slug) median \(Benchmark.format(median, 1)) ms p95 \(Benchmark.format(p95, 1)) ms")
        }
        let line = Benchmark.pad(name) + "  commit to painted dashboard: " + parts.joined(separator: ";  ")
            + "  target median < \(Int(Self.targetMilliseconds)) ms (both stores): \(verdict(verdicts.allSatisfy { $0 }))"
            + "  (\(Self.rounds) orders each by another client, NOTIFY on the console's LISTEN socket, figures re-read under RLS,"
            + " frame rendered headless; demo-games holds \(e2e.totalOrders) orders; \(settings.cpuSummary))"
        return FigureReport(line: line, roundLines: "")
    }

    func profile(side: BenchSide, settings: BenchSettings) throws -> FigureReport { try measure(settings: settings) }

    private func measure(store slug: String, sku: String, manager: String) throws -> [Double] {
        let keyring = try MasterKeyring.load(path: e2e.keyFile)
        let services = ConsoleServices(databaseURL: e2e.database.appURL, ownerDatabaseURL: nil, secretBox: { SecretBox(keyring: keyring) })
        defer { services.close() }
        var runner = HeadlessRunner(ConsoleShell(services: services, theme: .default), size: Size(width: 120, height: 40))
        runner.type(manager)
        runner.send(.tab)
        runner.type(DemoData.password)
        runner.send(.enter)
        guard runner.program.session?.store?.context.tenantSlug == slug else {
            throw BenchError("\(manager) did not reach \(slug)'s home: \(runner.frame().textDump().prefix(400))")
        }
        let store = try services.authenticator.enter(slug, user: try services.authenticator.signIn(email: manager, password: DemoData.password).user)

        let arrived = Inbox()
        let feed = LiveChangeFeed(url: e2e.database.appURL) { arrived.put($0) }
        feed.start()
        defer { feed.stop() }
        let connected = Date().addingTimeInterval(5)
        while feed.descriptor() == nil {
            guard Date() < connected else { throw BenchError("the live feed did not connect") }
            usleep(1_000)
        }
        runner.post(.feed(.live))

        var times: [Double] = []
        for round in 0..<(Self.rounds + 3) {
            let before = awaiting(runner)
            let order = try services.orders.create(store, .init(email: "notify-\(round)@example.com", lines: [.init(sku: sku, quantity: 1)]))
            let committed = DispatchTime.now().uptimeNanoseconds
            try waitUntil(awaiting: before + 1, runner: &runner, feed: feed)
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - committed) / 1_000_000
            if round >= 3 { times.append(elapsed) }
            // The stock goes back (the demo's boxes are few), and the dashboard with it; not timed.
            _ = try services.orders.cancel(store, number: order.number)
            try waitUntil(awaiting: before, runner: &runner, feed: feed)
        }
        return times
    }

    /// Feeds notifications to the shell, rendering a frame after each, until the dashboard shows `count`.
    private func waitUntil(awaiting count: Int, runner: inout HeadlessRunner<ConsoleShell>, feed: LiveChangeFeed) throws {
        while awaiting(runner) != count {
            guard let fd = feed.descriptor() else { throw BenchError("the live feed lost its connection") }
            var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&entry, 1, 2_000) == 1 else { throw BenchError("no notification within 2 s of a commit") }
            for message in feed.read() { runner.post(message) }
            _ = runner.frame()
        }
    }

    /// The dashboard's "Awaiting payment" figure as the shell holds it.
    private func awaiting(_ runner: HeadlessRunner<ConsoleShell>) -> Int {
        runner.program.screens.last?.unwrap(as: StoreHomeScreen.self)?.overview?.ordersAwaitingPayment ?? -1
    }
}

/// Messages the feed posts from its threads (only `.feed` states; changes come through `read()`).
private final class Inbox: @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [ShellMessage] = []

    func put(_ message: ShellMessage) {
        lock.withLock { messages.append(message) }
    }
}
