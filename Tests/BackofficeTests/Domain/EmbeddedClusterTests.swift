import Foundation
import Postgres
import Testing
@testable import Domain

/// The embedded cluster's life cycle and its bad days: a crash's stale postmaster.pid, a data directory
/// owned by someone else, missing server programs, an unreachable configured server.
@Suite(.serialized) struct EmbeddedClusterTests {
    /// A cluster of its own in a short temp path, stopped and removed afterwards.
    static func withCluster(_ body: (EmbeddedCluster) throws -> Void) throws {
        var template = Array("/tmp/bo-cl-XXXXXX".utf8CString)
        #expect(template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) } != nil)
        let directory = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let cluster = EmbeddedCluster(directory: directory, settings: ["fsync": "off"], fastInitialization: true)
        defer {
            try? cluster.stop(immediate: true)
            try? FileManager.default.removeItem(atPath: directory)
        }
        try body(cluster)
    }

    @Test func startsStopsAndServesTheAppRole() throws {
        try Self.withCluster { cluster in
            #expect(cluster.status() == .notInitialized)
            let admin = DatabaseAdministration(configuration: .embedded(cluster))
            let applied = try admin.start()
            #expect(applied.count == (try Migration.bundled().count))
            guard case .running = cluster.status() else { Issue.record("not running after start"); return }
            // Starting again is harmless and applies nothing.
            #expect(try admin.start().isEmpty)
            let app = try Connection.connect(try DatabaseConfiguration.embedded(cluster).appURL())
            let me = try app.query("SELECT current_user AS u, rolbypassrls AS b FROM pg_roles WHERE rolname = current_user").single()
            #expect(try me.decode("u", as: String.self) == "backoffice_app")
            #expect(try me.decode("b", as: Bool.self) == false)
            let owned: Int = try app.query("SELECT count(*)::int8 AS n FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)").single().decode("n")
            #expect(owned == 0)
            // No TCP: the server listens on the socket only.
            let listen: String = try app.query("SELECT current_setting('listen_addresses') AS l").single().decode("l")
            #expect(listen == "")
            app.close()
            var info = stat()
            #expect(stat(cluster.socketDirectory, &info) == 0 && info.st_mode & 0o777 == 0o700)
            #expect(try admin.stop().hasPrefix("stopped"))
            #expect(cluster.status() == .stopped)
            #expect(try admin.stop().contains("not running"))
        }
    }

    @Test func recoversFromAStalePostmasterPidAfterACrash() throws {
        try Self.withCluster { cluster in
            try cluster.start()
            guard case .running(let pid) = cluster.status() else { Issue.record("not running"); return }
            kill(pid, SIGKILL)
            var waited = 0
            while kill(pid, 0) == 0 && waited < 100 { usleep(50_000); waited += 1 }
            // The crash left postmaster.pid behind; point it at a live process that is not PostgreSQL (us).
            let pidFile = cluster.dataDirectory + "/postmaster.pid"
            var lines = try String(contentsOfFile: pidFile, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            lines[0] = Substring(String(getpid()))
            try lines.joined(separator: "\n").write(toFile: pidFile, atomically: false, encoding: .utf8)
            #expect(cluster.status() == .stopped)
            // Remaining children of the killed postmaster may hold shared memory briefly; start must still work.
            try cluster.start()
            guard case .running = cluster.status() else { Issue.record("did not restart"); return }
            let connection = try Connection.connect(cluster.url(user: EmbeddedCluster.ownerRole, database: "postgres"))
            #expect(try connection.query("SELECT 1").count == 1)
        }
    }

    @Test func refusesADataDirectoryOwnedBySomeoneElse() throws {
        // Needs root to hand the directory away. getpwnam's result is overwritten by later calls: copy it.
        guard geteuid() == 0, let entry = getpwnam("nobody") else { return }
        let (uid, gid) = (entry.pointee.pw_uid, entry.pointee.pw_gid)
        try Self.withCluster { cluster in
            try cluster.start()
            try cluster.stop()
            #expect(chown(cluster.dataDirectory, uid, gid) == 0)
            let error = #expect(throws: ClusterError.self) { try cluster.start() }
            #expect(error?.message.contains("belongs to uid \(uid)") == true)
        }
    }

    @Test func namesTheDebianPackageWhenServerProgramsAreMissing() throws {
        let error = #expect(throws: ClusterError.self) {
            try ServerBinaries.locate(environment: ["BACKOFFICE_PG_BIN": "/nonexistent/bin"])
        }
        #expect(error?.message.contains("/nonexistent/bin") == true)
        let search = #expect(throws: ClusterError.self) {
            try ServerBinaries.locate(environment: ["PATH": "/nonexistent"], searchRoots: [])
        }
        #expect(search?.message.contains("postgresql") == true)
    }

    @Test func anUnreachableConfiguredServerGivesOneClearLine() throws {
        let configuration = try DatabaseConfiguration.fromEnvironment([
            "BACKOFFICE_DATABASE_URL": "postgresql://app@127.0.0.1:1/backoffice?connect_timeout=2",
        ])
        let error = #expect(throws: (any Error).self) { try DatabaseAdministration(configuration: configuration).start() }
        let message = "\(error.map { DatabaseErrorMapping.appError(from: $0 as! PostgresError).message } ?? "")"
        #expect(message.contains("127.0.0.1:1"))
        #expect(message.contains("refused"))
        #expect(!message.contains("\n"))
    }
}
