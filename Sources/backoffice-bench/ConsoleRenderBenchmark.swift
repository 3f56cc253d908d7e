/// `console_table_render`: drawing a whole 200x60 order-list screen (`ConsoleScreenFixture`) into the
/// headless `CellBuffer`, the work every frame does before anything reaches the terminal.
///
/// This file exists to hold that figure and the little that runs the console figures: they need no
/// database, so `main.swift` runs them (`ConsoleFigures.run`) before it provisions one, and skips the
/// database entirely when only console figures were asked for. Each frame clears the buffer and draws
/// the header bar, the table (column widths, sanitizing and fitting every cell) and the status bar;
/// between frames, outside the timing, the selection moves one row (down the screen, then back up), as
/// when someone holds an arrow key. The line gives median and p95 over at least 1,000 frames (`--count`,
/// after `--warmup` unmeasured ones) against the target: a median under 2 ms.
import Console
import Foundation

/// The console figures: names for `FigureCatalog`, and running the ones asked for.
enum ConsoleFigures {
    static let names = [ConsoleRenderBenchmark.figureName, ConsolePtyBenchmark.figureName]

    /// Runs the wanted console figures (all when `options.figures` is empty) and prints their lines.
    static func run(_ options: BenchOptions, settings: BenchSettings) throws {
        let wanted = names.filter { options.figures.isEmpty || options.figures.contains($0) }
        for name in wanted {
            let figure: any BenchFigure = name == ConsoleRenderBenchmark.figureName ? ConsoleRenderBenchmark() : ConsolePtyBenchmark()
            try figure.verify()
            let report = try options.profileSide.map { try figure.profile(side: $0, settings: settings) }
                ?? figure.measure(settings: settings)
            if options.verbose { FileHandle.standardError.write(Data(report.roundLines.utf8)) }
            FileHandle.standardOutput.write(Data((report.line + "\n").utf8))
        }
    }

    /// Whether the command line asked for anything besides console figures (which needs the database).
    static func needsDatabase(_ options: BenchOptions) -> Bool {
        options.figures.isEmpty || options.figures.contains(where: { !names.contains($0) })
    }

    /// At least 1,000 measured frames.
    static func frames(_ settings: BenchSettings) -> Int { max(1_000, settings.count) }

    /// The selection's next move for frame `index`: down the screen's rows, then back up, never scrolling.
    static func arrowKey(frame index: Int) -> Key {
        let span = ConsoleScreenFixture.bodyRows - 1
        return (index / span) % 2 == 0 ? .down : .up
    }
}

struct ConsoleRenderBenchmark: BenchFigure {
    static let figureName = "console_table_render"
    static let targetMedianMilliseconds = 2.0

    let name = ConsoleRenderBenchmark.figureName

    /// The frame must be the screen we mean: header, column titles, the first rows, the status bar.
    func verify() throws {
        let fixture = ConsoleScreenFixture()
        var buffer = CellBuffer(size: ConsoleScreenFixture.size)
        fixture.draw(into: &buffer)
        let lines = buffer.textDump().components(separatedBy: "\n")
        guard lines.count == 60, lines[0].contains("Orders"), lines[1].contains("Customer"), lines[1].contains("Channel"),
              lines[2].contains("#148213"), lines[2].contains("customer0@example-shop.com"),
              lines[57].contains("#148158"), lines[58].hasSuffix("1/48213"), lines[59].contains("q quit")
        else {
            throw BenchError("\(name): the headless frame is not the order list expected:\n" + lines.prefix(4).joined(separator: "\n"))
        }
    }

    func measure(settings: BenchSettings) throws -> FigureReport {
        var fixture = ConsoleScreenFixture()
        var buffer = CellBuffer(size: ConsoleScreenFixture.size)
        for index in 0..<settings.warmup {
            fixture.press(ConsoleFigures.arrowKey(frame: index))
            fixture.draw(into: &buffer)
        }
        let frames = ConsoleFigures.frames(settings)
        var samples = LatencySamples()
        for index in 0..<frames {
            fixture.press(ConsoleFigures.arrowKey(frame: index))
            samples.time { fixture.draw(into: &buffer) }
        }
        let median = samples.median
        let verdict = median < Self.targetMedianMilliseconds ? "met" : "MISSED"
        let line = Benchmark.pad(name)
            + "  median \(Benchmark.format(median, 3)) ms  p95 \(Benchmark.format(samples.p95, 3)) ms"
            + "  target median < \(Benchmark.format(Self.targetMedianMilliseconds, 0)) ms: \(verdict)"
            + "  (\(frames) frames, 200x60 CellBuffer, \(ConsoleScreenFixture.columns.count) columns x"
            + " \(ConsoleScreenFixture.bodyRows) rows of \(ConsoleScreenFixture.pageSize) loaded, \(settings.cpuSummary))"
        return FigureReport(line: line, roundLines: "")
    }

    /// One side only anyway.
    func profile(side: BenchSide, settings: BenchSettings) throws -> FigureReport {
        try measure(settings: settings)
    }
}
