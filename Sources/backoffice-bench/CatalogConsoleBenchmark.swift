/// The console's products screen on a store of 200,000 products (issue 7's performance figures),
/// measured in process: the real `ConsoleShell` and screens under `HeadlessRunner`, over the real Domain
/// services and the bench database. The runner carries out a screen's `.perform` work (its database
/// queries) at once on the calling thread, so the time from a key to the frame it produces is the
/// key's update, every query it causes and the frame's drawing into a cell buffer (not the terminal
/// output, which `console_render_*` and `console_e2e_*` measure).
///
/// This file exists to hold those two figures and the set-up they share:
/// - Set-up (`CatalogConsoleBenchmark`): a store made by `CatalogSetup` with the ten-field `game` type,
///   200,000 products seeded by `ProductFilterBenchmark.seed` (one `INSERT … SELECT generate_series`;
///   product g is "Game g", created g seconds ago, so "Game 1" is the newest), VACUUM (ANALYZE); a manager
///   of the store made by `UserService` (fast hasher). The console runs headless at 120x40, signs in as
///   the manager (a member of one store goes straight to its home).
/// - `console_products_open_200k`: on the store home, `p`, then the frame: the products table's first page
///   (the newest product on its first row) painted. Timed from the key to the frame, `openRuns` runs after
///   `openWarmup` unmeasured ones, Esc back to the home between runs (not timed); median and p95 against
///   100 ms (median).
/// - `console_products_down_10k`: the products screen opened, then Down 10,000 times, each key timed with
///   its frame (the table fetches the next pages by keyset when the selection nears the end of what it
///   holds, inline); max, p99 and median against 50 ms (max), with the number of page fetches seen.
import Console
import Domain
import Foundation
import Postgres

final class CatalogConsoleBenchmark {
    static let openName = "console_products_open_200k"
    static let downName = "console_products_down_10k"
    static let names = [openName, downName]

    static let products = 200_000
    static let size = Size(width: 120, height: 40)
    static let openRuns = 30
    static let openWarmup = 3
    static let downs = 10_000
    static let openTargetMilliseconds = 100.0
    static let frameTargetMilliseconds = 50.0

    let setup: CatalogSetup
    let store: TenantContext
    let services: ConsoleServices
    let email: String
    let password = "bench-manager-" + UUID().uuidString
    private(set) var seedSummary = ""

    init(setup: CatalogSetup) throws {
        self.setup = setup
        store = try setup.createStore("console-products")
        let type = try setup.createGameType(store)
        let started = BenchClock.wall
        let owner = try Connection.connect(setup.benchDatabase.ownerURL, applicationName: "backoffice-bench")
        defer { owner.close() }
        let skipped = try ProductFilterBenchmark.seed(owner, tenantID: store.tenantID, type: type, count: Self.products, salt: 0)
        try owner.execute("VACUUM (ANALYZE) products, product_attributes")
        seedSummary = "\(Self.products) products seeded in \(Benchmark.format(Double(BenchClock.wall - started) / 1e9, 1)) s"
            + (skipped ? "" : " with FK checks")

        email = "bench-manager-\(setup.run)@example.com"
        let users = UserService(database: setup.database, hasher: .fast)
        let user = try users.create(setup.platform, .init(email: email, name: "Bench manager", password: password, isSuperAdmin: false))
        setup.benchDatabase.record(user: user.id)
        _ = try users.grant(setup.platform, email: email, tenantSlug: store.tenantSlug, role: "manager")

        let keyring = try MasterKeyring.generate()
        services = ConsoleServices(databaseURL: setup.benchDatabase.appURL, ownerDatabaseURL: nil, hasher: .fast,
                                   secretBox: { SecretBox(keyring: keyring) })
    }

    func close() { services.close() }

    func figures(_ names: [String]) -> [any BenchFigure] {
        names.compactMap { name in
            switch name {
            case Self.openName: ProductsOpenBenchmark(bench: self)
            case Self.downName: ProductsDownBenchmark(bench: self)
            default: nil
            }
        }
    }

