/// `console_table_pty`: the order-list frames of `console_table_render` through the real terminal
/// backend, `NcursesCanvas`, into a pseudo-terminal (`PtyCursesSession`, TERM=xterm-256color, 200x60).
///
/// This file exists to hold that figure. It measures, per frame, the time from clearing the canvas to
/// `present()` returning (drawing into the canvas's frame, diffing it against the frame shown, the
/// ncurses calls, `doupdate()` writing to the pty) and the bytes the terminal side reads, in three
/// scenarios of at least 1,000 frames each (after `--warmup` unmeasured ones):
/// - full repaint: `invalidate()` before every frame, so ncurses clears and redraws the whole screen;
/// - one-row move: the selection moves one row (Down the screen, then Up), no scrolling;
/// - page move: PageDown through the 200 loaded rows, then Home back to the top; every frame replaces
///   the whole table body.
/// Bytes per frame are the scenario's bytes over its frames, read once the drain thread has caught up.
/// The bench thread and the drain thread share the pinned CPU unless `--no-pin`.
import Console
import Foundation

struct ConsolePtyBenchmark: BenchFigure {
    static let figureName = "console_table_pty"

    let name = ConsolePtyBenchmark.figureName

    enum Scenario: CaseIterable {
        case fullRepaint, rowMove, pageMove

        var label: String {
            switch self {
            case .fullRepaint: "full repaint"
            case .rowMove: "row move (Down/Up)"
            case .pageMove: "page move (PageDown)"
            }
        }
    }

    /// The terminal is the size asked for, and a frame reaches it.
    func verify() throws {
        let session = try PtyCursesSession(size: ConsoleScreenFixture.size)
        defer { session.close() }
        guard session.canvas.size == ConsoleScreenFixture.size else {
            throw BenchError("\(name): curses on the pty is \(session.canvas.size), not \(ConsoleScreenFixture.size)")
        }
        session.waitUntilDrained()
        let before = session.bytesRead
        var canvas = session.canvas
        ConsoleScreenFixture().draw(into: &canvas)
        session.canvas.present()
        session.waitUntilDrained()
        // Every one of the 12,000 cells but the trailing blanks is drawn: far more than 4 KB.
        guard session.bytesRead - before > 4_096 else {
            throw BenchError("\(name): only \(session.bytesRead - before) bytes reached the pty for a first frame")
        }
    }

    func measure(settings: BenchSettings) throws -> FigureReport {
        let session = try PtyCursesSession(size: ConsoleScreenFixture.size)
        defer { session.close() }
        let frames = ConsoleFigures.frames(settings)
        var lines: [String] = []
        for (position, scenario) in Scenario.allCases.enumerated() {
            let (samples, bytes) = run(scenario, session: session, warmup: settings.warmup, frames: frames)
            let label = scenario.label + String(repeating: " ", count: max(0, 21 - scenario.label.count))
            lines.append((position == 0 ? Benchmark.pad(name) : String(repeating: " ", count: 24))
                + "  \(label)  median \(Benchmark.format(samples.median, 3)) ms  p95 \(Benchmark.format(samples.p95, 3)) ms"
                + "  \(Benchmark.format(Double(bytes) / Double(frames), 0)) bytes/frame"
                + "  cpu \(Benchmark.format(samples.cpuMicrosecondsPerCall / 1_000, 3)) ms/frame")
        }
        lines[0] += "  (\(frames) frames each, 200x60 \(session.terminalType) pty, \(settings.cpuSummary))"
        return FigureReport(line: lines.joined(separator: "\n"), roundLines: "")
    }

    /// One side only anyway.
    func profile(side: BenchSide, settings: BenchSettings) throws -> FigureReport {
        try measure(settings: settings)
    }

    /// Warms up, then times `frames` frames of one scenario; returns the timings and the bytes they sent.
    private func run(_ scenario: Scenario, session: PtyCursesSession, warmup: Int, frames: Int) -> (LatencySamples, Int) {
        var fixture = ConsoleScreenFixture()
        var canvas = session.canvas
        // Start from this scenario's first screen, without counting its bytes.
        draw(fixture, on: &canvas)
        for index in 0..<warmup {
            step(index, scenario, &fixture, session: session)
            draw(fixture, on: &canvas)
        }
        session.waitUntilDrained()
        let before = session.bytesRead
        var samples = LatencySamples()
        for index in 0..<frames {
            step(index, scenario, &fixture, session: session)
            samples.time { draw(fixture, on: &canvas) }
        }
        session.waitUntilDrained()
        return (samples, session.bytesRead - before)
    }

    /// What changes before frame `index` of a scenario.
    private func step(_ index: Int, _ scenario: Scenario, _ fixture: inout ConsoleScreenFixture, session: PtyCursesSession) {
        switch scenario {
        case .fullRepaint:
            session.canvas.invalidate()
        case .rowMove:
            fixture.press(ConsoleFigures.arrowKey(frame: index))
        case .pageMove:
            let atEnd = fixture.table.selectedIndex == fixture.table.rows.count - 1
            fixture.press(atEnd ? .home : .pageDown)
        }
    }

    /// One frame: drawn into the canvas and sent to the terminal.
    private func draw(_ fixture: ConsoleScreenFixture, on canvas: inout NcursesCanvas) {
        fixture.draw(into: &canvas)
        canvas.present()
    }
}
