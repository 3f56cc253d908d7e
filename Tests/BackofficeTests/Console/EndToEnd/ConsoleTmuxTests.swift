import Foundation
import Testing

/// The real `backoffice` console in a real terminal: tmux, 80x24, against a test database. A script inside
/// the pane records `stty -g` before and after the console and its exit status, so the tests see what a
/// user's shell would be left with.
@Suite("Console end to end (tmux)", .serialized, .enabled(if: ConsoleTmux.isAvailable, "tmux is not installed"),
       .enabled(if: BackofficeCLI.isBuilt, "the backoffice executable is not built beside the tests"))
struct ConsoleTmuxTests {
    @Test func homeScreenShowsAndQQuits() throws {
        try TestDatabase.with { db in
            let tmux = try ConsoleTmux(databaseURL: try db.appConninfo)
            defer { tmux.tearDown() }
            let screen = try tmux.waitForScreen(containing: "q or Ctrl-C to quit")
            #expect(screen.contains("connected to"))
            #expect(screen.contains("as backoffice_app"))
            #expect(screen.contains("theme:"))
            try tmux.run("send-keys", "-t", tmux.target, "q")
            #expect(try tmux.waitForExitStatus() == 0)
            #expect(tmux.consoleProcesses().isEmpty, "the console process exited")
            #expect(try tmux.modesAfter() == tmux.modesBefore())
            let log = (try? String(contentsOfFile: tmux.directory + "/state/backoffice/console.log", encoding: .utf8)) ?? ""
            #expect(log.contains("console started"))
            #expect(log.contains("console stopped: quit"))
        }
    }

    @Test func sigtermRestoresTheTerminalAndExitsWith143() throws {
        try TestDatabase.with { db in
            let tmux = try ConsoleTmux(databaseURL: try db.appConninfo)
            defer { tmux.tearDown() }
            _ = try tmux.waitForScreen(containing: "q or Ctrl-C to quit")
            let processes = tmux.consoleProcesses()
            try #require(processes.count == 1, "one console process under the pane's shell: \(processes)")
            #expect(kill(processes[0], SIGTERM) == 0)
            #expect(try tmux.waitForExitStatus() == 128 + SIGTERM)
            let before = try tmux.modesBefore()
            #expect(!before.isEmpty)
            #expect(try tmux.modesAfter() == before, "stty -g after the console matches stty -g before it")
        }
    }
}

/// One tmux server of our own (a unique `-L` socket), one 80x24 session running the pane script.
struct ConsoleTmux {
    static var isAvailable: Bool { executable("tmux") != nil }

    let socket = "bo-e2e-\(UUID().uuidString.prefix(12).lowercased())"
    let directory: String
    let target = "console"
    let tmuxPath: String

    init(databaseURL: String) throws {
        tmuxPath = ConsoleTmux.executable("tmux") ?? "/usr/bin/tmux"
        directory = NSTemporaryDirectory() + "bo-e2e-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let script = """
            #!/bin/sh
            export BACKOFFICE_DATABASE_URL=\(ConsoleTmux.quoted(databaseURL))
            unset BACKOFFICE_OWNER_DATABASE_URL
            export HOME=\(ConsoleTmux.quoted(directory)) XDG_STATE_HOME=\(ConsoleTmux.quoted(directory + "/state"))
            stty -g > \(ConsoleTmux.quoted(directory + "/before"))
            \(ConsoleTmux.quoted(BackofficeCLI.binary)) console 2> \(ConsoleTmux.quoted(directory + "/stderr"))
            status=$?
            stty -g > \(ConsoleTmux.quoted(directory + "/after"))
            echo $status > \(ConsoleTmux.quoted(directory + "/status.tmp"))
            mv \(ConsoleTmux.quoted(directory + "/status.tmp")) \(ConsoleTmux.quoted(directory + "/status"))
            exec sleep 600

            """
        let scriptPath = directory + "/pane.sh"
        try Data(script.utf8).write(to: URL(fileURLWithPath: scriptPath))
        chmod(scriptPath, 0o755)
        // The first command starts the server, which keeps whatever stdout it got: not a pipe we read.
        try run(capturing: false, "-f", "/dev/null", "new-session", "-d", "-x", "80", "-y", "24", "-s", target, scriptPath)
        serverPID = Int32(try run("display-message", "-p", "#{pid}").trimmingCharacters(in: .whitespacesAndNewlines))
    }

    private(set) var serverPID: pid_t?

    /// Runs `tmux -L <socket> arguments…` and returns its stdout. Spawned with `posix_spawn` and reaped
    /// with `waitpid`, not `Process`: the tmux server the first call forks keeps descriptors that
    /// Foundation's `Process` waits on, so `waitUntilExit` would never return.
    @discardableResult
    func run(capturing: Bool = true, _ arguments: String...) throws -> String {
        let outputPath = directory + "/tmux-out-\(UUID().uuidString.prefix(8))"
        defer { unlink(outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, capturing ? outputPath : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = [tmuxPath, "-L", socket] + arguments
        var cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { for pointer in cArguments { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, tmuxPath, &actions, nil, &cArguments, environ)
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EIO) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return capturing ? ((try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "") : ""
    }

    func waitForScreen(containing text: String, timeout: TimeInterval = 30) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = ""
        while Date() < deadline {
            screen = try run("capture-pane", "-p", "-t", target)
            if screen.contains(text) { return screen }
            usleep(100_000)
        }
        let stderr = (try? String(contentsOfFile: directory + "/stderr", encoding: .utf8)) ?? ""
        Issue.record("'\(text)' never showed; screen:\n\(screen)\nstderr: \(stderr)")
        return screen
    }

    func waitForExitStatus(timeout: TimeInterval = 15) throws -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let text = try? String(contentsOfFile: directory + "/status", encoding: .utf8) {
                return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            usleep(50_000)
        }
        Issue.record("the console did not exit within \(timeout) s")
        return nil
    }

    func modesBefore() throws -> String { try String(contentsOfFile: directory + "/before", encoding: .utf8) }
    func modesAfter() throws -> String { try String(contentsOfFile: directory + "/after", encoding: .utf8) }

    /// The pane shell's children that are the console (not the final `sleep`).
    func consoleProcesses() -> [pid_t] {
        guard let panePID = Int32((try? run("display-message", "-p", "-t", target, "#{pane_pid}"))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "") else { return [] }
        let children = (try? String(contentsOfFile: "/proc/\(panePID)/task/\(panePID)/children", encoding: .utf8)) ?? ""
        return children.split(separator: " ").compactMap { Int32($0) }.filter { pid in
            let command = (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)) ?? ""
            return command.hasPrefix("backoffice")
        }
    }

    /// Kills the tmux server (and with it the pane), by its pid as a last resort.
    func tearDown() {
        for pid in consoleProcesses() { kill(pid, SIGKILL) }
        _ = try? run(capturing: false, "kill-server")
        if let serverPID, serverPID > 0 {
            usleep(200_000)
            if kill(serverPID, 0) == 0 { kill(serverPID, SIGKILL) }
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    static func executable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func quoted(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
