import Foundation

/// Runs a `Program` without a terminal, for snapshot tests and benchmarks: keys go in, frames come out
/// as `CellBuffer`s. `perform` work runs at once on the caller's thread (real database work included), so
/// every step is deterministic; `after` messages wait until `advance(by:)` passes their time.
public struct HeadlessRunner<P: Program> {
    public private(set) var program: P
    public private(set) var size: Size
    /// Whether the program asked to quit.
    public private(set) var didQuit = false
    private var clock = 0.0
    private var timers: [(due: Double, message: P.Message)] = []

    public init(_ program: P, size: Size) {
        self.program = program
        self.size = size
        if let command = self.program.update(.resize(size)) { run(command) }
        if let command = self.program.start() { run(command) }
    }

    /// Sends keys in order.
    public mutating func send(_ keys: Key...) {
        send(keys)
    }

    public mutating func send(_ keys: [Key]) {
        for key in keys where !didQuit {
            deliver(.key(key))
        }
    }

    /// Types `text` one character at a time.
    public mutating func type(_ text: String) {
        send(text.map { Key.character($0) })
    }

    /// Delivers a message as if another thread had posted it.
    public mutating func post(_ message: P.Message) {
        deliver(.message(message))
    }

    /// Changes the terminal size (the next frame is drawn at it).
    public mutating func resize(to size: Size) {
        self.size = size
        deliver(.resize(size))
    }

    /// Changes the program directly (tests that set up a state no key sequence reaches), then carries
    /// out the command it returns.
    public mutating func mutate(_ change: (inout P) -> Command<P.Message>?) {
        if let command = change(&program) { run(command) }
    }

    /// Lets `seconds` pass: delivers the `after` messages that fall due, in order.
    public mutating func advance(by seconds: Double) {
        clock += seconds
        while let next = timers.indices.min(by: { timers[$0].due < timers[$1].due }), timers[next].due <= clock {
            let message = timers.remove(at: next).message
            deliver(.message(message))
        }
    }

    /// The current frame.
    public func frame() -> CellBuffer {
        var buffer = CellBuffer(size: size)
        program.view(into: &buffer)
        return buffer
    }

    private mutating func deliver(_ event: Event<P.Message>) {
        guard !didQuit, let command = program.update(event) else { return }
        run(command)
    }

    private mutating func run(_ command: Command<P.Message>) {
        switch command {
        case .quit:
            didQuit = true
        case .perform(let work):
            deliver(.message(work()))
        case .after(let seconds, let message):
            timers.append((clock + seconds, message))
        case .batch(let commands):
            for command in commands where !didQuit { run(command) }
        }
    }
}
