import Foundation
import Postgres

/// SQL fixtures shipped with the tests (`Tests/BackofficeTests/Fixtures`).
enum Fixtures {
    static func script(_ name: String) throws -> SQLScript {
        guard let url = Bundle.module.url(forResource: name, withExtension: "sql", subdirectory: "Fixtures") else {
            throw FixtureMissing(name: name)
        }
        return SQLScript(name: "\(name).sql", text: try String(contentsOf: url, encoding: .utf8))
    }

    struct FixtureMissing: Error { let name: String }

    /// Defines `pg_temp.seed_tenant(uuid)` on an owner connection and fills every tenant table for each tenant.
    static func seedTenants(_ tenants: [UUID], on owner: Connection) throws {
        try owner.execute(script: script("seed_tenant"))
        for tenant in tenants {
            try owner.execute("SELECT pg_temp.seed_tenant(\(tenant))")
        }
    }
}
