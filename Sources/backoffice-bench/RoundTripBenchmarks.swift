/// Figures for the path every screen and service takes: one short tenant-scoped transaction.
///
/// This file exists to hold those figures, each written twice with the same SQL and the same four round
/// trips (BEGIN; `set_config('app.tenant_id', …, true)`; the statement; COMMIT):
/// - ours: `ConnectionPool.withConnection` + `Connection.transaction` + `setLocal` + `query`/`decode`
///   (the four-round-trip form; `Database.withTenant` now pipelines BEGIN and the setting into one round
///   trip with `transaction(locals:)`, which deserves its own figure against libpq pipeline mode);
/// - raw: `RawConnection` (`PQexecParams` with the same text and type OIDs) + `RawValue` parsing.
/// `tenant_select_pipelined` is the path `Database.withTenant` takes: `transaction(locals:)` sends BEGIN and
/// the tenant setting in one round trip (three in all), against the same through libpq pipeline mode.
/// `verify` checks, before timing, that both sides send identical statements and return identical values.
/// Later figures (pipelines, batches, listeners) belong in sibling files, registered in `FigureCatalog`.
import CLibPQ
import Domain
import Foundation
import Postgres

/// One `audit_log` row as both sides decode it.
struct AuditEntry: Equatable {
    var id: UUID
    var action: String
    var entityType: String
    var entityID: String?
    var createdAt: Date
    var after: JSONValue?
}

extension AuditEntry {
    /// Through our layer: decoding by column name.
    init(_ row: Row) throws {
        self.init(
            id: try row.decode("id"),
            action: try row.decode("action"),
            entityType: try row.decode("entity_type"),
            entityID: try row.decode("entity_id"),
            createdAt: try row.decode("created_at"),
            after: try row.decode("after")
        )
    }

    /// Through raw libpq: by position, from a result that must hold exactly one row.
    init(rawResult result: OpaquePointer) throws {
        guard PQntuples(result) == 1 else { throw BenchError("raw libpq: expected one audit_log row, got \(PQntuples(result))") }
        self.init(
            id: try RawValue.uuid(result, 0, 0),
            action: RawValue.string(result, 0, 1),
            entityType: RawValue.string(result, 0, 2),
            entityID: RawValue.optionalString(result, 0, 3),
            createdAt: try RawValue.timestamp(result, 0, 4),
            after: try RawValue.json(result, 0, 5)
        )
    }
}

/// The values one inserted `audit_log` row binds (six parameters).
struct AuditInput {
    var tenantID: UUID
    var actorUserID: UUID?
    var action: String
    var entityType: String
    var entityID: String
    var after: JSONValue
}

/// Keeps results observable so no side's decoding can be optimised away.
final class Sink {
    var checksum = 0
    func consume(_ entry: AuditEntry) { checksum &+= entry.action.utf8.count &+ Int(entry.id.uuid.0) }
    func consume(_ id: UUID) { checksum &+= Int(id.uuid.15) }
}

final class RoundTripBenchmarks {
    static let names = ["tenant_select_roundtrip", "tenant_insert_roundtrip", "tenant_select_pipelined"]

    /// The statements as the raw side sends them; `verify` checks ours renders the same text and OIDs.
    enum RawSQL {
        static let begin = "BEGIN"
        static let commit = "COMMIT"
        /// What `Connection.setLocal(_:to:)` sends (Sources/Postgres/Connection/Connection+Transaction.swift).
        static let setConfig = "SELECT set_config($1, $2, true)"
        static let setConfigTypes: [Oid] = [PostgresType.text.rawValue, PostgresType.text.rawValue]
        static let select = "SELECT id, action, entity_type, entity_id, created_at, after FROM audit_log WHERE tenant_id = $1 AND id = $2"
        static let selectTypes: [Oid] = [PostgresType.uuid.rawValue, PostgresType.uuid.rawValue]
        static let insert = "INSERT INTO audit_log (tenant_id, actor_user_id, action, entity_type, entity_id, after) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id"
        static let insertTypes: [Oid] = [
            PostgresType.uuid.rawValue, PostgresType.uuid.rawValue, PostgresType.text.rawValue,
            PostgresType.text.rawValue, PostgresType.text.rawValue, PostgresType.jsonb.rawValue,
        ]
    }

    let pool: ConnectionPool
    let raw: RawConnection
    let sink = Sink()
    /// Rows to select, alternating between the two tenants.
    let keys: [(tenantID: UUID, id: UUID)]
    /// Rows to insert, alternating between the two tenants.
    let inputs: [AuditInput]

