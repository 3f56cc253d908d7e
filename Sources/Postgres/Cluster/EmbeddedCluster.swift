import Foundation

/// A private PostgreSQL cluster in a directory of ours: created with `initdb` on first use, started
/// with `pg_ctl`, listening only on a unix socket in a 0700 directory (no TCP).
///
/// Layout under `directory`: `pgdata/` (the cluster), `run/` (the socket), `log/postgres.log`.
/// When the process is root, the server programs run as the `postgres` system user, which then owns
/// `pgdata`, `run` and `log`; `directory` itself is made searchable (0711) but not listable.
public struct EmbeddedCluster: Sendable {
    /// The superuser `initdb` creates; it owns the schema and runs migrations.
    public static let ownerRole = "backoffice_owner"
    public static let port = 5432

    public let directory: String
    /// Extra `postgresql.conf` settings (tests turn durability off for speed).
    public var settings: [String: String]
    /// Whether `initdb` may skip fsync (throwaway clusters only).
    public var fastInitialization: Bool

    public init(directory: String, settings: [String: String] = [:], fastInitialization: Bool = false) {
        self.directory = (directory as NSString).standardizingPath
        self.settings = settings
        self.fastInitialization = fastInitialization
    }

    public var dataDirectory: String { directory + "/pgdata" }
    public var socketDirectory: String { directory + "/run" }
    public var logFile: String { directory + "/log/postgres.log" }

    /// What `status()` found.
    public enum Status: Sendable, Equatable {
        case notInitialized
        case stopped
        case running(pid: Int32)
    }

    /// A libpq URL for a role and database over the cluster's socket.
    public func url(user: String, database: String) -> String {
        "postgresql://\(user)@/\(database)?host=\(percentEncode(socketDirectory))&port=\(Self.port)"
    }

    public func status() -> Status {
        guard FileManager.default.fileExists(atPath: dataDirectory + "/PG_VERSION") else { return .notInitialized }
        guard let pid = livePostmasterPID() else { return .stopped }
        return .running(pid: pid)
    }

    /// Creates the cluster if needed and starts it; returns once it accepts connections.
    public func start() throws(ClusterError) {
        let binaries = try ServerBinaries.locate()
        let runner = try prepareDirectories()
        if !FileManager.default.fileExists(atPath: dataDirectory + "/PG_VERSION") {
            try initialize(binaries: binaries, runner: runner)
        }
        try checkOwnership(runner: runner)
        if case .running = status() { return }
        removeStaleLockFiles()
        try writeSettings(runner: runner)
        var output = try runner.run(binaries.pgCtl, ["-D", dataDirectory, "-l", logFile, "-w", "-t", "60", "-s", "start"])
        // After a crash, the dead server's backends may hold its shared memory for a moment longer.
        var retries = 0
        while output.status != 0, retries < 10, lastLogLines(fallback: "").contains("pre-existing shared memory block") {
            retries += 1
            usleep(500_000)
            removeStaleLockFiles()
            output = try runner.run(binaries.pgCtl, ["-D", dataDirectory, "-l", logFile, "-w", "-t", "60", "-s", "start"])
        }
        if output.status != 0 {
            throw ClusterError("PostgreSQL did not start (\(dataDirectory)): \(lastLogLines(fallback: output.text))")
        }
    }

    /// Stops the cluster (fast shutdown: open transactions roll back). Stopping a stopped cluster is fine.
    public func stop(immediate: Bool = false) throws(ClusterError) {
        guard case .running = status() else { return }
        let binaries = try ServerBinaries.locate()
        let runner = CommandRunner(serverUser: try serverUserIfRoot())
        let output = try runner.run(binaries.pgCtl, ["-D", dataDirectory, "-w", "-t", "60", "-s", "-m", immediate ? "immediate" : "fast", "stop"])
        if output.status != 0 {
            throw ClusterError("PostgreSQL did not stop (\(dataDirectory)): \(Connection.firstLine(of: output.text))")
        }
    }

