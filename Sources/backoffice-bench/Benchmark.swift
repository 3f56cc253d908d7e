/// The timing harness: runs a figure's two sides (our layer, raw libpq) under identical conditions and
/// turns the timings into one printed line.
///
/// This file exists so every figure is measured the same way: both sides warm up first, then each
/// measured round runs `count` transactions per side in slices of `slice` transactions, alternating
/// sides slice by slice (and which side goes first), so machine noise and server state hit both
/// equally. A side's round rate is its transactions over the summed wall time of its slices; the figure
/// reports each side's best round (noise only ever slows a round down), plus the client CPU time per
/// transaction (this thread's CPU clock), which shows the layer's own cost without the round trips.
import Foundation

/// Which implementation of a figure runs.
enum BenchSide: Sendable {
    case ours, raw

    var label: String {
        switch self {
        case .ours: "ours"
        case .raw: "raw_libpq"
        }
    }
}

/// How much to run; set from the command line.
struct BenchSettings: Sendable {
    /// Transactions per side per measured round.
    var count = 2000
    /// Measured rounds.
    var rounds = 3
    /// Unmeasured transactions per side before the first round.
    var warmup = 300
    /// Transactions per slice; sides alternate slice by slice.
    var slice = 100
    /// The CPU the bench is pinned to, if any (shown in the output).
    var pinnedCPU: Int?

    /// `best of 3 rounds x 2000 tx, cpu 1`
    var summary: String { summary(unit: "tx") }

    func summary(unit: String) -> String {
        "\(rounds) rounds x \(count) \(unit == "tx" ? unit : unit + "s"), " + cpuSummary
    }

    /// `cpu 1` or `unpinned`.
    var cpuSummary: String { pinnedCPU.map { "cpu \($0)" } ?? "unpinned" }

    /// These settings with count, warmup and slice divided by `divisor` (at least 1 each; warmup may be 0),
    /// for figures whose transactions are much heavier than a round trip.
    func scaled(by divisor: Int) -> BenchSettings {
        guard divisor > 1 else { return self }
        var scaled = self
        scaled.count = max(1, count / divisor)
        scaled.warmup = warmup / divisor
        scaled.slice = max(1, slice / divisor)
        return scaled
    }
}

/// What a figure printed: its one line, and (for `--verbose`) every round's figures.
struct FigureReport {
    var line: String
    var roundLines: String
}

/// Anything the bench can run as one figure: checked first, then measured (both sides) or profiled
/// (one side). `Figure` is the common case (alternating slices of transactions); figures with their
/// own harness (latency percentiles, one big import) conform directly.
protocol BenchFigure {
    var name: String { get }
    func verify() throws
    func measure(settings: BenchSettings) throws -> FigureReport
    func profile(side: BenchSide, settings: BenchSettings) throws -> FigureReport
}

/// One figure: the same work written twice, once through our layer and once straight against libpq.
/// Each closure runs transaction number `i` (both sides see the same sequence of inputs).
struct Figure: BenchFigure {
    let name: String
    let ours: (Int) throws -> Void
    let raw: (Int) throws -> Void
    /// Runs before timing: both sides must send the same statements and produce the same values.
    let check: () throws -> Void
    /// What one transaction is called in the output (`tx`, `product`).
    var unit = "tx"
    /// Divides count, warmup and slice for heavy transactions (see `BenchSettings.scaled(by:)`).
    var scale = 1

    init(name: String, unit: String = "tx", scale: Int = 1, ours: @escaping (Int) throws -> Void,
         raw: @escaping (Int) throws -> Void, verify: @escaping () throws -> Void) {
        self.name = name
        self.unit = unit
        self.scale = scale
        self.ours = ours
        self.raw = raw
        self.check = verify
    }

    func verify() throws { try check() }

    func measure(settings: BenchSettings) throws -> FigureReport {
        let result = try Benchmark.measure(self, settings: settings.scaled(by: scale))
        return FigureReport(line: result.line, roundLines: result.roundLines)
    }

    func profile(side: BenchSide, settings: BenchSettings) throws -> FigureReport {
        let result = try Benchmark.profile(self, side: side, settings: settings.scaled(by: scale))
        return FigureReport(line: result.line, roundLines: result.roundLines)
    }
}

