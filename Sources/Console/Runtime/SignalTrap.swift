import Foundation
import Synchronization

/// Catches SIGINT, SIGTERM, SIGHUP and SIGQUIT while the console owns the terminal. The handler only
/// writes the signal's number to a self-pipe (async-signal-safe); the loop sees it, restores the terminal
/// and exits with 128 + signal. A second signal before the process is gone (say the restore hangs) puts
/// back the terminal modes saved before `initscr` with `tcsetattr` and leaves at once with `_exit`.
enum SignalTrap {
    static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]

    /// Installs the handlers; signals go to `pipe`. `saved` are the terminal modes to put back on a second
    /// signal. Call once, from the thread that owns the terminal.
    static func install(pipe: WakePipe, saved: termios?) {
        signalWriteFD.store(pipe.writeFD, ordering: .sequentiallyConsistent)
        if let saved {
            savedModes = saved
            hasSavedModes.store(true, ordering: .sequentiallyConsistent)
        }
        caught.store(0, ordering: .sequentiallyConsistent)
        for signal in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = trapHandler
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(signal, &action, nil)
        }
    }

    /// Puts back the default dispositions.
    static func uninstall() {
        for signal in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = nil
            sigemptyset(&action.sa_mask)
            sigaction(signal, &action, nil)
        }
        signalWriteFD.store(-1, ordering: .sequentiallyConsistent)
    }
}

private let signalWriteFD = Atomic<Int32>(-1)
private let caught = Atomic<Int>(0)
private let hasSavedModes = Atomic<Bool>(false)
/// Written once before the handlers are installed, only read by the handler after that.
nonisolated(unsafe) private var savedModes = termios()

private let trapHandler: @convention(c) (Int32) -> Void = { signal in
    if caught.add(1, ordering: .sequentiallyConsistent).oldValue > 0 {
        if hasSavedModes.load(ordering: .sequentiallyConsistent) {
            _ = tcsetattr(STDIN_FILENO, TCSANOW, &savedModes)
        }
        _exit(128 + signal)
    }
    var byte = UInt8(truncatingIfNeeded: signal)
    _ = write(signalWriteFD.load(ordering: .sequentiallyConsistent), &byte, 1)
}