    /// Creates `database` (owned by the owner role) unless it exists.
    public func createDatabaseIfMissing(_ database: String) throws {
        let connection = try Connection.connect(url(user: Self.ownerRole, database: "postgres"))
        defer { connection.close() }
        let exists = try connection.query("SELECT 1 FROM pg_database WHERE datname = \(database)").count > 0
        if !exists {
            try connection.execute("CREATE DATABASE \(ident: database)")
        }
    }

    /// Whether the user that runs the server (the `postgres` user when we are root, else ourselves)
    /// can enter every directory on the way to `path`; parts that do not exist yet count as reachable.
    public static func serverUserCanReach(_ path: String) -> Bool {
        guard geteuid() == 0, let user = SystemUser.named("postgres") else { return true }
        return user.canReach(path).0
    }

    // MARK: - Steps

    private func serverUserIfRoot() throws(ClusterError) -> SystemUser? {
        guard geteuid() == 0 else { return nil }
        guard let user = SystemUser.named("postgres") else {
            throw ClusterError("PostgreSQL refuses to run as root and there is no `postgres` system user to run it as: install the Debian package `postgresql`, or run backoffice as an ordinary user")
        }
        return user
    }

    /// Creates the directories with the right owners and modes, and checks the server user can reach them.
    private func prepareDirectories() throws(ClusterError) -> CommandRunner {
        let fm = FileManager.default
        let serverUser = try serverUserIfRoot()
        do {
            try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw ClusterError("cannot create the data directory \(directory): \(error.localizedDescription)")
        }
        var info = stat()
        if stat(directory, &info) == 0, serverUser == nil, info.st_uid != geteuid() {
            throw ClusterError("the data directory \(directory) belongs to another user (uid \(info.st_uid)); use your own with BACKOFFICE_DATA_DIR")
        }
        chmod(directory, serverUser == nil ? 0o700 : 0o711)
        for sub in [dataDirectory, socketDirectory, directory + "/log"] {
            if !fm.fileExists(atPath: sub) {
                do {
                    try fm.createDirectory(atPath: sub, withIntermediateDirectories: false)
                } catch {
                    throw ClusterError("cannot create \(sub): \(error.localizedDescription)")
                }
            }
            chmod(sub, 0o700)
            if let serverUser {
                var subInfo = stat()
                if stat(sub, &subInfo) == 0, subInfo.st_uid == 0 {
                    chown(sub, serverUser.uid, serverUser.gid)
                }
            }
        }
        if let serverUser {
            let (reachable, blocking) = serverUser.canReach(directory)
            if !reachable {
                throw ClusterError("PostgreSQL runs as the `postgres` user when backoffice runs as root, and that user cannot enter \(blocking ?? directory) on the way to \(directory); set BACKOFFICE_DATA_DIR to a directory it can reach, such as /var/lib/backoffice")
            }
        }
        if socketDirectory.utf8.count + 20 > 107 {
            throw ClusterError("the socket path under \(socketDirectory) is too long for a unix socket (107 bytes at most); choose a shorter BACKOFFICE_DATA_DIR")
        }
        return CommandRunner(serverUser: serverUser)
    }

    private func initialize(binaries: ServerBinaries, runner: CommandRunner) throws(ClusterError) {
        var arguments = ["-D", dataDirectory, "-U", Self.ownerRole, "--auth=trust", "-E", "UTF8", "--no-locale", "--no-instructions"]
        if fastInitialization { arguments.append("--no-sync") }
        let output = try runner.run(binaries.initdb, arguments)
        if output.status != 0 {
            throw ClusterError("initdb failed for \(dataDirectory): \(Connection.firstLine(of: output.text))")
        }
        let include = "\n# Backoffice's own settings, rewritten at every start.\ninclude_if_exists = 'backoffice.conf'\n"
        guard let handle = FileHandle(forWritingAtPath: dataDirectory + "/postgresql.conf") else {
            throw ClusterError("cannot open \(dataDirectory)/postgresql.conf")
        }
        handle.seekToEndOfFile()
        handle.write(Data(include.utf8))
        handle.closeFile()
    }

