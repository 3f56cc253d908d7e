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
        guard let openMaster = PseudoTerminalCalls.openMaster, let grant = PseudoTerminalCalls.grant,
              let unlock = PseudoTerminalCalls.unlock, let slaveName = PseudoTerminalCalls.slaveName else {
            throw BenchError("posix_openpt and friends are unavailable")
        }
        master = openMaster(O_RDWR | O_NOCTTY)
        guard master >= 0 else { throw BenchError("posix_openpt: \(String(cString: strerror(errno)))") }
        guard grant(master) == 0, unlock(master) == 0, let name = slaveName(master) else {
            Glibc.close(master)
            throw BenchError("cannot unlock the pty: \(String(cString: strerror(errno)))")
        }
        let slave = open(name, O_RDWR | O_NOCTTY)
        guard slave >= 0 else {
            Glibc.close(master)
            throw BenchError("open \(String(cString: name)): \(String(cString: strerror(errno)))")
        }
        var windowSize = winsize(ws_row: UInt16(size.height), ws_col: UInt16(size.width), ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(slave, UInt(TIOCSWINSZ), &windowSize)

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

/// `posix_openpt`, `grantpt`, `unlockpt` and `ptsname`: XSI functions the Glibc module does not
/// export, looked up with `dlsym` (as `CPUAffinity` does for the affinity calls).
private enum PseudoTerminalCalls {
    typealias OpenMaster = @convention(c) (Int32) -> Int32
    typealias Control = @convention(c) (Int32) -> Int32
    typealias SlaveName = @convention(c) (Int32) -> UnsafeMutablePointer<CChar>?

    static let openMaster = function("posix_openpt", as: OpenMaster.self)
    static let grant = function("grantpt", as: Control.self)
    static let unlock = function("unlockpt", as: Control.self)
    static let slaveName = function("ptsname", as: SlaveName.self)

    private static func function<T>(_ name: String, as type: T.Type) -> T? {
        guard let process = dlopen(nil, RTLD_NOW), let symbol = dlsym(process, name) else { return nil }
        return unsafeBitCast(symbol, to: type)
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
