/// `backoffice-bench`: measures our libpq layer (`Postgres` + the pool) and the catalog services against
/// raw libpq calls doing the same work, and prints one line per figure.
///
/// This file exists for what surrounds the measurements: reading the command line, pinning to a CPU
/// (`CPUAffinity`), provisioning the database (`BenchDatabase`), running the selected figures
/// (`RoundTripBenchmarks`; the catalog figures `ProductCreateBenchmark`, `ProductFilterBenchmark` and
/// `KeyImportBenchmark` over `CatalogSetup`; the real console binary in `ConsoleEndToEnd`) with the harness
/// (`Benchmark`), and always tearing the
/// database down again, also on errors and on Ctrl-C. Exit status: 0 on success, 1 when setup or a figure fails, 2 on a usage
/// error, 128 + n after signal n; a failure is one line on stderr.
///
/// ```
/// swift run -c release backoffice-bench [--count N] [--rounds N] [--figure NAME]… (see --help)
/// ```
/// `BACKOFFICE_BENCH_OWNER_URL` and `BACKOFFICE_BENCH_APP_URL` point it at an existing database; without
/// them it runs a throwaway embedded cluster in a fresh temporary directory.
import Foundation

/// Every figure, in output order. A new file of figures adds its names here and its suite in
/// `runFigures`.
enum FigureCatalog {
    static let catalogNames = [ProductCreateBenchmark.figureName, ProductFilterBenchmark.figureName, KeyImportBenchmark.figureName]
    static let orderNames = [OrderPlaceBenchmark.figureName, DeliveryQueueBenchmark.figureName, OrderListBenchmark.figureName]
    static let names = RoundTripBenchmarks.names + catalogNames + orderNames + ConsoleFigures.names + ConsoleEndToEnd.names
        + CatalogConsoleBenchmark.names
}

/// What the command line asked for.
struct BenchOptions {
    var settings = BenchSettings()
    /// Figure names to run; empty means all.
    var figures: [String] = []
    /// `--profile ours|raw`: run only one side of each figure (for callgrind / perf).
    var profileSide: BenchSide?
    /// Whether to pin to one CPU (see `CPUAffinity`), and which; nil picks the last allowed CPU.
    var pin = true
    var cpu: Int?
    /// `--verbose`: every round's figures on stderr.
    var verbose = false

    static let usage = """
        usage: backoffice-bench [--count N] [--rounds N] [--warmup N] [--slice N] [--figure NAME]…
                                [--profile ours|raw] [--cpu N | --no-pin] [--verbose]
          --count N     transactions per side per round (default 2000; product_create_10attr_3var
                        uses a fifth, product_filter_200k times count/2 pages per side; order_place_and_pay
                        a fifth, delivery_claim_deliver_2clients half, order_list_1m count/8 pages per depth)
          --rounds N    measured rounds; the best round of each side is reported (default 3;
                        keys_import_100k imports 100,000 keys per side per round)
          --warmup N    unmeasured transactions per side before the first round (default 300)
          --slice N     transactions per slice; the sides alternate slice by slice (default 100)
          --figure NAME run only this figure (repeatable): \(FigureCatalog.names.joined(separator: ", "))
          --profile S   run only side S (ours or raw_libpq) of each figure, for a profiler
          --cpu N       pin the bench and its throwaway cluster to CPU N (default: the last allowed CPU)
          --no-pin      do not pin (results then depend on where the scheduler puts each backend)
          --verbose     also print every round's figures to stderr
        environment: BACKOFFICE_BENCH_OWNER_URL and BACKOFFICE_BENCH_APP_URL (both) use an existing
        database instead of a throwaway embedded cluster.
        """

    /// Parses `CommandLine.arguments` (without the program name). Accepts `--name value` and `--name=value`.
    static func parse(_ arguments: [String]) throws(UsageError) -> BenchOptions {
        var options = BenchOptions()
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            var name = argument
            var inlineValue: String?
            if let equals = argument.firstIndex(of: "="), argument.hasPrefix("--") {
                name = String(argument[..<equals])
                inlineValue = String(argument[argument.index(after: equals)...])
            }
            func value() throws(UsageError) -> String {
                if let inlineValue { return inlineValue }
                guard let next = rest.popFirst() else { throw UsageError("\(name) needs a value") }
                return next
            }
            func positive() throws(UsageError) -> Int {
                let text = try value()
                guard let number = Int(text), number > 0 else { throw UsageError("\(name) needs a positive integer, not '\(text)'") }
                return number
            }
            switch name {
            case "--count": options.settings.count = try positive()
            case "--rounds": options.settings.rounds = try positive()
            case "--warmup":
                let text = try value()
                guard let number = Int(text), number >= 0 else { throw UsageError("--warmup needs a non-negative integer, not '\(text)'") }
                options.settings.warmup = number
            case "--slice": options.settings.slice = try positive()
            case "--figure":
                let figure = try value()
                guard FigureCatalog.names.contains(figure) else {
                    throw UsageError("unknown figure '\(figure)' (known: \(FigureCatalog.names.joined(separator: ", ")))")
                }
                options.figures.append(figure)
            case "--profile":
                let text = try value()
                switch text {
                case "ours": options.profileSide = .ours
                case "raw", "raw_libpq": options.profileSide = .raw
                default: throw UsageError("--profile takes ours or raw_libpq, not '\(text)'")
                }
            case "--cpu":
                let text = try value()
                guard let number = Int(text), number >= 0 else { throw UsageError("--cpu needs a CPU number, not '\(text)'") }
                options.cpu = number
            case "--no-pin": options.pin = false
            case "--verbose": options.verbose = true
            case "-h", "--help":
                throw UsageError(nil)
            default:
                throw UsageError("unknown argument '\(argument)'")
            }
        }
        return options
    }
}