    private func checkOwnership(runner: CommandRunner) throws(ClusterError) {
        var info = stat()
        guard stat(dataDirectory, &info) == 0 else { return }
        let expected = runner.serverUser?.uid ?? geteuid()
        if info.st_uid != expected {
            let who = runner.serverUser?.name ?? "you"
            throw ClusterError("the cluster \(dataDirectory) belongs to uid \(info.st_uid), not to \(who) (uid \(expected)): PostgreSQL would refuse to start it; fix its owner or choose another BACKOFFICE_DATA_DIR")
        }
    }

    private func writeSettings(runner: CommandRunner) throws(ClusterError) {
        var lines = [
            "listen_addresses = ''",
            "unix_socket_directories = '\(socketDirectory.replacingOccurrences(of: "'", with: "''"))'",
            "unix_socket_permissions = 0700",
            "port = \(Self.port)",
            "max_connections = 60",
            "shared_buffers = '64MB'",
            "log_min_messages = warning",
            "log_line_prefix = '%m [%p] '",
        ]
        for (key, value) in settings.sorted(by: { $0.key < $1.key }) {
            lines.append("\(key) = '\(value.replacingOccurrences(of: "'", with: "''"))'")
        }
        let path = dataDirectory + "/backoffice.conf"
        let text = lines.joined(separator: "\n") + "\n"
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
            throw ClusterError("cannot write \(path)")
        }
        chmod(path, 0o600)
        if let user = runner.serverUser { chown(path, user.uid, user.gid) }
    }

    /// A postmaster.pid (or socket lock) left by a crash names a process that no longer exists, or one that
    /// is not PostgreSQL: remove it so the server can start. A live postmaster's file is left alone.
    private func removeStaleLockFiles() {
        for file in [dataDirectory + "/postmaster.pid", socketDirectory + "/.s.PGSQL.\(Self.port).lock"] {
            guard let pid = Self.pid(inLockFile: file) else { continue }
            if !Self.isPostgresProcess(pid) {
                unlink(file)
                if file.hasSuffix(".lock") { unlink(socketDirectory + "/.s.PGSQL.\(Self.port)") }
            }
        }
    }

    private func livePostmasterPID() -> Int32? {
        guard let pid = Self.pid(inLockFile: dataDirectory + "/postmaster.pid") else { return nil }
        return Self.isPostgresProcess(pid) ? pid : nil
    }

    static func pid(inLockFile path: String) -> Int32? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
              let first = text.split(separator: "\n").first,
              let pid = Int32(first.trimmingCharacters(in: .whitespaces)), pid > 0 else { return nil }
        return pid
    }

    /// Whether `pid` is a live PostgreSQL process (a zombie left by a crash, or a process that reused the
    /// number, is not).
    static func isPostgresProcess(_ pid: Int32) -> Bool {
        if kill(pid, 0) != 0 && errno == ESRCH { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else {
            // No /proc (not Linux): trust the signal check.
            return kill(pid, 0) == 0 || errno == EPERM
        }
        // "pid (comm) S …": the state letter follows the last ')'.
        guard let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")") else { return false }
        let comm = stat[stat.index(after: open)..<close]
        let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
        if state == "Z" || state == "X" { return false }
        return comm.hasPrefix("postgres") || comm.hasPrefix("postmaster")
    }

    private func lastLogLines(fallback: String) -> String {
        guard let text = try? String(contentsOfFile: logFile, encoding: .utf8) else {
            return Connection.firstLine(of: fallback)
        }
        let interesting = text.split(separator: "\n").filter { $0.contains("FATAL") || $0.contains("ERROR") || $0.contains("PANIC") }
        if let last = interesting.last {
            return String(last) + " (see \(logFile))"
        }
        return Connection.firstLine(of: fallback) + " (see \(logFile))"
    }

    private func percentEncode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