    init(appURL: String, seed: BenchSeed) throws {
        pool = ConnectionPool(conninfo: appURL, maxConnections: 1)
        raw = try RawConnection(conninfo: appURL)
        try pool.withConnection { _ in } // connect now, not inside the first timed transaction
        var keys: [(tenantID: UUID, id: UUID)] = []
        let perTenant = seed.tenants.map(\.auditRowIDs.count).min() ?? 0
        for index in 0..<perTenant {
            for tenant in seed.tenants {
                // A stride through the rows, so consecutive lookups do not hit neighbouring index entries.
                keys.append((tenant.id, tenant.auditRowIDs[(index * 97) % perTenant]))
            }
        }
        guard !keys.isEmpty else { throw BenchError("the seed produced no audit rows to select") }
        self.keys = keys
        inputs = (0..<64).map { index in
            let tenant = seed.tenants[index % seed.tenants.count]
            return AuditInput(
                tenantID: tenant.id, actorUserID: nil, action: "product.updated", entityType: "product",
                entityID: "product-\(1000 + index)",
                after: .object([
                    "name": .string("Product \(index)"), "price": .integer(Int64(index) * 125),
                    "currency": .string("EUR"), "active": .bool(index % 2 == 0),
                ])
            )
        }
    }

    func close() { pool.close() }

    var figures: [Figure] {
        [
            Figure(
                name: "tenant_select_roundtrip",
                ours: { [self] i in sink.consume(try oursSelect(keys[i % keys.count])) },
                raw: { [self] i in sink.consume(try rawSelect(keys[i % keys.count])) },
                verify: { [self] in try verifySelect() }
            ),
            Figure(
                name: "tenant_insert_roundtrip",
                ours: { [self] i in sink.consume(try oursInsert(inputs[i % inputs.count])) },
                raw: { [self] i in sink.consume(try rawInsert(inputs[i % inputs.count])) },
                verify: { [self] in try verifyInsert() }
            ),
            Figure(
                name: "tenant_select_pipelined",
                ours: { [self] i in sink.consume(try oursPipelinedSelect(keys[i % keys.count])) },
                raw: { [self] i in sink.consume(try rawSelect(keys[i % keys.count], pipelined: true)) },
                verify: { [self] in try verifyPipelinedSelect() }
            ),
        ]
    }

    // MARK: - tenant_select_roundtrip

    static func selectSQL(tenantID: UUID, id: UUID) -> SQL {
        "SELECT id, action, entity_type, entity_id, created_at, after FROM audit_log WHERE tenant_id = \(tenantID) AND id = \(id)"
    }

    func oursSelect(_ key: (tenantID: UUID, id: UUID)) throws -> AuditEntry {
        try pool.withConnection { connection in
            try connection.transaction { connection in
                try connection.setLocal(DatabaseRoles.tenantSetting, to: key.tenantID.uuidString)
                let row = try connection.query(Self.selectSQL(tenantID: key.tenantID, id: key.id)).single()
                return try AuditEntry(row)
            }
        }
    }

    /// The raw side of both select figures: BEGIN and the setting as two round trips or one pipeline.
    func rawSelect(_ key: (tenantID: UUID, id: UUID), pipelined: Bool = false) throws -> AuditEntry {
        if pipelined {
            try raw.pipelinedBegin(setting: DatabaseRoles.tenantSetting, to: key.tenantID.uuidString)
        } else {
            try raw.command(RawSQL.begin)
        }
        do {
            if !pipelined {
                try raw.discard(RawSQL.setConfig, types: RawSQL.setConfigTypes, values: [DatabaseRoles.tenantSetting, key.tenantID.uuidString])
            }
            let result = try raw.exec(RawSQL.select, types: RawSQL.selectTypes, values: [key.tenantID.uuidString, key.id.uuidString])
            defer { PQclear(result) }
            let entry = try AuditEntry(rawResult: result)
            try raw.command(RawSQL.commit)
            return entry
        } catch {
            raw.rollback()
            throw error
        }
    }

    func verifySelect() throws {
        let key = keys[0]
        try Self.checkSameStatement(Self.selectSQL(tenantID: key.tenantID, id: key.id), RawSQL.select, RawSQL.selectTypes)
        let ours = try oursSelect(key)
        let raw = try rawSelect(key)
        guard ours == raw else {
            throw BenchError("tenant_select_roundtrip: the sides decode the same row differently: ours \(ours), raw \(raw)")
        }
        guard ours.id == key.id, ours.after != nil else {
            throw BenchError("tenant_select_roundtrip: selected the wrong row: \(ours)")
        }
    }

