/// The console end to end: the real release binary (`backoffice` beside `backoffice-bench`) against the
/// bench database, in a real terminal, as a user reaches a store's orders table of 1,000,000 orders.
///
/// This file exists to hold those figures and the set-up they share:
/// - Set-up (`ConsoleEndToEnd`): the demo (`DemoData.load`, as `backoffice demo` does: over the owner
///   database on a platform without a super admin, else through a bench super admin), with a master key
///   file of our own; then demo-games gets 1,000,000 orders by `OrderListBenchmark.seed` (one `INSERT …
///   SELECT generate_series` as the owner with the tenant set), numbered after the demo's orders, its
///   order counter updated, then VACUUM (ANALYZE). The demo's six orders stay the newest. On a database
///   we were pointed at that already has demo-games, the figures refuse rather than fill it.
/// - `console_e2e_key_bytes`: in tmux at 200x50 (`BenchTmux`), sign in as the demo-games manager, `o`,
///   then 100 Downs and 100 PageDowns, one key at a time (the next once the position indicator shows the
///   move, no page is loading and nothing has changed for 30 ms), the pane's output `pipe-pane`d into a
///   file per run of keys; bytes per key against pspg's (~520 per Down, ~5,300 per PageDown). With
///   BACKOFFICE_BENCH_PIPE_DIR set, the two files are copied there (`downs`, `pagedowns`).
/// - `console_e2e_startup`: the binary spawned on a 200x50 pty (`PtyProcess`, TERM=xterm-256color) until
///   its output holds "Sign in to Backoffice"; 20 runs after 2 unmeasured ones; median and p95 against
///   200 ms, and the median time to its first byte.
/// - `console_e2e_rss_1m`: in tmux at 200x50, the orders table opened, then End, PageUp x50, Home (each
///   key waited for as above); the console's VmRSS (and VmHWM, its peak) from /proc against 60 MiB, with
///   VmRSS at each step.
/// All three run the binary with BACKOFFICE_DATABASE_URL (app role), BACKOFFICE_OWNER_DATABASE_URL (so it
/// checks migrations at start, as a configured install does), BACKOFFICE_MASTER_KEY_FILE, and HOME and
/// XDG_STATE_HOME in a temporary directory. The binary, tmux and the console inherit the bench's CPU pin.
import Domain
import Foundation
import Postgres

final class ConsoleEndToEnd {
    static let keyBytesName = "console_e2e_key_bytes"
    static let startupName = "console_e2e_startup"
    static let memoryName = "console_e2e_rss_1m"
    static let notifyName = "console_notify_refresh"
    static let ordersName = "console_orders_1m"
    static let names = [keyBytesName, startupName, memoryName, notifyName, ordersName]

    static let width = 200
    static let height = 50
    static let seededOrders = 1_000_000
    static let managerEmail = "manager@demo-games.test"
    static let storeSlug = "demo-games"
    static let signInMarker = "Sign in to Backoffice"

    let database: BenchDatabase
    let binary: String
    /// Keys, HOME, state, tmux directories; deleted by `close()`.
    let directory: String
    let keyFile: String
    private(set) var seedSummary = ""
    private(set) var totalOrders = 0

    init(database: BenchDatabase) throws {
        self.database = database
        binary = try Self.locateBinary()
        // Inside the throwaway cluster's directory when there is one, so a teardown after a signal removes it too.
        directory = (database.cluster.map { $0.directory + "/" } ?? NSTemporaryDirectory()) + "backoffice-bench-e2e-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory + "/state", withIntermediateDirectories: true)
        keyFile = directory + "/keys/master.key"
        do {
            let keyring = try MasterKeyring.loadOrCreateDefault(dataDirectory: directory + "/keys")
            guard FileManager.default.fileExists(atPath: keyFile) else { throw BenchError("no master key at \(keyFile)") }
            try loadDemo(keyring: keyring)
            try seedOrders()
        } catch {
            close()
            throw error
        }
    }

