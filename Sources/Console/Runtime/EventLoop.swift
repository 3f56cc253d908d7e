import Foundation

/// The console's one loop (design §5): `poll()` on the terminal's input, the wake-up pipe (messages from
/// other threads), the signal self-pipe and any extra descriptors; drains input, hands the program its
/// events, and redraws only when the frame changed, one `present()` (one `doupdate()`) per frame.
public final class EventLoop<Message: Sendable> {
    /// Why `run` returned.
    public enum Exit: Sendable, Equatable {
        /// The program returned `.quit`.
        case quit
        /// A termination signal arrived: restore the terminal and exit with 128 + signal.
        case signal(Int32)
        /// The terminal went away (input closed).
        case hangup
    }

    private let mailbox: Mailbox<Message>
    private var poller: Poller
    private var sources: [EventSource<Message>] = []
    private let fixedExtraFDs: [Int32]

    /// `signalPipe`: where `TerminalSession` reports caught signals. `extraFDs`: watched for `.readable`.
    public init(signalPipe: WakePipe? = nil, extraFDs: [Int32] = []) throws {
        mailbox = try Mailbox()
        poller = Poller(inputFD: nil, wakeFD: mailbox.pipe.readFD, signalPipe: signalPipe, extraFDs: extraFDs)
        fixedExtraFDs = extraFDs
    }

    /// Watches a descriptor that may change over time (the LISTEN socket, which is replaced when the
    /// connection is re-established): before each wait the loop asks `source.descriptor()`, and when it
    /// is readable, `source.read()` turns what arrived into messages, on the loop's thread.
    public func watch(_ source: EventSource<Message>) {
        sources.append(source)
    }

    /// Delivers `message` to the program as `.message` (thread-safe; wakes the loop).
    public func post(_ message: Message) {
        mailbox.post(message)
    }

    /// A handle other threads may keep to post messages.
    public var poster: @Sendable (Message) -> Void {
        let mailbox = self.mailbox
        return { mailbox.post($0) }
    }

    /// Runs `program` on `terminal` until it quits, a signal arrives or input ends. Draws the first frame
    /// at once.
    public func run<P: Program>(_ program: inout P, on terminal: some TerminalDevice) -> Exit
    where P.Message == Message {
        poller.inputFD = terminal.inputFD
        var shown: CellBuffer?
        var size = terminal.size
        if let command = program.update(.resize(size)), handle(command) { return .quit }
        if let command = program.start(), handle(command) { return .quit }
        while true {
            let frame = render(program, size: size)
            if frame != shown {
                terminal.present(frame)
                shown = frame
            }
            let watched = sources.compactMap { source in source.descriptor().map { (fd: $0, source: source) } }
            poller.extraFDs = fixedExtraFDs + watched.map(\.fd)
            let ready = poller.wait()
            if let signal = ready.signals.first { return .signal(signal) }
            var events: [Event<Message>] = []
            if ready.input || ready.interrupted {
                let inputs = terminal.readInput()
                if ready.input && inputs.isEmpty && inputClosed(terminal.inputFD) { return .hangup }
                let decoded = KeyDecoder.decode(batch: inputs)
                if decoded.resized {
                    size = terminal.resize()
                    shown = nil
                    events.append(.resize(size))
                }
                events += decoded.keys.map { .key($0) }
            }
            if ready.wake { events += mailbox.take().map { .message($0) } }
            for fd in ready.readable {
                if let source = watched.first(where: { $0.fd == fd })?.source {
                    events += source.read().map { .message($0) }
                } else {
                    events.append(.readable(fd))
                }
            }
            for event in events {
                if let command = program.update(event), handle(command) { return .quit }
            }
        }
    }

    /// Carries out a command; true when it asks to quit.
    private func handle(_ command: Command<Message>) -> Bool {
        switch command {
        case .quit:
            return true
        case .perform(let work):
            let post = poster
            Thread.detachNewThread { post(work()) }
            return false
        case .after(let seconds, let message):
            let post = poster
            Thread.detachNewThread {
                Thread.sleep(forTimeInterval: seconds)
                post(message)
            }
            return false
        case .batch(let commands):
            for command in commands where handle(command) { return true }
            return false
        }
    }

    private func render<P: Program>(_ program: P, size: Size) -> CellBuffer {
        var frame = CellBuffer(size: size)
        program.view(into: &frame)
        return frame
    }

    /// Readable but nothing to read, and the terminal hung up.
    private func inputClosed(_ fd: Int32) -> Bool {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&entry, 1, 0) == 1 else { return false }
        return entry.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0
    }
}

/// A descriptor the loop watches whose value may change, and how to read it (see `EventLoop.watch`).
public struct EventSource<Message: Sendable> {
    /// The descriptor to poll now, or nil while there is none (reconnecting).
    public var descriptor: () -> Int32?
    /// Reads what arrived; called on the loop's thread when the descriptor is readable.
    public var read: () -> [Message]

    public init(descriptor: @escaping () -> Int32?, read: @escaping () -> [Message]) {
        self.descriptor = descriptor
        self.read = read
    }
}
