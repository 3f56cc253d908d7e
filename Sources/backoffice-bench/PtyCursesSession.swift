/// ncurses running on a pseudo-terminal, for measuring what the console sends to a terminal.
///
/// This file exists because `NcursesCanvas` must be measured against a real terminal device (ncurses
/// decides what to send from the terminal's size and capabilities, and `doupdate()` writes to it) without
/// a person's terminal: the bench opens a pty pair (`posix_openpt`, looked up with `dlsym`), sets the slave's size, starts curses
/// on the slave with `newterm` (TERM given explicitly, `xterm-256color`), and a thread drains the master
/// side and counts the bytes, as a terminal emulator would read them. The canvas is the console's own
/// `NcursesCanvas` (it draws on whatever screen `newterm` made current); the modes are the console's
/// (`TerminalSession`): raw, no echo, `nonl`.
import CCurses
import Console
import Foundation

final class PtyCursesSession {
    let canvas: NcursesCanvas
    let terminalType: String
    private let master: Int32
    private let output: UnsafeMutablePointer<FILE>
    private let input: UnsafeMutablePointer<FILE>
    private let screen: OpaquePointer
    private let counter = ByteCounter()
    private let drained = DispatchSemaphore(value: 0)
    private var closed = false

    init(size: Size, terminalType: String = "xterm-256color") throws {
        self.terminalType = terminalType
        let (master, slavePath) = try PseudoTerminal.open(width: size.width, height: size.height)
        self.master = master
        let slave = open(slavePath, O_RDWR | O_NOCTTY)
        guard slave >= 0 else {
            Glibc.close(master)
            throw BenchError("open \(slavePath): \(String(cString: strerror(errno)))")
        }

        // The drain: read until the slave side is closed (EIO), counting bytes.
        let counter = counter, drained = drained, masterFD = master
        let thread = Thread {
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(masterFD, $0.baseAddress, $0.count) }
                if count > 0 {
                    counter.add(count)
                } else if count < 0 && errno == EINTR {
                    continue
                } else {
                    break
                }
            }
            drained.signal()
        }
        thread.start()

        // The size comes from the pty (TIOCGWINSZ), not from variables a shell may have exported.
        unsetenv("LINES")
        unsetenv("COLUMNS")
        TerminalSession.useUTF8Locale()
        guard let output = fdopen(slave, "w"), let input = fdopen(dup(slave), "r") else {
            Glibc.close(slave)
            Glibc.close(master)
            throw BenchError("fdopen on the pty slave failed")
        }
        self.output = output
        self.input = input
        guard let screen = newterm(terminalType, output, input) else {
            fclose(output)
            fclose(input)
            drained.wait()
            Glibc.close(master)
            throw BenchError("newterm(\(terminalType)) failed: no terminfo entry?")
        }
        self.screen = screen
        raw()
        noecho()
        nonl()
        canvas = NcursesCanvas()
    }

    deinit { close() }

    /// Bytes the terminal side has read so far.
    var bytesRead: Int { counter.value }

    /// Waits until the terminal side has read everything written so far (nothing new for 30 ms).
    func waitUntilDrained() {
        var last = counter.value
        repeat {
            last = counter.value
            usleep(30_000)
        } while counter.value != last
    }

    /// Ends curses, closes the slave side and waits for the drain to finish.
    func close() {
        guard !closed else { return }
        closed = true
        endwin()
        delscreen(screen)
        fclose(output)
        fclose(input)
        drained.wait()
        Glibc.close(master)
    }
}

/// A byte count shared by the drain thread and the bench.
private final class ByteCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    func add(_ bytes: Int) {
        lock.lock()
        count += bytes
        lock.unlock()
    }

    var value: Int {
        lock.lock()
        defer { lock.unlock() }
        return count
    }
}
