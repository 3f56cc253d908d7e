/// A program started on a pseudo-terminal of a given size, its output read as a terminal emulator would,
/// with the times at which the first byte and a given text arrived.
///
/// This file exists for `console_e2e_startup`: the release binary is spawned (`posix_spawn`, a new
/// session, the pty's slave as its stdin and stdout, so it is its controlling terminal) on a pty whose
/// size is set before it starts, and a thread drains the master side, noting when output first arrives
/// and when the accumulated output first contains the marker text. `PtyCursesSession` runs curses in
/// this process instead; this one measures another process from the outside.
import Foundation

final class PtyProcess {
    let pid: pid_t
    /// `BenchClock.wall` just before `posix_spawn`.
    let started: UInt64
    private let master: Int32
    private let state: State
    private let done = DispatchSemaphore(value: 0)
    private var reaped = false

    /// Spawns `argv` with `environment` on a new `width`x`height` pty; stderr goes to `stderrPath`.
    /// `marker` is the text whose arrival `waitForMarker` waits for.
    init(_ path: String, _ argv: [String], environment: [String], width: Int, height: Int, stderrPath: String, marker: String) throws {
        let (master, slavePath) = try PseudoTerminal.open(flags: O_CLOEXEC, width: width, height: height)
        self.master = master

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // After setsid, the first terminal opened without O_NOCTTY becomes the controlling terminal.
        posix_spawn_file_actions_addopen(&actions, 0, slavePath, O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, 0, 1)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)

        state = State(marker: Array(marker.utf8))
        let state = state, masterFD = master, done = done
        started = BenchClock.wall
        do {
            pid = try BenchSpawn.spawn(path, argv, environment: environment, actions: &actions, newSession: true)
        } catch {
            Glibc.close(master)
            throw error
        }
        // The drain: until the slave side is closed by the child's exit (EIO).
        let thread = Thread {
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(masterFD, $0.baseAddress, $0.count) }
                if count > 0 {
                    state.received(buffer[0..<count], at: BenchClock.wall)
                } else if count < 0 && errno == EINTR {
                    continue
                } else {
                    break
                }
            }
            state.finished()
            done.signal()
        }
        thread.start()
    }

    deinit { stop() }

    /// Waits up to `timeout` seconds for the marker; returns nanoseconds from spawn to the first byte and
    /// to the read that completed the marker, or nil for the marker when it never came.
    func waitForMarker(timeout: TimeInterval) -> (firstByte: UInt64?, marker: UInt64?) {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let (first, marker, finished) = state.snapshot
            if marker != nil || finished { return (first.map { $0 - started }, marker.map { $0 - started }) }
            usleep(500)
        }
        let (first, marker, _) = state.snapshot
        return (first.map { $0 - started }, marker.map { $0 - started })
    }

    /// Everything the program wrote so far, as text (for error messages).
    var output: String { String(decoding: state.bytes, as: UTF8.self) }

    /// SIGTERM, then SIGKILL after two seconds; reaps the child, waits for the drain, closes the master.
    /// Returns the wait status.
    @discardableResult
    func stop() -> Int32 {
        guard !reaped else { return 0 }
        reaped = true
        kill(pid, SIGTERM)
        var status: Int32 = 0
        let deadline = Date().addingTimeInterval(2)
        while waitpid(pid, &status, WNOHANG) == 0 {
            if Date() > deadline {
                kill(pid, SIGKILL)
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                break
            }
            usleep(2_000)
        }
        _ = done.wait(timeout: .now() + 5)
        Glibc.close(master)
        return status
    }

    /// What the drain has seen; guarded by a lock.
    private final class State: @unchecked Sendable {
        private let lock = NSLock()
        private let marker: [UInt8]
        private(set) var bytes: [UInt8] = []
        private var firstByte: UInt64?
        private var markerSeen: UInt64?
        private var isFinished = false

        init(marker: [UInt8]) { self.marker = marker }

        func received(_ chunk: ArraySlice<UInt8>, at time: UInt64) {
            lock.withLock {
                if firstByte == nil { firstByte = time }
                let searchFrom = max(0, bytes.count - marker.count + 1)
                bytes.append(contentsOf: chunk)
                if markerSeen == nil, Self.contains(bytes[searchFrom...], marker) { markerSeen = time }
            }
        }

        func finished() { lock.withLock { isFinished = true } }

        var snapshot: (UInt64?, UInt64?, Bool) { lock.withLock { (firstByte, markerSeen, isFinished) } }

        private static func contains(_ haystack: ArraySlice<UInt8>, _ needle: [UInt8]) -> Bool {
            guard !needle.isEmpty, haystack.count >= needle.count else { return false }
            var index = haystack.startIndex
            while index <= haystack.endIndex - needle.count {
                if haystack[index] == needle[0], haystack[index..<(index + needle.count)].elementsEqual(needle) { return true }
                index += 1
            }
            return false
        }
    }
}
