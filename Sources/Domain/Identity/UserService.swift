import Foundation
import Postgres

/// Accounts and store memberships: creating users (the first super admin over the owner connection,
/// afterwards only super admins), granting and revoking store roles, listing and disabling.
///
/// Store-level changes (grant, revoke) go to that store's audit log; account changes (create, disable)
/// to the platform's.
public struct UserService: Sendable {
    public let database: Database
    public let hasher: PasswordHasher

    public init(database: Database, hasher: PasswordHasher = PasswordHasher()) {
        self.database = database
        self.hasher = hasher
    }

    /// What `create` needs. A user without a password cannot sign in until one is set.
    public struct NewUser: Sendable {
        public var email: String
        public var name: String
        public var password: String?
        public var isSuperAdmin: Bool

        public init(email: String, name: String, password: String?, isSuperAdmin: Bool = false) {
            self.email = email
            self.name = name
            self.password = password
            self.isSuperAdmin = isSuperAdmin
        }
    }

    /// Whether any account exists. The console asks on start: on an empty platform it offers to load the
    /// demo data or to create the first super admin. (`users` is a global table the app role reads.)
    public static func platformHasUsers(database: Database) throws -> Bool {
        try database.withTransaction { connection in
            try connection.query("SELECT EXISTS (SELECT 1 FROM users) AS any").single().decode("any")
        }
    }

    // MARK: - Creating accounts

    /// Creates the platform's first super admin. `ownerDatabase` must connect as the owner role (the
    /// embedded cluster's OS owner or `BACKOFFICE_OWNER_DATABASE_URL`); once a super admin exists this
    /// is refused and `create` (signed in as a super admin) is the way.
    public static func bootstrapSuperAdmin(ownerDatabase: Database, _ new: NewUser, hasher: PasswordHasher = PasswordHasher()) throws -> User {
        let (email, name, hash) = try prepare(new, hasher: hasher, requirePassword: true)
        return try ownerDatabase.withTransaction { connection in
            // One bootstrap at a time: two racing ones must not both find "no super admin yet".
            try connection.execute("SELECT pg_advisory_xact_lock(\(Int64(0x626f_6f74)))")
            let existing: Int = try connection.query("SELECT count(*) AS n FROM users WHERE is_super_admin").single().decode("n")
            guard existing == 0 else {
                throw ForbiddenError("a super admin already exists: sign in as one (`backoffice login`) to create users")
            }
            let user = try insert(connection, email: email, name: name, hash: hash, isSuperAdmin: true)
            try AuditLog.recordPlatform(connection, actor: nil, action: "user.created", entityType: "user",
                                        entityID: user.id.uuidString.lowercased(), after: user.auditValue)
            return user
        }
    }

    /// Creates a user (super admins only).
    public func create(_ context: PlatformContext, _ new: NewUser) throws -> User {
        let (email, name, hash) = try UserService.prepare(new, hasher: hasher, requirePassword: false)
        return try database.withPlatform(context) { connection in
            let user = try UserService.insert(connection, email: email, name: name, hash: hash, isSuperAdmin: new.isSuperAdmin)
            try AuditLog.recordPlatform(connection, actor: context.userID, action: "user.created", entityType: "user",
                                        entityID: user.id.uuidString.lowercased(), after: user.auditValue)
            return user
        }
    }

    static func prepare(_ new: NewUser, hasher: PasswordHasher, requirePassword: Bool) throws -> (String, String, String?) {
        var validator = FieldValidator()
        let email = validator.email("email", new.email)
        let name = validator.requiredText("name", new.name, maxLength: 200)
        if let password = new.password {
            validator.password("password", password)
        } else if requirePassword {
            validator.fail("password", "required", "password is required")
        }
        try validator.check()
        return (email, name, try new.password.map(hasher.hash))
    }

    static func insert(_ connection: Connection, email: String, name: String, hash: String?, isSuperAdmin: Bool) throws -> User {
        do {
            return try User(row: connection.query("""
                INSERT INTO users AS u (email, name, password_hash, is_super_admin)
                VALUES (\(email), \(name), \(hash), \(isSuperAdmin))
                RETURNING \(User.columns)
                """).single())
        } catch let error as PostgresError where error.kind == .uniqueViolation {
            throw ConflictError("email \(email) is already in use", field: "email")
        }
    }

