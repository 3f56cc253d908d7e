import Foundation
import Postgres

/// Sign-in, sessions, and the only doors to `TenantContext` and `PlatformContext`.
///
/// - `signIn`: email + password → an opaque bearer token (only its SHA-256 is stored). Unknown email and
///   wrong password give the same error and cost the same (a dummy hash is verified). Five consecutive
///   failures lock the account for 15 minutes, measured by the database clock.
/// - `authenticate(token:)`: a live session (not expired, not revoked, user not disabled) → the user.
/// - `enter(_:user:)`: a member enters an active store; a super admin may enter any store that is not
///   deleted, and that entry is written to the store's audit log. A store that does not exist and one
///   the user may not enter give the same 403 after the same work.
/// - `platform(_:)`: super admins only.
public struct Authenticator: Sendable {
    public let database: Database
    public let hasher: PasswordHasher
    /// How long a session lives.
    public var sessionLifetime: TimeInterval = 30 * 24 * 3600

    static let maximumFailures = 5
    static let lockoutMinutes = 15
    static let invalidCredentials = "invalid email or password"

    public init(database: Database, hasher: PasswordHasher = PasswordHasher()) {
        self.database = database
        self.hasher = hasher
    }

    private enum Attempt {
        case success(SignIn)
        case failure(any AppError)
    }

    public func signIn(email: String, password: String) throws -> SignIn {
        let attempt: Attempt = try database.withTransaction { connection in
            let found = try connection.query("""
                SELECT id, email, name, password_hash, is_super_admin, disabled,
                       (locked_until IS NOT NULL AND locked_until > now()) AS locked
                  FROM users WHERE lower(email) = lower(\(email.trimmingCharacters(in: .whitespaces)))
                   FOR UPDATE
                """)
            guard let row = found.first else {
                hasher.performDummyVerification(password)
                return .failure(UnauthorizedError(Authenticator.invalidCredentials))
            }
            let userID: UUID = try row.decode("id")
            if try row.decode("locked", as: Bool.self) {
                hasher.performDummyVerification(password)
                return .failure(UnauthorizedError("this account is locked for \(Authenticator.lockoutMinutes) minutes after \(Authenticator.maximumFailures) failed sign-ins; try again later"))
            }
            let hash: String? = try row.decode("password_hash")
            guard let hash, hasher.verify(password, against: hash) else {
                if hash == nil { hasher.performDummyVerification(password) }
                let locked: Bool = try connection.query("""
                    UPDATE users
                       SET failed_logins = CASE WHEN locked_until IS NOT NULL AND locked_until <= now() THEN 1 ELSE failed_logins + 1 END,
                           locked_until = CASE
                               WHEN (CASE WHEN locked_until IS NOT NULL AND locked_until <= now() THEN 1 ELSE failed_logins + 1 END) >= \(Authenticator.maximumFailures)
                               THEN now() + make_interval(mins => \(Authenticator.lockoutMinutes)::int)
                               ELSE NULL END
                     WHERE id = \(userID)
                    RETURNING locked_until IS NOT NULL AS locked
                    """).single().decode("locked")
                if locked {
                    try AuditLog.recordPlatform(connection, actor: nil, action: "user.locked", entityType: "user",
                                                entityID: userID.uuidString.lowercased(),
                                                after: .object(["failedSignIns": .integer(Int64(Authenticator.maximumFailures)),
                                                                "minutes": .integer(Int64(Authenticator.lockoutMinutes))]))
                }
                return .failure(UnauthorizedError(Authenticator.invalidCredentials))
            }
            if try row.decode("disabled", as: Bool.self) {
                return .failure(UnauthorizedError("this account is disabled"))
            }
            if hasher.needsRehash(hash), let rehashed = try? hasher.hash(password) {
                try connection.execute("UPDATE users SET password_hash = \(rehashed) WHERE id = \(userID)")
            }
            try connection.execute("UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = now() WHERE id = \(userID)")
            let token = SessionToken.generate()
            let session = try connection.query("""
                INSERT INTO sessions (user_id, token_hash, expires_at)
                VALUES (\(userID), sha256(convert_to(\(token), 'UTF8')), now() + make_interval(secs => \(sessionLifetime)))
                RETURNING id, expires_at
                """).single()
            let user = AuthenticatedUser(
                id: userID, email: try row.decode("email"), name: try row.decode("name"),
                isSuperAdmin: try row.decode("is_super_admin"), sessionID: try session.decode("id"))
            try AuditLog.recordPlatform(connection, actor: userID, action: "session.created", entityType: "session",
                                        entityID: user.sessionID?.uuidString.lowercased(),
                                        after: .object(["superAdmin": .bool(user.isSuperAdmin)]))
            return .success(SignIn(token: token, user: user, expiresAt: try session.decode("expires_at")))
        }
        switch attempt {
        case .success(let signIn): return signIn
        case .failure(let error): throw error
        }
    }

    /// The user behind a live session token; refreshes the session's last-seen time.
    public func authenticate(token: String) throws -> AuthenticatedUser {
        try database.withTransaction { connection in
            let rows = try connection.query("""
                UPDATE sessions s SET last_seen_at = now()
                  FROM users u
                 WHERE s.token_hash = sha256(convert_to(\(token), 'UTF8')) AND u.id = s.user_id
                   AND s.revoked_at IS NULL AND s.expires_at > now() AND NOT u.disabled
                RETURNING s.id AS session_id, u.id, u.email, u.name, u.is_super_admin
                """)
            guard let row = rows.first else {
                throw UnauthorizedError("not signed in: the session is unknown, expired or revoked (run `backoffice login`)")
            }
            return AuthenticatedUser(id: try row.decode("id"), email: try row.decode("email"), name: try row.decode("name"),
                                     isSuperAdmin: try row.decode("is_super_admin"), sessionID: try row.decode("session_id"))
        }
    }

