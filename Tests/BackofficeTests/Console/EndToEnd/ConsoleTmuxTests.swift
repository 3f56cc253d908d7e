import Domain
import Foundation
import Testing

/// The real `backoffice` console in a real terminal: tmux, 80x24, against a test database. A script inside
/// the pane records `stty -g` before and after the console and its exit status, so the tests see what a
/// user's shell would be left with.
@Suite("Console end to end (tmux)", .serialized, .enabled(if: ConsoleTmux.isAvailable, "tmux is not installed"),
       .enabled(if: BackofficeCLI.isBuilt, "the backoffice executable is not built beside the tests"))
struct ConsoleTmuxTests {
    /// A new user's first minutes, keyboard only, at 80x24, on an empty embedded cluster (nothing
    /// configured: the console runs initdb and starts its own server): load the demo from the first-run
    /// screen, sign in, open the palette and the help, enter a store, resize, switch store with Ctrl-T, quit.
    @Test func walkthroughFromAnEmptyEmbeddedCluster() throws {
        do {
            let tmux = try ConsoleTmux(embedded: true)
            defer { tmux.tearDown() }
            _ = try tmux.waitForScreen(containing: "Welcome to Backoffice")
            try tmux.keys("Enter")
            _ = try tmux.waitForScreen(containing: "[ Load (y) ]")
            try tmux.keys("y")
            let signIn = try tmux.waitForScreen(containing: "Sign in to Backoffice")
            #expect(signIn.contains("admin@demo.test"), "the demo's admin is filled in")
            try tmux.literal("demo-password")
            try tmux.keys("Enter")
            let picker = try tmux.waitForScreen(containing: "Every store on the platform")
            #expect(picker.contains("Demo Games"))
            #expect(!picker.contains("demo-password"), "the password was never shown")

            try tmux.literal(":")
            _ = try tmux.waitForScreen(containing: "┌ Command")
            try tmux.keys("Escape")
            try tmux.literal("?")
            let help = try tmux.waitForScreen(containing: "Enter the selected store")
            #expect(help.contains("Switch store"))
            try tmux.keys("Escape")
            _ = try tmux.waitForScreen(containing: "Every store on the platform", absent: "┌ Help")

            try tmux.keys("Enter")
            let home = try tmux.waitForScreen(containing: "you are super admin")
            #expect(home.contains("Waiting in the queue"))
            tmux.expectFits(home, width: 80, height: 24)

            try tmux.run("resize-window", "-t", tmux.target, "-x", "120", "-y", "40")
            let wide = try tmux.waitForScreen(containing: "^T store  q quit")
            tmux.expectFits(wide, width: 120, height: 40)
            #expect(wide.split(separator: "\n", omittingEmptySubsequences: false).count >= 40)

            try tmux.keys("C-t")
            _ = try tmux.waitForScreen(containing: "Demo Software")
            try tmux.keys("End")
            try tmux.keys("Enter")
            let switched = try tmux.waitForScreen(containing: "Demo Software  you are super admin")
            #expect(switched.contains("demo-software"))

            try tmux.literal("q")
            #expect(try tmux.waitForExitStatus() == 0)
            #expect(try tmux.modesAfter() == tmux.modesBefore())
            let log = (try? String(contentsOfFile: tmux.directory + "/state/backoffice/console.log", encoding: .utf8)) ?? ""
            #expect(log.contains("console started"))
            #expect(log.contains("live feed connected"))
            #expect(log.contains("session revoked"), "quitting ends the console's sign-in")
            #expect(log.contains("console stopped: quit"))
            #expect(FileManager.default.fileExists(atPath: tmux.directory + "/data/pgdata/PG_VERSION"), "the embedded cluster was created")
        }
    }

