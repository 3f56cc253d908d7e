import Foundation
import Postgres

/// Reads pg_catalog for every table with a `tenant_id` column and lists how each breaks the rules of
/// design §3 (RLS enabled and forced, the fail-closed tenant policy, a primary key led by tenant_id,
/// foreign keys to tenant tables that include tenant_id, not owned by the app role). Catalog-driven, so
/// a table added later is checked without editing the tests.
struct TenantTableAudit {
    let connection: Connection

    /// Tables (in schema public) that have a tenant_id column.
    func tenantTables() throws -> [String] {
        try connection.query("""
            SELECT c.relname
            FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
              AND EXISTS (SELECT 1 FROM pg_attribute a
                          WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
            ORDER BY c.relname
            """).map { try $0.decode("relname", as: String.self) }
    }

    /// Every rule broken, as "table: what is wrong"; empty when all tenant tables are sound.
    func violations() throws -> [String] {
        var found: [String] = []
        let rows = try connection.query("""
            SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,
                   pg_get_userbyid(c.relowner) AS owner,
                   (SELECT a.attnotnull FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id') AS tenant_not_null,
                   EXISTS (
                       SELECT 1 FROM pg_policy p
                       WHERE p.polrelid = c.oid AND p.polcmd = '*' AND p.polpermissive
                         AND p.polroles = '{0}'
                         AND regexp_replace(pg_get_expr(p.polqual, p.polrelid), '[()\\s]', '', 'g') = 'tenant_id=current_tenant'
                         AND regexp_replace(pg_get_expr(p.polwithcheck, p.polrelid), '[()\\s]', '', 'g') = 'tenant_id=current_tenant'
                   ) AS has_tenant_policy,
                   (SELECT string_agg(p.polname || ' ' || pg_get_expr(p.polqual, p.polrelid), '; ')
                    FROM pg_policy p
                    WHERE p.polrelid = c.oid AND p.polroles && ARRAY['0'::oid, (SELECT oid FROM pg_roles WHERE rolname = 'backoffice_app')]
                      AND regexp_replace(coalesce(pg_get_expr(p.polqual, p.polrelid), 'true'), '[()\\s]', '', 'g') <> 'tenant_id=current_tenant'
                   ) AS other_app_policies,
                   (SELECT a.attname FROM pg_constraint k
                    JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
                    WHERE k.conrelid = c.oid AND k.contype = 'p') AS pk_first_column
            FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
              AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
            ORDER BY c.relname
            """)
        for row in rows {
            let table: String = try row.decode("relname")
            if !(try row.decode("relrowsecurity", as: Bool.self)) { found.append("\(table): row-level security is not enabled") }
            if !(try row.decode("relforcerowsecurity", as: Bool.self)) { found.append("\(table): row-level security is not forced") }
            if !(try row.decode("has_tenant_policy", as: Bool.self)) {
                found.append("\(table): no policy for all commands and roles with USING and WITH CHECK (tenant_id = current_tenant())")
            }
            if let other = try row.decode("other_app_policies", as: String?.self) {
                found.append("\(table): a policy that applies to the app role is not the tenant rule: \(other)")
            }
            if try row.decode("owner", as: String.self) == "backoffice_app" { found.append("\(table): owned by the app role") }
            if !(try row.decode("tenant_not_null", as: Bool.self)) { found.append("\(table): tenant_id is nullable") }
            let first = try row.decode("pk_first_column", as: String?.self)
            if first != "tenant_id" { found.append("\(table): primary key does not start with tenant_id (\(first ?? "no primary key"))") }
        }
        // Foreign keys from tenant tables to tenant tables must pair tenant_id with tenant_id.
        let keys = try connection.query("""
            SELECT k.conname, src.relname AS source, dst.relname AS target,
                   EXISTS (
                       SELECT 1 FROM unnest(k.conkey, k.confkey) AS pair(s, d)
                       JOIN pg_attribute sa ON sa.attrelid = k.conrelid AND sa.attnum = pair.s
                       JOIN pg_attribute da ON da.attrelid = k.confrelid AND da.attnum = pair.d
                       WHERE sa.attname = 'tenant_id' AND da.attname = 'tenant_id'
                   ) AS pairs_tenant
            FROM pg_constraint k
            JOIN pg_class src ON src.oid = k.conrelid
            JOIN pg_class dst ON dst.oid = k.confrelid
            WHERE k.contype = 'f'
              AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = k.confrelid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
            ORDER BY 1
            """)
        for key in keys where !(try key.decode("pairs_tenant", as: Bool.self)) {
            found.append("\(try key.decode("source", as: String.self)): foreign key \(try key.decode("conname", as: String.self)) to \(try key.decode("target", as: String.self)) does not include tenant_id")
        }
        // The app role must not be able to bypass RLS, or inherit the admin role's policies.
        let role = try connection.query("SELECT rolbypassrls, rolsuper, rolinherit FROM pg_roles WHERE rolname = 'backoffice_app'").single()
        if try role.decode("rolbypassrls", as: Bool.self) { found.append("backoffice_app: has BYPASSRLS") }
        if try role.decode("rolsuper", as: Bool.self) { found.append("backoffice_app: is a superuser") }
        if try role.decode("rolinherit", as: Bool.self) { found.append("backoffice_app: INHERITs (it would get the admin role's policies)") }
        return found
    }
}