/// What one side achieved in one round.
struct RoundSample {
    var transactions = 0
    var wallNanoseconds: UInt64 = 0
    var cpuNanoseconds: UInt64 = 0

    var transactionsPerSecond: Double {
        wallNanoseconds == 0 ? 0 : Double(transactions) * 1e9 / Double(wallNanoseconds)
    }

    var cpuMicrosecondsPerTransaction: Double {
        transactions == 0 ? 0 : Double(cpuNanoseconds) / 1e3 / Double(transactions)
    }
}

/// A figure's result, ready to print.
struct FigureResult {
    var name: String
    var unit = "tx"
    var settings: BenchSettings
    var ours: [RoundSample]
    var raw: [RoundSample]

    static func best(_ samples: [RoundSample]) -> (rate: Double, cpu: Double) {
        (samples.map(\.transactionsPerSecond).max() ?? 0, samples.map(\.cpuMicrosecondsPerTransaction).min() ?? 0)
    }

    var ratio: Double {
        let raw = Self.best(raw).rate
        return raw == 0 ? 0 : Self.best(ours).rate / raw
    }

    /// `name  ours X tx/s  raw_libpq Y tx/s  ratio R  client_cpu ours A us/tx  raw_libpq B us/tx  (best of …)`
    var line: String {
        let ours = Self.best(ours), raw = Self.best(raw)
        return Benchmark.pad(name)
            + "  ours \(Benchmark.format(ours.rate, 1)) \(unit)/s"
            + "  raw_libpq \(Benchmark.format(raw.rate, 1)) \(unit)/s"
            + "  ratio \(Benchmark.format(ratio, 2))"
            + "  client_cpu ours \(Benchmark.format(ours.cpu, 1)) us/\(unit)"
            + "  raw_libpq \(Benchmark.format(raw.cpu, 1)) us/\(unit)"
            + "  (best of \(settings.summary(unit: unit)))"
    }

    /// Every round of both sides, for `--verbose`.
    var roundLines: String {
        zip(ours, raw).enumerated().map { index, pair in
            "  \(name) round \(index + 1): ours \(Benchmark.format(pair.0.transactionsPerSecond, 1)) \(unit)/s"
                + " \(Benchmark.format(pair.0.cpuMicrosecondsPerTransaction, 1)) us/\(unit)"
                + "  raw_libpq \(Benchmark.format(pair.1.transactionsPerSecond, 1)) \(unit)/s"
                + " \(Benchmark.format(pair.1.cpuMicrosecondsPerTransaction, 1)) us/\(unit)\n"
        }.joined()
    }
}

/// One side of a figure alone (`--profile`), for running under a profiler.
struct ProfileResult {
    var name: String
    var unit = "tx"
    var side: BenchSide
    var settings: BenchSettings
    var samples: [RoundSample]

    var line: String {
        let best = FigureResult.best(samples)
        return Benchmark.pad(name)
            + "  \(side.label) \(Benchmark.format(best.rate, 1)) \(unit)/s"
            + "  client_cpu \(Benchmark.format(best.cpu, 1)) us/\(unit)"
            + "  (profile: \(side.label) only, best of \(settings.summary(unit: unit)))"
    }

    /// Every round, for `--verbose`.
    var roundLines: String {
        samples.enumerated().map { index, sample in
            "  \(name) round \(index + 1): \(side.label) \(Benchmark.format(sample.transactionsPerSecond, 1)) \(unit)/s"
                + " \(Benchmark.format(sample.cpuMicrosecondsPerTransaction, 1)) us/\(unit)\n"
        }.joined()
    }
}

enum Benchmark {
    /// Warms up, then measures both sides in alternating slices.
    static func measure(_ figure: Figure, settings: BenchSettings) throws -> FigureResult {
        var oursRunner = SideRunner(body: figure.ours)
        var rawRunner = SideRunner(body: figure.raw)
        try alternate(&oursRunner, &rawRunner, count: settings.warmup, slice: settings.slice, round: 0)
        var result = FigureResult(name: figure.name, unit: figure.unit, settings: settings, ours: [], raw: [])
        for round in 0..<settings.rounds {
            oursRunner.sample = RoundSample()
            rawRunner.sample = RoundSample()
            try alternate(&oursRunner, &rawRunner, count: settings.count, slice: settings.slice, round: round)
            result.ours.append(oursRunner.sample)
            result.raw.append(rawRunner.sample)
        }
        return result
    }