    @Test(arguments: [SIGTERM, SIGHUP, SIGINT])
    func aSignalRestoresTheTerminalAndExitsWith128PlusIt(signal: Int32) throws {
        try TestDatabase.with { db in
            let tmux = try ConsoleTmux(databaseURL: try db.appConninfo)
            defer { tmux.tearDown() }
            _ = try tmux.waitForScreen(containing: "Welcome to Backoffice")
            let processes = tmux.consoleProcesses()
            try #require(processes.count == 1, "one console process under the pane's shell: \(processes)")
            #expect(kill(processes[0], signal) == 0)
            #expect(try tmux.waitForExitStatus() == 128 + signal)
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

    /// Whether the console runs on its own embedded cluster (in `directory/data`), stopped at teardown.
    let embedded: Bool

    /// The console over a configured database (`databaseURL`, and `ownerURL` for the first-run set-up).
    init(databaseURL: String, ownerURL: String? = nil, width: Int = 80, height: Int = 24) throws {
        try self.init(database: .configured(app: databaseURL, owner: ownerURL), width: width, height: height)
    }

    /// The console with nothing configured: it creates and starts its embedded cluster.
    init(embedded: Bool, width: Int = 80, height: Int = 24) throws {
        try self.init(database: .embedded, width: width, height: height)
    }

    enum DatabaseSetting {
        case configured(app: String, owner: String?)
        case embedded
    }

    private init(database: DatabaseSetting, width: Int, height: Int) throws {
        tmuxPath = ConsoleTmux.executable("tmux") ?? "/usr/bin/tmux"
        directory = NSTemporaryDirectory() + "bo-e2e-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let databaseLines: String
        switch database {
        case .configured(let app, let owner):
            embedded = false
            _ = try MasterKeyring.loadOrCreateDefault(dataDirectory: directory + "/keys")
            databaseLines = """
                export BACKOFFICE_DATABASE_URL=\(ConsoleTmux.quoted(app))
                \(owner.map { "export BACKOFFICE_OWNER_DATABASE_URL=\(ConsoleTmux.quoted($0))" } ?? "unset BACKOFFICE_OWNER_DATABASE_URL")
                export BACKOFFICE_MASTER_KEY_FILE=\(ConsoleTmux.quoted(directory + "/keys/master.key"))
                """
        case .embedded:
            embedded = true
            databaseLines = """
                unset BACKOFFICE_DATABASE_URL BACKOFFICE_OWNER_DATABASE_URL BACKOFFICE_MASTER_KEY_FILE
                export BACKOFFICE_DATA_DIR=\(ConsoleTmux.quoted(directory + "/data"))
                """
        }
        let script = """
            #!/bin/sh
            \(databaseLines)
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
        try run(capturing: false, "-f", "/dev/null", "new-session", "-d", "-x", "\(width)", "-y", "\(height)", "-s", target, scriptPath)
        serverPID = Int32(try run("display-message", "-p", "#{pid}").trimmingCharacters(in: .whitespacesAndNewlines))
    }

    private(set) var serverPID: pid_t?

    /// Runs `tmux -L <socket> arguments…` and returns its stdout. Spawned with `posix_spawn` and reaped
    /// with `waitpid`, not `Process`: the tmux server the first call forks keeps descriptors that
    /// Foundation's `Process` waits on, so `waitUntilExit` would never return.
    @discardableResult
    func run(capturing: Bool = true, _ arguments: String...) throws -> String {
        try run(capturing: capturing, arguments)
    }

    @discardableResult
    func run(capturing: Bool = true, _ arguments: [String]) throws -> String {
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

    /// Sends tmux key names (`Enter`, `Escape`, `C-t`).
    func keys(_ names: String...) throws {
        try run(capturing: false, ["send-keys", "-t", target] + names)
    }

    /// Types text literally.
    func literal(_ text: String) throws {
        try run(capturing: false, "send-keys", "-t", target, "-l", text)
    }

    /// Nothing drawn past the window: every captured line fits the width, no more rows than the height.
    func expectFits(_ screen: String, width: Int, height: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.filter { !$0.isEmpty }.count <= height, sourceLocation: sourceLocation)
        for line in lines {
            #expect(line.unicodeScalars.count <= width * 2 && line.count <= width, "line wider than \(width): \(line)", sourceLocation: sourceLocation)
        }
    }

    func waitForScreen(containing text: String, absent: String? = nil, timeout: TimeInterval = 30) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = ""
        while Date() < deadline {
            screen = try run("capture-pane", "-p", "-t", target)
            if screen.contains(text), absent.map({ !screen.contains($0) }) ?? true { return screen }
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

    /// Kills the tmux server (and with it the pane), by its pid as a last resort; stops an embedded
    /// cluster the console started.
    func tearDown() {
        for pid in consoleProcesses() { kill(pid, SIGKILL) }
        if embedded {
            _ = try? ConsoleTmux.spawn(BackofficeCLI.binary, ["db", "stop"],
                                       environment: ["BACKOFFICE_DATA_DIR": directory + "/data", "HOME": directory,
                                                     "XDG_STATE_HOME": directory + "/state",
                                                     "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"])
        }
        _ = try? run(capturing: false, "kill-server")
        if let serverPID, serverPID > 0 {
            usleep(200_000)
            if kill(serverPID, 0) == 0 { kill(serverPID, SIGKILL) }
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Runs a program to its end (posix_spawn + waitpid, for the reason `run` gives) and returns its status.
    @discardableResult
    static func spawn(_ path: String, _ arguments: [String], environment: [String: String]) throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var cArguments: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in cArguments { free(pointer) } }
        var cEnvironment: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in cEnvironment { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, &actions, nil, &cArguments, &cEnvironment)
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EIO) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return status
    }

    static func executable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func quoted(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
