/// The database a bench run measures against, and the rows it reads.
///
/// This file exists so that provisioning and cleanup live in one place: either an existing database
/// (`BACKOFFICE_BENCH_OWNER_URL` + `BACKOFFICE_BENCH_APP_URL`) or a throwaway embedded cluster in a fresh
/// temporary directory, migrated with the bundled migrations over the owner role; then two tenants with
/// a few hundred `audit_log` rows each (the catalog figures add their own stores and a super admin, and
/// record them here). `teardown()` undoes all of it exactly once (stops and deletes the throwaway cluster,
/// or deletes the seeded tenants and users from an existing database), whether the run succeeded, failed
/// or was interrupted.
import Domain
import Foundation
import Postgres

/// Two tenants and the primary keys of their seeded `audit_log` rows.
struct BenchSeed: Sendable {
    struct Tenant: Sendable {
        var id: UUID
        var slug: String
        var auditRowIDs: [UUID]
    }

    var tenants: [Tenant]

    /// Rows seeded per tenant.
    static let rowsPerTenant = 400
}

struct BenchDatabase: Sendable {
    /// The database the throwaway cluster holds.
    static let databaseName = "backoffice_bench"

    let ownerURL: String
    let appURL: String
    /// Our own cluster, stopped and deleted on teardown; nil for a database we were pointed at.
    let cluster: EmbeddedCluster?
    private let state = TeardownState()

    private init(ownerURL: String, appURL: String, cluster: EmbeddedCluster?) {
        self.ownerURL = ownerURL
        self.appURL = appURL
        self.cluster = cluster
    }

    /// Chooses the database: the configured one, or a throwaway cluster in a new temporary directory
    /// (created here, started by `start()`). Nothing runs yet, so signal handling can be in place first.
    static func configure(environment: [String: String]) throws -> BenchDatabase {
        let owner = environment["BACKOFFICE_BENCH_OWNER_URL"].flatMap { $0.isEmpty ? nil : $0 }
        let app = environment["BACKOFFICE_BENCH_APP_URL"].flatMap { $0.isEmpty ? nil : $0 }
        switch (owner, app) {
        case let (owner?, app?):
            return BenchDatabase(ownerURL: owner, appURL: app, cluster: nil)
        case (nil, nil):
            let directory = try makeTemporaryDirectory()
            let cluster = EmbeddedCluster(
                directory: directory,
                settings: ["fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"],
                fastInitialization: true
            )
            return BenchDatabase(
                ownerURL: cluster.url(user: EmbeddedCluster.ownerRole, database: databaseName),
                appURL: cluster.url(user: DatabaseRoles.app, database: databaseName),
                cluster: cluster
            )
        default:
            throw BenchError("set both BACKOFFICE_BENCH_OWNER_URL and BACKOFFICE_BENCH_APP_URL, or neither (for a throwaway cluster)")
        }
    }

    /// Starts the throwaway cluster and creates its database (if ours), then applies the bundled
    /// migrations over the owner URL (a no-op on an up-to-date database). The caller tears down on error.
    func start() throws {
        if let cluster {
            try cluster.start()
            try cluster.createDatabaseIfMissing(Self.databaseName)
        }
        let connection = try Connection.connect(ownerURL, applicationName: "backoffice-bench")
        defer { connection.close() }
        try Migrator(migrations: try Migration.bundled()).migrate(connection)
    }

    /// Inserts two tenants and `BenchSeed.rowsPerTenant` audit rows for each, as the owner. The tenant is
    /// set per transaction as the app does, so this works whether or not the owner bypasses RLS.
    func seed() throws -> BenchSeed {
        let connection = try Connection.connect(ownerURL, applicationName: "backoffice-bench")
        defer { connection.close() }
        let run = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        var tenants: [BenchSeed.Tenant] = []
        for label in ["a", "b"] {
            let slug = "bench-\(label)-\(run)"
            let name = "Bench store \(label.uppercased())"
            let id: UUID = try connection.query("INSERT INTO tenants (slug, name) VALUES (\(slug), \(name)) RETURNING id")
                .single().decode("id")
            state.record(tenant: id)
            let rows = try connection.transaction { connection in
                try connection.setLocal(DatabaseRoles.tenantSetting, to: id.uuidString)
                return try connection.query("""
                    INSERT INTO audit_log (tenant_id, created_at, action, entity_type, entity_id, after)
                    SELECT \(id), now() - g * interval '1.234567 seconds', 'product.updated', 'product',
                           'product-' || g,
                           jsonb_build_object('name', 'Product ' || g, 'sku', 'SKU-' || lpad(g::text, 6, '0'),
                                              'price', g * 125, 'currency', 'EUR',
                                              'tags', jsonb_build_array('bench', 'seed'), 'active', g % 2 = 0)
                    FROM generate_series(1, \(BenchSeed.rowsPerTenant)) AS g
                    RETURNING id
                    """)
            }
            let ids = try rows.map { row in try row.decode("id", as: UUID.self) }
            tenants.append(BenchSeed.Tenant(id: id, slug: slug, auditRowIDs: ids))
        }
        try connection.execute("ANALYZE audit_log")
        return BenchSeed(tenants: tenants)
    }

    /// Remembers a tenant the bench created elsewhere (the catalog figures' stores), for teardown.
    func record(tenant: UUID) {
        state.record(tenant: tenant)
    }