    // MARK: - Memberships

    /// Gives a user a role in a store (or changes it), as a super admin.
    public func grant(_ context: PlatformContext, email: String, tenantSlug: String, role: String) throws -> User {
        try database.withPlatform(context) { connection in
            let tenantID = try UserService.tenantID(connection, slug: tenantSlug)
            return try UserService.grant(connection, tenantID: tenantID, actor: context.userID, email: email, role: role)
        }
    }

    /// Gives a user a role in the current store (or changes it); needs `users.manage`.
    public func grant(_ context: TenantContext, email: String, role: String) throws -> User {
        try context.require(.usersManage)
        return try database.withTenant(context) { tx in
            try UserService.grant(tx.connection, tenantID: tx.context.tenantID, actor: tx.context.userID, email: email, role: role)
        }
    }

    /// Removes a user from a store, as a super admin.
    public func revoke(_ context: PlatformContext, email: String, tenantSlug: String) throws {
        try database.withPlatform(context) { connection in
            let tenantID = try UserService.tenantID(connection, slug: tenantSlug)
            try UserService.revoke(connection, tenantID: tenantID, actor: context.userID, email: email)
        }
    }

    /// Removes a user from the current store; needs `users.manage`.
    public func revoke(_ context: TenantContext, email: String) throws {
        try context.require(.usersManage)
        try database.withTenant(context) { tx in
            try UserService.revoke(tx.connection, tenantID: tx.context.tenantID, actor: tx.context.userID, email: email)
        }
    }

    /// Serialises membership changes within one store, so two owners stepping down at the same time
    /// cannot both see the other as the remaining owner. (NO KEY UPDATE does not block the foreign-key
    /// checks that other writers take on the store row.)
    static func lockMemberships(_ connection: Connection, tenantID: UUID) throws {
        try connection.execute("SELECT 1 FROM tenants WHERE id = \(tenantID) FOR NO KEY UPDATE")
    }

    static func grant(_ connection: Connection, tenantID: UUID, actor: UUID, email: String, role: String) throws -> User {
        try lockMemberships(connection, tenantID: tenantID)
        let user = try findUser(connection, email: email)
        let roles = try connection.query("SELECT slug FROM user_roles WHERE tenant_id = \(tenantID) ORDER BY slug").map { try $0.decode("slug", as: String.self) }
        guard roles.contains(role) else {
            throw ValidationError(issues: [FieldIssue(field: "role", rule: "enum", message: "role must be one of \(roles.joined(separator: ", ")) (got '\(role)')")])
        }
        let previous: String? = try connection.query("""
            SELECT role FROM tenant_users WHERE tenant_id = \(tenantID) AND user_id = \(user.id) FOR UPDATE
            """).first?.decode("role")
        if previous == role { return try memberRow(connection, tenantID: tenantID, userID: user.id) }
        if previous == SystemRole.owner.rawValue { try requireAnotherOwner(connection, tenantID: tenantID, besides: user.id) }
        try connection.execute("""
            INSERT INTO tenant_users (tenant_id, user_id, role) VALUES (\(tenantID), \(user.id), \(role))
            ON CONFLICT (tenant_id, user_id) DO UPDATE SET role = EXCLUDED.role, version = tenant_users.version + 1
            """)
        try AuditLog.record(connection, tenantID: tenantID, actor: actor, action: previous == nil ? "member.granted" : "member.role_changed",
                            entityType: "member", entityID: user.id.uuidString.lowercased(),
                            before: previous.map { .object(["email": .string(user.email), "role": .string($0)]) },
                            after: .object(["email": .string(user.email), "role": .string(role)]))
        return try memberRow(connection, tenantID: tenantID, userID: user.id)
    }

    static func revoke(_ connection: Connection, tenantID: UUID, actor: UUID, email: String) throws {
        try lockMemberships(connection, tenantID: tenantID)
        let user = try findUser(connection, email: email)
        guard let previous: String = try connection.query("""
            SELECT role FROM tenant_users WHERE tenant_id = \(tenantID) AND user_id = \(user.id) FOR UPDATE
            """).first?.decode("role") else {
            throw NotFoundError("\(user.email) is not a member of this store")
        }
        if previous == SystemRole.owner.rawValue { try requireAnotherOwner(connection, tenantID: tenantID, besides: user.id) }
        try connection.execute("DELETE FROM tenant_users WHERE tenant_id = \(tenantID) AND user_id = \(user.id)")
        try AuditLog.record(connection, tenantID: tenantID, actor: actor, action: "member.revoked", entityType: "member",
                            entityID: user.id.uuidString.lowercased(),
                            before: .object(["email": .string(user.email), "role": .string(previous)]))
    }