    func close() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The figures asked for, in catalog order.
    func figures(_ names: [String]) -> [any BenchFigure] {
        names.compactMap { name in
            switch name {
            case Self.keyBytesName: ConsoleKeyBytesBenchmark(e2e: self)
            case Self.startupName: ConsoleStartupBenchmark(e2e: self)
            case Self.memoryName: ConsoleMemoryBenchmark(e2e: self)
            case Self.notifyName: ConsoleNotifyBenchmark(e2e: self)
            case Self.ordersName: ConsoleOrdersBenchmark(e2e: self)
            default: nil
            }
        }
    }

    /// The figures of `wanted` that can run. They need tmux and the release binary beside the bench: when
    /// either is missing, figures asked for by name fail, and a run of every figure skips them, saying so.
    static func runnable(_ wanted: [String], explicit: Bool) throws -> [String] {
        let figures = wanted.filter(names.contains)
        guard !figures.isEmpty else { return [] }
        do {
            _ = try locateBinary()
            guard BenchTmux.executable("tmux") != nil else { throw BenchError("the console figures need tmux (apt-get install tmux)") }
            return figures
        } catch {
            if explicit { throw error }
            FileHandle.standardError.write(Data("backoffice-bench: skipping \(figures.joined(separator: ", ")): \(oneLine(error))\n".utf8))
            return []
        }
    }

    /// `backoffice` in the directory the bench runs from (`.build-release/release`).
    private static func locateBinary() throws -> String {
        let bench = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let path = ((bench as NSString).deletingLastPathComponent as NSString).appendingPathComponent("backoffice")
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw BenchError("the console figures run the real binary, but \(path) does not exist: build both with "
                + "`swift build -c release --build-path .build-release`")
        }
        return path
    }

    // MARK: Set-up

    private func loadDemo(keyring: MasterKeyring) throws {
        let owner = Database(url: database.ownerURL, maxConnections: 1)
        defer { owner.close() }
        let connection = try Connection.connect(database.ownerURL, applicationName: "backoffice-bench")
        defer { connection.close() }
        let existing: Int = try connection.query("SELECT count(*) AS n FROM tenants WHERE slug = \(Self.storeSlug)").single().decode("n")
        guard existing == 0 else {
            throw BenchError("the console figures add \(Self.seededOrders) orders to \(Self.storeSlug), which this database already has: "
                + "use a throwaway cluster (unset BACKOFFICE_BENCH_OWNER_URL/APP_URL) or a database without the demo")
        }
        let app = Database(url: database.appURL, maxConnections: 2)
        defer { app.close() }
        let demo = DemoData(database: app, box: SecretBox(keyring: keyring))
        let report: DemoData.Report
        do {
            report = try demo.load(platform: nil, ownerDatabase: owner)
        } catch is ForbiddenError {
            // A platform that has a super admin already (an existing database, or the catalog figures ran
            // first): load as ours, as a signed-in super admin running `backoffice demo` would.
            let setup = try CatalogSetup(database)
            defer { setup.close() }
            report = try demo.load(platform: setup.platform, ownerDatabase: nil)
        }
        // What the demo created goes on teardown (a throwaway cluster goes whole anyway).
        for slug in DemoData.storeSlugs where report.created.contains("store \(slug)") {
            database.record(tenant: try connection.query("SELECT id FROM tenants WHERE slug = \(slug)").single().decode("id"))
        }
        for entry in report.created where entry.hasPrefix("user ") {
            let email = String(entry.dropFirst(5))
            database.record(user: try connection.query("SELECT id FROM users WHERE email = \(email)").single().decode("id"))
        }
    }

    private func seedOrders() throws {
        let started = BenchClock.wall
        let owner = try Connection.connect(database.ownerURL, applicationName: "backoffice-bench")
        defer { owner.close() }
        let tenantID: UUID = try owner.query("SELECT id FROM tenants WHERE slug = \(Self.storeSlug)").single().decode("id")
        let manager: UUID = try owner.query("SELECT id FROM users WHERE email = \(Self.managerEmail)").single().decode("id")
        let demoOrders: Int64 = try owner.transaction { connection in
            try connection.setLocal(DatabaseRoles.tenantSetting, to: tenantID.uuidString)
            return try connection.query("SELECT coalesce(max(order_number), 0) AS n FROM orders WHERE tenant_id = \(tenantID)")
                .single().decode("n")
        }
        let skipped = try OrderListBenchmark.seed(owner, tenantID: tenantID, user: manager, count: Self.seededOrders, salt: 0,
                                                  firstNumber: demoOrders + 1)
        try owner.execute("VACUUM (ANALYZE) orders")
        totalOrders = Self.seededOrders + Int(demoOrders)
        let seconds = Double(BenchClock.wall - started) / 1e9
        seedSummary = "\(Self.storeSlug): \(demoOrders) demo + \(Self.seededOrders) seeded orders in \(Benchmark.format(seconds, 1)) s"
            + (skipped ? "" : " with FK checks")
    }

    // MARK: Running the binary

    /// The environment the console runs with (besides PATH, LANG and TERM).
    var consoleEnvironment: [String: String] {
        [
            "BACKOFFICE_DATABASE_URL": database.appURL,
            "BACKOFFICE_OWNER_DATABASE_URL": database.ownerURL,
            "BACKOFFICE_MASTER_KEY_FILE": keyFile,
            "HOME": directory,
            "XDG_STATE_HOME": directory + "/state",
        ]
    }

    /// A tmux session at 200x50 with the console started in it.
    func tmux(_ label: String) throws -> BenchTmux {
        try BenchTmux(binary: binary, environment: consoleEnvironment, width: Self.width, height: Self.height,
                      directory: directory + "/tmux-\(label)-\(UUID().uuidString.prefix(6))")
    }

    /// From the sign-in screen to the store home of demo-games as its manager, then `o` to the orders
    /// table, its first page loaded. Returns the table's position.
    @discardableResult
    func openOrders(_ tmux: BenchTmux, memory: ((String) throws -> Void)? = nil) throws -> BenchTmux.TablePosition {
        try tmux.settle(what: "the sign-in screen") { $0.contains(Self.signInMarker) }
        try memory?("sign-in")
        try tmux.literal(Self.managerEmail)
        try tmux.keys("Tab")
        try tmux.literal(DemoData.password)
        try tmux.keys("Enter")
        try tmux.settle(what: "demo-games' home") { $0.contains("you are manager") && $0.contains("o orders") }
        try memory?("home")
        try tmux.literal("o")
        let table = try tmux.settle(what: "the orders table") { screen in
            guard let position = screen.position else { return false }
            return position.index == 1 && !position.fromEnd && !position.isLoading && screen.contains("#")
        }
        try memory?("orders")
        return table.position!
    }
}

