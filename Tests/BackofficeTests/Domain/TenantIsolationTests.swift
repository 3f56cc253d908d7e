import Foundation
import Postgres
import Testing
@testable import Domain

/// Tenant isolation twice over: the schema's rules read from pg_catalog, then the app role trying to
/// reach another tenant's rows in every tenant table.
@Suite struct TenantIsolationTests {
    /// The tenant tables the platform's data model requires; the catalog must have at least these.
    static let requiredTenantTables: Set<String> = [
        "tenant_users", "user_roles", "product_types", "products", "product_attributes", "product_variants",
        "tenant_plugins", "workflows", "workflow_executions", "delivery_methods", "deliveries", "pricing_rules",
        "orders", "order_items", "audit_log", "outbox", "license_keys", "payments", "tenant_counters",
    ]

    @Test func everyTenantTableFollowsTheRules() throws {
        try TestDatabase.with { db in
            let audit = TenantTableAudit(connection: try db.owner())
            let tables = Set(try audit.tenantTables())
            #expect(Self.requiredTenantTables.isSubset(of: tables), "missing: \(Self.requiredTenantTables.subtracting(tables).sorted())")
            let violations = try audit.violations()
            #expect(violations.isEmpty, "\(violations.joined(separator: "\n"))")
        }
    }

    @Test func theAuditNoticesATableWithoutRowLevelSecurity() throws {
        try TestDatabase.with { db in
            let owner = try db.owner()
            try owner.execute("ALTER TABLE products DISABLE ROW LEVEL SECURITY")
            try owner.execute("ALTER TABLE orders NO FORCE ROW LEVEL SECURITY")
            try owner.execute("DROP POLICY tenant_isolation ON payments")
            try owner.execute("CREATE TABLE gift_cards (tenant_id uuid NOT NULL REFERENCES tenants (id), id uuid NOT NULL, PRIMARY KEY (id, tenant_id))")
            let violations = try TenantTableAudit(connection: owner).violations()
            #expect(violations.contains("products: row-level security is not enabled"))
            #expect(violations.contains("orders: row-level security is not forced"))
            #expect(violations.contains { $0.hasPrefix("payments: no policy") })
            #expect(violations.contains("gift_cards: row-level security is not enabled"))
            #expect(violations.contains { $0.hasPrefix("gift_cards: primary key does not start with tenant_id") })
        }
    }

    @Test func theAuditNoticesAForeignKeyWithoutTenant() throws {
        try TestDatabase.with { db in
            let owner = try db.owner()
            try owner.execute("ALTER TABLE products ADD COLUMN loose_type uuid")
            try owner.execute("CREATE UNIQUE INDEX product_types_id_only ON product_types (id)")
            try owner.execute("ALTER TABLE products ADD CONSTRAINT products_loose_type_fkey FOREIGN KEY (loose_type) REFERENCES product_types (id)")
            let violations = try TenantTableAudit(connection: owner).violations()
            #expect(violations.contains { $0.contains("products_loose_type_fkey") })
        }
    }

    @Test func theAppRoleCannotReachAnotherTenantsRows() throws {
        try TestDatabase.with { db in
            let a = try db.makeTenant()
            let b = try db.makeTenant()
            let owner = try db.owner()
            try Fixtures.seedTenants([a, b], on: owner)
            let tables = try TenantTableAudit(connection: owner).tenantTables()
            let probe = IsolationProbe(owner: owner, app: try db.app(), tables: tables)
            let leaks = try probe.leaks(acting: a, victim: b)
            #expect(leaks.isEmpty, "\(leaks.joined(separator: "\n"))")
        }
    }

    @Test func theProbeFindsALeakWhenRowLevelSecurityIsOff() throws {
        try TestDatabase.with { db in
            let a = try db.makeTenant()
            let b = try db.makeTenant()
            let owner = try db.owner()
            try Fixtures.seedTenants([a, b], on: owner)
            try owner.execute("ALTER TABLE product_variants DISABLE ROW LEVEL SECURITY")
            let probe = IsolationProbe(owner: owner, app: try db.app(), tables: ["product_variants", "products"])
            let leaks = try probe.leaks(acting: a, victim: b)
            #expect(leaks.contains { $0.hasPrefix("product_variants: SELECT") })
            #expect(!leaks.contains { $0.hasPrefix("products:") })
        }
    }