    /// A store keeps at least one owner: removing or demoting the last one is a 409.
    static func requireAnotherOwner(_ connection: Connection, tenantID: UUID, besides userID: UUID) throws {
        let others: Int = try connection.query("""
            SELECT count(*) AS n FROM tenant_users WHERE tenant_id = \(tenantID) AND role = 'owner' AND user_id <> \(userID)
            """).single().decode("n")
        if others == 0 {
            throw ConflictError("this is the store's last owner: make someone else owner first", field: "role")
        }
    }

    // MARK: - Listing and disabling

    /// Every account on the platform, or the members of one store, by email.
    public func list(_ context: PlatformContext, tenantSlug: String? = nil) throws -> [User] {
        try database.withPlatform(context) { connection in
            if let tenantSlug {
                let tenantID = try UserService.tenantID(connection, slug: tenantSlug)
                return try UserService.members(connection, tenantID: tenantID)
            }
            return try connection.query("SELECT \(User.columns) FROM users u ORDER BY lower(u.email)").map { try User(row: $0) }
        }
    }

    /// The current store's members; needs `users.manage`.
    public func list(_ context: TenantContext) throws -> [User] {
        try context.require(.usersManage)
        return try database.withTenant(context) { tx in
            try UserService.members(tx.connection, tenantID: tx.context.tenantID)
        }
    }

    /// Disables an account and revokes its sessions (super admins only; not yourself).
    public func disable(_ context: PlatformContext, email: String) throws -> User {
        try database.withPlatform(context) { connection in
            let before = try UserService.findUser(connection, email: email, forUpdate: true)
            guard before.id != context.userID else {
                throw ConflictError("you cannot disable your own account", field: "email")
            }
            let after = try User(row: connection.query("""
                UPDATE users AS u SET disabled = true, version = version + 1 WHERE id = \(before.id) RETURNING \(User.columns)
                """).single())
            try connection.execute("UPDATE sessions SET revoked_at = now() WHERE user_id = \(before.id) AND revoked_at IS NULL")
            try AuditLog.recordPlatform(connection, actor: context.userID, action: "user.disabled", entityType: "user",
                                        entityID: after.id.uuidString.lowercased(), before: before.auditValue, after: after.auditValue)
            return after
        }
    }

    // MARK: - Helpers

    static func members(_ connection: Connection, tenantID: UUID) throws -> [User] {
        try connection.query("""
            SELECT \(User.columns), tu.role FROM tenant_users tu JOIN users u ON u.id = tu.user_id
             WHERE tu.tenant_id = \(tenantID) ORDER BY lower(u.email)
            """).map { try User(row: $0, withRole: true) }
    }

    static func memberRow(_ connection: Connection, tenantID: UUID, userID: UUID) throws -> User {
        try User(row: connection.query("""
            SELECT \(User.columns), tu.role FROM tenant_users tu JOIN users u ON u.id = tu.user_id
             WHERE tu.tenant_id = \(tenantID) AND tu.user_id = \(userID)
            """).single(), withRole: true)
    }

    static func findUser(_ connection: Connection, email: String, forUpdate: Bool = false) throws -> User {
        let lock: SQL = forUpdate ? " FOR UPDATE" : ""
        let rows = try connection.query("SELECT \(User.columns) FROM users u WHERE lower(u.email) = lower(\(email.trimmingCharacters(in: .whitespaces)))\(lock)")
        guard let row = rows.first else { throw NotFoundError("no user with email \(email)") }
        return try User(row: row)
    }

    static func tenantID(_ connection: Connection, slug: String) throws -> UUID {
        let rows = try connection.query("SELECT id FROM tenants WHERE slug = \(slug)")
        guard let row = rows.first else { throw NotFoundError("no store '\(slug)'") }
        return try row.decode("id")
    }
}