extension DemoData {
    static var storeSlugs: [String] { ["demo-games", "demo-software"] }
}

/// `PASS` or `FAIL`.
func verdict(_ passed: Bool) -> String { passed ? "PASS" : "FAIL" }

// MARK: - Bytes per key

struct ConsoleKeyBytesBenchmark: BenchFigure {
    static let keys = 100
    static let pspgDown = 520.0
    static let pspgPageDown = 5_300.0

    let e2e: ConsoleEndToEnd
    let name = ConsoleEndToEnd.keyBytesName

    func verify() throws {}

    func measure(settings: BenchSettings) throws -> FigureReport {
        let tmux = try e2e.tmux("bytes")
        defer { tmux.tearDown() }
        let start = try e2e.openOrders(tmux)
        var rounds: [String] = []

        // Downs: each moves the selection one row (scrolling once the bottom of the screen is reached).
        try tmux.startPiping("downs")
        var position = start
        var downSizes: [Int] = []
        for step in 1...Self.keys {
            let before = tmux.pipedBytes
            let expected = start.index + step
            position = try tmux.press("Down", what: "row \(expected) selected") { $0.index == expected && !$0.fromEnd }
            downSizes.append(tmux.pipedBytes - before)
        }
        let downBytes = try tmux.stopPiping()

        // PageDowns: each moves a screenful (pages load as the selection nears the end of the window).
        try tmux.startPiping("pagedowns")
        let pageStart = position.index
        var pageSizes: [Int] = []
        for _ in 1...Self.keys {
            let before = tmux.pipedBytes
            let previous = position.index
            position = try tmux.press("NPage", what: "a page past row \(previous)") { $0.index > previous && !$0.fromEnd }
            pageSizes.append(tmux.pipedBytes - before)
        }
        let pageBytes = try tmux.stopPiping()
        // BACKOFFICE_BENCH_PIPE_DIR: keep what the pane was sent, for reading the escape sequences.
        if let keep = ProcessInfo.processInfo.environment["BACKOFFICE_BENCH_PIPE_DIR"], !keep.isEmpty {
            try? FileManager.default.createDirectory(atPath: keep, withIntermediateDirectories: true)
            for file in ["downs", "pagedowns"] {
                try? FileManager.default.removeItem(atPath: keep + "/" + file)
                try? FileManager.default.copyItem(atPath: tmux.directory + "/" + file, toPath: keep + "/" + file)
            }
        }
        let perDown = Double(downBytes) / Double(Self.keys)
        let perPage = Double(pageBytes) / Double(Self.keys)
        rounds.append("  \(name) Down bytes: \(downSizes.map(String.init).joined(separator: " "))\n")
        rounds.append("  \(name) PageDown bytes: \(pageSizes.map(String.init).joined(separator: " "))\n")

        let line = Benchmark.pad(name)
            + "  Down \(Benchmark.format(perDown, 0)) bytes/key (pspg ~\(Int(Self.pspgDown))): \(verdict(perDown <= Self.pspgDown))"
            + "  PageDown \(Benchmark.format(perPage, 0)) bytes/key (pspg ~\(Int(Self.pspgPageDown))): \(verdict(perPage <= Self.pspgPageDown))"
            + "  target: no more than pspg"
            + "  (\(Self.keys) keys each, rows \(start.index)->\(pageStart) by Down, \(pageStart)->\(position.index) by PageDown;"
            + " median \(median(downSizes))/\(median(pageSizes)) bytes, max \(downSizes.max() ?? 0)/\(pageSizes.max() ?? 0);"
            + " 200x50 tmux pane, TERM=\(tmux.terminalType), pipe-pane; \(e2e.seedSummary); \(settings.cpuSummary))"
        return FigureReport(line: line, roundLines: rounds.joined())
    }

