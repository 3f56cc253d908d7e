/// The PostgreSQL roles of design §3, created by the first migration.
public enum DatabaseRoles {
    /// What the console and the CLI connect as: LOGIN NOBYPASSRLS NOINHERIT, owns nothing.
    public static let app = "backoffice_app"
    /// Cross-tenant super-admin work, reached only by `SET LOCAL ROLE` inside an audited transaction.
    public static let admin = "backoffice_admin"
    /// The setting row-level security reads (`current_tenant()`), set per transaction.
    public static let tenantSetting = "app.tenant_id"
}