    /// Revokes a session; revoking one that is already gone is not an error.
    public func signOut(token: String) throws {
        try database.withTransaction { connection in
            let revoked = try connection.query("""
                UPDATE sessions SET revoked_at = now()
                 WHERE token_hash = sha256(convert_to(\(token), 'UTF8')) AND revoked_at IS NULL
                RETURNING id, user_id
                """)
            for row in revoked {
                let sessionID: UUID = try row.decode("id")
                try AuditLog.recordPlatform(connection, actor: try row.decode("user_id"), action: "session.revoked",
                                            entityType: "session", entityID: sessionID.uuidString.lowercased())
            }
        }
    }

    /// A super admin's platform context.
    public func platform(_ user: AuthenticatedUser) throws -> PlatformContext {
        guard user.isSuperAdmin else { throw ForbiddenError("only a super admin may do this") }
        return PlatformContext(userID: user.id)
    }

    /// Enters a store by slug: a member of an active store gets their role's permissions; a super admin
    /// gets every permission in any store that is not deleted, and the entry is audited in that store.
    public func enter(_ slug: String, user: AuthenticatedUser) throws -> TenantContext {
        let denied = ForbiddenError("store '\(slug)' not found or not permitted")
        if user.isSuperAdmin {
            return try database.withTransaction { connection in
                let rows = try connection.query("SELECT id, slug FROM tenants WHERE slug = \(slug) AND status <> 'deleted'")
                guard let row = rows.first else { throw denied }
                let tenantID: UUID = try row.decode("id")
                try connection.execute("SET LOCAL ROLE \(ident: DatabaseRoles.admin)")
                try AuditLog.record(connection, tenantID: tenantID, actor: user.id, action: "tenant.entered",
                                    entityType: "tenant", entityID: tenantID.uuidString.lowercased(),
                                    after: .object(["superAdmin": .bool(true), "email": .string(user.email)]))
                return TenantContext(tenantID: tenantID, tenantSlug: try row.decode("slug"), userID: user.id, role: "super-admin",
                                     permissions: Set(Permission.allNames), isSuperAdminEntry: true)
            }
        }
        // One transaction of the same shape whether or not the store exists or the user belongs to it:
        // the tenant setting comes from the slug lookup itself (empty when there is no such active store).
        let membership: (UUID, String, String, [String], [String])? = try database.withTransaction { connection in
            try connection.execute("""
                SELECT set_config(\(DatabaseRoles.tenantSetting),
                                  coalesce((SELECT id::text FROM tenants WHERE slug = \(slug) AND status = 'active'), ''), true)
                """)
            let rows = try connection.query("""
                SELECT t.id, t.slug, tu.role, r.permissions AS role_permissions, tu.permissions AS extra_permissions
                  FROM tenant_users tu
                  JOIN tenants t ON t.id = tu.tenant_id
                  JOIN user_roles r ON r.tenant_id = tu.tenant_id AND r.slug = tu.role
                 WHERE tu.tenant_id = current_tenant() AND tu.user_id = \(user.id)
                """)
            guard let row = rows.first else { return nil }
            return (try row.decode("id"), try row.decode("slug"), try row.decode("role"),
                    try Authenticator.strings(row.decode("role_permissions")), try Authenticator.strings(row.decode("extra_permissions")))
        }
        guard let (tenantID, tenantSlug, role, rolePermissions, extra) = membership else { throw denied }
        return TenantContext(tenantID: tenantID, tenantSlug: tenantSlug, userID: user.id, role: role,
                             permissions: Set(rolePermissions + extra))
    }

    /// The stores a user can enter (a super admin: every store that is not deleted), by name.
    ///
    /// A member's stores span tenants, which row-level security hides from the app role, so this one
    /// read runs as the admin role, for the authenticated user's own memberships only.
    public func memberships(of user: AuthenticatedUser) throws -> [Membership] {
        try database.withTransaction { connection in
            try connection.execute("SET LOCAL ROLE \(ident: DatabaseRoles.admin)")
            let rows: QueryResult
            if user.isSuperAdmin {
                rows = try connection.query("""
                    SELECT t.id, t.slug, t.name, 'super-admin' AS role, t.status FROM tenants t
                     WHERE t.status <> 'deleted' ORDER BY t.name, t.slug
                    """)
            } else {
                rows = try connection.query("""
                    SELECT t.id, t.slug, t.name, tu.role, t.status
                      FROM tenant_users tu JOIN tenants t ON t.id = tu.tenant_id
                     WHERE tu.user_id = \(user.id) AND t.status = 'active'
                     ORDER BY t.name, t.slug
                    """)
            }
            return try rows.map { row in
                Membership(tenantID: try row.decode("id"), slug: try row.decode("slug"), name: try row.decode("name"),
                           role: try row.decode("role"), status: Tenant.Status(rawValue: try row.decode("status")) ?? .suspended)
            }
        }
    }

    static func strings(_ value: JSONValue) -> [String] {
        guard case .array(let elements) = value else { return [] }
        return elements.compactMap { if case .string(let s) = $0 { s } else { nil } }
    }
}