    func profile(side: BenchSide, settings: BenchSettings) throws -> FigureReport { try measure(settings: settings) }

    private func median(_ values: [Int]) -> Int {
        values.isEmpty ? 0 : values.sorted()[values.count / 2]
    }
}

// MARK: - Start-up

struct ConsoleStartupBenchmark: BenchFigure {
    static let runs = 20
    static let warmup = 2
    static let targetMilliseconds = 200.0
    static let terminalType = "xterm-256color"

    let e2e: ConsoleEndToEnd
    let name = ConsoleEndToEnd.startupName

    func verify() throws {}

    /// One start: nanoseconds to the first byte and to the sign-in screen.
    private func start(_ index: Int) throws -> (firstByte: UInt64, signIn: UInt64) {
        var environment = e2e.consoleEnvironment
        environment["TERM"] = Self.terminalType
        let inherited = ProcessInfo.processInfo.environment
        for key in ["PATH", "LANG", "LC_ALL", "LC_CTYPE"] { environment[key] = inherited[key] }
        let stderrPath = e2e.directory + "/startup-stderr"
        let process = try PtyProcess(e2e.binary, [e2e.binary, "console"], environment: environment.map { "\($0.key)=\($0.value)" },
                                     width: ConsoleEndToEnd.width, height: ConsoleEndToEnd.height, stderrPath: stderrPath,
                                     marker: ConsoleEndToEnd.signInMarker)
        let times = process.waitForMarker(timeout: 15)
        let output = process.output
        process.stop()
        guard let signIn = times.marker, let firstByte = times.firstByte else {
            let stderr = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
            throw BenchError("\(name): run \(index): '\(ConsoleEndToEnd.signInMarker)' never reached the pty; "
                + "stderr '\(stderr)'; output \(output.debugDescription.prefix(400))")
        }
        return (firstByte, signIn)
    }