    /// Warms up and measures one side only.
    static func profile(_ figure: Figure, side: BenchSide, settings: BenchSettings) throws -> ProfileResult {
        var runner = SideRunner(body: side == .ours ? figure.ours : figure.raw)
        try runner.run(settings.warmup)
        var result = ProfileResult(name: figure.name, unit: figure.unit, side: side, settings: settings, samples: [])
        for _ in 0..<settings.rounds {
            runner.sample = RoundSample()
            try runner.run(settings.count)
            result.samples.append(runner.sample)
        }
        return result
    }

    private static func alternate(_ ours: inout SideRunner, _ raw: inout SideRunner, count: Int, slice: Int, round: Int) throws {
        var remaining = count
        var sliceIndex = 0
        while remaining > 0 {
            let n = min(slice, remaining)
            if (round + sliceIndex) % 2 == 0 {
                try ours.run(n)
                try raw.run(n)
            } else {
                try raw.run(n)
                try ours.run(n)
            }
            remaining -= n
            sliceIndex += 1
        }
    }

    static func pad(_ name: String) -> String {
        name.count >= 24 ? name : name + String(repeating: " ", count: 24 - name.count)
    }

    static func format(_ value: Double, _ decimals: Int) -> String {
        String(format: "%.\(decimals)f", value)
    }
}

/// Runs one side's transactions, numbering them across slices and accumulating the current round.
private struct SideRunner {
    let body: (Int) throws -> Void
    var next = 0
    var sample = RoundSample()

    init(body: @escaping (Int) throws -> Void) {
        self.body = body
    }

    mutating func run(_ n: Int) throws {
        let wallStart = Self.now(CLOCK_MONOTONIC)
        let cpuStart = Self.now(CLOCK_THREAD_CPUTIME_ID)
        for _ in 0..<n {
            try body(next)
            next += 1
        }
        sample.cpuNanoseconds += Self.now(CLOCK_THREAD_CPUTIME_ID) - cpuStart
        sample.wallNanoseconds += Self.now(CLOCK_MONOTONIC) - wallStart
        sample.transactions += n
    }

    private static func now(_ clock: clockid_t) -> UInt64 {
        BenchClock.now(clock)
    }
}

/// The two clocks the harness reads: wall time (monotonic) and this thread's CPU time, in nanoseconds.
enum BenchClock {
    static func now(_ clock: clockid_t) -> UInt64 {
        var spec = timespec()
        clock_gettime(clock, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }

    static var wall: UInt64 { now(CLOCK_MONOTONIC) }
    static var cpu: UInt64 { now(CLOCK_THREAD_CPUTIME_ID) }
}

/// Latency samples of one side, in nanoseconds, summarised as percentiles.
struct LatencySamples {
    var nanoseconds: [UInt64] = []
    var cpuNanoseconds: UInt64 = 0

    /// The `p`-th percentile (0...100) in milliseconds, nearest-rank.
    func percentile(_ p: Double) -> Double {
        guard !nanoseconds.isEmpty else { return 0 }
        let sorted = nanoseconds.sorted()
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return Double(sorted[min(max(rank, 1), sorted.count) - 1]) / 1e6
    }

    var median: Double { percentile(50) }
    var p95: Double { percentile(95) }

    var cpuMicrosecondsPerCall: Double {
        nanoseconds.isEmpty ? 0 : Double(cpuNanoseconds) / 1e3 / Double(nanoseconds.count)
    }

    /// Runs `body` once, timing it.
    mutating func time(_ body: () throws -> Void) rethrows {
        let cpuStart = BenchClock.cpu
        let start = BenchClock.wall
        try body()
        nanoseconds.append(BenchClock.wall - start)
        cpuNanoseconds += BenchClock.cpu - cpuStart
    }
}
