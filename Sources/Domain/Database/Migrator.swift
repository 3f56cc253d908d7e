import Foundation
import Postgres

/// One numbered SQL file from `Sources/Domain/Migrations` (`0003_catalog.sql`).
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    public let sql: String

    /// The migrations shipped with this build, in order.
    public static func bundled() throws -> [Migration] {
        guard let directory = Bundle.module.url(forResource: "Migrations", withExtension: nil) else {
            throw InternalError("the migrations are missing from this build (Domain resource bundle)")
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".sql") }
        var migrations: [Migration] = []
        for file in files.sorted() {
            guard let version = Int(file.prefix(while: \.isNumber)) else {
                throw InternalError("migration file \(file) does not start with its number")
            }
            let sql = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            migrations.append(Migration(version: version, name: file, sql: sql))
        }
        for (a, b) in zip(migrations, migrations.dropFirst()) where a.version == b.version {
            throw InternalError("migrations \(a.name) and \(b.name) share the number \(a.version)")
        }
        return migrations
    }
}

/// Applies migrations in order over the owner connection, one transaction each, under an advisory lock
/// (two processes never migrate at once), recording each with a checksum; an applied migration whose file
/// has since changed is an error, never silently skipped or re-run.
public struct Migrator {
    /// The ledger; only the owner can read it.
    static let ledger = "backoffice_migrations"
    static let lockKey: Int64 = 0x6261_636b_6f66_6669 // "backoffi"

    public let migrations: [Migration]

    public init(migrations: [Migration]) {
        self.migrations = migrations
    }

    /// What the database has and what it lacks.
    public struct State: Sendable {
        public var applied: [Int]
        public var pending: [Migration]
    }

    /// Applies what is pending; returns the migrations applied now.
    @discardableResult
    public func migrate(_ owner: Connection) throws -> [Migration] {
        try owner.execute("SELECT pg_advisory_lock(\(Self.lockKey))")
        defer { _ = try? owner.execute("SELECT pg_advisory_unlock(\(Self.lockKey))") }
        let pending = try state(owner).pending
        for migration in pending {
            try owner.transaction { connection in
                do {
                    try connection.execute(script: SQLScript(name: migration.name, text: migration.sql))
                } catch let error as PostgresError {
                    throw InternalError("migration \(error.message)")
                }
                try connection.execute("""
                    INSERT INTO \(ident: Self.ledger) (version, name, checksum)
                    VALUES (\(migration.version), \(migration.name), encode(sha256(convert_to(\(migration.sql), 'UTF8')), 'hex'))
                    """)
            }
        }
        return pending
    }

    /// Compares the ledger with the shipped files, creating the ledger if it is missing.
    public func state(_ owner: Connection) throws -> State {
        try owner.execute("""
            CREATE TABLE IF NOT EXISTS \(ident: Self.ledger) (
                version integer PRIMARY KEY,
                name text NOT NULL,
                checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """)
        try owner.execute("REVOKE ALL ON \(ident: Self.ledger) FROM PUBLIC")
        let rows = try owner.query("SELECT version, name, checksum FROM \(ident: Self.ledger) ORDER BY version")
        var applied: [Int: (name: String, checksum: String)] = [:]
        for row in rows {
            applied[try row.decode("version")] = (try row.decode("name"), try row.decode("checksum"))
        }
        let known = Dictionary(uniqueKeysWithValues: migrations.map { ($0.version, $0) })
        for (version, record) in applied.sorted(by: { $0.key < $1.key }) where known[version] == nil {
            throw ConflictError("the database has migration \(record.name), which this build of backoffice does not know: use a newer backoffice")
        }
        let checksums = try owner.query("""
            SELECT encode(sha256(convert_to(sql, 'UTF8')), 'hex') AS checksum
            FROM unnest(\(migrations.map(\.sql))) WITH ORDINALITY AS m(sql, position) ORDER BY position
            """)
        var pending: [Migration] = []
        for (migration, row) in zip(migrations, checksums) {
            if let record = applied[migration.version] {
                let checksum: String = try row.decode("checksum")
                if checksum != record.checksum {
                    throw ConflictError("migration \(migration.name) was edited after it was applied (its checksum differs from the one recorded); add a new migration instead of editing an applied one")
                }
            } else {
                pending.append(migration)
            }
        }
        return State(applied: applied.keys.sorted(), pending: pending)
    }
}
