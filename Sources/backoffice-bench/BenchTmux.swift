/// The real `backoffice` console in a real terminal for the end-to-end console figures: a tmux server of
/// our own (a unique `-L` socket, no status line, `default-terminal` given), one session of a fixed size
/// whose pane execs the release binary with the bench database in its environment.
///
/// This file exists because the end-to-end figures measure what a user's terminal gets, so they drive the
/// binary the way `ConsoleTmuxTests` does (keys with `send-keys`, the screen with `capture-pane`) and read
/// the pane's output with `pipe-pane` into a file. A key is only followed by the next once the screen
/// shows its effect and neither the screen nor the piped output has changed for `quiet` (30 ms), so every
/// key's bytes are counted in full and no two keys' frames merge. tmux runs with `posix_spawn` (the
/// server it forks keeps descriptors a `Process` would wait on forever), with the signals the bench ignores
/// reset to their defaults. A watchdog in the pane script ends the console and the server within a second
/// should the bench die without tearing them down (the interrupt handler only tears down the database).
import Foundation

final class BenchTmux {
    /// What the pane shows, as `capture-pane -p` prints it.
    struct Screen: CustomStringConvertible {
        let text: String
        var lines: [String] { text.components(separatedBy: "\n") }
        var description: String { text }

        func contains(_ needle: String) -> Bool { text.contains(needle) }

        /// The table's position indicator (`12/300+`, `7 from end`) on its footer line, the last line
        /// that ends with one.
        var position: TablePosition? {
            for line in lines.reversed() {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if let match = trimmed.firstMatch(of: /(\d+)\/(\d+)(\+?)$/) {
                    return TablePosition(index: Int(match.1)!, fromEnd: false, footer: trimmed)
                }
                if let match = trimmed.firstMatch(of: /(\d+) from end$/) {
                    return TablePosition(index: Int(match.1)!, fromEnd: true, footer: trimmed)
                }
            }
            return nil
        }
    }

    /// The selected row: `index` counted from 1 at the newest order, or from the end after End.
    struct TablePosition: Equatable {
        var index: Int
        var fromEnd: Bool
        /// The whole footer line; `Loading…` on it means a page is being fetched.
        var footer: String
        var isLoading: Bool { footer.contains("Loading") }

        static func == (lhs: TablePosition, rhs: TablePosition) -> Bool {
            lhs.index == rhs.index && lhs.fromEnd == rhs.fromEnd && lhs.isLoading == rhs.isLoading
        }
    }

    let socket = "bo-bench-\(UUID().uuidString.prefix(12).lowercased())"
    let directory: String
    let target = "bench"
    let tmuxPath: String
    let terminalType: String
    /// The pane's process: the console itself (the pane script execs it).
    private(set) var consolePID: pid_t = 0
    private var serverPID: pid_t = 0
    private var pipePath: String?
    /// How long screen and output must stay unchanged for a key to count as done.
    var quiet: UInt32 = 30_000