    func measure(settings: BenchSettings) throws -> FigureReport {
        for index in 0..<Self.warmup { _ = try start(-1 - index) }
        var signIn = LatencySamples()
        var firstByte = LatencySamples()
        for index in 0..<Self.runs {
            let times = try start(index)
            signIn.nanoseconds.append(times.signIn)
            firstByte.nanoseconds.append(times.firstByte)
        }
        let passed = signIn.median < Self.targetMilliseconds && signIn.p95 < Self.targetMilliseconds
        let line = Benchmark.pad(name)
            + "  spawn to sign-in screen median \(Benchmark.format(signIn.median, 1)) ms  p95 \(Benchmark.format(signIn.p95, 1)) ms"
            + "  target < \(Int(Self.targetMilliseconds)) ms (median and p95): \(verdict(passed))"
            + "  (first byte median \(Benchmark.format(firstByte.median, 1)) ms; \(Self.runs) runs after \(Self.warmup),"
            + " 200x50 pty, TERM=\(Self.terminalType), database running, migrations checked; \(settings.cpuSummary))"
        let rounds = signIn.nanoseconds.enumerated().map { index, value in
            "  \(name) run \(index + 1): sign-in \(Benchmark.format(Double(value) / 1e6, 1)) ms,"
                + " first byte \(Benchmark.format(Double(firstByte.nanoseconds[index]) / 1e6, 1)) ms\n"
        }.joined()
        return FigureReport(line: line, roundLines: rounds)
    }

    func profile(side: BenchSide, settings: BenchSettings) throws -> FigureReport { try measure(settings: settings) }
}

// MARK: - Memory

struct ConsoleMemoryBenchmark: BenchFigure {
    static let pageUps = 50
    static let targetKiB = 60 * 1024

    let e2e: ConsoleEndToEnd
    let name = ConsoleEndToEnd.memoryName

    func verify() throws {}

    func measure(settings: BenchSettings) throws -> FigureReport {
        let tmux = try e2e.tmux("rss")
        defer { tmux.tearDown() }
        var steps: [(String, Int)] = []
        func note(_ label: String) throws { steps.append((label, try tmux.memory().rss)) }
        try e2e.openOrders(tmux, memory: note)
        var position = try tmux.press("End", what: "the oldest order") { $0.fromEnd && $0.index == 1 }
        try note("End")
        for _ in 1...Self.pageUps {
            let previous = position.index
            position = try tmux.press("PPage", what: "a page above \(previous) from the end") { $0.fromEnd && $0.index > previous }
        }
        try note("PageUp x\(Self.pageUps)")
        let rowsUp = position.index
        try tmux.press("Home", what: "the newest order") { !$0.fromEnd && $0.index == 1 }
        // Let the console settle (a refresh, the live feed) before the figure.
        usleep(300_000)
        let memory = try tmux.memory()
        steps.append(("Home", memory.rss))
        let line = Benchmark.pad(name)
            + "  VmRSS \(mib(memory.rss)) MiB  target < \(Self.targetKiB / 1024) MiB: \(verdict(memory.rss < Self.targetKiB))"
            + "  VmHWM (peak) \(mib(memory.peak)) MiB"
            + "  (VmRSS by step: \(steps.map { "\($0.0) \(mib($0.1))" }.joined(separator: ", ")) MiB;"
            + " End, \(Self.pageUps) PageUps to row \(rowsUp) from the end, Home, in the 200x50 tmux pane;"
            + " \(e2e.totalOrders) orders in \(ConsoleEndToEnd.storeSlug); \(settings.cpuSummary))"
        return FigureReport(line: line, roundLines: "")
    }

    func profile(side: BenchSide, settings: BenchSettings) throws -> FigureReport { try measure(settings: settings) }

    private func mib(_ kib: Int) -> String { Benchmark.format(Double(kib) / 1024, 1) }
}