    @Test func withNoTenantSetNothingIsVisible() throws {
        try TestDatabase.with { db in
            let a = try db.makeTenant()
            let owner = try db.owner()
            try Fixtures.seedTenants([a], on: owner)
            let app = try db.app()
            for table in try TenantTableAudit(connection: owner).tenantTables() {
                let visible: Int = try app.query("SELECT count(*)::int8 AS n FROM \(ident: table)").single().decode("n")
                #expect(visible == 0, "\(table) shows \(visible) rows with no tenant set")
                // After a transaction that set the tenant locally, the setting reads '' and fails closed.
                try app.transaction { tx in
                    try tx.setLocal(DatabaseRoles.tenantSetting, to: a.uuidString)
                    _ = try tx.query("SELECT count(*) FROM \(ident: table)")
                }
                let after: Int = try app.query("SELECT count(*)::int8 AS n FROM \(ident: table)").single().decode("n")
                #expect(after == 0, "\(table) shows \(after) rows after a tenant transaction ended")
            }
        }
    }

    @Test func withTenantScopesEveryStatementToItsContext() throws {
        try TestDatabase.with { db in
            let a = try db.makeTenant()
            let b = try db.makeTenant()
            try Fixtures.seedTenants([a, b], on: try db.owner())
            let database = try db.database()
            let tenants: [UUID] = try database.withTenant(db.context(tenant: a)) { tx in
                try tx.query("SELECT DISTINCT tenant_id FROM products").map { try $0.decode("tenant_id") }
            }
            #expect(tenants == [a])
            // An insert naming another tenant is refused as forbidden (403), not silently written.
            let error = #expect(throws: ForbiddenError.self) {
                try database.withTenant(db.context(tenant: a)) { tx in
                    try tx.execute("INSERT INTO tenant_counters (tenant_id, name, value) VALUES (\(b), 'sneaky', 1)")
                }
            }
            #expect(error?.statusCode == 403)
        }
    }
}

/// Acts as the app role inside one tenant and tries to read, change, remove and create rows of another
/// tenant in each table; returns every attempt that got through.
struct IsolationProbe {
    let owner: Connection
    let app: Connection
    let tables: [String]