    /// Starts the server and the session; the console starts in the pane at once.
    init(binary: String, environment: [String: String], width: Int, height: Int, directory: String) throws {
        guard let tmux = BenchTmux.executable("tmux") else { throw BenchError("tmux is not installed (apt-get install tmux)") }
        tmuxPath = tmux
        self.directory = directory
        terminalType = BenchTmux.hasTerminfo("tmux-256color") ? "tmux-256color" : "screen-256color"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let exports = environment.sorted { $0.key < $1.key }.map { "export \($0.key)=\(BenchTmux.quoted($0.value))" }.joined(separator: "\n")
        let script = """
            #!/bin/sh
            unset BACKOFFICE_DATA_DIR BACKOFFICE_TOKEN BACKOFFICE_THEME LINES COLUMNS
            \(exports)
            # Should the bench die without tearing down (a signal), the console and this server go too.
            ( while kill -0 \(getpid()) 2>/dev/null && kill -0 $$ 2>/dev/null; do sleep 1; done
              kill -0 $$ 2>/dev/null && { kill $$; \(BenchTmux.quoted(tmuxPath)) -L \(socket) kill-server; } ) >/dev/null 2>&1 &
            exec \(BenchTmux.quoted(binary)) console 2> \(BenchTmux.quoted(directory + "/stderr"))

            """
        let scriptPath = directory + "/pane.sh"
        try Data(script.utf8).write(to: URL(fileURLWithPath: scriptPath))
        chmod(scriptPath, 0o755)
        let config = """
            set -g status off
            set -g default-terminal \(terminalType)
            set -g remain-on-exit off
            set -g history-limit 0

            """
        let configPath = directory + "/tmux.conf"
        try Data(config.utf8).write(to: URL(fileURLWithPath: configPath))
        try run(capturing: false, "-f", configPath, "new-session", "-d", "-x", "\(width)", "-y", "\(height)", "-s", target, scriptPath)
        serverPID = Int32(try run("display-message", "-p", "#{pid}").trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        consolePID = Int32(try run("display-message", "-p", "-t", target, "#{pane_pid}").trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        guard consolePID > 0 else { throw BenchError("tmux started no pane: \(stderrText)") }
        let size = try run("display-message", "-p", "-t", target, "#{pane_width}x#{pane_height}").trimmingCharacters(in: .whitespacesAndNewlines)
        guard size == "\(width)x\(height)" else { throw BenchError("the tmux pane is \(size), not \(width)x\(height)") }
    }

    deinit { tearDown() }

    /// What the console wrote to stderr (nothing, normally).
    var stderrText: String { (try? String(contentsOfFile: directory + "/stderr", encoding: .utf8)) ?? "" }

    // MARK: Driving

    /// Sends tmux key names (`Enter`, `Down`, `NPage`).
    func keys(_ names: String...) throws {
        try run(capturing: false, ["send-keys", "-t", target] + names)
    }

    /// Types text literally.
    func literal(_ text: String) throws {
        try run(capturing: false, "send-keys", "-t", target, "-l", text)
    }

    func capture() throws -> Screen {
        Screen(text: try run("capture-pane", "-p", "-t", target))
    }

    /// Waits until the screen satisfies `condition`, then until nothing changes for `quiet`: the screen
    /// and, while piping, the pipe file. Returns the settled screen.
    @discardableResult
    func settle(timeout: TimeInterval = 30, what: String, until condition: (Screen) -> Bool) throws -> Screen {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = try capture()
        while Date() < deadline {
            if condition(screen) {
                let bytes = pipedBytes
                usleep(quiet)
                let again = try capture()
                if again.text == screen.text, pipedBytes == bytes, condition(again) { return again }
                screen = again
                continue
            }
            usleep(2_000)
            screen = try capture()
        }
        throw BenchError("the console never showed \(what) (pid \(consolePID), stderr '\(stderrText)'); screen:\n\(screen)")
    }

    /// Sends one key and waits until the table's position indicator satisfies `condition` with no page
    /// loading, and everything is quiet.
    @discardableResult
    func press(_ key: String, what: String, until condition: @escaping (TablePosition) -> Bool) throws -> TablePosition {
        try keys(key)
        let screen = try settle(what: what) { screen in
            guard let position = screen.position else { return false }
            return !position.isLoading && condition(position)
        }
        return screen.position!
    }

    // MARK: Output

    /// Starts piping the pane's output into a new file (`pipe-pane -O`).
    func startPiping(_ name: String) throws {
        let path = directory + "/" + name
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        try run(capturing: false, "pipe-pane", "-O", "-t", target, "cat >> " + BenchTmux.quoted(path))
        pipePath = path
    }

    /// Stops piping, once everything written so far has reached the file; returns the bytes piped.
    @discardableResult
    func stopPiping() throws -> Int {
        var last = -1
        while pipedBytes != last {
            last = pipedBytes
            usleep(quiet)
        }
        try run(capturing: false, "pipe-pane", "-t", target)
        pipePath = nil
        return last
    }

    /// The size of the pipe file so far (0 when not piping).
    var pipedBytes: Int {
        guard let pipePath else { return 0 }
        var info = stat()
        return stat(pipePath, &info) == 0 ? Int(info.st_size) : 0
    }

    // MARK: The console process

    /// `VmRSS` and `VmHWM` of the console, in kB.
    func memory() throws -> (rss: Int, peak: Int) {
        guard let status = try? String(contentsOfFile: "/proc/\(consolePID)/status", encoding: .utf8) else {
            throw BenchError("cannot read /proc/\(consolePID)/status: has the console exited? stderr '\(stderrText)'")
        }
        func field(_ name: String) -> Int {
            for line in status.split(separator: "\n") where line.hasPrefix(name + ":") {
                return Int(line.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "") ?? 0
            }
            return 0
        }
        let command = (try? String(contentsOfFile: "/proc/\(consolePID)/comm", encoding: .utf8)) ?? ""
        guard command.hasPrefix("backoffice") else { throw BenchError("pid \(consolePID) is '\(command)', not the console") }
        return (field("VmRSS"), field("VmHWM"))
    }

    /// Kills the console and the server (by pid as a last resort) and deletes the directory.
    func tearDown() {
        guard serverPID != 0 || consolePID != 0 else { return }
        if consolePID > 0 { kill(consolePID, SIGKILL) }
        _ = try? run(capturing: false, "kill-server")
        if serverPID > 0 {
            usleep(100_000)
            if kill(serverPID, 0) == 0 { kill(serverPID, SIGKILL) }
        }
        serverPID = 0
        consolePID = 0
        try? FileManager.default.removeItem(atPath: directory)
    }

    // MARK: tmux

    @discardableResult
    func run(capturing: Bool = true, _ arguments: String...) throws -> String {
        try run(capturing: capturing, arguments)
    }

    /// Runs `tmux -L <socket> arguments…` and returns its stdout.
    @discardableResult
    func run(capturing: Bool = true, _ arguments: [String]) throws -> String {
        let outputPath = directory + "/tmux-out-\(UUID().uuidString.prefix(8))"
        defer { if capturing { unlink(outputPath) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, capturing ? outputPath : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let pid = try BenchSpawn.spawn(tmuxPath, [tmuxPath, "-L", socket] + arguments, actions: &actions)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return capturing ? ((try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "") : ""
    }

    static func executable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func hasTerminfo(_ name: String) -> Bool {
        let first = String(name.prefix(1))
        return ["/usr/share/terminfo", "/lib/terminfo", "/etc/terminfo", "/usr/lib/terminfo"].contains {
            FileManager.default.fileExists(atPath: "\($0)/\(first)/\(name)")
        }
    }

    static func quoted(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// `posix_spawn` with the signals the bench ignores (SIGINT, SIGTERM, SIGHUP, for its own handler) set
/// back to their defaults and nothing blocked, so a child behaves as it would from a shell; `setsid` on
/// request (for a child that takes a terminal as its controlling one).
enum BenchSpawn {
    /// glibc's `POSIX_SPAWN_SETSID`.
    static let setsidFlag: Int32 = 0x80

    static func spawn(_ path: String, _ argv: [String], environment: [String]? = nil, actions: inout posix_spawn_file_actions_t,
                      newSession: Bool = false) throws -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGQUIT] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var flags = Int32(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)
        if newSession { flags |= setsidFlag }
        posix_spawnattr_setflags(&attributes, Int16(flags))
        var cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { for pointer in cArguments { free(pointer) } }
        var pid: pid_t = 0
        let spawned: Int32
        if let environment {
            var cEnvironment: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) } + [nil]
            defer { for pointer in cEnvironment { free(pointer) } }
            spawned = posix_spawn(&pid, path, &actions, &attributes, &cArguments, &cEnvironment)
        } else {
            spawned = posix_spawn(&pid, path, &actions, &attributes, &cArguments, environ)
        }
        guard spawned == 0 else { throw BenchError("cannot start \(path): \(String(cString: strerror(spawned)))") }
        return pid
    }
}