    // MARK: - tenant_select_pipelined

    func oursPipelinedSelect(_ key: (tenantID: UUID, id: UUID)) throws -> AuditEntry {
        try pool.withConnection { connection in
            try connection.transaction(locals: [(DatabaseRoles.tenantSetting, key.tenantID.uuidString)]) { connection in
                let row = try connection.query(Self.selectSQL(tenantID: key.tenantID, id: key.id)).single()
                return try AuditEntry(row)
            }
        }
    }

    func verifyPipelinedSelect() throws {
        let key = keys[1 % keys.count]
        let ours = try oursPipelinedSelect(key)
        let raw = try rawSelect(key, pipelined: true)
        guard ours == raw, ours.id == key.id else {
            throw BenchError("tenant_select_pipelined: the sides decode differently or the wrong row: ours \(ours), raw \(raw)")
        }
        // The setting really scopes the transaction: another tenant's key finds nothing.
        if let other = keys.first(where: { $0.tenantID != key.tenantID }) {
            let count = try pool.withConnection { connection in
                try connection.transaction(locals: [(DatabaseRoles.tenantSetting, key.tenantID.uuidString)]) { connection in
                    try connection.query(Self.selectSQL(tenantID: other.tenantID, id: other.id)).count
                }
            }
            guard count == 0 else { throw BenchError("tenant_select_pipelined: another tenant's row was visible") }
        }
    }

    // MARK: - tenant_insert_roundtrip

    static func insertSQL(_ input: AuditInput) -> SQL {
        """
        INSERT INTO audit_log (tenant_id, actor_user_id, action, entity_type, entity_id, after) \
        VALUES (\(input.tenantID), \(input.actorUserID as UUID?), \(input.action), \(input.entityType), \(input.entityID), \(input.after)) \
        RETURNING id
        """
    }

    func oursInsert(_ input: AuditInput) throws -> UUID {
        try pool.withConnection { connection in
            try connection.transaction { connection in
                try connection.setLocal(DatabaseRoles.tenantSetting, to: input.tenantID.uuidString)
                return try connection.query(Self.insertSQL(input)).single().decode("id", as: UUID.self)
            }
        }
    }

    func rawInsert(_ input: AuditInput) throws -> UUID {
        try raw.command(RawSQL.begin)
        do {
            try raw.discard(RawSQL.setConfig, types: RawSQL.setConfigTypes, values: [DatabaseRoles.tenantSetting, input.tenantID.uuidString])
            let result = try raw.exec(RawSQL.insert, types: RawSQL.insertTypes, values: [
                input.tenantID.uuidString, input.actorUserID?.uuidString, input.action, input.entityType,
                input.entityID, input.after.jsonText,
            ])
            defer { PQclear(result) }
            guard PQntuples(result) == 1 else { throw BenchError("raw libpq: expected one returned id, got \(PQntuples(result))") }
            let id = try RawValue.uuid(result, 0, 0)
            try raw.command(RawSQL.commit)
            return id
        } catch {
            raw.rollback()
            throw error
        }
    }

    func verifyInsert() throws {
        let input = inputs[0]
        try Self.checkSameStatement(Self.insertSQL(input), RawSQL.insert, RawSQL.insertTypes)
        let oursID = try oursInsert(input)
        let rawID = try rawInsert(input)
        guard oursID != rawID else { throw BenchError("tenant_insert_roundtrip: both sides returned the same id") }
        var ours = try oursSelect((input.tenantID, oursID))
        let raw = try oursSelect((input.tenantID, rawID))
        guard ours.after == input.after, ours.entityID == input.entityID else {
            throw BenchError("tenant_insert_roundtrip: the row read back differs from the input: \(ours)")
        }
        (ours.id, ours.createdAt) = (raw.id, raw.createdAt)
        guard ours == raw else {
            throw BenchError("tenant_insert_roundtrip: the sides stored different rows: ours \(ours), raw \(raw)")
        }
    }

    // MARK: - Checks

    /// Fails unless our rendered statement is the raw side's text with the same parameter types.
    static func checkSameStatement(_ sql: SQL, _ text: String, _ types: [Oid]) throws {
        let (rendered, binds) = sql.render()
        guard rendered == text, binds.map(\.type.rawValue) == types else {
            throw BenchError("the sides send different statements: ours '\(rendered)' \(binds.map(\.type.rawValue)), raw '\(text)' \(types)")
        }
    }
}
