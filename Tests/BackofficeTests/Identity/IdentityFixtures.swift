import Foundation
import Postgres
@testable import Domain

/// One test's identity world: its own migrated database, a bootstrapped super admin signed in with a
/// `PlatformContext`, the services over the app role, and an owner connection for looking underneath.
/// Everything uses `PasswordHasher.fast`.
final class IdentityWorld {
    static let password = "correct horse battery"
    static let adminEmail = "root@platform.test"

    let testDatabase: TestDatabase
    /// The app role's `Database` (what services use).
    let database: Database
    /// The owner role's `Database` (bootstrap only).
    let ownerDatabase: Database
    /// An owner connection, for reading and fixing rows behind the services' back.
    let owner: Connection
    let authenticator: Authenticator
    let users: UserService
    let tenants: TenantService
    let admin: AuthenticatedUser
    let adminToken: String
    let platform: PlatformContext

    private init(_ testDatabase: TestDatabase) throws {
        self.testDatabase = testDatabase
        database = try testDatabase.database()
        ownerDatabase = Database(url: try testDatabase.ownerConninfo, maxConnections: 1)
        owner = try testDatabase.owner()
        authenticator = Authenticator(database: database, hasher: .fast)
        users = UserService(database: database, hasher: .fast)
        tenants = TenantService(database: database)
        _ = try UserService.bootstrapSuperAdmin(
            ownerDatabase: ownerDatabase,
            .init(email: Self.adminEmail, name: "Root", password: Self.password),
            hasher: .fast)
        let signIn = try authenticator.signIn(email: Self.adminEmail, password: Self.password)
        adminToken = signIn.token
        admin = try authenticator.authenticate(token: signIn.token)
        platform = try authenticator.platform(admin)
    }

    /// Runs `body` with a fresh database and a signed-in super admin.
    static func with<T>(_ body: (IdentityWorld) throws -> T) throws -> T {
        try TestDatabase.with { db in
            let world = try IdentityWorld(db)
            defer { world.close() }
            return try body(world)
        }
    }

    func close() {
        owner.close()
        database.close()
        ownerDatabase.close()
    }

    // MARK: - Stores and people

    /// A store created by the super admin through `TenantService`.
    @discardableResult
    func makeTenant(_ slug: String, name: String? = nil, domain: String? = nil) throws -> Tenant {
        try tenants.create(platform, .init(slug: slug, name: name ?? "Store \(slug)", domain: domain))
    }

    /// A user created by the super admin (password `IdentityWorld.password`).
    @discardableResult
    func makeUser(_ email: String, name: String = "Someone", password: String? = IdentityWorld.password) throws -> User {
        try users.create(platform, .init(email: email, name: name, password: password))
    }

    /// A staff member: a new user granted `role` in `slug` by the super admin, signed in and inside the store.
    func member(_ role: String, in slug: String, email: String? = nil) throws -> Member {
        let email = email ?? "\(role)-\(UUID().uuidString.prefix(6).lowercased())@\(slug).test"
        let user = try makeUser(email, name: "\(role) of \(slug)")
        _ = try users.grant(platform, email: email, tenantSlug: slug, role: role)
        let signIn = try authenticator.signIn(email: email, password: Self.password)
        let authenticated = try authenticator.authenticate(token: signIn.token)
        let context = try authenticator.enter(slug, user: authenticated)
        return Member(user: user, email: email, token: signIn.token, authenticated: authenticated, context: context)
    }

    func member(_ role: SystemRole, in slug: String, email: String? = nil) throws -> Member {
        try member(role.rawValue, in: slug, email: email)
    }

    /// The message `enter` gives for a store one may not enter (or that does not exist).
    static func deniedMessage(_ slug: String) -> String {
        "store '\(slug)' not found or not permitted"
    }

    // MARK: - Looking underneath (as the owner)

    func count(_ table: String, where condition: SQL = "true") throws -> Int {
        try owner.query("SELECT count(*)::int AS n FROM \(ident: table) WHERE \(condition)").single().decode("n")
    }

    static let watchedTables = ["tenants", "users", "user_roles", "tenant_users", "audit_log", "platform_audit_log", "sessions"]

    /// Row counts of the identity tables: equal before and after means nothing was written.
    func rowCounts() throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for table in Self.watchedTables { counts[table] = try count(table) }
        return counts
    }

    /// The full content of the tables a refused write could touch (not `sessions`/`users`, whose
    /// last-seen and last-login columns move on every sign-in and authentication).
    func contentFingerprint() throws -> [String: String] {
        var result: [String: String] = [:]
        for table in ["tenants", "user_roles", "tenant_users", "audit_log", "platform_audit_log"] {
            result[table] = try owner.query("""
                SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS h FROM \(ident: table) t
                """).single().decode("h")
        }
        return result
    }

    /// A store's audit rows as the owner, oldest first.
    func auditRows(_ tenantID: UUID) throws -> [AuditRow] {
        try owner.query("""
            SELECT action, actor_user_id, entity_type, entity_id, before, after FROM audit_log
             WHERE tenant_id = \(tenantID) ORDER BY created_at, id
            """).map(AuditRow.init(row:))
    }

    /// The platform audit rows as the owner, oldest first.
    func platformAuditRows() throws -> [AuditRow] {
        try owner.query("""
            SELECT action, actor_user_id, entity_type, entity_id, before, after FROM platform_audit_log
             ORDER BY created_at, id
            """).map(AuditRow.init(row:))
    }
}

/// A signed-in staff member inside one store.
struct Member {
    let user: User
    let email: String
    let token: String
    let authenticated: AuthenticatedUser
    let context: TenantContext
}

/// One audit line as stored.
struct AuditRow {
    let action: String
    let actor: UUID?
    let entityType: String
    let entityID: String?
    let before: JSONValue?
    let after: JSONValue?

    init(row: Row) throws {
        action = try row.decode("action")
        actor = try row.decode("actor_user_id")
        entityType = try row.decode("entity_type")
        entityID = try row.decode("entity_id")
        before = try row.decode("before")
        after = try row.decode("after")
    }
}