    // MARK: Driving the console

    /// A headless console signed in as the manager, on the store's home.
    func signedIn() throws -> HeadlessRunner<ConsoleShell> {
        var runner = HeadlessRunner(ConsoleShell(services: services, theme: .default), size: Self.size)
        try Self.expect(runner, "the sign-in screen") { $0.contains("Sign in to Backoffice") }
        runner.send(.control("u"))
        runner.type(email)
        runner.send(.tab, .control("u"))
        runner.type(password)
        runner.send(.enter)
        try Self.expect(runner, "the store home") { $0.contains("you are manager") }
        return runner
    }

    /// The products screen on top, if it is.
    static func productsScreen(_ runner: HeadlessRunner<ConsoleShell>) -> ProductsScreen? {
        runner.program.screens.last?.unwrap(as: ProductsScreen.self)
    }

    /// Whether the products screen shows its first page with the newest product ("Game 1") selected.
    static func showsFirstPage(_ runner: HeadlessRunner<ConsoleShell>, _ frame: CellBuffer) -> Bool {
        guard let screen = productsScreen(runner), screen.table.rows.first?.cells.first == "Game 1",
              screen.selectedProduct?.name == "Game 1" else { return false }
        return showsRow(frame.textDump(), slug: "game-1")
    }

    /// Whether a line of the frame ends with the product's slug (the table's last column).
    static func showsRow(_ text: String, slug: String) -> Bool {
        text.split(separator: "\n").contains { line in
            let trimmed = line.reversed().drop(while: { $0 == " " })
            return String(trimmed.reversed()).hasSuffix(" " + slug)
        }
    }

    static func expect(_ runner: HeadlessRunner<ConsoleShell>, _ what: String, _ check: (String) -> Bool) throws {
        let text = runner.frame().textDump()
        guard check(text) else { throw BenchError("the headless console did not reach \(what); it shows:\n\(text)") }
    }
}

// MARK: - Opening the products screen

struct ProductsOpenBenchmark: BenchFigure {
    let bench: CatalogConsoleBenchmark
    let name = CatalogConsoleBenchmark.openName

    func verify() throws {
        var runner = try bench.signedIn()
        runner.send(.character("p"))
        guard CatalogConsoleBenchmark.showsFirstPage(runner, runner.frame()) else {
            throw BenchError("\(name): `p` did not paint the products' first page:\n\(runner.frame().textDump())")
        }
        runner.send(.escape)
        try CatalogConsoleBenchmark.expect(runner, "the store home again") { $0.contains("you are manager") }
    }

    func measure(settings: BenchSettings) throws -> FigureReport {
        var runner = try bench.signedIn()
        var samples = LatencySamples()
        for run in 0..<(CatalogConsoleBenchmark.openWarmup + CatalogConsoleBenchmark.openRuns) {
            var frame: CellBuffer?
            var times = LatencySamples()
            times.time {
                runner.send(.character("p"))
                frame = runner.frame()
            }
            guard let frame, CatalogConsoleBenchmark.showsFirstPage(runner, frame) else {
                throw BenchError("\(name): run \(run): the first page was not painted:\n\(runner.frame().textDump())")
            }
            if run >= CatalogConsoleBenchmark.openWarmup { samples.nanoseconds += times.nanoseconds }
            runner.send(.escape)
            guard CatalogConsoleBenchmark.productsScreen(runner) == nil else { throw BenchError("\(name): Esc did not leave the products") }
        }
        let target = CatalogConsoleBenchmark.openTargetMilliseconds
        let line = Benchmark.pad(name)
            + "  `p` to first page painted median \(Benchmark.format(samples.median, 2)) ms  p95 \(Benchmark.format(samples.p95, 2)) ms"
            + "  max \(Benchmark.format(samples.percentile(100), 2)) ms"
            + "  target < \(Int(target)) ms median: \(verdict(samples.median < target))"
            + "  (\(CatalogConsoleBenchmark.openRuns) runs after \(CatalogConsoleBenchmark.openWarmup), headless ConsoleShell"
            + " \(CatalogConsoleBenchmark.size.width)x\(CatalogConsoleBenchmark.size.height): update + page and type queries + frame;"
            + " \(bench.seedSummary); \(settings.cpuSummary))"
        let rounds = samples.nanoseconds.enumerated().map { index, value in
            "  \(name) run \(index + 1): \(Benchmark.format(Double(value) / 1e6, 2)) ms\n"
        }.joined()
        return FigureReport(line: line, roundLines: rounds)
    }