    /// Remembers a user the bench created (the catalog figures' super admin), for teardown.
    func record(user: UUID) {
        state.record(user: user)
    }

    /// Undoes the setup, once. A second caller (the signal handler racing the normal way out) waits
    /// until the first has finished, then does nothing, so nobody exits while a cluster is half stopped.
    /// Failures are reported on stderr but not thrown: teardown runs on the way out of an error too.
    func teardown() {
        state.runOnce { tenants, users in
            if let cluster {
                do {
                    try cluster.stop(immediate: true)
                } catch {
                    warn("could not stop the throwaway cluster in \(cluster.directory): \(oneLine(error))")
                }
                do {
                    try FileManager.default.removeItem(atPath: cluster.directory)
                } catch {
                    warn("could not delete \(cluster.directory): \(oneLine(error))")
                }
            } else if !tenants.isEmpty || !users.isEmpty {
                do {
                    let connection = try Connection.connect(ownerURL, applicationName: "backoffice-bench")
                    defer { connection.close() }
                    for tenant in tenants {
                        try Self.deleteTenant(tenant, connection)
                    }
                    for user in users {
                        try connection.transaction { connection in
                            try connection.execute("DELETE FROM platform_audit_log WHERE actor_user_id = \(user) OR entity_id = \(user.uuidString.lowercased())")
                            try connection.execute("DELETE FROM users WHERE id = \(user)")
                        }
                    }
                } catch {
                    warn("could not delete the bench tenants \(tenants.map(\.uuidString).joined(separator: ", ")) and users \(users.map(\.uuidString).joined(separator: ", ")): \(oneLine(error))")
                }
            }
        }
    }

    /// Deletes a bench tenant and every row of it, as the owner with the tenant set (so it works whether or
    /// not the owner bypasses RLS). The catalog figures fill many tenant tables, so rather than a fixed
    /// order this deletes from every table with a `tenant_id` column, retrying the ones a foreign key
    /// still holds (each attempt in a savepoint) until all are empty.
    private static func deleteTenant(_ tenant: UUID, _ connection: Connection) throws {
        try connection.transaction { connection in
            try connection.setLocal(DatabaseRoles.tenantSetting, to: tenant.uuidString)
            var tables: [String] = try connection.query("""
                SELECT c.table_name AS name FROM information_schema.columns c
                  JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
                 WHERE c.table_schema = current_schema() AND c.column_name = 'tenant_id' AND t.table_type = 'BASE TABLE'
                 ORDER BY 1
                """).map { try $0.decode("name", as: String.self) }
            var lastError: (any Error)?
            for _ in 0...tables.count where !tables.isEmpty {
                var remaining: [String] = []
                for table in tables {
                    do {
                        _ = try connection.transaction { connection in  // a savepoint
                            try connection.execute("DELETE FROM \(ident: table) WHERE tenant_id = \(tenant)")
                        }
                    } catch {
                        lastError = error
                        remaining.append(table)
                    }
                }
                tables = remaining
            }
            if !tables.isEmpty {
                throw BenchError("tables \(tables.joined(separator: ", ")) still hold rows of tenant \(tenant): \(lastError.map(oneLine) ?? "")")
            }
            try connection.execute("DELETE FROM tenants WHERE id = \(tenant)")
        }
    }

    private static func makeTemporaryDirectory() throws -> String {
        var template = Array((NSTemporaryDirectory() as NSString).appendingPathComponent("backoffice-bench-XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw BenchError("cannot create a temporary directory in \(NSTemporaryDirectory()): \(String(cString: strerror(errno)))")
        }
        return String(cString: made)
    }

    private func warn(_ message: String) {
        FileHandle.standardError.write(Data("backoffice-bench: warning: \(message)\n".utf8))
    }
}

/// What teardown must undo, shared with the signal handler; guarded by a lock.
private final class TeardownState: @unchecked Sendable {
    private let lock = NSLock()
    private var tornDown = false
    private var tenants: [UUID] = []
    private var users: [UUID] = []

    func record(tenant: UUID) {
        lock.withLock { tenants.append(tenant) }
    }

    func record(user: UUID) {
        lock.withLock { users.append(user) }
    }

    /// Runs `body` with the tenants and users to delete unless teardown already ran; holds the lock
    /// throughout.
    func runOnce(_ body: ([UUID], [UUID]) -> Void) {
        lock.withLock {
            guard !tornDown else { return }
            tornDown = true
            body(tenants, users)
        }
    }
}

/// The signal that interrupted the run, if any: set by the signal handler, read on the error path, and
/// the one way out after a signal (whichever thread gets there first tears down and exits, once).
final class Interruption: @unchecked Sendable {
    private let lock = NSLock()
    private let exitLock = NSLock()
    private var received: Int32?

    var signal: Int32? {
        get { lock.withLock { received } }
        set { lock.withLock { received = newValue } }
    }

    /// Tears the database down, says so, and exits with 128 + signal. A second caller blocks until the
    /// process is gone. `_exit`, because the other thread may be running too.
    func finish(_ database: BenchDatabase, signal: Int32) -> Never {
        database.teardown()
        exitLock.lock()
        FileHandle.standardError.write(Data("backoffice-bench: interrupted by signal \(signal); the database was torn down\n".utf8))
        _exit(128 + signal)
    }
}

/// A failure of the bench itself (setup, a raw libpq call, a verification), shown as one line.
struct BenchError: Error, CustomStringConvertible {
    var message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}
