import Foundation
import Postgres
@testable import Domain

/// The PostgreSQL server the tests use: `BACKOFFICE_TEST_DATABASE_URL` when set (a role that may create
/// databases), otherwise a throwaway cluster started once per test process in a temp dir (unix socket
/// only, durability off) and stopped by a watchdog when the process ends, however it ends.
///
/// Migrations run once into a template database; each test clones it (`TestDatabase`).
final class TestServer: Sendable {
    /// Owner-role connection string for the server's maintenance database.
    let ownerConninfo: String
    /// The migrated template every test database is cloned from.
    let templateName: String
    /// The throwaway cluster, when we started one.
    let cluster: EmbeddedCluster?

    static let shared: Result<TestServer, any Error> = Result { try TestServer.start() }

    static func get() throws -> TestServer {
        try shared.get()
    }

    private init(ownerConninfo: String, templateName: String, cluster: EmbeddedCluster?) {
        self.ownerConninfo = ownerConninfo
        self.templateName = templateName
        self.cluster = cluster
    }

    private static func start() throws -> TestServer {
        let environment = ProcessInfo.processInfo.environment
        var cluster: EmbeddedCluster?
        let ownerConninfo: String
        if let url = environment["BACKOFFICE_TEST_DATABASE_URL"], !url.isEmpty {
            ownerConninfo = url
        } else {
            var template = Array("/tmp/bo-test-XXXXXX".utf8CString)
            guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
                throw ClusterError("cannot create a temporary directory for the test cluster")
            }
            let directory = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let throwaway = EmbeddedCluster(
                directory: directory,
                settings: ["fsync": "off", "synchronous_commit": "off", "full_page_writes": "off", "max_connections": "200"],
                fastInitialization: true
            )
            try Watchdog.guardCluster(throwaway)
            try throwaway.start()
            cluster = throwaway
            ownerConninfo = throwaway.url(user: EmbeddedCluster.ownerRole, database: "postgres")
        }
        let templateName = "bo_template_\(UUID().uuidString.prefix(8).lowercased())"
        let admin = try Connection.connect(ownerConninfo)
        defer { admin.close() }
        try admin.execute("CREATE DATABASE \(ident: templateName)")
        let owner = try Connection.connect(try ConnectionString.replacing(ownerConninfo, ["dbname": templateName]))
        defer { owner.close() }
        try Migrator(migrations: Migration.bundled()).migrate(owner)
        return TestServer(ownerConninfo: ownerConninfo, templateName: templateName, cluster: cluster)
    }
}

/// Stops the throwaway cluster when the test process ends, even by a crash or a kill: a detached shell
/// waits for end-of-file on a pipe whose only writer is this process.
enum Watchdog {
    static func guardCluster(_ cluster: EmbeddedCluster) throws {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw ClusterError("cannot create the watchdog pipe") }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        let binaries = try ServerBinaries.locate()
        let asServer = geteuid() == 0 ? "/usr/sbin/runuser -u postgres -- " : ""
        let script = """
            read _ignored; \
            \(asServer)'\(binaries.pgCtl)' -D '\(cluster.dataDirectory)' -m immediate -w stop >/dev/null 2>&1; \
            rm -rf '\(cluster.directory)'
            """
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, fds[0], 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ["/usr/bin/setsid", "/bin/sh", "-c", script]
        var pid: pid_t = 0
        let status = argv.withCStringArray { pointers in
            posix_spawn(&pid, argv[0], &actions, nil, pointers, environ)
        }
        close(fds[0])
        guard status == 0 else { throw ClusterError("cannot start the test cluster's watchdog") }
        // fds[1] stays open (close-on-exec) for the life of this process: its end is the signal.
        _ = fds[1]
    }
}

extension Array where Element == String {
    func withCStringArray<R>(_ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
        var cStrings: [UnsafeMutablePointer<CChar>?] = map { strdup($0) }
        cStrings.append(nil)
        defer { cStrings.forEach { free($0) } }
        return cStrings.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
