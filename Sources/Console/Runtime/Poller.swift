import Foundation

/// The poll part of the event loop, free of ncurses so it is tested without a terminal: it waits on the
/// terminal's input, the wake-up pipe, the signal self-pipe and any extra descriptors (the LISTEN socket
/// later), and says which are ready.
public struct Poller {
    /// What one `wait` found.
    public struct Readiness: Sendable, Equatable {
        /// The terminal has input (or hung up).
        public var input = false
        /// The wake-up pipe was written to (a message was posted); the pipe is left for its owner to drain.
        public var wake = false
        /// Signals caught since the last wait (read from the self-pipe), in order.
        public var signals: [Int32] = []
        /// Extra descriptors that are readable.
        public var readable: [Int32] = []
        /// `poll` was interrupted by a signal (a `SIGWINCH` here: ncurses then reports `KEY_RESIZE`).
        public var interrupted = false
        /// Nothing happened before the timeout.
        public var timedOut = false

        public init() {}
    }

    public var inputFD: Int32?
    public var wakeFD: Int32
    public var signalPipe: WakePipe?
    public var extraFDs: [Int32]

    public init(inputFD: Int32?, wakeFD: Int32, signalPipe: WakePipe? = nil, extraFDs: [Int32] = []) {
        self.inputFD = inputFD
        self.wakeFD = wakeFD
        self.signalPipe = signalPipe
        self.extraFDs = extraFDs
    }

    /// Blocks until something is ready, a signal interrupts, or `timeoutMilliseconds` pass (-1: forever).
    public func wait(timeoutMilliseconds: Int32 = -1) -> Readiness {
        var fds: [pollfd] = []
        let readable = Int16(POLLIN | POLLHUP | POLLERR)
        func add(_ fd: Int32) { fds.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0)) }
        if let inputFD { add(inputFD) }
        add(wakeFD)
        if let signalPipe { add(signalPipe.readFD) }
        for fd in extraFDs { add(fd) }
        var result = Readiness()
        let count = poll(&fds, nfds_t(fds.count), timeoutMilliseconds)
        if count < 0 {
            result.interrupted = errno == EINTR
            return result
        }
        if count == 0 {
            result.timedOut = true
            return result
        }
        for entry in fds where entry.revents & readable != 0 {
            if entry.fd == inputFD {
                result.input = true
            } else if entry.fd == wakeFD {
                result.wake = true
            } else if let signalPipe, entry.fd == signalPipe.readFD {
                result.signals += signalPipe.drain().map { Int32($0) }
            } else {
                result.readable.append(entry.fd)
            }
        }
        return result
    }
}