    func leaks(acting tenant: UUID, victim: UUID) throws -> [String] {
        var leaks: [String] = []
        for table in tables {
            let victimRows = try count(table, victim)
            let ownRows = try count(table, tenant)
            if victimRows == 0 || ownRows == 0 {
                leaks.append("\(table): the fixture left no rows to probe (acting \(ownRows), victim \(victimRows)); extend seed_tenant.sql")
                continue
            }
            let canUpdate: Bool = try owner.query("SELECT has_table_privilege('backoffice_app', \(table), 'UPDATE') AS p").single().decode("p")
            let canDelete: Bool = try owner.query("SELECT has_table_privilege('backoffice_app', \(table), 'DELETE') AS p").single().decode("p")

            let seen: Int = try inTenant(tenant) { try $0.query("SELECT count(*)::int8 AS n FROM \(ident: table) WHERE tenant_id = \(victim)").single().decode("n") }
            if seen != 0 { leaks.append("\(table): SELECT saw \(seen) rows of the other tenant") }
            let ownSeen: Int = try inTenant(tenant) { try $0.query("SELECT count(*)::int8 AS n FROM \(ident: table)").single().decode("n") }
            if ownSeen != ownRows { leaks.append("\(table): SELECT saw \(ownSeen) rows, expected only the tenant's own \(ownRows)") }

            if canUpdate {
                switch try attempt({ try inTenant(tenant) { try $0.execute("UPDATE \(ident: table) SET tenant_id = tenant_id WHERE tenant_id = \(victim)") } }) {
                case .success(let updated) where updated != 0: leaks.append("\(table): UPDATE changed \(updated) rows of the other tenant")
                case .failure(let error): leaks.append("\(table): UPDATE of the other tenant's rows reached them (failed only on \(error.kind))")
                default: break
                }
                // Moving one's own rows into the other tenant must be refused by WITH CHECK.
                if let kind = try refusal({ try inTenant(tenant) { try $0.execute("UPDATE \(ident: table) SET tenant_id = \(victim) WHERE tenant_id = \(tenant)") } }) {
                    if kind != .insufficientPrivilege { leaks.append("\(table): moving rows to the other tenant failed with \(kind), not the RLS check") }
                } else {
                    leaks.append("\(table): UPDATE moved rows into the other tenant")
                }
            } else if try refusal({ try inTenant(tenant) { try $0.execute("UPDATE \(ident: table) SET tenant_id = tenant_id WHERE tenant_id = \(victim)") } }) != .insufficientPrivilege {
                leaks.append("\(table): UPDATE was not refused although the app role lacks the privilege")
            }

            if canDelete {
                switch try attempt({ try inTenant(tenant) { try $0.execute("DELETE FROM \(ident: table) WHERE tenant_id = \(victim)") } }) {
                case .success(let deleted) where deleted != 0: leaks.append("\(table): DELETE removed \(deleted) rows of the other tenant")
                case .failure(let error): leaks.append("\(table): DELETE of the other tenant's rows reached them (failed only on \(error.kind))")
                default: break
                }
            }

            // Insert a copy of one of our rows, relabelled as the other tenant's.
            let insert: SQL = """
                INSERT INTO \(ident: table)
                SELECT (jsonb_populate_record(NULL::\(ident: table), to_jsonb(x) || jsonb_build_object('tenant_id', \(victim)))).*
                FROM \(ident: table) x LIMIT 1
                """
            if let kind = try refusal({ try inTenant(tenant) { try $0.execute(insert) } }) {
                if kind != .insufficientPrivilege { leaks.append("\(table): INSERT for the other tenant failed with \(kind), not the RLS check") }
            } else {
                leaks.append("\(table): INSERT wrote a row for the other tenant")
            }
            // With no tenant at all, nothing can be inserted either (a copy of a row the owner reads out).
            let noTenantInsert: SQL = """
                INSERT INTO \(ident: table)
                SELECT (jsonb_populate_record(NULL::\(ident: table), \(try sampleRow(table, victim)))).*
                """
            if try refusal({ try app.transaction { try $0.execute(noTenantInsert) } }) != .insufficientPrivilege {
                leaks.append("\(table): INSERT with no tenant set was not refused by the RLS check")
            }
            if try count(table, victim) != victimRows { leaks.append("\(table): the other tenant's row count changed") }
            if try count(table, tenant) != ownRows { leaks.append("\(table): the acting tenant's row count changed") }
        }
        return leaks
    }

    private func count(_ table: String, _ tenant: UUID) throws -> Int {
        try owner.transaction { owner in
            // The owner is subject to FORCE ROW LEVEL SECURITY unless superuser; set the tenant to be sure.
            try owner.setLocal(DatabaseRoles.tenantSetting, to: tenant.uuidString)
            return try owner.query("SELECT count(*)::int8 AS n FROM \(ident: table) WHERE tenant_id = \(tenant)").single().decode("n")
        }
    }

    /// One of the tenant's rows as JSON (with a fresh id where the table has one), read by the owner.
    private func sampleRow(_ table: String, _ tenant: UUID) throws -> JSONValue {
        try owner.transaction { owner in
            try owner.setLocal(DatabaseRoles.tenantSetting, to: tenant.uuidString)
            return try owner.query("SELECT to_jsonb(x) AS j FROM \(ident: table) x WHERE tenant_id = \(tenant) LIMIT 1").single().decode("j")
        }
    }

    private func inTenant<T>(_ tenant: UUID, _ body: (Connection) throws -> T) throws -> T {
        try app.transaction { tx in
            try tx.setLocal(DatabaseRoles.tenantSetting, to: tenant.uuidString)
            return try body(tx)
        }
    }

    /// Runs `body`, returning the database error kind it failed with, or nil when it succeeded.
    private func refusal(_ body: () throws -> Int) throws -> PostgresError.Kind? {
        switch try attempt(body) {
        case .success: nil
        case .failure(let error): error.kind
        }
    }

    /// Runs `body`, returning its row count or the database error it failed with.
    private func attempt(_ body: () throws -> Int) throws -> Result<Int, PostgresError> {
        do {
            return .success(try body())
        } catch let error as PostgresError {
            return .failure(error)
        }
    }
}