    func profile(side: BenchSide, settings: BenchSettings) throws -> FigureReport { try measure(settings: settings) }
}

// MARK: - Holding Down

struct ProductsDownBenchmark: BenchFigure {
    let bench: CatalogConsoleBenchmark
    let name = CatalogConsoleBenchmark.downName

    func verify() throws {}

    func measure(settings: BenchSettings) throws -> FigureReport {
        var runner = try bench.signedIn()
        runner.send(.character("p"))
        guard CatalogConsoleBenchmark.showsFirstPage(runner, runner.frame()) else {
            throw BenchError("\(name): `p` did not paint the products' first page")
        }
        var samples = LatencySamples()
        var slowest = (index: 0, nanoseconds: UInt64(0))
        var fetches = 0
        var firstRowID = CatalogConsoleBenchmark.productsScreen(runner)?.table.rows.first?.id
        for index in 1...CatalogConsoleBenchmark.downs {
            let before = samples.nanoseconds.count
            samples.time {
                runner.send(.down)
                _ = runner.frame()
            }
            let took = samples.nanoseconds[before]
            if took > slowest.nanoseconds { slowest = (index, took) }
            // A fetch shows as the window's first row changing (pages come in and old ones are dropped).
            let first = CatalogConsoleBenchmark.productsScreen(runner)?.table.rows.first?.id
            if first != firstRowID {
                fetches += 1
                firstRowID = first
            }
        }
        let expected = "Game \(CatalogConsoleBenchmark.downs + 1)"
        guard let selected = CatalogConsoleBenchmark.productsScreen(runner)?.selectedProduct?.name, selected == expected else {
            throw BenchError("\(name): after \(CatalogConsoleBenchmark.downs) Downs the selection is not \(expected):\n\(runner.frame().textDump())")
        }
        let frame = runner.frame().textDump()
        guard CatalogConsoleBenchmark.showsRow(frame, slug: "game-\(CatalogConsoleBenchmark.downs + 1)") else {
            throw BenchError("\(name): \(expected) is selected but not on screen:\n\(frame)")
        }
        let target = CatalogConsoleBenchmark.frameTargetMilliseconds
        let max = samples.percentile(100)
        let line = Benchmark.pad(name)
            + "  Down + frame max \(Benchmark.format(max, 2)) ms  p99 \(Benchmark.format(samples.percentile(99), 2)) ms"
            + "  median \(Benchmark.format(samples.median, 3)) ms"
            + "  target: no frame > \(Int(target)) ms: \(verdict(max <= target))"
            + "  (\(CatalogConsoleBenchmark.downs) Downs to \(expected), slowest at Down \(slowest.index), \(fetches) window shifts by page fetch;"
            + " headless ConsoleShell \(CatalogConsoleBenchmark.size.width)x\(CatalogConsoleBenchmark.size.height), pages fetched inline;"
            + " \(bench.seedSummary); \(settings.cpuSummary))"
        let sorted = samples.nanoseconds.sorted(by: >)
        let rounds = "  \(name) slowest 10 (ms): " + sorted.prefix(10).map { Benchmark.format(Double($0) / 1e6, 2) }.joined(separator: " ") + "\n"
        return FigureReport(line: line, roundLines: rounds)
    }

    func profile(side: BenchSide, settings: BenchSettings) throws -> FigureReport { try measure(settings: settings) }
}