/// A bad command line; `nil` message means `--help`.
struct UsageError: Error {
    var message: String?
    init(_ message: String?) { self.message = message }
}

/// Collapses an error into the one line the bench prints on failure.
func oneLine(_ error: any Error) -> String {
    String(describing: error).split(whereSeparator: \.isNewline).joined(separator: " ")
}

func runBench(_ options: BenchOptions) throws {
    var settings = options.settings
    if options.pin {
        guard let cpu = options.cpu ?? CPUAffinity.allowedCPUs()?.last else {
            throw BenchError("cannot read this process's CPU affinity to choose a CPU (use --cpu N or --no-pin)")
        }
        try CPUAffinity.pin(to: cpu)
        settings.pinnedCPU = cpu
    }
    // The console figures need no database: run them first, and stop there when nothing else is wanted.
    try ConsoleFigures.run(options, settings: settings)
    guard ConsoleFigures.needsDatabase(options) else { return }
    let database = try BenchDatabase.configure(environment: ProcessInfo.processInfo.environment)
    // Ctrl-C or a kill must not leave a cluster behind: tear down from the signal handler, then leave
    // with 128 + signal (see `Interruption.finish`).
    let interruption = Interruption()
    var signalSources: [any DispatchSourceSignal] = []
    for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
        signal(signalNumber, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
        source.setEventHandler {
            interruption.signal = signalNumber
            interruption.finish(database, signal: signalNumber)
        }
        source.resume()
        signalSources.append(source)
    }
    defer {
        signalSources.forEach { $0.cancel() }
        database.teardown()
    }
    do {
        try database.start()
        try runFigures(options, settings: settings, database: database)
    } catch {
        // A failure caused by the interruption (the server went away under us) is not worth reporting.
        if let signalNumber = interruption.signal {
            interruption.finish(database, signal: signalNumber)
        }
        throw error
    }
}

func runFigures(_ options: BenchOptions, settings: BenchSettings, database: BenchDatabase) throws {
    let wanted = FigureCatalog.names.filter { options.figures.isEmpty || options.figures.contains($0) }
    func run(_ figure: any BenchFigure) throws {
        try figure.verify()
        let report = try options.profileSide.map { try figure.profile(side: $0, settings: settings) }
            ?? figure.measure(settings: settings)
        if options.verbose { FileHandle.standardError.write(Data(report.roundLines.utf8)) }
        FileHandle.standardOutput.write(Data((report.line + "\n").utf8))
    }
    if wanted.contains(where: RoundTripBenchmarks.names.contains) {
        let seed = try database.seed()
        let roundTrips = try RoundTripBenchmarks(appURL: database.appURL, seed: seed)
        defer { roundTrips.close() }
        for figure in roundTrips.figures where wanted.contains(figure.name) {
            try run(figure)
        }
    }
    // The real console binary on the demo with 1,000,000 orders; before the catalog figures, so the demo
    // is loaded as `backoffice demo` would on a platform without a super admin.
    let endToEnd = try ConsoleEndToEnd.runnable(wanted, explicit: !options.figures.isEmpty)
    if !endToEnd.isEmpty {
        let console = try ConsoleEndToEnd(database: database)
        defer { console.close() }
        for figure in console.figures(endToEnd) { try run(figure) }
    }
    // The console's products screen on 200,000 products, headless in process (`CatalogConsoleBenchmark`).
    let productsConsole = wanted.filter(CatalogConsoleBenchmark.names.contains)
    if !productsConsole.isEmpty {
        let setup = try CatalogSetup(database)
        defer { setup.close() }
        let bench = try CatalogConsoleBenchmark(setup: setup)
        defer { bench.close() }
        for figure in bench.figures(productsConsole) { try run(figure) }
    }
    let catalogFigures = wanted.filter { FigureCatalog.catalogNames.contains($0) || FigureCatalog.orderNames.contains($0) }
    guard !catalogFigures.isEmpty else { return }
    let setup = try CatalogSetup(database)
    defer { setup.close() }
    for name in catalogFigures {
        switch name {
        case ProductCreateBenchmark.figureName: try run(ProductCreateBenchmark(setup: setup).figure)
        case ProductFilterBenchmark.figureName: try run(ProductFilterBenchmark(setup: setup))
        case KeyImportBenchmark.figureName: try run(KeyImportBenchmark(setup: setup))
        case OrderPlaceBenchmark.figureName: try run(OrderPlaceBenchmark(setup: setup).figure)
        case DeliveryQueueBenchmark.figureName: try run(DeliveryQueueBenchmark(setup: setup, settings: settings))
        case OrderListBenchmark.figureName: try run(OrderListBenchmark(setup: setup))
        default: throw BenchError("no figure named \(name)")
        }
    }
}

let options: BenchOptions
do {
    options = try BenchOptions.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
    if let message = error.message {
        FileHandle.standardError.write(Data("backoffice-bench: \(message) (see --help)\n".utf8))
        exit(2)
    }
    FileHandle.standardOutput.write(Data((BenchOptions.usage + "\n").utf8))
    exit(0)
}
do {
    try runBench(options)
} catch {
    FileHandle.standardError.write(Data("backoffice-bench: error: \(oneLine(error))\n".utf8))
    exit(1)
}
